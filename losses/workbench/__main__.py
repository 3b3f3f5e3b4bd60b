"""`python -m losses.workbench losses | check NAME | explore NAME`: see losses.workbench.cli."""
import sys

from .cli import main

sys.exit(main(sys.argv[1:]))

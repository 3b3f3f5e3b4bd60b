"""How often each claim holds, seed by seed: the hold-rate table of lessons/CLAIMS.md.

    python -m lessons holdrate [--seeds 3,4,5,6,7,8,9,10,11,12] [--quick] [--write]

Runs every lesson once per seed, with that seed alone as `SEEDS`, and counts for each claim the
seeds on which it holds. A claim about a training outcome that holds "on every seed" should read
10 of 10 here; one that states a measured fraction may read less, and the table shows how much.
`--write` puts the table into CLAIMS.md between its markers; without it the table is printed.
"""
import argparse
import contextlib
import io
import sys

import lessons
from lessons import helpers

BEGIN, END = "<!-- hold rates: begin -->", "<!-- hold rates: end -->"
TEN_SEEDS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 12)


def hold_rates(seeds, quick=False):
    """{lesson name: {claim key: (seeds on which it holds, text)}}, each lesson run once per seed."""
    rates = {}
    for number, name in lessons.available().items():
        counts = {}
        for seed in seeds:
            with contextlib.redirect_stdout(io.StringIO()):
                lesson = lessons.run(number, quick=quick, seeds=(seed,))
            for claim in lesson.claims:
                held, _ = counts.get(claim.key, (0, claim.text))
                counts[claim.key] = (held + claim.holds, claim.text)
        rates[name] = counts
        print(f"  {name}: {sum(h == len(seeds) for h, _ in counts.values())} of {len(counts)} claims hold on every seed",
              file=sys.stderr)
    return rates


def table(rates, seeds, quick=False):
    mode = "quick" if quick else "full"
    lines = [BEGIN, "",
             f"Each claim run on one seed at a time, seeds {', '.join(map(str, seeds))} ({mode} mode), "
             f"written by `python -m lessons holdrate --write`:", "",
             "| lesson | check | holds on |", "|---|---|---|"]
    for name, counts in rates.items():
        for key, (held, _) in counts.items():
            lines.append(f"| {name} | {key} | {held} of {len(seeds)} |")
    return "\n".join(lines + ["", END])


def write(text):
    path = lessons.HERE / "CLAIMS.md"
    source = path.read_text(encoding="utf-8")
    if BEGIN in source:
        head, rest = source.split(BEGIN, 1)
        source = head + text + rest.split(END, 1)[1]
    else:
        source = source.rstrip("\n") + "\n\n## How often each check holds, seed by seed\n\n" + text + "\n"
    path.write_text(source, encoding="utf-8")
    print(f"  wrote {path}")


def main(argv):
    parser = argparse.ArgumentParser(prog="python -m lessons holdrate", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", default=",".join(map(str, TEN_SEEDS)))
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--write", action="store_true", help="write the table into lessons/CLAIMS.md")
    args = parser.parse_args(argv)
    try:
        seeds = helpers.seeds_from(args.seeds)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    text = table(hold_rates(seeds, args.quick), seeds, args.quick)
    if args.write:
        write(text)
    else:
        print(text)
    return 0

"""The claims map (lessons/CLAIMS.md) is complete and true to the lessons.

Every row names a lesson, the figure(s) that show the claim and the check(s) that verify it;
each named figure is shown by that lesson and each check is a claim that lesson makes.
Every section of the lecture has rows, and no row is left without a figure or a check.
"""
import re

import lessons

MAP = lessons.HERE / "CLAIMS.md"


def rows():
    table = []
    for line in MAP.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]   # \| is a pipe inside a cell
        if line.startswith("|") and len(cells) == 5 and re.match(r"(\d+|T)\. ", cells[0]):
            table.append(cells)
    return table


def names(cell):
    return [n.strip(" `") for n in re.split(r"[,;]", cell) if n.strip(" `—-")]


def test_every_row_points_at_a_real_figure_and_a_real_check():
    table = rows()
    assert len(table) >= 60, f"only {len(table)} rows"
    for _section, claim, where, figures, checks in table:
        name = where.split(",")[0].strip()
        source = (lessons.HERE / f"{name}.py").read_text(encoding="utf-8")
        shown = set(re.findall(r'^show\(fig, "([^"]+)"\)', source, re.MULTILINE))
        stated = set(re.findall(r'^\s*claim\(\s*"([^"]+)"', source, re.MULTILINE))
        assert names(figures), f"'{claim}' is shown by no figure"
        assert names(checks), f"'{claim}' is verified by no check"
        for figure in names(figures):
            assert figure in shown, f"'{claim}': {name} shows no figure {figure!r} (it shows {sorted(shown)})"
        for key in names(checks):
            assert key in stated, f"'{claim}': {name} makes no claim {key!r}"


def test_every_section_of_the_lecture_is_covered():
    sections = {row[0].split(" ")[0].rstrip(".") for row in rows()}
    assert {str(n) for n in range(1, 10)} | {"T"} <= sections, sorted(sections)

"""The website of the executed lessons: `python -m lessons site --out DIR [--quick]`.

Each lesson runs as a notebook in a Jupyter kernel of its own (nbclient, two at a time), and
nbconvert turns it into a page in JupyterLab's look: every figure under the cell that drew it,
its file next to the page. Formulas are typeset in the browser by MathJax, copied into the site
from the `jupyter-server-mathjax` package, so a page fetches nothing from the internet. The site:

    index.html                 the syllabus: each lesson, its sections, how long it takes
    NN_name.html               one page per lesson; its figures in NN_name_files/
    answers/NN_name.html       the answers to its Try-it exercises (lessons/answers/NN_name.md)
    downloads/NN_name.py|.ipynb   the lesson to run yourself
    _static/                   MathJax and the site's stylesheet

What it needs is the `site` extra: pip install -e ".[site]".
"""
import argparse
import asyncio
import math
import os
import re
import shutil
import sys
import time
from pathlib import Path

import lessons

ROOT = lessons.HERE.parent
TEMPLATES = lessons.HERE / "site_templates"
NEEDS = 'the site needs the `site` extra: pip install -e ".[site]"'

ANSWERS_LINK = re.compile(r"\]\(answers/(\d\d_\w+)\.md\)")
"""A Try-it cell's link to its answers page, `[the answers](answers/05_focal.md)`."""

PLACEHOLDER_HOST = "example.org"
"""project.urls in pyproject.toml name this host until the project says where it is published."""


# ---- what the lessons say about themselves ----------------------------------------------------

def sections_of(source):
    """The numbered sections of a lesson (its `# ## ` headings), Try it and the rest included."""
    return [line[5:].strip() for line in source.splitlines() if line.startswith("# ## ")]


def study_minutes(source):
    """How long a student takes to step through a lesson, rounded up to 5 minutes: its prose
    at 150 words a minute, its code at 15 lines a minute, and 5 minutes per Try-it exercise."""
    prose = code = 0
    markdown = False
    for line in source.splitlines():
        if line.startswith("# %%"):
            markdown = "[markdown]" in line
        elif markdown:
            prose += len(line.lstrip("# ").split())
        elif line.strip() and not line.lstrip().startswith("#"):
            code += 1
    try_its = len(set(re.findall(r"Try it (\d+)", source)))
    return 5 * math.ceil((prose / 150 + code / 15 + 5 * try_its) / 5)


# ---- the lessons as notebooks ----------------------------------------------------------------

def project_urls():
    """{label: address} of pyproject.toml's [project.urls] (or the installed package's)."""
    pyproject = ROOT / "pyproject.toml"
    if pyproject.exists() and sys.version_info >= (3, 11):
        import tomllib

        return dict(tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {}).get("urls", {}))
    from importlib import metadata

    entries = metadata.metadata("minigrad").get_all("Project-URL") or []
    return dict(entry.split(", ", 1) for entry in entries)


def published_urls():
    """The site's address and the repository's, from project.urls; None for one that is missing
    or still the placeholder (the notebooks then say where to set it)."""
    urls = project_urls()

    def real(label):
        url = urls.get(label, "").rstrip("/")
        return url if url and PLACEHOLDER_HOST not in url else None

    return real("Documentation"), real("Repository")


def notebook_of(number, answers_link="answers/{name}.html", executable=False):
    """Lesson `number` as an nbformat notebook, its Try-it link to the answers pointing to
    `answers_link` (formatted with the lesson's name, e.g. "https://…/answers/{name}.html").

    executable: for a notebook that leaves the repository (a download, Colab): a cell after the
    title installs this project when it is missing, from the repository named in project.urls.
    """
    import jupytext
    from nbformat.v4 import new_code_cell, new_markdown_cell

    notebook = jupytext.read(lessons.path_of(number))
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = ANSWERS_LINK.sub(lambda m: "](" + answers_link.format(name=m.group(1)) + ")", cell.source)
    if executable:
        _, repository = published_urls()
        if repository:
            install = new_code_cell(
                f"# In Colab, or any Jupyter where this project is not installed, this installs it first\n"
                f"try:\n    import minigrad  # noqa: F401\nexcept ImportError:\n"
                f"    %pip install \"minigrad @ git+{repository}\"")
        else:
            install = new_markdown_cell(
                "*Run this notebook where this project is installed* (`pip install -e .` in a clone): "
                "pyproject.toml names no repository yet (`[project.urls] Repository`), so the notebook "
                "cannot install it for you in Colab.")
        notebook.cells.insert(1, install)
    return notebook


def kernel_env(quick):
    """The kernel's environment: quick mode or not, no figure files, this tree's packages first."""
    env = {key: value for key, value in os.environ.items() if key not in ("MPLBACKEND", "MINIGRAD_PLOTS")}
    env["MINIGRAD_QUICK"] = "1" if quick else "0"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return env


async def _execute_all(notebooks, quick, parallel, timeout):
    from nbclient import NotebookClient

    gate = asyncio.Semaphore(parallel)
    env = kernel_env(quick)

    async def one(name, notebook):
        async with gate:
            start = time.perf_counter()
            client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                                    extra_arguments=["--IPKernelApp.log_level=ERROR"],   # no start-up chatter
                                    resources={"metadata": {"path": str(lessons.HERE)}})
            await client.async_execute(env=env)
            seconds = time.perf_counter() - start
            print(f"  ran {name} in {seconds:.0f} s", flush=True)
            return seconds

    return await asyncio.gather(*(one(name, nb) for name, nb in notebooks.items()))


def execute(notebooks, quick=False, parallel=2, timeout=600):
    """Run {name: notebook} in Jupyter kernels, `parallel` at a time, outputs stored in each;
    returns {name: seconds}. A cell that raises stops the build with the lesson's traceback."""
    seconds = asyncio.run(_execute_all(notebooks, quick, parallel, timeout))
    return dict(zip(notebooks, seconds))


# ---- the pages ----------------------------------------------------------------------------------

def _exporter():
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lesson", extra_template_basedirs=[str(TEMPLATES)])
    exporter.exclude_input_prompt = exporter.exclude_output_prompt = True
    return exporter


def _page(exporter, notebook, title, site, figures_dir=None):
    """HTML of `notebook`, and {file name: bytes} of its figures when figures_dir is given."""
    from nbconvert.preprocessors import ExtractOutputPreprocessor

    resources = {"metadata": {"name": title}, "site": site, "outputs": {}}
    notebook.metadata["title"] = title
    if figures_dir:
        resources["output_files_dir"] = figures_dir
        notebook, resources = ExtractOutputPreprocessor().preprocess(notebook, resources)
    html, resources = exporter.from_notebook_node(notebook, resources)
    return html, resources.get("outputs", {})


def _markdown_page(exporter, text, title, site):
    from nbformat.v4 import new_markdown_cell, new_notebook

    return _page(exporter, new_notebook(cells=[new_markdown_cell(text)]), title, site)[0]


def index_markdown(rows, quick):
    """The syllabus: a table of the lessons, what each teaches, how long it takes, its downloads."""
    lines = [
        "# minigrad: the lessons",
        "",
        "The notebooks of a lecture on loss-function design, each run from top to bottom with its figures under "
        "the cells that draw them. Every `claim(...)` prints **holds** or **FAILS** with the numbers "
        "behind it. Step through one yourself: download it as `.py` (JupyterLab opens it as a "
        "notebook with jupytext) or `.ipynb`.",
        "",
        "*Time* is an estimate for a student stepping through the lesson: its prose at 150 words a "
        "minute, its code at 15 lines a minute, and 5 minutes for each Try-it exercise. *Run* is "
        "how long the whole notebook took to execute for this site"
        + (" — in quick mode (small data, few steps), so figures and numbers are rougher than in "
           "a full run." if quick else "."),
        "",
        '<table class="syllabus">',
        "<tr><th>lesson</th><th>what it teaches</th><th>time</th><th>run</th><th>download</th></tr>",
    ]
    for row in rows:
        sections = "".join(f'<li><a href="{row["name"]}.html#{anchor}">{text}</a></li>' for text, anchor in row["sections"])
        lines.append(
            f'<tr><td><a href="{row["name"]}.html"><b>{row["title"]}</b></a></td>'
            f"<td><ul>{sections}</ul></td><td>≈ {row['minutes']} min</td><td>{row['seconds']:.0f} s</td>"
            f'<td><a href="downloads/{row["name"]}.py" download>.py</a> '
            f'<a href="downloads/{row["name"]}.ipynb" download>.ipynb</a></td></tr>')
    lines.append("</table>")
    return "\n".join(lines)


def copy_mathjax(static):
    """MathJax 2.7 as the jupyter-server-mathjax package ships it, into `static`/mathjax."""
    import jupyter_server_mathjax

    source = Path(jupyter_server_mathjax.__file__).parent / "static"
    shutil.copytree(source, static / "mathjax", dirs_exist_ok=True)


def build(out, quick=False, only=None, parallel=2):
    """Write the site into `out`; returns {name: seconds each lesson took to run}.
    only: lesson numbers to build (all by default; the index lists those built)."""
    out = Path(out)
    numbers = [lessons.name_of(n)[:2] for n in only] if only else list(lessons.available())
    names = [lessons.name_of(n) for n in numbers]
    documentation, _ = published_urls()
    for folder in ("answers", "downloads", "_static"):
        (out / folder).mkdir(parents=True, exist_ok=True)

    mode = " in quick mode" if quick else ""
    print(f"running {len(names)} lesson{'s' if len(names) > 1 else ''} as notebooks{mode}, {parallel} at a time")
    notebooks = {name: notebook_of(name) for name in names}
    seconds = execute(notebooks, quick=quick, parallel=parallel)

    import nbformat

    exporter = _exporter()
    rows = []
    for i, name in enumerate(names):
        site = {"root": "", "lesson": name, "quick": quick,
                "previous": names[i - 1] if i > 0 else None, "next": names[i + 1] if i + 1 < len(names) else None}
        html, figures = _page(exporter, notebooks[name], lessons.title_of(name), site, figures_dir=f"{name}_files")
        (out / f"{name}.html").write_text(html, encoding="utf-8")
        shutil.rmtree(out / f"{name}_files", ignore_errors=True)
        for filename, data in figures.items():
            (out / filename).parent.mkdir(parents=True, exist_ok=True)
            (out / filename).write_bytes(data)

        answers = (lessons.HERE / "answers" / f"{name}.md").read_text(encoding="utf-8")
        page = _markdown_page(exporter, answers, f"Answers — {lessons.title_of(name)}",
                              {"root": "../", "back": name, "quick": False})
        (out / "answers" / f"{name}.html").write_text(page, encoding="utf-8")

        shutil.copyfile(lessons.path_of(name), out / "downloads" / f"{name}.py")
        download = notebook_of(name, f"{documentation}/answers/{{name}}.html" if documentation
                               else "../answers/{name}.html", executable=True)
        nbformat.write(download, out / "downloads" / f"{name}.ipynb")

        source = lessons.path_of(name).read_text(encoding="utf-8")
        sections, anchors = sections_of(source), re.findall(r'<h2 id="([^"]*)"', html)
        if len(sections) != len(anchors):
            raise RuntimeError(f"{name}: {len(sections)} sections in the lesson, {len(anchors)} on its page")
        rows.append({"name": name, "title": lessons.title_of(name), "sections": list(zip(sections, anchors)),
                     "minutes": study_minutes(source), "seconds": seconds[name]})
        print(f"  wrote {name}.html, {len(figures)} figures", flush=True)

    index = _markdown_page(exporter, index_markdown(rows, quick), "minigrad: the lessons",
                           {"root": "", "quick": quick})
    (out / "index.html").write_text(index, encoding="utf-8")
    shutil.copyfile(TEMPLATES / "site.css", out / "_static" / "site.css")
    copy_mathjax(out / "_static")
    return seconds


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m lessons site",
                                     description="Build a website of the executed lessons (needs the `site` extra).")
    parser.add_argument("--out", required=True, help="the folder to write the site into")
    parser.add_argument("--quick", action="store_true", help="run the lessons in quick mode (small data, few steps)")
    parser.add_argument("--only", help="comma-separated lesson numbers to build (default: every lesson)")
    args = parser.parse_args(argv)
    try:
        only = [part for part in args.only.split(",") if part.strip()] if args.only else None
        for number in only or ():
            lessons.name_of(number)
    except ValueError as err:
        print(f"error: --only: {err}", file=sys.stderr)
        return 2
    try:
        import jupyter_server_mathjax  # noqa: F401
        import jupytext  # noqa: F401
        import nbclient  # noqa: F401
        import nbconvert  # noqa: F401
    except ImportError as err:
        print(f"error: {NEEDS} ({err.name} is missing)", file=sys.stderr)
        return 2
    from nbclient.exceptions import CellExecutionError

    start = time.perf_counter()
    try:
        build(args.out, quick=args.quick, only=only)
    except CellExecutionError as err:
        print(f"error: a lesson raised while it ran, so no site was finished:\n{err}", file=sys.stderr)
        return 1
    index = Path(args.out).resolve() / "index.html"
    print(f"site written in {time.perf_counter() - start:.0f} s: open {index.as_uri()}")
    return 0

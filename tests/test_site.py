"""The lessons as readers open them: the website, JupyterLab, the .ipynb notebooks.

Light (in every run):
- saving a lesson through jupytext's contents manager, as JupyterLab does after Run All (its
  kernelspec, outputs, cell metadata), leaves the file byte for byte as it was;
- the Try-it link of every lesson is found and pointed at the site; the notebooks' first cells;
- the syllabus' time estimate on a hand-counted lesson; the site command's argument errors.

Heavy (marked `site`, run with `python -m pytest -m site`, or .ci/heavy):
- `python -m lessons site --out DIR --quick` builds every page: each figure a PNG file under its
  cell, no traceback, no FAILS, every relative link and anchor resolving, no asset from the internet;
- Playwright driving Debian's chromium opens lesson pages from file:// with every request to the
  network refused, and finds each image loaded and each formula typeset by MathJax;
- `python -m lessons notebooks --executed --quick` saves the outputs in the notebooks;
- JupyterLab (the notebooks extra) on localhost, in chromium: a lesson opened with the Jupytext
  Notebook viewer runs, shows its figures and typeset formulas, and saves byte for byte unchanged.
"""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import lessons
from lessons import site

ROOT = Path(lessons.__file__).resolve().parent.parent
LESSONS = sorted(lessons.available().items())
IDS = [name for _, name in LESSONS]
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
LAB_KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


# ---- JupyterLab: saving a lesson leaves it as it was -------------------------------------------------

def save_as_jupyterlab_does(root_dir, path):
    """Open `path` through jupytext's contents manager and save it back the way JupyterLab does
    after Run All: Lab's kernelspec and language_info, outputs, execution counts, cell metadata."""
    from jupytext import TextFileContentsManager

    manager = TextFileContentsManager(root_dir=str(root_dir))
    model = manager.get(path, content=True, type="notebook")
    notebook = model["content"]
    notebook.metadata["kernelspec"] = dict(LAB_KERNELSPEC)
    notebook.metadata["language_info"] = {"name": "python", "version": "3.11.7", "file_extension": ".py",
                                          "mimetype": "text/x-python", "pygments_lexer": "ipython3",
                                          "codemirror_mode": {"name": "ipython", "version": 3}}
    for count, cell in enumerate(notebook.cells, 1):
        cell.metadata.update({"trusted": True, "collapsed": False, "scrolled": True, "tags": []})
        if cell.cell_type == "code":
            cell.execution_count = count
            cell.outputs = [{"output_type": "stream", "name": "stdout", "text": "[holds] …\n"}]
    manager.save({"type": "notebook", "format": "json", "content": notebook}, path)


@pytest.mark.parametrize("name", IDS)
@pytest.mark.parametrize("root", ["repository", "lessons folder"])
def test_saving_a_lesson_in_jupyterlab_leaves_it_byte_for_byte(name, root, tmp_path):
    pytest.importorskip("jupyter_server", reason="jupytext's contents manager needs jupyter_server (test extra)")
    # a copy of the lessons folder as the project ships it, opened from the root or from lessons/
    shutil.copytree(lessons.HERE, tmp_path / "lessons", ignore=shutil.ignore_patterns("__pycache__"))
    file = tmp_path / "lessons" / f"{name}.py"
    before = file.read_bytes()
    if root == "repository":
        save_as_jupyterlab_does(tmp_path, f"lessons/{name}.py")
    else:
        save_as_jupyterlab_does(tmp_path / "lessons", f"{name}.py")
    after = file.read_bytes()
    assert after == before, "saving rewrote the lesson:\n" + "\n".join(
        line for line in __import__("difflib").unified_diff(before.decode().splitlines(), after.decode().splitlines(),
                                                            lineterm="", n=0))


def test_gitignore_keeps_jupyterlab_checkpoints_out():
    paths = ["lessons/.ipynb_checkpoints/05_focal-checkpoint.py", "lessons/answers/.ipynb_checkpoints/05_focal-checkpoint.md"]
    result = subprocess.run(["git", "check-ignore", *paths], cwd=ROOT, capture_output=True, text=True)
    if result.returncode == 128:
        pytest.skip(f"not a git checkout: {result.stderr}")
    assert result.stdout.split() == paths


# ---- the notebooks' links and first cells ---------------------------------------------------------------

@pytest.mark.parametrize("number, name", LESSONS, ids=IDS)
def test_the_try_it_link_points_where_the_notebook_is_read(number, name):
    pytest.importorskip("jupytext")
    source = lessons.path_of(number).read_text(encoding="utf-8")
    assert len(site.ANSWERS_LINK.findall(source)) == 1, f"{name}: no single link to answers/{name}.md"
    notebook = site.notebook_of(number, "https://lessons.test/answers/{name}.html")
    text = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    assert f"](https://lessons.test/answers/{name}.html)" in text
    assert "answers/" + name + ".md" not in text


def test_a_notebook_that_leaves_the_repository_installs_the_project_or_says_it_cannot(monkeypatch):
    pytest.importorskip("jupytext")
    monkeypatch.setattr(site, "project_urls", lambda: {"Repository": "https://git.test/minigrad",
                                                       "Documentation": "https://docs.test/minigrad"})
    notebook = site.notebook_of("05", executable=True)
    assert notebook.cells[0].source.startswith("# 05 — Focal loss")          # the title stays first
    assert notebook.cells[1].cell_type == "code"
    assert '%pip install "minigrad @ git+https://git.test/minigrad"' in notebook.cells[1].source
    assert site.published_urls() == ("https://docs.test/minigrad", "https://git.test/minigrad")

    monkeypatch.setattr(site, "project_urls", lambda: {"Repository": "https://example.org/minigrad.git"})
    notebook = site.notebook_of("05", executable=True)
    assert notebook.cells[1].cell_type == "markdown" and "names no repository" in notebook.cells[1].source
    assert site.published_urls() == (None, None)


def test_project_urls_come_from_pyproject():
    urls = site.project_urls()
    assert {"Homepage", "Documentation", "Repository"} <= set(urls)


# ---- the syllabus and the command ---------------------------------------------------------------------

def test_study_minutes_counts_prose_code_and_try_its():
    # 300 words of prose (2 min), 30 lines of code (2 min), two Try-it exercises (10 min): 14 -> 15
    source = ("# %% [markdown]\n" + "# " + "word " * 300 + "\n"
              + "# %%\n" + "x = 1\n" * 30 + "# a comment is not a line of code\n\n"
              + "# %% [markdown]\n# ## Try it\n# 1. Try it 1: this\n# 2. Try it 2: that, and Try it 1 again\n")
    assert site.study_minutes(source) == 15
    assert site.sections_of(source) == ["Try it"]


def test_site_command_says_what_is_wrong(capsys, tmp_path):
    assert site.main(["--out", str(tmp_path), "--only", "42"]) == 2
    assert "no lesson '42'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        site.main([])                                       # --out is required


def test_site_command_names_the_extra_it_needs(capsys, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "nbconvert", None)          # as if the `site` extra were not installed
    assert site.main(["--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert 'pip install -e ".[site]"' in err and "is missing" in err, err


# ---- the website, built in quick mode (heavy) -------------------------------------------------------------

HTTP_ASSET = re.compile(r"""(?:\b(?:src|href)\s*=\s*["']?|url\(\s*["']?|@import\s+["'])https?://""", re.IGNORECASE)
LINK = re.compile(r"""<(a|img|link|script)\b[^>]*?\b(?:href|src)\s*=\s*(["'])(.*?)\2""", re.IGNORECASE)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run([sys.executable, "-m", "lessons", "site", "--out", str(out), "--quick"],
                            cwd=out, env=ENV, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return out


def figure_names(name):
    return re.findall(r'^show\(fig, "([^"]+)"\)', (lessons.HERE / f"{name}.py").read_text(), re.MULTILINE)


@pytest.mark.site
def test_the_site_has_an_index_and_a_page_an_answers_page_and_downloads_per_lesson(built):
    index = (built / "index.html").read_text(encoding="utf-8")
    for number, name in LESSONS:
        assert (built / f"{name}.html").exists() and name.startswith(number)
        assert f'href="{name}.html"' in index, f"the syllabus does not link {name}"
        assert lessons.title_of(number) in index
        assert (built / "answers" / f"{name}.html").exists()
        assert (built / "downloads" / f"{name}.py").read_bytes() == lessons.path_of(number).read_bytes()
        notebook = json.loads((built / "downloads" / f"{name}.ipynb").read_text(encoding="utf-8"))
        assert notebook["nbformat"] == 4 and len(notebook["cells"]) > 10
    assert len(re.findall(r"≈ \d+ min", index)) == len(LESSONS)
    assert (built / "_static" / "mathjax" / "MathJax.js").exists()


@pytest.mark.site
@pytest.mark.parametrize("name", IDS)
def test_a_lesson_page_shows_every_figure_under_its_cell_and_no_error(built, name):
    page = (built / f"{name}.html").read_text(encoding="utf-8")
    images = re.findall(r'<img [^>]*src="([^"]+)"', page)
    assert len(images) >= len(figure_names(name)) > 0, f"{name}: {len(images)} images for {figure_names(name)}"
    for src in images:
        file = built / src
        assert src.startswith(f"{name}_files/") and file.exists(), f"{name}: no figure file {src}"
        assert file.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{name}: {src} is not a PNG"
    assert "Traceback" not in page, f"{name}: a traceback on the page"
    assert 'data-mime-type="application/vnd.jupyter.stderr"' not in page, f"{name}: a cell wrote to stderr"
    assert "[FAILS]" not in page and "claims hold" in page
    assert f'href="answers/{name}.html"' in page, "the Try-it link does not lead to the answers page"
    # whatever cells the lesson has (its Write-it-yourself stubs too) are on the page: the last one's first line
    last_cell = lessons.path_of(name).read_text(encoding="utf-8").rstrip().split("# %%")[-1]
    first_line = next(line for line in last_cell.splitlines()[1:] if line.strip("# ").strip())
    words = re.findall(r"[A-Za-z]{4,}", first_line)[:3]
    assert all(word in page for word in words), f"{name}: the last cell ({first_line!r}) is not on the page"


@pytest.mark.site
def test_no_asset_comes_from_the_internet(built):
    found = []
    for path in built.rglob("*"):
        if path.suffix in (".html", ".css", ".js"):
            text = path.read_text(encoding="utf-8", errors="replace")
            found += [f"{path.relative_to(built)}: {text[m.start():m.start() + 80]!r}" for m in HTTP_ASSET.finditer(text)]
    assert not found, "assets from the internet:\n" + "\n".join(found[:20])


@pytest.mark.site
def test_every_relative_link_and_anchor_resolves(built):
    broken = []
    pages = list(built.glob("*.html")) + list((built / "answers").glob("*.html"))
    for page in pages:
        for tag, _, target in LINK.findall(page.read_text(encoding="utf-8")):
            if re.match(r"(?:https?:|data:|mailto:)", target):
                continue
            address, _, anchor = target.partition("#")
            file = (page.parent / address.split("?")[0]).resolve() if address else page
            if not file.exists():
                broken.append(f"{page.relative_to(built)}: <{tag}> {target}")
            elif anchor and file.suffix == ".html" and f'id="{anchor}"' not in file.read_text(encoding="utf-8"):
                broken.append(f"{page.relative_to(built)}: #{anchor} not in {file.name}")
    assert not broken, "\n".join(broken[:20])


# ---- in a browser (heavy) ------------------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]


def needs(module, extra):
    """Import `module` for a heavy test, or fail saying which extra brings it (.ci/heavy installs them all)."""
    try:
        return __import__("importlib").import_module(module)
    except ImportError:
        pytest.fail(f"the heavy tests need {module}: pip install -e '.[{extra}]' (or run .ci/heavy)")


@pytest.fixture(scope="module")
def browser():
    sync_api = needs("playwright.sync_api", "browser")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no {CHROMIUM}: apt-get install -y chromium (.ci/heavy does)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.mark.site
@pytest.mark.parametrize("name", ["02_regression", "05_focal", "index"])
def test_in_a_browser_with_no_network_images_load_and_formulas_are_typeset(built, browser, name):
    page = browser.new_page()
    refused = []

    def only_files(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", only_files)
    page.goto((built / f"{name}.html").as_uri(), wait_until="load")
    mathjax = page.evaluate("() => Boolean(window.MathJax && window.MathJax.Hub)")
    if mathjax:       # MathJax 2 typesets after load: wait until its queue has run everything queued so far
        page.evaluate("() => new Promise(done => MathJax.Hub.Queue(() => done(true)))")
    images = page.evaluate("() => [...document.images].map(i => [i.getAttribute('src'), i.complete, i.naturalWidth])")
    typeset = page.evaluate("() => document.querySelectorAll('.MathJax, .MathJax_Display, .MathJax_CHTML').length")
    errors = page.evaluate("() => document.querySelectorAll('.MathJax .merror, .MathJax_Error').length")
    prose = page.evaluate("() => [...document.querySelectorAll('.jp-MarkdownOutput, .jp-RenderedHTMLCommon')]"
                          ".map(e => e.innerText).join('\\n')")
    page.close()
    assert not refused, f"{name} asked the network for {refused}"
    assert mathjax, f"{name}: MathJax did not load"
    if name != "index":
        assert len(images) >= len(figure_names(name)) > 0
    assert all(complete and width > 0 for _, complete, width in images), [i for i in images if not i[2]]
    assert typeset > 5, f"{name}: {typeset} typeset formulas"
    assert errors == 0, f"{name}: {errors} formulas MathJax could not typeset"
    assert "$$" not in prose and not re.search(r"\$\\", prose), f"{name}: raw TeX left on the page"


# ---- the notebooks with their outputs (heavy) -----------------------------------------------------------------

@pytest.mark.site
def test_notebooks_executed_keep_their_outputs(tmp_path):
    result = subprocess.run([sys.executable, "-m", "lessons", "notebooks", "--executed", "--quick", "--out", str(tmp_path)],
                            cwd=tmp_path, env=ENV, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for name in IDS:
        notebook = json.loads((tmp_path / f"{name}.ipynb").read_text(encoding="utf-8"))
        outputs = [o for c in notebook["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
        pngs = [o for o in outputs if "image/png" in o.get("data", {})]
        assert len(pngs) >= len(figure_names(name)) > 0, name
        assert not [o for o in outputs if o["output_type"] == "error"], name


# ---- JupyterLab in a browser (heavy) ----------------------------------------------------------------------

def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.site
def test_jupyterlab_opens_a_lesson_as_a_notebook_runs_it_and_saves_it_unchanged(browser, tmp_path):
    """JupyterLab as the notebooks extra installs it, on localhost, in chromium: open 02_regression.py
    with the Jupytext Notebook viewer (what *Open With* does), Run All, save; every figure is shown,
    every formula typeset, and the file is byte for byte what it was."""
    import urllib.request

    needs("jupyterlab", "notebooks")
    shutil.copytree(lessons.HERE, tmp_path / "lessons", ignore=shutil.ignore_patterns("__pycache__"))
    lesson = tmp_path / "lessons" / "02_regression.py"
    before = lesson.read_bytes()
    port = free_port()
    log = open(tmp_path / "lab.log", "w")
    server = subprocess.Popen([sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", f"--port={port}",
                               "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=test", "--expose-app-in-browser",
                               f"--ServerApp.root_dir={tmp_path}", f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}"],
                              stdout=log, stderr=subprocess.STDOUT, env={**ENV, "MINIGRAD_QUICK": "1"})
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api", timeout=2)
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "lab.log").read_text()
                __import__("time").sleep(0.5)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"http://127.0.0.1:{port}/lab?token=test")
        page.wait_for_function("() => window.jupyterapp !== undefined", timeout=120_000)
        page.evaluate("""async () => {
            const app = window.jupyterapp;
            await app.started; await app.restored;
            const panel = await app.commands.execute('docmanager:open',
                {path: 'lessons/02_regression.py', factory: 'Jupytext Notebook'});
            await panel.context.ready; await panel.sessionContext.ready;
            window.lessonPanel = panel;
            await app.commands.execute('notebook:run-all-cells');
        }""")
        page.wait_for_function("() => [...document.querySelectorAll('.jp-OutputArea-output')]"
                               ".some(e => e.innerText.includes('claims hold'))", timeout=300_000)
        page.wait_for_timeout(1000)
        in_lesson = "window.lessonPanel.node.querySelectorAll"
        images = page.evaluate(f"() => [...{in_lesson}('.jp-OutputArea-output img')].map(i => i.naturalWidth)")
        formulas = page.evaluate(f"() => {in_lesson}('.jp-MarkdownOutput mjx-container').length")
        text = page.evaluate(f"() => [...{in_lesson}('.jp-OutputArea-output')].map(e => e.innerText).join('\\n')")
        results = page.evaluate(f"() => [...{in_lesson}('.jp-OutputArea-executeResult')].map(e => e.innerText)")
        page.evaluate("async () => { await window.lessonPanel.context.save(); }")
        page.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    assert len(images) == len(figure_names("02_regression")) and all(w > 0 for w in images), images
    assert formulas >= 20, f"{formulas} typeset formulas"
    assert "Traceback" not in text and "[FAILS]" not in text, text[-2000:]
    assert re.search(r"02_regression: (\d+) of \1 claims hold", text), text[-2000:]
    assert not [r for r in results if r.strip() == "True" or r.startswith("Lesson(")], "claim() or finish() showed a result"
    assert lesson.read_bytes() == before, "saving in JupyterLab rewrote the lesson"

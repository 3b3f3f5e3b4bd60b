"""The "Write it yourself" exercises: the grader passes what is right and names what is wrong.

- every reference solution passes, and so do correct solutions written differently
  (clip instead of minimum, where instead of masks, loops instead of vector code);
- every planted slip (the catalogue's, and more written here the way students write them)
  fails on the check it should, with its hint, and a failing line shows expected against got;
- the references themselves agree with mathematics: hand-worked values, brute-force loops;
- a stub is "not attempted yet", and grade never raises for a wrong or crashing solution;
- the stubs appended to the lessons run, and print "not attempted yet";
- the command line: exercises -> a filled file -> grade exits 0; a slip, a crash and a hang
  are reported (the hang stopped by --timeout) without stopping the other files; --json parses.
"""
import inspect
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import lessons
import minigrad as mg
from lessons.exercises import available, grade
from lessons.exercises.catalogue import EXERCISES
from lessons.exercises.cli import main as exercises_main
from lessons.exercises.cli import student_file
from losses.workbench.compare import agree, mismatch, observe

ROOT = Path(lessons.__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}


def _failed(report):
    return [line.key for line in report.lines if line.failed]


# ---- correct solutions written differently from the references -------------------------------

CORRECT = '''
import numpy as np

import minigrad as mg


def squared_error(pred, target):
    def backward(g, out):
        r = pred - target                       # tensors, so create_graph=True can differentiate it
        return 2 * g * r, -2 * g * r
    return mg.record((pred.data - target.data) * (pred.data - target.data), (pred, target), backward)


def mse(pred, target):
    r = pred - target
    return r * r


def huber(pred, target, delta=1.0):
    r = (target - pred).abs()
    q = mg.clip(r, None, delta)                 # clip instead of minimum
    return 0.5 * q ** 2 + delta * (r - q)


def binary_cross_entropy_with_logits(logits, target, pos_weight=None):
    z, y = logits, target
    if pos_weight is None:
        return mg.maximum(z, 0.0) - z * y + mg.log(1 + mg.exp(-z.abs()))
    log_weight = 1 + (pos_weight - 1) * y       # PyTorch's form: (1 - y)·z + l·softplus(-z)
    return (1 - y) * z + log_weight * (mg.log(1 + mg.exp(-z.abs())) + mg.maximum(-z, 0.0))


def cross_entropy(logits, target, weight=None, label_smoothing=0.0):
    n, c = logits.shape
    w = np.ones(c) if weight is None else weight
    # weighted smoothed targets: (1 - ε)·w_y on the true class, plus (ε/C)·w_i on every class i
    q = (1 - label_smoothing) * np.eye(c)[target] * w[target][:, None] + label_smoothing / c * w
    return (q.astype(logits.dtype) * (logits.logsumexp(axis=1, keepdims=True) - logits)).sum(axis=1)


def hinge(scores, target):
    return mg.clip(1 - target * scores, 0, None)


def focal(logits, target, alpha=0.25, gamma=2.0):
    y = target.data == 1
    z_t = mg.where(y, logits, -logits)          # where instead of arithmetic masks
    log_p_t = -mg.softplus(-z_t)
    loss = -(1 - mg.exp(log_p_t)) ** gamma * log_p_t
    if alpha is not None:
        loss = mg.where(y, alpha * loss, (1 - alpha) * loss)
    return loss


def contrastive(x1, x2, y, margin=1.0):
    sq = ((x1 - x2) ** 2).sum(axis=1)
    d = mg.sqrt(sq + 1e-12)                     # an epsilon instead of a guarded root
    return mg.where(y.data == 0, sq, mg.maximum(margin - d, 0.0) ** 2)


def triplet(anchor, positive, negative, margin=1.0, squared=False):
    d_ap = ((anchor - positive) ** 2).sum(axis=1)
    d_an = ((anchor - negative) ** 2).sum(axis=1)
    if not squared:
        d_ap, d_an = mg.sqrt(d_ap + 1e-12), mg.sqrt(d_an + 1e-12)
    return mg.maximum(d_ap - d_an + margin, 0.0)


def semi_hard_negatives(d_ap, d_an, is_negative):
    chosen = []                                 # a loop instead of masks
    for i in range(len(d_ap)):
        negatives = [j for j in range(d_an.shape[1]) if is_negative[i, j]]
        farther = [j for j in negatives if d_an[i, j] > d_ap[i]]
        if farther:
            chosen.append(min(farther, key=lambda j: d_an[i, j]))
        else:
            chosen.append(max(negatives, key=lambda j: d_an[i, j]))
    return np.array(chosen)


def soft_threshold(w, threshold):
    return w - mg.clip(w, -threshold, threshold)


def curriculum_weights(difficulty, progress):
    d, t = difficulty, progress
    return 1 - t - d + 2 * t * d


def label_smoothing(target, num_classes, epsilon=0.1):
    q = np.full((len(target), num_classes), epsilon / num_classes)
    q[np.arange(len(target)), target] += 1 - epsilon
    return mg.Tensor(q)
'''
CORRECT_SOLUTIONS = {}
exec(CORRECT, CORRECT_SOLUTIONS)     # noqa: S102 - the same text is written to a file for the CLI test


def test_available_lists_one_exercise_per_lesson_at_least_and_the_api_names():
    found = available()
    assert len(found) >= 12
    assert {lesson for lesson, _ in found.values()} == set(lessons.available())
    for name in ("mse", "huber", "binary_cross_entropy_with_logits", "cross_entropy", "hinge", "focal",
                 "contrastive", "triplet"):
        assert name in found
    assert all(isinstance(description, str) and description for _, description in found.values())


@pytest.mark.parametrize("name", list(EXERCISES))
def test_every_reference_passes(name):
    report = grade(name, EXERCISES[name].reference, verbose=False)
    assert report.passed, report.report()
    assert {line.status for line in report.lines} <= {"pass", "skip"}


@pytest.mark.parametrize("name", list(EXERCISES))
def test_a_correct_solution_written_differently_passes(name):
    report = grade(name, CORRECT_SOLUTIONS[name], verbose=False)
    assert report.passed, report.report()


SLIPS = [(name, slip) for name, ex in EXERCISES.items() for slip in ex.slips]


def test_every_exercise_has_three_slips_at_least():
    for name, ex in EXERCISES.items():
        assert len(ex.slips) >= 3, name


@pytest.mark.parametrize("name, slip", SLIPS, ids=[f"{n}-{s.name}" for n, s in SLIPS])
def test_every_planted_slip_fails_with_its_hint(name, slip):
    report = grade(name, slip.fn, verbose=False)
    assert not report.passed
    assert slip.check in _failed(report), report.report()
    assert f"hint: {slip.hint}" in report[slip.check].detail, report.report()


# ---- slips written the way students write them, not the catalogue's code ------------------------

def _naive_bce(logits, target, pos_weight=None):
    p = 1 / (1 + mg.exp(-logits))
    w = 1.0 if pos_weight is None else pos_weight
    return -(w * target * mg.log(p) + (1 - target) * mg.log(1 - p))


def _huber_without_half(pred, target, delta=1.0):
    r = target - pred
    return mg.where(r.abs() <= delta, r * r, delta * r.abs() - 0.5 * delta * delta)


def _huber_numpy(pred, target, delta=1.0):
    r = np.abs(target.data - pred.data)
    return mg.Tensor(np.where(r <= delta, 0.5 * r ** 2, delta * r - 0.5 * delta ** 2))


def _mse_summed(pred, target):
    return ((pred - target) ** 2).sum()


def _focal_same_alpha(logits, target, alpha=0.25, gamma=2.0):
    z_t = mg.where(target.data == 1, logits, -logits)
    loss = mg.exp(-gamma * mg.softplus(z_t)) * mg.softplus(-z_t)
    return loss if alpha is None else alpha * loss


def _triplet_rows_summed(anchor, positive, negative, margin=1.0, squared=False):
    d_ap = mg.sqrt(((anchor - positive) ** 2).sum(axis=0) + 1e-12)
    d_an = mg.sqrt(((anchor - negative) ** 2).sum(axis=0) + 1e-12)
    return mg.relu(d_ap - d_an + margin)


def _batch_hard_mining(d_ap, d_an, is_negative):
    return np.array([min(np.flatnonzero(row_negative), key=lambda j, row=row: row[j])
                     for row, row_negative in zip(d_an, is_negative)])


def _backward_without_two(pred, target):
    def backward(g, out):
        return g * (pred - target), g * (target - pred)
    return mg.record((pred.data - target.data) ** 2, (pred, target), backward)


def _ce_with_exp(logits, target, weight=None, label_smoothing=0.0):
    c = logits.shape[1]
    w = np.ones(c) if weight is None else weight
    log_p = mg.log(mg.exp(logits) / mg.exp(logits).sum(axis=1, keepdims=True))
    picked = -log_p[np.arange(len(target)), target] * w[target]
    return (1 - label_smoothing) * picked - label_smoothing / c * (log_p * w).sum(axis=1)


STUDENT_SLIPS = [
    ("binary_cross_entropy_with_logits", _naive_bce, "edges", "log(sigmoid(z)) overflows"),
    ("huber", _huber_without_half, "values", "the ½ is missing"),
    ("huber", _huber_numpy, "gradient", "carries no gradient"),
    ("mse", _mse_summed, "returns", "a sum or mean where one value per element was due"),
    ("focal", _focal_same_alpha, "values", "α forgotten for the negatives"),
    ("triplet", _triplet_rows_summed, "returns", "a sum over the samples instead of the features"),
    ("semi_hard_negatives", _batch_hard_mining, "values", "the wrong mining rule"),
    ("squared_error", _backward_without_two, "gradient", "the factor 2 from the power rule is missing"),
    ("cross_entropy", _ce_with_exp, "edges", "exp(z) overflows"),
]


@pytest.mark.parametrize("name, solution, check, hint", STUDENT_SLIPS, ids=[s[1].__name__ for s in STUDENT_SLIPS])
def test_a_slip_written_another_way_gets_the_same_hint(name, solution, check, hint):
    report = grade(name, solution, verbose=False)
    assert check in _failed(report), report.report()
    assert hint in report[check].detail, report.report()


def test_a_failing_line_shows_the_smallest_input_with_expected_against_got(capsys):
    slip = next(s for s in EXERCISES["huber"].slips if s.name == "delta misplaced")
    report = grade("huber", slip.fn)
    printed = capsys.readouterr().out
    # the hand-worked case r = 3, δ = 2: δ|r| − ½δ² = 6 − 2 = 4; the slip's δ|r| − ½δ = 6 − 1 = 5
    assert "at pred = 0.0, target = 3.0, delta = 2.0 you give 5.0, expected 4.0" in printed
    assert "[FAIL] values" in printed and "[skip] curvature" in printed
    assert printed.rstrip().endswith("— not yet") and not report.passed


def test_a_detached_solution_is_told_why_its_gradient_is_missing():
    report = grade("mse", lambda pred, target: mg.Tensor((pred.data - target.data) ** 2), verbose=False)
    assert report["values"].status == "pass"
    assert "requires_grad=False" in report["gradient"].detail
    assert "computed with numpy" in report["gradient"].detail


def test_a_result_cut_off_from_the_inputs_is_told_so():
    def fresh_leaf(pred, target):
        return mg.Tensor((pred.data - target.data) ** 2, requires_grad=True)
    report = grade("mse", fresh_leaf, verbose=False)
    assert _failed(report) == ["gradient"] and "not connected to the inputs" in report["gradient"].detail


def test_a_numpy_array_is_not_a_tensor():
    report = grade("hinge", lambda s, y: np.maximum(0, 1 - y.data * s.data), verbose=False)
    assert _failed(report) == ["returns"]
    assert "not a minigrad Tensor" in report["returns"].detail


# ---- the references agree with mathematics ---------------------------------------------------

def test_semi_hard_reference_matches_a_loop_over_every_negative():
    ex, rng = EXERCISES["semi_hard_negatives"], np.random.default_rng(4)
    for shape in [(5, 6), (9, 4), (1, 3)]:
        d_ap, d_an, is_negative = ex.sample(rng, shape, np.float64)
        chosen = ex.reference(d_ap, d_an, is_negative)
        for i in range(shape[0]):
            farther = [(d_an[i, j], j) for j in range(shape[1]) if is_negative[i, j] and d_an[i, j] > d_ap[i]]
            if farther:
                assert d_an[i, chosen[i]] == min(farther)[0] and is_negative[i, chosen[i]]
            else:
                assert d_an[i, chosen[i]] == max(d_an[i, j] for j in range(shape[1]) if is_negative[i, j])


def test_soft_threshold_reference_is_the_minimiser_found_on_a_grid():
    grid = np.linspace(-3, 3, 60001)
    w = np.array([-2.0, -0.4, -0.3, 0.0, 0.1, 0.3, 1.7])
    out = EXERCISES["soft_threshold"].reference(mg.Tensor(w), 0.3).data
    for wi, oi in zip(w, out):
        objective = 0.5 * (grid - wi) ** 2 + 0.3 * np.abs(grid)
        assert abs(grid[np.argmin(objective)] - oi) < 2e-4


def test_small_references_by_hand():
    # squared error: (3 - 1)² = 4, gradients ±g·2·2
    x, y = mg.Tensor([3.0], requires_grad=True), mg.Tensor([1.0], requires_grad=True)
    EXERCISES["squared_error"].reference(x, y).backward(np.array([0.5]))
    assert x.grad[0] == 2.0 and y.grad[0] == -2.0
    # curriculum at t = 0.25: 0.75·(1 - d) + 0.25·d = 0.75 - 0.5·d
    w = EXERCISES["curriculum_weights"].reference(mg.Tensor([0.0, 0.5, 1.0]), 0.25).data
    assert np.allclose(w, [0.75, 0.5, 0.25])
    # label smoothing, ε = 0.2 over 4 classes: 0.05 everywhere, 0.8 + 0.05 on the true class
    q = EXERCISES["label_smoothing"].reference(np.array([1]), 4, 0.2).data
    assert np.allclose(q, [[0.05, 0.85, 0.05, 0.05]])


def test_mismatch_treats_nan_and_inf():
    assert mismatch(np.array([1.0, np.nan]), np.array([1.0, np.nan])) is None
    assert mismatch(np.array([np.inf, 2.0]), np.array([np.inf, 2.0])) is None
    assert mismatch(np.array([1.0, np.nan]), np.array([1.0, 5.0])).index == (1,)
    assert not mismatch(np.array([1.0]), np.array([1.0, 2.0])).same_shape
    assert agree(np.array([3]), np.array([3])) and not agree(np.array([3]), np.array([4]))
    seen = observe(lambda x: x.log(), [np.array([0.0])], wrt=(0,))
    assert seen.ok and seen.warnings and "divide by zero" in seen.warnings[0]


# ---- stubs and crashes --------------------------------------------------------------------------

def _stub(*args, **kwargs):
    raise NotImplementedError("write it here")


@pytest.mark.parametrize("solution", [None, _stub, lambda *args, **kwargs: None], ids=["None", "raises", "returns None"])
def test_a_stub_is_not_attempted_yet(solution, capsys):
    report = grade("focal", solution)
    assert "focal: not attempted yet" in capsys.readouterr().out
    assert not report.passed and not report.attempted


def _crashes_in_backward(pred, target):
    def backward(g, out):
        raise ZeroDivisionError("oops")
    return mg.record((pred.data - target.data) ** 2, (pred, target), backward)


@pytest.mark.parametrize("solution", [
    lambda pred, target: 1 / 0,
    lambda pred, target: "a string",
    lambda pred, target: pred[0],
    _crashes_in_backward,
    lambda pred, target: sys.exit(1),
], ids=["raises", "string", "wrong shape", "backward raises", "exits"])
def test_grade_never_raises_for_a_wrong_or_crashing_solution(solution):
    report = grade("squared_error", solution, verbose=False)
    assert not report.passed and report.attempted and report.failures


def test_grade_rejects_an_unknown_exercise():
    with pytest.raises(ValueError, match="no exercise 'hubber'"):
        grade("hubber", None)


def test_neither_a_report_nor_the_student_version_shows_a_reference():
    for name, ex in EXERCISES.items():
        body = inspect.getsource(ex.reference).split('"""')[-1] if '"""' in inspect.getsource(ex.reference) \
            else inspect.getsource(ex.reference).split(":", 1)[1]
        code = [line.strip() for line in body.splitlines() if len(line.strip()) > 20 and not line.strip().startswith("#")]
        shown = student_file(ex.lesson) + "".join(grade(name, s.fn, verbose=False).report() for s in ex.slips[:2])
        for line in code:
            assert line not in shown, (name, line)


# ---- the lessons: the appended part runs, and says "not attempted yet" ------------------------

@pytest.mark.parametrize("number", list(lessons.available()))
def test_the_write_it_yourself_part_of_each_lesson_runs_with_its_stubs(number, capsys):
    source = lessons.path_of(number).read_text(encoding="utf-8")
    part = source[source.index("# ## Write it yourself"):]
    names = [ex.name for ex in EXERCISES.values() if ex.lesson == number]
    namespace = {}
    for _, code in lessons.cells(part):
        exec(compile(code, str(lessons.path_of(number)), "exec"), namespace)   # noqa: S102
    printed = capsys.readouterr().out
    assert printed.count("not attempted yet") >= len(names) and "Traceback" not in printed
    for name in names:
        assert namespace["report"] is not None and callable(namespace[name])
        assert not grade(name, namespace[name], verbose=False).attempted


def test_a_lesson_runs_top_to_bottom_with_the_stubs(capsys):
    lesson = lessons.run("04", quick=True)
    assert lesson.passed
    assert "hinge: not attempted yet" in capsys.readouterr().out


# ---- the command line ---------------------------------------------------------------------------

def _lessons(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "lessons", *args], capture_output=True, text=True,
                          env=ENV, timeout=timeout, check=False)


def test_the_command_line_round_trip(tmp_path, capsys):
    assert exercises_main(["exercises", "--out", str(tmp_path / "student")]) == 0
    written = sorted(p.name for p in (tmp_path / "student").glob("*.py"))
    assert written == sorted(f"{name}.py" for name in lessons.available().values())
    stub = (tmp_path / "student" / "02_regression.py").read_text()
    assert "def huber(pred, target, delta=1.0):" in stub and "raise NotImplementedError" in stub

    # the student fills lesson 02's stubs in: the file grades clean, exit status 0
    filled = tmp_path / "filled.py"
    filled.write_text(CORRECT)
    done = _lessons("grade", str(filled))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "huber: all" in done.stdout and "13 of 13 exercises pass" in done.stdout


def test_grade_reports_a_slip_a_crash_and_a_hang_and_grades_the_other_files(tmp_path):
    slip = tmp_path / "slip.py"
    slip.write_text("import minigrad as mg\n\n\ndef hinge(scores, target):\n    return mg.relu(-target * scores)\n")
    crash = tmp_path / "crash.py"
    crash.write_text("import os\nos._exit(3)\n")
    hang = tmp_path / "hang.py"
    hang.write_text("def mse(pred, target):\n    while True:\n        pass\n")
    good = tmp_path / "good.py"
    good.write_text("import minigrad as mg\n\n\ndef hinge(scores, target):\n    return mg.relu(1 - target * scores)\n")
    done = _lessons("grade", str(slip), str(crash), str(hang), str(good), "--timeout", "6", "--json")
    assert done.returncode == 1
    outcome = json.loads(done.stdout)
    by_file = {Path(f["file"]).name: f for f in outcome["files"]}
    assert by_file["slip.py"]["status"] == "graded" and not by_file["slip.py"]["passed"]
    assert "the margin is the 1" in by_file["slip.py"]["exercises"][0]["report"]
    assert by_file["crash.py"]["status"] == "crashed" and "exit status 3" in by_file["crash.py"]["message"]
    assert by_file["hang.py"]["status"] == "timeout" and "stopped after 6 s" in by_file["hang.py"]["message"]
    assert by_file["good.py"]["passed"] and not outcome["passed"]


def test_grade_without_json_prints_each_report_and_a_summary(tmp_path):
    stubs = tmp_path / "stubs"
    assert exercises_main(["exercises", "--out", str(stubs)]) == 0
    done = _lessons("grade", str(stubs / "04_hinge.py"), str(tmp_path / "missing.py"))
    assert done.returncode == 1
    assert "hinge: not attempted yet" in done.stdout
    assert "no such file" in done.stdout and "2 files (1 missing): 0 of 1 exercises pass — not yet" in done.stdout


def test_student_version_runs_as_a_script(tmp_path):
    assert exercises_main(["exercises", "--out", str(tmp_path)]) == 0
    done = subprocess.run([sys.executable, str(tmp_path / "10_conventions.py")], capture_output=True, text=True,
                          env=ENV, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "label_smoothing: not attempted yet" in done.stdout
    assert textwrap.dedent(EXERCISES["label_smoothing"].formula.splitlines()[0]) in (tmp_path / "10_conventions.py").read_text()

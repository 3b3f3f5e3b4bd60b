"""Cross-entropy: the loss for classification, and why it is computed from logits.

Binary cross-entropy charges almost nothing for a confident right answer and without
limit for a confident wrong one. Computed from a logit z (p = σ(z)), its gradient is
simply p − y: the error itself, never vanishing while the answer is wrong. Softmax
cross-entropy does the same for several classes; here a linear classifier learns
three blobs and the decision regions are shown as training goes. Last, the reason
libraries take logits: computing log σ(z) naively breaks down to −inf for a large
negative z, while the form written with the logit stays exact.

Run it with `python -m lessons 03` (or `python -m lessons.03_cross_entropy`). To step
through it, open this file in VS Code or Jupyter: each `# %%` cell defines one part,
and the last cell runs main().
"""
import matplotlib.pyplot as plt
import numpy as np

import losses
import minigrad as mg
from lessons._common import Report, blobs, decision_regions, fit

FIGURES = ["bce_vs_p", "gradient_is_p_minus_y", "softmax_regions", "why_logits"]


def sigmoid(z):
    """σ(z) in numpy without overflow, for the closed-form overlay: σ(z) = (1 + tanh(z/2)) / 2."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))


# %% Part 1 — binary cross-entropy against the predicted probability.
# For y = 1 the loss is −log p: nearly 0 at p = 0.99, 4.6 at p = 0.01, and it keeps
# climbing as p → 0. Compare the dotted squared error (p − y)²: it never charges more
# than 1, however confident and wrong the prediction is.
def part_bce_vs_p(report, quick):
    p = np.linspace(0.001, 0.999, 500 if quick else 999)
    fig, ax = plt.subplots(figsize=(8, 4.8))
    bce = {}
    for y, color in [(1.0, "C0"), (0.0, "C3")]:
        target = np.full_like(p, y)
        bce[y] = losses.binary_cross_entropy(p, target, reduction="none").data
        squared = losses.mse(p, target, reduction="none").data
        ax.plot(p, bce[y], color=color, lw=2, label=f"cross-entropy, y = {y:g}")
        ax.plot(p, squared, color=color, lw=1.5, ls=":", label=f"squared error (p − y)², y = {y:g}")
    # confident and wrong: y = 1 but p = 0.01
    wrong = losses.binary_cross_entropy([0.01], [1.0]).item()
    right = losses.binary_cross_entropy([0.99], [1.0]).item()
    ax.annotate(f"y = 1, p = 0.01:\nloss {wrong:.2f}", xy=(0.01, wrong), xytext=(0.12, 5.6),
                arrowprops=dict(arrowstyle="->"))
    ax.annotate(f"y = 1, p = 0.99: loss {right:.3f}", xy=(0.99, right), xytext=(0.45, 1.6),
                arrowprops=dict(arrowstyle="->"))
    ax.set_xlabel("predicted probability p of class 1")
    ax.set_ylabel("loss")
    ax.set_ylim(-0.1, 7.2)
    ax.set_title("Cross-entropy punishes a confident wrong answer without limit; squared error stops at 1")
    ax.legend(loc="upper center")
    fig.tight_layout()
    report.save(fig, "bce_vs_p")

    # closed forms: -log p for y = 1, -log(1 - p) for y = 0
    worst = max(np.max(np.abs(bce[1.0] + np.log(p))), np.max(np.abs(bce[0.0] + np.log1p(-p))))
    report.check("BCE is −log p for y = 1 and −log(1 − p) for y = 0", worst < 1e-12,
                 f"largest difference {worst:.1e}")
    # -log 0.01 = 4.605, -log 0.99 = 0.01005: a ratio of about 458
    report.check("a confident wrong answer (p = 0.01, y = 1) costs over 400 times a confident right one",
                 wrong / right > 400, f"{wrong:.3f} vs {right:.5f}, ratio {wrong / right:.0f}")
    squared = losses.mse([0.01], [1.0]).item()
    report.check("squared error charges that same wrong answer less than 1", squared < 1,
                 f"(1 − 0.01)² = {squared:.4f}")


# %% Part 2 — the gradient with respect to the logit is p − y.
# Left: the loss as a function of the logit z. Right: its gradient from backward, with
# p − y dashed on top — they coincide. The dotted line is squared error put on p = σ(z):
# for a confident wrong answer (z = −6 with y = 1) its gradient has all but vanished,
# while cross-entropy still pushes with almost full strength.
def part_gradient(report, quick):
    z_grid = np.linspace(-6, 6, 240 if quick else 481)
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4.5))
    worst_closed = worst_numeric = 0.0
    h = 1e-5
    for y, color in [(1.0, "C0"), (0.0, "C3")]:
        target = np.full_like(z_grid, y)
        z = mg.Tensor(z_grid, requires_grad=True)
        loss = losses.binary_cross_entropy_with_logits(z, target, reduction="none")
        loss.sum().backward()          # each entry depends on its own z only
        with mg.no_grad():             # central differences, for a check independent of backward
            up = losses.binary_cross_entropy_with_logits(z_grid + h, target, reduction="none").data
            down = losses.binary_cross_entropy_with_logits(z_grid - h, target, reduction="none").data
        numeric = (up - down) / (2 * h)
        closed = sigmoid(z_grid) - y
        worst_closed = max(worst_closed, np.max(np.abs(z.grad - closed)))
        worst_numeric = max(worst_numeric, np.max(np.abs(z.grad - numeric)))

        squared_z = mg.Tensor(z_grid, requires_grad=True)
        losses.mse(mg.sigmoid(squared_z), target, reduction="none").sum().backward()

        left.plot(z_grid, loss.data, color=color, lw=2, label=f"cross-entropy, y = {y:g}")
        right.plot(z_grid, z.grad, color=color, lw=2, label=f"dL/dz from backward, y = {y:g}")
        right.plot(z_grid, closed, color="black", lw=1, ls="--")
        right.plot(z_grid, squared_z.grad, color=color, lw=1.5, ls=":",
                   label=f"squared error on σ(z), y = {y:g}")
    right.plot([], [], color="black", lw=1, ls="--", label="p − y (closed form)")
    left.set_xlabel("logit z  (p = σ(z))")
    left.set_ylabel("loss")
    left.set_title("Cross-entropy from the logit: linear on the wrong side")
    left.legend()
    right.set_xlabel("logit z  (p = σ(z))")
    right.set_ylabel("gradient dL/dz")
    right.set_title("The gradient is p − y: it stays large while the answer is wrong")
    right.legend(fontsize=8)
    fig.tight_layout()
    report.save(fig, "gradient_is_p_minus_y")

    report.check("the gradient from backward is p − y", worst_closed < 1e-12,
                 f"largest difference {worst_closed:.1e}")
    report.check("the gradient from backward matches central finite differences", worst_numeric < 1e-8,
                 f"largest difference {worst_numeric:.1e}")
    # at z = -6, y = 1:  p - y = σ(-6) - 1 = -0.9975;  squared error on p: 2(p - 1)·p(1 - p) = -0.0049
    z = mg.Tensor([-6.0], requires_grad=True)
    losses.binary_cross_entropy_with_logits(z, [1.0]).backward()
    zs = mg.Tensor([-6.0], requires_grad=True)
    losses.mse(mg.sigmoid(zs), [1.0]).backward()
    report.check("confident and wrong (z = −6, y = 1): cross-entropy still pushes, "
                 "squared error on σ(z) barely does",
                 abs(z.grad[0]) > 100 * abs(zs.grad[0]),
                 f"dL/dz = {z.grad[0]:.4f} vs {zs.grad[0]:.4f}")


# %% Part 3 — softmax cross-entropy on three blobs.
# A linear model gives three scores (logits) per point; softmax turns them into
# probabilities and cross-entropy charges −log of the true class's probability.
# Watch the regions: at step 0 the random model puts most of the plane in one or two
# classes; the boundaries then swing round until each blob has its own wedge.
def part_softmax(report, quick):
    X, y = blobs(n_per_class=40 if quick else 60, seed=0)
    model = mg.nn.Linear(2, 3, rng=3)
    steps = 120 if quick else 200
    snapshots = [0, 5, 20, steps]
    Xt = mg.Tensor(X)

    def predict(points):
        with mg.no_grad():
            return np.argmax(model(mg.Tensor(points)).data, axis=1)

    def evaluate():
        with mg.no_grad():
            loss = losses.cross_entropy(model(Xt), y).item()
        return loss, np.mean(predict(X) == y)

    fig, axes = plt.subplots(2, 2, figsize=(10, 8.5), sharex=True, sharey=True)
    axes = axes.ravel()
    opt = mg.optim.Adam(model.parameters(), lr=0.05)
    done, history = 0, []
    for ax, step in zip(axes, snapshots):
        if step > done:
            history.extend(fit(model.parameters(), lambda: losses.cross_entropy(model(Xt), y),
                               step - done, optimizer=opt))
            done = step
        loss, accuracy = evaluate()
        decision_regions(ax, predict, X, y, title=f"step {step}: loss {loss:.3f}, accuracy {accuracy:.0%}")
        if step == 0:
            first_loss, first_accuracy = loss, accuracy
    for ax in axes[[1, 3]]:
        ax.set_ylabel("")
    for ax in axes[:2]:
        ax.set_xlabel("")
    fig.suptitle("Softmax cross-entropy on three blobs:\n"
                 "the linear boundaries turn until each class has its own region")
    fig.tight_layout()
    report.save(fig, "softmax_regions")

    # cross-entropy by a plain loop: -log softmax(scores)[true class], averaged
    with mg.no_grad():
        scores = model(Xt).data
    by_loop = np.mean([np.log(np.sum(np.exp(s - s.max()))) + s.max() - s[label]
                       for s, label in zip(scores, y)])
    report.check("cross_entropy equals −log(softmax probability of the true class), averaged by a loop",
                 abs(by_loop - loss) < 1e-12, f"{loss:.6f} vs {by_loop:.6f}")
    report.check("training lowers the loss to under a quarter of its start",
                 loss < first_loss / 4, f"{first_loss:.3f} → {loss:.3f}")
    report.check("the trained linear classifier gets at least 95% of the points right",
                 accuracy >= 0.95, f"accuracy {first_accuracy:.0%} → {accuracy:.1%}")


# %% Part 4 — why losses take logits.
# The naive route first computes p = σ(z) = 1 / (1 + e^−z) and then log p. For z = −1000
# the e^1000 overflows to inf, p rounds to exactly 0 and log p is −inf: one such sample
# makes the whole loss infinite and its gradient nan. In float32, the type GPUs train
# in, this happens already below z ≈ −88. Written with the logit,
# log σ(z) = −softplus(−z), it stays exact for every z.
def naive_log_sigmoid(z, dtype=np.float64):
    """log(1 / (1 + e^-z)) computed as written, in numpy. Overflows are expected here
    (that is the point), so they are silenced instead of warned about."""
    z = np.asarray(z, dtype=dtype)
    with np.errstate(over="ignore", divide="ignore"):
        return np.log(dtype(1) / (dtype(1) + np.exp(-z)))


def stable_log_sigmoid(z, dtype=np.float64):
    """log σ(z) = −(cross-entropy from the logit z with y = 1)."""
    z = mg.Tensor(np.asarray(z, dtype=dtype))
    with mg.no_grad():
        return -losses.binary_cross_entropy_with_logits(z, np.ones(z.shape, dtype=dtype),
                                                        reduction="none").data


def part_why_logits(report, quick):
    z = np.linspace(-1000, 0, 1001 if quick else 2001)
    fig, ax = plt.subplots(figsize=(9, 5))
    ax.plot(z, stable_log_sigmoid(z), color="C2", lw=5, alpha=0.5,
            label="from the logit: −softplus(−z)")
    breaks = {}
    for dtype, color, name in [(np.float64, "C0", "float64"), (np.float32, "C3", "float32")]:
        naive = naive_log_sigmoid(z, dtype)
        finite = np.isfinite(naive)
        breaks[name] = z[~finite].max()
        ax.plot(z[finite], naive[finite], color=color, lw=1.5, label=f"naive log(σ(z)), {name}")
        ax.axvline(breaks[name], color=color, ls=":", lw=1.5)
        ax.annotate(f"{name}: −inf for z ≤ −{-breaks[name]:.0f}", xy=(breaks[name], -500),
                    xytext=(breaks[name] - 330, -300 if name == "float64" else -150),
                    color=color, arrowprops=dict(arrowstyle="->", color=color))
    ax.set_xlabel("logit z")
    ax.set_ylabel("log σ(z)")
    ax.set_title("Naive log(σ(z)) falls off to −inf (curves end); the logit form stays exact")
    ax.legend(loc="lower right")
    fig.tight_layout()
    report.save(fig, "why_logits")

    naive, stable = naive_log_sigmoid(-1000.0), stable_log_sigmoid(-1000.0)
    print(f"  log σ(−1000): naive {naive}, from the logit {stable}")
    # log σ(z) = z − log(1 + e^z); e^−1000 is far below the spacing of floats near −1000,
    # so the exact answer rounds to −1000.0
    report.check("at z = −1000 the naive log(σ(z)) is −inf, the logit form gives −1000",
                 naive == -np.inf and stable == -1000.0, f"naive {naive}, stable {stable}")
    naive32, stable32 = naive_log_sigmoid(-100.0, np.float32), stable_log_sigmoid(-100.0, np.float32)
    report.check("in float32 the naive form breaks already at z = −100; the logit form gives −100",
                 naive32 == -np.inf and stable32 == -100.0, f"naive {naive32}, stable {stable32}")
    z_far = mg.Tensor([-1000.0], requires_grad=True)
    loss = losses.binary_cross_entropy_with_logits(z_far, [1.0])
    loss.backward()
    report.check("cross-entropy from the logit at z = −1000, y = 1: loss 1000 and gradient p − y = −1",
                 loss.item() == 1000.0 and z_far.grad[0] == -1.0,
                 f"loss {loss.item()}, gradient {z_far.grad[0]}")


# %% Run every part.
def main(quick=False):
    report = Report("03_cross_entropy")
    part_bce_vs_p(report, quick)
    part_gradient(report, quick)
    part_softmax(report, quick)
    part_why_logits(report, quick)
    return report


# %% Try it
# 1. In part 1, what does BCE charge for y = 1 at p = 1e-6? Predict it from −log p first.
# 2. In part 2, try soft targets (y = 0.8). Where is the gradient zero now, and is the loss
#    at that point zero?
# 3. In part 3, put the third blob between the others: blobs(centers=((-2, 0), (2, 0), (0, 0))).
#    Can a linear model still give the middle class a region? Then swap the model for
#    mlp([2, 16, 3]) from lessons._common and compare the final accuracy.
# 4. In part 4, find the z where naive log(1 − σ(z)) (the y = 0 term) breaks in float64.
#    It is far closer to 0 than −709: why? (Hint: 1 − σ(z) rounds to 0 once σ(z) rounds to 1.)

if __name__ == "__main__":
    main()

"""Custom losses: weighted combinations, a curriculum, reconstruction, perceptual and adversarial losses.

The lecture's last part says that a custom loss is designed, not found: match it to the
task, keep it differentiable, watch its gradient, balance the objectives. Every loss
here is a few lines on top of the library (`losses/custom.py`), and minigrad
differentiates the result. Six parts: one model trained on two tasks with a weighted
sum whose weight moves it along a trade-off; a curriculum that moves the weight from easy
to hard samples; a tiny autoencoder trained on its reconstruction loss; a perceptual
loss that compares signals through a fixed feature map; a tiny GAN whose generator
learns a 1-D mixture of two Gaussians from a discriminator's verdicts; and log-cosh,
added to the library the way you would add your own, drawn with the same figures as
every other loss.

Run it with `python -m lessons 09` (or `python -m lessons.09_custom`). To step through
it, open this file in VS Code or Jupyter: each `# %%` cell defines one part, and the
last cell runs main().
"""
import matplotlib.pyplot as plt
import numpy as np

import losses
import minigrad as mg
from lessons import explore
from lessons._common import Report, derivatives, fit, mlp, rng, two_moons

FIGURES = ["weighted_tradeoff", "curriculum", "autoencoder", "perceptual", "gan",
           "log_cosh_curves", "log_cosh_convergence"]


# %% Part 1 — a weighted combination: one model, two tasks, one weight.
# A single weight vector w serves two tasks on the same points: its output w·x must
# predict a real value (a regression, MSE) AND separate two classes (a logit, BCE).
# The value rises along one direction, the classes split along another, 60° away, so no
# w is best for both. The loss λ·MSE + (1 − λ)·BCE is convex in w: for each λ training
# finds the one best compromise, and λ slides it from one task's optimum to the other's.
# Notice where the slide happens: mostly below λ = 0.2. The MSE here is several times
# larger than the BCE, so an "even" λ = 0.5 already favours regression — weights only
# balance objectives once you know each loss's scale (the "well-scaled" line of check).
ANGLE = np.deg2rad(60.0)


def two_task_data(n):
    r = rng(1)
    X = r.standard_normal((n, 2))
    value = 2.0 * X[:, 0] + 0.3 * r.standard_normal(n)              # rises along (1, 0)
    split = X @ np.array([np.cos(ANGLE), np.sin(ANGLE)])              # classes split along 60°
    label = ((split + 0.5 * r.standard_normal(n)) > 0).astype(float)  # with some overlap
    return X, value, label


def train_two_tasks(X, value, label, lam, steps):
    w = mg.Tensor(np.zeros(2), requires_grad=True)

    def loss():
        out = X @ w
        return losses.weighted_sum([losses.mse(out, value),
                                    losses.binary_cross_entropy_with_logits(out, label)], [lam, 1 - lam])
    fit([w], loss, steps, lr=0.05)
    with mg.no_grad():
        out = X @ w
        return (losses.mse(out, value).item(),
                losses.binary_cross_entropy_with_logits(out, label).item(), w.data.copy())


def part_weighted(report, quick):
    X, value, label = two_task_data(150 if quick else 300)
    lams = [0.02, 0.1, 0.3, 0.5, 0.7, 0.9, 0.98] if quick else list(np.linspace(0.02, 0.98, 13))
    runs = [train_two_tasks(X, value, label, lam, 600 if quick else 1000) for lam in lams]
    mse_after = np.array([m for m, _, _ in runs])
    bce_after = np.array([b for _, b, _ in runs])
    angle = np.degrees([np.arctan2(w[1], w[0]) for _, _, w in runs])

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    left.plot(lams, mse_after, "o-", lw=2, label="regression task: MSE")
    left.plot(lams, bce_after, "s-", lw=2, label="classification task: BCE")
    twin = left.twinx()
    twin.plot(lams, angle, ":", color="0.4", lw=1.5, label="direction of w (right axis)")
    twin.set_ylabel("direction of w (degrees)")
    twin.grid(False)
    left.set_xlabel("weight λ on the regression loss  (loss = λ·MSE + (1 − λ)·BCE)")
    left.set_ylabel("each task's own loss after training")
    left.set_title("Raising λ turns w toward the regression task", fontsize=10)
    lines = left.get_legend_handles_labels()
    extra = twin.get_legend_handles_labels()
    left.legend(lines[0] + extra[0], lines[1] + extra[1], loc="upper center", fontsize=8)
    right.plot(bce_after, mse_after, "o-", color="0.4")
    for lam, b, m in zip(lams, bce_after, mse_after):
        if lam in (lams[0], lams[len(lams) // 2], lams[-1]):
            right.annotate(f"λ={lam:.2g}", (b, m), textcoords="offset points", xytext=(6, 4), fontsize=9)
    right.set_xlabel("classification loss (BCE)")
    right.set_ylabel("regression loss (MSE)")
    right.set_title("The trade-off curve: lowering one loss raises the other", fontsize=10)
    fig.tight_layout()
    report.save(fig, "weighted_tradeoff")

    # at the exact optimum of a convex weighted sum, MSE can only fall and BCE only rise as λ
    # grows; 1e-4 allows for training stopping a hair short of the optimum
    report.check("each step up in λ lowers the regression loss",
                 np.all(np.diff(mse_after) < 1e-4),
                 f"MSE {mse_after[0]:.3f} at λ = {lams[0]:.2g} → {mse_after[-1]:.3f} at λ = {lams[-1]:.2g}")
    report.check("... and raises the classification loss: one w cannot serve both",
                 np.all(np.diff(bce_after) > -1e-4),
                 f"BCE {bce_after[0]:.3f} → {bce_after[-1]:.3f}")
    report.check("w turns from near the classes' direction (60°) to the value's (0°)",
                 angle[0] > 40 and angle[-1] < 10 and np.all(np.diff(angle) < 1e-3),
                 f"direction {angle[0]:.0f}° → {angle[-1]:.0f}°")


# %% Part 2 — a curriculum: easy samples first, hard ones last.
# Each sample gets a difficulty d in [0, 1] (here: how badly a straight line classifies
# it, scaled to [0, 1]), and the weight w(d, t) = (1 − t)(1 − d) + t·d moves from the
# easy samples (t = 0) to the hard ones (t = 1) as training progresses. Look at the
# left panel for the weights, and at the right one: the curriculum learns the easy
# samples first (solid blue below dotted blue early on), the hard ones follow as their
# weight grows — and at the very end, where the easiest samples weigh nothing, it lets
# them slip. Real schedules usually stop at uniform weights (t = ½) for that reason.
def difficulty_of(X, y):
    """Per-sample loss of a logistic regression (a straight boundary), scaled to [0, 1]."""
    w, b = mg.Tensor(np.zeros(2), requires_grad=True), mg.Tensor(0.0, requires_grad=True)
    fit([w, b], lambda: losses.binary_cross_entropy_with_logits(X @ w + b, y), 300, lr=0.1)
    with mg.no_grad():
        per_sample = losses.binary_cross_entropy_with_logits(X @ w + b, y, reduction="none").data
    return per_sample / per_sample.max()


def train_with_schedule(X, y, difficulty, steps, curriculum):
    model = mlp([2, 16, 1], seed=5)
    easy, hard = difficulty < np.median(difficulty), difficulty >= np.median(difficulty)
    history = {"easy": [], "hard": [], "mean difficulty": []}
    step = [0]

    def loss():
        per_sample = losses.binary_cross_entropy_with_logits(model(X).reshape(-1), y, reduction="none")
        if not curriculum:
            return per_sample.mean()
        weight = losses.curriculum_weights(difficulty, progress=step[0] / (steps - 1))
        history["mean difficulty"].append(float((weight.data * difficulty).sum() / weight.data.sum()))
        return (weight * per_sample).sum() / weight.sum()

    def record(_):
        step[0] += 1
        with mg.no_grad():
            per_sample = losses.binary_cross_entropy_with_logits(model(X).reshape(-1), y, reduction="none").data
        history["easy"].append(per_sample[easy].mean())
        history["hard"].append(per_sample[hard].mean())
    fit(model.parameters(), loss, steps, lr=0.02, on_step=record)
    return {k: np.array(v) for k, v in history.items()}


def part_curriculum(report, quick):
    X, y = two_moons(n=120 if quick else 200, noise=0.15, seed=2)
    difficulty = difficulty_of(X, y)
    steps = 200 if quick else 500
    runs = {name: train_with_schedule(X, y, difficulty, steps, curriculum=name == "curriculum")
            for name in ("curriculum", "uniform")}

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    d = np.linspace(0, 1, 50)
    for t in (0.0, 0.25, 0.5, 0.75, 1.0):
        left.plot(d, losses.curriculum_weights(d, progress=t).data, lw=2, label=f"t = {t:g}")
    left.set_xlabel("sample difficulty d (0 easiest, 1 hardest)")
    left.set_ylabel("weight w(d, t) = (1 − t)(1 − d) + t·d")
    left.set_title("The weight moves from easy to hard samples as training goes on", fontsize=10)
    left.legend(title="training progress")
    steps_axis = np.arange(1, steps + 1)
    for name, style in (("curriculum", "-"), ("uniform", ":")):
        right.plot(steps_axis, runs[name]["easy"], style, color="C0", lw=2, label=f"{name}: easy half")
        right.plot(steps_axis, runs[name]["hard"], style, color="C3", lw=2, label=f"{name}: hard half")
    right.axvline(steps // 4, color="0.5", lw=1)
    right.set_yscale("log")
    right.set_xlabel("training step (Adam, full batch)")
    right.set_ylabel("mean cross-entropy of the half")
    right.set_title("Curriculum: the easy half is fitted first, and let slip at the end", fontsize=10)
    right.legend(fontsize=8)
    fig.tight_layout()
    report.save(fig, "curriculum")

    mean_d = runs["curriculum"]["mean difficulty"]
    report.check("the weighted mean difficulty rises through training, from below the plain "
                 "average to above it",
                 np.all(np.diff(mean_d) >= -1e-12) and mean_d[0] < difficulty.mean() < mean_d[-1],
                 f"from {mean_d[0]:.2f} to {mean_d[-1]:.2f}; plain average {difficulty.mean():.2f}")
    quarter = steps // 4
    c, u = runs["curriculum"], runs["uniform"]
    report.check("a quarter into training, the curriculum has fitted the easy half better than uniform weights",
                 c["easy"][quarter] < u["easy"][quarter],
                 f"easy-half loss {c['easy'][quarter]:.3f} vs {u['easy'][quarter]:.3f}")
    report.check("by the end, the curriculum's hard-half loss has fallen below its value at that point",
                 c["hard"][-1] < c["hard"][quarter],
                 f"hard-half loss {c['hard'][quarter]:.3f} → {c['hard'][-1]:.3f}")
    report.check("at t = 1 the easiest samples weigh 0: the curriculum ends with a worse easy half than uniform",
                 c["easy"][-1] > u["easy"][-1], f"easy-half loss {c['easy'][-1]:.4f} vs {u['easy'][-1]:.4f}")


# %% Part 3 — a reconstruction loss: a tiny autoencoder.
# Points on a curved arc in 2-D; the autoencoder squeezes each through ONE number (the
# code) and rebuilds it. Its loss is the reconstruction loss ||x̂ − x||². A straight
# line (the best 1-D linear code, PCA) cannot follow the arc; the autoencoder can.
def arc(n, seed=0):
    t = np.sort(rng(seed).uniform(-1.0, 1.0, n))
    return np.stack([t, 1.2 * t ** 2 - 0.4], axis=1) + 0.02 * rng(seed + 1).standard_normal((n, 2)), t


def part_autoencoder(report, quick):
    X, t = arc(80 if quick else 150)
    encoder, decoder = mlp([2, 16, 1], seed=6), mlp([1, 16, 2], seed=7)
    params = encoder.parameters() + decoder.parameters()
    steps = 400 if quick else 1200
    history = fit(params, lambda: losses.reconstruction(decoder(encoder(X)), X), steps, lr=0.01)
    with mg.no_grad():
        code = encoder(X).data.reshape(-1)
        rebuilt = decoder(encoder(X)).data
    # the best 1-D linear code: project onto the first principal direction
    centred = X - X.mean(0)
    direction = np.linalg.svd(centred, full_matrices=False)[2][0]
    linear = X.mean(0) + np.outer(centred @ direction, direction)
    pca_error = np.mean(np.sum((linear - X) ** 2, axis=1))
    ae_error = np.mean(np.sum((rebuilt - X) ** 2, axis=1))

    fig, (left, middle, right) = plt.subplots(1, 3, figsize=(13, 4))
    left.plot(np.arange(1, steps + 1), history, lw=2)
    left.axhline(pca_error, color="0.4", ls="--", label=f"best straight line (PCA): {pca_error:.3f}")
    left.set_yscale("log")
    left.set_xlabel("training step (Adam, full batch)")
    left.set_ylabel("reconstruction loss ||x̂ − x||² (mean)")
    left.set_title("The loss falls below what any straight line can do", fontsize=10)
    left.legend()
    middle.scatter(X[:, 0], X[:, 1], s=14, color="0.6", label="data")
    middle.plot(rebuilt[:, 0], rebuilt[:, 1], ".", color="C0", label="autoencoder x̂")
    middle.plot(linear[:, 0], linear[:, 1], ".", color="C3", ms=4, label="PCA, one component")
    middle.set_xlabel("x₁")
    middle.set_ylabel("x₂")
    middle.set_title("Rebuilt from one number: the curve vs a line", fontsize=10)
    middle.legend(fontsize=8)
    right.scatter(t, code, s=12)
    right.set_xlabel("position t along the arc")
    right.set_ylabel("code (the one number)")
    right.set_title("The code orders the points along the arc", fontsize=10)
    fig.tight_layout()
    report.save(fig, "autoencoder")

    report.check("the reconstruction loss fell to under a tenth of its starting value",
                 history[-1] < 0.1 * history[0], f"{history[0]:.3f} → {history[-1]:.4f}")
    report.check("the autoencoder rebuilds the arc better than the best straight line (PCA)",
                 ae_error < pca_error, f"{ae_error:.4f} vs {pca_error:.4f}")
    order = abs(np.corrcoef(np.argsort(np.argsort(code)), np.arange(len(t)))[0, 1])
    report.check("the one-number code keeps the order of the points along the arc",
                 order > 0.95, f"rank correlation {order:.3f}")


# %% Part 4 — a perceptual loss: compare through a fixed feature map.
# The feature map φ detects rising and falling edges and averages them over windows of 8
# samples, a crude stand-in for a frozen network's features. Two copies of the signal
# below have the SAME pixel error: one shifted by one sample, one with noise added.
# Pixel MSE cannot tell them apart; the perceptual loss calls the shift close and the
# noise far, because φ sees edges in about the same places and not the noise's new ones.
LENGTH, WINDOW = 64, 8


def feature_map(x):
    """(N, 64) signals → (N, 16) features: rising and falling edge strength per window of 8."""
    n = x.shape[0]
    step = x[:, 1:] - x[:, :-1]                                     # (N, 63) differences
    step = mg.concatenate([step, mg.wrap(np.zeros((n, 1)), like=step)], axis=1)
    rising, falling = step.relu(), (-step).relu()
    pool = lambda e: e.reshape(n, LENGTH // WINDOW, WINDOW).sum(axis=2)   # noqa: E731
    return mg.concatenate([pool(rising), pool(falling)], axis=1)


def square_wave():
    x = np.zeros(LENGTH)
    x[12:28] = 1.0
    x[44:52] = 1.0
    return x


def part_perceptual(report, quick):
    target = square_wave()
    shifted = np.roll(target, 1)
    pixel_gap = np.mean((shifted - target) ** 2)
    noise = rng(8).standard_normal(LENGTH)
    noisy = target + noise * np.sqrt(pixel_gap / np.mean(noise ** 2))   # the same pixel error
    as_row = lambda s: s.reshape(1, -1)                                  # noqa: E731
    pixel = {name: losses.mse(as_row(s), as_row(target)).item() for name, s in
             (("shifted", shifted), ("noisy", noisy))}
    perceptual = {name: losses.perceptual(as_row(s), as_row(target), feature_map).item() for name, s in
                  (("shifted", shifted), ("noisy", noisy))}

    # training: start from noise and fit the signal with each loss
    steps = 300 if quick else 800
    start = 0.3 * rng(9).standard_normal(LENGTH)
    fitted, curves = {}, {}
    for name, loss in (("pixel MSE", lambda s: losses.mse(s, as_row(target))),
                       ("perceptual", lambda s: losses.perceptual(s, as_row(target), feature_map))):
        signal = mg.Tensor(as_row(start.copy()), requires_grad=True)
        curves[name] = fit([signal], lambda: loss(signal), steps, lr=0.02)
        fitted[name] = signal.data.reshape(-1)
    features = lambda s: feature_map(mg.Tensor(as_row(s))).data.reshape(-1)   # noqa: E731
    feature_gap = {name: np.mean((features(s) - features(target)) ** 2) for name, s in fitted.items()}
    pixel_fit = {name: np.mean((s - target) ** 2) for name, s in fitted.items()}

    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.2))
    i = np.arange(LENGTH)
    left.plot(i, target, color="black", lw=2.5, label="target")
    left.plot(i, shifted + 0.03, color="C0", lw=1.5,
              label=f"shifted by 1: pixel {pixel['shifted']:.3f}, perceptual {perceptual['shifted']:.3f}")
    left.plot(i, noisy, color="C3", lw=1, alpha=0.8,
              label=f"noisy: pixel {pixel['noisy']:.3f}, perceptual {perceptual['noisy']:.3f}")
    left.set_xlabel("sample index")
    left.set_ylabel("signal")
    left.set_ylim(-1.0, 2.1)
    left.set_title("Same pixel error; the perceptual loss calls the shift close", fontsize=10)
    left.legend(fontsize=8, loc="upper right")
    right.plot(i, target, color="black", lw=2.5, label="target")
    for (name, s), color in zip(fitted.items(), ("C2", "C1")):
        right.plot(i, s, color=color, lw=1.5,
                   label=f"fitted with {name}: pixel {pixel_fit[name]:.3f}, features {feature_gap[name]:.4f}")
    right.set_xlabel("sample index")
    right.set_ylabel("signal")
    right.set_ylim(-1.0, 2.1)
    right.set_title("Trained from noise: the perceptual fit matches the edges, not the levels", fontsize=10)
    right.legend(fontsize=8, loc="upper right")
    fig.tight_layout()
    report.save(fig, "perceptual")

    report.check("the shifted and the noisy copies have the same pixel error",
                 abs(pixel["shifted"] - pixel["noisy"]) < 1e-12,
                 f"{pixel['shifted']:.4f} and {pixel['noisy']:.4f}")
    report.check("the perceptual loss puts the shifted copy nearer than the noisy one",
                 perceptual["shifted"] < perceptual["noisy"],
                 f"{perceptual['shifted']:.3g} vs {perceptual['noisy']:.3g}: each edge stays in its window")
    report.check("training on the perceptual loss drives the feature distance near zero",
                 curves["perceptual"][-1] < 0.05 * curves["perceptual"][0],
                 f"{curves['perceptual'][0]:.4f} → {curves['perceptual'][-1]:.5f}")
    report.check("... without matching the pixels as closely as pixel MSE does",
                 pixel_fit["perceptual"] > pixel_fit["pixel MSE"],
                 f"pixel error {pixel_fit['perceptual']:.3f} vs {pixel_fit['pixel MSE']:.4f}")


# %% Part 5 — an adversarial loss: a tiny GAN on a 1-D mixture of two Gaussians.
# The generator turns noise into numbers; the discriminator tells them from real draws
# of the mixture. The discriminator minimises −log D(x) − log(1 − D(G(z))); the generator
# minimises −log D(G(z)) (the non-saturating loss). No loss ever names the target
# distribution: the generator learns it only through the discriminator's gradient.
MODES, SPREAD = (-2.0, 2.0), 0.35


def mixture(n, seed):
    r = rng(seed)
    return np.where(r.random(n) < 0.5, MODES[0], MODES[1]) + SPREAD * r.standard_normal(n)


def wasserstein_1d(a, b):
    """The 1-D earth mover's distance between two equal-size samples: mean gap of the sorted values."""
    return np.mean(np.abs(np.sort(a) - np.sort(b)))


def part_gan(report, quick):
    n = 128 if quick else 256
    steps = 500 if quick else 1000
    real = mixture(n, seed=10).reshape(-1, 1)
    noise = rng(11).standard_normal((n, 1))
    generator = mlp([1, 32, 1], seed=12)
    discriminator = mlp([1, 32, 1], seed=13)
    # β₁ = 0.5: less momentum, the usual choice for the two players' alternating steps
    g_opt = mg.optim.Adam(generator.parameters(), lr=0.005, betas=(0.5, 0.999))
    d_opt = mg.optim.Adam(discriminator.parameters(), lr=0.005, betas=(0.5, 0.999))
    with mg.no_grad():
        before = generator(noise).data.reshape(-1)
    distance, d_losses = [], []
    for step in range(steps):
        fake = generator(noise)
        d_opt.zero_grad()
        d_loss = losses.adversarial_discriminator(discriminator(real), discriminator(fake.detach()))
        d_loss.backward()
        d_opt.step()
        g_opt.zero_grad()
        g_loss = losses.adversarial_generator(discriminator(generator(noise)))
        g_loss.backward()
        g_opt.step()
        d_losses.append(d_loss.item())
        distance.append(wasserstein_1d(fake.data.reshape(-1), real.reshape(-1)))
    with mg.no_grad():
        after = generator(mg.Tensor(rng(14).standard_normal((2000, 1)))).data.reshape(-1)
        grid = np.linspace(-4, 4, 200).reshape(-1, 1)
        verdict = discriminator(mg.Tensor(grid)).sigmoid().data.reshape(-1)
    fresh_real = mixture(2000, seed=15)
    start_gap, end_gap = wasserstein_1d(before, real.reshape(-1)), wasserstein_1d(after, fresh_real)
    near = {m: np.mean(np.abs(after - m) < 3 * SPREAD) for m in MODES}

    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.2))
    bins = np.linspace(-4, 4, 61)
    left.hist(fresh_real, bins=bins, density=True, alpha=0.4, color="0.4", label="real: modes at ±2")
    left.hist(before, bins=bins, density=True, alpha=0.5, color="C3", label="generator before training")
    left.hist(after, bins=bins, density=True, alpha=0.6, color="C0", label="generator after training")
    twin = left.twinx()
    twin.plot(grid.reshape(-1), verdict, color="black", lw=1.5, label="discriminator D(x) (right axis)")
    twin.set_ylim(0, 1)
    twin.set_ylabel("D(x): probability that x is real")
    twin.grid(False)
    left.set_xlabel("x")
    left.set_ylabel("density")
    left.set_title("The generator moves its samples onto the data", fontsize=10)
    handles, labels = left.get_legend_handles_labels()
    extra = twin.get_legend_handles_labels()
    left.legend(handles + extra[0], labels + extra[1], fontsize=8, loc="upper left")
    right.plot(np.arange(1, steps + 1), distance, lw=1.5, label="distance to the data (1-D earth mover's)")
    right.plot(np.arange(1, steps + 1), d_losses, lw=1, alpha=0.7, label="discriminator loss")
    right.axhline(2 * np.log(2), color="0.5", ls="--", lw=1, label="2·log 2: D can no longer tell")
    right.set_xlabel("training step (one D step, one G step)")
    right.set_ylabel("value")
    right.set_title("The distance falls while D's loss drifts toward 2·log 2", fontsize=10)
    right.legend(fontsize=8)
    fig.tight_layout()
    report.save(fig, "gan")

    report.check("the generated samples moved onto the mixture: the distance to it fell by more than half",
                 end_gap < 0.5 * start_gap, f"earth mover's distance {start_gap:.3f} → {end_gap:.3f}")
    report.check("both modes are populated (no mode collapse in this run)",
                 min(near.values()) > 0.2,
                 ", ".join(f"{share:.0%} within 3σ of {m:g}" for m, share in near.items()))


# %% Part 6 — log-cosh, added to the library the way you would add your own.
# `losses.log_cosh` is written like every other loss (check, compute, reduce) and
# registered in the catalogue with kind "regression", so the standard figures come for
# free: the same loss/gradient/curvature figure and the same outlier fit as lesson 02,
# drawn by the explore tool (`python -m lessons explore log_cosh`). Notice the gradient:
# tanh(r), smooth like MSE's near 0 and flat like MAE's far away.
def part_log_cosh(report, quick):
    info = losses.get("log_cosh")
    report.save(explore.curves_figure(info, info.params, quick), "log_cosh_curves")
    fig, runs = explore.convergence_figure(info, info.params, quick)
    report.save(fig, "log_cosh_convergence")

    r = np.linspace(-6, 6, 240)
    _, slope, curvature = derivatives(lambda t: losses.log_cosh(t, np.zeros(t.shape), reduction="none"), r)
    # log cosh(r) with r = y - ŷ: d/dŷ = -tanh(y - ŷ) = tanh(ŷ) for y = 0; d² = 1 - tanh²
    report.check("log-cosh's gradient from backward is tanh of the residual",
                 np.max(np.abs(slope - np.tanh(r))) < 1e-12, f"largest gap {np.max(np.abs(slope - np.tanh(r))):.1e}")
    report.check("its curvature from second-order backward is 1 − tanh²",
                 np.max(np.abs(curvature - (1 - np.tanh(r) ** 2))) < 1e-9,
                 f"largest gap {np.max(np.abs(curvature - (1 - np.tanh(r) ** 2))):.1e}")
    ours, mse_run = runs[0][1][-1], runs[1][1][-1]
    report.check("log-cosh's line lies nearer the true line than MSE's (10% outliers)", ours < mse_run,
                 f"error of (slope, intercept) {ours:.3f} vs {mse_run:.3f}")
    result = losses.check("log_cosh", verbose=False)
    report.check("losses.check passes log_cosh and calls it robust to outliers",
                 result.passed and result["robust"].detail.startswith("yes"), result["robust"].detail)


# %% Run every part.
def main(quick=False):
    report = Report("09_custom")
    part_weighted(report, quick)
    part_curriculum(report, quick)
    part_autoencoder(report, quick)
    part_perceptual(report, quick)
    part_gan(report, quick)
    part_log_cosh(report, quick)
    return report


# %% Try it
# 1. In part 1, give the shared layer 16 units instead of 3 (mlp([2, 16])). Predict first:
#    does the trade-off curve shrink toward one point where both tasks are good?
# 2. In part 2, stop the schedule at uniform weights: progress=0.5 * step / (steps - 1).
#    Does the easy half still slip at the end? Then reverse it (pass 1 − difficulty).
# 3. In part 4, set WINDOW = 1 (no pooling): is the shifted copy still "close"?
# 4. In part 5, replace the generator's loss by the minimax form log(1 − D(G(z)))
#    (−adversarial_generator is not it: write -softplus(z) yourself) and watch the
#    early steps: the gradient vanishes while D rejects every fake.

if __name__ == "__main__":
    main()

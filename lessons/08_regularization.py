"""Regularisation: L1 zeroes coefficients, L2 only shrinks them.

A penalty added to the loss pulls the weights towards 0. How it pulls matters:
λ·Σ|w| (L1, lasso) pushes with the same force however small a weight already is,
so weights land exactly on 0 and drop out of the model; λ·Σw² (L2, ridge) pushes in
proportion to the weight, so weights shrink but never reach 0. You will see this
three ways: coefficient paths over λ on a linear regression with correlated and
irrelevant features (with the count of exact zeros printed), the diamond/circle
picture where the loss contours first touch the constraint, and a polynomial that
over-fits 15 points until L2 tames it (train/test errors printed).

Run it:   python -m lessons 08      (or python -m lessons.08_regularization)
Step through it: open this file in VS Code or Jupyter; each `# %%` cell defines one
part, the last cell runs main().
"""
# %% Setup
import matplotlib.pyplot as plt
import numpy as np

import losses
import minigrad as mg
from lessons._common import Report, fit, rng

FIGURES = ["paths", "constraint", "polynomial"]


def smooth_gradient(objective, w):
    """Value and gradient (numpy) of objective(w_tensor) at w, from minigrad's backward."""
    wt = mg.Tensor(w, requires_grad=True)
    value = objective(wt)
    value.backward()
    return value.item(), wt.grad


def soft_threshold(v, tau):
    """The proximal step of τ·Σ|w|: move every entry τ towards 0 and stop at 0.

    This is the one line that gives L1 its exact zeros: any |v_j| <= τ becomes 0.0.
    """
    return np.sign(v) * np.maximum(np.abs(v) - tau, 0.0)


def proximal_gradient(smooth, l1, w0, step, iterations, tol=1e-12):
    """ISTA: w ← soft_threshold(w - step·∇smooth(w), step·l1).

    smooth(w_tensor) is the differentiable part of the objective (here mse, plus the
    L2 part for elastic net); its gradient comes from minigrad. The |w| part is
    handled by the proximal step instead of by its (sub)gradient.
    """
    w = w0.copy()
    for _ in range(iterations):
        _, g = smooth_gradient(smooth, w)
        w_new = soft_threshold(w - step * g, step * l1)
        done = np.max(np.abs(w_new - w)) < tol
        w = w_new
        if done:
            break
    return w


def gradient_descent(objective, w0, step, iterations, tol=1e-12):
    """Plain (sub)gradient descent on the whole objective, gradient from minigrad."""
    w = w0.copy()
    for _ in range(iterations):
        _, g = smooth_gradient(objective, w)
        w_new = w - step * g
        done = np.max(np.abs(w_new - w)) < tol
        w = w_new
        if done:
            break
    return w


# %% Part 1 — coefficient paths over λ.
# Look for: on the L1 panel the lines hit 0 one after another and stay there (exact
# zeros, counted on the last panel); on the L2 panel every line bends towards 0 but
# none touches it. Elastic net sits between the two: it zeroes, but keeps correlated
# features together longer than L1 does.
# How the L1 path is computed matters: plain (sub)gradient descent on mse + l1_penalty
# never lands exactly on 0 — it jitters around it (the star on the last panel). So the
# L1 and elastic-net paths use proximal gradient descent (ISTA): a gradient step on the
# smooth part (mse, plus the L2 part for elastic net; gradients from minigrad), then a
# soft-threshold step that sets every weight within step·λ of 0 to exactly 0.0.

TRUE_W = np.array([2.0, 1.0, -1.5, 0.7, 0.0, 0.0, 0.0, 0.0])
FEATURES = ["x₀", "x₁ (≈ x₀)", "x₂", "x₃", "x₄ (≈ x₂, irrelevant)", "x₅ (irrelevant)",
            "x₆ (irrelevant)", "x₇ (irrelevant)"]


def correlated_regression(n=60, seed=8):
    """Standardised features: x₁ is 85% x₀, x₄ is 80% x₂ but carries no signal; x₅..x₇ are noise."""
    r = rng(seed)
    z = r.standard_normal((n, 8))
    X = z.copy()
    X[:, 1] = 0.85 * z[:, 0] + np.sqrt(1 - 0.85**2) * z[:, 1]
    X[:, 4] = 0.80 * z[:, 2] + np.sqrt(1 - 0.80**2) * z[:, 4]
    X = (X - X.mean(0)) / X.std(0)
    y = X @ TRUE_W + 0.5 * r.standard_normal(n)
    return X, y - y.mean()


def part_paths(report, quick):
    X, y = correlated_regression()
    n = len(y)
    lipschitz = 2.0 / n * np.linalg.eigvalsh(X.T @ X).max()   # of ∇mse: fixes a safe step 1/L
    # Above λ_max = ‖∇mse(0)‖∞ the lasso solution is exactly 0: start the path there.
    lam_max = np.max(np.abs(2.0 / n * X.T @ y))
    lams = lam_max * np.logspace(0.4, -3, 15 if quick else 30)
    iterations = 1500 if quick else 4000

    def mse(w):
        return losses.mse(mg.Tensor(X) @ w, mg.Tensor(y))

    paths = {"L1": [], "L2": [], "elastic": []}
    w1 = w2 = we = np.zeros(8)
    for lam in lams:                    # warm start: each λ starts from the previous answer
        w1 = proximal_gradient(mse, lam, w1, 1 / lipschitz, iterations)
        w2 = gradient_descent(lambda w: mse(w) + losses.l2_penalty([w], lam), w2,
                              1 / (lipschitz + 2 * lam), iterations)
        # elastic net, half L1 half L2: the L2 half is smooth, so it joins the gradient step
        we = proximal_gradient(lambda w: mse(w) + losses.l2_penalty([w], lam / 2), lam / 2, we,
                               1 / (lipschitz + lam), iterations)
        paths["L1"].append(w1)
        paths["L2"].append(w2)
        paths["elastic"].append(we)
    paths = {k: np.array(v) for k, v in paths.items()}
    zeros = {k: (v == 0.0).sum(1) for k, v in paths.items()}

    # Ridge has a closed form, (XᵀX/n + λI) w = Xᵀy/n: gradient descent must land on it.
    ridge_exact = np.array([np.linalg.solve(X.T @ X / n + lam * np.eye(8), X.T @ y / n) for lam in lams])
    ridge_gap = np.abs(paths["L2"] - ridge_exact).max()

    # The lasso optimum's conditions (KKT): where w_j ≠ 0, ∂mse/∂w_j = -λ sign(w_j);
    # where w_j = 0, |∂mse/∂w_j| <= λ. Checked with minigrad's gradient of the library mse.
    kkt = 0.0
    for lam, w in zip(lams, paths["L1"]):
        _, g = smooth_gradient(mse, w)
        on = w != 0
        kkt = max(kkt, np.max(np.abs(g[on] + lam * np.sign(w[on])), initial=0.0),
                  np.max(np.abs(g[~on]) - lam, initial=0.0))

    # Plain subgradient descent on mse + l1_penalty at one λ: same objective, no exact zeros.
    k = int(np.argmin(np.abs(lams - 0.1 * lam_max)))
    lam_k = lams[k]
    l1_objective = lambda w: mse(w) + losses.l1_penalty([w], lam_k)  # noqa: E731
    w_sub = gradient_descent(l1_objective, np.zeros(8), 0.5 / lipschitz, iterations, tol=0.0)
    obj_sub = l1_objective(mg.Tensor(w_sub)).item()
    obj_prox = l1_objective(mg.Tensor(paths["L1"][k])).item()
    # the same comparison for elastic net, whose whole objective is mse + elastic_net(λ/2, λ/2)
    en_objective = lambda w: mse(w) + losses.elastic_net([w], lam_k / 2, lam_k / 2)  # noqa: E731
    w_en_sub = gradient_descent(en_objective, np.zeros(8), 0.5 / (lipschitz + lam_k), iterations, tol=0.0)
    en_sub = en_objective(mg.Tensor(w_en_sub)).item()
    en_prox = en_objective(mg.Tensor(paths["elastic"][k])).item()
    irrelevant = TRUE_W == 0

    fig, axes = plt.subplots(2, 2, figsize=(12, 9.5), sharex=True)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    titles = {"L1": "L1 (lasso, proximal step): lines hit 0 and stay there",
              "L2": "L2 (ridge, gradient descent): lines shrink, none reaches 0",
              "elastic": "elastic net (½ L1 + ½ L2, proximal step): zeros, later"}
    for ax, key in zip(axes.flat, ["L1", "L2", "elastic"]):
        for j in range(8):
            ax.plot(lams, paths[key][:, j], color=colors[j % len(colors)], lw=2,
                    ls="--" if irrelevant[j] else "-", label=FEATURES[j])
        ax.axhline(0, color="black", lw=0.8)
        ax.set_xscale("log")
        ax.set_ylabel("coefficient w_j")
        ax.set_title(titles[key])
    axes[0, 0].invert_xaxis()           # strong penalty on the left, weak on the right
    ax = axes[1, 1]
    for key, marker in zip(zeros, "os^"):
        ax.plot(lams, zeros[key], marker=marker, label=key)
    ax.plot([lam_k], [(w_sub == 0).sum()], "k*", ms=14,
            label=f"L1 by plain subgradient descent\n(λ = {lam_k:.3f}: min |w| = {np.abs(w_sub).min():.1e})")
    ax.set_ylabel("number of coefficients exactly 0.0")
    ax.set_title("exact zeros: L1 and elastic net only (proximal step)")
    ax.legend(fontsize=8)
    for ax in axes[1]:
        ax.set_xlabel("penalty strength λ (log scale, strong → weak; loss = mse + penalty)")
    for ax in axes.flat:
        ax.axvline(lam_max, color="gray", ls=":", lw=1)
    axes[0, 0].text(lam_max, 1.9, " λ_max", color="gray", fontsize=8)
    fig.suptitle("Coefficient paths on 8 standardised features (4 carry signal, x₄..x₇ do not): "
                 "L1 zeroes coefficients, L2 only shrinks", fontsize=11)
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=4, fontsize=9,
               title="dashed lines: features whose true coefficient is 0")
    fig.tight_layout(rect=(0, 0.1, 1, 1))
    report.save(fig, "paths")

    mid = int(np.argmin(np.abs(lams - 0.1 * lam_max)))
    report.check("gradient descent on mse + l2_penalty lands on the closed-form ridge solution",
                 ridge_gap < 1e-6, f"largest gap {ridge_gap:.1e} over {len(lams)} values of λ")
    report.check("the proximal (soft-threshold) L1 path satisfies the lasso optimality (KKT) conditions",
                 kkt < 1e-6, f"largest violation {kkt:.1e}")
    report.check("L2 never gives an exact zero anywhere on the path",
                 zeros["L2"].max() == 0, f"most zeros at any λ: {zeros['L2'].max()}")
    report.check(f"L1 zeroes coefficients: at λ = {lams[mid]:.3f} the lasso has exact zeros, "
                 "all on irrelevant features",
                 zeros["L1"][mid] >= 2 and np.all(irrelevant[paths["L1"][mid] == 0]),
                 f"{zeros['L1'][mid]} zeros: {[FEATURES[j] for j in np.flatnonzero(paths['L1'][mid] == 0)]}")
    # elastic net carries only λ/2 of L1, so its coefficients all vanish from 2·λ_max on
    above, above2 = lams >= lam_max, lams >= 2 * lam_max
    report.check("every L1 coefficient is exactly 0 for λ ≥ λ_max, every elastic-net one for λ ≥ 2·λ_max",
                 np.all(zeros["L1"][above] == 8) and np.all(zeros["elastic"][above2] == 8) and above2.any(),
                 f"λ_max = {lam_max:.2f}: L1 zeros {zeros['L1'][above].tolist()}, "
                 f"elastic zeros {zeros['elastic'][above2].tolist()}")
    report.check("elastic net zeroes some coefficients too, but never more than L1 at the same λ",
                 zeros["elastic"].max() > 0 and np.all(zeros["elastic"][1:] <= zeros["L1"][1:]),
                 f"zeros L1 {zeros['L1'].tolist()} vs elastic {zeros['elastic'].tolist()}")
    report.check("plain subgradient descent on mse + l1_penalty leaves no exact zero "
                 "(and a higher objective than the proximal step)",
                 (w_sub == 0).sum() == 0 and obj_prox <= obj_sub,
                 f"λ = {lam_k:.3f}: smallest |w| {np.abs(w_sub).min():.1e}; objective "
                 f"{obj_sub:.6f} vs proximal {obj_prox:.6f}")
    report.check("the same for elastic net: subgradient descent on mse + elastic_net gives no exact zero, "
                 "the proximal step gives zeros and a lower objective",
                 (w_en_sub == 0).sum() == 0 and (paths["elastic"][k] == 0).sum() > 0 and en_prox <= en_sub,
                 f"λ = {lam_k:.3f}: zeros {(w_en_sub == 0).sum()} vs {(paths['elastic'][k] == 0).sum()}; "
                 f"objective {en_sub:.6f} vs proximal {en_prox:.6f}")


# %% Part 2 — the diamond and the circle.
# Look for: the loss contours are ellipses around the unpenalised optimum. Constrain
# the weights to a budget, Σ|w| <= t (a diamond) or Σw² <= t² (a circle), and the best
# weights are where the lowest contour first touches the shape. The diamond has
# corners on the axes, and the contour touches one there: w₂ is exactly 0. The circle
# has no corners: the touching point has both weights non-zero.

def project_l1_ball(v, t):
    """The closest point to v with Σ|w| <= t (Duchi et al. 2008): soft-threshold by the right τ."""
    if np.abs(v).sum() <= t:
        return v.copy()
    u = np.sort(np.abs(v))[::-1]
    cumulative = np.cumsum(u)
    k = np.flatnonzero(u - (cumulative - t) / np.arange(1, len(u) + 1) > 0)[-1]
    tau = (cumulative[k] - t) / (k + 1)
    return soft_threshold(v, tau)


def project_l2_ball(v, t):
    norm = np.sqrt(np.sum(v**2))
    return v.copy() if norm <= t else v * (t / norm)


def part_constraint(report, quick):
    r = rng(3)
    n = 80
    z = r.standard_normal((n, 2))
    X = np.stack([z[:, 0], 0.5 * z[:, 0] + 0.8 * z[:, 1]], 1)
    y = X @ np.array([2.0, 0.6]) + 0.3 * r.standard_normal(n)
    budget = 1.3

    def mse(w):
        return losses.mse(mg.Tensor(X) @ w, mg.Tensor(y))

    def grid_mse(W):
        """mse for every row of W (m, 2) at once, from the library loss with reduction='none'."""
        pred = W @ X.T
        return losses.mse(pred, np.broadcast_to(y, pred.shape), reduction="none").data.mean(1)

    step = 1 / (2.0 / n * np.linalg.eigvalsh(X.T @ X).max())
    solutions = {}
    for name, project in [("L1", project_l1_ball), ("L2", project_l2_ball)]:
        w = np.zeros(2)
        for _ in range(400 if quick else 1500):      # projected gradient descent
            _, g = smooth_gradient(mse, w)
            w = project(w - step * g, budget)
        solutions[name] = w
    w_ols = np.linalg.lstsq(X, y, rcond=None)[0]

    # Brute force: the lowest loss among many points on each boundary.
    angle = np.linspace(0, 2 * np.pi, 4000 if quick else 20000, endpoint=False)
    circle = budget * np.stack([np.cos(angle), np.sin(angle)], 1)
    diamond = circle / np.abs(np.stack([np.cos(angle), np.sin(angle)], 1)).sum(1, keepdims=True)
    best = {"L1": grid_mse(diamond).min(), "L2": grid_mse(circle).min()}
    found = {k: grid_mse(w[None])[0] for k, w in solutions.items()}

    fig, axes = plt.subplots(1, 2, figsize=(12, 5.6))
    g1, g2 = np.meshgrid(np.linspace(-1.9, 2.9, 220), np.linspace(-1.9, 2.2, 200))
    surface = grid_mse(np.stack([g1.ravel(), g2.ravel()], 1)).reshape(g1.shape)
    for ax, name, shape in [(axes[0], "L1", diamond), (axes[1], "L2", circle)]:
        w = solutions[name]
        touching = found[name]
        levels = np.sort(np.concatenate([np.quantile(surface, [0.01, 0.05, 0.12, 0.25, 0.45, 0.7]),
                                         [touching]]))
        cs = ax.contour(g1, g2, surface, levels=levels, colors="dimgray", linewidths=1)
        ax.clabel(cs, fmt="%.2f", fontsize=8)
        ax.contour(g1, g2, surface, levels=[touching], colors="crimson", linewidths=2)
        ax.fill(shape[:, 0], shape[:, 1], color="tab:blue", alpha=0.25,
                label=("Σ|w| ≤ t" if name == "L1" else "Σw² ≤ t²") + f",  t = {budget}")
        ax.plot(*w_ols, "k+", ms=14, mew=2, label=f"unpenalised optimum ({w_ols[0]:.2f}, {w_ols[1]:.2f})")
        ax.plot(*w, "o", color="crimson", ms=9,
                label=f"constrained optimum ({w[0]:.2f}, {w[1]:.2f})")
        ax.axhline(0, color="black", lw=0.8)
        ax.axvline(0, color="black", lw=0.8)
        ax.set_aspect("equal")
        ax.set_xlabel("w₁")
        ax.set_ylabel("w₂")
        ax.legend(loc="lower right", fontsize=8)
    axes[0].set_title("L1: the lowest contour (red) touches the diamond at a corner → w₂ = 0")
    axes[1].set_title("L2: the circle has no corner → both weights stay non-zero")
    fig.suptitle("mse contours with a weight budget: where the red contour first touches the "
                 "constraint is the regularised optimum", fontsize=11)
    fig.tight_layout()
    report.save(fig, "constraint")

    w1, w2 = solutions["L1"], solutions["L2"]
    report.check("the L1-constrained optimum sits on a corner of the diamond: w₂ is exactly 0",
                 w1[1] == 0.0 and np.isclose(np.abs(w1).sum(), budget),
                 f"w = ({w1[0]:.4f}, {w1[1]:.1f}), Σ|w| = {np.abs(w1).sum():.4f}")
    report.check("the L2-constrained optimum has both weights non-zero, on the circle",
                 np.all(np.abs(w2) > 0.05) and np.isclose(np.sqrt((w2**2).sum()), budget),
                 f"w = ({w2[0]:.4f}, {w2[1]:.4f}), ‖w‖ = {np.sqrt((w2**2).sum()):.4f}")
    report.check("no boundary point has a lower mse than the found optima (brute force)",
                 all(found[k] <= best[k] + 1e-6 for k in found),
                 f"L1 {found['L1']:.5f} vs best on diamond {best['L1']:.5f}; "
                 f"L2 {found['L2']:.5f} vs best on circle {best['L2']:.5f}")


# %% Part 3 — an over-fitted polynomial, tamed by L2.
# Look for: with 12 coefficients and 15 noisy points, the unpenalised fit chases the
# noise and swings wildly between the points (tiny train error, large test error).
# Adding λ·Σw² keeps the coefficients small, the curve smooth, and the test error low.

def legendre_features(x, degree):
    """Legendre polynomials P₀..P_degree at x in [-1, 1]: better conditioned than xᵏ."""
    return np.polynomial.legendre.legvander(x, degree)


def part_polynomial(report, quick):
    r = rng(5)
    degree, n_train = 11, 15
    x_train = np.sort(r.uniform(-1, 1, n_train))
    truth = lambda x: np.sin(np.pi * x)  # noqa: E731
    y_train = truth(x_train) + 0.25 * r.standard_normal(n_train)
    x_test = np.linspace(-1, 1, 400)
    y_test = truth(x_test)
    F_train, F_test = legendre_features(x_train, degree), legendre_features(x_test, degree)
    lam_good = 1e-2

    def train(lam, steps):
        """Full-batch Adam on mse + l2_penalty (the constant P₀ column is penalised too)."""
        w = mg.Tensor(np.zeros(degree + 1), requires_grad=True)
        Ft, yt = mg.Tensor(F_train), mg.Tensor(y_train)
        history = fit([w], lambda: losses.mse(Ft @ w, yt) + losses.l2_penalty([w], lam),
                      steps=steps, lr=0.05)
        return w.data.copy(), history

    steps = 3000 if quick else 8000
    fits = {0.0: train(0.0, steps), lam_good: train(lam_good, steps)}

    def errors(w):
        return (losses.mse(F_train @ w, y_train).item(), losses.mse(F_test @ w, y_test).item())

    # Train and test error over λ from the exact minimiser of mse + λΣw² (normal equations:
    # (FᵀF/n + λI) w = Fᵀy/n), to show where λ = 1e-2 sits on the curve.
    lam_grid = np.logspace(-7, 1, 30)
    exact = [np.linalg.solve(F_train.T @ F_train / n_train + lam * np.eye(degree + 1),
                             F_train.T @ y_train / n_train) for lam in lam_grid]
    curve = np.array([errors(w) for w in exact])
    gap_good = np.abs(fits[lam_good][0] - np.linalg.solve(
        F_train.T @ F_train / n_train + lam_good * np.eye(degree + 1), F_train.T @ y_train / n_train)).max()

    fig, axes = plt.subplots(1, 3, figsize=(15, 4.6))
    ax = axes[0]
    ax.plot(x_test, y_test, color="black", lw=1, ls=":", label="truth sin(πx)")
    ax.scatter(x_train, y_train, color="black", zorder=3, label="15 training points")
    for (lam, (w, _)), color in zip(fits.items(), ["tab:red", "tab:blue"]):
        train_err, test_err = errors(w)
        ax.plot(x_test, F_test @ w, color=color, lw=2,
                label=f"λ = {lam:g}: train {train_err:.3f}, test {test_err:.3f}")
    ax.set_ylim(-2.5, 2.5)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title("degree-11 fit: λ = 0 chases the noise, L2 smooths it")
    ax.legend(fontsize=8, loc="upper left")
    ax = axes[1]
    width = 0.4
    index = np.arange(degree + 1)
    for offset, (lam, (w, _)), color in zip([-width / 2, width / 2], fits.items(), ["tab:red", "tab:blue"]):
        ax.bar(index + offset, np.abs(w), width, color=color, label=f"λ = {lam:g}")
    ax.set_yscale("log")
    ax.set_xlabel("Legendre coefficient index k")
    ax.set_ylabel("|w_k| (log scale)")
    ax.set_title("L2 keeps every coefficient small (none exactly 0)")
    ax.legend()
    ax = axes[2]
    ax.plot(lam_grid, curve[:, 0], "o-", ms=3, label="train mse")
    ax.plot(lam_grid, curve[:, 1], "s-", ms=3, label="test mse (vs the noise-free truth)")
    ax.axvline(lam_good, color="tab:blue", ls="--", label=f"λ = {lam_good:g} (left panel)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("penalty strength λ (exact ridge solution)")
    ax.set_ylabel("mean squared error")
    ax.set_title("too little λ over-fits, too much under-fits")
    ax.legend(fontsize=8)
    fig.tight_layout()
    report.save(fig, "polynomial")

    (tr0, te0), (tr1, te1) = errors(fits[0.0][0]), errors(fits[lam_good][0])
    report.check("without a penalty the polynomial over-fits: train error far below test error",
                 tr0 < 0.5 * te0, f"train {tr0:.4f}, test {te0:.4f}")
    report.check(f"L2 (λ = {lam_good:g}) lowers the test error", te1 < 0.5 * te0,
                 f"test {te0:.4f} → {te1:.4f} (train {tr0:.4f} → {tr1:.4f})")
    report.check("L2 shrinks the weights", np.sum(fits[lam_good][0]**2) < np.sum(fits[0.0][0]**2),
                 f"Σw² {np.sum(fits[0.0][0]**2):.2f} → {np.sum(fits[lam_good][0]**2):.2f}")
    report.check("Adam on mse + l2_penalty reaches the exact ridge minimiser",
                 gap_good < 1e-3, f"largest coefficient gap {gap_good:.1e}")


# %% Run everything
def main(quick=False):
    report = Report("08_regularization")
    part_paths(report, quick)
    part_constraint(report, quick)
    part_polynomial(report, quick)
    return report


# %% Try it
# 1. In part 1, make x₁ a near copy of x₀ (0.99 instead of 0.85). Predict: L1 keeps one
#    of the pair and drops the other; L2 and elastic net share the weight between them.
# 2. In part 2, move the unpenalised optimum to (2.0, 1.6). Does the L1 optimum still
#    sit on a corner? Why not?
# 3. In part 3, try λ = 1e-1 and λ = 10 and predict the curve before you look.
# 4. Replace l2_penalty with l1_penalty in part 3 and train with proximal_gradient:
#    which Legendre coefficients survive?

if __name__ == "__main__":
    main()

"""Why losses matter: the loss decides where training ends.

A model only learns what its loss rewards. Here the same model is trained with
different losses and ends in different places: a single number fitted to data
becomes the mean under MSE, the median under MAE and something in between under
Huber. Then the loss landscape of a two-parameter line fit is drawn as contours,
for MSE and for MAE, with the paths that gradient descent and Adam take across it.
Finally the computation graph of a small loss is drawn node by node, each node with
its value and the gradient that backward sends through it.

Run it with `python -m lessons 01` (or `python -m lessons.01_why_losses`). To step
through it, open this file in VS Code or Jupyter: each `# %%` cell defines one part,
and the last cell runs main().
"""
import matplotlib.pyplot as plt
import numpy as np

import losses
import minigrad as mg
from lessons._common import Report, fit, rng

FIGURES = ["different_minima", "landscape", "graph"]

LOSSES = {"MSE": losses.mse, "MAE": losses.mae,
          "Huber δ=1": lambda pred, target, **kw: losses.huber(pred, target, delta=1.0, **kw)}


def decaying_adam(params, lr, steps):
    """Adam whose learning rate falls linearly to 0: it settles exactly even on a kinked loss."""
    opt = mg.optim.Adam(params, lr=lr)

    def on_step(step):
        opt.lr = lr * (1 - (step + 1) / steps)
    return opt, on_step


# %% Part 1 — the same model, three losses, three answers.
# The model predicts one number c for every sample (a price without any features).
# Watch where c ends: MSE lands on the mean, which the few large values pull up;
# MAE lands on the median, which ignores how far those values are; Huber in between.
def part_different_minima(report, quick):
    generator = rng(1)
    data = np.concatenate([generator.normal(2.0, 0.6, 36), generator.uniform(8, 10, 5)])  # 41 values
    steps = 300 if quick else 600
    paths = {}
    for label, loss in LOSSES.items():
        c = mg.Tensor(0.0, requires_grad=True)
        path = np.empty(steps)
        opt, decay = decaying_adam([c], lr=0.2, steps=steps)

        def record(step, c=c, path=path, decay=decay):
            decay(step)
            path[step] = c.item()
        fit([c], lambda c=c, loss=loss: loss(c * np.ones(len(data)), data), steps,
            optimizer=opt, on_step=record)
        paths[label] = path

    mean, median = data.mean(), np.median(data)
    grid = np.linspace(0, 10, 401)
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4.5))
    colors = {"MSE": "C0", "MAE": "C1", "Huber δ=1": "C2"}
    for label, loss in LOSSES.items():
        # the loss at every candidate c at once: a (grid, data) table of predictions
        table = np.broadcast_to(grid[:, None], (len(grid), len(data)))
        target = np.broadcast_to(data, table.shape)
        with mg.no_grad():
            curve = loss(table, target, reduction="none").data.mean(axis=1)
        left.plot(grid, curve, color=colors[label], lw=2,
                  label=f"{label}: ends at c = {paths[label][-1]:.2f}")
        left.axvline(paths[label][-1], color=colors[label], ls=":", lw=1.5)
        right.plot(np.arange(1, steps + 1), paths[label], color=colors[label], lw=2, label=label)
    # the data as ticks along the bottom edge (y in axes coordinates, x in data coordinates)
    left.plot(data, np.full_like(data, 0.04), "|", color="black", ms=14, label="the 41 data values",
              transform=left.get_xaxis_transform())
    left.set_yscale("log")
    left.set_xlabel("prediction c (the same for every sample)")
    left.set_ylabel("loss averaged over the data")
    left.set_title("Each loss has its minimum in a different place")
    left.legend(loc="upper center")
    right.axhline(mean, color="C0", ls="--", lw=1, label=f"data mean {mean:.2f}")
    right.axhline(median, color="C1", ls="--", lw=1, label=f"data median {median:.2f}")
    right.set_xlabel("training step (Adam, learning rate decaying to 0)")
    right.set_ylabel("c")
    right.set_title("Training ends at the mean (MSE) or at the median (MAE)")
    right.legend(loc="lower right")
    fig.tight_layout()
    report.save(fig, "different_minima")

    end = {label: path[-1] for label, path in paths.items()}
    report.check("MSE's c ends at the mean of the data", abs(end["MSE"] - mean) < 1e-3,
                 f"c = {end['MSE']:.4f}, mean = {mean:.4f}, off by {abs(end['MSE'] - mean):.1e}")
    report.check("MAE's c ends at the median of the data", abs(end["MAE"] - median) < 1e-2,
                 f"c = {end['MAE']:.4f}, median = {median:.4f}, off by {abs(end['MAE'] - median):.1e}")
    report.check("Huber's c ends between the median and the mean",
                 median < end["Huber δ=1"] < mean,
                 f"{median:.3f} < {end['Huber δ=1']:.3f} < {mean:.3f}")


# %% Part 2 — the loss landscape of a line fit, and the paths across it.
# Each point of the plane is a line ŷ = w x + b; the contours are the loss of that line.
# MSE's landscape is a smooth, stretched bowl: plain gradient descent zig-zags across its
# steep direction and crawls along the shallow one. MAE's landscape has straight creases
# (one per data point) and a corner at its minimum, in a different place than MSE's.
def landscape_data():
    generator = rng(2)
    x = generator.uniform(0, 4, 30)
    y = 1.5 * x - 1.0 + 0.3 * generator.standard_normal(30)
    y[[3, 11, 20]] += 6.0            # three outliers, all above the line
    return x, y


def loss_on_grid(loss, x, y, w_grid, b_grid):
    """The loss of the line w x + b for every (w, b) on the grid, in one batched call."""
    W, B = np.meshgrid(w_grid, b_grid)
    pred = W[..., None] * x + B[..., None]                   # (len(b), len(w), n)
    with mg.no_grad():
        values = loss(pred, np.broadcast_to(y, pred.shape), reduction="none")
    return values.data.mean(axis=-1)


def descend(loss, x, y, start, optimizer, steps):
    """The (w, b) path of one optimizer from `start`; optimizer is ("sgd" | "adam", lr)."""
    w, b = mg.Tensor(start[0], requires_grad=True), mg.Tensor(start[1], requires_grad=True)
    kind, lr = optimizer
    if kind == "adam":
        opt, decay = decaying_adam([w, b], lr, steps)
    else:
        opt, decay = mg.optim.SGD([w, b], lr=lr), (lambda step: None)
    path = [start]

    def record(step):
        decay(step)
        path.append((w.item(), b.item()))
    fit([w, b], lambda: loss(w * x + b, y), steps, optimizer=opt, on_step=record)
    return np.array(path)


def best_line_through_two_points(x, y):
    """The least-absolute-deviation line by brute force: some optimal line passes through
    two data points, so trying every pair finds the minimum of MAE exactly."""
    best = (np.inf, None)
    for i in range(len(x)):
        for j in range(i + 1, len(x)):
            w = (y[j] - y[i]) / (x[j] - x[i])
            b = y[i] - w * x[i]
            best = min(best, (np.mean(np.abs(w * x + b - y)), (w, b)), key=lambda t: t[0])
    return np.array(best[1])


def part_landscape(report, quick):
    x, y = landscape_data()
    steps = 200 if quick else 300
    start = (2.5, 3.0)
    optimizers = {"gradient descent (lr 0.14)": ("sgd", 0.14), "Adam (lr 0.3, decaying)": ("adam", 0.3)}
    minima = {"MSE": np.linalg.lstsq(np.stack([x, np.ones_like(x)], 1), y, rcond=None)[0],
              "MAE": best_line_through_two_points(x, y)}
    w_grid = np.linspace(-1.5, 3.0, 80 if quick else 160)
    b_grid = np.linspace(-3.0, 4.5, 80 if quick else 160)

    fig, axes = plt.subplots(1, 2, figsize=(13, 5.2))
    ends = {}
    for ax, name in zip(axes, ["MSE", "MAE"]):
        surface = loss_on_grid(LOSSES[name], x, y, w_grid, b_grid)
        # levels crowd near the minimum, where the shape of the bottom shows
        low, high = surface.min(), surface.max()
        levels = low + (high - low) * np.geomspace(0.002, 1, 20)
        ax.contour(w_grid, b_grid, surface, levels=levels, cmap="viridis", linewidths=1)
        for (label, optimizer), color in zip(optimizers.items(), ["crimson", "darkorange"]):
            path = descend(LOSSES[name], x, y, start, optimizer, steps)
            ends[name, optimizer[0]] = path[-1]
            ax.plot(path[:, 0], path[:, 1], ".-", color=color, ms=3, lw=1, label=label)
        ax.plot(*start, "ks", ms=7, label="start")
        for other, marker in zip(["MSE", "MAE"], ["*", "P"]):
            ax.plot(*minima[other], marker, color="black", mfc="white", ms=14,
                    label=f"minimum of {other}: w = {minima[other][0]:.2f}, b = {minima[other][1]:.2f}")
        ax.set_xlabel("slope w")
        ax.set_ylabel("intercept b")
    fig.legend(*axes[0].get_legend_handles_labels(), loc="lower center", ncol=5, fontsize=9)
    axes[0].set_title("MSE: a smooth stretched bowl; gradient descent zig-zags across it")
    axes[1].set_title("MAE: creases and a corner, and the minimum sits elsewhere")
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    report.save(fig, "landscape")

    off_mse = np.max(np.abs(ends["MSE", "sgd"] - minima["MSE"]))
    report.check("gradient descent on MSE reaches the least-squares line", off_mse < 1e-3,
                 f"ends at w, b = {ends['MSE', 'sgd'][0]:.4f}, {ends['MSE', 'sgd'][1]:.4f}, "
                 f"off by {off_mse:.1e}")
    off_mae = np.max(np.abs(ends["MAE", "adam"] - minima["MAE"]))
    report.check("Adam on MAE reaches the best line through two data points (brute force)",
                 off_mae < 5e-3,
                 f"ends at w, b = {ends['MAE', 'adam'][0]:.3f}, {ends['MAE', 'adam'][1]:.3f}, "
                 f"off by {off_mae:.1e}")
    shift = minima["MSE"][1] - minima["MAE"][1]
    report.check("the two losses put the best line in different places (MSE's is lifted by the outliers)",
                 shift > 0.3, f"MSE's intercept is {shift:.2f} higher than MAE's")


# %% Part 3 — the computation graph of a small loss.
# L = mse(w·x + b, y) for one sample, as minigrad records it. Every box is a tensor: the
# op that made it, its value, and dL/d(that tensor) from one backward pass. Read the
# gradients right to left: each box's gradient is the next box's times a local derivative.
def collect_graph(root):
    """Every tensor that `root` was computed from, found by walking `_parents`,
    with its depth (longest distance from root) and the edges (parent, child)."""
    depth, edges, stack = {id(root): 0}, [], [root]
    nodes = {id(root): root}
    while stack:
        node = stack.pop()
        for parent in node._parents:
            edges.append((id(parent), id(node)))
            if depth.get(id(parent), -1) < depth[id(node)] + 1:
                depth[id(parent)] = depth[id(node)] + 1
                nodes[id(parent)] = parent
                stack.append(parent)         # revisit: its ancestors get deeper too
    return nodes, depth, sorted(set(edges))


def draw_graph(ax, root, names):
    nodes, depth, edges = collect_graph(root)
    needs_grad = [t for t in nodes.values() if t.requires_grad]
    grads = dict(zip((id(t) for t in needs_grad), mg.grad(root, needs_grad)))
    columns = {}
    for key in nodes:
        columns.setdefault(depth[key], []).append(key)
    deepest = max(columns)
    position = {}
    for d, keys in columns.items():
        for i, key in enumerate(keys):
            position[key] = (deepest - d, (len(keys) - 1) / 2 - i)
    for parent, child in edges:
        ax.annotate("", xy=position[child], xytext=position[parent],
                    arrowprops=dict(arrowstyle="-|>", color="0.4", shrinkA=28, shrinkB=28, lw=1.2))
    for key, t in nodes.items():
        title = (f"{names[key]} ({t._op})" if key in names and t._op
                 else names.get(key) or t._op or "constant")
        text = f"{title}\nvalue {t.item():.3g}"
        if t.requires_grad:
            text += f"\ngrad {grads[key].item():.3g}"
        face = "#cfe8ff" if not t._parents and t.requires_grad else "#ffe9c7" if t._parents else "0.92"
        ax.text(*position[key], text, ha="center", va="center", fontsize=9,
                bbox=dict(boxstyle="round,pad=0.4", fc=face, ec="0.3"))
    ax.set_xlim(-0.6, deepest + 0.6)
    rows = max(len(k) for k in columns.values())
    ax.set_ylim(-rows / 2 - 0.1, rows / 2 + 0.1)
    ax.axis("off")
    return grads


def part_graph(report, quick):
    w, b = mg.Tensor(0.5, requires_grad=True), mg.Tensor(0.2, requires_grad=True)
    x, y = mg.Tensor(2.0), mg.Tensor(3.0)
    loss = losses.mse(w * x + b, y)
    names = {id(w): "w (parameter)", id(b): "b (parameter)", id(x): "x (input)", id(y): "y (target)",
             id(loss): "L"}

    fig, ax = plt.subplots(figsize=(11, 4))
    grads = draw_graph(ax, loss, names)
    ax.text(0.5, -0.04, "mse is the mean of r² with r = y − ŷ; minigrad writes y − ŷ as y + (−ŷ) "
            "and the mean as sum × (1/n), here with n = 1", transform=ax.transAxes, ha="center")
    ax.set_title("The graph behind L = mse(w·x + b, y): values flow right, gradients flow back left\n"
                 "(blue: parameters, orange: ops, grey: constants)")
    fig.tight_layout()
    report.save(fig, "graph")

    # by hand: ŷ = 0.5·2 + 0.2 = 1.2, r = y - ŷ = 1.8, L = r² = 3.24,
    # dL/dw = -2 r x = -7.2, dL/db = -2 r = -3.6
    report.check("L = (3 - (0.5·2 + 0.2))² = 3.24, as worked by hand", abs(loss.item() - 3.24) < 1e-12,
                 f"L = {loss.item():.6f}")
    report.check("the gradients at w and b follow the chain rule: dL/dw = -2rx = -7.2, dL/db = -2r = -3.6",
                 abs(grads[id(w)].item() + 7.2) < 1e-12 and abs(grads[id(b)].item() + 3.6) < 1e-12,
                 f"dL/dw = {grads[id(w)].item():.6f}, dL/db = {grads[id(b)].item():.6f}")


# %% Run every part.
def main(quick=False):
    report = Report("01_why_losses")
    part_different_minima(report, quick)
    part_landscape(report, quick)
    part_graph(report, quick)
    return report


# %% Try it
# 1. In part 1, move the five large values from 8–10 to 80–100. Predict first: which of
#    the three answers moves, and by how much?
# 2. In part 2, raise the gradient-descent learning rate from 0.14 to 0.19. The steep
#    direction of the MSE bowl has curvature about 11 (the larger eigenvalue of the Hessian
#    2·mean([[x², x], [x, 1]])). Predict the path first: what happens once lr × 11 > 2?
# 3. In part 3, replace losses.mse by losses.huber with delta=1.0 and run it again.
#    Which boxes are new, and why is dL/dw now -2 instead of -7.2?

if __name__ == "__main__":
    main()

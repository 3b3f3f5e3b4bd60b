# %% [markdown]
# # Your own loss: write the formula, register it, check it, explore it
#
# This notebook adds a loss to the library the way you would add one of your own. The loss
# is **pseudo-Huber**, with r = ŷ − y:
#
# $$L_\delta(r) = \delta^2\left(\sqrt{1 + (r/\delta)^2} - 1\right)$$
#
# Near r = 0 it is about r²/2, like MSE; far away it is about δ|r|, like MAE; and unlike
# Huber it is smooth everywhere: its curvature never jumps. Its gradient is
# $r / \sqrt{1 + (r/\delta)^2}$, which never exceeds δ in size.
#
# Run it cell by cell (VS Code, or Jupyter with jupytext), or as a script from any folder:
# `python lessons/your_own_loss.py`. Copy the file, change the formula, and run it again.

# %%
import math

import numpy as np

import losses
import minigrad as mg

DELTA = 1.0          # Try it: 0.2. Does the fit through the outliers get better or worse?
STEPS = 300          # training steps of the convergence figure
OUT = "plots"        # explore writes its figures into this folder; None only shows them

# %% [markdown]
# ## 1. Write the formula and register it
#
# The function below is the formula and nothing else. `@losses.register(kind="regression")`
# does what every regression loss needs before and after it: `pred` and `target` arrive as
# minigrad tensors of the same shape (an (N, 1) column against (N,) targets raises
# `ValueError` with the reshape hint, and so does an empty batch), the formula returns one
# value per element, and the loss you get back takes `reduction="mean" | "sum" | "none"`.
# `gradient=` is the closed form of the derivative along the residual: `losses.check`
# compares it with the engine's backward pass, and `losses.explore` draws it dashed.
# Its parameter `delta` is read from the signature, so the tools can change it.


# %%
@losses.register(kind="regression", gradient=lambda r, delta=1.0: r / np.sqrt(1 + (r / delta) ** 2))
def pseudo_huber(pred, target, delta=1.0):
    """Pseudo-Huber loss: r²/2 near 0, δ|r| far away, smooth everywhere.

    Reference: P. J. Huber, "Robust Estimation of a Location Parameter", 1964 (the Huber
    loss); R. Hartley and A. Zisserman, "Multiple View Geometry", 2nd ed., 2004, A6.8.
    """
    r = pred - target
    return delta ** 2 * (((r / delta) ** 2 + 1).sqrt() - 1)


# %% [markdown]
# Values worked out by hand, with δ = 1: at r = 0 the loss is 0; at r = 3 it is
# √(1 + 9) − 1 = √10 − 1 ≈ 2.1623, so the mean is ≈ 1.0811. The engine differentiates the
# formula: the gradient of the mean with respect to ŷ is r/√(1 + r²) / 2, that is 0 and
# 3/√10 / 2 ≈ 0.4743.

# %%
pred = mg.Tensor([0.0, 3.0], requires_grad=True)
loss = pseudo_huber(pred, [0.0, 0.0])
loss.backward()
print("values:", pseudo_huber(pred, [0.0, 0.0], reduction="none").data, "by hand:", [0.0, math.sqrt(10) - 1])
print("mean:", loss.item(), "gradient:", pred.grad, "by hand:", [0.0, 3 / math.sqrt(10) / 2])

# %% [markdown]
# ## 2. Check it
#
# `losses.check` tests the lecture's properties on the loss: backward against finite
# differences, your closed form against backward, kinks, extremes, non-negative, zero at a
# perfect fit, shapes, the empty batch, reductions, float32, and whether the gradient in
# the residual stays bounded (robust to outliers). Read the report line by line.

# %%
result = losses.check("pseudo_huber", delta=DELTA)
print("passed:", result.passed)

# %% [markdown]
# A check is only worth something if it can fail. Register the same loss with a closed
# form whose sign is flipped, a slip that is easy to make, and look at the "closed-form
# gradient" line: it gives both numbers.


# %%
@losses.register(kind="regression", gradient=lambda r, delta=1.0: -r / np.sqrt(1 + (r / delta) ** 2))
def pseudo_huber_wrong_sign(pred, target, delta=1.0):
    r = pred - target
    return delta ** 2 * (((r / delta) ** 2 + 1).sqrt() - 1)


wrong = losses.check("pseudo_huber_wrong_sign", verbose=False)
print(wrong["closed_form"].status, "-", wrong["closed_form"].detail)

# %% [markdown]
# ## 3. Explore it
#
# `losses.explore` draws two figures: the loss, its gradient and its curvature along the
# residual next to MSE, and a line fitted through data with 10% outliers, trained with
# your loss and with MSE. Notice the curvature panel: Huber's jumps from 1 to 0 at ±δ,
# pseudo-Huber's falls smoothly.

# %%
exploration = losses.explore("pseudo_huber", steps=STEPS, out=OUT, delta=DELTA)
ours = exploration.numbers[f"pseudo_huber(delta={DELTA:g})"]
reference = exploration.numbers["mse (reference)"]
print(f"distance of the fitted line to the true one: pseudo-Huber {ours:.3f}, MSE {reference:.3f}")

# %% [markdown]
# ## 4. Move δ with a slider
#
# In Jupyter, run `%matplotlib widget` (the ipympl package) first, then the cell below: a
# slider for δ redraws the loss, gradient and curvature as you move it. From a terminal,
# `explore --interactive` opens the same figure in a window (next section). Keep the
# returned object: its sliders stop responding once nothing refers to them.

# %%
sliders = losses.workbench.interactive("pseudo_huber", delta=DELTA)

# %% [markdown]
# ## 5. From the command line
#
# Once a file registers a loss, the command line knows it. Copy the two cells of step 1
# (the imports and the decorated formula) into a file of their own, `my_loss.py`; then,
# from the folder that holds it (any folder works: the path is relative to where you are):
#
#     python -m lessons check pseudo_huber --import my_loss.py
#     python -m lessons explore pseudo_huber --param delta=0.2 --import my_loss.py
#     python -m lessons explore pseudo_huber --import my_loss.py --interactive
#
# `check` exits with 1 when a line fails. `explore` writes its figures to `./plots`, named
# with the parameters you changed (`explore_pseudo_huber_delta=0.2_curves.png`).
# (`--import your_own_loss.py` works too, but runs this whole notebook first.)
#
# A formula that needs its own reduction (a mean over something other than the samples)
# takes a `reduction` argument; register then leaves the reduction to it, and
# `losses.reduce.apply(values, reduction, fn="my_loss")` applies the usual three.
#
# ## Try it
#
# 1. Set `DELTA = 0.2`. Predict first: does the fitted line move nearer the true line or
#    farther from it?
# 2. Write the log-cosh loss, log(cosh(r)), as its formula and register it. Check it. What
#    does the "finite at extremes" line say, and why? (Hint: cosh(1000).)
# 3. Drop `.sqrt()` from the formula (so the loss is δ²·(r/δ)², a scaled MSE) but keep the
#    closed form. Which lines fail, and what does the robustness line say now?
#
# ## Answers
#
# 1. Nearer: with δ = 0.2 the gradient is capped at 0.2, so the outliers pull even less.
#    After 300 steps the distance to the true (slope, intercept) is 0.063 with δ = 0.2,
#    against 0.117 with δ = 1 and 1.46 for MSE.
# 2. "finite at extremes" fails: cosh(1e6) overflows, the value is inf. The stable
#    form r + softplus(−2r) − log 2 (see `losses.log_cosh`) passes every line.
# 3. "closed-form gradient" fails: at r = −3 backward gives 2r = −6, the closed form
#    r/√(1 + r²) = −0.949. The robustness line turns to "no": 2r grows with the residual.

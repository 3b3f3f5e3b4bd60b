"""Try-it answers and counterfactuals for lesson 06 (see lessons/answers/__init__.py)."""
from lessons.answers import Counterfactual, Exercise

EXERCISES = [
    Exercise(
        "A margin of 3",
        edit={"MARGIN": 3.0},
        expect={"training_separates": True, "held_out_better_than_before": True, "held_out_better_than_raw": True},
        why="Only the dissimilar branch knows about m, so the clumps are pushed until they are about 3 apart "
            "instead of 1: the whole embedding is stretched about three times, the similar pairs stay clumped, "
            "and the ratio of the mean distances still falls far below a fifth of its start. The held-out "
            "identities gain about as much as before (AUC well above 0.9 against about 0.7 for the raw input): "
            "the margin sets the scale of the embedding, not what it learns to ignore. It takes the dissimilar "
            "pairs longer to all reach the wider margin, so in quick mode (fewer steps) fewer than 95% of them "
            "are 0.9·m apart at the end."),
    Exercise(
        "Similar pairs only",
        edit={"SIMILAR_ONLY": True},
        expect={"margin_reached": False, "held_out_better_than_before": True},
        why="With no dissimilar pair nothing pushes the embedding apart, and the cheapest way to make every "
            "D² small is to shrink every distance: the network squeezes the whole embedding towards one point, "
            "and no dissimilar pair ends 0.9·m apart. Notice what still happens: pulling the sightings of one "
            "identity together forces the network to throw away the nuisance, and the AUC only looks at the "
            "order of the distances, not their size, so the held-out AUC still rises above its start. But the "
            "embedding has lost its scale (no threshold near m means anything any more) and it no longer beats "
            "the raw input at retrieval on every seed. The dissimilar branch is what keeps a contrastive "
            "embedding from collapsing."),
    Exercise(
        "No nuisance",
        edit={"NUISANCE": 0.0},
        expect={"held_out_better_than_raw": False, "margin_reached": True},
        why="Without the nuisance coordinates the raw input is the identity space itself, rotated: its held-out "
            "AUC is already 0.999 or 1 and its recall@1 0.98 to 1. Training still meets the margin on the training "
            "pairs, but an embedding learned from ten identities cannot beat a perfect input on six new ones. "
            "A learned metric pays off when the raw distance is dominated by what does not matter (pose, light)."),
    Exercise(
        "A 1-D embedding",
        edit={"EMBEDDING_DIM": 1},
        expect={"training_separates": True, "held_out_better_than_raw": False},
        why="On a line ten clumps can still sit m apart from their neighbours (the line is long), so the "
            "training identities separate. But each clump has only two neighbours, and the held-out identities "
            "must fit into the same line between and over the trained clumps: the held-out AUC stays near 0.9, "
            "above the raw input's 0.7, while recall@1 drops to about 0.6–0.8, below the raw input's on most "
            "seeds. Retrieval needs room around every identity, which one dimension does not give."),
]

COUNTERFACTUALS = [
    Counterfactual({"SIMILAR_ONLY": True}, fails=("margin_reached",),
                   reason="without the dissimilar branch nothing pushes pairs apart: the embedding shrinks"),
    Counterfactual({"NUISANCE": 0.0}, fails=("held_out_better_than_raw", "held_out_better_than_before"),
                   reason="without nuisance the raw input (and the untrained network) already verify perfectly"),
    Counterfactual({"STEPS": 0}, fails=("training_separates", "margin_reached", "held_out_better_than_before"),
                   reason="no training: the embedding after is the embedding before"),
]

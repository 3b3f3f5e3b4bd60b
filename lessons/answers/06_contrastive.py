"""Try-it answers and counterfactuals for lesson 06 (see lessons/answers/__init__.py)."""
from lessons.answers import Counterfactual, Exercise, LibraryFault

EXERCISES = [
    Exercise(
        "A margin of 3",
        edit={"MARGIN": 3.0},
        expect={"training_separates": True, "held_out_better_than_before": True, "held_out_better_than_raw": True,
                "margin_reached": True},
        why="Only the dissimilar branch knows about m, so the clumps are pushed until they are about 3 apart "
            "instead of 1: the whole embedding is stretched about three times, the similar pairs stay clumped, "
            "and the ratio of the mean distances still falls far below a fifth of its start. The held-out "
            "identities gain about as much as before (AUC well above 0.9 against about 0.7 for the raw input): "
            "the margin sets the scale of the embedding, not what it learns to ignore. It takes the dissimilar "
            "pairs longer to reach the wider margin: in quick mode (fewer steps) a few percent more of them "
            "end short of 0.9·m than with m = 1."),
    Exercise(
        "Similar pairs only",
        edit={"SIMILAR_ONLY": True},
        expect={"margin_reached": False, "held_out_better_than_before": True, "training_separates": False,
                "held_out_better_than_raw": False, "val_beats_raw": False},
        why="With no dissimilar pair nothing pushes the embedding apart, and the cheapest way to make every "
            "D² small is to shrink every distance: the network squeezes the whole embedding towards one point, "
            "and no dissimilar pair ends 0.9·m apart. Notice what still happens: pulling the sightings of one "
            "identity together forces the network to throw away the nuisance, and the AUC only looks at the "
            "order of the distances, not their size, so the held-out AUC still rises above its start. But the "
            "embedding has lost its scale (no threshold near m means anything any more) and it no longer beats "
            "the raw input at retrieval on every seed. The dissimilar branch is what keeps a contrastive "
            "embedding from collapsing.",
        explain={"training_separates": "Everything shrinks together, the dissimilar pairs almost as much as the "
                                       "similar ones, so the ratio of their mean distances falls only three- to "
                                       "fourfold (0.78 to 0.24 on seed 1), not fivefold.",
                 "margin_reached": "Nothing pushes a dissimilar pair out: none ends 0.9·m apart.",
                 "held_out_better_than_raw": "The shrunken embedding's recall@1 falls below the raw "
                                             "input's on some seeds (0.65 against 0.73 on seed 1 in a full run).",
                 "val_beats_raw": "A threshold picked on the training identities at a false-accept rate of 0.001 "
                                  "sits at a tiny distance in a shrunken embedding, so it accepts almost no "
                                  "unseen same-identity pair: VAL falls to a few percent, below the raw input's."}),
    Exercise(
        "No nuisance",
        edit={"NUISANCE": 0.0},
        expect={"held_out_better_than_raw": False, "margin_reached": True, "training_separates": False,
                "held_out_better_than_before": False},
        why="Without the nuisance coordinates the raw input is the identity space itself, rotated: its held-out "
            "AUC is already 0.999 or 1 and its recall@1 0.98 to 1. Training still meets the margin on the training "
            "pairs, but an embedding learned from ten identities cannot beat a perfect input on six new ones. "
            "A learned metric pays off when the raw distance is dominated by what does not matter (pose, light).",
        explain={"training_separates": "The untrained network already separates the identities (ratio about 0.1), "
                                       "so training cannot shrink it fivefold further.",
                 "held_out_better_than_before": "The untrained network's held-out AUC and recall@1 are already "
                                                "near 1, and training does not raise both on every seed.",
                 "held_out_better_than_raw": "The raw input is now perfect (AUC 0.999–1): nothing can beat it."}),
    Exercise(
        "A 1-D embedding",
        edit={"EMBEDDING_DIM": 1},
        expect={"training_separates": True, "held_out_better_than_raw": False},
        why="On a line ten clumps can still sit m apart from their neighbours (the line is long), so the "
            "training identities separate. But each clump has only two neighbours, and the held-out identities "
            "must fit into the same line between and over the trained clumps: the held-out AUC stays near 0.9, "
            "above the raw input's 0.7, while recall@1 drops to about 0.6–0.8, below the raw input's on most "
            "seeds. Retrieval needs room around every identity, which one dimension does not give.",
        explain={"held_out_better_than_raw": "Recall@1 falls below the raw input's on some seed: new "
                                             "identities land on top of each other on the line."}),
    Exercise(
        "A 1-D linear baseline",
        edit={"LDA_DIMS": 1},
        expect={"lda_matches_trained": False},
        why="The identities live in a 2-D 'who' space. Fisher's LDA with one direction keeps only the best line "
            "through it: identities that differ along the other direction land on top of each other, and the "
            "held-out AUC drops from about 0.999 to about 0.9, below the trained 2-D embedding's 0.98. The "
            "linear baseline wins only when it may keep as many dimensions as the nuisance-free signal has.",
        explain={"lda_matches_trained": "With one direction LDA's held-out AUC falls to about 0.9, more than 0.01 "
                                        "below the trained embedding's."}),
]

COUNTERFACTUALS = [
    Counterfactual({"SIMILAR_ONLY": True}, fails=("margin_reached",),
                   reason="without the dissimilar branch nothing pushes pairs apart: the embedding shrinks"),
    Counterfactual({"NUISANCE": 0.0}, fails=("held_out_better_than_raw", "held_out_better_than_before"),
                   reason="without nuisance the raw input (and the untrained network) already verify perfectly"),
    Counterfactual({"STEPS": 0}, fails=("training_separates", "margin_reached", "held_out_better_than_before",
                                        "val_beats_raw"),
                   reason="no training: the embedding after is the embedding before"),
    Counterfactual({"LDA_DIMS": 1}, fails=("lda_matches_trained",),
                   reason="one LDA direction cannot hold a 2-D identity space"),
]

LIBRARY_FAULTS = [
    LibraryFault({"losses.contrastive": "lambda x1, x2, y, **kw: original(x1, x2, 1.0 - np.asarray(y, dtype=float), **kw)"},
                 fails=("branches_match", "by_hand", "training_separates", "margin_reached",
                        "held_out_better_than_before", "val_beats_raw"),
                 reason="Y = 0 and Y = 1 swapped: similar pairs are pushed apart and dissimilar ones pulled in"),
    LibraryFault({"losses.contrastive": "lambda x1, x2, y, margin=1.0, **kw: original(x1, x2, y, margin=0.0, **kw)"},
                 fails=("branches_match", "by_hand", "margin_reached", "val_beats_raw"),
                 reason="the margin ignored: the dissimilar branch is 0 and nothing pushes pairs apart"),
    LibraryFault({"minigrad.optim.Adam": "lambda params, lr=1e-3, **kw: original(params, lr=0.0, **kw)"},
                 fails=("training_separates", "margin_reached", "held_out_better_than_before", "val_beats_raw"),
                 reason="an optimizer that never moves the weights: no claim about training can hold"),
]

"""Try-it answers and counterfactuals for lesson 07 (see lessons/answers/__init__.py)."""
from lessons.answers import Counterfactual, Exercise, LibraryFault

EXERCISES = [
    Exercise(
        "Both regimes overlapping",
        edit={"SEPARATED_SPREAD": 0.6},
        expect={"batch_hard_trains_when_separated": False, "batch_hard_collapses_when_overlapping": True,
                "soft_margin_keeps_pulling": False},
        why="With std 0.6 around centres about 1 apart the 'separated' classes overlap too, and batch-hard "
            "loses its footing there as well: on most seeds it collapses (spread a few thousandths, loss stuck "
            "at m = 1), and where it does not (seed 0 in a full run) it stalls, meeting the margin on only a third "
            "of the triplets. Nothing about the loss changed — only the data. That is the condition: batch-hard "
            "trains when some embedding can put every anchor's farthest positive nearer than its nearest "
            "negative, and collapses when the classes overlap.",
        explain={"batch_hard_trains_when_separated": "Batch-hard fails on the now-overlapping classes: it "
                                                     "collapses or stalls, and meets the margin on a third of the "
                                                     "triplets at best.",
                 "soft_margin_keeps_pulling": "A collapsed or stalled hinge keeps most of its triplets active, "
                                              "so its active share never falls below 5% — and the soft margin fails "
                                              "too: its ratio is no better than the hinge's."}),
    Exercise(
        "Classes that touch",
        edit={"OVERLAPPING_SPREAD": 0.3},
        expect={"batch_hard_collapses_when_overlapping": False, "semi_hard_trains_on_the_circle": True},
        why="At std 0.3 the classes touch but hardly overlap, and batch-hard no longer collapses: on most "
            "seeds it meets the margin on every triplet, on the others it opens up part of the way and meets it "
            "on most. The collapse is a property of overlapping data, not of batch-hard mining. "
            "(Semi-hard on the circle trains as before.)",
        explain={"batch_hard_collapses_when_overlapping": "Batch-hard collapses on none of the seeds: its spread "
                                                          "grows instead of shrinking, and on most seeds its loss "
                                                          "ends near 0, far from m."}),
    Exercise(
        "No unit circle",
        edit={"NORMALIZE": False},
        expect={"semi_hard_trains_on_the_circle": True, "circle_does_not_rescue_batch_hard": True},
        why="With the same margin 0.2 but no normalisation, both claims still hold — and the figure shows why "
            "normalisation matters. Semi-hard meets the margin on even more triplets, but by stretching: its "
            "spread grows from about 0.2 to several units, where a margin of 0.2 is a small fraction of every "
            "distance. Batch-hard collapses completely (spread below 0.01), while on the circle it folded into "
            "a few tight clumps on some seeds instead: normalisation changes how batch-hard fails on "
            "overlapping classes, not whether it fails."),
    Exercise(
        "A margin of 2.5 on the unit circle",
        edit={"UNIT_MARGIN": 2.5},
        expect={"semi_hard_trains_on_the_circle": False, "circle_does_not_rescue_batch_hard": False},
        why="On the unit circle no two embeddings are more than 2 apart, so d(a,n) − d(a,p) ≤ 2 < 2.5: no "
            "triplet can ever meet the margin, and the fraction met is 0% for every mode. Semi-hard's loss ends "
            "near 2.35: it can put the negatives a little beyond the positives, but never 2.5 beyond. On the sphere "
            "the margin must be below the diameter (2 for plain distances, 4 for FaceNet's squared ones).",
        explain={"semi_hard_trains_on_the_circle": "No triplet can meet a margin wider than the circle: 0% met.",
                 "circle_does_not_rescue_batch_hard": "Batch-hard and semi-hard both meet the margin on 0% of "
                                                      "the triplets, and 0 is not less than half of 0: the "
                                                      "comparison has nothing left to compare."}),
    Exercise(
        "A 1-D linear baseline",
        edit={"LDA_DIMS": 1},
        expect={"lda_matches_every_mode": False},
        why="One LDA direction keeps the best line through the 2-D identity space. Verification barely notices "
            "(the held-out AUC stays near 0.95, still above the trained modes'), because most pairs of "
            "identities still differ along that line. Retrieval does: identities that differ only along the "
            "dropped direction land on top of each other, and recall@1 falls from about 1 to about 0.7, below "
            "every mining mode's. A metric can look fine on AUC and fail at finding the nearest neighbour.",
        explain={"lda_matches_every_mode": "LDA's recall@1 falls to 0.57–0.68, far more than 0.05 below the "
                                           "mining modes' 0.8–0.9."}),
]

COUNTERFACTUALS = [
    Counterfactual({"OVERLAPPING_SPREAD": 0.15},
                   fails=("batch_hard_collapses_when_overlapping", "semi_hard_meets_margin_when_overlapping",
                          "circle_does_not_rescue_batch_hard"),
                   reason="with separated classes in the 'overlapping' slot batch-hard trains, normalised or not"),
    Counterfactual({"STEPS": 10}, fails=("semi_hard_meets_margin_by_stretching", "semi_hard_opens_when_overlapping"),
                   reason="ten steps are too few to stretch: most triplets in order do not yet meet the margin"),
    Counterfactual({"SEPARATED_SPREAD": 0.8}, fails=("soft_margin_keeps_pulling",),
                   reason="on overlapping classes the hinge collapses with every triplet active"),
    Counterfactual({"NUISANCE": 0.0}, fails=("held_out_every_mode_beats_raw", "val_every_mode_beats_raw"),
                   reason="without nuisance the raw input already verifies and retrieves almost perfectly"),
    Counterfactual({"FAR_TARGET": 0.2}, fails=("threshold_too_loose_for_new_people",),
                   reason="at a target of 0.2 no embedding can let in ten times as many impostors"),
    Counterfactual({"LDA_DIMS": 1}, fails=("lda_matches_every_mode",),
                   reason="one LDA direction cannot hold a 2-D identity space"),
]

_ONLY = "lambda E, labels, mining='all', **kw: original(E, labels, mining={!r} if mining == {!r} else mining, **kw)"

LIBRARY_FAULTS = [
    LibraryFault({"losses.batch_triplet": _ONLY.format("all", "semi-hard")},
                 fails=("semi_hard_pick", "semi_hard_opens_when_overlapping", "semi_hard_meets_margin_by_stretching"),
                 reason="semi-hard mining replaced by 'all': averaged over every active triplet the embedding "
                        "stretches far less, and the margin still means something"),
    LibraryFault({"losses.batch_triplet": _ONLY.format("all", "hard")},
                 fails=("batch_hard_pick", "batch_hard_collapses_when_overlapping", "circle_does_not_rescue_batch_hard"),
                 reason="batch-hard replaced by 'all': nothing collapses"),
    LibraryFault({"losses.triplet": "lambda a, p, n, **kw: original(a, p, n, **{**kw, 'squared': True})"},
                 fails=("matches_formula", "negative_costs"),
                 reason="squared distances where the formula has plain ones"),
    LibraryFault({"losses.batch_triplet": "lambda E, labels, margin=1.0, **kw: original(E, labels, margin=0.0, **kw)"},
                 fails=("semi_hard_pick", "batch_hard_pick", "batch_hard_trains_when_separated",
                        "semi_hard_meets_margin_by_stretching", "semi_hard_trains_on_the_circle"),
                 reason="the margin ignored: a triplet in the right order by any amount costs nothing"),
]

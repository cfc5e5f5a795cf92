"""The error inventory of commitments.train.inventory, on hand-built spans."""
from commitments.model import Commitment, Document
from commitments.train.inventory import error_inventory

TEXT = ("The two sides agreed to expand trade. Japan will host the next meeting in Tokyo. "
        "China welcomed the visit. Both will review the plan by 2026.")


def c(i, start, end, kind="agreement", modality="firm"):
    return Commitment(id=f"c{i}", start=start, end=end, text=TEXT[start:end], kind=kind,
                      modality=modality)


def doc(commitments, id_="d1"):
    return Document(id=id_, text=TEXT, commitments=commitments)


def test_categories_counted_by_hand():
    # gold: "expand trade" (24-36), "host the next meeting in Tokyo" (49-79),
    #       "review the plan by 2026" (117-140)
    gold = [c(1, 24, 36), c(2, 49, 79, kind="pledge"), c(3, 117, 140)]
    pred = [
        c(1, 24, 36, modality="qualified"),        # right span, wrong modality
        c(2, 49, 58, kind="pledge"),               # "host the " only: IoU 9/30 -> wrong span
        c(3, 81, 106),                             # "China welcomed the visit": false positive
    ]
    inv = error_inventory([doc(gold)], [doc(pred)])
    counts = inv.counts()
    assert (counts["gold"], counts["pred"], counts["tp"]) == (3, 3, 1)
    assert counts["modality"] == 1 and counts["kind"] == 0
    assert counts["wrong_span"] == 1
    assert counts["false_positive"] == 1
    assert counts["miss"] == 1
    (ws,) = inv.of("wrong_span")
    assert (ws.gold.start, ws.pred.end) == (49, 58)
    (miss,) = inv.of("miss")
    assert miss.gold.start == 117
    assert miss.fixable is None  # no candidates given


def test_fixable_needs_a_matching_candidate():
    gold = [c(1, 49, 79), c(2, 117, 140)]
    pred = [c(1, 81, 106)]
    cands = {"d1": [(81, 106), (49, 80), (117, 125)]}  # covers gold 1, not gold 2 (IoU 8/23)
    inv = error_inventory([doc(gold)], [doc(pred)], cands)
    misses = {m.gold.start: m.fixable for m in inv.of("miss")}
    assert misses == {49: True, 117: False}
    (fp,) = inv.of("false_positive")
    assert fp.fixable is True
    assert inv.counts()["miss_fixable"] == 1


def test_missing_prediction_document_counts_as_empty():
    inv = error_inventory([doc([c(1, 24, 36)])], [])
    assert inv.counts()["miss"] == 1 and inv.counts()["pred"] == 0


def test_per_document_counts_and_bootstrap():
    from commitments.train.inventory import bootstrap_f1

    gold = [doc([c(1, 24, 36), c(2, 49, 79)], "a"), doc([c(1, 117, 140)], "b")]
    pred = [doc([c(1, 24, 36)], "a"), doc([c(1, 81, 106)], "b")]
    inv = error_inventory(gold, pred)
    assert inv.per_doc == {"a": (1, 1, 2), "b": (0, 1, 1)}
    # identical documents: every resample has the same F1, so no spread
    sd, lo, hi = bootstrap_f1([(1, 1, 2)] * 5, samples=50)
    assert sd < 1e-12 and lo == hi == 2 * 1 / 3
    # two very different documents: the interval spans both extremes' mixtures
    sd, lo, hi = bootstrap_f1([(2, 2, 2), (0, 2, 2)], samples=400)
    assert sd > 0.1 and lo < 0.5 < hi and 0.0 <= lo and hi <= 1.0

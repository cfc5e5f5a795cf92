"""The scorer of FORMAT.md, on hand-built cases whose answers are worked out
in the comments (never copied from the scorer's output)."""
from __future__ import annotations

import pytest

from commitments.evaluate import (
    evaluate, match_spans, score_actors, score_commitments, score_links, score_points,
    score_segments, set_f1, span_iou,
)
from commitments.model import ActorMention, Commitment, Document, Link, PointItem, PointsList, Segment

approx = pytest.approx


def seg(start, end, kind, voice=None):
    return Segment(start, end, kind, voice)


def act(start, end, type_, key=None, country=None):
    return ActorMention(start, end, "", type_, key, country)


def com(start, end, kind="pledge", holders=(), modality="firm", deadline=None, item=None, cid=None):
    return Commitment(cid or f"c{start}", start, end, "", kind, list(holders), modality, deadline,
                      None, item)


class Sp:
    """A bare span for match_spans."""

    def __init__(self, start, end):
        self.start, self.end = start, end


# ---------------------------------------------------------------------- spans
def test_iou_by_hand():
    # (0,10) vs (5,15): 5 shared characters, 15 in the union
    assert span_iou((0, 10), (5, 15)) == approx(1 / 3)
    # (0,10) vs (0,5): 5 / 10
    assert span_iou((0, 10), (0, 5)) == 0.5
    assert span_iou((0, 10), (10, 20)) == 0.0  # touching is not overlapping


def test_iou_threshold_is_inclusive_at_one_half():
    gold = [Sp(0, 100)]
    # (0,50): 50 / 100 = 0.50 exactly -> a match
    assert match_spans(gold, [Sp(0, 50)]) == [(0, 0)]
    # (0,49): 49 / 100 = 0.49 -> no match
    assert match_spans(gold, [Sp(0, 49)]) == []
    # the threshold is a parameter
    assert match_spans(gold, [Sp(0, 49)], threshold=0.4) == [(0, 0)]
    # 0.0 means any overlap, but a match always needs a shared character
    assert match_spans(gold, [Sp(99, 150)], threshold=0.0) == [(0, 0)]
    assert match_spans(gold, [Sp(100, 150)], threshold=0.0) == []


def test_greedy_takes_highest_iou_first():
    # G1=(0,10) G2=(3,13); P1=(3,12) P2=(0,5)
    # IoU(G1,P1) = 7/12 = .583   IoU(G2,P1) = 9/10 = .9
    # IoU(G1,P2) = 5/10 = .5     IoU(G2,P2) = 2/13 < .5
    # Highest first: G2-P1 (.9), then G1-P1 is taken, then G1-P2 (.5).
    # (Going gold by gold, G1 would grab its best P1 and G2 get nothing.)
    gold = [Sp(0, 10), Sp(3, 13)]
    pred = [Sp(3, 12), Sp(0, 5)]
    assert match_spans(gold, pred) == [(0, 1), (1, 0)]


def test_one_to_one_where_naive_double_counts():
    # G1=(0,10) G2=(2,12) both overlap P=(1,11) with IoU 9/11; a naive
    # "does any prediction overlap this gold" would give recall 2/2.
    # One-to-one: the tie goes to the earlier gold start (G1); G2 is missed.
    gold = [com(0, 10), com(2, 12)]
    pred = [com(1, 11)]
    assert match_spans(gold, pred) == [(0, 0)]
    t = score_commitments(gold, pred)
    assert (t.gold, t.pred, t.tp) == (2, 1, 1)


def test_ties_go_to_the_earlier_predicted_start():
    # G=(5,15); Pa=(6,16) and Pb=(4,14) both have IoU 9/11: Pb starts first
    assert match_spans([Sp(5, 15)], [Sp(6, 16), Sp(4, 14)]) == [(0, 1)]


def test_set_f1():
    assert set_f1(["CHN", "JPN"], ["CHN"]) == approx(2 / 3)  # 2*1 / (2+1)
    assert set_f1([], []) == 1.0
    assert set_f1(["KOR"], []) == 0.0
    assert set_f1(["KOR"], [" KOR "]) == 1.0  # keys compare after trimming


# ---------------------------------------------------------------------- layers
def test_segments_need_the_same_kind():
    gold = [seg(0, 50, "statement", "CHN"), seg(50, 100, "commentary")]
    pred = [seg(0, 50, "readout", "CHN"), seg(50, 100, "commentary", "JPN")]
    t = score_segments(gold, pred)
    # statement vs readout: same span, different kind -> no match; tp = 1
    assert (t.gold, t.pred, t.tp) == (2, 2, 1)
    # voice on the one match: gold None, pred JPN -> 0 / 1
    assert t.sums["voice_acc"] == [0, 1]
    assert t.per_type == {"statement": [1, 0, 0], "readout": [0, 1, 0], "commentary": [1, 1, 1]}


def test_actors_need_exact_span_and_type():
    gold = [act(0, 5, "state", "CHN", "CHN"), act(10, 17, "person", "Wang Yi", "CHN"),
            act(30, 35, "organization", "ASEAN")]
    pred = [act(0, 5, "state", " CHN", "JPN"),      # match; key right (trimmed), country wrong
            act(10, 16, "person", "Wang Yi", "CHN"),  # one character short: no match
            act(30, 35, "state", "ASEAN"),           # same span, wrong type: no match
            act(40, 45, "person")]                   # spurious
    t = score_actors(gold, pred)
    assert (t.gold, t.pred, t.tp) == (3, 4, 1)
    assert t.sums["key_acc"] == [1, 1]
    assert t.sums["country_acc"] == [0, 1]


def test_commitment_attributes_on_matches():
    gold = [
        com(0, 20, "agreement", ["CHN", "JPN"], "firm", "2025", "1"),
        com(30, 50, "pledge", ["CHN"], "qualified", "2025", None),
        com(60, 80, "pledge", [], "firm", None, "3"),
        com(100, 120, "pledge", ["KOR"], "firm", "2030", "9"),   # missed
    ]
    pred = [
        com(0, 20, "agreement", ["CHN"], "firm", "2025", "1"),   # holders 2/3
        com(30, 50, "agreement", ["CHN"], "firm", None, "2"),    # kind, modality, deadline wrong
        com(62, 80, "pledge", [], "qualified", "2030", "4"),     # IoU 18/20; item wrong
        com(110, 150, "pledge", ["KOR"]),                        # IoU 10/50 = .2: lenient only
    ]
    t = score_commitments(gold, pred)
    assert (t.gold, t.pred, t.tp) == (4, 4, 3)
    assert t.sums["kind_acc"] == [2, 3]
    assert t.sums["modality_acc"] == [1, 3]
    # holders: 2/3, 1 (CHN=CHN), 1 (two empty sets) -> sum 8/3 over 3
    assert t.sums["holders_f"][0] == approx(8 / 3) and t.sums["holders_f"][1] == 3
    # deadline over gold non-null among matches: m1 right, m2 wrong (m3 gold null)
    assert t.sums["deadline_acc"] == [1, 2]
    # item over gold non-null among matches: m1 right, m3 wrong (m2 gold null)
    assert t.sums["item_acc"] == [1, 2]
    # per kind, a true positive needs both kinds equal:
    # agreement gold 1 pred 2 tp 1; pledge gold 3 pred 2 tp 1 (m3)
    assert t.per_type == {"agreement": [1, 2, 1], "pledge": [3, 2, 1]}
    lenient = score_commitments(gold, pred, 0.0)
    assert lenient.tp == 4
    # the fourth pair (KOR, KOR) adds a right holders set and a deadline miss
    assert lenient.sums["deadline_acc"] == [1, 3]


def test_points_lists_and_items_across_the_document():
    gold = [
        PointsList("p1", 0, 100, "agreed", 3, [PointItem("1", 0, 30), PointItem("2", 30, 60),
                                               PointItem("3", 60, 100)]),
        PointsList("p2", 200, 260, "proposed", None, [PointItem("a", 200, 230), PointItem("b", 230, 260)]),
    ]
    pred = [
        # list IoU 1; declared count wrong (2 vs 3); third item mislabelled
        PointsList("x", 0, 100, "agreed", 2, [PointItem("1", 0, 30), PointItem("2", 30, 60),
                                             PointItem("4", 60, 100)]),
        # list (205,230) vs (200,260): IoU 25/60 < .5 -> the lists do not match,
        # but its item a (205,230) vs (200,230) has IoU 25/30 and counts
        PointsList("y", 205, 230, "proposed", None, [PointItem("a", 205, 230)]),
    ]
    lists, items = score_points(gold, pred)
    assert (lists.gold, lists.pred, lists.tp) == (2, 2, 1)
    assert lists.sums["declared_count_acc"] == [0, 1]
    # items: gold 5, pred 4, matched 1, 2, a
    assert (items.gold, items.pred, items.tp) == (5, 4, 3)


# ---------------------------------------------------------------------- corpus
TEXT = "x" * 300


def doc(id_, **layers):
    return Document(id=id_, text=TEXT, **layers)


def test_absent_layers_are_skipped_and_empty_layers_count():
    gold = [doc("a", commitments=[com(0, 10)], actors=[act(0, 5, "state")]),
            doc("b", commitments=[], actors=[act(0, 5, "state")])]
    pred = [doc("a", commitments=None, actors=[]),      # commitments absent: skipped
            doc("b", commitments=[com(0, 10)], actors=None)]
    r = evaluate(gold, pred)
    # commitments: only b scores: gold 0, pred 1 -> P 0, R undefined, F 0
    assert r["commitments_counts"]["docs"] == 1
    assert (r["commitments_p"], r["commitments_r"], r["commitments_f"]) == (0.0, None, 0.0)
    # actors: only a scores: gold 1, pred 0 -> P undefined, R 0
    assert (r["actors_p"], r["actors_r"], r["actors_f"]) == (None, 0.0, 0.0)
    # segments absent everywhere: nothing scored
    assert r["segments_f"] is None and r["segments_counts"] is None
    assert r["per_doc"]["a"]["actors_r"] == 0.0 and "commitments_f" not in r["per_doc"]["a"]


def test_micro_average_missing_and_unmatched_documents():
    gold = [doc("a", commitments=[com(0, 10), com(20, 30)]),
            doc("b", commitments=[com(0, 10), com(20, 30)]),
            doc("c", commitments=[com(50, 60)])]
    pred = [doc("a", commitments=[com(0, 10)]),
            doc("b", commitments=[com(0, 10), com(20, 30), com(100, 110), com(200, 210)]),
            doc("z", commitments=[com(0, 10)])]  # no gold: ignored
    r = evaluate(gold, pred)
    # a: tp 1 / pred 1 / gold 2; b: tp 2 / pred 4 / gold 2;
    # c: missing, counts as predicted [] -> tp 0 / pred 0 / gold 1
    # total: tp 3, pred 5, gold 5 -> P 3/5, R 3/5, F 6/10
    assert r["commitments_p"] == approx(3 / 5)
    assert r["commitments_r"] == approx(3 / 5)
    assert r["commitments_f"] == approx(3 / 5)
    assert r["docs"]["missing"] == ["c"] and r["docs"]["unmatched"] == ["z"]
    assert len(r["warnings"]) == 2
    assert r["per_doc"]["c"]["commitments_r"] == 0.0
    assert r["per_doc"]["b"]["commitments_p"] == 0.5
    assert "z" not in r["per_doc"]


def test_bad_iou_threshold_is_refused():
    with pytest.raises(ValueError):
        evaluate([], [], iou=0.0)


# ---------------------------------------------------------------------- links
def link(commitment, doc_, start, end, status="fulfilled", score=None, kept=None):
    extra = {} if kept is None else {"kept": kept}
    return Link(commitment, doc_, start, end, status, score, extra)


def test_links_filtered_ranks_mrr_status_and_kept_precision():
    gold = [
        link("A#c1", "B", 100, 150, "fulfilled"),
        link("A#c1", "C", 10, 60, "partial"),
        link("A#c2", "B", 300, 340, "reaffirmed"),
    ]
    pred = [
        link("A#c1", "C", 10, 20, "partial", 0.9, kept=True),    # hits gold C
        link("A#c1", "D", 0, 50, "fulfilled", 0.8, kept=True),  # wrong document
        link("A#c1", "B", 100, 120, "partial", 0.7, kept=True),  # hits gold B
        link("A#c1", "B", 0, 10, "fulfilled", 0.6, kept=True),   # right doc, wrong span
        link("A#c2", "B", 300, 310, "reaffirmed", None, kept=False),  # no score: ranked last
        link("A#c2", "D", 0, 10, "fulfilled", 0.4),
        link("A#c2", "E", 0, 10, "fulfilled", 0.3),
        link("A#c2", "F", 0, 10, "fulfilled", 0.2),
        link("A#c2", "G", 0, 10, "fulfilled", 0.1),
        link("A#c2", "H", 0, 10, "fulfilled", 0.05),
        link("A#c9", "B", 0, 10, "fulfilled", 0.5, kept=True),   # a commitment with no gold link
    ]
    r = score_links(gold, pred)
    # gold A#c1->B: C (.9) is another gold document of A#c1, filtered; D (.8)
    #   counts (rank 1); B (.7) hits -> rank 2, status partial != fulfilled
    # gold A#c1->C: C (.9) hits at rank 1, status partial == partial
    # gold A#c2->B: five scored links first, the unscored hit -> rank 6, status right
    assert r["links_r1"] == approx(1 / 3)
    assert r["links_r5"] == approx(2 / 3)
    # MRR (1/2 + 1 + 1/6) / 3 = 5/9 (unfiltered it would be (1/3 + 1 + 1/6) / 3 = 1/2)
    assert r["links_mrr"] == approx(5 / 9)
    assert r["links_status_acc"] == approx(2 / 3)
    # kept: C(10,20) hit, D miss, B(100,120) hit, B(0,10) miss, A#c9 miss -> 2/5
    assert r["links_kept_p"] == approx(2 / 5)
    # gold links found by a kept link: A#c1->B and A#c1->C -> 2/3; F = 1/2
    assert r["links_kept_r"] == approx(2 / 3)
    assert r["links_kept_f"] == approx(1 / 2)
    assert r["links_per_type"]["fulfilled"] == approx({"r1": 0, "r5": 1, "mrr": 0.5, "gold": 1})
    assert r["links_per_type"]["reaffirmed"] == approx({"r1": 0, "r5": 0, "mrr": 1 / 6, "gold": 1})
    c = r["links_counts"]
    assert (c["gold"], c["pred"], c["hits_1"], c["hits_5"], c["kept"], c["kept_tp"]) == (3, 11, 1, 2, 5, 2)
    assert c["unlinked_pred"] == 1


def test_links_same_score_keep_file_order_and_no_kept_flag():
    gold = [link("A#c1", "B", 0, 10)]
    pred = [link("A#c1", "X", 0, 10, score=0.5), link("A#c1", "B", 0, 10, score=0.5)]
    r = score_links(gold, pred)
    assert r["links_mrr"] == 0.5  # equal scores: file order, the hit is second
    assert r["links_kept_p"] is None and r["links_kept_r"] is None  # no system says what it keeps

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


# ---------------------------------------------------------------------- command line
import copy  # noqa: E402
import json  # noqa: E402

from click.testing import CliRunner  # noqa: E402

from commitments.cli import main  # noqa: E402
from commitments.model import SEGMENT_KINDS, read_documents, write_jsonl  # noqa: E402

STATEMENT = (
    "Joint Statement of Freedonia and Sylvania\n\n"
    "Freedonia and Sylvania agreed on the following points:\n"
    "1. hold a summit in Ruritania in 2026.\n"
    "2. expand student exchanges.\n"
    "3. open a consulate in Port Elm.\n\n"
    "The Sylvanian side will provide relief funds. Freedonia is willing to study a trade pact.\n\n"
    "Post a comment"
)


def _at(text, sub, after=0):
    start = text.index(sub, after)
    return start, start + len(sub)


def own_gold() -> list[Document]:
    """A small invented gold corpus with every layer (no third-party text)."""
    t = STATEMENT
    paras = t.split("\n\n")
    bounds, pos = [], 0
    for p in paras:
        bounds.append((pos, pos + len(p)))
        pos += len(p) + 2
    segments = [Segment(*bounds[0], "boilerplate"), Segment(*bounds[1], "consensus"),
                Segment(*bounds[2], "readout", "SYL"), Segment(*bounds[3], "boilerplate")]
    actors = []
    for sub, type_, key in (("Freedonia", "state", "FRD"), ("Sylvania", "state", "SYL")):
        s, e = _at(t, sub)
        actors.append(ActorMention(s, e, sub, type_, key, key))
    s, e = _at(t, "Freedonia", bounds[1][0])
    actors.append(ActorMention(s, e, "Freedonia", "state", "FRD", "FRD"))
    s, e = _at(t, "The Sylvanian side")
    actors.append(ActorMention(s, e, t[s:e], "collective", "SYL", "SYL"))
    items = [(_at(t, line)) for line in ("1. hold a summit in Ruritania in 2026.",
                                         "2. expand student exchanges.",
                                         "3. open a consulate in Port Elm.")]
    points = [PointsList("p1", items[0][0], items[-1][1], "agreed", None,
                         [PointItem(str(i + 1), s, e) for i, (s, e) in enumerate(items)])]
    commitments = []
    specs = [("hold a summit in Ruritania in 2026", "agreement", ["FRD", "SYL"], "firm", "2026", "1"),
             ("expand student exchanges", "agreement", ["FRD", "SYL"], "firm", None, "2"),
             ("open a consulate in Port Elm", "agreement", ["FRD", "SYL"], "firm", None, "3"),
             ("provide relief funds", "pledge", ["SYL"], "firm", None, None),
             ("study a trade pact", "pledge", ["FRD"], "qualified", None, None)]
    for i, (sub, kind, holders, modality, deadline, item) in enumerate(specs):
        s, e = _at(t, sub)
        commitments.append(Commitment(f"c{i + 1}", s, e, sub, kind, holders, modality, deadline,
                                      "p1" if item else None, item))
    d1 = Document(id="t1", text=t, date="2024-05-01", segments=segments, actors=actors,
                  commitments=commitments, points=points)
    # a second document, shorter, so the corpus has more than one
    t2 = "Sylvania will host the next round. Post a comment"
    s, e = _at(t2, "host the next round")
    d2 = Document(id="t2", text=t2, date="2024-06-01",
                  segments=[Segment(0, 34, "readout", "SYL"), Segment(35, len(t2), "boilerplate")],
                  actors=[ActorMention(0, 8, "Sylvania", "state", "SYL", "SYL")],
                  commitments=[Commitment("c1", s, e, t2[s:e], "pledge", ["SYL"])], points=[])
    return [d1, d2]


def figure_values(result):
    """Every score of a result (not counts), with where it sits."""
    for key, value in result.items():
        if key in ("iou", "docs", "warnings", "per_doc") or key.endswith("_counts"):
            continue
        if key.endswith("_per_type"):
            for label, row in (value or {}).items():
                for name in ("p", "r", "f", "r1", "r5", "mrr"):
                    if name in row:
                        yield f"{key}.{label}.{name}", row[name]
        else:
            yield key, value
    for doc_id, row in result["per_doc"].items():
        for key, value in row.items():
            if not key.endswith("_counts"):
                yield f"per_doc.{doc_id}.{key}", value


def run_json(*args):
    res = CliRunner().invoke(main, ["evaluate", *map(str, args), "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def gold_files():
    from pathlib import Path

    seeds = Path(__file__).resolve().parents[1] / "corpora" / "gold" / "seeds.jsonl"
    params = [pytest.param("own", id="own-gold")]
    params.append(pytest.param(seeds, id="seeds", marks=pytest.mark.skipif(
        not seeds.exists(), reason="corpora/gold/seeds.jsonl not written yet")))
    return params


@pytest.fixture(params=gold_files())
def gold_path(request, tmp_path):
    if request.param == "own":
        path = tmp_path / "gold.jsonl"
        write_jsonl(own_gold(), path)
        return path
    return request.param


def test_gold_against_itself_scores_one_everywhere(gold_path, tmp_path):
    docs = read_documents(gold_path)
    source = next(d for d in docs if d.commitments)
    links = [Link(f"{source.id}#{source.commitments[0].id}", docs[-1].id, 0, 5, "reaffirmed")]
    links_path = tmp_path / "links.jsonl"
    write_jsonl(links, links_path)
    r = run_json(gold_path, gold_path, "--links", links_path, links_path)
    values = dict(figure_values(r))
    # every layer of FORMAT.md was scored ...
    for key in ("segments_f", "actors_f", "commitments_f", "commitments_lenient_f", "points_f",
                "commitments_kind_acc", "commitments_holders_f", "links_mrr", "links_status_acc"):
        assert values[key] is not None, key
    # ... and every figure that is defined is 1.0
    wrong = {k: v for k, v in values.items() if v is not None and v != 1.0}
    assert wrong == {}
    assert r["warnings"] == []


def _shrink(doc, rec):
    """Shrink a span to (L-1)//2 characters from its start: IoU (L-1)//2 / L < 0.5."""
    rec.end = rec.start + (rec.end - rec.start - 1) // 2
    if getattr(rec, "text", ""):
        rec.text = doc.text[rec.start:rec.end]


def _alone(recs, rec):
    """The record overlaps no other record of its layer."""
    return all(o is rec or min(o.end, rec.end) <= max(o.start, rec.start) for o in recs)


def test_perturbed_copy_scores_what_we_reason(gold_path, tmp_path):
    gold = read_documents(gold_path)
    pred = copy.deepcopy(gold)
    # choose records whose changes cannot interact with any other record
    coms = [(d, c) for d in pred for c in d.commitments or []
            if _alone(d.commitments, c) and c.end - c.start >= 3]
    segs = [(d, s) for d in pred for s in d.segments or [] if _alone(d.segments, s)]
    acts = [(d, a) for d in pred for a in d.actors or []]
    if len(coms) < 3 or not segs or not acts:
        pytest.skip("gold too small for the perturbation test")
    (d_drop, c_drop), (d_shrink, c_shrink), (_, c_mod) = coms[0], coms[1], coms[2]
    d_seg, s_chg = segs[0]
    d_act, a_drop = acts[0]
    old_kind = s_chg.kind
    new_kind = next(k for k in SEGMENT_KINDS if k != old_kind)

    d_drop.commitments.remove(c_drop)                          # 1. drop a commitment
    _shrink(d_shrink, c_shrink)                                # 2. IoU below 0.5
    c_mod.modality = "qualified" if c_mod.modality == "firm" else "firm"  # 3. modality
    s_chg.kind = new_kind                                      # 4. segment kind
    d_act.actors.remove(a_drop)                                # 5. remove an actor
    pred_path = tmp_path / "pred.jsonl"
    write_jsonl(pred, pred_path)
    r = run_json(gold_path, pred_path)

    n = sum(len(d.commitments) for d in gold if d.commitments is not None)
    s = sum(len(d.segments) for d in gold if d.segments is not None)
    a = sum(len(d.actors) for d in gold if d.actors is not None)
    # commitments: pred n-1 (one dropped); of them the shrunk one misses its
    # gold and overlaps nothing else -> tp n-2, fp 1, fn 2
    assert r["commitments_p"] == approx((n - 2) / (n - 1))
    assert r["commitments_r"] == approx((n - 2) / n)
    assert r["commitments_f"] == approx(2 * (n - 2) / (2 * n - 1))
    # one of the n-2 matches has the wrong modality; nothing else changed
    assert r["commitments_modality_acc"] == approx((n - 3) / (n - 2))
    assert r["commitments_kind_acc"] == 1.0 and r["commitments_holders_f"] == 1.0
    assert r["commitments_deadline_acc"] in (1.0, None) and r["commitments_item_acc"] in (1.0, None)
    # lenient: the shrunk span still overlaps its own gold -> tp n-1
    assert r["commitments_lenient_p"] == 1.0
    assert r["commitments_lenient_r"] == approx((n - 1) / n)
    assert r["commitments_lenient_modality_acc"] == approx((n - 2) / (n - 1))
    # per kind: gold g_k; pred g_k less the dropped one; tp also less the shrunk one
    for kind, row in r["commitments_per_type"].items():
        g = sum(c.kind == kind for d in gold for c in d.commitments or [])
        p = g - (c_drop.kind == kind)
        tp = p - (c_shrink.kind == kind)
        assert (row["gold"], row["pred"], row["tp"]) == (g, p, tp), kind
    # segments: the changed one matches nothing (kind differs, no other overlap)
    assert r["segments_p"] == approx((s - 1) / s) and r["segments_r"] == approx((s - 1) / s)
    assert r["segments_voice_acc"] == 1.0
    g_old = sum(x.kind == old_kind for d in gold for x in d.segments or [])
    g_new = sum(x.kind == new_kind for d in gold for x in d.segments or [])
    assert r["segments_per_type"][old_kind]["r"] == approx((g_old - 1) / g_old)
    assert r["segments_per_type"][new_kind]["p"] == approx(g_new / (g_new + 1))
    # actors: one fewer prediction, all others exact
    assert r["actors_p"] == 1.0 and r["actors_r"] == approx((a - 1) / a)
    assert r["actors_key_acc"] == 1.0 and r["actors_country_acc"] == 1.0
    # points untouched
    if r["points_counts"]["gold"]:
        assert r["points_f"] == 1.0
    # the document that lost a commitment has commitments recall below 1
    assert r["per_doc"][d_drop.id]["commitments_r"] < 1.0


def test_cli_human_report(tmp_path):
    gold = own_gold()
    pred = copy.deepcopy(gold)
    pred[1].commitments = []
    write_jsonl(gold, tmp_path / "g.jsonl")
    write_jsonl(pred[:1] + [Document(id="extra", text="x")], tmp_path / "p.jsonl")
    res = CliRunner().invoke(main, ["evaluate", str(tmp_path / "g.jsonl"), str(tmp_path / "p.jsonl"),
                                    "--per-doc", "1"])
    assert res.exit_code == 0, res.output
    assert "Layers" in res.stdout and "commitments" in res.stdout and "Per label" in res.stdout
    # t2 is missing from the predictions: it is the worst document; "extra" has no gold
    assert "1 worst documents" in res.stdout and "t2" in res.stdout.split("worst documents")[1]
    assert "no prediction" in res.stderr and "extra" in res.stderr


@pytest.mark.parametrize("content,message", [
    (None, "no such file"),
    ("{not json\n", "malformed JSON"),
    ('{"id": "a", "text": "abc", "commitments": [{"id": "c1", "start": 0, "end": 9, "kind": "pledge"}]}\n',
     "outside the text"),
])
def test_cli_bad_input_is_one_line_exit_2(tmp_path, content, message):
    gold = tmp_path / "g.jsonl"
    write_jsonl(own_gold(), gold)
    bad = tmp_path / "bad.jsonl"
    if content is not None:
        bad.write_text(content)
    res = CliRunner().invoke(main, ["evaluate", str(gold), str(bad)])
    assert res.exit_code == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:") and message in lines[0]
    assert "Traceback" not in res.output


def test_cli_links_need_two_files(tmp_path):
    gold = tmp_path / "g.jsonl"
    write_jsonl(own_gold(), gold)
    res = CliRunner().invoke(main, ["evaluate", str(gold), str(gold), "--links", str(gold)])
    assert res.exit_code == 2

"""The scorer of FORMAT.md: compare predicted documents (and links) with gold.

Everything here is a plain function on :mod:`commitments.model` objects; the
``commitments evaluate`` command only reads the files and prints the dict that
:func:`evaluate` returns. The schema of that dict and every decision taken
where FORMAT.md leaves room are written up in ``docs/evaluate.md``.

Span matching (:func:`match_spans`) is shared by every layer: two spans are a
candidate pair when they share at least one character, their character
intersection over union (IoU) reaches the threshold and the layer's
compatibility test accepts them; pairs are then taken one-to-one, greedily,
highest IoU first, ties broken by the earlier gold start, then the earlier
predicted start.

A *scored unit* is one set of P/R/F1 figures: ``segments``, ``actors``,
``commitments``, ``commitments_lenient``, ``points`` (the lists) and
``points_items``. Each unit collects a :class:`Tally` per document; tallies
are summed over the corpus (micro-average) and turned into figures by
:func:`figures`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence, TypeVar

from .model import Document, Link, read_documents, read_links

T = TypeVar("T")
U = TypeVar("U")

DEFAULT_IOU = 0.5
UNITS = ("segments", "actors", "commitments", "commitments_lenient", "points", "points_items")
# the layer of the document each unit reads
UNIT_LAYER = {
    "segments": "segments",
    "actors": "actors",
    "commitments": "commitments",
    "commitments_lenient": "commitments",
    "points": "points",
    "points_items": "points",
}
# the figures averaged over matches, per unit, in report order
UNIT_AVERAGES = {
    "segments": ("voice_acc",),
    "actors": ("key_acc", "country_acc"),
    "commitments": ("kind_acc", "modality_acc", "holders_f", "deadline_acc", "item_acc"),
    "commitments_lenient": ("kind_acc", "modality_acc", "holders_f", "deadline_acc", "item_acc"),
    "points": ("declared_count_acc",),
    "points_items": (),
}
# units whose records carry a label reported per type
UNIT_LABEL = {
    "segments": "kind",
    "actors": "type",
    "commitments": "kind",
    "commitments_lenient": "kind",
    "points": "status",
}
RANKS = (1, 5)


# ---------------------------------------------------------------------- spans
def _span(obj: Any) -> tuple[int, int]:
    return obj.start, obj.end


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Number of characters two ``(start, end)`` spans share."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def span_iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Character intersection over union of two ``(start, end)`` spans."""
    inter = overlap(a, b)
    if inter == 0:
        return 0.0
    union = (a[1] - a[0]) + (b[1] - b[0]) - inter
    return inter / union


def match_spans(
    gold: Sequence[T],
    pred: Sequence[U],
    *,
    key: Callable[[Any], tuple[int, int]] = _span,
    compatible: Callable[[T, U], bool] | None = None,
    threshold: float = DEFAULT_IOU,
) -> list[tuple[int, int]]:
    """Match gold and predicted records one-to-one by their spans.

    A pair is a candidate when the spans share at least one character, their
    IoU is at least ``threshold`` (so ``0.0`` means any overlap and ``1.0``
    exact spans) and ``compatible(gold, pred)`` holds. Candidates are taken
    greedily: highest IoU first, then earlier gold start, then earlier
    predicted start (then list order), skipping records already matched.

    Returns ``(gold index, pred index)`` pairs sorted by gold index.
    """
    gspans = [key(g) for g in gold]
    pspans = [key(p) for p in pred]
    candidates = []
    for gi, gs in enumerate(gspans):
        for pi, ps in enumerate(pspans):
            if overlap(gs, ps) == 0:
                continue
            score = span_iou(gs, ps)
            if score < threshold:
                continue
            if compatible is not None and not compatible(gold[gi], pred[pi]):
                continue
            candidates.append((-score, gs[0], ps[0], gi, pi))
    candidates.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, _, _, gi, pi in candidates:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gi, pi))
    return sorted(pairs)


def _norm(value: Any) -> Any:
    """Strings compare after trimming; anything else as is."""
    return value.strip() if isinstance(value, str) else value


def set_f1(gold: Iterable[str], pred: Iterable[str]) -> float:
    """F1 of two sets of keys (trimmed); two empty sets score 1.0."""
    g = {_norm(x) for x in gold}
    p = {_norm(x) for x in pred}
    if not g and not p:
        return 1.0
    return 2 * len(g & p) / (len(g) + len(p))


# ---------------------------------------------------------------------- tallies
@dataclass
class Tally:
    """Counts for one scored unit, over one document or summed over many.

    ``per_type`` maps a label to ``[gold, pred, tp]`` where a true positive
    needs a match whose gold and predicted records both carry the label;
    ``sums`` maps an averaged figure (``kind_acc``, ``holders_f``, ...) to
    ``[sum of scores, number of scored matches]``.
    """

    docs: int = 0
    gold: int = 0
    pred: int = 0
    tp: int = 0
    per_type: dict[str, list[int]] = field(default_factory=dict)
    sums: dict[str, list[float]] = field(default_factory=dict)

    def add(self, other: "Tally") -> "Tally":
        self.docs += other.docs
        self.gold += other.gold
        self.pred += other.pred
        self.tp += other.tp
        for label, counts in other.per_type.items():
            mine = self.per_type.setdefault(label, [0, 0, 0])
            for i, n in enumerate(counts):
                mine[i] += n
        for name, (total, n) in other.sums.items():
            mine = self.sums.setdefault(name, [0, 0])
            mine[0] += total
            mine[1] += n
        return self

    def score(self, name: str, value: float | None) -> None:
        """Add one match's score to an averaged figure (None: not scored)."""
        entry = self.sums.setdefault(name, [0, 0])
        if value is not None:
            entry[0] += value
            entry[1] += 1


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float | None, float | None, float | None]:
    """Precision, recall and F1; a figure whose denominator is 0 is None.

    F1 is ``2tp / (n_pred + n_gold)``, which equals the harmonic mean of P and
    R where both are defined and is 0.0 when one side is empty and the other
    is not.
    """
    p = tp / n_pred if n_pred else None
    r = tp / n_gold if n_gold else None
    f = 2 * tp / (n_pred + n_gold) if n_pred + n_gold else None
    return p, r, f


def _tally(gold: Sequence[Any], pred: Sequence[Any], pairs: list[tuple[int, int]],
           label: str | None) -> Tally:
    tally = Tally(docs=1, gold=len(gold), pred=len(pred), tp=len(pairs))
    if label:
        for rec in gold:
            tally.per_type.setdefault(getattr(rec, label), [0, 0, 0])[0] += 1
        for rec in pred:
            tally.per_type.setdefault(getattr(rec, label), [0, 0, 0])[1] += 1
        for gi, pi in pairs:
            g, p = getattr(gold[gi], label), getattr(pred[pi], label)
            if g == p:
                tally.per_type[g][2] += 1
    return tally


def _same(a: Any, b: Any) -> int:
    return 1 if _norm(a) == _norm(b) else 0


# ---------------------------------------------------------------------- layers
def score_segments(gold, pred, iou: float = DEFAULT_IOU) -> Tally:
    """Segments match on span IoU and the same ``kind``; ``voice`` accuracy on matches."""
    pairs = match_spans(gold, pred, compatible=lambda g, p: g.kind == p.kind, threshold=iou)
    tally = _tally(gold, pred, pairs, "kind")
    tally.score("voice_acc", None)
    for gi, pi in pairs:
        tally.score("voice_acc", _same(gold[gi].voice, pred[pi].voice))
    return tally


def score_actors(gold, pred) -> Tally:
    """Actor mentions match on the exact span and the same ``type``; ``key``
    and ``country`` accuracy on matches."""
    pairs = match_spans(gold, pred, compatible=lambda g, p: g.type == p.type, threshold=1.0)
    tally = _tally(gold, pred, pairs, "type")
    tally.score("key_acc", None)
    tally.score("country_acc", None)
    for gi, pi in pairs:
        tally.score("key_acc", _same(gold[gi].key, pred[pi].key))
        tally.score("country_acc", _same(gold[gi].country, pred[pi].country))
    return tally


def score_commitments(gold, pred, iou: float = DEFAULT_IOU) -> Tally:
    """Commitments match on span IoU whatever their kind (``iou=0.0``: any
    overlap, the lenient figures). On matches: ``kind`` and ``modality``
    accuracy, ``holders`` set F1, ``deadline`` accuracy over gold non-null
    deadlines, ``item`` accuracy over gold non-null items."""
    pairs = match_spans(gold, pred, threshold=iou)
    tally = _tally(gold, pred, pairs, "kind")
    for name in UNIT_AVERAGES["commitments"]:
        tally.score(name, None)
    for gi, pi in pairs:
        g, p = gold[gi], pred[pi]
        tally.score("kind_acc", _same(g.kind, p.kind))
        tally.score("modality_acc", _same(g.modality, p.modality))
        tally.score("holders_f", set_f1(g.holders or [], p.holders or []))
        tally.score("deadline_acc", None if g.deadline is None else _same(g.deadline, p.deadline))
        tally.score("item_acc", None if g.item is None else _same(g.item, p.item))
    return tally


def score_points(gold, pred, iou: float = DEFAULT_IOU) -> tuple[Tally, Tally]:
    """Points lists match on span IoU (any status); ``declared_count``
    accuracy on matched lists. Items are matched across all the document's
    lists: same label (trimmed) and span IoU. Returns (lists, items)."""
    pairs = match_spans(gold, pred, threshold=iou)
    lists = _tally(gold, pred, pairs, "status")
    lists.score("declared_count_acc", None)
    for gi, pi in pairs:
        lists.score("declared_count_acc", _same(gold[gi].declared_count, pred[pi].declared_count))
    gitems = [it for pts in gold for it in pts.items]
    pitems = [it for pts in pred for it in pts.items]
    ipairs = match_spans(gitems, pitems, compatible=lambda g, p: _norm(g.label) == _norm(p.label),
                         threshold=iou)
    return lists, _tally(gitems, pitems, ipairs, None)


def score_document(gold: Document, pred: Document, iou: float = DEFAULT_IOU) -> dict[str, Tally]:
    """Tallies of every unit scored on one document pair.

    A layer that is absent (None) on either side is skipped; an empty layer
    ``[]`` is scored.
    """
    out: dict[str, Tally] = {}

    def both(layer: str) -> bool:
        return getattr(gold, layer) is not None and getattr(pred, layer) is not None

    if both("segments"):
        out["segments"] = score_segments(gold.segments, pred.segments, iou)
    if both("actors"):
        out["actors"] = score_actors(gold.actors, pred.actors)
    if both("commitments"):
        out["commitments"] = score_commitments(gold.commitments, pred.commitments, iou)
        out["commitments_lenient"] = score_commitments(gold.commitments, pred.commitments, 0.0)
    if both("points"):
        out["points"], out["points_items"] = score_points(gold.points, pred.points, iou)
    return out


# ---------------------------------------------------------------------- figures
def figures(unit: str, tally: Tally | None) -> dict[str, Any]:
    """The figures of one unit from its (summed) tally, spaCy-style names.

    ``{unit}_p``, ``{unit}_r``, ``{unit}_f``, one ``{unit}_{name}`` per
    averaged figure, ``{unit}_per_type`` for labelled units and
    ``{unit}_counts``. A unit never scored gives None figures and counts.
    """
    out: dict[str, Any] = {}
    t = tally if tally is not None and tally.docs else None
    p, r, f = prf(t.tp, t.pred, t.gold) if t else (None, None, None)
    out[f"{unit}_p"], out[f"{unit}_r"], out[f"{unit}_f"] = p, r, f
    for name in UNIT_AVERAGES[unit]:
        total, n = t.sums.get(name, [0, 0]) if t else (0, 0)
        out[f"{unit}_{name}"] = total / n if n else None
    if unit in UNIT_LABEL:
        per_type = {}
        for label, (g, pr, tp) in sorted((t.per_type if t else {}).items(), key=lambda kv: str(kv[0])):
            lp, lr, lf = prf(tp, pr, g)
            per_type[label] = {"p": lp, "r": lr, "f": lf, "gold": g, "pred": pr, "tp": tp}
        out[f"{unit}_per_type"] = per_type
    if t:
        counts: dict[str, Any] = {"docs": t.docs, "gold": t.gold, "pred": t.pred, "tp": t.tp,
                                  "fp": t.pred - t.tp, "fn": t.gold - t.tp}
        for name in UNIT_AVERAGES[unit]:
            total, n = t.sums.get(name, [0, 0])
            counts[name] = [total, n]
        out[f"{unit}_counts"] = counts
    else:
        out[f"{unit}_counts"] = None
    return out


def _doc_figures(tallies: dict[str, Tally]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for unit in UNITS:
        if unit not in tallies:
            continue
        t = tallies[unit]
        out[f"{unit}_p"], out[f"{unit}_r"], out[f"{unit}_f"] = prf(t.tp, t.pred, t.gold)
        out[f"{unit}_counts"] = {"gold": t.gold, "pred": t.pred, "tp": t.tp}
    pooled = [tallies[u] for u in ("segments", "actors", "commitments", "points") if u in tallies]
    tp = sum(t.tp for t in pooled)
    n = sum(t.gold + t.pred for t in pooled)
    out["all_f"] = 2 * tp / n if n else None
    return out


# ---------------------------------------------------------------------- links
def _link_hits(link: Link, gold: Link) -> bool:
    return link.doc == gold.doc and overlap(_span(link), _span(gold)) > 0


def _ranked(links: list[Link]) -> list[Link]:
    """Highest score first; links without a score after, file order kept."""
    return sorted(links, key=lambda lk: (0, -lk.score) if lk.score is not None else (1, 0))


def _is_kept(link: Link) -> bool:
    return link.extra.get("kept") is True


def score_links(gold_links: Sequence[Link], pred_links: Sequence[Link]) -> dict[str, Any]:
    """Follow-through links, given the gold commitments as the linker's input.

    For each gold link, the predicted links of the same commitment are
    ranked by score; a hit is a predicted link to the same ``doc`` whose
    evidence span overlaps the gold span. The rank is filtered: predicted
    links ranked above the first hit that point to the document of another
    gold link of the commitment, or hit another gold link, are not counted.
    Reports recall@1, recall@5, MRR, ``status`` accuracy on the first hit,
    and precision / recall / F1 of the links marked ``"kept": true`` (None
    when no predicted link has a ``kept`` key).
    """
    by_commitment: dict[str, list[Link]] = {}
    for link in pred_links:
        by_commitment.setdefault(link.commitment, []).append(link)
    gold_by_commitment: dict[str, list[Link]] = {}
    for link in gold_links:
        gold_by_commitment.setdefault(link.commitment, []).append(link)

    hits = {k: 0 for k in RANKS}
    rr_sum = 0.0
    status = [0, 0]
    per_type: dict[str, dict[str, float]] = {}
    for gold in gold_links:
        others = [g for g in gold_by_commitment[gold.commitment] if g is not gold]
        other_docs = {g.doc for g in others} - {gold.doc}
        rank, first = None, None
        position = 0
        for cand in _ranked(by_commitment.get(gold.commitment, [])):
            if _link_hits(cand, gold):
                rank, first = position + 1, cand
                break
            if cand.doc in other_docs or any(_link_hits(cand, g) for g in others):
                continue
            position += 1
        entry = per_type.setdefault(gold.status, {"gold": 0, "hits_1": 0, "hits_5": 0, "rr": 0.0})
        entry["gold"] += 1
        if rank is None:
            continue
        rr_sum += 1 / rank
        entry["rr"] += 1 / rank
        for k in RANKS:
            if rank <= k:
                hits[k] += 1
                entry[f"hits_{k}"] += 1
        status[1] += 1
        status[0] += first.status == gold.status

    # the kept figures need a system that says what it keeps: None when no
    # predicted link carries a "kept" key at all
    flagged = any("kept" in lk.extra for lk in pred_links)
    kept = [lk for lk in pred_links if _is_kept(lk)]
    kept_tp = sum(any(_link_hits(lk, g) for g in gold_by_commitment.get(lk.commitment, []))
                  for lk in kept)
    gold_found = sum(any(_is_kept(lk) and _link_hits(lk, g) for lk in by_commitment.get(g.commitment, []))
                     for g in gold_links)
    n = len(gold_links)
    kept_p = kept_tp / len(kept) if kept else None
    kept_r = gold_found / n if n and flagged else None
    kept_f = (2 * kept_p * kept_r / (kept_p + kept_r) if kept_p + kept_r else 0.0) \
        if kept_p is not None and kept_r is not None else None
    return {
        "links_r1": hits[1] / n if n else None,
        "links_r5": hits[5] / n if n else None,
        "links_mrr": rr_sum / n if n else None,
        "links_status_acc": status[0] / status[1] if status[1] else None,
        "links_kept_p": kept_p,
        "links_kept_r": kept_r,
        "links_kept_f": kept_f,
        "links_per_type": {
            label: {"r1": e["hits_1"] / e["gold"], "r5": e["hits_5"] / e["gold"],
                    "mrr": e["rr"] / e["gold"], "gold": e["gold"]}
            for label, e in sorted(per_type.items())
        },
        "links_counts": {
            "gold": n, "pred": len(pred_links), "commitments": len(gold_by_commitment),
            "hits_1": hits[1], "hits_5": hits[5], "hits": status[1],
            "status_acc": status, "kept": len(kept), "kept_tp": kept_tp, "kept_found": gold_found,
            "unlinked_pred": sum(len(v) for k, v in by_commitment.items() if k not in gold_by_commitment),
        },
    }


def _no_links() -> dict[str, Any]:
    keys = ("links_r1", "links_r5", "links_mrr", "links_status_acc", "links_kept_p",
            "links_kept_r", "links_kept_f", "links_per_type", "links_counts")
    return dict.fromkeys(keys)


# ---------------------------------------------------------------------- corpus
def _empty_like(gold: Document) -> Document:
    """The prediction assumed for a gold document the predictions lack."""
    return Document(id=gold.id, text=gold.text, segments=[], actors=[], commitments=[], points=[])


def evaluate(
    gold_docs: Sequence[Document],
    pred_docs: Sequence[Document],
    gold_links: Sequence[Link] | None = None,
    pred_links: Sequence[Link] | None = None,
    iou: float = DEFAULT_IOU,
) -> dict[str, Any]:
    """Score predictions against gold over a corpus; see docs/evaluate.md.

    Documents pair by ``id``. A gold document with no prediction counts as
    predicted with every layer empty (its gold records become misses); a
    predicted document with no gold is ignored with a warning. Links are
    scored when both ``gold_links`` and ``pred_links`` are given.
    """
    if not 0.0 < iou <= 1.0:
        raise ValueError(f"iou threshold must be in (0, 1], got {iou}")
    preds = {d.id: d for d in pred_docs}
    gold_ids = {d.id for d in gold_docs}
    warnings: list[str] = []
    missing = [d.id for d in gold_docs if d.id not in preds]
    unmatched = [d.id for d in pred_docs if d.id not in gold_ids]
    if missing:
        warnings.append(f"{len(missing)} gold document(s) have no prediction and count as "
                        f"predicted empty: {', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''}")
    if unmatched:
        warnings.append(f"{len(unmatched)} predicted document(s) have no gold and are ignored: "
                        f"{', '.join(unmatched[:5])}{' ...' if len(unmatched) > 5 else ''}")

    totals: dict[str, Tally] = {}
    per_doc: dict[str, Any] = {}
    for gold in gold_docs:
        pred = preds.get(gold.id) or _empty_like(gold)
        if pred.text != gold.text:
            warnings.append(f"document {gold.id}: predicted text differs from gold; "
                            "offsets may not line up")
        tallies = score_document(gold, pred, iou)
        for unit, tally in tallies.items():
            totals.setdefault(unit, Tally()).add(tally)
        per_doc[gold.id] = _doc_figures(tallies)

    result: dict[str, Any] = {
        "iou": iou,
        "docs": {"gold": len(gold_docs), "pred": len(pred_docs),
                 "scored": len(gold_docs), "missing": missing, "unmatched": unmatched},
        "warnings": warnings,
    }
    for unit in UNITS:
        result.update(figures(unit, totals.get(unit)))
    if gold_links is not None and pred_links is not None:
        result.update(score_links(gold_links, pred_links))
    else:
        result.update(_no_links())
    result["per_doc"] = per_doc
    return result


def evaluate_files(
    gold_path: str | Path,
    pred_path: str | Path,
    gold_links_path: str | Path | None = None,
    pred_links_path: str | Path | None = None,
    iou: float = DEFAULT_IOU,
) -> dict[str, Any]:
    """Read JSON Lines files (raising ``InputError`` on a bad file) and score them."""
    gold = read_documents(gold_path)
    pred = read_documents(pred_path)
    gold_links = read_links(gold_links_path) if gold_links_path is not None else None
    pred_links = read_links(pred_links_path) if pred_links_path is not None else None
    return evaluate(gold, pred, gold_links, pred_links, iou=iou)

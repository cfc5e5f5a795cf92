"""What the rules get wrong, and which of it a candidate classifier could fix.

An error inventory of predicted against gold commitments, matched as the
scorer does (``commitments.evaluate.match_spans``, span IoU >= 0.5):

* **wrong span**: a prediction that no gold commitment matches but that
  overlaps a gold commitment no prediction matches (it costs one false
  positive and one miss);
* **false positive**: any other unmatched prediction;
* **miss**: an unmatched gold commitment that no unmatched prediction
  overlaps;
* on matched pairs, a wrong **kind** or **modality**.

Given the candidate spans of each document (what a classifier scores), it
also says which errors are fixable in principle: a false positive or the
wrong part of a wrong span is fixable by a veto when it is one of the
candidates (every rule span is), a miss or the gold part of a wrong span by
an addition when some candidate matches the gold span (IoU >= 0.5).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..evaluate import DEFAULT_IOU, match_spans, overlap, span_iou
from ..model import Commitment, Document

__all__ = ["ErrorItem", "Inventory", "error_inventory", "bootstrap_f1"]


@dataclass
class ErrorItem:
    """One error: the document, its category, the gold and/or predicted
    commitment, and whether a candidate classifier could fix it."""

    doc_id: str
    category: str  # "false_positive", "miss", "wrong_span", "kind", "modality"
    gold: Commitment | None = None
    pred: Commitment | None = None
    fixable: bool | None = None


@dataclass
class Inventory:
    """Counts and items of an error inventory over several documents."""

    gold: int = 0
    pred: int = 0
    tp: int = 0
    items: list[ErrorItem] = field(default_factory=list)
    per_doc: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # (tp, pred, gold)

    def of(self, category: str) -> list[ErrorItem]:
        return [i for i in self.items if i.category == category]

    def counts(self) -> dict[str, int]:
        cats = ("false_positive", "miss", "wrong_span", "kind", "modality")
        out: dict[str, int] = {"gold": self.gold, "pred": self.pred, "tp": self.tp}
        for c in cats:
            items = self.of(c)
            out[c] = len(items)
            if c in ("false_positive", "miss", "wrong_span"):
                out[f"{c}_fixable"] = sum(1 for i in items if i.fixable)
        return out


def _covered(span: tuple[int, int], candidates: Sequence[tuple[int, int]], iou: float) -> bool:
    return any(overlap(span, c) and span_iou(span, c) >= iou for c in candidates)


def error_inventory(gold: Sequence[Document], pred: Sequence[Document],
                    candidates: Mapping[str, Sequence[tuple[int, int]]] | None = None,
                    iou: float = DEFAULT_IOU) -> Inventory:
    """The error inventory of ``pred`` against ``gold`` (documents paired by
    id; a gold document without a prediction counts as predicting nothing).
    ``candidates`` maps a document id to the candidate spans a classifier
    would score there; without it, ``fixable`` stays ``None``."""
    by_id = {d.id: d for d in pred}
    inv = Inventory()
    for g in gold:
        gc = list(g.commitments or [])
        p = by_id.get(g.id)
        pc = list(p.commitments or []) if p is not None else []
        cands = None if candidates is None else list(candidates.get(g.id, ()))
        inv.gold += len(gc)
        inv.pred += len(pc)
        pairs = match_spans(gc, pc, threshold=iou)
        inv.tp += len(pairs)
        inv.per_doc[g.id] = (len(pairs), len(pc), len(gc))
        for gi, pi in pairs:
            if gc[gi].kind != pc[pi].kind:
                inv.items.append(ErrorItem(g.id, "kind", gc[gi], pc[pi]))
            if gc[gi].modality != pc[pi].modality:
                inv.items.append(ErrorItem(g.id, "modality", gc[gi], pc[pi]))
        free_g = [i for i in range(len(gc)) if i not in {a for a, _ in pairs}]
        free_p = [i for i in range(len(pc)) if i not in {b for _, b in pairs}]
        # wrong spans: pair each unmatched prediction with the unmatched gold
        # commitment it overlaps most (one-to-one, by overlap)
        ws = match_spans([gc[i] for i in free_g], [pc[i] for i in free_p], threshold=0.0)
        used_g = {free_g[a] for a, _ in ws}
        used_p = {free_p[b] for _, b in ws}
        for a, b in ws:
            gi, pi = free_g[a], free_p[b]
            fix = None if cands is None else _covered((gc[gi].start, gc[gi].end), cands, iou)
            inv.items.append(ErrorItem(g.id, "wrong_span", gc[gi], pc[pi], fix))
        for pi in free_p:
            if pi not in used_p:
                fix = None if cands is None else _covered((pc[pi].start, pc[pi].end), cands, iou)
                inv.items.append(ErrorItem(g.id, "false_positive", None, pc[pi], fix))
        for gi in free_g:
            if gi not in used_g:
                fix = None if cands is None else _covered((gc[gi].start, gc[gi].end), cands, iou)
                inv.items.append(ErrorItem(g.id, "miss", gc[gi], None, fix))
    return inv


def bootstrap_f1(per_doc: Sequence[tuple[int, int, int]], samples: int = 2000,
                 seed: int = 13) -> tuple[float, float, float]:
    """Document bootstrap of the micro F1 ``2 tp / (pred + gold)`` from
    per-document ``(tp, pred, gold)`` counts: documents drawn with
    replacement, ``samples`` times. Returns (standard deviation, 2.5th and
    97.5th percentile) of the resampled F1, i.e. how much the figure moves
    with the choice of held-out documents alone."""
    import random

    if not per_doc:
        raise ValueError("no documents")
    rng = random.Random(seed)
    n = len(per_doc)
    fs = []
    for _ in range(samples):
        tp = pred = gold = 0
        for _ in range(n):
            a, b, c = per_doc[rng.randrange(n)]
            tp, pred, gold = tp + a, pred + b, gold + c
        fs.append(2 * tp / (pred + gold) if pred + gold else 0.0)
    fs.sort()
    mean = sum(fs) / len(fs)
    sd = (sum((f - mean) ** 2 for f in fs) / len(fs)) ** 0.5
    return sd, fs[int(0.025 * (len(fs) - 1))], fs[int(0.975 * (len(fs) - 1))]

"""Prodigy JSONL: one task per document, for ``spans.manual`` and ``rel.manual``.

``{"text", "tokens", "spans", "relations", "meta", "answer"}``. Spans are
labelled by layer (``SEGMENT``, ``ACTOR``, ``POINTS``, ``POINT_ITEM``,
``COMMITMENT``) and carry their attributes in an ``attrs`` key that Prodigy
passes through untouched; holder relations join the commitment span (head)
to an actor span (child), by token indices as Prodigy expects. ``meta``
holds the document's metadata. Tokens are cut at every span boundary, so
character offsets are exact. Tasks answered ``reject`` or ``ignore`` are
skipped on reading.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ...errors import InputError
from ...model import Document, write_jsonl
from ._flat import HOLDER, LABELS, Flat, Relation, Span, flatten, read_jsonl_documents, unflatten
from ._tokens import token_offsets

PRODIGY_LABELS = {layer: ("POINT_ITEM" if layer == "point_items" else label.upper())
                  for layer, label in LABELS.items()}
LAYER_OF = {label: layer for layer, label in PRODIGY_LABELS.items()}


def token_range(offsets: list[tuple[int, int]], start: int, end: int) -> dict[str, int]:
    """The tokens a character span covers (a span edge on whitespace falls
    back to the nearest token inside it; the character offsets stay exact)."""
    inside = [i for i, (a, b) in enumerate(offsets) if a < end and b > start]
    if not inside:  # a span of whitespace only: the token before it
        inside = [max((i for i, (a, _b) in enumerate(offsets) if a <= start), default=0)]
    return {"token_start": inside[0], "token_end": inside[-1]}


def to_task(doc: Document) -> dict[str, Any]:
    flat = flatten(doc)
    offsets = token_offsets(doc.text, [b for s in flat.spans for b in (s.start, s.end)])
    tokens = []
    for i, (a, b) in enumerate(offsets):
        nxt = offsets[i + 1][0] if i + 1 < len(offsets) else len(doc.text)
        tokens.append({"text": doc.text[a:b], "start": a, "end": b, "id": i, "ws": nxt > b})
    spans, by_key = [], {}
    for s in flat.spans:
        span = {"start": s.start, "end": s.end, "text": doc.text[s.start:s.end],
                **token_range(offsets, s.start, s.end),
                "label": PRODIGY_LABELS[s.layer], "attrs": s.attrs}
        spans.append(span)
        by_key[s.key] = span
    relations = []
    for rel in flat.relations:
        head, child = by_key[rel.head], by_key[rel.child]
        strip = ("attrs", "text")
        relations.append({"head": head["token_end"], "child": child["token_end"],
                          "head_span": {k: v for k, v in head.items() if k not in strip},
                          "child_span": {k: v for k, v in child.items() if k not in strip},
                          "label": rel.label.upper()})
    return {"text": doc.text, "meta": flat.meta, "tokens": tokens, "spans": spans,
            "relations": relations, "answer": "accept"}


def write(documents: list[Document], path: Path) -> int:
    return write_jsonl((to_task(d) for d in documents), path)


def from_task(task: dict[str, Any], where: str) -> Document:
    text = task.get("text")
    if not isinstance(text, str):
        raise InputError(f"{where}: task has no text")
    meta = dict(task.get("meta") or {})
    meta.setdefault("id", str(task.get("_input_hash", "doc")))
    spans, keyed = [], {}
    for i, sp in enumerate(task.get("spans") or []):
        layer = LAYER_OF.get(sp.get("label"))
        if layer is None:
            continue
        span = Span(f"x{i}", layer, int(sp["start"]), int(sp["end"]), dict(sp.get("attrs") or {}))
        spans.append(span)
        keyed[(span.start, span.end, sp.get("label"))] = span
    relations = []
    for rel in task.get("relations") or []:
        h, c = rel.get("head_span") or {}, rel.get("child_span") or {}
        head = keyed.get((h.get("start"), h.get("end"), h.get("label")))
        child = keyed.get((c.get("start"), c.get("end"), c.get("label")))
        if head and child:
            relations.append(Relation(head.key, child.key, str(rel.get("label", HOLDER)).lower()))
    return unflatten(Flat(text=text, meta=meta, spans=spans, relations=relations))


def read(path: Path) -> list[Document]:
    return read_jsonl_documents(path, from_task, keep=lambda obj: obj.get("answer", "accept") == "accept")

"""A flat view of a document shared by the exchange formats.

Every annotation tool sees a document as its text, labelled spans with
attributes, and relations between spans. :func:`flatten` turns a
:class:`~commitments.model.Document` into that view and :func:`unflatten`
turns it back; each format module only maps the flat view to its own
syntax, so the rules (labels, defaults, holder relations, how point items
find their list) live in one place.

Layers as span labels: ``Segment``, ``Actor``, ``Points``, ``PointItem`` and
``Commitment``. A commitment has one ``holder`` relation per holder key to the
nearest actor mention with that key (preferring one before it).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...errors import InputError
from ...model import LAYERS, BadRecord, iter_jsonl, ActorMention, Commitment, Document, PointItem, PointsList, Segment

#: Span layers of the flat view, in the order spans are written.
SPAN_LAYERS = ("segments", "actors", "points", "point_items", "commitments")
#: The label each span layer has in annotation tools.
LABELS = {
    "segments": "Segment",
    "actors": "Actor",
    "points": "Points",
    "point_items": "PointItem",
    "commitments": "Commitment",
}
LAYER_OF_LABEL = {label: layer for layer, label in LABELS.items()}
#: Attribute values given to spans that an annotator added without setting them.
DEFAULTS: dict[str, dict[str, Any]] = {
    "segments": {"kind": "commentary", "voice": None, "reporter": None},
    "actors": {"type": "state", "key": None, "country": None},
    "points": {"status": "other", "declared_count": None},
    "point_items": {},
    "commitments": {"kind": "pledge", "holders": [], "modality": "firm", "deadline": None},
}
HOLDER = "holder"
_META_FIELDS = ("id", "date", "title", "source", "genre")


@dataclass
class Span:
    key: str
    layer: str
    start: int
    end: int
    attrs: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return LABELS[self.layer]


@dataclass
class Relation:
    head: str          # key of the commitment span
    child: str         # key of the actor span
    label: str = HOLDER


@dataclass
class Flat:
    text: str
    meta: dict[str, Any]
    spans: list[Span] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)

    @property
    def doc_id(self) -> str:
        return str(self.meta.get("id") or "doc")

    def by_key(self) -> dict[str, Span]:
        return {s.key: s for s in self.spans}


def _without(record: dict[str, Any], *names: str) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in names}


def flatten(doc: Document) -> Flat:
    """The flat view of ``doc``: ``meta`` holds the document's metadata, its
    extra keys and ``layers`` (the annotated layers, so that an absent layer
    and an empty one stay apart)."""
    meta = _without(doc.to_dict(), "text", *LAYERS)
    meta["layers"] = [layer for layer in LAYERS if getattr(doc, layer) is not None]
    flat = Flat(text=doc.text, meta=meta)
    for i, seg in enumerate(doc.segments or [], 1):
        flat.spans.append(Span(f"s{i}", "segments", seg.start, seg.end,
                               _without(seg.to_dict(), "start", "end")))
    for i, act in enumerate(doc.actors or [], 1):
        flat.spans.append(Span(f"a{i}", "actors", act.start, act.end,
                               _without(act.to_dict(), "start", "end", "text")))
    for i, pts in enumerate(doc.points or [], 1):
        flat.spans.append(Span(f"p{i}", "points", pts.start, pts.end,
                               _without(pts.to_dict(), "start", "end", "items")))
        for j, item in enumerate(pts.items, 1):
            attrs = _without(item.to_dict(), "start", "end")
            attrs["points"] = pts.id
            flat.spans.append(Span(f"p{i}i{j}", "point_items", item.start, item.end, attrs))
    actors = [s for s in flat.spans if s.layer == "actors"]
    for i, com in enumerate(doc.commitments or [], 1):
        key = f"c{i}"
        flat.spans.append(Span(key, "commitments", com.start, com.end,
                               _without(com.to_dict(), "start", "end", "text")))
        for holder in com.holders or []:
            mention = nearest_mention(actors, holder, com.start)
            if mention is not None:
                flat.relations.append(Relation(key, mention.key))
    return flat


def nearest_mention(actors: list[Span], key: str, position: int) -> Span | None:
    """The actor span keyed ``key`` closest to ``position``, preferring one
    that starts before it (the subject usually precedes the action)."""
    candidates = [a for a in actors if a.attrs.get("key") == key]
    if not candidates:
        return None
    before = [a for a in candidates if a.start <= position]
    if before:
        return max(before, key=lambda a: a.start)
    return min(candidates, key=lambda a: a.start)


_LABEL_RE = re.compile(r"^\W*?([A-Za-z]+|\d+|[•\-*▪●◦])")


def item_label(text: str) -> str:
    """A point item's label guessed from its text: ``"(a) ..."`` -> ``a``,
    ``"10. ..."`` -> ``10``, ``"First, ..."`` -> ``First``, ``"• ..."`` -> ``•``."""
    stripped = text.lstrip()
    if stripped[:1] in "•-*▪●◦":
        return stripped[0]
    match = _LABEL_RE.match(stripped)
    return match.group(1) if match else (stripped.split() or ["?"])[0]


def _containing(spans: list[Span], start: int, end: int) -> Span | None:
    inside = [s for s in spans if s.start <= start and end <= s.end]
    return min(inside, key=lambda s: s.end - s.start) if inside else None


def unflatten(flat: Flat) -> Document:
    """The document of a flat view.

    Attributes missing on a span (an annotator added it) take the layer's
    ``DEFAULTS``; a commitment without a ``holders`` attribute takes the keys
    of the actor mentions it has holder relations to; point items without a
    ``points`` attribute join the list that contains them, and commitments
    without ``points``/``item`` the list and item that contain them.
    """
    meta = dict(flat.meta)
    layers = meta.pop("layers", None)
    if layers is None:
        present = {s.layer for s in flat.spans}
        layers = [layer for layer in LAYERS
                  if layer in present or (layer == "points" and "point_items" in present)]
    base = {k: meta.pop(k) for k in _META_FIELDS if k in meta}
    doc = Document.from_dict({"id": base.pop("id", None) or "doc", "text": flat.text, **base, **meta})
    text = flat.text
    spans = sorted(flat.spans, key=lambda s: (s.start, -s.end))
    of = {layer: [s for s in spans if s.layer == layer] for layer in SPAN_LAYERS}

    def record(span: Span, with_text: bool = False) -> dict[str, Any]:
        out = {**DEFAULTS[span.layer], **span.attrs, "start": span.start, "end": span.end}
        if with_text:
            out["text"] = text[span.start:span.end]
        return out

    if "segments" in layers:
        doc.segments = [Segment.from_dict(record(s)) for s in of["segments"]]
    if "actors" in layers:
        doc.actors = [ActorMention.from_dict(record(s, True)) for s in of["actors"]]
    if "points" in layers:
        doc.points = []
        used_ids = {s.attrs.get("id") for s in of["points"]}
        n = 0
        for s in of["points"]:
            rec = record(s)
            if not rec.get("id"):
                n += 1
                while f"p{n}" in used_ids:
                    n += 1
                rec["id"] = f"p{n}"
                s.attrs["id"] = rec["id"]
            doc.points.append(PointsList.from_dict(rec))
        by_id = {p.id: p for p in doc.points}
        for s in of["point_items"]:
            pid = s.attrs.get("points")
            if pid not in by_id:
                holder = _containing(of["points"], s.start, s.end)
                pid = holder.attrs["id"] if holder else None
            if pid not in by_id:
                continue
            rec = record(s)
            rec.pop("points", None)
            rec.setdefault("label", item_label(text[s.start:s.end]))
            by_id[pid].items.append(PointItem.from_dict(rec))
    if "commitments" in layers:
        keys_of = {s.key: s.attrs.get("key") or text[s.start:s.end] for s in of["actors"]}
        related: dict[str, list[str]] = {}
        for rel in flat.relations:
            if rel.label == HOLDER and rel.child in keys_of:
                related.setdefault(rel.head, []).append(keys_of[rel.child])
        doc.commitments = []
        used = {s.attrs.get("id") for s in of["commitments"]}
        n = 0
        for s in of["commitments"]:
            rec = record(s, True)
            if "holders" not in s.attrs:
                rec["holders"] = sorted(set(related.get(s.key, [])))
            if not rec.get("id"):
                n += 1
                while f"c{n}" in used:
                    n += 1
                rec["id"] = f"c{n}"
            if "points" not in s.attrs and doc.points:
                pts = _containing(of["points"], s.start, s.end)
                if pts is not None:
                    rec["points"] = pts.attrs["id"]
                    item = _containing([i for i in of["point_items"]
                                        if i.attrs.get("points", pts.attrs["id"]) == pts.attrs["id"]],
                                       s.start, s.end)
                    rec["item"] = (item.attrs.get("label") or item_label(text[item.start:item.end])
                                   if item else None)
            doc.commitments.append(Commitment.from_dict(rec))
    return doc


def read_jsonl_documents(path: Path, convert: Callable[[dict[str, Any], str], Document],
                         keep: Callable[[dict[str, Any]], bool] = lambda obj: True) -> list[Document]:
    """Read a JSON Lines export record by record with ``convert(obj, "file:line")``.

    A malformed line stops the read with one :class:`InputError` naming its
    place: a corrected annotation export should not lose records silently.
    Records ``keep`` rejects (e.g. Prodigy's rejected answers) are skipped.
    """
    docs = []
    for lineno, obj in iter_jsonl(path):
        if isinstance(obj, BadRecord):
            raise InputError(str(obj))
        if keep(obj):
            docs.append(convert(obj, f"{path}:{lineno}"))
    return docs

"""doccano JSONL: one line per document.

``{"text", "label": [[start, end, "Commitment"], ...], "entities": [...],
"relations": [...], "meta": {...}, "attributes": {...}}``

- ``label``: the spans, as a sequence-labelling project imports them;
- ``entities`` (``id``, ``label``, ``start_offset``, ``end_offset``) and
  ``relations`` (``id``, ``from_id``, ``to_id``, ``type``: ``holder``): the
  same spans as a relation-extraction project imports them;
- ``attributes``: each span's attributes keyed ``"start:end:Label"``, and
  ``meta`` the document's metadata; doccano keeps unknown keys as metadata
  and writes them back on export.

On reading, ``entities`` win over ``label`` when both are present.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ...errors import InputError
from ...model import Document, write_jsonl
from ._flat import HOLDER, LAYER_OF_LABEL, Flat, Relation, Span, flatten, read_jsonl_documents, unflatten


def _key(start: int, end: int, label: str) -> str:
    return f"{start}:{end}:{label}"


def to_record(doc: Document) -> dict[str, Any]:
    flat = flatten(doc)
    ids = {s.key: i for i, s in enumerate(flat.spans, 1)}
    return {
        "text": doc.text,
        "label": [[s.start, s.end, s.label] for s in flat.spans],
        "entities": [{"id": ids[s.key], "label": s.label, "start_offset": s.start, "end_offset": s.end}
                     for s in flat.spans],
        "relations": [{"id": i, "from_id": ids[r.head], "to_id": ids[r.child], "type": r.label}
                      for i, r in enumerate(flat.relations, 1)],
        "meta": flat.meta,
        "attributes": {_key(s.start, s.end, s.label): s.attrs for s in flat.spans},
    }


def write(documents: list[Document], path: Path) -> int:
    return write_jsonl((to_record(d) for d in documents), path)


def from_record(obj: dict[str, Any], where: str) -> Document:
    text = obj.get("text", obj.get("data"))
    if not isinstance(text, str):
        raise InputError(f"{where}: record has no text")
    meta = dict(obj.get("meta") or {})
    meta.setdefault("id", str(obj.get("id", "doc")))
    attributes = obj.get("attributes") or {}
    spans: list[Span] = []
    by_id: dict[Any, Span] = {}
    if obj.get("entities"):
        raw = [(e.get("id"), e["start_offset"], e["end_offset"], e["label"]) for e in obj["entities"]]
    else:
        raw = [(None, *entry[:3]) for entry in obj.get("label") or []]
    for i, (eid, start, end, label) in enumerate(raw):
        layer = LAYER_OF_LABEL.get(label)
        if layer is None:
            continue
        span = Span(f"e{i}", layer, int(start), int(end),
                    dict(attributes.get(_key(start, end, label)) or {}))
        spans.append(span)
        if eid is not None:
            by_id[eid] = span
    relations = [Relation(by_id[r["from_id"]].key, by_id[r["to_id"]].key, r.get("type", HOLDER))
                 for r in obj.get("relations") or []
                 if r.get("from_id") in by_id and r.get("to_id") in by_id]
    return unflatten(Flat(text=text, meta=meta, spans=spans, relations=relations))


def read(path: Path) -> list[Document]:
    return read_jsonl_documents(path, from_record)

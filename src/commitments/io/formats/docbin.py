"""spaCy ``DocBin`` (``.spacy``): documents as ``Doc`` objects with the
pipeline's span groups and span attributes (see
``commitments.pipeline.extensions``).

``DocBin`` does not serialise custom extension values by itself; spaCy keeps
span extension values in ``doc.user_data`` (keyed by the span's character
offsets), so the bin is written with ``store_user_data=True``. The
document's metadata and the records' extra keys go into
``doc.user_data["commitments"]``. Two spans with the same offsets share one
set of attribute values (a spaCy limitation): that only matters if two
records of one layer have identical offsets. Holder relations are not
stored (``span._.holders`` holds the keys).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ...errors import InputError
from ...model import Document
from ._flat import SPAN_LAYERS, Flat, Span, flatten, unflatten
from ._tokens import english_vocab, token_offsets, words_and_spaces

USER_KEY = "commitments"
#: layer -> (span attribute, record attribute) pairs written as span._ values
ATTRS: dict[str, tuple[tuple[str, str], ...]] = {
    "segments": (("segment_kind", "kind"), ("voice", "voice"), ("reporter", "reporter")),
    "actors": (("actor_type", "type"), ("actor_key", "key"), ("actor_country", "country")),
    "points": (("points_id", "id"), ("points_status", "status"), ("declared_count", "declared_count")),
    "point_items": (("item_label", "label"), ("points_id", "points")),
    "commitments": (("commitment_id", "id"), ("commitment_kind", "kind"), ("holders", "holders"),
                    ("modality", "modality"), ("deadline", "deadline"), ("points_id", "points"),
                    ("item_label", "item"), ("trigger", "trigger"), ("commitment_score", "score")),
}


def _vocab():
    return english_vocab()


def document_to_doc(document: Document, vocab=None):
    """A ``Doc`` for ``document`` whose span groups and ``span._`` values
    carry every layer (tokens cut at span boundaries, so offsets are exact)."""
    from spacy.tokens import Doc

    from ...pipeline.extensions import register_extensions

    register_extensions()
    flat = flatten(document)
    bounds = [b for s in flat.spans for b in (s.start, s.end)]
    offsets = token_offsets(document.text, bounds)
    words, spaces = words_and_spaces(document.text, offsets, bounds)
    doc = Doc(vocab or _vocab(), words=words, spaces=spaces)
    assert doc.text == document.text
    doc._.doc_id = document.id
    doc._.date = document.date
    warnings = document.extra.get("warnings")
    if isinstance(warnings, list):
        doc._.warnings = list(warnings)
    extras: dict[str, dict[str, Any]] = {}
    groups: dict[str, list] = {layer: [] for layer in SPAN_LAYERS}
    for s in flat.spans:
        span = doc.char_span(s.start, s.end, label=s.layer)
        attrs = dict(s.attrs)
        for span_attr, attr in ATTRS[s.layer]:
            if attr in attrs:
                setattr(span._, span_attr, attrs.pop(attr))
        if s.layer == "points":
            span._.point_items = [(i.attrs.get("label"), i.start, i.end) for i in flat.spans
                                  if i.layer == "point_items" and i.attrs.get("points") == s.attrs.get("id")]
        if attrs:
            extras[f"{s.layer}:{s.start}:{s.end}"] = attrs
        groups[s.layer].append(span)
    layers = flat.meta.get("layers", [])
    for layer, spans in groups.items():
        annotated = layer in layers or (layer == "point_items" and "points" in layers)
        if annotated:
            doc.spans[layer] = spans
    doc.user_data[USER_KEY] = {"meta": flat.meta, "extra": extras}
    return doc


def _lists(value: Any) -> Any:
    """msgpack gives tuples back where lists were stored."""
    if isinstance(value, (list, tuple)):
        return [_lists(v) for v in value]
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    return value


def doc_to_document(doc) -> Document:
    """The document of a ``Doc`` written by :func:`document_to_doc` (or by
    the pipeline: its span groups and attributes)."""
    stored = _lists(doc.user_data.get(USER_KEY) or {})
    meta = dict(stored.get("meta") or {"id": doc._.doc_id or "doc", "date": doc._.date})
    if "layers" not in stored.get("meta", {}):
        layers = [g for g in ("segments", "actors", "commitments", "points") if g in doc.spans]
        meta["layers"] = layers
        if doc._.warnings:
            meta["warnings"] = list(doc._.warnings)
    extras = stored.get("extra") or {}
    spans = []
    for layer in SPAN_LAYERS:
        if layer not in doc.spans:
            if layer == "point_items" and "points" in doc.spans:
                # the pipeline keeps items on the points span
                for p in doc.spans["points"]:
                    for label, a, b in p._.point_items or []:
                        spans.append(Span(f"i{len(spans)}", layer, a, b,
                                          {"label": label, "points": p._.points_id}))
            continue
        for i, span in enumerate(doc.spans[layer]):
            attrs = {}
            for span_attr, attr in ATTRS[layer]:
                value = getattr(span._, span_attr)
                if value is not None or attr not in ("trigger", "score"):
                    attrs[attr] = _lists(value)
            attrs.update(extras.get(f"{layer}:{span.start_char}:{span.end_char}", {}))
            spans.append(Span(f"{layer}{i}", layer, span.start_char, span.end_char, attrs))
    return unflatten(Flat(text=doc.text, meta=meta, spans=spans))


def write(documents: list[Document], path: Path) -> int:
    from spacy.tokens import DocBin

    vocab = _vocab()
    bin_ = DocBin(store_user_data=True)
    for document in documents:
        bin_.add(document_to_doc(document, vocab))
    path.parent.mkdir(parents=True, exist_ok=True)
    bin_.to_disk(path)
    return len(documents)


def read(path: Path) -> list[Document]:
    from spacy.tokens import DocBin

    from ...pipeline.extensions import register_extensions

    register_extensions()
    try:
        bin_ = DocBin(store_user_data=True).from_disk(path)
    except Exception as exc:  # spaCy raises several kinds for a bad file
        raise InputError(f"{path}: not a spaCy DocBin ({exc})") from None
    return [doc_to_document(doc) for doc in bin_.get_docs(_vocab())]

"""The custom attributes the pipeline writes, registered in one place.

Span groups (``doc.spans[...]``) and the attributes on their spans:

=================  ====================================================================
``segments``       ``span._.segment_kind``, ``span._.voice``, ``span._.reporter``
``actors``         ``span._.actor_type``, ``span._.actor_key``, ``span._.actor_country``
``points``         ``span._.points_id``, ``span._.points_status``, ``span._.declared_count``,
                   ``span._.point_items`` (list of ``(label, start_char, end_char)``)
``point_items``    ``span._.item_label``, ``span._.points_id``
``commitments``    ``span._.commitment_id``, ``span._.commitment_kind``, ``span._.holders``,
                   ``span._.modality``, ``span._.deadline``, ``span._.points_id``,
                   ``span._.item_label``, ``span._.trigger`` (the cue text),
                   ``span._.commitment_score`` (confidence, 0-1)
=================  ====================================================================

Doc attributes: ``doc._.doc_id``, ``doc._.date`` (ISO string or None, used to
normalise deadlines), ``doc._.genre`` (the document's genre or None, a prior
for segment kinds), ``doc._.source`` (the document's source address or None,
used for the reporter of readouts), ``doc._.warnings`` (list of messages for the user, e.g.
a declared count that differs from the items found).

Components only read and write these; they never ``force=True`` an extension
that another package owns. :func:`span_table`, :func:`span_values`,
:func:`set_span_values` and :func:`write_span_values` read and write many of them at once, without an
``Underscore`` object per access (a hot spot on the blank pipeline).
"""
from __future__ import annotations

from spacy.tokens import Doc, Span

SPAN_GROUPS = ("segments", "actors", "points", "point_items", "commitments")

_SPAN_ATTRS = (
    "segment_kind", "voice", "reporter",
    "actor_type", "actor_key", "actor_country",
    "points_id", "points_status", "declared_count", "point_items", "item_label",
    "commitment_id", "commitment_kind", "holders", "modality", "deadline", "trigger",
    "commitment_score",
)
_DOC_ATTRS = ("doc_id", "date", "warnings", "genre", "source")


def register_extensions() -> None:
    """Register every attribute once (idempotent)."""
    for name in _SPAN_ATTRS:
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)
    for name in _DOC_ATTRS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


def _plain_keys() -> bool:
    """Whether spaCy keeps a span's extension values in ``doc.user_data``
    under ``("._.", name, start_char, end_char)`` (spaCy 3's ``Underscore``)."""
    try:
        from spacy.tokens.underscore import Underscore

        probe = type("Probe", (), {"_start": 3, "_end": 7})()
        return Underscore._get_key(probe, "x") == ("._.", "x", 3, 7)
    except Exception:  # pragma: no cover - another spaCy layout
        return False


_PLAIN_KEYS = _plain_keys()


def _plain(name: str) -> bool:
    """A plain stored span attribute (default None, no getter, setter or
    method): its value is read and written straight in ``doc.user_data``."""
    return _PLAIN_KEYS and Span.has_extension(name) and Span.get_extension(name) == (None, None, None, None)


def span_values(doc: Doc, start_char: int, end_char: int, names: tuple[str, ...]) -> tuple:
    """``(span._.<name> for name in names)`` of the span over those characters,
    without building a ``Span`` and its ``Underscore`` object for each read
    (the same values: where an attribute is not a plain stored one, it is
    read through ``Span._``)."""
    if all(_plain(n) for n in names):
        data = doc.user_data
        return tuple(data.get(("._.", n, start_char, end_char)) for n in names)
    span = doc.char_span(start_char, end_char)
    return tuple(getattr(span._, n) for n in names)


def span_table(spans, names: tuple[str, ...]) -> list[tuple]:
    """``(start, end, start_char, end_char, *values)`` for each span: token
    and character offsets and the attributes ``names``, read as
    :func:`span_values` reads them."""
    spans = list(spans)
    if not spans:
        return []
    if all(_plain(n) for n in names):
        data = spans[0].doc.user_data
        out = []
        for s in spans:
            a, b = s.start_char, s.end_char
            out.append((s.start, s.end, a, b, *[data.get(("._.", n, a, b)) for n in names]))
        return out
    return [(s.start, s.end, s.start_char, s.end_char, *[getattr(s._, n) for n in names]) for s in spans]


def set_span_values(span: Span, values: dict) -> None:
    """``span._.<name> = value`` for each item (straight into ``doc.user_data``
    for plain stored attributes)."""
    if all(_plain(n) for n in values):
        data = span.doc.user_data
        a, b = span.start_char, span.end_char
        for name, value in values.items():
            data[("._.", name, a, b)] = value
    else:
        for name, value in values.items():
            setattr(span._, name, value)


def write_span_values(doc: Doc, names: tuple[str, ...], rows) -> None:
    """Set the attributes ``names`` of many spans at once: each row is
    ``(start_char, end_char, *values)`` (what :func:`set_span_values` does
    for one span, with the attribute check made once)."""
    if all(_plain(n) for n in names):
        data = doc.user_data
        for a, b, *values in rows:
            for name, value in zip(names, values):
                data[("._.", name, a, b)] = value
    else:
        for a, b, *values in rows:
            span = doc.char_span(a, b)
            for name, value in zip(names, values):
                setattr(span._, name, value)


def add_warning(doc: Doc, message: str) -> None:
    if doc._.warnings is None:
        doc._.warnings = []
    doc._.warnings.append(message)


register_extensions()

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
that another package owns.
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


def add_warning(doc: Doc, message: str) -> None:
    if doc._.warnings is None:
        doc._.warnings = []
    doc._.warnings.append(message)


register_extensions()

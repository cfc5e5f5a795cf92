"""Between spaCy ``Doc`` objects and the toolkit's ``Document`` model."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..model import ActorMention, Commitment, Document, PointItem, PointsList, Segment
from .extensions import register_extensions

register_extensions()


def make_doc(nlp: Language, document: Document) -> Doc:
    """A tokenised ``Doc`` for ``document`` carrying its id, date, genre and source."""
    from .actors import remember_text

    doc = nlp.make_doc(document.text)
    remember_text(doc, document.text)
    doc._.doc_id = document.id
    doc._.date = document.date
    doc._.genre = document.genre
    doc._.source = document.source
    return doc


def doc_to_document(doc: Doc, base: Document | None = None) -> Document:
    """The annotation layers of a processed ``doc`` as a ``Document``.

    Metadata (id, date, title, ...) come from ``base`` when given. Layers whose
    component did not run stay absent; layers it ran on are lists.
    """
    if base is None:
        base = Document(id=doc._.doc_id or "doc", text=doc.text, date=doc._.date)
    out = base.without_annotations()
    groups = doc.spans
    if "segments" in groups:
        out.segments = [
            Segment(s.start_char, s.end_char, s._.segment_kind, s._.voice, s._.reporter)
            for s in groups["segments"]
        ]
    if "actors" in groups:
        out.actors = [
            ActorMention(s.start_char, s.end_char, s.text, s._.actor_type, s._.actor_key,
                         s._.actor_country)
            for s in groups["actors"]
        ]
    if "points" in groups:
        out.points = [
            PointsList(
                id=s._.points_id, start=s.start_char, end=s.end_char,
                status=s._.points_status or "other", declared_count=s._.declared_count,
                items=[PointItem(label, a, b) for label, a, b in (s._.point_items or [])],
            )
            for s in groups["points"]
        ]
    if "commitments" in groups:
        out.commitments = []
        for i, s in enumerate(groups["commitments"], 1):
            extra = {}
            if s._.trigger:
                extra["trigger"] = s._.trigger
            if s._.commitment_score is not None:
                extra["score"] = round(float(s._.commitment_score), 4)
            out.commitments.append(Commitment(
                id=s._.commitment_id or f"c{i}", start=s.start_char, end=s.end_char,
                text=s.text, kind=s._.commitment_kind or "pledge",
                holders=sorted(set(s._.holders or [])), modality=s._.modality or "firm",
                deadline=s._.deadline, points=s._.points_id, item=s._.item_label, extra=extra,
            ))
    warnings = doc._.warnings
    if warnings:
        out.extra["warnings"] = list(warnings)
    return out

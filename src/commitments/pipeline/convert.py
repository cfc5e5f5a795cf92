"""Between spaCy ``Doc`` objects and the toolkit's ``Document`` model."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..model import ActorMention, Commitment, Document, PointItem, PointsList, Segment
from .actors import doc_text, remember_text
from .extensions import register_extensions, span_table

_COMMITMENT_ATTRS = ("trigger", "commitment_score", "commitment_id", "commitment_kind", "holders",
                     "modality", "deadline", "points_id", "item_label")

register_extensions()


def make_doc(nlp: Language, document: Document) -> Doc:
    """A tokenised ``Doc`` for ``document`` carrying its id, date, genre and source."""
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
    # attributes are read as rows (span_table): one dict lookup per value
    # instead of an Underscore object per access; texts are slices of the
    # document's text (a span's text is exactly that slice)
    text = doc_text(doc) if any(k in groups for k in ("actors", "commitments")) else ""
    if "segments" in groups:
        out.segments = [
            Segment(a, b, kind, voice, reporter)
            for _, _, a, b, kind, voice, reporter in span_table(groups["segments"],
                                                                 ("segment_kind", "voice", "reporter"))
        ]
    if "actors" in groups:
        out.actors = [
            ActorMention(a, b, text[a:b], kind, key, country)
            for _, _, a, b, kind, key, country in span_table(groups["actors"],
                                                              ("actor_type", "actor_key", "actor_country"))
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
        rows = span_table(groups["commitments"], _COMMITMENT_ATTRS)
        for i, (_, _, a, b, trigger, score, cid, kind, holders, modality, deadline, points,
                item) in enumerate(rows, 1):
            extra = {}
            if trigger:
                extra["trigger"] = trigger
            if score is not None:
                extra["score"] = round(float(score), 4)
            out.commitments.append(Commitment(
                id=cid or f"c{i}", start=a, end=b,
                text=text[a:b], kind=kind or "pledge",
                holders=sorted(set(holders or [])), modality=modality or "firm",
                deadline=deadline, points=points, item=item, extra=extra,
            ))
    warnings = doc._.warnings
    if warnings:
        out.extra["warnings"] = list(warnings)
    return out

"""Long texts: split into pieces the pipeline can take, and merge the results.

spaCy refuses texts longer than ``nlp.max_length`` (1,000,000 characters by
default), and its parser needs about 1 GB of memory per 100,000 characters,
so raising the limit is no answer for a 20 MB text. Instead a text longer
than ``max_chars`` is cut into pieces of at most ``max_chars`` characters at
the best boundary near the end of each window (a blank line, else a line
break, else a sentence end, else any whitespace, else a hard cut); each piece
runs through the pipeline as its own document, and :func:`merge_parts` shifts
the pieces' offsets back into the full text and joins their layers.

What is lost at a cut: context that crosses it (a segment that runs on is
rejoined when both halves have the same kind and voice; a pronoun whose
antecedent lies in the previous piece is not). Real diplomatic documents are
far shorter than the default piece size, so they are never cut.
"""
from __future__ import annotations

import re
from typing import Sequence

from .model import ActorMention, Commitment, Document, PointItem, PointsList, Segment

#: Default piece size in characters (well below spaCy's max_length).
MAX_CHARS = 100_000

# Boundaries in order of preference; each pattern's match END is the cut.
_BOUNDARIES = (
    re.compile(r"\n[ \t]*\n\s*"),           # blank line: paragraph end
    re.compile(r"\n\s*"),                    # line break
    re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+"),  # sentence end
    re.compile(r"\s+"),                      # any whitespace
)


def split_points(text: str, max_chars: int = MAX_CHARS) -> list[tuple[int, int]]:
    """Cover ``text`` with consecutive ``(start, end)`` pieces of at most
    ``max_chars`` characters, cut at natural boundaries.

    The pieces tile the text exactly (``pieces[0][0] == 0``, each start is
    the previous end, the last end is ``len(text)``), so every character
    belongs to one piece. A boundary is looked for in the second half of
    each window, so pieces are never shorter than ``max_chars // 2`` unless
    they are the last.
    """
    if max_chars < 2:
        raise ValueError("max_chars must be at least 2")
    n = len(text)
    pieces: list[tuple[int, int]] = []
    start = 0
    while n - start > max_chars:
        limit = start + max_chars
        floor = start + max_chars // 2
        cut = limit
        for pattern in _BOUNDARIES:
            best = None
            for match in pattern.finditer(text, floor, limit):
                if match.end() <= limit:
                    best = match.end()
            if best is not None and best > start:
                cut = best
                break
        pieces.append((start, cut))
        start = cut
    pieces.append((start, n))
    return pieces


def merge_parts(base: Document, parts: Sequence[tuple[int, Document]]) -> Document:
    """One document from the pipeline's results on pieces of ``base.text``.

    ``parts`` are ``(offset of the piece in base.text, result on the piece)``
    in text order. Offsets are shifted back; commitment and points ids are
    renumbered ``c1..`` and ``p1..`` over the whole text (references kept);
    a segment cut by a piece boundary is rejoined when both halves agree on
    kind, voice and reporter; per-piece warnings are concatenated.
    """
    if len(parts) == 1 and parts[0][0] == 0 and parts[0][1].text == base.text:
        result = parts[0][1]
        merged = base.without_annotations()
        for layer in ("segments", "actors", "commitments", "points"):
            setattr(merged, layer, getattr(result, layer))
        if "warnings" in result.extra:
            merged.extra["warnings"] = list(result.extra["warnings"])
        return merged

    out = base.without_annotations()
    warnings: list[str] = []
    layers_seen = {layer: False for layer in ("segments", "actors", "commitments", "points")}
    segments: list[Segment] = []
    actors: list[ActorMention] = []
    commitments: list[Commitment] = []
    points: list[PointsList] = []
    joinable = False  # the last segment so far ends the previous piece's segments
    for offset, part in parts:
        if part.segments is not None:
            layers_seen["segments"] = True
            for i, seg in enumerate(part.segments):
                start, end = seg.start + offset, seg.end + offset
                if (i == 0 and joinable and _same_voice(segments[-1], seg)
                        and not base.text[segments[-1].end:start].strip()):
                    segments[-1].end = end
                    continue
                segments.append(Segment(start, end, seg.kind, seg.voice, seg.reporter,
                                        extra=dict(seg.extra)))
        joinable = bool(part.segments)
        if part.actors is not None:
            layers_seen["actors"] = True
            actors.extend(
                ActorMention(a.start + offset, a.end + offset, a.text, a.type, a.key, a.country,
                             extra=dict(a.extra))
                for a in part.actors
            )
        points_ids: dict[str, str] = {}
        if part.points is not None:
            layers_seen["points"] = True
            for pts in part.points:
                new_id = f"p{len(points) + 1}"
                points_ids[pts.id] = new_id
                points.append(PointsList(
                    id=new_id, start=pts.start + offset, end=pts.end + offset, status=pts.status,
                    declared_count=pts.declared_count,
                    items=[PointItem(it.label, it.start + offset, it.end + offset, extra=dict(it.extra))
                           for it in pts.items],
                    extra=dict(pts.extra),
                ))
        if part.commitments is not None:
            layers_seen["commitments"] = True
            for com in part.commitments:
                commitments.append(Commitment(
                    id=f"c{len(commitments) + 1}", start=com.start + offset, end=com.end + offset,
                    text=com.text, kind=com.kind, holders=list(com.holders), modality=com.modality,
                    deadline=com.deadline,
                    points=points_ids.get(com.points, com.points) if com.points else None,
                    item=com.item, extra=dict(com.extra),
                ))
        warnings.extend(part.extra.get("warnings") or [])
    if layers_seen["segments"]:
        out.segments = segments
    if layers_seen["actors"]:
        out.actors = actors
    if layers_seen["commitments"]:
        out.commitments = commitments
    if layers_seen["points"]:
        out.points = points
    if warnings:
        out.extra["warnings"] = warnings
    return out


def _same_voice(a: Segment, b: Segment) -> bool:
    return (a.kind, a.voice, a.reporter) == (b.kind, b.voice, b.reporter)


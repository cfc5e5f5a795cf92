"""brat standoff: a directory of ``<doc>.txt``/``<doc>.ann`` pairs.

- ``T`` lines: one text-bound annotation per span, typed by layer
  (``Segment``, ``Actor``, ``Points``, ``PointItem``, ``Commitment``); a span
  that crosses line breaks is written as fragments (``0 5;6 12``), as brat
  requires, and read back as one span from its first to its last character.
- ``A`` lines: the closed-set attributes (``SegmentKind``, ``ActorType``,
  ``PointsStatus``, ``CommitmentKind``, ``Modality``), editable in brat.
- ``R`` lines: ``Holder Arg1:<commitment> Arg2:<actor mention>``.
- ``#`` lines (``AnnotatorNotes``): the other attributes as a JSON object
  (holders, deadline, keys, ids, points and item references, extras).

``annotation.conf`` declares the types and attributes; ``documents.jsonl``
keeps each document's metadata and file name (brat ignores it).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from ...errors import InputError
from ...model import ACTOR_TYPES, COMMITMENT_KINDS, MODALITIES, POINTS_STATUSES, SEGMENT_KINDS, Document
from ._flat import LABELS, LAYER_OF_LABEL, Flat, Relation, Span, flatten, unflatten

#: closed-set attributes written as ``A`` lines: (brat name, layer, attribute, values)
ATTRIBUTES = (
    ("SegmentKind", "segments", "kind", SEGMENT_KINDS),
    ("ActorType", "actors", "type", ACTOR_TYPES),
    ("PointsStatus", "points", "status", POINTS_STATUSES),
    ("CommitmentKind", "commitments", "kind", COMMITMENT_KINDS),
    ("Modality", "commitments", "modality", MODALITIES),
)
META_FILE = "documents.jsonl"
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def annotation_conf() -> str:
    lines = ["# commitments: brat configuration (see docs/formats.md)", "[entities]"]
    lines += [LABELS[layer] for layer in LABELS]
    lines += ["", "[relations]", "Holder Arg1:Commitment, Arg2:Actor",
              "<OVERLAP> Arg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>", "", "[events]", "",
              "[attributes]"]
    for name, layer, _attr, values in ATTRIBUTES:
        lines.append(f"{name} Arg:{LABELS[layer]}, Value:{'|'.join(values)}")
    return "\n".join(lines) + "\n"


def _fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The span cut at line breaks, without empty or blank pieces."""
    out, pos = [], start
    for piece in re.split(r"(\n)", text[start:end]):
        if piece and piece != "\n" and piece.strip():
            # trim whitespace so each fragment starts and ends on text
            lead = len(piece) - len(piece.lstrip())
            trail = len(piece) - len(piece.rstrip())
            out.append((pos + lead, pos + len(piece) - trail))
        pos += len(piece)
    if not out:
        return [(start, end)]
    # keep the span's exact outer bounds
    out[0] = (start, out[0][1])
    out[-1] = (out[-1][0], end)
    return out


def ann_text(flat: Flat) -> str:
    """The ``.ann`` file of one document."""
    lines, notes = [], []
    tids: dict[str, str] = {}
    a = 0
    for n, span in enumerate(flat.spans, 1):
        tid = f"T{n}"
        tids[span.key] = tid
        frags = _fragments(flat.text, span.start, span.end)
        offsets = ";".join(f"{s} {e}" for s, e in frags)
        shown = " ".join(flat.text[s:e] for s, e in frags).replace("\n", " ")
        lines.append(f"{tid}\t{span.label} {offsets}\t{shown}")
        attrs = dict(span.attrs)
        for name, layer, attr, _values in ATTRIBUTES:
            if layer == span.layer and attrs.get(attr) is not None:
                a += 1
                lines.append(f"A{a}\t{name} {tid} {attrs.pop(attr)}")
        attrs = {k: v for k, v in attrs.items()
                 if v is not None or (span.layer == "commitments" and k in ("points", "item"))}
        if attrs:
            notes.append((tid, json.dumps(attrs, ensure_ascii=False, separators=(", ", ": "))))
    for r, rel in enumerate(flat.relations, 1):
        lines.append(f"R{r}\t{rel.label.capitalize()} Arg1:{tids[rel.head]} Arg2:{tids[rel.child]}")
    for k, (tid, note) in enumerate(notes, 1):
        lines.append(f"#{k}\tAnnotatorNotes {tid}\t{note}")
    return "\n".join(lines) + ("\n" if lines else "")


def file_stem(doc_id: str, taken: set[str]) -> str:
    stem = _SAFE.sub("_", doc_id).strip("._") or "doc"
    base, n = stem, 1
    while stem in taken:
        n += 1
        stem = f"{base}_{n}"
    taken.add(stem)
    return stem


def write(documents: list[Document], path: Path) -> int:
    path.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    meta_lines = []
    for doc in documents:
        flat = flatten(doc)
        stem = file_stem(doc.id, taken)
        (path / f"{stem}.txt").write_text(doc.text, encoding="utf-8", newline="")
        (path / f"{stem}.ann").write_text(ann_text(flat), encoding="utf-8", newline="\n")
        meta_lines.append(json.dumps({"file": stem, **flat.meta}, ensure_ascii=False))
    (path / "annotation.conf").write_text(annotation_conf(), encoding="utf-8")
    (path / META_FILE).write_text("".join(m + "\n" for m in meta_lines), encoding="utf-8")
    return len(documents)


def parse_ann(text: str, ann: str, where: str = "") -> tuple[list[Span], list[Relation]]:
    """Spans and relations of a ``.ann`` file (types it does not know are skipped)."""
    spans: dict[str, Span] = {}
    attrs: dict[str, dict] = {}
    relations = []
    by_name = {name: attr for name, _layer, attr, _v in ATTRIBUTES}
    pending_attr, pending_notes = [], []
    for lineno, line in enumerate(ann.splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split("\t")
        ident = parts[0]
        try:
            if ident.startswith("T"):
                label, _, offsets = parts[1].partition(" ")
                if label not in LAYER_OF_LABEL:
                    continue
                frags = [tuple(int(x) for x in f.split()) for f in offsets.split(";")]
                start, end = min(f[0] for f in frags), max(f[1] for f in frags)
                spans[ident] = Span(ident, LAYER_OF_LABEL[label], start, end)
                attrs[ident] = {}
            elif ident.startswith("A") or ident.startswith("M"):
                fields = parts[1].split()
                pending_attr.append((fields[0], fields[1], fields[2] if len(fields) > 2 else "true"))
            elif ident.startswith("R"):
                fields = parts[1].split()
                head = fields[1].split(":", 1)[1]
                child = fields[2].split(":", 1)[1]
                relations.append(Relation(head, child, fields[0].lower()))
            elif ident.startswith("#"):
                _kind, _, target = parts[1].partition(" ")
                pending_notes.append((target.strip(), parts[2] if len(parts) > 2 else ""))
        except (IndexError, ValueError):
            raise InputError(f"{where}:{lineno}: malformed brat line {line[:60]!r}") from None
    for name, target, value in pending_attr:
        if target in attrs and name in by_name:
            attrs[target][by_name[name]] = value
    for target, note in pending_notes:
        if target not in attrs:
            continue
        try:
            extra = json.loads(note)
        except json.JSONDecodeError:
            extra = {"note": note}
        if isinstance(extra, dict):
            for k, v in extra.items():
                attrs[target].setdefault(k, v)
    for ident, span in spans.items():
        span.attrs = attrs[ident]
        if not 0 <= span.start < span.end <= len(text):
            raise InputError(f"{where}: span {ident} {span.start}-{span.end} is outside the text")
    return list(spans.values()), [r for r in relations if r.head in spans and r.child in spans]


def read(path: Path) -> list[Document]:
    metas = {}
    meta_file = path / META_FILE
    if meta_file.exists():
        for line in meta_file.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                metas[record.pop("file")] = record
    stems = sorted(p.stem for p in path.glob("*.txt"))
    if metas:  # keep the order documents were written in
        stems = [s for s in metas if s in set(stems)] + [s for s in stems if s not in metas]
    docs = []
    for stem in stems:
        with open(path / f"{stem}.txt", encoding="utf-8", newline="") as fh:
            text = fh.read()
        ann_path = path / f"{stem}.ann"
        ann = ann_path.read_text(encoding="utf-8") if ann_path.exists() else ""
        spans, relations = parse_ann(text, ann, str(ann_path))
        meta = metas.get(stem, {"id": stem})
        docs.append(unflatten(Flat(text=text, meta=meta, spans=spans, relations=relations)))
    return docs

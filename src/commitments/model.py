"""The one data model of the toolkit: documents, segments, actor mentions,
commitments, points lists and follow-through links.

Everything that reads or writes annotations goes through these classes: the
readers, the extraction pipeline (``Document.from_doc`` lives in
``commitments.pipeline.convert``), the CLI and the scorer. The JSON shape is
the one of ``FORMAT.md``; unknown keys are kept in ``extra`` and written back
unchanged, so scores, triggers or model versions survive a round trip.

A layer that was not annotated is ``None`` (absent in JSON); an annotated
layer with nothing in it is ``[]``.
"""
from __future__ import annotations

import datetime as _dt
import json
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, ClassVar, Iterable, Iterator, TextIO

from .errors import InputError

GENRES = (
    "joint_statement", "readout", "communique", "consensus", "press_release",
    "compliance_report", "fact_sheet", "news", "speech", "other",
)
SEGMENT_KINDS = ("statement", "readout", "consensus", "commentary", "boilerplate")
ACTOR_TYPES = ("state", "person", "organization", "collective")
COMMITMENT_KINDS = ("pledge", "agreement")
MODALITIES = ("firm", "qualified")
POINTS_STATUSES = ("agreed", "proposed", "recommended", "other")
LINK_STATUSES = ("fulfilled", "partial", "reaffirmed", "contradicted")
LAYERS = ("segments", "actors", "commitments", "points")

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_date(value: str) -> tuple[int, int | None, int | None]:
    """Parse an ISO 8601 date at year, year-month or day precision.

    Returns ``(year, month, day)`` with ``None`` for missing parts; raises
    ``ValueError`` with a readable message for anything else.
    """
    match = _DATE_RE.match(value.strip()) if isinstance(value, str) else None
    if not match:
        raise ValueError(f"not an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD): {value!r}")
    year, month, day = (int(g) if g else None for g in match.groups())
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"impossible month in date {value!r}")
    if day is not None:
        try:
            _dt.date(year, month, day)
        except ValueError:
            raise ValueError(f"impossible day in date {value!r}") from None
    return year, month, day


def is_valid_date(value: str) -> bool:
    try:
        parse_date(value)
    except ValueError:
        return False
    return True


def is_valid_deadline(value: str) -> bool:
    """A deadline is a date or an interval ``start/end`` of two dates."""
    if not isinstance(value, str):
        return False
    parts = value.split("/")
    if len(parts) > 2 or not all(is_valid_date(p) for p in parts):
        return False
    return len(parts) == 1 or parts[0] <= parts[1]


def date_key(value: str | None) -> str:
    """A sortable key for partial dates ('2024' sorts before '2024-01')."""
    return value or ""


class _Record:
    """Shared JSON conversion: known fields in order, unknown keys in ``extra``."""

    _required: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any]):
        if not isinstance(data, dict):
            raise ValueError(f"expected an object for {cls.__name__}, got {type(data).__name__}")
        names = [f.name for f in fields(cls) if f.name != "extra"]
        missing = [k for k in cls._required if k not in data]
        if missing:
            raise ValueError(f"{cls.__name__} lacks {', '.join(missing)}")
        kwargs = {k: data[k] for k in names if k in data}
        extra = {k: v for k, v in data.items() if k not in names}
        return cls(**kwargs, extra=extra)

    def to_dict(self) -> dict[str, Any]:
        out = {}
        for f in fields(self):
            if f.name == "extra":
                continue
            out[f.name] = getattr(self, f.name)
        out.update(self.extra)
        return out


@dataclass
class Segment(_Record):
    start: int
    end: int
    kind: str
    voice: str | None = None
    reporter: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    _required: ClassVar = ("start", "end", "kind")


@dataclass
class ActorMention(_Record):
    start: int
    end: int
    text: str
    type: str
    key: str | None = None
    country: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    _required: ClassVar = ("start", "end", "type")

    @classmethod
    def from_dict(cls, data):
        data = dict(data)
        data.setdefault("text", "")
        return super().from_dict(data)


@dataclass
class Commitment(_Record):
    id: str
    start: int
    end: int
    text: str
    kind: str
    holders: list[str] = field(default_factory=list)
    modality: str = "firm"
    deadline: str | None = None
    points: str | None = None
    item: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    _required: ClassVar = ("id", "start", "end", "kind")

    @classmethod
    def from_dict(cls, data):
        data = dict(data)
        data.setdefault("text", "")
        return super().from_dict(data)


@dataclass
class PointItem(_Record):
    label: str
    start: int
    end: int
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    _required: ClassVar = ("label", "start", "end")


@dataclass
class PointsList(_Record):
    id: str
    start: int
    end: int
    status: str = "other"
    declared_count: int | None = None
    items: list[PointItem] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    _required: ClassVar = ("id", "start", "end")

    @classmethod
    def from_dict(cls, data):
        obj = super().from_dict(data)
        obj.items = [it if isinstance(it, PointItem) else PointItem.from_dict(it) for it in obj.items]
        return obj

    def to_dict(self):
        out = super().to_dict()
        out["items"] = [it.to_dict() for it in self.items]
        return out


@dataclass
class Link(_Record):
    commitment: str
    doc: str
    start: int
    end: int
    status: str
    score: float | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    _required: ClassVar = ("commitment", "doc", "start", "end", "status")

    @property
    def source_doc(self) -> str:
        return self.commitment.split("#", 1)[0]

    @property
    def commitment_id(self) -> str:
        return self.commitment.split("#", 1)[1] if "#" in self.commitment else ""

    def to_dict(self):
        out = super().to_dict()
        if out.get("score") is None:
            out.pop("score")
        return out


_LAYER_CLASSES = {
    "segments": Segment,
    "actors": ActorMention,
    "commitments": Commitment,
    "points": PointsList,
}


@dataclass
class Document(_Record):
    id: str
    text: str
    date: str | None = None
    title: str | None = None
    source: str | None = None
    genre: str | None = None
    segments: list[Segment] | None = None
    actors: list[ActorMention] | None = None
    commitments: list[Commitment] | None = None
    points: list[PointsList] | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    _required: ClassVar = ("id", "text")

    @classmethod
    def from_dict(cls, data):
        obj = super().from_dict(data)
        for layer, klass in _LAYER_CLASSES.items():
            value = getattr(obj, layer)
            if value is None:
                continue
            if not isinstance(value, list):
                raise ValueError(f"layer {layer!r} must be a list")
            setattr(obj, layer, [v if isinstance(v, klass) else klass.from_dict(v) for v in value])
        return obj

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in ("id", "date", "title", "source", "genre", "text"):
            value = getattr(self, name)
            if value is not None or name in ("id", "text"):
                out[name] = value
        for layer in LAYERS:
            value = getattr(self, layer)
            if value is not None:
                out[layer] = [v.to_dict() for v in value]
        out.update(self.extra)
        return out

    def without_annotations(self) -> "Document":
        """The same document with every layer absent (input for extraction)."""
        return Document(id=self.id, text=self.text, date=self.date, title=self.title,
                        source=self.source, genre=self.genre, extra=dict(self.extra))

    def commitment(self, cid: str) -> Commitment | None:
        return next((c for c in self.commitments or [] if c.id == cid), None)

    # ------------------------------------------------------------------ validation
    def problems(self) -> list[str]:
        """Everything wrong with this record, as readable messages (empty if valid)."""
        out: list[str] = []
        n = len(self.text) if isinstance(self.text, str) else -1
        if not isinstance(self.id, str) or not self.id.strip():
            out.append("'id' must be a non-empty string")
        if not isinstance(self.text, str):
            out.append("'text' must be a string")
            return out
        if self.date is not None and not is_valid_date(self.date):
            out.append(f"bad date {self.date!r} (expected YYYY, YYYY-MM or YYYY-MM-DD)")
        if self.genre is not None and self.genre not in GENRES:
            out.append(f"unknown genre {self.genre!r} (one of {', '.join(GENRES)})")

        def span(where: str, start: Any, end: Any, text: str | None = None) -> None:
            if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool):
                out.append(f"{where}: start/end must be integers")
                return
            if not 0 <= start < end <= n:
                out.append(f"{where}: offsets {start}-{end} outside the text (length {n}) or empty")
                return
            if text and self.text[start:end] != text:
                out.append(f"{where}: 'text' {text[:40]!r} differs from the slice "
                           f"{self.text[start:end][:40]!r}")

        def label(where: str, name: str, value: Any, allowed: tuple[str, ...], nullable=False) -> None:
            if value is None and nullable:
                return
            if value not in allowed:
                out.append(f"{where}: unknown {name} {value!r} (one of {', '.join(allowed)})")

        for i, seg in enumerate(self.segments or []):
            where = f"segments[{i}]"
            span(where, seg.start, seg.end)
            label(where, "kind", seg.kind, SEGMENT_KINDS)
        for i, act in enumerate(self.actors or []):
            where = f"actors[{i}]"
            span(where, act.start, act.end, act.text)
            label(where, "type", act.type, ACTOR_TYPES)
        point_ids: dict[str, PointsList] = {}
        for i, pts in enumerate(self.points or []):
            where = f"points[{i}] ({pts.id})"
            if pts.id in point_ids:
                out.append(f"{where}: duplicate points id {pts.id!r}")
            point_ids[pts.id] = pts
            span(where, pts.start, pts.end)
            label(where, "status", pts.status, POINTS_STATUSES)
            if pts.declared_count is not None and (not isinstance(pts.declared_count, int)
                                                   or pts.declared_count < 1):
                out.append(f"{where}: declared_count must be a positive integer or null")
            for j, item in enumerate(pts.items):
                span(f"{where}.items[{j}]", item.start, item.end)
                if not isinstance(item.label, str) or not item.label:
                    out.append(f"{where}.items[{j}]: label must be a non-empty string")
        seen: set[str] = set()
        for i, com in enumerate(self.commitments or []):
            where = f"commitments[{i}] ({com.id})"
            if com.id in seen:
                out.append(f"{where}: duplicate commitment id {com.id!r}")
            seen.add(com.id)
            span(where, com.start, com.end, com.text)
            label(where, "kind", com.kind, COMMITMENT_KINDS)
            label(where, "modality", com.modality, MODALITIES)
            if not isinstance(com.holders, list) or not all(isinstance(h, str) for h in com.holders):
                out.append(f"{where}: holders must be a list of actor keys")
            if com.deadline is not None and not is_valid_deadline(com.deadline):
                out.append(f"{where}: bad deadline {com.deadline!r} "
                           "(ISO 8601 date or interval start/end)")
            if com.points is not None and self.points is not None:
                pts = point_ids.get(com.points)
                if pts is None:
                    out.append(f"{where}: refers to unknown points list {com.points!r}")
                elif com.item is not None and com.item not in {it.label for it in pts.items}:
                    out.append(f"{where}: item {com.item!r} is not a label of {com.points!r}")
        return out


# ---------------------------------------------------------------------- JSON Lines
def _open_text(path: str | Path) -> TextIO:
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, expected a JSON Lines file")
    return open(path, encoding="utf-8", newline="")


@dataclass
class BadRecord:
    """An input record (or a whole input, ``line`` 0) that could not be read,
    with where and why."""

    source: str
    line: int
    reason: str
    doc_id: str | None = None
    raw: str | None = None

    def __str__(self) -> str:
        """``source[:line][ (document id)]: reason``; line 0 means the whole input."""
        where = f"{self.source}:{self.line}" if self.line else self.source
        ident = f" (document {self.doc_id})" if self.doc_id else ""
        return f"{where}{ident}: {self.reason}"

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "line": self.line, "id": self.doc_id, "reason": self.reason}


def iter_jsonl(path: str | Path) -> Iterator[tuple[int, Any | BadRecord]]:
    """Yield ``(line number, parsed object or BadRecord)`` for each non-blank line.

    Each line is decoded on its own, so a line that is not UTF-8 or not JSON
    is one ``BadRecord`` (with its byte offset) and every other line is still
    read (a text-mode reader decodes in blocks and would lose the lines
    around a bad byte). A UTF-8 byte-order mark is ignored.
    """
    name = str(path)
    _open_text(path).close()  # the one clear error for a missing path or a folder
    offset = 0
    with open(path, "rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            start, offset = offset, offset + len(raw)
            if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield lineno, BadRecord(name, lineno, f"not UTF-8 text: byte 0x{raw[exc.start]:02x} at "
                                                      f"byte offset {start + exc.start} is {exc.reason}")
                continue
            if not line.strip():
                continue
            try:
                yield lineno, json.loads(line)
            except json.JSONDecodeError as exc:
                yield lineno, BadRecord(name, lineno, f"malformed JSON: {exc.msg} (column {exc.colno})",
                                        raw=line[:200])


def iter_documents(path: str | Path, validate: bool = True) -> Iterator[Document | BadRecord]:
    """Read documents, yielding a ``BadRecord`` for each record that fails, so
    batch callers can report it and go on."""
    seen: set[str] = set()
    for lineno, obj in iter_jsonl(path):
        if isinstance(obj, BadRecord):
            yield obj
            continue
        doc_id = obj.get("id") if isinstance(obj, dict) else None
        try:
            doc = Document.from_dict(obj)
        except (ValueError, TypeError) as exc:
            yield BadRecord(str(path), lineno, str(exc), doc_id if isinstance(doc_id, str) else None)
            continue
        problems = doc.problems() if validate else []
        if validate and doc.id in seen:
            problems.insert(0, f"duplicate document id {doc.id!r}")
        if problems:
            yield BadRecord(str(path), lineno, "; ".join(problems), doc.id)
            continue
        seen.add(doc.id)
        yield doc


def read_documents(path: str | Path, validate: bool = True) -> list[Document]:
    """Read a whole JSON Lines file of documents; the first bad record raises
    ``InputError`` naming the file, line and document id."""
    docs = []
    for item in iter_documents(path, validate=validate):
        if isinstance(item, BadRecord):
            raise InputError(str(item))
        docs.append(item)
    return docs


def iter_links(path: str | Path) -> Iterator[Link | BadRecord]:
    for lineno, obj in iter_jsonl(path):
        if isinstance(obj, BadRecord):
            yield obj
            continue
        try:
            link = Link.from_dict(obj)
        except (ValueError, TypeError) as exc:
            yield BadRecord(str(path), lineno, str(exc))
            continue
        problems = []
        if link.status not in LINK_STATUSES:
            problems.append(f"unknown status {link.status!r} (one of {', '.join(LINK_STATUSES)})")
        if "#" not in str(link.commitment):
            problems.append(f"commitment {link.commitment!r} is not '<document id>#<commitment id>'")
        if not (isinstance(link.start, int) and isinstance(link.end, int) and 0 <= link.start < link.end):
            problems.append(f"bad evidence offsets {link.start!r}-{link.end!r}")
        if problems:
            yield BadRecord(str(path), lineno, "; ".join(problems))
        else:
            yield link


def read_links(path: str | Path) -> list[Link]:
    links = []
    for item in iter_links(path):
        if isinstance(item, BadRecord):
            raise InputError(str(item))
        links.append(item)
    return links


def _dump(record: Any) -> str:
    return json.dumps(record.to_dict() if hasattr(record, "to_dict") else record, ensure_ascii=False)


def write_jsonl(records: Iterable[Any], path: str | Path | TextIO) -> int:
    """Write records (model objects or dicts) as JSON Lines; ``-`` is stdout.

    Files are written atomically: to a temporary file renamed into place, so
    an interrupted run never leaves a half-written output.
    """
    import os
    import sys
    import tempfile

    if hasattr(path, "write"):
        count = 0
        for record in records:
            path.write(_dump(record) + "\n")
            count += 1
        return count
    if str(path) == "-":
        return write_jsonl(records, sys.stdout)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            count = write_jsonl(records, fh)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count


write_documents = write_jsonl
write_links = write_jsonl

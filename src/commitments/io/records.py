"""Tabular records as documents: rows of a dataset, Parquet, JSON, JSON
Lines or CSV files with a text column.

A row becomes a document through :func:`record_to_document`, with the
column names given by a :class:`Columns` (``text`` required; ``id``,
``date``, ``title``, ``source`` and ``genre`` optional). Every other column
is kept in ``extra``. Rows that already are FORMAT.md documents (an ``id``
and a ``text``, maybe annotation layers) are read as such.

Decisions, the same as for folders: a row's date wins over a date-like id
prefix and over a dateline; an impossible date makes the row a
``BadRecord``; an unknown genre becomes ``other`` with a warning; a row
without an id gets ``<file stem>-<row number>`` (row numbers from 0).
"""
from __future__ import annotations

import csv
import datetime as _dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from ..model import LAYERS, BadRecord, Document, iter_documents, iter_jsonl
from .base import DEFAULT_MAX_MB, bad, check_genre, make_document, max_bytes, too_large, warn
from .dates import find_dateline, normalise_date
from .language import guess_language

FIELDS = ("id", "text", "date", "title", "source", "genre")


@dataclass(frozen=True)
class Columns:
    """Which column holds each document field."""

    text: str = "text"
    id: str = "id"
    date: str = "date"
    title: str = "title"
    source: str = "source"
    genre: str = "genre"

    @classmethod
    def make(cls, text_column: str = "text", columns: Mapping[str, str] | None = None) -> "Columns":
        """From the ``text_column`` option and a ``{field: column}`` mapping."""
        columns = dict(columns or {})
        unknown = set(columns) - set(FIELDS)
        if unknown:
            from ..errors import UsageError

            raise UsageError(f"unknown document field(s) {', '.join(sorted(unknown))} in the column "
                             f"mapping (one of {', '.join(FIELDS)})")
        columns.setdefault("text", text_column)
        return cls(**columns)

    @property
    def used(self) -> set[str]:
        return {getattr(self, f) for f in FIELDS}


def _jsonable(value: Any) -> Any:
    """A value as JSON can hold it (dates as ISO strings, other objects as text)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "tolist"):  # numpy
        return _jsonable(value.tolist())
    return str(value)


def record_to_document(row: Mapping[str, Any], index: int, *, where: str, columns: Columns = Columns(),
                       id_prefix: str = "", default_date: str | None = None,
                       max_mb: float | None = DEFAULT_MAX_MB, language: bool = True,
                       extra: Mapping[str, Any] | None = None) -> Document | BadRecord:
    """One row as a document, or a ``BadRecord`` naming the fault."""
    line = index + 1
    raw_id = row.get(columns.id)
    doc_id = str(raw_id).strip() if raw_id is not None and str(raw_id).strip() else f"{id_prefix}{index}"
    if columns.text not in row:
        return bad(where, f"no {columns.text!r} column (columns: {', '.join(map(str, row))}); "
                          "name the text column with --text-column", line, doc_id)
    text = row[columns.text]
    if not isinstance(text, str):
        return bad(where, f"{columns.text!r} is not a string but {type(text).__name__}", line, doc_id)
    if not text.strip():
        return bad(where, "empty text", line, doc_id)
    reason = too_large(len(text), max_bytes(max_mb), unit="characters")
    if reason:
        return bad(where, reason, line, doc_id)
    try:
        date = normalise_date(_jsonable(row.get(columns.date)))
    except ValueError as exc:
        return bad(where, f"{columns.date!r}: {exc}", line, doc_id)
    genre, genre_extra = check_genre(row.get(columns.genre), f"{where}:{line}")
    layers = {name: row[name] for name in LAYERS if row.get(name) is not None}
    rest = {str(k): _jsonable(v) for k, v in row.items()
            if k not in columns.used and k not in LAYERS and v is not None}
    doc = make_document(text, doc_id, where=f"{where}:{line}", file_name=doc_id, dates=[date],
                        default_date=default_date, title=_str(row.get(columns.title)),
                        source=_str(row.get(columns.source)), genre=genre,
                        extra={**rest, **genre_extra, **(extra or {})}, language=language)
    if layers:
        try:
            annotated = Document.from_dict({**doc.to_dict(), **layers})
        except (ValueError, TypeError) as exc:
            return bad(where, f"bad annotation layer: {exc}", line, doc_id)
        problems = annotated.problems()
        if problems:
            return bad(where, "; ".join(problems), line, doc_id)
        doc = annotated
    return doc


def _str(value: Any) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def records_to_documents(rows: Iterable[Mapping[str, Any]], *, where: str, id_prefix: str,
                         **options) -> Iterator[Document | BadRecord]:
    """Rows to documents; a repeated id makes the later row a ``BadRecord``."""
    seen: set[str] = set()
    for index, row in enumerate(rows):
        if isinstance(row, BadRecord):
            yield row
            continue
        if not isinstance(row, Mapping):
            yield bad(where, f"expected an object, got {type(row).__name__}", index + 1)
            continue
        item = record_to_document(row, index, where=where, id_prefix=id_prefix, **options)
        if isinstance(item, Document):
            if item.id in seen:
                item = bad(where, f"duplicate document id {item.id!r}", index + 1, item.id)
            else:
                seen.add(item.id)
        yield item


# ---------------------------------------------------------------------- FORMAT.md JSON Lines
def complete_document(doc: Document, *, where: str, default_date: str | None = None,
                      max_mb: float | None = DEFAULT_MAX_MB, language: bool = True
                      ) -> Document | BadRecord:
    """A FORMAT.md document as read, with what readers add: the size limit,
    a missing date from a dateline or ``default_date`` (else a warning), and
    ``extra["language"]`` when it is not there. Nothing given is changed."""
    reason = too_large(len(doc.text), max_bytes(max_mb), unit="characters")
    if reason:
        return bad(where, reason, doc_id=doc.id)
    if not doc.text.strip():
        return bad(where, "empty text", doc_id=doc.id)
    if doc.date is None:
        dateline = find_dateline(doc.text)
        doc.date = (dateline.date if dateline else None) or default_date
        if doc.date is None:
            warn(f"{where} (document {doc.id}): no date found; give one with --date")
    if language and not doc.extra.get("language"):
        code = guess_language(doc.text)
        if code:
            doc.extra["language"] = code
    return doc


def _first_record(path: Path) -> Any:
    for _, obj in iter_jsonl(path):
        if not isinstance(obj, BadRecord):
            return obj
    return None


def read_jsonl(path: str | Path, *, columns: Columns = Columns(), **options) -> Iterator[Document | BadRecord]:
    """A JSON Lines file: FORMAT.md documents when its first readable record
    has an ``id`` and a ``text`` (validated as FORMAT.md says), else rows
    with a text column."""
    path = Path(path)
    first = _first_record(path)
    if columns == Columns() and isinstance(first, dict) and "id" in first and "text" in first:
        for item in iter_documents(path):
            if isinstance(item, Document):
                item = complete_document(item, where=str(path), **options)
            yield item
        return
    rows = (obj for _, obj in iter_jsonl(path))
    yield from records_to_documents(rows, where=str(path), id_prefix=f"{path.stem}-",
                                    columns=columns, **options)


def read_json(path: str | Path, **options) -> Iterator[Document | BadRecord]:
    """A ``.json`` file: a list of records, or an object holding one under
    ``data``/``rows``/``records``/``documents``; JSON Lines saved as ``.json``
    are read as such."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8-sig") as fh:
            data = json.load(fh)
    except UnicodeDecodeError as exc:
        yield bad(path, f"not UTF-8 text (byte offset {exc.start})")
        return
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":  # several JSON values: JSON Lines
            yield from read_jsonl(path, **options)
            return
        yield bad(path, f"malformed JSON: {exc.msg}", exc.lineno)
        return
    if isinstance(data, dict):
        if "text" in data and "id" in data:
            data = [data]
        else:
            key = next((k for k in ("data", "rows", "records", "documents") if isinstance(data.get(k), list)), None)
            if key is None:
                yield bad(path, "a JSON object without a list of records (expected a list, or one "
                                "under 'data', 'rows', 'records' or 'documents')")
                return
            data = data[key]
    if not isinstance(data, list):
        yield bad(path, f"expected a list of records, got {type(data).__name__}")
        return
    yield from records_to_documents(data, where=str(path), id_prefix=f"{path.stem}-", **options)


def read_parquet(path: str | Path, *, batch_size: int = 256, **options) -> Iterator[Document | BadRecord]:
    """A Parquet file, streamed in batches (no cache, bounded memory)."""
    import pyarrow.parquet as pq

    path = Path(path)
    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for a broken file
        yield bad(path, f"not a readable Parquet file: {exc}")
        return

    def rows():
        for batch in pf.iter_batches(batch_size=batch_size):
            yield from batch.to_pylist()

    yield from records_to_documents(rows(), where=str(path), id_prefix=f"{path.stem}-", **options)


def _csv_rows(path: Path, delimiter: str) -> list[dict[str, Any]]:
    old_limit = csv.field_size_limit()
    csv.field_size_limit(2**31 - 1)  # long texts; restored at once (the limit is process-wide)
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            return list(csv.DictReader(fh, delimiter=delimiter))
    finally:
        csv.field_size_limit(old_limit)


def read_csv(path: str | Path, **options) -> Iterator[Document | BadRecord]:
    """A CSV (``.csv``) or tab-separated (``.tsv``) file with a header row."""
    path = Path(path)
    try:
        rows = _csv_rows(path, "\t" if path.suffix.lower() == ".tsv" else ",")
    except UnicodeDecodeError as exc:
        yield bad(path, f"not UTF-8 text (byte offset {exc.start})")
        return
    except csv.Error as exc:
        yield bad(path, f"malformed CSV: {exc}")
        return
    yield from records_to_documents(rows, where=str(path), id_prefix=f"{path.stem}-", **options)

"""One entry point for every input: :func:`read_input`."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator, Mapping

from ..errors import InputError
from ..model import BadRecord, Document, parse_date
from .base import DEFAULT_MAX_MB

#: File kinds by extension (lower case), for messages and dispatch.
KINDS = {
    ".txt": "text", ".text": "text",
    ".html": "html", ".htm": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".json": "json",
    ".parquet": "parquet",
    ".csv": "csv", ".tsv": "csv",
}


def _lazy(reader, *args, **kwargs) -> Iterator[Document | BadRecord]:
    """One reader call, run when the caller starts iterating (so its
    warnings come where the caller listens for them)."""
    yield reader(*args, **kwargs)


def check_date_option(date: str | None) -> str | None:
    """The ``--date`` value checked: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``
    and a real date, else :class:`InputError`."""
    if date is None:
        return None
    try:
        parse_date(date)
    except ValueError as exc:
        raise InputError(f"--date: {exc}") from None
    return date.strip()


def read_input(source: str | Path, *, date: str | None = None, text_column: str = "text",
               columns: Mapping[str, str] | None = None, max_mb: float | None = DEFAULT_MAX_MB,
               language: bool = True, split: str | None = None) -> Iterator[Document | BadRecord]:
    """Read any supported input, yielding a :class:`~commitments.model.Document`
    per document and a :class:`~commitments.model.BadRecord` per input that
    cannot be read (with its reason), so a batch run can report those and
    lose nothing else.

    ``source`` is dispatched on what it is:

    - ``"-"``: standard input, one plain-text document with id ``stdin``;
    - a folder written by ``datasets``' ``save_to_disk``: its rows;
    - any other folder: every ``.txt``/``.html`` file under it, with the
      metadata of a ``MANIFEST.tsv``/``manifest.csv`` (docs/input.md);
    - a file, by extension: ``.txt``/``.text`` (text), ``.html``/``.htm``,
      ``.jsonl``/``.ndjson`` (FORMAT.md documents, or rows with a text
      column), ``.json``, ``.parquet``, ``.csv``/``.tsv`` (rows).

    Keyword options:

    - ``date``: the date of documents for which none is found (ISO
      ``YYYY[-MM[-DD]]``; an impossible date raises ``InputError``);
    - ``text_column`` and ``columns`` (``{"id": "doc_id", "date": ...}``):
      the columns of tabular inputs;
    - ``max_mb``: texts above this many million bytes (files) or characters
      (records) are reported as ``BadRecord``; ``None`` for no limit;
    - ``language``: store the detected language in ``extra["language"]``;
    - ``split``: only this split of a saved ``DatasetDict``.

    Warnings that lose nothing (no date found, unknown genre) are issued as
    :class:`commitments.io.base.InputWarning`. A missing path or an
    unsupported kind of file raises :class:`InputError` before anything is
    yielded.
    """
    from .records import Columns

    date = check_date_option(date)
    cols = Columns.make(text_column, columns)
    options = {"max_mb": max_mb, "language": language}
    if str(source) == "-":
        from .text import read_stdin

        return _lazy(read_stdin, date=date, **options)
    path = Path(source)
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    if path.is_dir():
        from .hf import is_saved_dataset, read_saved_dataset

        if is_saved_dataset(path):
            return read_saved_dataset(path, split=split, columns=cols, default_date=date, **options)
        from .folder import read_folder

        return read_folder(path, date=date, **options)
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        raise InputError(f"{path}: unsupported kind of file {path.suffix or '(no extension)'!r}; "
                         f"supported: {', '.join(sorted(KINDS))}, a folder, or - for standard input")
    if kind == "text":
        from .text import read_txt

        return _lazy(read_txt, path, date=date, **options)
    if kind == "html":
        from .html import read_html

        return _lazy(read_html, path, date=date, **options)
    from . import records

    reader = {"jsonl": records.read_jsonl, "json": records.read_json,
              "parquet": records.read_parquet, "csv": records.read_csv}[kind]
    return reader(path, columns=cols, default_date=date, **options)

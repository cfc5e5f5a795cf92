"""Plain-text input: one ``.txt`` file, or text on standard input.

The document id is the file stem, the text is the file's UTF-8 text exactly
(BOM dropped, line endings kept), and the date follows the rules of
:func:`commitments.io.base.make_document`.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import BinaryIO

from ..model import BadRecord, Document
from .base import DEFAULT_MAX_MB, ReadProblem, bad, decode_text, make_document, max_bytes, read_file_text, too_large


def read_txt(path: str | Path, *, date: str | None = None, max_mb: float | None = DEFAULT_MAX_MB,
             doc_id: str | None = None, language: bool = True, **metadata) -> Document | BadRecord:
    """Read one text file as a document, or a ``BadRecord`` saying why not.

    ``date`` is the fallback date (the ``--date`` option); ``metadata`` may
    give ``dates`` (explicit, tried first), ``title``, ``source``, ``genre``
    and ``extra`` (see :func:`~commitments.io.base.make_document`).
    """
    path = Path(path)
    doc_id = doc_id or path.stem
    try:
        text = read_file_text(path, max_bytes(max_mb))
    except ReadProblem as exc:
        return bad(path, str(exc), line=exc.line, doc_id=doc_id)
    return make_document(text, doc_id, where=str(path), file_name=path.name, default_date=date,
                         language=language, **metadata)


def read_stdin(stream: BinaryIO | None = None, *, date: str | None = None,
               max_mb: float | None = DEFAULT_MAX_MB, doc_id: str = "stdin",
               language: bool = True) -> Document | BadRecord:
    """Read the whole of standard input (or ``stream``) as one document."""
    stream = stream if stream is not None else sys.stdin.buffer
    limit = max_bytes(max_mb)
    data = stream.read() if limit is None else stream.read(limit + 1)
    if limit is not None and len(data) > limit:
        return bad("<stdin>", too_large(len(data), limit, at_least=True), doc_id=doc_id)
    try:
        text = decode_text(data)
    except ReadProblem as exc:
        return bad("<stdin>", str(exc), line=exc.line, doc_id=doc_id)
    return make_document(text, doc_id, where="<stdin>", default_date=date, language=language)


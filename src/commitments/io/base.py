"""What every reader shares: decoding bytes to text with one clear reason
when they are not text, the size limit, the date rules, and the warning
category the CLI shows.

Readers yield :class:`~commitments.model.Document` or
:class:`~commitments.model.BadRecord`; a problem with one input never stops
the others. Things worth telling the user that do not lose a document (no
date found, an unknown genre mapped to ``other``) are issued as
:class:`InputWarning` with :func:`warnings.warn`.
"""
from __future__ import annotations

import codecs
import warnings
from pathlib import Path
from typing import Any, Iterable

from ..model import GENRES, BadRecord, Document
from .dates import date_from_filename, find_dateline
from .language import guess_language

# Texts above this size are reported, not read: diplomatic documents are far
# smaller (a long G20 compliance report is about 2 MB), and a larger input is
# almost always a concatenation or a dump that extraction would choke on.
DEFAULT_MAX_MB = 10.0
MB = 1_000_000


class InputWarning(UserWarning):
    """A document was read, but something about it needs the user's eye."""


class ReadProblem(Exception):
    """Why an input could not be read (turned into a ``BadRecord``); ``line``
    is the line of the fault when there is one (else 0)."""

    def __init__(self, reason: str, line: int = 0):
        super().__init__(reason)
        self.line = line


def warn(message: str) -> None:
    warnings.warn(message, InputWarning, stacklevel=3)


def bad(source: str | Path, reason: str, line: int = 0, doc_id: str | None = None) -> BadRecord:
    """A ``BadRecord`` for a whole input (``line`` 0) or one of its lines."""
    return BadRecord(str(source), line, reason, doc_id)


def describe(record: BadRecord) -> str:
    """``source[:line][ (document id)]: reason`` without a meaningless ``:0``."""
    return str(record)


def max_bytes(max_mb: float | None) -> int | None:
    """The size limit in bytes; ``None`` or a value <= 0 means no limit."""
    if max_mb is None or max_mb <= 0:
        return None
    return int(max_mb * MB)


def too_large(size: int, limit: int | None, unit: str = "bytes", at_least: bool = False) -> str | None:
    """The reason to refuse a text of ``size`` units, or ``None`` if it fits."""
    if limit is None or size <= limit:
        return None
    amount = f"more than {limit / MB:g}" if at_least else f"{size / MB:.1f}"
    return (f"text too large: {amount} million {unit}, over the limit of "
            f"{limit / MB:g} million (raise it with --max-size, or split the text)")


# ---------------------------------------------------------------------- decoding
_UTF16_32_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"),
)
_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f", "\v"}


def decode_text(data: bytes) -> str:
    """UTF-8 bytes to text, exactly: a UTF-8 byte order mark is dropped,
    line endings are kept as they are (``\\r\\n`` stays two characters), so
    offsets index the text as the file holds it.

    Raises :class:`ReadProblem` naming the first fault: a UTF-16/32 file, a
    binary file (a NUL byte, or many control characters), bytes that are not
    UTF-8 (with their byte offset and line), or a text with nothing but
    white space.
    """
    for bom, name in _UTF16_32_BOMS:
        if data.startswith(bom):
            raise ReadProblem(f"{name} text is not supported: convert the file to UTF-8")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise ReadProblem(f"binary file, not text (NUL byte at byte offset {nul})")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start]
        raise ReadProblem(f"not UTF-8 text: byte 0x{byte:02x} at byte offset {exc.start} "
                          f"(line {line}) is {exc.reason}; re-save the file as UTF-8",
                          line=line) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    sample = text[:100_000]
    controls = sum(1 for ch in sample if ch < " " and ch not in _ALLOWED_CONTROLS)
    if sample and controls > max(3, len(sample) // 100):
        raise ReadProblem(f"binary file, not text ({controls} control characters "
                          f"in the first {len(sample)} characters)")
    if not text.strip():
        raise ReadProblem("empty text (nothing but white space)" if text else "empty text")
    return text


def read_file_text(path: Path, limit: int | None) -> str:
    """The text of a file by the rules of :func:`decode_text`; a file over
    ``limit`` bytes is refused before it is read."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ReadProblem(f"cannot read: {exc.strerror}") from None
    reason = too_large(size, limit)
    if reason:
        raise ReadProblem(reason)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadProblem(f"cannot read: {exc.strerror}") from None
    return decode_text(data)


# ---------------------------------------------------------------------- documents
def check_genre(genre: Any, where: str) -> tuple[str | None, dict[str, Any]]:
    """A genre from metadata: a known one is kept; an unknown one becomes
    ``other`` (with a warning), and the value given is kept in ``extra``
    under ``genre_given`` so nothing is lost."""
    if genre is None or (isinstance(genre, str) and not genre.strip()):
        return None, {}
    value = str(genre).strip()
    if value in GENRES:
        return value, {}
    normalised = value.lower().replace(" ", "_").replace("-", "_")
    if normalised in GENRES:
        return normalised, {}
    warn(f"{where}: unknown genre {value!r}, read as 'other' (one of {', '.join(GENRES)})")
    return "other", {"genre_given": value}


def make_document(text: str, doc_id: str, *, where: str, file_name: str | None = None,
                  dates: Iterable[str | None] = (), default_date: str | None = None,
                  title: str | None = None, source: str | None = None, genre: str | None = None,
                  extra: dict[str, Any] | None = None, language: bool = True) -> Document:
    """A document from a text and what is known about it.

    The date is the first of: ``dates`` (explicit metadata, in order), the
    ``YYYY-MM-DD`` prefix of ``file_name``, a clear dateline in the first
    lines of the text, ``default_date`` (the ``--date`` option); else it is
    ``None`` and an :class:`InputWarning` says so. With ``language``, the
    detected language is stored in ``extra["language"]`` unless ``extra``
    already has one.
    """
    extra = dict(extra or {})
    date = next((d for d in dates if d), None)
    if date is None and file_name:
        date = date_from_filename(file_name)
    dateline = None
    if date is None:
        dateline = find_dateline(text)
        date = dateline.date if dateline else None
    if date is None:
        date = default_date
    if date is None:
        hint = (f" (the dateline {dateline.text!r} has no year)" if dateline else "")
        warn(f"{where}: no date found{hint}; give one with --date or a YYYY-MM-DD_ file-name prefix")
    if language and not extra.get("language"):
        code = guess_language(text)
        if code:
            extra["language"] = code
    return Document(id=doc_id, text=text, date=date, title=title, source=source, genre=genre,
                    extra=extra)

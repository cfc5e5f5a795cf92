"""A folder of texts, with an optional manifest of metadata.

Every ``.txt``/``.text``/``.html``/``.htm`` file under the folder is read
(recursively, sorted by path; hidden files and folders skipped). A document's
id is its path relative to the folder without the extension (``a/b`` for
``a/b.txt``; just the stem at the top level).

A manifest (``MANIFEST.tsv``, ``MANIFEST.csv``, ``manifest.tsv`` or
``manifest.csv`` at the top of the folder) has one row per file and the
columns ``file, date, title, source_url, genre, language, notes`` (any
subset but ``file``; ``source`` or ``url`` may stand for ``source_url``).
Its values fill ``date``, ``title``, ``source`` and ``genre``; ``language``,
``notes`` and any other column are kept in ``extra``. Decisions:

- a manifest date wins over the file-name prefix and the dateline; an
  impossible manifest date (``2024-02-30``) makes that file a ``BadRecord``
  (the manifest is wrong and must be fixed; guessing another date would hide
  it);
- an unknown genre is read as ``other`` with a warning, the value given kept
  in ``extra["genre_given"]``;
- a manifest row naming a file that is not there, and a manifest that cannot
  be used at all (no ``file`` column, not UTF-8), give a warning: the texts
  are still read.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Iterator

from ..model import BadRecord, Document
from .base import DEFAULT_MAX_MB, bad, check_genre, warn
from .dates import normalise_date

TEXT_SUFFIXES = (".txt", ".text")
HTML_SUFFIXES = (".html", ".htm")
MANIFEST_NAMES = ("MANIFEST.tsv", "MANIFEST.csv", "manifest.tsv", "manifest.csv")
_SOURCE_COLUMNS = ("source_url", "source", "url")


@dataclass
class ManifestRow:
    """Metadata for one file, as read from the manifest."""

    line: int
    date: str | None = None
    date_problem: str | None = None
    title: str | None = None
    source: str | None = None
    genre: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def find_manifest(folder: Path) -> Path | None:
    names = {p.name: p for p in folder.iterdir() if p.is_file()}
    return next((names[n] for n in MANIFEST_NAMES if n in names), None)


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def read_manifest(path: Path) -> dict[str, ManifestRow]:
    """Rows of a manifest by the file's path relative to the folder (POSIX
    form). Problems give warnings; a manifest that cannot be used gives an
    empty mapping."""
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh, delimiter=delimiter))
    except UnicodeDecodeError as exc:
        warn(f"{path}: manifest ignored: not UTF-8 (byte offset {exc.start})")
        return {}
    except csv.Error as exc:
        warn(f"{path}: manifest ignored: {exc}")
        return {}
    if not rows:
        return {}
    columns = [c.strip() if c else c for c in rows[0].keys()]
    if "file" not in columns:
        warn(f"{path}: manifest ignored: it has no 'file' column (columns: {', '.join(map(str, columns))})")
        return {}
    out: dict[str, ManifestRow] = {}
    for lineno, raw in enumerate(rows, start=2):
        row = {(k.strip() if isinstance(k, str) else k): v for k, v in raw.items()}
        name = _clean(row.pop("file", None))
        if not name:
            warn(f"{path}:{lineno}: manifest row without a file name, ignored")
            continue
        key = str(PurePosixPath(name.replace("\\", "/")))
        if key in out:
            warn(f"{path}:{lineno}: {name} is listed again; the first row (line {out[key].line}) is used")
            continue
        entry = ManifestRow(line=lineno)
        try:
            entry.date = normalise_date(row.pop("date", None))
        except ValueError as exc:
            entry.date_problem = f"manifest {path.name} line {lineno}: {exc}"
        entry.title = _clean(row.pop("title", None))
        for col in _SOURCE_COLUMNS:
            value = _clean(row.pop(col, None))
            entry.source = entry.source or value
        entry.genre = _clean(row.pop("genre", None))
        for col, value in row.items():
            if col is None:  # more cells than columns
                warn(f"{path}:{lineno}: more cells than columns; the extra cells are ignored")
                continue
            value = _clean(value) if isinstance(value, str) else value
            if value is not None:
                entry.extra[col] = value
        out[key] = entry
    return out


def iter_folder_files(folder: Path) -> Iterator[Path]:
    """Readable text and HTML files under ``folder``, sorted by relative path."""
    skipped = 0
    found = []
    for path in folder.rglob("*"):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        if path.name in MANIFEST_NAMES and path.parent == folder:
            continue
        if path.suffix.lower() in TEXT_SUFFIXES + HTML_SUFFIXES:
            found.append(path)
        else:
            skipped += 1
    if skipped:
        warn(f"{folder}: {skipped} file(s) that are not .txt or .html were not read")
    yield from sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def read_folder(folder: str | Path, *, date: str | None = None,
                max_mb: float | None = DEFAULT_MAX_MB, language: bool = True
                ) -> Iterator[Document | BadRecord]:
    """Read every text and HTML file of ``folder`` (see the module doc)."""
    from .html import read_html
    from .text import read_txt

    folder = Path(folder)
    manifest_path = find_manifest(folder)
    manifest = read_manifest(manifest_path) if manifest_path else {}
    used: set[str] = set()
    ids: dict[str, str] = {}
    for path in iter_folder_files(folder):
        rel = path.relative_to(folder).as_posix()
        doc_id = rel.rsplit(".", 1)[0]
        if doc_id in ids:
            yield bad(path, f"duplicate document id {doc_id!r} (also read from {ids[doc_id]})",
                      doc_id=doc_id)
            continue
        ids[doc_id] = rel
        row = manifest.get(rel)
        if row is not None:
            used.add(rel)
            if row.date_problem:
                yield bad(path, row.date_problem, doc_id=doc_id)
                continue
        metadata: dict[str, Any] = {}
        if row is not None:
            genre, genre_extra = check_genre(row.genre, f"{manifest_path.name} line {row.line}")
            metadata = {"dates": [row.date], "title": row.title, "source": row.source,
                        "genre": genre, "extra": {**row.extra, **genre_extra}}
        reader = read_html if path.suffix.lower() in HTML_SUFFIXES else read_txt
        yield reader(path, date=date, max_mb=max_mb, doc_id=doc_id, language=language, **metadata)
    for rel, row in manifest.items():
        if rel not in used:
            warn(f"{manifest_path}:{row.line}: listed file {rel} is not in the folder (or not a .txt/.html file)")

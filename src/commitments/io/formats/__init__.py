"""Exchange formats of annotation tools, to and from FORMAT.md documents.

One module per format; this registry maps a format name to its reader and
writer::

    from commitments.io.formats import read_as, write_as
    write_as(documents, "review.json", "labelstudio")   # pre-annotations
    documents = read_as("review-corrected.json", "labelstudio")

=============  ============================================================
``jsonl``      FORMAT.md JSON Lines (the toolkit's own format)
``brat``       a directory of ``.txt``/``.ann`` pairs plus ``annotation.conf``
``labelstudio`` Label Studio tasks JSON (``predictions`` or ``annotations``)
``prodigy``    Prodigy JSONL (``spans``, ``relations``, ``meta``)
``doccano``    doccano JSONL (``text``, ``label``, ``entities``, ``relations``)
``docbin``     spaCy ``DocBin`` (``.spacy``): span groups with their attributes
``conll``      token-level BIO columns, one per span layer
=============  ============================================================

``docs/formats.md`` says what each format keeps and drops.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from ...errors import InputError, UsageError
from ...model import Document, read_documents, write_jsonl


@dataclass(frozen=True)
class Format:
    name: str
    module: str | None       # module under commitments.io.formats (None: built in)
    description: str
    directory: bool = False  # written as a directory rather than one file

    def _module(self):
        return importlib.import_module(f"{__name__}.{self.module}")

    @property
    def reader(self) -> Callable[[Path], list[Document]]:
        if self.module is None:
            return read_documents
        return self._module().read

    @property
    def writer(self) -> Callable[..., int]:
        if self.module is None:
            return lambda docs, path, **kw: write_jsonl(docs, path)
        return self._module().write


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("jsonl", None, "FORMAT.md JSON Lines"),
    Format("brat", "brat", "brat standoff: a directory of .txt/.ann pairs and annotation.conf",
           directory=True),
    Format("labelstudio", "labelstudio", "Label Studio tasks JSON"),
    Format("prodigy", "prodigy", "Prodigy JSONL with spans and relations"),
    Format("doccano", "doccano", "doccano JSONL with labels and relations"),
    Format("docbin", "docbin", "spaCy DocBin (.spacy) with span groups and attributes"),
    Format("conll", "conll", "token-level BIO columns per span layer"),
)}
NAMES = tuple(FORMATS)


def get_format(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise UsageError(f"unknown format {name!r} (one of {', '.join(NAMES)})") from None


def read_as(path: str | Path, fmt: str) -> list[Document]:
    """Read documents from ``path`` written in format ``fmt``."""
    path = Path(path)
    spec = get_format(fmt)
    if not path.exists():
        raise InputError(f"{path}: no such file or directory")
    if spec.directory != path.is_dir():
        kind = "a directory" if spec.directory else "a file"
        raise InputError(f"{path}: expected {kind} for format {fmt!r}")
    return spec.reader(path)


def write_as(documents: Iterable[Document], path: str | Path, fmt: str, **options) -> int:
    """Write ``documents`` to ``path`` in format ``fmt``; returns how many.

    For ``labelstudio`` and ``prodigy`` the layers are written as model
    predictions for an annotator to correct (``as_annotations=True`` writes
    Label Studio ``annotations`` instead); read the corrected export back
    with :func:`read_as`.
    """
    return get_format(fmt).writer(list(documents), Path(path), **options)


def guess_format(path: str | Path) -> str | None:
    """The format a path's name suggests, if any."""
    path = Path(path)
    suffix = path.suffix.lower()
    if path.is_dir():
        return "brat"
    return {".jsonl": "jsonl", ".spacy": "docbin", ".conll": "conll", ".bio": "conll"}.get(suffix)

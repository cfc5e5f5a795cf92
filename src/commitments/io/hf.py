"""Hugging Face ``datasets``: documents to a ``Dataset`` and back.

:func:`to_dataset` keeps every layer with explicit :data:`FEATURES`: the
document fields, each annotation layer as a list of structs (``None`` for a
layer that was not annotated, ``[]`` for an empty one), and the unknown keys
of every record in a ``Json`` column named ``extra``. :func:`from_dataset`
gives the same documents back (a lossless round trip); on any other dataset
it reads rows with a text column (see :mod:`commitments.io.records`).

``datasets`` is imported only when these functions run.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Iterator

from ..model import LAYERS, BadRecord, Document
from .records import Columns, records_to_documents


def _features():
    from datasets import Features, Json, List, Value

    string, integer = Value("string"), Value("int64")
    segment = {"start": integer, "end": integer, "kind": string, "voice": string,
               "reporter": string, "extra": Json()}
    actor = {"start": integer, "end": integer, "text": string, "type": string, "key": string,
             "country": string, "extra": Json()}
    commitment = {"id": string, "start": integer, "end": integer, "text": string, "kind": string,
                  "holders": List(string), "modality": string, "deadline": string,
                  "points": string, "item": string, "extra": Json()}
    item = {"label": string, "start": integer, "end": integer, "extra": Json()}
    points = {"id": string, "start": integer, "end": integer, "status": string,
              "declared_count": integer, "items": List(item), "extra": Json()}
    return Features({
        "id": string, "text": string, "date": string, "title": string, "source": string,
        "genre": string,
        "segments": List(segment), "actors": List(actor), "commitments": List(commitment),
        "points": List(points), "extra": Json(),
    })


def features():
    """The explicit ``datasets.Features`` of a documents dataset."""
    return _features()


def _flat(record) -> dict[str, Any]:
    """A model record as a row: known fields, unknown keys under ``extra``."""
    from dataclasses import fields

    row = {}
    for f in fields(record):
        if f.name == "extra":
            continue
        value = getattr(record, f.name)
        if isinstance(value, list) and value and hasattr(value[0], "extra"):
            value = [_flat(v) for v in value]
        row[f.name] = value
    row["extra"] = dict(record.extra)
    return row


def document_to_row(doc: Document) -> dict[str, Any]:
    row = {name: getattr(doc, name) for name in ("id", "text", "date", "title", "source", "genre")}
    for layer in LAYERS:
        value = getattr(doc, layer)
        row[layer] = None if value is None else [_flat(v) for v in value]
    row["extra"] = dict(doc.extra)
    return row


def _unflat(row: dict[str, Any]) -> dict[str, Any]:
    """A row back to FORMAT.md keys: ``extra`` merged in, nested rows too."""
    out = {}
    for key, value in row.items():
        if key == "extra":
            continue
        if isinstance(value, list) and value and isinstance(value[0], dict):
            value = [_unflat(v) for v in value]
        out[key] = value
    out.update(row.get("extra") or {})
    return out


def row_to_document(row: dict[str, Any]) -> Document:
    data = _unflat(row)
    for layer in LAYERS:  # absent layer: None in the row, no key in FORMAT.md
        if data.get(layer) is None:
            data.pop(layer, None)
    return Document.from_dict(data)


def to_dataset(documents: Iterable[Document]):
    """Documents as a ``datasets.Dataset`` with :func:`features`, every layer kept."""
    from datasets import Dataset

    return Dataset.from_list([document_to_row(d) for d in documents], features=_features())


def is_documents_dataset(dataset) -> bool:
    """Whether ``dataset`` has the columns :func:`to_dataset` writes."""
    return set(_features()) <= set(dataset.column_names)


def from_dataset(dataset, *, where: str = "dataset", columns: Columns = Columns(),
                 id_prefix: str = "", **options) -> Iterator[Document | BadRecord]:
    """Documents from a ``datasets.Dataset``.

    A dataset written by :func:`to_dataset` gives its documents back exactly
    (validated: a record with faults is a ``BadRecord``). Any other dataset
    is read as rows with a text column (``columns``; ``options`` as for
    :func:`commitments.io.records.record_to_document`).
    """
    if is_documents_dataset(dataset):
        seen: set[str] = set()
        for index, row in enumerate(dataset):
            try:
                doc = row_to_document(row)
            except (ValueError, TypeError) as exc:
                yield BadRecord(where, index + 1, str(exc), row.get("id"))
                continue
            problems = doc.problems()
            if doc.id in seen:
                problems.insert(0, f"duplicate document id {doc.id!r}")
            seen.add(doc.id)
            if problems:
                yield BadRecord(where, index + 1, "; ".join(problems), doc.id)
            else:
                yield doc
        return
    yield from records_to_documents(iter(dataset), where=where, id_prefix=id_prefix,
                                    columns=columns, **options)


def is_saved_dataset(path: str | Path) -> bool:
    """Whether ``path`` is a folder written by ``save_to_disk``."""
    path = Path(path)
    return path.is_dir() and ((path / "state.json").is_file() and (path / "dataset_info.json").is_file()
                              or (path / "dataset_dict.json").is_file())


def read_saved_dataset(path: str | Path, *, split: str | None = None, **options
                       ) -> Iterator[Document | BadRecord]:
    """A ``save_to_disk`` folder: a ``Dataset``, or a ``DatasetDict`` whose
    splits are read in order (or only ``split``). Rows without an id get
    ``<split>-<row>`` in a ``DatasetDict``."""
    from datasets import DatasetDict, load_from_disk

    from ..errors import InputError

    path = Path(path)
    try:
        data = load_from_disk(str(path))
    except Exception as exc:  # datasets raises several types for a broken folder
        yield BadRecord(str(path), 0, f"not a readable saved dataset: {exc}")
        return
    if isinstance(data, DatasetDict):
        names = list(data)
        if split is not None and split not in data:
            raise InputError(f"{path}: no split {split!r} (splits: {', '.join(names)})")
        for name in [split] if split else names:
            yield from from_dataset(data[name], where=f"{path}[{name}]", id_prefix=f"{name}-", **options)
    else:
        yield from from_dataset(data, where=str(path), id_prefix=f"{path.name}-", **options)

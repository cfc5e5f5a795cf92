"""Reading the inputs of the linker through ``commitments.io.read_input``:
bad records are counted and reported, never silently dropped."""
from __future__ import annotations

import warnings
from pathlib import Path

from ..errors import InputError
from ..model import BadRecord, Document


def read_corpus(path: str | Path, *, what: str = "corpus") -> tuple[list[Document], list[BadRecord]]:
    """All documents of any input the toolkit reads, and the records that failed."""
    from ..io import read_input

    docs: list[Document] = []
    bad: list[BadRecord] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a missing date is reported by the index, not per file
        for item in read_input(path, language=False):
            (bad if isinstance(item, BadRecord) else docs).append(item)
    if not docs:
        reason = f" ({bad[0]})" if bad else ""
        raise InputError(f"{path}: no readable document in the {what}{reason}")
    return docs, bad


def commitment_documents(path: str | Path) -> tuple[list[Document], list[BadRecord]]:
    """FORMAT.md documents carrying a commitments layer."""
    docs, bad = read_corpus(path, what="commitments input")
    with_layer = [d for d in docs if d.commitments]
    if not with_layer:
        raise InputError(f"{path}: no document has commitments (run 'commitments extract' first, "
                         "or give FORMAT.md documents with a 'commitments' layer)")
    return with_layer, bad


def actors_notice(docs: list[Document]) -> str | None:
    """A notice when documents of the corpus have no actors layer: their
    actors are then found by name only (``features.mentioned_holders``),
    which misses officials, organisations and groups. Indexing the output of
    ``commitments extract`` gives the linker their actors (docs/linking.md,
    "Raw texts or extracted documents")."""
    missing = sum(1 for d in docs if d.actors is None)
    if not missing:
        return None
    return (f"{missing} of {len(docs)} corpus documents have no actors layer: their actors are found by name "
            "only. For better holder matching, run 'commitments extract' on the corpus and index its output.")

"""commitments: find commitments in diplomatic texts.

>>> import commitments
>>> nlp = commitments.load()                       # a spaCy Language
>>> doc = nlp("China and Japan held talks. Both sides agreed to hold the next meeting in Tokyo in 2025.")
>>> [(s.text, s._.holders) for s in doc.spans["commitments"]]
[('hold the next meeting in Tokyo in 2025', ['CHN', 'JPN'])]
"""
from __future__ import annotations

from .errors import CommitmentsError, InputError, UsageError
from .model import (
    ActorMention,
    Commitment,
    Document,
    Link,
    PointItem,
    PointsList,
    Segment,
    read_documents,
    read_links,
    write_jsonl,
)

__version__ = "0.1.0"

__all__ = [
    "load", "__version__", "Document", "Segment", "ActorMention", "Commitment",
    "PointsList", "PointItem", "Link", "read_documents", "read_links", "write_jsonl",
    "CommitmentsError", "InputError", "UsageError",
]


def load(*args, **kwargs):
    """Build the extraction pipeline: see :func:`commitments.pipeline.load`."""
    from .pipeline import load as _load

    return _load(*args, **kwargs)

"""What every commitments component shares with spaCy's own rule components:
``__call__`` is ``match()`` then ``set_annotations()``, and ``pipe`` runs
``__call__`` over a stream."""
from __future__ import annotations

from typing import Any, Iterable, Iterator

from spacy.tokens import Doc


class MatchComponent:
    """Base of the four components; subclasses define ``match(doc)`` and
    ``set_annotations(doc, found)``."""

    def match(self, doc: Doc) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def set_annotations(self, doc: Doc, found: Any) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in stream:
            yield self(doc)

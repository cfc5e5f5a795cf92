"""Tokens for the token-based formats (Prodigy, spaCy DocBin, CoNLL).

spaCy's English tokenizer, with every token cut again at each span boundary
so that every span of a document starts and ends on a token boundary and
its character offsets survive the trip through tokens exactly.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable


@lru_cache(maxsize=1)
def english_vocab():
    """spaCy's English vocabulary, built without loading any pipeline (and
    so without the package entry points a pipeline load reads)."""
    from spacy.lang.en import English
    from spacy.vocab import Vocab

    return Vocab(lex_attr_getters=English.Defaults.lex_attr_getters)


@lru_cache(maxsize=1)
def _tokenizer():
    from spacy.lang.en import English
    from spacy.tokenizer import Tokenizer
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

    d = English.Defaults
    return Tokenizer(english_vocab(), rules=d.tokenizer_exceptions,
                     prefix_search=compile_prefix_regex(d.prefixes).search,
                     suffix_search=compile_suffix_regex(d.suffixes).search,
                     infix_finditer=compile_infix_regex(d.infixes).finditer,
                     token_match=d.token_match, url_match=d.url_match)


def token_offsets(text: str, boundaries: Iterable[int] = ()) -> list[tuple[int, int]]:
    """``(start, end)`` of the non-whitespace tokens of ``text``, cut at
    ``boundaries`` (character offsets) where one falls inside a token."""
    cuts = sorted(set(boundaries))
    out = []
    for tok in _tokenizer()(text):
        start, end = tok.idx, tok.idx + len(tok.text)
        if not tok.text.strip():
            continue
        pieces = [start] + [c for c in cuts if start < c < end] + [end]
        for a, b in zip(pieces, pieces[1:]):
            # a cut may leave whitespace at a piece's edge (never in spaCy tokens, but be safe)
            if text[a:b].strip():
                out.append((a, b))
    return out


def words_and_spaces(text: str, offsets: list[tuple[int, int]],
                     cuts: Iterable[int] = ()) -> tuple[list[str], list[bool]]:
    """``words``/``spaces`` for ``spacy.tokens.Doc`` that reproduce ``text``
    exactly: whitespace beyond one space becomes whitespace tokens, cut again
    at ``cuts`` so that a span may start or end inside a run of whitespace."""
    cut_set = sorted(set(cuts))
    words: list[str] = []
    spaces: list[bool] = []

    def gap(a: int, b: int) -> None:
        if a >= b:
            return
        if words and text[a] == " " and not spaces[-1] and a not in cut_set:
            spaces[-1] = True
            a += 1
        pieces = [a] + [c for c in cut_set if a < c < b] + [b]
        for x, y in zip(pieces, pieces[1:]):
            if x == y:
                continue
            words.append(text[x:y])
            spaces.append(False)

    pos = 0
    for start, end in offsets:
        gap(pos, start)
        words.append(text[start:end])
        spaces.append(False)
        pos = end
    gap(pos, len(text))
    return words, spaces

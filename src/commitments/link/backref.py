"""Back-references: does a later sentence refer back to the source document?

Later texts often report on an earlier commitment with one general sentence
that names the earlier event ("We reaffirm our commitment made at the G7
Summit in Hiroshima", "the four-point agreement", "the consensus reached in
May 2019") rather than with the sentence closest to the commitment's words.
This module finds such sentences:

- ``source_signals``: what names the source document's event: the
  distinctive capitalised words of its title and opening (summit, city,
  process names: "Hiroshima", "Elmau", "G20"), its month and year, the
  ordinals of its title ("Seventh Summit") and "N-point" phrases;
- ``source_reference``: how many of those a sentence names;
- ``has_back_verb`` / ``has_event_noun``: back-reference wording and
  meeting or text nouns, from ``resources/link/back_reference.json``;
- ``backref_features``: the per-sentence features the evidence model uses
  (``BACKREF_FEATURES``), including a document-level default: the one
  sentence of the later document that best refers back to the source.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from ..model import parse_date
from ..packaged import resource_json
from .features import _is_holder_name, _ordinals_in, ordinal_value

BACKREF_FEATURES = ("src_event", "back_verb", "event_noun", "back_src", "back_top")

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december")
_CAPITAL_WORD = re.compile(r"(?<![\w'\u2019-])[A-Z][\w'\u2019]*(?:-[A-Z0-9][\w'\u2019]*)*")
_POINTS = re.compile(r"\b(\w+)[- ]point\b", re.I)
_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                 "ten": 10, "eleven": 11, "twelve": 12}


@dataclass(frozen=True)
class BackReferenceLexicon:
    verbs: re.Pattern
    event_nouns: re.Pattern
    generic_words: frozenset


@lru_cache(maxsize=1)
def lexicon() -> BackReferenceLexicon:
    """The packaged ``back_reference.json``."""
    data = resource_json("link", "back_reference.json")

    def alternation(items):
        return re.compile(r"\b(?:" + "|".join(items) + r")\b", re.IGNORECASE)

    return BackReferenceLexicon(verbs=alternation(data["verbs"]), event_nouns=alternation(data["event_nouns"]),
                                generic_words=frozenset(w.lower() for w in data["generic_words"]))


@dataclass(frozen=True)
class SourceSignals:
    """What names the source document's event (all lower-case)."""

    words: frozenset = field(default_factory=frozenset)   # "hiroshima", "elmau", "g7"
    month_year: str | None = None                          # "may 2023"
    year: str | None = None                                # "2023"
    ordinals: frozenset = field(default_factory=frozenset)  # 7 for "Seventh Summit"
    points: frozenset = field(default_factory=frozenset)    # 4 for "four-point agreement"


def _points_in(text: str) -> set[int]:
    out = set()
    for match in _POINTS.finditer(text):
        word = match.group(1).lower()
        value = int(word) if word.isdigit() else _NUMBER_WORDS.get(word)
        if value:
            out.add(value)
    return out


def source_signals(title: str | None, text: str, date: str | None, lead_chars: int = 400) -> SourceSignals:
    """The signals of a source document from its title, the first
    ``lead_chars`` characters of its text and its date."""
    lex = lexicon()
    head = f"{title or ''}\n{text[:lead_chars]}"
    words = set()
    for match in _CAPITAL_WORD.finditer(head):
        word = match.group(0).rstrip("'\u2019")
        low = word.lower()
        if (len(low) < 2 or low in lex.generic_words or _is_holder_name(word) or low.endswith(("'s", "\u2019s"))
                or ordinal_value(low) is not None):  # ordinals count on their own, see source_reference
            continue
        words.add(low)
    month_year = year = None
    if date:
        try:
            y, m, _ = parse_date(date)
        except ValueError:
            y = m = None
        if y:
            year = str(y)
            if m:
                month_year = f"{_MONTHS[m - 1]} {y}"
    ordinals = frozenset(_ordinals_in((title or "").lower()))
    return SourceSignals(words=frozenset(words), month_year=month_year, year=year, ordinals=ordinals,
                         points=frozenset(_points_in(head)))


def source_reference(signals: SourceSignals, sentence: str) -> float:
    """How strongly ``sentence`` names the source event: distinct event
    words found, +1 for its month and year ("in May 2023": also "May 20,
    2023"), +0.5 for its year alone, +1 for an ordinal of its title or an
    "N-point" phrase next to a meeting or text noun."""
    lower = sentence.lower()
    found = set(re.findall(r"[\w'\u2019-]+", lower))
    parts = set()
    for token in found:
        parts.update(token.split("-"))
    score = float(len(signals.words & (found | parts)))
    if signals.year and signals.year in lower:
        month = signals.month_year.split()[0] if signals.month_year else None
        score += 1.0 if month and re.search(rf"\b{month}\b", lower) else 0.5
    if (signals.ordinals or signals.points) and has_event_noun(sentence):
        if signals.ordinals & _ordinals_in(lower) or signals.points & _points_in(lower):
            score += 1.0
    return score


@lru_cache(maxsize=65536)
def has_back_verb(sentence: str) -> bool:
    """Back-reference wording: "reaffirm", "as agreed", "commitment made at"."""
    return lexicon().verbs.search(sentence) is not None


@lru_cache(maxsize=65536)
def has_event_noun(sentence: str) -> bool:
    """A noun naming a meeting or a text: "summit", "joint statement", "consensus"."""
    return lexicon().event_nouns.search(sentence) is not None


def backref_features(texts: list[str], signals: SourceSignals | None) -> np.ndarray:
    """One row of ``BACKREF_FEATURES`` per sentence of one later document.

    ``src_event``: ``source_reference`` / 2, capped at 1; ``back_verb`` and
    ``event_noun``: 0/1; ``back_src``: ``back_verb`` x ``src_event``;
    ``back_top``: 1 for the document's single best back-reference sentence
    (highest ``back_src + event_noun / 2``, first on ties; only a sentence
    with back-reference wording that names the source or a meeting/text):
    the default evidence of every commitment of the source.
    """
    x = np.zeros((len(texts), len(BACKREF_FEATURES)), dtype=np.float64)
    for k, text in enumerate(texts):
        x[k, 0] = min(1.0, source_reference(signals, text) / 2.0) if signals is not None else 0.0
        x[k, 1] = has_back_verb(text)
        x[k, 2] = has_event_noun(text)
    x[:, 3] = x[:, 1] * x[:, 0]
    strength = x[:, 3] + 0.5 * x[:, 2] * x[:, 1]
    if len(texts) and strength.max() > 0:
        x[int(np.argmax(strength)), 4] = 1.0
    return x


def document_back_reference(texts: list[str], signals: SourceSignals | None) -> float:
    """How well a later document refers back to the source as a whole: the
    best ``back_src`` of its sentences (back-reference wording x naming the
    source event), in [0, 1]."""
    if signals is None:
        return 0.0
    best = 0.0
    for text in texts:
        if has_back_verb(text):
            best = max(best, min(1.0, source_reference(signals, text) / 2.0))
            if best >= 1.0:
                break
    return best

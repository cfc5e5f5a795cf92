"""Features of a (commitment, later document) pair, beyond text similarity:
holder overlap, deadline proximity, time gap and shared key terms.

Each feature is a plain function returning a number in [0, 1]; the ranker
(``commitments.link.rank``) combines them with the retrieval similarities.
"""
from __future__ import annotations

import datetime as _dt
import math
import re
from functools import lru_cache
from typing import Iterable

from ..model import Document, parse_date
from ..packaged import resource_json

# ------------------------------------------------------------------ dates
_EPOCH = _dt.date(1, 1, 1).toordinal()


def date_bounds(value: str | None) -> tuple[int, int] | None:
    """First and last day (ordinals) of an ISO date at any precision
    (``2024`` -> 1 Jan to 31 Dec 2024); None for a missing or bad date."""
    if not value:
        return None
    try:
        year, month, day = parse_date(value)
    except ValueError:
        return None
    if month is None:
        return _dt.date(year, 1, 1).toordinal(), _dt.date(year, 12, 31).toordinal()
    if day is None:
        nxt = _dt.date(year + (month == 12), month % 12 + 1, 1)
        return _dt.date(year, month, 1).toordinal(), nxt.toordinal() - 1
    day_ord = _dt.date(year, month, day).toordinal()
    return day_ord, day_ord


def deadline_bounds(deadline: str | None) -> tuple[int, int] | None:
    """Bounds of a deadline, a date or an interval ``start/end``."""
    if not deadline:
        return None
    parts = deadline.split("/")
    first, last = date_bounds(parts[0]), date_bounds(parts[-1])
    if first is None or last is None:
        return None
    return first[0], last[1]


def deadline_proximity(deadline: str | None, doc_date: str | None, scale_days: float = 180.0) -> float:
    """1 when the later document falls inside the deadline (or its interval),
    decaying with the distance in days outside it; 0 without a deadline."""
    bounds, when = deadline_bounds(deadline), date_bounds(doc_date)
    if bounds is None or when is None:
        return 0.0
    if when[1] < bounds[0]:
        distance = bounds[0] - when[1]
    elif when[0] > bounds[1]:
        distance = when[0] - bounds[1]
    else:
        return 1.0
    return math.exp(-distance / scale_days)


def time_gap(source_date: str | None, doc_date: str | None, scale_years: float = 3.0) -> float:
    """exp(-gap / scale): near 1 for a document soon after the commitment."""
    src, when = date_bounds(source_date), date_bounds(doc_date)
    if src is None or when is None:
        return 0.0
    gap = max(0, when[0] - src[0]) / 365.25
    return math.exp(-gap / scale_years)


# ------------------------------------------------------------------ holders
@lru_cache(maxsize=1)
def holder_aliases() -> dict[str, tuple[str, ...]]:
    """Holder key -> names it is mentioned by (data file plus pycountry)."""
    data = resource_json("link", "holder_aliases.json")
    out = {k: tuple(v) for k, v in data.items() if not k.startswith("_")}
    try:
        import pycountry
        for country in pycountry.countries:
            names = {country.name, getattr(country, "common_name", country.name)}
            out[country.alpha_3] = tuple(dict.fromkeys(out.get(country.alpha_3, ()) + tuple(names)))
    except ImportError:  # pragma: no cover
        pass
    return out


@lru_cache(maxsize=1)
def _alias_pattern() -> tuple[re.Pattern, dict[str, str]]:
    owner: dict[str, str] = {}
    for key, names in holder_aliases().items():
        for name in names:
            owner.setdefault(name, key)
    names = sorted(owner, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w])")
    return pattern, owner


def mentioned_holders(text: str) -> set[str]:
    """Holder keys whose names occur in ``text`` (case-sensitive names)."""
    pattern, owner = _alias_pattern()
    return {owner[m.group(0)] for m in pattern.finditer(text)}


def document_holders(doc: Document) -> set[str]:
    """Actor keys of a document: from its actors layer (keys, countries,
    members of collectives ``CHN+JPN``) and from names found in its text."""
    keys: set[str] = set()
    for actor in doc.actors or []:
        for value in (actor.key, actor.country):
            if value:
                keys.update(part.strip() for part in value.split("+") if part.strip())
    keys |= mentioned_holders(doc.text)
    return keys


def holder_overlap(holders: Iterable[str], doc_holders: Iterable[str]) -> float:
    """Share of the commitment's holders that are actors of the later document."""
    wanted = {h.strip() for h in holders if h and h.strip()}
    parts = set()
    for key in wanted:
        parts.update(p for p in key.split("+") if p)
    if not parts:
        return 0.0
    return len(parts & set(doc_holders)) / len(parts)


# ------------------------------------------------------------------ key terms
_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20,
}
_ORDINAL = re.compile(r"\b(?:(\d{1,3})(?:st|nd|rd|th)|(" + "|".join(_ORDINAL_WORDS) + r"))\b", re.I)
_NAME_WORD = r"[A-Z][\w'\u2019]*(?:-[A-Z]?[\w'\u2019]+)*"
_NAME = re.compile(rf"{_NAME_WORD}(?:\s+(?:(?:of|for|on|the|de|la)\s+)*{_NAME_WORD})+")
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9&-]*[A-Z0-9]\b")
_NUMBER = re.compile(r"(?<![\w.])\d(?:[\d,.]*\d)?(?:\s*(?:%|per ?cent\b|million\b|billion\b|trillion\b)|(?![\w]))")
_GENERIC_NAMES = frozenset({"the", "both", "leaders", "two", "sides", "we", "they", "he", "she"})


def _is_holder_name(word: str) -> bool:
    _, owner = _alias_pattern()
    return word in owner or word.split("-")[0] in owner


def ordinal_value(token: str) -> int | None:
    match = _ORDINAL.fullmatch(token.strip())
    if not match:
        return None
    return int(match.group(1)) if match.group(1) else _ORDINAL_WORDS[match.group(2).lower()]


def key_terms(text: str) -> list[str]:
    """Distinctive terms of a commitment: named meetings, mechanisms and
    programmes (capitalised multi-word names, acronyms), numbers and
    ordinals (normalised ``ord:3`` for "3rd" and "third").

    Terms are lower-cased strings; ``key_term_overlap`` finds them again.
    """
    terms: list[str] = []
    for match in _NAME.finditer(text):
        words = match.group(0).split()
        while words and words[0].lower() in _GENERIC_NAMES:
            words = words[1:]
        if len(words) >= 2 and not all(_is_holder_name(w) for w in words):
            terms.append(" ".join(words).lower())
    for match in _ACRONYM.finditer(text):
        if len(match.group(0)) >= 2:
            terms.append(match.group(0).lower())
    for match in _NUMBER.finditer(text):
        value = match.group(0).replace(",", "").lower()
        if len(value) > 1:  # a lone digit says little
            terms.append(value)
    for match in _ORDINAL.finditer(text):
        value = ordinal_value(match.group(0))
        if value is not None:
            terms.append(f"ord:{value}")
    return list(dict.fromkeys(terms))


def _ordinals_in(text_lower: str) -> set[int]:
    out = set()
    for match in _ORDINAL.finditer(text_lower):
        value = ordinal_value(match.group(0))
        if value is not None:
            out.add(value)
    return out


def key_term_overlap(terms: list[str], text: str) -> float:
    """Share of ``terms`` found in ``text`` (case-insensitive; ordinals in
    either form, numbers ignoring thousands separators)."""
    if not terms:
        return 0.0
    lower = text.lower()
    flat = lower.replace(",", "")
    ordinals = None
    found = 0
    for term in terms:
        if term.startswith("ord:"):
            if ordinals is None:
                ordinals = _ordinals_in(lower)
            found += int(term[4:]) in ordinals
        elif term[0].isdigit():
            found += term in flat
        elif re.search(r"(?<!\w)" + re.escape(term) + r"(?!\w)", lower) is not None:
            found += 1
        elif " " in term:  # a name found in part ("the Dialogue" for "Japan-China Dialogue")
            words = [w for w in re.split(r"[\s-]+", term) if w not in ("of", "for", "on", "the")]
            present = sum(re.search(r"(?<!\w)" + re.escape(w) + r"(?!\w)", lower) is not None
                          for w in words)
            found += 0.5 * (present / len(words) >= 2 / 3)
    return found / len(terms)

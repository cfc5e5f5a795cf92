"""Deadlines: find the time expression of a commitment and normalise it.

A deadline is written in ISO 8601 at the precision the text gives (GUIDELINES
section 3): ``"in January 2021"`` -> ``2021-01``, ``"next year"`` in a 2024
text -> ``2025``, ``"2025-2034"`` -> ``2025/2034``, ``"by the end of 2022"``
-> ``2022``, ``"in the first half of 2024"`` -> ``2024-01/2024-06``. Relative
expressions are resolved against the document's date; vague periods ("in the
coming years", "at an early date") give ``None``.

Everything here is plain functions on strings, so it is tested on its own.
``scheduled_event_deadline`` dates an action of a scheduled meeting or visit
that has no time expression of its own from an earlier sentence about the
event, with cues kept as data (``resources/scheduled_events.json``).
"""
from __future__ import annotations

import calendar
import datetime as _dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple, Sequence

from ..model import parse_date
from ..packaged import resource_json

__all__ = ["Deadline", "find_deadline", "normalize_deadline", "scheduled_event_deadline"]

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_MONTH_RE = (r"(?:January|February|March|April|May|June|July|August|September|October|"
             r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?")
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_WEEKDAY_RE = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11)}
_PARTS = {
    ("first", "half"): (1, 6), ("second", "half"): (7, 12),
    ("first", "quarter"): (1, 3), ("second", "quarter"): (4, 6),
    ("third", "quarter"): (7, 9), ("fourth", "quarter"): (10, 12),
}
_YEAR = r"(?:19|20)\d\d"
_NUMBERS = {"two": 2, "three": 3, "five": 5, "ten": 10}
_DASH = r"\s*(?:-|–|—|to|through|until)\s*"

# Ordered: the first pattern that matches at a position wins, so longer and
# more precise expressions come first.
_PATTERNS: list[tuple[str, re.Pattern]] = [(name, re.compile(rx, re.I)) for name, rx in [
    ("range_days", rf"\b(?P<m>{_MONTH_RE})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?{_DASH}(?:the\s+)?"
                   rf"(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y>{_YEAR}))?\b"),
    ("date_mdy", rf"\b(?P<m>{_MONTH_RE})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y>{_YEAR}))?\b"),
    ("date_dmy", rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m>{_MONTH_RE})(?:,?\s+(?P<y>{_YEAR}))?\b"),
    ("part", r"\b(?:in\s+|during\s+|by\s+)?the\s+(?P<n>first|second|third|fourth)\s+(?P<p>half|quarter)"
             rf"\s+of\s+(?:(?P<y>{_YEAR})|(?P<rel>next|this|the\s+next|the\s+current)\s+year)\b"),
    ("season", rf"\b(?:(?P<rel>next|this|coming)\s+)?(?P<s>spring|summer|autumn|fall)"
               rf"(?:\s+(?:of\s+)?(?P<y>{_YEAR}))?\b"),
    ("month_year", rf"\b(?P<m>{_MONTH_RE})\s*,?\s+(?:of\s+)?(?P<y>{_YEAR})\b"),
    ("year_range", rf"\b(?:from\s+|between\s+)?(?P<y1>{_YEAR})(?:{_DASH}|\s+and\s+)(?P<y2>{_YEAR}|\d\d)\b"),
    ("year", rf"\b(?P<y>{_YEAR})\b(?!\s*(?:-|–)\s*\d)"),
    ("rel_year", r"\b(?P<rel>next|this|the\s+coming|the\s+current|the\s+following)\s+year\b"),
    ("rel_decade", r"\b(?:the\s+)?(?:next|coming)\s+(?:decade|ten\s+years|(?P<n>\d+|five|three|two)\s+years)\b"),
    ("year_end", r"\b(?:by\s+)?(?:the\s+)?(?:year[-\s]end|end\s+of\s+(?:the|this)\s+year)\b|\bwithin\s+the\s+year\b"),
    ("rel_month", r"\b(?P<rel>next|this|the\s+coming)\s+month\b"),
    ("month", rf"\b(?:in|by|from|until|before|during|early|late|mid-?)\s+(?P<m>{_MONTH_RE})(?![.\s]*\d)(?!\w)"),
    ("weekday", rf"\b(?:(?P<rel>next|this|on|later\s+on)\s+)?(?P<w>{_WEEKDAY_RE})\b"),
    ("weekend", r"\b(?:this|next)\s+weekend\b"),
    ("today", r"\b(?P<t>today|tomorrow|tonight)\b"),
]]

#: What each pattern above needs in a text to match at all: a digit
#: (``DIGIT``) or one of these words (lower case; month names through their
#: first three letters, weekdays through "day"). A pattern whose needs are
#: absent from an ASCII text is not run. Keep in step with ``_PATTERNS``.
DIGIT = "0-9"
_MONTH_STEMS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_NEEDS: dict[str, tuple[str, ...]] = {
    "range_days": (DIGIT,), "date_mdy": (DIGIT,), "date_dmy": (DIGIT,),
    "part": ("half", "quarter"), "season": ("spring", "summer", "autumn", "fall"),
    "month_year": (DIGIT,), "year_range": (DIGIT,), "year": (DIGIT,), "rel_year": ("year",),
    "rel_decade": ("decade", "year"), "year_end": ("year",), "rel_month": ("month",),
    "month": _MONTH_STEMS, "weekday": ("day",), "weekend": ("weekend",),
    "today": ("today", "tomorrow", "tonight"),
}
_ASCII_DIGIT = re.compile(r"[0-9]")
_NEEDED = tuple(sorted({w for words in _NEEDS.values() for w in words if w != DIGIT}))
_WITH_DIGIT = frozenset((DIGIT,))
#: the patterns to run for each set of needs present (a few dozen sets occur)
_BY_PRESENT: dict[frozenset, list[tuple[str, re.Pattern]]] = {}


def _patterns_for(text: str) -> list[tuple[str, re.Pattern]]:
    """The patterns worth running on ``text`` (in order): all of them for a
    text with non-ASCII characters (``re.I`` folds some onto ASCII letters),
    else those whose needs (``_NEEDS``) the text has, case-insensitively."""
    if not text.isascii():
        return _PATTERNS
    low = text.lower()
    present = frozenset(w for w in _NEEDED if w in low) | (
        _WITH_DIGIT if _ASCII_DIGIT.search(text) is not None else frozenset())
    found = _BY_PRESENT.get(present)
    if found is None:
        if len(_BY_PRESENT) > 4096:  # bounded: a few dozen sets occur in practice
            _BY_PRESENT.clear()
        found = _BY_PRESENT[present] = [(name, rx) for name, rx in _PATTERNS
                                        if not present.isdisjoint(_NEEDS[name])]
    return found


def _may_hold_time(text: str) -> bool:
    """Whether any pattern may match ``text`` (see :func:`_patterns_for`)."""
    return bool(_patterns_for(text))


class Deadline(NamedTuple):
    """A time expression found in a text: offsets into it and its ISO value."""

    start: int
    end: int
    value: str


def _ref(date: str | None) -> _dt.date | None:
    if not date:
        return None
    try:
        year, month, day = parse_date(date)
    except ValueError:
        return None
    return _dt.date(year, month or 1, day or 1)


def _month(name: str) -> int:
    return _MONTHS[name.lower().rstrip(".")]


def _ym(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _ymd(year: int, month: int, day: int) -> str | None:
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _year_for_month(month: int, ref: _dt.date | None) -> int | None:
    """The year of a month named without one: this year, or next year when it
    has already passed at the document's date."""
    if ref is None:
        return None
    return ref.year + 1 if month < ref.month else ref.year


def _value(name: str, m: re.Match, ref: _dt.date | None) -> str | None:
    g = m.groupdict()
    if name == "range_days":
        month = _month(g["m"])
        year = int(g["y"]) if g["y"] else _year_for_month(month, ref)
        if year is None:
            return None
        a, b = _ymd(year, month, int(g["d1"])), _ymd(year, month, int(g["d2"]))
        return f"{a}/{b}" if a and b and a < b else a
    if name in ("date_mdy", "date_dmy"):
        month = _month(g["m"])
        year = int(g["y"]) if g["y"] else _year_for_month(month, ref)
        return _ymd(year, month, int(g["d"])) if year is not None else None
    if name == "part":
        if g["y"]:
            year = int(g["y"])
        elif ref is None:
            return None
        else:
            year = ref.year + (1 if g["rel"].lower().endswith("next") else 0)
        a, b = _PARTS[(g["n"].lower(), g["p"].lower())]
        return f"{_ym(year, a)}/{_ym(year, b)}"
    if name == "season":
        a, b = _SEASONS[g["s"].lower()]
        if g["y"]:
            year = int(g["y"])
        elif ref is None:
            return None
        elif (g["rel"] or "").lower() == "next":
            year = ref.year + 1
        else:
            year = ref.year if ref.month <= b else ref.year + 1
        return f"{_ym(year, a)}/{_ym(year, b)}"
    if name == "month_year":
        return _ym(int(g["y"]), _month(g["m"]))
    if name == "year_range":
        y1, y2 = g["y1"], g["y2"]
        if len(y2) == 2:
            y2 = y1[:2] + y2
        return f"{y1}/{y2}" if y1 < y2 else None
    if name == "year":
        return g["y"]
    if name == "rel_year":
        if ref is None:
            return None
        rel = " ".join(g["rel"].lower().split())
        if rel == "the coming":
            # the twelve months ahead: the year holding most of them ("in
            # the coming year" said in December 2022 is 2023)
            return str(ref.year + (1 if ref.month >= 7 else 0))
        return str(ref.year + (1 if rel in ("next", "the following") else 0))
    if name == "rel_decade":
        if ref is None:
            return None
        n = _NUMBERS.get((g["n"] or "ten").lower()) if not (g["n"] or "").isdigit() else int(g["n"])
        if "decade" in m.group(0).lower():
            n = 10
        return f"{ref.year + 1}/{ref.year + n}" if n and n > 1 else None
    if name == "year_end":
        return str(ref.year) if ref else None
    if name == "rel_month":
        if ref is None:
            return None
        if g["rel"].lower() == "this":
            return _ym(ref.year, ref.month)
        return _ym(ref.year + ref.month // 12, ref.month % 12 + 1)
    if name == "month":
        month = _month(g["m"])
        year = _year_for_month(month, ref)
        return _ym(year, month) if year is not None else None
    if name == "weekday":
        if ref is None:
            return None
        target = _WEEKDAYS[g["w"].lower()]
        delta = (target - ref.weekday()) % 7
        if (g["rel"] or "").lower() == "next" and delta == 0:
            delta = 7
        return (ref + _dt.timedelta(days=delta)).isoformat()
    if name == "weekend":
        if ref is None:
            return None
        delta = (5 - ref.weekday()) % 7
        if m.group(0).lower().startswith("next"):
            delta += 7
        return (ref + _dt.timedelta(days=delta)).isoformat()
    if name == "today":
        if ref is None:
            return None
        return (ref + _dt.timedelta(days=0 if g["t"].lower() != "tomorrow" else 1)).isoformat()
    return None


def _is_past(value: str, date: str | None) -> bool:
    """Whether ``value`` ends before the document's date (at the value's own
    precision): "the 2015 summit" in a 2020 text names no deadline."""
    if not date:
        return False
    end = value.split("/")[-1]
    return end < date.strip()[: len(end)]


#: a year (or two) used as an attribute of a noun: "the 2024 Rio Summit",
#: "between the 2022 and 2023 summits" (a determiner before, a word after)
_ATTRIBUTIVE_BEFORE = re.compile(r"\b(?:the|a|an|its|their|our|this|that|next|last)\s+"
                                 r"(?:(?:19|20)\d\d\s+(?:and|or|to)\s+)?$", re.I)
_ATTRIBUTIVE_AFTER = re.compile(r"\s+[A-Za-z]")


def _attributive(name: str, m: re.Match) -> bool:
    """Whether a ``year`` or ``year_range`` match names an event ("the 2024
    Rio Summit") rather than a time of the action ("in 2024")."""
    if name not in ("year", "year_range"):
        return False
    before = m.string[max(0, m.start() - 24):m.start()]
    if name == "year_range" and m.group(0)[:1].isalpha():  # "between 2022 and 2023": a period
        return False
    return _ATTRIBUTIVE_BEFORE.search(before) is not None and _ATTRIBUTIVE_AFTER.match(m.string, m.end()) is not None


def find_deadline(text: str, date: str | None = None, attributive: bool = True) -> Deadline | None:
    """The first time expression in ``text`` that normalises, or ``None``.

    ``date`` is the document's date (ISO, year or year-month allowed), used for
    relative expressions; without it only absolute dates are returned.
    Weekdays and "today" need a day-precise date. ``attributive`` False skips
    a year that is an attribute of a noun ("the 2024 Rio Summit"), so that a
    caller can prefer the time of the action ("... will be published in
    November 2024") and fall back on the events' years when there is no other
    (``find_event_deadline``: "leverage the 2025 Osaka-Kansai World Expo" ->
    ``2025``).
    """
    patterns = _patterns_for(text)
    if not patterns:
        return None
    ref = _ref(date)
    day_precise = bool(date) and len(date.strip()) == 10
    best: tuple[int, int, str] | None = None
    for name, rx in patterns:
        if name in ("weekday", "weekend", "today") and not day_precise:
            continue
        for m in rx.finditer(text):
            if best is not None and m.start() >= best[0]:
                break
            if not attributive and _attributive(name, m):
                continue
            value = _value(name, m, ref)
            if value and not _is_past(value, date):
                best = (m.start(), m.end(), value)
                break
    return Deadline(*best) if best else None


def find_event_deadline(text: str, date: str | None = None) -> str | None:
    """The time of the events that ``text`` names by their year, for an
    action about them with no time of its own: one year gives that year,
    several an interval from the first to the last ("support the hosting of
    the 2025 Harbin Asian Winter Games and the 2026 Aichi-Nagoya Asian
    Games" -> ``2025/2026``). Years before the document's date are left out
    (a past event is background, not a deadline)."""
    ref = _ref(date)
    years: list[str] = []
    for name, rx in _patterns_for(text):
        if name not in ("year", "year_range"):
            continue
        for m in rx.finditer(text):
            if _attributive(name, m):
                value = _value(name, m, ref)
                if value and not _is_past(value, date):
                    years.extend(value.split("/"))
    if not years:
        return None
    first, last = min(years), max(years)
    return first if first == last else f"{first}/{last}"


def normalize_deadline(expression: str, date: str | None = None) -> str | None:
    """The ISO value of one time expression (``"next year"``, ``"2025–2034"``),
    or ``None`` when it names no checkable time."""
    found = find_deadline(expression, date)
    return found.value if found else None


# ------------------------------------------------------------ from context
@dataclass(frozen=True)
class ScheduledEvents:
    """Cues of ``resources/scheduled_events.json`` (see its ``_comment``)."""

    actions: re.Pattern
    vague: re.Pattern
    event_words: re.Pattern
    lookback: int = 4


@lru_cache(maxsize=1)
def scheduled_events() -> ScheduledEvents:
    """The packaged cues for deadlines taken from an earlier sentence."""
    data = resource_json("scheduled_events.json")
    return ScheduledEvents(actions=re.compile(data["actions"], re.I), vague=re.compile(data["vague"], re.I),
                           event_words=re.compile(data["event_words"], re.I), lookback=int(data["lookback"]))


def scheduled_event_deadline(action: str, sentence: str, before: str, previous: Sequence[str],
                             date: str | None = None) -> str | None:
    """The deadline of an action that belongs to a scheduled meeting or
    visit and has no time expression of its own.

    ``action`` is the commitment span, ``sentence`` its whole sentence,
    ``before`` the part of the sentence before the span and ``previous`` the
    sentences before it, nearest last. When the action is a meeting activity
    ("discuss", "exchange views", "hold talks", "deliver an address", "be
    received") and its sentence has no recurring or vague timing ("every
    year", "at an appropriate time"), the first time expression of
    ``before``, else of the nearest earlier sentence that names a meeting
    or visit (at most ``lookback`` back), not in the past at ``date``, is
    the event's date and so the deadline. Otherwise ``None``: a pledge is
    never dated from context in general.
    """
    cues = scheduled_events()
    if cues.actions.match(action.strip()) is None or cues.vague.search(sentence) is not None:
        return None
    found = find_deadline(before, date)
    if found is not None:
        return found.value
    for text in list(previous)[::-1][:cues.lookback]:
        if cues.event_words.search(text) is None:
            continue
        found = find_deadline(text, date)
        if found is not None:
            return found.value
    return None

"""Where a document's date comes from when a reader is given plain text.

Three plain functions, each tested on its own:

- :func:`date_from_filename`: a ``YYYY-MM-DD`` (or ``YYYY-MM``) prefix of
  the file name, as in ``2024-12-25_slug.txt``;
- :func:`find_dateline`: a clear dateline among the first lines of the text
  (``TOKYO, Dec. 11, 2024 /PRNewswire/ --``, ``October 14, 2018`` alone on
  a line, ``Updated: 2006-10-09 08:55``, ``[Date] November 7, 2014``);
- :func:`normalise_date`: a date value of any common shape (ISO string,
  ``datetime``) checked and turned into the ISO form of FORMAT.md.

Only whole lines that are clearly datelines count: a date inside a sentence
or a title ("... adopted on Oct. 27, 2013") is never taken, because the
date a text mentions is often not the date it was issued.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from ..model import parse_date

# How many non-blank lines from the top may hold a dateline.
DATELINE_LINES = 5

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?),?\s+"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_TIME = r"(?:[\sT,]+\d{1,2}:\d\d(?::\d\d)?(?:\s*[ap]\.?m\.?)?(?:\s*(?:[A-Z]{2,4}|[+-]\d\d:?\d\d|Z))?)?"

# A date expression, in each accepted shape; every one names year/month/day.
_DATE_SHAPES = [
    rf"{_YEAR}[-/.](?P<nmonth>[01]?\d)[-/.](?P<day>[0-3]?\d)",              # 2024-12-25, 2018/10/26
    rf"(?:{_WEEKDAY})?{_MONTH}\s+{_DAY},?\s+{_YEAR}",                        # Dec. 11, 2024
    rf"(?:{_WEEKDAY})?{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}",              # 24 December 2019
]
_DATE_RES = [re.compile(shape, re.IGNORECASE) for shape in _DATE_SHAPES]
_YEARLESS_RE = re.compile(rf"(?:{_WEEKDAY})?{_MONTH}\s+{_DAY}\b", re.IGNORECASE)
_MONTH_YEAR_RE = re.compile(rf"{_MONTH}\s+{_YEAR}", re.IGNORECASE)

# Words that may label a date alone on its line.
_LABEL = (r"(?:\[?(?:date|dated|updated|last\s+updated|published|posted|released|issued|"
          r"release\s+date|publication\s+date)\]?\s*[:.\-]?\s*)")
# A place before the date: a few words (letters, spaces, dots, hyphens,
# apostrophes), optionally with a region after a comma ("Chengdu, Sichuan").
_PLACE = r"(?:[^\W\d_][\w.'\- ]{0,40}?(?:,\s*[^\W\d_][\w.'\- ]{0,30}?)?,\s*)"
# What may follow a dateline on the same line: an agency in brackets, a
# wire-service tag, a dash and the story.
_AGENCY = r"(?:\s*\([^()]{1,40}\))"
_WIRE = r"(?:\s*/[^/]{1,30}/)"
_DASH = r"(?:\s*(?:--|[\u2013\u2014]|\s-\s|-\s|:\s))"


@dataclass(frozen=True)
class Dateline:
    """A dateline found in a text: ``date`` is ISO (``None`` when the line
    gives no year, as in ``BEIJING, May 9 (Xinhua) --``)."""

    date: str | None
    line: int  # 0-based line number in the text
    text: str  # the date expression as written


def _iso(year: int, month: int, day: int | None) -> str | None:
    try:
        if day is None:
            return f"{year:04d}-{month:02d}"
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _match_date(m: re.Match) -> str | None:
    groups = m.groupdict()
    month = int(groups["nmonth"]) if groups.get("nmonth") else MONTHS[groups["month"].lower()]
    return _iso(int(groups["year"]), month, int(groups["day"]))


def _line_patterns():
    """(regex over a whole line, kind) for the dateline shapes we trust."""
    out = []
    for date_re in _DATE_SHAPES:
        date = rf"(?P<date>{date_re}){_TIME}"
        # a date alone, maybe labelled, maybe after a place, maybe with an agency tag
        out.append((re.compile(rf"^\s*{_LABEL}?{_PLACE}?{date}{_AGENCY}?{_WIRE}?\s*[.\-:]?\s*$",
                               re.IGNORECASE), "full"))
        # a dateline opening a paragraph: PLACE, DATE (Agency) -- story ...
        out.append((re.compile(rf"^\s*{_PLACE}?{date}{_AGENCY}?{_WIRE}?{_DASH}", re.IGNORECASE),
                    "full"))
    yearless = rf"(?P<date>(?:{_WEEKDAY})?{_MONTH}\s+{_DAY})"
    out.append((re.compile(rf"^\s*{_PLACE}{yearless}{_AGENCY}?{_WIRE}?{_DASH}", re.IGNORECASE),
                "yearless"))
    out.append((re.compile(rf"^\s*{_LABEL}?(?P<date>{_MONTH}\s+{_YEAR})\s*$", re.IGNORECASE),
                "month"))
    return out


_LINE_PATTERNS = _line_patterns()


def parse_line(line: str) -> tuple[str | None, str] | None:
    """``(iso date or None, date text)`` when the line is a dateline (the
    date is ``None`` for a dateline without a year), else ``None``."""
    # bylines like "By Zhang Zhihao | China Daily | Updated: 2017-12-07 09:06"
    parts = [line] + ([p for p in line.split("|")] if "|" in line else [])
    for part in parts:
        part = part[:300]  # a dateline opening a long paragraph is in its first characters
        for pattern, kind in _LINE_PATTERNS:
            m = pattern.match(part)
            if not m:
                continue
            text = m.group("date")
            if kind == "yearless":
                return None, text
            if kind == "month":
                mm = _MONTH_YEAR_RE.fullmatch(text)
                return _iso(int(mm["year"]), MONTHS[mm["month"].lower()], None), text
            for date_re in _DATE_RES:
                dm = date_re.fullmatch(text)
                if dm:
                    iso = _match_date(dm)
                    if iso:
                        return iso, text
            # an impossible date (Feb. 30) is no dateline
    return None


def find_dateline(text: str, max_lines: int = DATELINE_LINES) -> Dateline | None:
    """The first clear dateline among the first ``max_lines`` non-blank lines.

    A dateline with a full date wins over one without a year; a yearless one
    (``BEIJING, May 9 (Xinhua) --``) is returned with ``date=None`` only when
    no dated one is found, so a caller can say why it has no date.
    """
    yearless = None
    seen = 0
    for lineno, line in enumerate(text[:20000].splitlines()):
        if not line.strip():
            continue
        seen += 1
        if seen > max_lines:
            break
        found = parse_line(line)
        if found is None:
            continue
        iso, written = found
        if iso:
            return Dateline(iso, lineno, written.strip())
        if yearless is None:
            yearless = Dateline(None, lineno, written.strip())
    return yearless


_FILENAME_RE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?(?=$|[_\-. ])")


def date_from_filename(name: str) -> str | None:
    """The ``YYYY-MM-DD`` (or ``YYYY-MM``) prefix of a file name, when it is
    a real date; ``2024-12-25_slug.txt`` gives ``2024-12-25``."""
    m = _FILENAME_RE.match(name)
    if not m:
        return None
    year, month, day = (int(g) if g else None for g in m.groups())
    if not 1 <= month <= 12:
        return None
    return _iso(year, month, day)


def normalise_date(value) -> str | None:
    """A date value from metadata as an ISO string of FORMAT.md, or ``None``
    when empty. ``datetime``/``date`` objects are accepted, and ISO
    timestamps are cut to their date. Raises ``ValueError`` with a readable
    message for a malformed or impossible date."""
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        raise ValueError(f"not a date: {value!r}")
    value = value.strip()
    if not value:
        return None
    m = re.match(r"^(\d{4}-\d{2}-\d{2})[T ]\d{1,2}:\d\d", value)
    if m:
        value = m.group(1)
    parse_date(value)
    return value

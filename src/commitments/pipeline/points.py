"""Points: numbered and bulleted lists (GUIDELINES section 4).

The algorithm is plain functions over the document's text:

* :func:`find_labels` finds item labels at line starts (``1.`` ``2)``
  ``(a)`` ``I.`` ``First,`` and the bullets ``•`` ``-`` ``*``) and inline
  parenthesised labels (``(1) ... , (2) ...``);
* :func:`find_lists` groups them into lists (a list continues with the next
  label in sequence; another style opens a nested list) and gives each item
  its span, label included;
* :func:`read_lead_in` sets a list's ``status`` and ``declared_count`` from
  the text that introduces it, with cues from ``resources/points_cues.json``.

:class:`PointsTagger` (factory ``commitments_points``) only wires them into a
``Doc``: span groups ``points`` and ``point_items`` (see ``extensions.py``), and
a warning when a declared count differs from the items found.
"""
from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import srsly
from spacy import util
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import SimpleFrozenList

from ..packaged import resource_text
from .base import MatchComponent
from .actors import doc_text
from .extensions import add_warning, register_extensions

__all__ = ["Label", "FoundItem", "FoundList", "PointsCues", "find_labels", "find_lists",
           "read_lead_in", "find_points", "PointsTagger", "make_points_tagger"]

_ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
             "ninth", "tenth", "eleventh", "twelfth"]
_ORD_VALUE = {w: i + 1 for i, w in enumerate(_ORDINALS)}
_ORD_VALUE.update({w + "ly": i + 1 for i, w in enumerate(_ORDINALS)})
_ORD_VALUE.update({"finally": 0, "lastly": 0})  # 0: continues any ordinal list
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9,
          "x": 10, "xi": 11, "xii": 12, "xiii": 13, "xiv": 14, "xv": 15}
_NUMBER_WORDS = {w: i + 1 for i, w in enumerate(
    ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
     "twelve"])}

_LABEL_BODY = r"""(?P<lead>[ \t]*)(?:
        (?P<num>\d{1,2})(?P<nump>[.)])(?=[ \t]+\S)
      | \((?P<pnum>\d{1,2})\)(?=[ \t]+\S)
      | (?P<roman>[IVX]{1,4})\.(?=[ \t]+\S)
      | \((?P<proman>[ivx]{2,4})\)(?=[ \t]+\S)
      | (?P<lroman>[ivx]{2,4})(?P<lromp>[.)])(?=[ \t]+\S)
      | (?P<letter>[a-z])(?P<letp>[.)])(?=[ \t]+\S)
      | \((?P<pletter>[a-z])\)(?=[ \t]+\S)
      | (?P<ord>(?:First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth|Eleventh|Twelfth)(?:ly)?|Finally|Lastly),(?=[ \t]+\S)
      | (?P<bullet>[•·▪●◦‣]|\*|-{1,2}|–|—)[ \t]*(?=[A-Za-z"“‘'(])
    )"""
# a label after a newline (the literal "\n" first lets the regex engine skip
# straight to line starts) and one at the very start of the text
_LINE_LABEL = re.compile(r"\n" + _LABEL_BODY, re.X)
_TEXT_START_LABEL = re.compile(_LABEL_BODY, re.X)
# "(" first for the same reason; the character before is checked by hand
_INLINE_LABEL = re.compile(r"\((?P<n>\d{1,2}|[a-z]|[ivx]{2,4})\)(?=\s+\S)")
_TRUNCATION = re.compile(r"^\[(?:TRUNCATED|truncated)", re.M)
_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")
_TERMINAL = ".;:,!?\"”’)]"
_SENTENCE_END = ".;,!?"
_CLOSERS = ")]\"”’'"
# bullets that plain text also uses for other things (news standfirsts,
# datelines, a sentence broken into lines): a run of them is a points list
# only when its lead-in announces one (see ``PointsCues.announce``)
_AMBIGUOUS_BULLETS = ("bullet-", "bullet*")


@dataclass(frozen=True)
class Label:
    """An item label: where it starts, its style, its value in sequence and
    its text without punctuation (``1``, ``a``, ``First``, ``•``)."""

    start: int
    end: int           # end of the label's marker (before the item text)
    style: str
    value: int         # position in its sequence; 0 for bullets and "Finally"
    text: str
    inline: bool = False


@dataclass
class FoundItem:
    label: str
    start: int
    end: int


@dataclass
class FoundList:
    start: int
    end: int
    style: str
    items: list[FoundItem] = field(default_factory=list)
    status: str = "other"
    declared_count: int | None = None


# ---------------------------------------------------------------------- labels
def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: blocks separated by blank lines, or lines when the
    text has no blank line (GUIDELINES section 1)."""
    bounds, pos = [], 0
    if _BLANK_LINE.search(text):
        for m in _BLANK_LINE.finditer(text):
            bounds.append((pos, m.start()))
            pos = m.end()
    else:
        for m in re.finditer("\n", text):
            bounds.append((pos, m.start()))
            pos = m.end()
    bounds.append((pos, len(text)))
    out = []
    for a, b in bounds:
        seg = text[a:b]
        stripped = seg.strip()
        if stripped:
            a2 = a + (len(seg) - len(seg.lstrip()))
            out.append((a2, a2 + len(stripped)))
    return out


def _line_label(m: re.Match) -> Label | None:
    start, end = m.end("lead"), m.end()
    g = m.groupdict()
    if g["num"]:
        return Label(start, end, "num" + g["nump"], int(g["num"]), g["num"])
    if g["pnum"]:
        return Label(start, end, "(num)", int(g["pnum"]), g["pnum"])
    if g["roman"]:
        value = _ROMAN.get(g["roman"].lower())
        return Label(start, end, "ROMAN", value, g["roman"]) if value else None
    if g["proman"]:
        value = _ROMAN.get(g["proman"])
        return Label(start, end, "(roman)", value, g["proman"]) if value else None
    if g["lroman"]:
        value = _ROMAN.get(g["lroman"])
        return Label(start, end, "roman" + g["lromp"], value, g["lroman"]) if value else None
    if g["letter"]:
        return Label(start, end, "alpha" + g["letp"], ord(g["letter"]) - 96, g["letter"])
    if g["pletter"]:
        return Label(start, end, "(alpha)", ord(g["pletter"]) - 96, g["pletter"])
    if g["ord"]:
        return Label(start, end, "ordinal", _ORD_VALUE[g["ord"].lower()], g["ord"])
    char = g["bullet"][0]
    char = "-" if char in "–—" else char
    return Label(start, end, "bullet" + char, 0, char)


_ROMAN_OF = {"(alpha)": "(roman)", "alpha.": "roman.", "alpha)": "roman)"}


def _romanise(labels: list[Label]) -> list[Label]:
    """Read the letters ``i``, ``v``, ``x`` as roman numerals where the
    labels around say so: ``(i)`` followed by ``(ii)``, ``(v)`` after
    ``(iv)`` (``(h) (i) (j)`` stay letters)."""
    out = list(labels)
    for k, lab in enumerate(out):
        rstyle = _ROMAN_OF.get(lab.style)
        if rstyle is None or lab.text not in ("i", "v", "x"):
            continue
        value = _ROMAN[lab.text]
        same = (lab.style, rstyle)
        # the nearest labels of either reading (within a few labels)
        prev = next((out[j] for j in range(k - 1, max(k - 20, 0) - 1, -1) if out[j].style in same), None)
        nxt = next((out[j] for j in range(k + 1, min(k + 20, len(out))) if out[j].style in same), None)
        if value == 1:
            roman = (nxt is not None and nxt.style == rstyle and nxt.value == 2
                     and not (prev is not None and prev.style == lab.style and prev.value == 8))
        else:
            roman = prev is not None and prev.style == rstyle and prev.value == value - 1
        if roman:
            out[k] = Label(lab.start, lab.end, rstyle, value, lab.text, lab.inline)
    return out


def find_labels(text: str) -> list[Label]:
    """Every item label of ``text``: at the start of a line, or inline
    parenthesised numbers and letters (``(1) ..., (2) ...``).

    Both are single regular-expression scans of the text, anchored on a
    literal (a newline, an opening bracket) so that the regex engine only
    tries where a label can start; Python sees the matches only."""
    first = _TEXT_START_LABEL.match(text)
    matches = ([first] if first else []) + list(_LINE_LABEL.finditer(text))
    labels = _romanise([lab for lab in map(_line_label, matches) if lab is not None])
    # inline "(1) ... (2) ..." runs inside one line: keep only runs 1, 2, ...
    # (or a, b, ...) of at least two labels
    run: list[Label] = []

    def flush() -> None:
        if len(run) >= 2:
            labels.extend(run)

    inline = []
    for m in _INLINE_LABEL.finditer(text):
        before = text[m.start() - 1] if m.start() else "x"
        if not (before.isspace() or before in ":,;"):
            continue
        raw = m.group("n")
        if raw.isdigit():
            style, value = "(num)", int(raw)
        elif len(raw) > 1:
            style, value = "(roman)", _ROMAN.get(raw, 0)
        else:
            style, value = "(alpha)", ord(raw) - 96
        inline.append(Label(m.start(), m.end(), style, value, raw, inline=True))
    for lab in _romanise(inline):
        if (run and lab.style == run[-1].style and lab.value == run[-1].value + 1
                and "\n" not in text[run[-1].end:lab.start]):
            run.append(lab)
            continue
        flush()
        run = [lab] if lab.value == 1 else []
    flush()
    labels.sort(key=lambda lab: lab.start)
    return labels


# ---------------------------------------------------------------------- lists
def _continues(prev: Label, lab: Label) -> bool:
    if prev.style != lab.style or prev.inline != lab.inline:
        return False
    if lab.style.startswith("bullet"):
        return True
    if lab.style == "ordinal" and lab.value == 0:
        return True
    return lab.value == prev.value + 1


def _starts(lab: Label) -> bool:
    return lab.value == 1 or lab.style.startswith("bullet") or lab.style == "ordinal"


def _is_heading(text: str, a: int, b: int) -> bool:
    seg = text[a:b]
    return ("\n" not in seg and len(seg) <= 80 and seg[:1].isalpha() and seg[:1].isupper()
            and seg[-1:] not in _TERMINAL)


def _is_title_line(text: str, a: int, b: int) -> bool:
    """A looser heading test for an item's own first paragraph: one line
    without sentence-final punctuation (a closing bracket or quote does not
    end a sentence: "... models (including generative AI)")."""
    seg = text[a:b].rstrip(_CLOSERS)
    return ("\n" not in seg and 0 < len(seg) <= 200 and seg[0].isupper()
            and seg[-1] not in _SENTENCE_END + ":")


class _Layout:
    """The text's paragraphs, searchable by offset (bisect, not a scan)."""

    def __init__(self, text: str) -> None:
        self.paragraphs = _paragraphs(text)
        self.starts = [a for a, _ in self.paragraphs]

    def from_offset(self, start: int, limit: int) -> list[tuple[int, int]]:
        """The paragraph holding ``start`` (if any) and those starting before ``limit``."""
        i = bisect_right(self.starts, start) - 1
        if i < 0 or self.paragraphs[i][1] <= start:
            i += 1
        j = bisect_left(self.starts, limit)
        return self.paragraphs[max(i, 0):j] if j > i else []

    def starts_between(self, a: int, b: int) -> list[int]:
        return self.starts[bisect_right(self.starts, a):bisect_left(self.starts, b)]

    def before(self, offset: int, floor: int = 0) -> list[tuple[int, int]]:
        """Paragraphs ending at or before ``offset`` and starting at or after ``floor``."""
        j = bisect_right(self.starts, offset)
        out = [p for p in self.paragraphs[bisect_left(self.starts, floor):j] if p[1] <= offset]
        return out


def _item_ends(text: str, items: list[Label], layout: _Layout, boundary: int,
               line_labels: set[int]) -> list[int]:
    """End offsets of the items of one list (the list ends at ``boundary``)."""
    ends = []
    bullet = items[0].style.startswith("bullet")
    # every earlier item is a title with a body under it (a titled list)
    titled = len(items) > 1
    for i, lab in enumerate(items):
        if lab.inline:
            nxt = items[i + 1].start if i + 1 < len(items) else None
            line_end = text.find("\n", lab.end)
            line_end = len(text) if line_end < 0 else line_end
            if nxt is not None:
                chunk = text[lab.end:nxt]
                chunk = re.sub(r"(?:[\s,;]|\band\b|\bor\b)+$", "", chunk)
                ends.append(lab.end + len(chunk))
            else:
                m = re.search(r"[.;](?=\s|$)", text[lab.end:line_end])
                ends.append(lab.end + m.start() if m else line_end)
            continue
        limit = items[i + 1].start if i + 1 < len(items) else boundary
        # paragraphs that start inside this item
        paras = layout.from_offset(lab.start, limit)
        if not paras:
            ends.append(_rstrip(text, lab.end, limit))
            continue
        first_end = min(paras[0][1], limit)
        # a line-per-item text: the item is its line
        line_end = text.find("\n", lab.start)
        if line_end >= 0:
            nxt_line = line_end + 1
            nxt_line += len(text[nxt_line:nxt_line + 40]) - len(text[nxt_line:nxt_line + 40].lstrip(" \t"))
            if nxt_line in line_labels:
                first_end = min(first_end, line_end)
        if bullet:
            end = first_end
        elif i + 1 < len(items):
            end = first_end
            body = [p for p in paras[1:] if p[0] < limit]
            titled = titled and len(body) > 0 and _is_title_line(text, _lstrip(text, lab.end), first_end)
            # trailing section headings before the next label are not the item's
            while body and _is_heading(text, *body[-1]):
                body.pop()
            if body:
                end = min(body[-1][1], limit)
        else:
            end = first_end
            # the last item runs on over the next paragraphs only when its own
            # first paragraph opens a body: a lead-in ending in ":", a title
            # like those of the earlier items, all of which had a body (items
            # are parallel), a heading when it is the only item seen (the
            # rest of a long numbered text, cut off); otherwise prose after
            # the list is not the item's
            head_start = _lstrip(text, lab.end)
            opens = (text[paras[0][0]:first_end].rstrip().endswith(":") or len(items) == 1
                     or (titled and _is_title_line(text, head_start, first_end)))
            for a, b in paras[1:] if opens else ():
                if a >= limit or _TRUNCATION.match(text, a) or _is_heading(text, a, b):
                    break
                end = min(b, limit)
        ends.append(_rstrip(text, lab.end, max(end, lab.end)))
    return ends


def _lstrip(text: str, start: int) -> int:
    while start < len(text) and text[start] in " \t":
        start += 1
    return start


def _rstrip(text: str, floor: int, end: int) -> int:
    while end > floor and text[end - 1].isspace():
        end -= 1
    return end


def _announced(text: str, lab: Label, layout: _Layout, announce: list[re.Pattern]) -> bool:
    """Whether the text just before ``lab`` (its paragraph's start when the
    label is inside one, else the paragraph before) announces a list."""
    line_start = text.rfind("\n", 0, lab.start) + 1
    if text[line_start:lab.start].strip():
        return False
    before = layout.before(line_start - 1 if line_start else 0)
    held = layout.from_offset(lab.start, lab.start + 1)
    a = held[0][0] if held and held[0][0] < lab.start else (before[-1][0] if before else 0)
    lead = text[max(a, lab.start - 400):lab.start]
    return any(rx.search(lead) for rx in announce)


def find_lists(text: str, labels: list[Label] | None = None,
               cues: "PointsCues | None" = None) -> list[FoundList]:
    """Group labels into lists and give each item its span (label included).

    A list continues with the next label of its style in sequence; a label of
    another style that can start a list (``1``, ``a``, ``First``, a bullet)
    opens a nested list; a bullet list is broken by any unlabelled paragraph.
    A run of ``-`` or ``*`` bullets is a list only when its lead-in announces
    one (``cues.announce``: "the following", "as follows", "four points").
    A list of one item is kept only for numbered styles, and only when the
    text is cut off inside that item (the rest of the list is missing).
    """
    return _find_lists(text, find_labels(text) if labels is None else labels,
                       cues or default_points_cues(), _Layout(text))


def _find_lists(text: str, labels: list[Label], cues: "PointsCues", layout: _Layout) -> list[FoundList]:
    if not labels:
        return []
    announce = cues.compiled_announce()
    label_starts = {o.start for o in labels}
    groups: list[list[Label]] = []
    stack: list[list[Label]] = []
    for lab in labels:
        placed = False
        for depth in range(len(stack) - 1, -1, -1):
            if _continues(stack[depth][-1], lab):
                if lab.style.startswith("bullet") and any(
                        a not in label_starts for a in layout.starts_between(stack[depth][-1].start, lab.start)):
                    break  # an unlabelled paragraph between two bullets
                stack[depth].append(lab)
                del stack[depth + 1:]
                placed = True
                break
        if placed:
            continue
        if _starts(lab):
            # a restart of a style already open closes that list
            for depth, grp in enumerate(stack):
                if grp[0].style == lab.style and grp[0].inline == lab.inline:
                    del stack[depth:]
                    break
            grp = [lab]
            groups.append(grp)
            stack.append(grp)
    kept = []
    for grp in groups:
        first = grp[0]
        if len(grp) < 2 and (first.style.startswith("bullet") or "roman" in first.style.lower()
                             or first.inline):
            continue
        if first.style in _AMBIGUOUS_BULLETS and not _announced(text, first, layout, announce):
            continue
        kept.append(grp)
    owner = {id(lab): g for g, grp in enumerate(kept) for lab in grp}
    line_labels = {o.start for grp in kept for o in grp if not o.inline}
    kept_labels = sorted((lab for grp in kept for lab in grp), key=lambda lab: lab.start)
    kept_starts = [lab.start for lab in kept_labels]
    out = []
    for g, grp in enumerate(kept):
        boundary = _list_boundary(text, grp, g, kept, kept_labels, kept_starts, owner)
        ends = _item_ends(text, grp, layout, boundary, line_labels)
        if len(grp) == 1 and not _cut_off(text, ends[0]):
            continue
        items = [FoundItem(lab.text, lab.start, end) for lab, end in zip(grp, ends)]
        out.append(FoundList(items[0].start, max(it.end for it in items), grp[0].style, items))
    out.sort(key=lambda fl: (fl.start, -fl.end))
    return out


def _cut_off(text: str, end: int) -> bool:
    """Whether the text is cut off right after ``end``: a truncation marker
    follows, or the text ends there in mid-sentence."""
    rest = text[end:end + 200].lstrip()
    if rest:
        return bool(_TRUNCATION.match(rest))
    return text[:end].rstrip(_CLOSERS)[-1:] not in ".!?;:"


def _list_boundary(text: str, grp: list[Label], g: int, groups: list[list[Label]],
                   labels: list[Label], starts: list[int], owner: dict[int, int]) -> int:
    """Where the last item of ``grp`` must stop: the next label of an
    enclosing or sibling list (not a nested one), the truncation marker, or
    the end of the text."""
    last = grp[-1]
    boundary = len(text)
    m = _TRUNCATION.search(text, last.end)
    if m:
        boundary = m.start()
    for k in range(bisect_right(starts, last.start), len(labels)):
        lab = labels[k]
        if lab.start >= boundary:
            break
        other = owner[id(lab)]
        # a nested list (started inside this item) does not stop it
        if other == g or groups[other][0].start > last.start:
            continue
        return lab.start
    return boundary


# ---------------------------------------------------------------------- lead-in
@dataclass
class PointsCues:
    """The status, declared-count, announce and negation cues, validated from
    JSON data.

    ``announce``: what a lead-in says to present a run of ``-`` or ``*``
    bullets as a list ("the following", "as follows", "four points"); a
    declared-count cue announces one too. ``negation``: words that cancel a
    status cue when they stand shortly before it ("not", "without").
    """

    status: dict[str, list[str]]
    declared_count: list[str]
    announce: list[str] = field(default_factory=list)
    negation: list[str] = field(default_factory=list)
    description: str = ""
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    _KEYS = ("status", "declared_count", "announce", "negation", "description")
    _STATUSES = ("agreed", "proposed", "recommended")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "PointsCues":
        if not isinstance(data, dict):
            raise ValueError("points cues must be a JSON object")
        unknown = set(data) - set(cls._KEYS)
        if unknown:
            raise ValueError(f"unknown key(s) in points cues: {', '.join(sorted(unknown))}")
        status = data.get("status", {})
        bad = set(status) - set(cls._STATUSES)
        if bad:
            raise ValueError(f"unknown points status(es): {', '.join(sorted(bad))}")
        for rx in ([r for rs in status.values() for r in rs] + list(data.get("declared_count", []))
                   + list(data.get("announce", [])) + list(data.get("negation", []))):
            re.compile(rx)
        return cls(status={k: list(v) for k, v in status.items()},
                   declared_count=list(data.get("declared_count", [])),
                   announce=list(data.get("announce", [])),
                   negation=list(data.get("negation", [])),
                   description=data.get("description", ""))

    def to_dict(self) -> dict[str, Any]:
        return {"description": self.description, "status": self.status,
                "declared_count": self.declared_count, "announce": self.announce,
                "negation": self.negation}

    def _key(self) -> tuple:
        return (tuple((k, tuple(v)) for k, v in self.status.items()), tuple(self.declared_count),
                tuple(self.announce), tuple(self.negation))

    def compiled(self) -> tuple[list[tuple[str, re.Pattern]], list[re.Pattern]]:
        """The status and count patterns, compiled once (again after an edit)."""
        key = self._key()
        if self._cache.get("key") != key:
            self._cache.clear()
            self._cache["key"] = key
        if "lead" not in self._cache:
            # one alternation per status: a lead-in is searched once per status
            status = [(st, re.compile("|".join(f"(?:{rx})" for rx in rxs), re.I))
                      for st, rxs in self.status.items() if rxs]
            self._cache["lead"] = (status, [re.compile(rx, re.I) for rx in self.declared_count])
        return self._cache["lead"]

    def compiled_negation(self) -> re.Pattern | None:
        """One pattern for what negates a status cue just before it."""
        self.compiled()
        if "negation" not in self._cache:
            rxs = "|".join(f"(?:{rx})" for rx in self.negation)
            self._cache["negation"] = re.compile(f"(?:{rxs})[^.;:]{{0,30}}$", re.I) if rxs else None
        return self._cache["negation"]

    def compiled_announce(self) -> list[re.Pattern]:
        """The announce patterns and the declared-count ones."""
        status, count = self.compiled()
        if "announce" not in self._cache:
            self._cache["announce"] = [re.compile(rx, re.I) for rx in self.announce] + count
        return self._cache["announce"]


@lru_cache(maxsize=1)
def _packaged_cues() -> str:
    return resource_text("points_cues.json")


def default_points_cues() -> PointsCues:
    """The packaged cues (``resources/points_cues.json``), a fresh copy."""
    return PointsCues.from_dict(json.loads(_packaged_cues()))


def _affirmed(rx: re.Pattern, where: str, negation: re.Pattern | None) -> bool:
    """Whether ``rx`` matches ``where`` once not negated just before ("did
    not attract a full consensus", "no agreement")."""
    for m in rx.finditer(where):
        if negation is None or not negation.search(where, max(0, m.start() - 60), m.start()):
            return True
    return False


def read_lead_in(lead_in: str, cues: PointsCues, title: str = "") -> tuple[str, int | None]:
    """``(status, declared_count)`` from the text before a list.

    A lead-in with an ``agreed`` cue gives ``agreed`` (a consensus may say it
    was "proposed" by its authors), else ``recommended``, else ``proposed``;
    the title is read when the lead-in has no cue. The count nearest to the
    list wins."""
    status_rx, count_rx = cues.compiled()
    negation = cues.compiled_negation()
    status, count = "other", None
    for where in (lead_in, title):
        if status == "other":
            found = {st for st, rx in status_rx if _affirmed(rx, where, negation)}
            status = next((st for st in ("agreed", "recommended", "proposed") if st in found), "other")
        if count is None:
            best = -1
            for rx in count_rx:
                for m in rx.finditer(where):
                    raw = m.group("n").lower()
                    n = int(raw) if raw.isdigit() else _NUMBER_WORDS.get(raw)
                    if n and m.start() > best:
                        best, count = m.start(), n
    return status, count


def find_points(text: str, cues: PointsCues | None = None) -> list[FoundList]:
    """The points lists of a text with status and declared count set.

    The items of a bullet list whose lead-in announces exactly as many points
    as it has items ("The four points read as follows: -- ... -- ...") are
    numbered ``1``, ``2``, ...: the text counts them, and a commitment names
    its item by that number."""
    cues = cues or default_points_cues()
    labels = find_labels(text)
    if not labels:
        return []
    layout = _Layout(text)
    lists = _find_lists(text, labels, cues, layout)
    first_line = text.lstrip().split("\n", 1)[0][:200]
    for i, fl in enumerate(lists):
        enclosing = [o for o in lists[:i] if o.start < fl.start < o.end]
        floor = max([o.start for o in enclosing] + [0])
        before = layout.before(fl.start, floor)
        # the paragraph just before the list, and the one before it when that
        # one is short (a heading or "Here are the points:")
        lead_start = before[-1][0] if before else floor
        if len(before) > 1 and fl.start - lead_start < 80:
            lead_start = before[-2][0]
        lead_in = text[max(lead_start, fl.start - 600):fl.start]
        if enclosing and not fl.items[0].label.isdigit():
            # a nested list: its lead-in is the enclosing item's text
            item = next(it for it in enclosing[-1].items if it.start <= fl.start <= it.end)
            lead_in = text[item.start:fl.start]
        fl.status, fl.declared_count = read_lead_in(lead_in, cues, first_line if fl.start > 0 else "")
        if enclosing and fl.status == "other":
            fl.status = enclosing[-1].status
        if fl.style.startswith("bullet") and fl.declared_count == len(fl.items) > 1:
            for n, it in enumerate(fl.items, 1):
                it.label = str(n)
    return lists


# ---------------------------------------------------------------------- component
@Language.factory(
    "commitments_points",
    assigns=["doc.spans", "span._.points_id", "span._.points_status", "span._.declared_count",
             "span._.point_items", "span._.item_label"],
    requires=[],
    default_config={"spans_key": "points", "items_key": "point_items",
                    "use_segments": True, "cues": None},
    default_score_weights={"points_f": 0.5, "point_items_f": 0.5},
)
def make_points_tagger(nlp: Language, name: str, spans_key: str, items_key: str,
                       use_segments: bool, cues: dict | None) -> "PointsTagger":
    return PointsTagger(nlp, name, spans_key=spans_key, items_key=items_key,
                        use_segments=use_segments, cues=cues)


class PointsTagger(MatchComponent):
    """Mark points lists and their items (``doc.spans["points"]`` and
    ``doc.spans["point_items"]``).

    spans_key / items_key: the span groups written.
    use_segments: a list inside a ``consensus`` segment with no status cue is
        ``agreed`` (needs the segments component before this one).
    cues: status and declared-count cues (``points_cues.json`` shape); ``None``
        uses the packaged ones. Saved with ``to_disk`` / ``to_bytes``.
    """

    def __init__(self, nlp: Language, name: str = "points", *, spans_key: str = "points",
                 items_key: str = "point_items", use_segments: bool = True,
                 cues: dict | None = None) -> None:
        register_extensions()
        self.nlp = nlp
        self.name = name
        self.spans_key = spans_key
        self.items_key = items_key
        self.use_segments = use_segments
        self.cues = PointsCues.from_dict(cues) if cues else default_points_cues()

    def match(self, doc: Doc) -> list[FoundList]:
        lists = find_points(doc_text(doc), self.cues)
        if self.use_segments and "segments" in doc.spans:
            for fl in lists:
                if fl.status != "other":
                    continue
                for seg in doc.spans["segments"]:
                    if seg.start_char <= fl.start < seg.end_char:
                        if seg._.segment_kind == "consensus":
                            fl.status = "agreed"
                        break
        return lists

    def set_annotations(self, doc: Doc, lists: list[FoundList]) -> None:
        spans, items = [], []
        for i, fl in enumerate(lists, 1):
            span = doc.char_span(fl.start, fl.end, alignment_mode="expand")
            if span is None:
                continue
            pid = f"p{i}"
            span._.points_id = pid
            span._.points_status = fl.status
            span._.declared_count = fl.declared_count
            span._.point_items = [(it.label, it.start, it.end) for it in fl.items]
            spans.append(span)
            for it in fl.items:
                ispan = doc.char_span(it.start, it.end, alignment_mode="expand")
                if ispan is None:
                    continue
                ispan._.item_label = it.label
                ispan._.points_id = pid
                items.append(ispan)
            if fl.declared_count is not None and fl.declared_count != len(fl.items):
                add_warning(doc, f"points list {pid} announces {fl.declared_count} points "
                                 f"but {len(fl.items)} item(s) were found")
        doc.spans[self.spans_key] = spans
        doc.spans[self.items_key] = items

    # -- scoring -------------------------------------------------------------
    def score(self, examples, **kwargs) -> dict[str, Any]:
        from spacy.scorer import Scorer

        scores = Scorer.score_spans(examples, self.spans_key, has_annotation=lambda d: self.spans_key in d.spans, **kwargs)
        scores.update(Scorer.score_spans(examples, self.items_key,
                                         has_annotation=lambda d: self.items_key in d.spans, **kwargs))
        return scores

    # -- serialisation -------------------------------------------------------
    def _cfg(self) -> dict[str, Any]:
        return {"spans_key": self.spans_key, "items_key": self.items_key,
                "use_segments": self.use_segments}

    def _set_cfg(self, cfg: dict[str, Any]) -> None:
        self.spans_key = cfg.get("spans_key", self.spans_key)
        self.items_key = cfg.get("items_key", self.items_key)
        self.use_segments = cfg.get("use_segments", self.use_segments)

    def to_bytes(self, *, exclude: Iterable[str] = SimpleFrozenList()) -> bytes:
        return util.to_bytes({"cues": lambda: srsly.json_dumps(self.cues.to_dict()),
                              "cfg": lambda: srsly.json_dumps(self._cfg())}, exclude)

    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = SimpleFrozenList()) -> "PointsTagger":
        def load_cues(b):
            self.cues = PointsCues.from_dict(srsly.json_loads(b))

        util.from_bytes(bytes_data, {"cues": load_cues,
                                     "cfg": lambda b: self._set_cfg(srsly.json_loads(b))}, exclude)
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = SimpleFrozenList()) -> None:
        path = util.ensure_path(path)
        util.to_disk(path, {"cues": lambda p: srsly.write_json(p.with_suffix(".json"), self.cues.to_dict()),
                            "cfg": lambda p: srsly.write_json(p, self._cfg())}, exclude)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = SimpleFrozenList()) -> "PointsTagger":
        path = util.ensure_path(path)

        def load_cues(p):
            p = p.with_suffix(".json")
            if p.exists():
                self.cues = PointsCues.from_dict(srsly.read_json(p))

        def load_cfg(p):
            if p.exists():
                self._set_cfg(srsly.read_json(p))

        util.from_disk(path, {"cues": load_cues, "cfg": load_cfg}, exclude)
        return self

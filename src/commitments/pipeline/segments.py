"""Segments: who is speaking, paragraph by paragraph (GUIDELINES section 1).

The component writes ``doc.spans["segments"]`` with ``span._.segment_kind``
(statement / readout / consensus / commentary / boilerplate),
``span._.voice`` and ``span._.reporter`` (actor keys).

The algorithm is :func:`segment`, a plain function over the text, the actor
mentions and the document's genre:

1. Paragraphs: blank-line separated; in a text without a blank line, lines
   (a "[TRUNCATED ...]" line stays with the line it cuts off). A span covers
   the paragraph text without surrounding whitespace.
2. Each paragraph gets a kind from the cue rules (``resources/segments/
   cues.json``): boilerplate lines (bylines, captions, "Post a comment",
   titles before the body; a sentence-like standfirst under the title, or a
   heading under a dated title, is body); a speaker label ("PRIME MINISTER
   TARO ASO:") starts a statement; "We, the Leaders", an agreed list after
   "as follows:" or the numbered items after "reached a 10-point consensus"
   are consensus; a named person as the subject of a speech act ("Wang Yi,
   a member of ..., praised", then "he acknowledged") or a reporting verb
   after an actor ("Wang Yi stated that", '"...," Abe said', "according
   to") is a readout in that actor's voice; a publisher's "we will" is its
   statement; a paragraph opening with an earlier year ("In 2006, ...") is
   background; otherwise the genre's default (joint statements and
   communiques: consensus; speeches: statement; readouts: readout; else
   commentary). A text whose author writes in the first person singular
   (a newsletter) keeps its own paragraphs as commentary and relays readouts
   only after their lead-ins, up to a meeting it narrates ("Iwaya also met
   Li Qiang.").
3. Headings inside the body and lead-ins join the paragraph they introduce;
   consecutive paragraphs of the same kind, voice and reporter are merged
   into one segment ("Kyodo reports that ..." has Kyodo as its reporter).
"""
from __future__ import annotations

import json
import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Iterable, Sequence

import srsly
from spacy.language import Language
from spacy.scorer import Scorer
from spacy.tokens import Doc
from spacy.util import ensure_path

from .base import MatchComponent
from ..errors import InputError
from .extensions import register_extensions
from ..packaged import resource_json
from .prefilter import prefiltered

SPANS_KEY = "segments"
KINDS = ("statement", "readout", "consensus", "commentary", "boilerplate")
_CUE_KEYS = {"_doc", "boilerplate", "speaker_label", "statement", "statement_intro", "consensus", "list_intro",
             "list_item", "readout", "speech", "readout_lead", "quote", "genre_kind", "reporter_domains",
             "list_announce", "narrative", "speech_act", "document_source"}
_TRUNCATED = prefiltered(re.compile(r"\n?\[TRUNCATED[^\]]*\]\s*$"))
#: ``list_intro`` ends a paragraph: it is searched in the paragraph's last characters only
_INTRO_TAIL = 200
_SENT_END = re.compile(r"[.!?…][\"'”’)\]]*\s*$")
_REPORTED = prefiltered(re.compile(r"\b(?:said|says|told|announced|according to)\b"))
_PRONOUN_SUBJECT = prefiltered(re.compile(r"\b(?:He|She|They|he|she|they|It|it)\s+(?:also\s+)?$"))


@dataclass
class Actor:
    """An actor mention as the segmenter needs it (character offsets)."""

    start: int
    end: int
    type: str
    key: str | None


@dataclass
class Seg:
    start: int
    end: int
    kind: str
    voice: str | None = None
    reporter: str | None = None


def _compile(pattern: str, flags: int = 0):
    """A cue regex, with a literal prefilter where one is known
    (``prefilter.py``: same matches, most paragraphs skipped)."""
    return prefiltered(re.compile(pattern, flags))


class Cues:
    """The cue rules, compiled. ``data`` is the JSON of ``cues.json``."""

    def __init__(self, data: dict):
        unknown = set(data) - _CUE_KEYS
        if unknown:
            raise InputError(f"segment cues: unknown key(s) {', '.join(sorted(unknown))}")
        self.data = data
        try:
            self.boilerplate = [_compile(p, re.M) for p in data.get("boilerplate", [])]
            self.speaker_label = _compile(data["speaker_label"]) if data.get("speaker_label") else None
            self.statement = [_compile(p) for p in data.get("statement", [])]
            self.statement_intro = _compile(data["statement_intro"], re.I) if data.get("statement_intro") else None
            self.consensus = [_compile(p) for p in data.get("consensus", [])]
            self.list_intro = _compile(data["list_intro"], re.I) if data.get("list_intro") else None
            self.list_item = _compile(data["list_item"]) if data.get("list_item") else None
            self.readout = [_compile(p) for p in data.get("readout", [])]
            self.speech = _compile(data["speech"]) if data.get("speech") else None
            self.readout_lead = _compile(data["readout_lead"], re.I) if data.get("readout_lead") else None
            self.list_announce = _compile(data["list_announce"]) if data.get("list_announce") else None
            self.narrative = _compile(data["narrative"]) if data.get("narrative") else None
            self.speech_act = _compile(data["speech_act"]) if data.get("speech_act") else None
            self.document_source = _compile(data["document_source"]) if data.get("document_source") else None
            self.quote = _compile(data.get("quote", r"^[\"“]"))
        except re.error as exc:
            raise InputError(f"segment cues: bad regular expression: {exc}") from None
        self.genre_kind = dict(data.get("genre_kind", {}))
        bad = [k for k in self.genre_kind.values() if k not in KINDS]
        if bad:
            raise InputError(f"segment cues: unknown kind(s) {bad} in genre_kind")
        self.reporter_domains = dict(data.get("reporter_domains", {}))

    @classmethod
    def default(cls) -> "Cues":
        return cls(resource_json("segments", "cues.json"))


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans (stripped): blank-line separated, else one per line."""
    sep = re.compile(r"\n[ \t\r]*\n\s*") if re.search(r"\n[ \t\r]*\n", text) else re.compile(r"\n\s*")
    out = []
    pos = 0
    for m in list(sep.finditer(text)) + [None]:
        end = m.start() if m else len(text)
        chunk = text[pos:end]
        a = pos + len(chunk) - len(chunk.lstrip())
        b = pos + len(chunk.rstrip())
        if b > a:
            out.append((a, b))
        if m:
            pos = m.end()
    return out


_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
#: a calendar date ("June 12, 2012", "26 OCTOBER 2019", "2021-11-22")
_DATE = re.compile(rf"(?i)\b(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|"
                   rf"\d{{1,2}}(?:-\d{{1,2}})?\s+{_MONTH},?\s+\d{{4}}|\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}})\b")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]{3,}")
_SECTION_HEADING = re.compile(r"^(?:[IVX]{1,4}\.|Section|Chapter|Part|Preamble|Foreword|Introduction|Summary|"
                              r"Executive Summary|Background|Overview)\b")


def _lower_share(par: str) -> float:
    """Share of the words of four letters or more that start lower-case."""
    words = _WORD.findall(par)
    return sum(w[0].islower() for w in words) / len(words) if words else 0.0


def _is_prose(par: str) -> bool:
    """A long line written as a sentence (most words lower-case), not a title."""
    return len(par) >= 120 and _lower_share(par) >= 0.5


def _is_heading(par: str) -> bool:
    """A one-line section heading: short, in title case or numbered, not a date."""
    return ("\n" not in par and len(par) <= 80 and _DATE.search(par) is None
            and (_lower_share(par) <= 0.2 or _SECTION_HEADING.match(par) is not None))


def _unquoted(par: str) -> str:
    """The paragraph without its quotations (one left open runs to the end:
    news quotes spanning paragraphs open each one and close only the last)."""
    return re.sub(r"[\"“](?:[^\"”]*[\"”]|[^\"”]*$)", " ", par)


_FIRST_PERSON = re.compile(r"\b(?:I|I’m|I'm|I’ve|I've|my|My|me)\b")


def _author_narrates(infos: Sequence[tuple[str, bool]], n: int = 3) -> bool:
    """Whether the first ``n`` body paragraphs speak in the first person singular
    outside quotations (the author of a newsletter or blog post)."""
    body = [par for par, title in infos if not title][:n]
    return sum(bool(_FIRST_PERSON.search(_unquoted(par))) for par in body) >= 2


def _join_markers(text: str, pars: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A "[TRUNCATED ...]" line right under a paragraph (a text with no blank
    line) belongs to the paragraph it cuts off: the stored copy marks where that
    text ends."""
    out: list[tuple[int, int]] = []
    for a, b in pars:
        if out and _TRUNCATED.fullmatch(text[a:b]) and text.count("\n", out[-1][1], a) == 1:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _is_title_like(par: str) -> bool:
    """A short paragraph none of whose lines ends a sentence: a title, dateline, byline."""
    if len(par) > 400:
        return False
    # the end of a line is enough for _SENT_END (a mark, closing quotes, spaces)
    return not any(_SENT_END.search(line[-24:]) for line in par.splitlines() if line.strip())


def _reporter(text: str, actors: Sequence[Actor], source: str | None, body_start: int,
              cues: Cues) -> str | None:
    """Who produced the account: a news outlet or ministry named in the header or
    dateline, else the source address."""
    limit = body_start + 120
    for a in actors:
        if a.start > limit:
            break
        if a.type == "organization" and a.key and (a.start < body_start or
                                                   text[max(0, a.start - 1)] == "("):
            return a.key
    if source:
        for domain, key in cues.reporter_domains.items():
            if domain in source:
                return key
    return None


def _voice_at(text: str, a: int, b: int, actors: Sequence[Actor], cues: Cues,
              reported_only: bool = False) -> tuple[str | None, bool]:
    """(voice, found a cue) of the paragraph text[a:b] from its reporting verb."""
    par = text[a:b]
    start = 0
    if cues.quote.search(par):
        close = re.search(r"[\"”’],?\s", par[1:])
        start = close.end() + 1 if close else 0
    cue = None
    for regex in (cues.readout[1:] + [_REPORTED] if reported_only else cues.readout):
        # from the paragraph's start, a prefiltered cue skips a paragraph lacking its literals
        m = regex.search(par, start) if start else regex.search(par)
        if m and (cue is None or m.start() < cue.start()):
            cue = m
    if cue is None or cue.start() > 400:
        return None, False
    p = a + cue.start()
    sent_start = a + max(par.rfind(". ", 0, cue.start()) + 1, par.rfind("\n", 0, cue.start()) + 1, 0)
    if start and sent_start < a + start:
        sent_start = a + start - 1
    before = [x for x in actors if sent_start <= x.start and x.end <= p and x.key]
    if before and not _PRONOUN_SUBJECT.search(text[before[-1].end:p]):
        last = before[-1]
        # "China and Japan have agreed": coordinated parties speak together
        if len(before) >= 2 and last.type == "state" and before[-2].type == "state" and \
                re.fullmatch(r"\s*(?:and|,)\s*", text[before[-2].end:last.start]):
            return "+".join(sorted({before[-2].key, last.key})), True
        persons = [x for x in before if x.type in ("person", "collective")]
        if persons and last.type == "organization":
            return persons[-1].key, True
        return last.key, True
    after = [x for x in actors if p < x.start < p + 60 and x.key and x.type in ("person", "state", "organization")]
    if after and re.fullmatch(r"[\w ]*", text[cue.end() + a:after[0].start]):
        return after[0].key, True  # "said Hua Chunying"
    if text[sent_start:p].strip() == "" or _PRONOUN_SUBJECT.search(text[sent_start:p]):
        return None, True  # "He said": the previous voice
    return None, False


_FIRST_SENTENCE = re.compile(r".+?[.!?](?=\s+[A-Z\"“]|\s*$)|.+", re.S)
#: a short introductory phrase and title words before the subject ("In a video address, Foreign Minister")
_SUBJECT_PREFIX = re.compile(r"^(?:[^,\"“”]{0,100},\s+)?(?:[\w.'’()-]+\s+){0,8}$")
_NAME = re.compile(r"^(?:[^,.\"“”]{0,100},\s+)?(?:[A-Z][\w.'’-]*\s+){0,5}?"
                   r"(?P<name>[A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,2})(?=,)")
_PRONOUN = re.compile(r"^(?:[^,.\"“”]{0,100},\s+)?(?:he|she|He|She)\s+")


def _speaker_subject(text: str, a: int, b: int, actors: Sequence[Actor], cues: Cues,
                     previous: str | None) -> str | None:
    """The person who is the subject of a speech act in the paragraph's first
    sentence ("Wang Yi, a member of ..., praised the forum", "Japanese Foreign
    Minister Takeshi Iwaya highlighted ...", "Reflecting on ..., he
    acknowledged" after a readout in ``previous``'s voice), else None."""
    if cues.speech_act is None:
        return None
    sent = _FIRST_SENTENCE.match(text, a, b)
    end = sent.end() if sent else b

    def verb_follows(pos: int) -> bool:
        return cues.speech_act.match(text, pos, end) is not None

    # the first party named, past a possessive country ("China's State Councilor ... Wang Yi")
    first = next((x for x in actors if a <= x.start < end and x.type != "organization"
                  and not (x.type == "state" and text.startswith(("'s ", "’s "), x.end))), None)
    if first is not None and first.type == "person" and first.key and \
            _SUBJECT_PREFIX.match(text[a:first.start]) and verb_follows(first.end):
        return first.key
    # a name the actor finder did not know, in front of its appositive ("Mo Gaoyi, deputy head of ...,")
    m = _NAME.match(text[a:end])
    if m and verb_follows(a + m.end()) and (first is None or first.start >= a + m.end()) and \
            not any(a + m.start("name") <= x.start < a + m.end() for x in actors):
        return m.group("name")
    if previous:
        m = _PRONOUN.match(text[a:end])
        if m and cues.speech_act.match(text, a + m.end() - 1, end):
            return previous
        short = re.match(r"([A-Z][a-z]+)\b", text[a:end])
        if short and short.group(1) in previous.split() and verb_follows(a + short.end()):
            return previous  # "Mo expressed ..." after Mo Gaoyi's readout
    return None


_PAST_YEAR = re.compile(r"^(?:In|By|Since|Back in|As early as) (?:early |late |mid-)?((?:19|20)\d\d)\b")
_WE = prefiltered(re.compile(r"\b[Ww]e (?:will|shall|are committed|remain committed|aim|strive|"
                             r"intend|pledge|commit|are determined|look forward)\b"))


#: what a news text narrates around a document it quotes: dates, the document's making
_PAST_EVENT = prefiltered(re.compile(r"\b(?:(?:19|20)\d\d|ago|last (?:year|month|week)|earlier this|"
                                     r"(?:was|were) (?:issued|signed|adopted|released|published|held|reached))\b"))


def _among(voice: str, parties: str | None) -> bool:
    """Whether ``voice`` is ``parties`` or one or more of its members."""
    return bool(parties) and set(voice.split("+")) <= set(parties.split("+"))

_PRONOUN_START = re.compile(r"^(?:They|He|She)\s")


def _parties_voice(voice: str | None, actors: Sequence[Actor]) -> str | None:
    """The voice of a jointly issued document a text quotes: the parties the
    paragraph names together ("Both sides", "China and Japan"), else the
    collective named most often in the text."""
    if voice and "+" in voice:
        return voice
    counts: dict[str, int] = {}
    for x in actors:
        if x.type == "collective" and x.key:
            counts[x.key] = counts.get(x.key, 0) + 1
    return max(counts, key=counts.get) if counts else voice


def _looks_back(par: str, date: str | None) -> bool:
    """A paragraph opening with a year before the document's ("In 2006, ...")."""
    m = _PAST_YEAR.match(par)
    return bool(m and date and date[:4].isdigit() and int(m.group(1)) < int(date[:4]))


def _publisher_speaks(par: str) -> bool:
    """First person plural undertakings outside quotations ("we will engage")."""
    return _WE.search(_unquoted(par)) is not None


def _publisher(actors: Sequence[Actor], source: str | None, cues: Cues) -> str | None:
    """Who publishes the page: the organization of the source address, else the
    organization the text names most often."""
    for domain, key in cues.reporter_domains.items():
        if source and domain in source:
            return key
    counts: dict[str, int] = {}
    for x in actors:
        if x.type == "organization" and x.key:
            counts[x.key] = counts.get(x.key, 0) + 1
    return max(counts, key=counts.get) if counts else None


_RELAYS = re.compile(r"\s+(?:reports|reported|says|said|writes|wrote)\s+that\b")


def _relaying_outlet(text: str, a: int, b: int, actors: Sequence[Actor]) -> str | None:
    """The organization that opens the paragraph as the source of what follows
    ("Kyodo reports that Iwaya also conveyed ..."), else None."""
    first = next((x for x in actors if x.start >= a), None)
    if first is None or first.start >= b or first.type != "organization" or not first.key:
        return None
    if text[a:first.start].strip() not in ("", "The", "the"):
        return None
    return first.key if _RELAYS.match(text, first.end) else None


def _lead_voice(text: str, a: int, b: int, actors: Sequence[Actor], cues: Cues) -> str | None:
    """The voice a lead-in gives the readout it introduces: a person ("Iwaya is
    described by a readout as saying"); an outlet or ministry that "reported" or
    "says in a statement" is the reporter, not the voice."""
    voice = _voice_at(text, a, b, actors, cues)[0]
    persons = {x.key for x in actors if a <= x.start < b and x.type == "person"}
    return voice if voice in persons else None


def segment(text: str, actors: Iterable[Actor] = (), genre: str | None = None,
            source: str | None = None, cues: Cues | None = None, date: str | None = None) -> list[Seg]:
    """Segments of ``text`` (see the module docstring for the rules). ``date``
    (ISO, the document's) dates background paragraphs ("In 2006, Abe said ...")."""
    cues = cues or Cues.default()
    actors = sorted(actors, key=lambda x: x.start)
    starts = [x.start for x in actors]
    pars = _join_markers(text, paragraphs(text))
    if not pars:
        return []
    default = cues.genre_kind.get(genre or "", "commentary")
    labels: list[tuple[str, str | None, str]] = []  # (kind, voice, link) link: ''|'next'
    body_started = False
    dated = False  # the title block above the body has a date line
    speaker = None
    intro_run = False  # speaker set by a statement_intro (ends at the next heading or lead-in)
    in_list = False
    author = False
    infos = []
    for k, (a, b) in enumerate(pars):
        raw = text[a:b]
        par = _TRUNCATED.sub("", raw)
        # a paragraph cut off by a truncation marker (in it, or the next line) is body text
        truncated = par != raw and bool(par.strip()) or (
            k + 1 < len(pars) and _TRUNCATED.fullmatch(text[pars[k + 1][0]:pars[k + 1][1]]) is not None
            and len(raw) > 80)
        infos.append((par or raw, not truncated and _is_title_like(par or raw)))
    if default in ("readout", "commentary") and _author_narrates(infos):
        # a newsletter or blog post in its author's voice ("Here are my observations:")
        # relays readouts it names; its own paragraphs are commentary
        default, author = "commentary", True
    lead_run = False  # after a lead-in ("China's foreign ministry reported"): its readout
    run_start = 0  # index of the label after the lead-in
    relayed: dict[int, str] = {}  # paragraph index -> the outlet that it names as its source
    doc_voice: str | None = None  # the parties of a document a news text quotes ("the statement said")
    doc_run = False
    opening: dict[int, str | None] = {}  # readout paragraphs before any voice -> a person they name
    for i, (a, b) in enumerate(pars):
        par, title_like = infos[i]
        first_line = par.splitlines()[0] if par else ""
        if any(r.match(first_line) for r in cues.boilerplate) and (not body_started or len(par) < 200):
            labels.append(("boilerplate", None, ""))
            continue
        list_intro = bool(cues.list_intro and cues.list_intro.search(par[-_INTRO_TAIL:]))
        if body_started and list_intro and default != "statement":
            labels.append(("consensus", None, "next" if default == "consensus" else ""))
            in_list = True
            continue
        if title_like and not body_started and i > 0 and _is_prose(par):
            title_like = False  # a standfirst under the title, written as a sentence: body text
        if title_like and not (cues.list_item and cues.list_item.match(par)):
            if not body_started and dated and i + 1 < len(pars) and not infos[i + 1][1] and \
                    _is_heading(par):
                labels.append(("", None, "next"))  # "June 12, 2012" then "The Aim of ...": a heading
            elif not body_started or all(t for _, t in infos[i + 1:]):
                dated = dated or (not body_started and _DATE.search(par) is not None)
                labels.append(("boilerplate", None, ""))
            else:
                # a heading joins what follows; a lead-in ("Iwaya is described by a
                # readout as saying") gives its voice to the readout it introduces
                lead = cues.readout_lead is not None and cues.readout_lead.search(par) is not None
                voice = _lead_voice(text, a, b, actors, cues) if lead else None
                labels.append(("", voice, "next"))
                if lead:
                    lead_run, run_start = True, len(labels)
                if intro_run and lead:  # the remarks introduced by statement_intro end here
                    speaker, intro_run = None, False
            continue
        body_started = True
        m = cues.speaker_label.match(par) if cues.speaker_label else None
        if m:
            inside = [x for x in actors if a <= x.start < a + m.end() and x.type == "person"]
            speaker = inside[0].key if inside else " ".join(w.capitalize() for w in m.group(1).split())
            labels.append(("statement", speaker, ""))
            continue
        if list_intro and default != "statement":
            labels.append(("consensus", None, "next" if default == "consensus" else ""))
            in_list = True
            continue
        announced = i > 0 and cues.list_announce is not None and \
            cues.list_announce.search(infos[i - 1][0]) is not None
        if (in_list or announced) and cues.list_item and cues.list_item.match(par):
            # "... reached a 10-point consensus" then "1. ...": the agreed items
            labels.append(("consensus", None, ""))
            in_list = True
            continue
        in_list = False
        if any(r.search(par) for r in cues.consensus):
            labels.append(("consensus", None, ""))
            continue
        if default == "consensus" and genre == "consensus":
            # a consensus document may be reported by a news text: reported speech is a readout
            voice, cued = _voice_at(text, a, b, actors, cues, reported_only=True)
            if cued and voice:
                labels.append(("readout", voice, ""))
                continue
        if default == "consensus":
            labels.append(("consensus", None, ""))
            continue
        if default != "statement" and not speaker and cues.statement_intro and \
                (m := cues.statement_intro.search(par)) is not None:
            # "China's foreign ministry published Wang Yi's full remarks": what follows is his
            named = [x for x in actors if a <= x.start < a + m.start() and x.type == "person" and x.key]
            if named:
                speaker, intro_run = named[-1].key, True
                labels.append(("statement", speaker, ""))
                continue
        if cues.readout_lead and cues.readout_lead.search(par) and len(par) < 250:
            voice = _lead_voice(text, a, b, actors, cues)
            labels.append(("", voice, "next"))  # "China's foreign ministry reported:"
            # a bare lead-in (no full stop) introduces a readout that runs on
            lead_run = _SENT_END.search(par) is None
            run_start = len(labels)
            if intro_run:
                speaker, intro_run = None, False
            continue
        if default == "statement" or speaker:
            labels.append(("statement", speaker, ""))
            continue
        voice, cued = _voice_at(text, a, b, actors, cues)
        here = actors[bisect_left(starts, a):bisect_left(starts, b)]  # the paragraph's actors
        outlet = _relaying_outlet(text, a, b, here)
        if outlet:
            relayed[i] = outlet  # "Kyodo reports that Iwaya ...": Kyodo is this account's reporter
        if default == "commentary" and _looks_back(par, date):
            # "In 2006, Shinzo Abe emphasized ...": background the author recounts
            labels.append(("commentary", None, ""))
            continue
        if default == "commentary" and not author and genre != "news" and _publisher_speaks(par):
            # a publisher's page about itself: "At this year's forum, we will engage ..."
            labels.append(("statement", _publisher(actors, source, cues), ""))
            continue
        speaker_voice = _speaker_subject(text, a, b, here, cues,
                                         labels[-1][1] if labels and labels[-1][0] == "readout" else None)
        if speaker_voice:
            # "Wang Yi, a member of ..., praised the forum": a named person's words, relayed
            labels.append(("readout", speaker_voice, ""))
            continue
        if lead_run and default == "commentary":
            if cues.narrative and cues.narrative.search(par) and not cued:
                lead_run = False  # "Iwaya also met Li Qiang.": the author's narrative again
            else:
                prev = next((v for _, v, _ in reversed(labels[run_start - 1:]) if v), None)
                labels.append(("readout", voice or prev, ""))
                continue
        if default == "commentary" and cues.document_source and cues.document_source.search(par):
            # "..., the communique said": the parties of the document speak through it
            doc_voice = doc_voice or _parties_voice(voice, actors)
            labels.append(("readout", doc_voice, ""))
            doc_run = True
            continue
        if doc_run and default == "commentary" and labels and labels[-1] == ("readout", doc_voice, "") \
                and (not cued or voice is None or _among(voice, doc_voice)) and \
                not (cues.narrative and cues.narrative.search(par)) and not _PAST_EVENT.search(par):
            labels.append(("readout", doc_voice, ""))  # the document's content goes on
            continue
        doc_run = False
        if cued and default == "commentary" and cues.speech and not cues.speech.search(text, a, b) and \
                not (voice is None and labels and labels[-1][0] == "readout" and _PRONOUN_START.match(par)):
            # in a news text, "X and Y agreed" is narrative; a readout relays speech
            # ("They agreed ..." right after a readout goes on relaying it)
            cued = False
        if cued:
            if voice is None and labels and labels[-1][0] == "readout":
                voice = labels[-1][1]
            if voice is not None or default == "readout":
                labels.append(("readout", voice, ""))
                continue
        if default == "readout":
            prev = next((v for k, v, _ in reversed(labels) if k == "readout"), None)
            if prev is None:
                # the opening narrative of a readout ("On 9 May, the summit was held ...")
                # belongs to the first voice the readout gives (filled in below)
                opening[i] = next((x.key for x in here if x.type == "person" and x.key), None)
            labels.append(("readout", prev, ""))
            continue
        labels.append((default if default != "readout" else "commentary", None, ""))
    for i, fallback in opening.items():
        later = next((v for k, v, _ in labels[i + 1:] if k == "readout" and v), None)
        labels[i] = ("readout", later or fallback, labels[i][2])
    # links: a heading or lead-in takes the kind of the next labelled paragraph
    for i in range(len(labels) - 1, -1, -1):
        kind, voice, link = labels[i]
        if link == "next" and not kind:
            nxt = labels[i + 1] if i + 1 < len(labels) else ("commentary", None, "")
            if voice and nxt[0] == "readout":
                # the lead-in's voice holds for the readout it introduces
                labels[i] = labels[i + 1] = ("readout", voice, "")
            else:
                labels[i] = (nxt[0] or "commentary", nxt[1], "")
        elif link == "next":
            labels[i] = (kind, voice, "")
    body = next((pars[i][0] for i, (k, _, _) in enumerate(labels) if k != "boilerplate"), pars[0][0])
    reporter = _reporter(text, actors, source, body, cues)
    segs: list[Seg] = []
    for i, ((a, b), (kind, voice, _)) in enumerate(zip(pars, labels)):
        rep = relayed.get(i, reporter) if kind == "readout" else None
        if kind in ("commentary", "boilerplate", "consensus"):
            voice = None
        if segs and segs[-1].kind == kind and segs[-1].voice == voice and segs[-1].reporter == rep:
            segs[-1].end = b
        else:
            segs.append(Seg(a, b, kind, voice, rep))
    return segs


# ---------------------------------------------------------------------- component
class Segmenter(MatchComponent):
    """spaCy component: writes segments to ``doc.spans[spans_key]``.

    Config (keyword-only): ``cues`` a JSON file of cue rules replacing the
    packaged ones (None: packaged), ``use_genre`` take ``doc._.genre`` as the
    default kind of body paragraphs, ``spans_key``. Voices come from
    ``doc.spans["actors"]`` when the actors component ran before; otherwise
    the segmenter finds actors itself with the packaged actor lexicon.
    """

    def __init__(self, nlp: Language, name: str = "segments", *, cues: str | None = None,
                 use_genre: bool = True, spans_key: str = SPANS_KEY):
        register_extensions()
        self.nlp = nlp
        self.name = name
        self.spans_key = spans_key
        self.cfg = {"cues": cues, "use_genre": use_genre, "spans_key": spans_key}
        if cues:
            try:
                data = json.loads(ensure_path(cues).read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError) as exc:
                raise InputError(f"{cues}: cannot read segment cues ({exc})") from None
        else:
            data = resource_json("segments", "cues.json")
        self.cues = Cues(data)
        self._finder = None

    def _actors(self, doc: Doc) -> list[Actor]:
        if "actors" in doc.spans:
            from .actors import actor_rows

            return [Actor(*row) for row in actor_rows(doc, "actors")]
        if self._finder is None:
            from .actors import ActorFinder
            from .lexicon import default_lexicon, default_patterns, default_states

            self._finder = ActorFinder(self.nlp.vocab, default_lexicon(), default_states(), default_patterns())
        return [Actor(doc[m.start].idx, doc[m.end - 1].idx + len(doc[m.end - 1]), m.type, m.key)
                for m in self._finder(doc)]

    def match(self, doc: Doc) -> list[Seg]:
        genre = doc._.genre if self.cfg["use_genre"] else None
        source = getattr(doc._, "source", None) if Doc.has_extension("source") else None
        from .actors import doc_text

        return segment(doc_text(doc), self._actors(doc), genre, source, self.cues, doc._.date)

    def set_annotations(self, doc: Doc, segs: list[Seg]) -> None:
        spans = []
        for s in segs:
            span = doc.char_span(s.start, s.end, label=s.kind, alignment_mode="expand")
            if span is None:
                continue
            span._.segment_kind = s.kind
            span._.voice = s.voice
            span._.reporter = s.reporter
            spans.append(span)
        doc.spans[self.spans_key] = spans

    def score(self, examples, **kwargs) -> dict:
        return Scorer.score_spans(examples, self.spans_key, getter=lambda d, k: d.spans.get(k, []),
                                  has_annotation=lambda d: self.spans_key in d.spans, **kwargs)

    # ------------------------------------------------------------------ serialisation
    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return srsly.msgpack_dumps({"cfg": self.cfg, "cues": self.cues.data})

    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = ()) -> "Segmenter":
        data = srsly.msgpack_loads(bytes_data)
        self.cfg.update(data["cfg"])
        self.spans_key = self.cfg["spans_key"]
        self.cues = Cues(data["cues"])
        return self

    def to_disk(self, path, *, exclude: Iterable[str] = ()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "cfg", self.cfg)
        srsly.write_json(path / "cues.json", self.cues.data)

    def from_disk(self, path, *, exclude: Iterable[str] = ()) -> "Segmenter":
        path = ensure_path(path)
        self.cfg.update(srsly.read_json(path / "cfg"))
        self.spans_key = self.cfg["spans_key"]
        self.cues = Cues(srsly.read_json(path / "cues.json"))
        return self


@Language.factory(
    "commitments_segments",
    assigns=["doc.spans"],
    requires=[],
    default_config={"cues": None, "use_genre": True, "spans_key": SPANS_KEY},
    default_score_weights={"segments_f": 1.0, "segments_p": 0.0, "segments_r": 0.0},
)
def make_segmenter(nlp: Language, name: str, cues: str | None, use_genre: bool, spans_key: str) -> Segmenter:
    return Segmenter(nlp, name, cues=cues, use_genre=use_genre, spans_key=spans_key)

"""Commitments (GUIDELINES section 3): who binds themselves to what, how firmly.

The component finds cue phrases with rules kept as data
(``resources/commitment_rules.json``, validated into :class:`CueRule`), then
for each cue:

1. voids it when a ``reject`` cue precedes it in the clause (a hope, a demand,
   an invitation, a recommendation, a condition);
2. chains it with what follows ("agreed to make efforts to build" starts the
   action at "build" and is ``qualified``);
3. cuts the action phrase and splits coordinated verb phrases into separate
   commitments (:func:`split_actions`);
4. resolves the holders from the subject: actor mentions (officials give
   their state), pronouns and "both sides" through the segment's voice or the
   document's parties (:func:`resolve_holders`);
5. sets kind, modality, deadline (:mod:`.deadlines`) and the points item.

Candidates are then scored by :func:`score_candidates`: with ``model: null``
every rule candidate is kept with its rule confidence. A trained classifier
(issue 5) plugs in there.

It runs on a trained pipeline (tags and parse refine verbs and subjects) and
on a blank one (a verb lexicon stands in for the tagger).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy

import srsly
from spacy import util
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.attrs import IDX, IS_SPACE, LENGTH, LOWER
from spacy.tokens import Doc, Span
from spacy.util import SimpleFrozenList

from ..packaged import resource_json, resource_text
from .base import MatchComponent
from .actors import doc_text
from .deadlines import find_deadline, find_event_deadline, scheduled_event_deadline, scheduled_events
from .extensions import register_extensions, set_span_values, span_table

__all__ = ["CueRule", "Candidate", "load_rules", "default_rules", "split_actions",
           "resolve_holders", "score_candidates", "CommitmentTagger", "make_commitment_tagger"]

CATEGORIES = ("commit", "extend", "reject", "context")
_PRONOUNS_SELF = {"we", "our", "us", "i"}
_PRONOUNS_OTHER = {"they", "it", "he", "she", "their", "its"}
_PARTY_NOUNS = {"sides", "side", "leaders", "countries", "nations", "governments", "members",
                "ministers", "parties", "officials", "participants", "states", "partners",
                "delegations", "economies", "three", "two", "both", "all"}
_SKIP = {"also", "now", "then", "therefore", "thus", "likewise", "still", "hence", "accordingly"}
_GROUP_BODIES = {"G7", "G8", "G20", "ASEAN", "APEC", "BRICS", "EU", "UN", "Quad", "NATO", "SCO",
                 "OECD", "AU", "GFSEC", "WTO", "IMF"}
_GOVERNMENT = re.compile(r"ministry|government|cabinet|embassy|state council|mofa|self-defen[cs]e force|armed forces|"
                         r"liberation army|coast guard|"
                         r"white house|kantei|foreign office|department of", re.I)
#: groups that meet as a summit and speak as "we" in their own texts
_SUMMIT_GROUPS = {"G7", "G8", "G20", "ASEAN", "APEC", "BRICS", "EU", "Quad", "NATO", "SCO", "AU"}
#: a forum meeting as such acts as a body (GUIDELINES section 2)
_FORUM = re.compile(r"\b(?:forum|conference|dialogue)\b", re.I)
_PASSIVE_IRREGULAR = {"held", "made", "set", "built", "taken", "given", "done", "kept", "put",
                      "sent", "met", "brought", "led", "run", "shown", "seen", "written", "sought",
                      "laid", "paid", "told", "found", "left", "spent", "won", "begun", "drawn"}
_REPORTING = re.compile(r"^,?\s*(?:\"|”)?\s*(?:the\s+\w+\s+)?(?:it|he|she|they|statement|ministry|"
                        r"spokesman|spokesperson|official|officials|report|source)?\s*"
                        r"(?:said|added|says|noted|stated|according)\b", re.I)
#: ", Seoul said on Tuesday", ", Prime Minister Abe told reporters": a named source
_REPORTING_NAME = re.compile(r"^,?\s*(?:\"|”)?\s*(?:[A-Z][\w.'’-]*\s+){1,4}(?:said|added|says|noted|stated|told)\b")


# ---------------------------------------------------------------------- rules
@dataclass
class CueRule:
    """One cue rule, as in ``commitment_rules.json``.

    category: ``commit`` | ``extend`` | ``reject`` | ``context``.
    trigger: a phrase matched on lower-case tokens, or pattern: a spaCy
    ``Matcher`` token pattern. modality: ``firm`` | ``qualified``. kind:
    ``agreement`` | ``pledge`` | None (from the holders). include: the cue is
    part of the action. action_from: the action starts at this token of the
    cue ("meeting to be held": 2 starts it at "be"). needs_subject: only with a party or a passive as
    subject. needs_context: only after a ``context`` cue in the sentence.
    """

    category: str
    trigger: str | None = None
    pattern: list[dict] | None = None
    modality: str = "firm"
    kind: str | None = None
    include: bool = False
    action_from: int | None = None
    needs_subject: bool = False
    needs_context: bool = False
    comment: str | None = None

    _KEYS = ("category", "trigger", "pattern", "modality", "kind", "include", "action_from", "needs_subject",
             "needs_context", "comment")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "CueRule":
        if not isinstance(data, dict):
            raise ValueError(f"a cue rule must be an object, got {data!r}")
        unknown = set(data) - set(cls._KEYS)
        if unknown:
            raise ValueError(f"unknown key(s) in cue rule {data!r}: {', '.join(sorted(unknown))}")
        rule = cls(**data)
        if rule.category not in CATEGORIES:
            raise ValueError(f"cue rule category must be one of {', '.join(CATEGORIES)}: {data!r}")
        if bool(rule.trigger) == bool(rule.pattern):
            raise ValueError(f"a cue rule needs exactly one of 'trigger' and 'pattern': {data!r}")
        if rule.modality not in ("firm", "qualified"):
            raise ValueError(f"modality must be 'firm' or 'qualified': {data!r}")
        if rule.kind not in (None, "agreement", "pledge"):
            raise ValueError(f"kind must be 'agreement', 'pledge' or null: {data!r}")
        return rule

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"category": self.category}
        for key in self._KEYS[1:]:
            value = getattr(self, key)
            if value not in (None, False) and not (key == "modality" and value == "firm"):
                out[key] = value
        return out

    def token_pattern(self) -> list[dict]:
        if self.pattern:
            return self.pattern
        return [{"LOWER": w} for w in self.trigger.lower().split()]

    def regex(self) -> str | None:
        """The cue as a regular expression over the document text (see
        :func:`pattern_regex`), or ``None`` when its pattern uses a feature
        the translation does not cover (the ``Matcher`` then runs it)."""
        return pattern_regex(self.token_pattern())


_WORD = r"(?<![^\W_])[^\W_]+(?![^\W_])"
_WORD_RUN = re.compile(r"[^\W_]+")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+")
_ANY_TOKEN = rf"(?:{_WORD}|[^\w\s])"


def _words_rx(words: Iterable[str]) -> str:
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


def _whole(rx: str) -> str:
    """``rx`` as a whole token: no letter or digit glued on either side."""
    return rf"(?<![^\W_])(?:{rx})(?![^\W_])"


def _token_rx(spec: dict) -> str | None:
    """One ``Matcher`` token spec as a regex for one token, or ``None``."""
    body = None
    guards = []
    for key, value in spec.items():
        if key == "OP":
            continue
        if key in ("LOWER", "ORTH"):
            flag = "(?i:{})" if key == "LOWER" else "{}"
            if isinstance(value, str):
                literal = flag.format(re.escape(value))
                # punctuation ("(", ")") is a token of its own even when glued to
                # a word ("(ASEM)"): only a literal with word characters needs
                # whole-token guards
                body = _whole(literal) if re.search(r"[^\W_]", value) else f"(?:{literal})"
            elif isinstance(value, dict) and set(value) <= {"IN", "NOT_IN"}:
                if "IN" in value:
                    body = _whole(flag.format(_words_rx(value["IN"])))
                if "NOT_IN" in value:
                    guards.append("(?!" + _whole(flag.format(_words_rx(value["NOT_IN"]))) + ")")
            else:
                return None
        elif key == "IS_ALPHA" and value is True:
            guards.append(r"(?=[^\W\d_]+(?![^\W_]))")
        elif key == "IS_SENT_START" and value is False:
            continue  # cues never cross a sentence start (checked on the tokens)
        else:
            return None
    return "".join(guards) + (body or _ANY_TOKEN)


def _first_words(pattern: list[dict]) -> set[str] | None:
    """The lower-case words a pattern can start with, or ``None`` when it can
    start with any token."""
    if not pattern or pattern[0].get("OP") not in (None, "+"):
        return None
    spec = pattern[0]
    for key in ("LOWER", "ORTH"):
        value = spec.get(key)
        if isinstance(value, str):
            return {value.lower()}
        if isinstance(value, dict) and "IN" in value:
            return {w.lower() for w in value["IN"]}
    return None


def pattern_regex(pattern: list[dict]) -> str | None:
    """A ``Matcher`` token pattern as a regex over text (the common subset:
    ``LOWER``/``ORTH`` strings, ``IN``, ``NOT_IN``, ``IS_ALPHA``,
    ``IS_SENT_START: false`` and the ``?``, ``*``, ``+``, ``{m,n}``
    operators), or ``None``. Tokens are separated by at most one space, as in
    a spaCy ``Doc`` (a line break or a second space is a token of its own)."""
    parts = []
    for n, spec in enumerate(pattern):
        rx = _token_rx(spec)
        if rx is None:
            return None
        op = spec.get("OP")
        sep = "" if n == 0 else "[ ]?"
        if op is None:
            parts.append(sep + rx)
        elif op in ("?", "*", "+") or re.fullmatch(r"\{\d*,?\d*\}", op):
            parts.append(f"(?:{sep}{rx}){op}")
        else:
            return None
    return "".join(parts)


def load_rules(data: Any) -> list[CueRule]:
    """Rules from a parsed JSON document (``{"rules": [...]}`` or a list)."""
    if isinstance(data, dict):
        unknown = set(data) - {"rules", "description"}
        if unknown:
            raise ValueError(f"unknown key(s) in rule file: {', '.join(sorted(unknown))}")
        data = data.get("rules", [])
    if not isinstance(data, list):
        raise ValueError("a rule file holds a list of rules")
    return [CueRule.from_dict(r) for r in data]


def default_rules() -> list[CueRule]:
    return load_rules(resource_json("commitment_rules.json"))


def _verb_lexicon() -> frozenset[str]:
    words = []
    for line in resource_text("action_verbs.txt").splitlines():
        line = line.split("#", 1)[0]
        words.extend(line.split())
    return frozenset(w.lower() for w in words)


# ---------------------------------------------------------------------- candidates
@dataclass
class Candidate:
    """A proposed commitment: token offsets of the action, and attributes."""

    start: int
    end: int
    holders: list[str]
    kind: str
    modality: str
    trigger: str
    confidence: float = 0.7
    deadline: str | None = None
    points_id: str | None = None
    item_label: str | None = None
    features: dict[str, Any] = field(default_factory=dict)


def score_candidates(doc: Doc, candidates: list[Candidate], model: Any = None) -> list[float]:
    """The seam for a trained classifier: one score in [0, 1] per candidate.

    With no model, the rule confidence is the score. A model (issue 5) is any
    object with ``predict_proba(doc, candidates) -> list[float]``.
    """
    if model is None:
        return [c.confidence for c in candidates]
    return list(model.predict_proba(doc, candidates))


class _LowerCase:
    """``doc[i].lower_`` computed on first use (most tokens are never read).
    Kept as the reference for :func:`token_lowers` (tests/test_fast_paths.py)."""

    __slots__ = ("doc", "cache")

    def __init__(self, doc: Doc):
        self.doc = doc
        self.cache: dict[int, str] = {}

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self.doc)))]
        low = self.cache.get(i)
        if low is None:
            low = self.cache[i] = self.doc[i].lower_
        return low

    def __len__(self) -> int:
        return len(self.doc)


def token_lowers(doc: Doc, cache: dict[int, str] | None = None) -> list[str]:
    """``[t.lower_ for t in doc]`` read from one ``LOWER`` array: the hashes
    go through ``cache`` (hash -> string, shared between documents) and the
    vocabulary's string store only on a miss; no ``Token`` is built."""
    if cache is None:
        cache = {}
    hashes = doc.to_array(LOWER).tolist()
    strings = doc.vocab.strings
    for h in set(hashes).difference(cache):
        cache[h] = strings[h]
    return list(map(cache.__getitem__, hashes))


_STATE_CODE = re.compile(r"[A-Z]{3}")


def _holders(kind: str | None, key: str | None, country: str | None) -> list[str]:
    """Holder keys of an actor mention with these attributes (a collective's
    members, a person's or a government body's state, else the key)."""
    if not key:
        return []
    if kind == "collective":
        return key.split("+")
    if kind == "person":
        return [country or key]
    if kind == "organization" and country and _GOVERNMENT.search(key):
        return [country]
    return [key]


class _DocView:
    """Per-document lookups shared by the steps (built once per ``Doc``)."""

    def __init__(self, doc: Doc, verbs: frozenset[str], lowers: dict[int, str] | None = None):
        self.doc = doc
        self.verbs = verbs
        self.tagged = doc.has_annotation("TAG")
        self.parsed = doc.has_annotation("DEP")
        self.lower = token_lowers(doc, lowers)
        self.actor_at: dict[int, Span] = {}
        actors = list(doc.spans["actors"]) if "actors" in doc.spans else []
        self.actors = sorted(actors, key=lambda s: s.start)
        rows = span_table(self.actors, ("actor_key", "actor_country", "actor_type"))
        for span, (start, end, *_) in zip(self.actors, rows):
            for i in range(start, end):
                self.actor_at[i] = span
        self.segments = sorted(doc.spans["segments"], key=lambda s: s.start) \
            if "segments" in doc.spans else []
        self.items = list(doc.spans["point_items"]) if "point_items" in doc.spans else []
        self.lists = {s._.points_id: s for s in doc.spans["points"]} if "points" in doc.spans else {}
        self.actor_rows = rows  # (start, end, start_char, end_char, key, country, type)
        self.key_country = {key: country for *_, key, country, _ in rows if key}
        self.key_type = {key: kind for *_, key, _, kind in rows if key}
        self._breaks: list[int] | None = None
        self._break_set: frozenset[int] | None = None
        self._bounds: tuple[list[int], list[int]] | None = None
        self._quotes: tuple[list[int], list[int], list[int]] | None = None
        self._parties: list[str] | None = None

    def line_breaks(self) -> list[int]:
        """Indices of the whitespace tokens holding a line break (sorted)."""
        if self._breaks is None:
            doc, text = self.doc, doc_text(self.doc)
            self._breaks = []
            if len(doc):
                cols = doc.to_array([IS_SPACE, IDX, LENGTH])
                for i in numpy.flatnonzero(cols[:, 0]).tolist():
                    a = int(cols[i, 1])
                    if "\n" in text[a:a + int(cols[i, 2])]:
                        self._breaks.append(i)
        return self._breaks

    def _offsets(self) -> tuple[list[int], list[int]]:
        """Each token's first and end character offsets."""
        if self._bounds is None:
            cols = self.doc.to_array([IDX, LENGTH])
            self._bounds = (cols[:, 0].tolist(), (cols[:, 0] + cols[:, 1]).tolist())
        return self._bounds

    def text_of(self, a: int, b: int) -> str:
        """``doc[a:b].text`` (0 <= a, b <= len(doc)) as a slice of the
        document's text, without a ``Span``."""
        if b <= a:
            return ""
        starts, ends = self._offsets()
        return doc_text(self.doc)[starts[a]:ends[b - 1]]

    def is_break(self, i: int) -> bool:
        """Token ``i`` is whitespace holding a line break (``doc[i].is_space
        and "\\n" in doc[i].text``), from :meth:`line_breaks`."""
        if self._break_set is None:
            self._break_set = frozenset(self.line_breaks())
        return i in self._break_set

    def quote_marks(self) -> tuple[list[int], list[int], list[int]]:
        """Sorted indices of the tokens '"', '“' and '”'."""
        if self._quotes is None:
            straight, opening, closing = [], [], []
            marks = {'"': straight, "“": opening, "”": closing}
            for i, low in enumerate(self.lower):
                if low in marks:
                    marks[low].append(i)
            self._quotes = (straight, opening, closing)
        return self._quotes

    # -- tokens ---------------------------------------------------------------
    def is_verb(self, i: int, allow_gerund: bool = False) -> bool:
        if self.tagged:
            tok = self.doc[i]
            if tok.tag_ in ("VB", "VBP") or (allow_gerund and tok.tag_ == "VBG"):
                return True
            if tok.tag_.startswith("NN") and i > 0 and self.lower[i - 1] in ("and", ",", "to", "or"):
                return self.lower[i] in self.verbs and tok.tag_ == "NN" and self._bare_next(i)
            return False
        low = self.lower[i]
        if low in self.verbs:
            return True
        return allow_gerund and _ing_form(self, i)

    def _bare_next(self, i: int) -> bool:
        nxt = self.doc[i + 1] if i + 1 < len(self.doc) else None
        return nxt is not None and nxt.tag_ in ("DT", "PRP$", "JJ", "NNS", "NN", "IN", "RB")

    def is_adverb(self, i: int) -> bool:
        if self.tagged:
            return self.doc[i].tag_ == "RB"
        return self.lower[i].endswith("ly") or self.lower[i] in ("further", "jointly", "not")

    def is_participle(self, i: int) -> bool:
        if self.tagged:
            return self.doc[i].tag_ == "VBN"
        low = self.lower[i]
        return low.endswith("ed") or low.endswith("en") or low in _PASSIVE_IRREGULAR

    # -- context --------------------------------------------------------------
    def segment(self, i: int) -> Span | None:
        for seg in self.segments:
            if seg.start <= i < seg.end:
                return seg
        return None

    def item(self, i: int) -> Span | None:
        best = None
        for it in self.items:
            if it.start <= i < it.end and (best is None or it.start >= best.start):
                best = it
        return best

    def holders_of(self, span: Span) -> list[str]:
        return _holders(span._.actor_type, span._.actor_key, span._.actor_country)

    def voice_holder(self, voice: str) -> str:
        """The holder a segment voice stands for: a person's or a government
        body's state; a non-state body in its own name ("we" in a Genron
        NPO text is Genron NPO, not Japan)."""
        country = self.key_country.get(voice)
        kind = self.key_type.get(voice)
        if not country or len(voice) == 3:
            return voice
        if kind == "organization" and not _GOVERNMENT.search(voice):
            return voice
        return country

    def parties(self) -> list[str]:
        """The document's parties: its collective, else its group body, else
        its most mentioned states."""
        if self._parties is None:
            counts: dict[str, int] = {}
            for *_, key, _, kind in self.actor_rows:
                if kind == "collective" and key:
                    counts[key] = counts.get(key, 0) + 1
            if counts:
                self._parties = max(counts, key=counts.get).split("+")
            else:
                groups: dict[str, int] = {}
                states: dict[str, int] = {}
                for *_, key, country, kind in self.actor_rows:
                    if kind == "organization" and (key in _GROUP_BODIES
                                                   or key and _FORUM.search(key)):
                        groups[key] = groups.get(key, 0) + 1
                    for h in _holders(kind, key, country):
                        if _STATE_CODE.fullmatch(h):
                            states[h] = states.get(h, 0) + 1
                if groups and max(groups.values()) >= 2:
                    # a tie goes to a summit group (G7) over an organisation (OECD)
                    group = max(groups, key=lambda g: (groups[g], g in _SUMMIT_GROUPS))
                    self._parties = sorted([group, *self._partner(group)])
                else:
                    top = sorted(states.items(), key=lambda kv: -kv[1])
                    self._parties = sorted(k for k, n in top[:3] if n >= max(2, top[0][1] // 4)) \
                        if top else []
        return list(self._parties)

    def _partner(self, group: str) -> list[str]:
        """The state a group body meets as a dialogue partner, written
        hyphenated with it at least twice ("the ASEAN-China Summit": ASEAN
        and China are the parties), else nothing."""
        text = doc_text(self.doc)
        names: dict[str, set[str]] = {}
        for span in self.actors:
            if span._.actor_type == "state" and span._.actor_key:
                names.setdefault(span._.actor_key, set()).add(span.text)
        for key, surfaces in names.items():
            alts = "|".join(re.escape(n) for n in sorted(surfaces, key=len, reverse=True))
            rx = rf"\b{re.escape(group)}[-–](?:{alts})\b|\b(?:{alts})[-–]{re.escape(group)}\b"
            if len(re.findall(rx, text, flags=re.I)) >= 2:
                return [key]
        return []


#: verbs that after "will"/"would" state an attitude or a request, not an action
_NON_ACTIONS = {"like", "love", "recommend", "urge", "hope", "wish", "expect", "appreciate",
                "note", "welcome", "suggest", "prefer"}
#: conditions: a cue after them in the clause is not an undertaking
_CONDITION = re.compile(r"\b(?:as long as|so long as|provided that|on condition that|"
                        r"in order for|in case)\b", re.I)


#: reject cues that state a condition: they void even a scheduled event
_CONDITION_WORDS = {"if", "whether", "unless", "could", "might", "may"}


#: conjunctions opening a subordinate clause that is no condition
_SUBORDINATORS = {"although", "though", "while", "whereas", "since", "because", "after", "before",
                  "when", "despite"}


def _outside_subordinate(view: _DocView, reject: int, cue: int, lo: int) -> bool:
    """Whether the reject cue at ``reject`` sits in a subordinate clause
    ("although attention had focused on whether X would ...") that a comma
    closes before the main clause holding the cue ("..., Tokyo and Beijing
    agreed not to ..."): the reject does not reach the cue."""
    k = reject - 1
    while k >= lo and view.lower[k] != "," and view.lower[k] not in _SUBORDINATORS:
        k -= 1
    if k < lo or view.lower[k] not in _SUBORDINATORS:
        return False
    kind, start, _ = find_subject(view, cue, reject)
    return kind in ("actor", "party", "self") and any(
        view.lower[m] == "," for m in range(reject + 1, start))


def _cue_token(rule: CueRule, s: int, e: int) -> int:
    """The token where a rule's ``action_from`` starts the action: counted
    from the cue's start, or from its end when negative ("Meeting of the
    Central Banks to be held": -2 is "be")."""
    return min(s + rule.action_from, e) if rule.action_from >= 0 else max(s, e + rule.action_from)


def _subject_before(view: _DocView, cue: int, start: int) -> bool:
    """With a parse: whether the subject of the cue's verb starts before
    ``start`` (the action being cut is part of that subject)."""
    if not view.parsed:
        return False
    tok = view.doc[cue]
    verb = tok.head if tok.dep_ in ("aux", "auxpass") else tok
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subj is not None and subj.i < start <= verb.i


_COMPLEMENT_VERBS = {"ensure", "ensuring", "ensures", "guarantee", "guaranteeing", "guarantees"}


def _complement(view: _DocView, subj: int, floor: int) -> bool:
    """Whether the subject at ``subj`` opens a complement clause of the
    action before it ("ensure (that) X will ...", "so that X will ...") or
    a condition on it ("notification will be required if either country
    decides to ..."): the clause stays in the action."""
    k = subj - 1
    if k > floor and view.lower[k] == "that":
        if view.lower[k - 1] == "so":
            return True
        k -= 1
    if k >= floor and (view.lower[k] in _COMPLEMENT_VERBS or view.lower[k] in ("if", "unless")):
        return True
    return _wh_clause(view, subj, floor)


_WH_WORDS = {"how", "whether", "why"}


def _wh_clause(view: _DocView, subj: int, floor: int) -> bool:
    """The subject at ``subj`` opens an embedded question of the action
    before it ("discuss how the United States and China can continue to
    ..."): the wh-word comes right before the subject or before a
    coordination of parties ending at it."""
    k = subj - 1
    verb = False
    while k >= floor and k > subj - 10:
        low = view.lower[k]
        if low in _WH_WORDS:
            return view.lower[k + 1] != "to"  # "how to proceed" is no clause with a subject
        if not verb and k + 2 == subj and view.lower[k + 1] == "and" and low.isalpha() \
                and k not in view.actor_at:
            verb = True  # "how the two governments understand and seek to"
        elif not (k in view.actor_at or low in ("and", "the", ",") or low in _PARTY_NOUNS
                  or low in _MODALS or low in _PRONOUNS_SELF or low in _PRONOUNS_OTHER
                  or view.is_adverb(k)):
            return False
        k -= 1
    return False


_MODALS = {"can", "could", "will", "would", "shall", "should", "may", "might", "must"}


def _scheduled(view: _DocView, rule: CueRule, s: int, e: int) -> bool:
    """A cue that schedules an event ("the meeting to be held in Tokyo"):
    its action starts at "be" inside the cue."""
    if rule.action_from is None:
        return False
    k = _cue_token(rule, s, e)
    return k < e and view.lower[k] == "be"


def _coordinated(view: _DocView, cue: int, floor: int) -> bool:
    """Whether the cue at ``cue`` follows "and", "," or "or" (adverbs
    skipped): it shares the subject of the cue before it."""
    i = cue - 1
    while i >= floor and view.is_adverb(i) and view.lower[i] != "not":
        i -= 1
    return i >= floor and view.lower[i] in ("and", ",", "or")


_ADJ_END = ("ble", "ive", "ful", "ous", "ant", "ent", "ic", "ary", "ial", "ical", "less", "er")


def _predicate(view: _DocView, start: int, hi: int) -> bool:
    """An action that only describes a state: "be inevitable", "become
    increasingly wide", "be interesting to see"."""
    if view.lower[start] not in ("be", "become", "remain", "seem") or view.lower[start] == "remain":
        return False
    k = start + 1
    while k < hi and view.is_adverb(k) and view.lower[k] != "not":
        k += 1
    if k >= hi:
        return False
    if view.tagged:
        return view.doc[k].tag_ in ("JJ", "JJR", "JJS")
    low = view.lower[k]
    if low in _STATE_ADJECTIVES or low.endswith("ing") and not _ing_form(view, k):
        return True  # "become increasingly wide", "be interesting to see"
    return low.endswith(_ADJ_END) and low not in view.verbs and low not in ("partner", "member")


#: with no tagger: common adjectives of forecasts and assessments that
#: :data:`_ADJ_END` misses ("the gap will become wide"); "open" is not one
#: of them ("the club will be open to all countries" is an undertaking)
_STATE_ADJECTIVES = {"wide", "wider", "large", "larger", "high", "higher", "low", "lower", "hard",
                     "harder", "easy", "easier", "difficult", "likely", "unlikely", "clear", "unclear",
                     "necessary", "important", "crucial", "different", "similar", "better", "worse",
                     "tough", "tougher", "slow", "slower", "fast", "faster", "long", "longer"}


#: common nouns naming a body that can act ("the forum seeks to")
_BODY_NOUNS = {"forum", "dialogue", "conference", "group", "club", "fund", "committee", "council",
               "commission", "secretariat", "board", "panel", "network", "initiative", "alliance",
               "partnership", "organization", "organisation", "agency", "bank", "institute",
               "association", "mechanism", "meeting", "summit", "ministers", "leaders", "members"}


def _agent_noun(view: _DocView, subj_start: int, cue: int) -> bool:
    """Whether the noun subject ending right before ``cue`` names a body
    that can act: a capitalised name ("the Next Generation Dialogue") or a
    body noun ("the forum"), unlike "emissions" or "the agenda"."""
    k = cue - 1
    while k > subj_start and (view.is_adverb(k) or view.lower[k] in ("is", "are", "was", "were", "also")):
        k -= 1
    if k < subj_start:
        return False
    tok = view.doc[k]
    return view.lower[k] in _BODY_NOUNS or (tok.is_title and not tok.is_sent_start and k > subj_start) \
        or (tok.is_upper and len(tok) > 1)


_PAST_CUES = {"decided", "resolved", "pledged", "vowed", "promised", "committed", "undertook",
              "planned", "intended", "aimed", "sought"}
_YEAR_RX = re.compile(r"\b(?:19|20)\d\d\b")


def _past_decision(view: _DocView, rule: CueRule, chain, s: int, lo: int, hi: int) -> bool:
    """A single party's decision reported as past history: a past-tense cue
    ("decided to", "pledged to") not presented as an agreement, in a clause
    that dates it to a year before the document ("in 2012 Japan decided
    to ..."). It is a past action, not a standing commitment."""
    if view.lower[s] not in _PAST_CUES or any(r.kind == "agreement" for r in chain):
        return False
    date = view.doc._.date
    if not date or len(date) < 4 or not date[:4].isdigit():
        return False
    years = [int(y) for y in _YEAR_RX.findall(view.doc[lo:hi].text)]
    return any(y < int(date[:4]) for y in years)


def _deadline(doc: Doc, text: str, cand: Candidate, sent_starts: Sequence[int],
              offsets: tuple[list[int], list[int]] | None = None) -> str | None:
    """The deadline of a candidate: a time expression in its span, else in
    the rest of its sentence after the span ("... to realize a visit by the
    president as a state guest next spring"), which often carries the date of
    a scheduled action outside the action phrase. A year that only names an
    event ("the 2024 Rio Summit") gives way to a time of the action anywhere
    in those two places ("... will be published in November 2024"); without
    one, the years of the events named in the span itself are the deadline
    (``deadlines.find_event_deadline``). With no
    time expression at all, an action of a scheduled meeting or visit ("the
    Leaders will discuss ...") takes the date of the event from an earlier
    sentence (``deadlines.scheduled_event_deadline``)."""
    if offsets is None:
        offsets = ([t.idx for t in doc], [t.idx + len(t) for t in doc])
    starts, ends = offsets  # each token's first and end character
    a, b = starts[cand.start], ends[cand.end - 1]
    date = doc._.date
    si = bisect.bisect_right(sent_starts, cand.start)
    stop = starts[sent_starts[si]] if si < len(sent_starts) else len(text)
    for window in (text[a:b], text[b:stop]):
        found = find_deadline(window, date, attributive=False)
        if found is not None:
            return found.value
    # no time of the action: the year(s) of the events its own span names;
    # an event named after the span belongs to another clause
    event = find_event_deadline(text[a:b], date)
    if event is not None:
        return event
    first = si - 1  # the candidate's sentence
    begin = starts[sent_starts[first]] if first >= 0 else 0
    lookback = scheduled_events().lookback
    previous = [text[starts[sent_starts[k]]:starts[sent_starts[k + 1]]] for k in range(max(0, first - lookback), first)]
    return scheduled_event_deadline(text[a:b], text[begin:stop], text[begin:a], previous, date)


def _headline(view: _DocView, lo: int, hi: int) -> bool:
    """A title-case line (a headline): its cues are not annotated."""
    if hi - lo > 25:
        return False
    # token texts as slices of the document text (spaCy's is_alpha, is_title
    # and is_upper are str.isalpha, str.istitle and str.isupper of the text)
    words = [w for w in (view.text_of(k, k + 1) for k in range(lo, hi)) if w.isalpha() and len(w) > 3]
    if len(words) < 3:
        return False
    return sum(w.istitle() or w.isupper() for w in words) >= 0.8 * len(words)


# ---------------------------------------------------------------------- algorithm
def _clause_bounds(view: _DocView, lo: int, hi: int) -> list[tuple[int, int]]:
    """Pieces of the sentence ``[lo, hi)`` between hard boundaries (line breaks)."""
    breaks = view.line_breaks()
    k = bisect.bisect_left(breaks, lo)
    if k == len(breaks) or breaks[k] >= hi:
        return [(lo, hi)]
    pieces, start = [], lo
    for i in breaks[k:bisect.bisect_left(breaks, hi)]:
        if i > start:
            pieces.append((start, i))
        start = i + 1
    if start < hi:
        pieces.append((start, hi))
    return pieces


#: auxiliaries and copulas between a subject and its cue ("the three
#: countries have also agreed to", "Japan stands ready to")
_AUX_SKIP = {"have", "has", "had", "is", "are", "was", "were", "be", "been", "am", "stand", "stands",
             "stood", "remain", "remains", "remained", "will", "would", "shall"}


def _scan_back(view: _DocView, i: int, floor: int) -> int:
    """The last token at or before ``i`` that can end a subject: skips
    adverbs, quotes, auxiliaries and a parenthesis ("the OECD (OECD) will")."""
    while i >= floor:
        low = view.lower[i]
        if low in _SKIP or low in _AUX_SKIP or low in ('"', "“", "”", "both", "all", "each") \
                or (view.is_adverb(i) and low != "not"):
            i -= 1
        elif low == ")":
            k = i - 1
            while k >= floor and k > i - 12 and view.lower[k] != "(":
                k -= 1
            if k < floor or view.lower[k] != "(":
                return i
            i = k - 1
        else:
            return i
    return i


def _coordinated_subject(view: _DocView, lo: int, cue: int,
                         fallback: bool = True) -> tuple[str, int, list[Span]] | None:
    """The subject of the verb a cue is coordinated with: the nearest clause
    before it (after a comma, "while", "whereas", "but") that opens with a
    party followed by a verb ("..., while the Japanese side welcomes X and
    will provide Y"), else the party the sentence opens with."""
    for b in range(cue - 2, lo, -1):
        if view.lower[b - 1] in (",", ";", "while", "whereas", "but"):
            found = _clause_subject(view, b, cue)
            if found is not None and found[0] in ("actor", "party", "self"):
                end = found[2][-1].end if found[2] else found[1] + 1
                while end < cue and view.lower[end] in _SKIP | {"side", "sides", "two", "three", "both"}:
                    end += 1
                if end < cue and _finite(view, end):
                    return found
    return _clause_subject(view, lo, cue) if fallback else None


def _finite(view: _DocView, k: int) -> bool:
    """A finite verb at ``k`` ("welcomes", "agreed", "will")."""
    if view.tagged:
        return view.doc[k].tag_ in ("VBD", "VBZ", "VBP", "MD")
    low = view.lower[k]
    return low in _CLAUSE_VERBS or low in _AUX_SKIP or (low.endswith("s") and low[:-1] in view.verbs) \
        or (low.endswith("es") and low[:-2] in view.verbs) or (low.endswith("ed") and (
            low[:-2] in view.verbs or low[:-1] in view.verbs))


def _clause_subject(view: _DocView, lo: int, hi: int) -> tuple[str, int, list[Span]] | None:
    """The subject at the start of the clause ``[lo, hi)``: a party named
    first ("Both sides positively evaluated X, and will continue to Y"), for
    a cue coordinated with the clause's first verb. ``None`` when the
    clause does not open with a party."""
    k = lo
    while k < hi and (view.doc[k].is_space or view.doc[k].is_punct or view.lower[k] in _SKIP
                      or view.lower[k] in ("but", "meanwhile", "moreover", "furthermore")):
        k += 1
    if k >= hi:
        return None
    start = k
    if view.lower[k] in ("the", "both") and k + 1 < hi and k + 1 in view.actor_at:
        k += 1
    if k in view.actor_at:
        spans = [view.actor_at[k]]
        j = spans[-1].end
        while j + 1 < hi and view.lower[j] in ("and", ",") and j + 1 in view.actor_at:
            spans.append(view.actor_at[j + 1])
            j = spans[-1].end
        return "actor", start, spans
    low = view.lower[k]
    if low in _PRONOUNS_SELF:
        return "self", k, []
    if low in _PRONOUNS_OTHER and low not in ("their", "its"):
        return "other", k, []
    words = set(view.lower[k:min(hi, k + 4)])
    if words & {"sides", "leaders", "countries", "nations", "parties"} and \
            words & {"both", "two", "three", "the", "all"}:
        return "party", k, []
    return None


def _inside_noun(view: _DocView, start: int, floor: int) -> bool:
    """Whether the actor starting at ``start`` follows "of" after a noun
    that is no party head ("the combined GDP of the three countries"; not
    "the leaders of the two countries")."""
    k = start - 1
    if k < floor or view.lower[k] != "of":
        return False
    return k - 1 >= floor and view.doc[k - 1].is_alpha and view.lower[k - 1] not in _PARTY_HEADS \
        and view.lower[k - 1] not in ("leaders", "ministers", "heads", "members")


#: nouns that open a cue ("commitment to", "keenness to"): their holder is
#: the subject of the verb they are the object of
_CUE_NOUNS = {"commitment", "commitments", "pledge", "pledges", "determination", "resolve",
              "resolution", "decision", "consensus", "intention", "intentions", "intent", "keenness",
              "readiness", "willingness", "eagerness"}


def _past_verb(view: _DocView, k: int) -> bool:
    """A finite verb of reporting at ``k`` ("affirmed", "stressed")."""
    if view.tagged:
        return view.doc[k].tag_ in ("VBD", "VBZ", "VBP")
    return view.lower[k] in _CLAUSE_VERBS or view.lower[k] in ("affirmed", "stressed", "showed",
                                                                "demonstrated", "reiterated")


def find_subject(view: _DocView, cue_start: int, floor: int) -> tuple[str, int, list[Span]]:
    """The subject right before a cue: ``(kind, start, actor spans)`` where
    kind is ``actor``, ``self`` (we), ``other`` (they, it), ``party`` (the two
    sides), ``noun`` (anything else) or ``none``."""
    if view.parsed:
        found = _dep_subject(view, cue_start, floor)
        if found is not None:
            return found
    i = _scan_back(view, cue_start - 1, floor)
    if view.lower[cue_start] in _CUE_NOUNS:
        # "they affirmed (their strong) keenness to": the subject of the
        # verb whose object the cue noun is
        k = i
        while k >= floor and k > i - 3 and view.doc[k].is_alpha and k not in view.actor_at \
                and view.lower[k] not in _PRONOUNS_SELF | _PRONOUNS_OTHER and not _past_verb(view, k):
            k -= 1
        if k >= floor and _past_verb(view, k):
            i = _scan_back(view, k - 1, floor)
        elif k - 1 >= floor and view.lower[k] in ("'s", "'", "’s", "’") and k - 1 in view.actor_at:
            span = view.actor_at[k - 1]  # "the three countries' shared intent to"
            return "actor", span.start, [span]
    if i < floor:
        return "none", cue_start, []
    if view.lower[i] in ("which", "who", "that") and i - 1 >= floor and not view.parsed:
        # "a global challenge that continues to ...": the noun the
        # relative pronoun stands for (with a parse, the dependency says it)
        k = i - 1
        while k >= floor and view.lower[k] == ",":
            k -= 1
        if k >= floor and view.doc[k].is_alpha and k not in view.actor_at and not view.doc[k].is_stop \
                and view.lower[k] not in view.verbs and not view.lower[k].endswith("ed"):
            i = k
    if i in view.actor_at and _inside_noun(view, view.actor_at[i].start, floor):
        return "noun", view.actor_at[i].start, []  # "the combined GDP of the three countries"
    if i in view.actor_at:
        spans = [view.actor_at[i]]
        j = spans[0].start - 1
        # coordinated actors: "Japan and China", "Abe and Chinese Premier Li"
        while j >= floor:
            # a title or article before the name: "Biden and Chinese President
            # Xi Jinping", "the SDF and the People's Liberation Army"
            t = j
            while t >= floor and t > j - 3 and t not in view.actor_at and view.doc[t].is_alpha \
                    and (view.doc[t].is_title or view.lower[t] == "the") and not view.doc[t].is_sent_start:
                t -= 1
            skipped_the = any(view.lower[x] == "the" for x in range(t + 1, j + 1))
            if t != j and t >= floor and (view.lower[t] == "and" or not skipped_the and view.lower[t] == ","):
                j = t  # (not "Consistent with the IEA, the OECD will")
            if view.lower[j] in ("and", ",", "as well as"):
                k = j - 1
                while k >= floor and k not in view.actor_at and view.doc[k].is_alpha \
                        and view.doc[k].is_title and k > j - 4:
                    k -= 1
                if k >= floor and k in view.actor_at:
                    spans.insert(0, view.actor_at[k])
                    j = view.actor_at[k].start - 1
                    continue
            break
        start = spans[0].start
        while start - 1 >= floor and view.lower[start - 1] in ("the", "both"):
            start -= 1
        return "actor", start, spans
    low = view.lower[i]
    if low in _PRONOUNS_SELF:
        return "self", i, []
    if low in _PRONOUNS_OTHER:
        return "other", i, []
    tok = view.doc[i]
    if tok.is_alpha and not tok.is_stop:
        # walk back over the noun phrase
        j = i
        while j - 1 >= floor:
            if view.lower[j - 1] == "-" and j - 2 >= floor and not view.doc[j - 2].whitespace_:
                j -= 2  # "inter-Korean"
                continue
            if not view.doc[j - 1].text.isalnum() or view.doc[j - 1].is_digit or view.lower[j - 1] in (
                    "and", "that", "which", "who", "while", "as", "but", "said", "stated", "agreed",
                    "to") or view.lower[j - 1] in _COMPLEMENT_VERBS:
                break
            if view.tagged and view.doc[j - 1].tag_.startswith("VB"):
                break
            j -= 1
            if i - j > 6:
                break
        words = set(view.lower[j:i + 1])
        if (low in _PARTY_NOUNS or words & {"sides", "leaders", "countries", "nations"}) \
                and not (j - 1 >= floor and view.lower[j - 1] == "of") \
                and not ("of" in words and not words & {"leaders", "ministers", "governments"}):
            # "the combined GDP of the three countries" is a thing, "the
            # leaders of the two countries" the parties
            return "party", j, []
        named = [view.actor_at[k] for k in range(j, i) if k in view.actor_at]
        if low in _PARTY_HEADS and named:
            return "actor", j, named[-1:]  # "each G7 member", "the Chinese government"
        return "noun", j, []
    return "none", cue_start, []


#: head nouns that stand for the party named inside them ("Japan's government")
_PARTY_HEADS = {"government", "governments", "side", "sides", "administration", "leaders", "leader",
                "leadership", "ministry", "cabinet", "delegation", "delegations", "officials",
                "authorities", "military", "forces", "navy", "army", "people", "president",
                "minister", "premier", "chancellor", "representatives", "diplomats", "negotiators",
                "team", "state", "nation", "country", "parliament", "congress", "member", "members",
                "ministers", "envoys", "counterparts"}


def _dep_subject(view: _DocView, cue_start: int, floor: int) -> tuple[str, int, list[Span]] | None:
    """The subject of the cue's verb from the dependency parse (``None`` when
    the parse gives none before the cue; the caller then scans leftwards).

    "will" and "shall" hang on their verb; a conjoined or complement verb
    with no subject of its own takes its head's ("China and Japan agreed to
    X and pledged to Y"); "which"/"who" stand for the noun they modify.
    """
    doc = view.doc
    tok = doc[cue_start]
    verb = tok.head if tok.dep_ in ("aux", "auxpass") else tok
    if tok.lower_ in _CUE_NOUNS and tok.dep_ == "dobj":
        verb = tok.head  # "they affirmed keenness to": the verb's subject
    if verb.pos_ not in ("VERB", "AUX", "ADJ"):
        return None
    subj = None
    for _ in range(4):
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "expl")), None)
        if subj is not None or verb.dep_ not in ("conj", "xcomp", "acomp", "advcl") or verb.head is verb:
            break
        verb = verb.head
    if subj is None:
        return None
    if subj.lower_ in ("which", "who", "that") and verb.dep_ == "relcl":
        subj = verb.head
    if 0 < subj.i < len(doc) - 1 and doc[subj.i - 1].text == "(" and doc[subj.i + 1].text == ")":
        # a news dateline parsed as the subject: "(AP) – President Biden and
        # President Xi will hold ...", the real subject hangs on it as apposition
        subj = next((c for c in subj.children if c.dep_ == "appos"), None)
        if subj is None:
            return None
    if not floor <= subj.i < cue_start:
        return None
    if subj.dep_ == "expl":
        return "noun", subj.i, []
    spans: list[Span] = []
    for t in [subj, *subj.conjuncts]:
        span = view.actor_at.get(t.i)
        if span is None and t.lower_ in _PARTY_HEADS:
            # "Japan's government", "the Chinese government": the party named
            # inside (not in "the three countries' commitment will lead to")
            span = next((view.actor_at[c.i] for c in t.children
                         if c.dep_ in ("poss", "compound", "amod") and c.i in view.actor_at), None)
            if span is None and t.lower_ in _PARTY_HEADS:
                # "the foreign ministers of China, South Korea and Japan", "the
                # top diplomats for the three countries": the parties they are of
                for prep in t.children:
                    if prep.dep_ == "prep" and prep.lower_ in ("of", "for", "from"):
                        for obj in prep.children:
                            if obj.dep_ == "pobj":
                                for o in (obj, *obj.conjuncts):
                                    found = view.actor_at.get(o.i)
                                    if found is not None and found not in spans and floor <= found.start:
                                        spans.append(found)
        if span is not None and span not in spans and floor <= span.start:
            spans.append(span)
    left = max(floor, subj.left_edge.i)
    if spans:
        return "actor", min(left, spans[0].start), spans
    low = subj.lower_
    if low in _PRONOUNS_SELF:
        return "self", subj.i, []
    if low in _PRONOUNS_OTHER:
        return "other", subj.i, []
    # the head names the parties ("both sides", "the leaders of the two
    # countries"); "the combined GDP of the three countries" does not
    heads = {t.lower_ for t in (subj, *subj.conjuncts)}
    if (low in _PARTY_NOUNS or heads & {"sides", "leaders", "countries", "nations"}) and \
            not any(c.dep_ == "prep" and c.lower_ != "of" for c in subj.children):
        return "party", left, []
    return "noun", left, []


def resolve_holders(view: _DocView, kind: str, spans: list[Span], at: int,
                    agreement: bool) -> list[str]:
    """Holder keys for a subject found by :func:`find_subject`."""
    holders: list[str] = []
    if kind == "actor":
        for span in [*(_partners_before(view, spans[0].start) if spans else []), *spans]:
            holders.extend(view.holders_of(span))
    elif kind == "self":
        seg = view.segment(at)
        voice = seg._.voice if seg is not None else None
        if voice and not agreement and seg._.segment_kind in ("statement", "readout"):
            holders = [view.voice_holder(voice)]
        else:
            holders = view.parties()
    elif kind == "other":
        # the nearest actors before the pronoun, this sentence or the ones
        # before, that are not the object of a preposition ("a summit
        # between the U.S. and North Korea. They also vowed ...")
        for group in _actor_groups(view, [s for s in view.actors if s.end <= at and s.start >= at - 120]):
            k = group[0].start - 1
            while k >= 0 and view.lower[k] in ("the", "both"):
                k -= 1
            if k >= 0 and view.lower[k] in _OBJECT_PREPS:
                continue
            for s in group:
                holders.extend(view.holders_of(s))
            break
        if not holders:
            holders = view.parties()
    else:
        seg = view.segment(at)
        voice = seg._.voice if seg is not None else None
        body = _body_reference(view, at) if kind == "noun" else None
        if body is not None:
            holders = [body]
        elif kind == "none" and voice and not agreement:
            holders = [view.voice_holder(voice)]
        else:
            prev = [s for s in view.actors if s.end <= at and s.start >= at - 40]
            if kind == "none" and prev:
                holders = view.holders_of(prev[-1])
            else:
                holders = view.parties()
    return sorted(set(h for h in holders if h))


_TOGETHER = {"together", "along", "jointly"}


def _partners_before(view: _DocView, first: int) -> list[Span]:
    """Actors of a fronted "Together with X, Y will ..." (also "along with",
    "jointly with") right before the subject actor starting at token
    ``first``: they act with it."""
    k = first - 1
    while k >= 0 and view.lower[k] in ("the", "both"):
        k -= 1
    if k < 0 or view.lower[k] != ",":
        return []
    partners: list[Span] = []
    k -= 1
    if k >= 2 and view.lower[k] == ")" and view.lower[k - 2] == "(":
        k -= 3  # "the International Energy Agency (IEA), ..."
    while k >= 0 and k in view.actor_at:
        span = view.actor_at[k]
        partners.insert(0, span)
        k = span.start - 1
        while k >= 0 and view.lower[k] in ("the", "and", ","):
            k -= 1
    if partners and k >= 1 and view.lower[k] == "with" and view.lower[k - 1] in _TOGETHER:
        return partners
    return []


_OBJECT_PREPS = {"between", "with", "of", "for", "to", "from", "against", "on", "in", "by", "at",
                 "toward", "towards", "into", "among", "including"}


def _actor_groups(view: _DocView, prev: list[Span]) -> list[list[Span]]:
    """``prev`` (actor spans in text order) as coordinated groups ("Japan
    and China"), nearest first."""
    groups: list[list[Span]] = []
    for s in reversed(prev):
        if groups:
            first = groups[-1][0]
            if first.start - s.end <= 3 and any(view.lower[k] in ("and", ",")
                                                for k in range(s.end, first.start)):
                groups[-1].insert(0, s)
                continue
        groups.append([s])
    return groups


#: common nouns by which a text refers back to a named body ("the Forum"
#: for the Global Forum on Steel Excess Capacity)
_BODY_REFERENCES = {"forum", "fund", "club", "mechanism", "dialogue", "conference", "secretariat",
                    "committee", "council", "commission", "initiative", "partnership", "bank",
                    "agency", "institute", "group", "alliance", "network", "facility", "centre",
                    "center", "organization", "organisation"}


def _body_reference(view: _DocView, at: int) -> str | None:
    """The key of the named body that a noun subject ending right before
    ``at`` refers back to ("The Forum seeks to ..." after "the Global Forum
    on Steel Excess Capacity"): the last body before it whose name holds the
    noun, else the first after it. ``None`` for other nouns."""
    head = _scan_back(view, at - 1, max(0, at - 8))
    if head < 0 or view.lower[head] not in _BODY_REFERENCES:
        return None
    noun = view.lower[head]
    found = [s for s in view.actors if s._.actor_type == "organization" and s._.actor_key
             and not _GOVERNMENT.search(s._.actor_key) and s.start != head
             and (noun in s.text.lower().split() or noun in s._.actor_key.lower().split())]
    before = [s for s in found if s.end <= at]
    if before:
        return before[-1]._.actor_key
    return found[0]._.actor_key if found else None


def split_actions(view: _DocView, start: int, end: int) -> list[tuple[int, int]]:
    """Cut ``[start, end)`` into one span per coordinated verb phrase:
    "strengthen X, deepen Y and to expand Z" gives three."""
    gerund = view.doc[start].tag_ == "VBG" if view.tagged else view.lower[start].endswith("ing")
    pieces, cur = [], start
    i = start + 1
    depth = 0
    while i < end:
        low = view.lower[i]
        if low in ("(", "[", "“") or (low == '"' and depth == 0 and False):
            depth += 1
        elif low in _WH_WORDS and depth == 0:
            break  # "discuss how X understand and seek to address Y": one question
        elif low in (")", "]", "”"):
            depth = max(0, depth - 1)
        if depth == 0 and low in ("and", ",", ";", "or", "while") and i - cur >= 2:
            j = i + 1
            while j < end and view.lower[j] in ("and", ",", "to", "also", "then", "while", '"'):
                j += 1
            k = j
            while k < end - 1 and view.is_adverb(k) and view.lower[k] != "not":
                k += 1
            if low == "while" and k < end and _gerund(view, k):
                i += 1
                continue  # "focus on consensus while managing differences": one action
            if gerund and low in ("and", "or") and k < end and _nested_gerund(view, cur, i):
                i += 1
                continue  # "supporting X in responding to Y and achieving Z": Z is in's
            if k < end and (view.is_verb(k, allow_gerund=gerund or low == "while")) \
                    and not (k > 0 and view.lower[k - 1] in ("the", "a", "an", "our", "their", "its")) \
                    and not (not view.tagged and low == "and" and view.lower[i - 1] in _COORD_ADJECTIVES):
                pieces.append((cur, i))
                cur = j if view.lower[j] != "to" else j + 1
                i = j
                continue
        i += 1
    pieces.append((cur, end))
    return [_trim(view, a, b) for a, b in pieces if b > a]


def _nested_gerund(view: _DocView, a: int, i: int) -> bool:
    """A gerund after a preposition between ``a`` (a gerund action's start)
    and ``i`` ("supporting X in responding to Y"): a gerund coordinated at
    ``i`` joins that one, not the action's."""
    for k in range(a + 1, i - 1):
        if view.lower[k] in ("in", "by", "for", "through", "while") and (
                view.doc[k + 1].tag_ == "VBG" if view.tagged else view.lower[k + 1].endswith("ing")):
            return True
    return False


#: adjectives that diplomatic texts coordinate with one spelt like a verb
#: ("a free and open Indo-Pacific"): with no tagger, "and" after them joins
#: adjectives, not actions
_COORD_ADJECTIVES = {"free", "fair", "safe", "secure", "stable", "peaceful", "prosperous", "inclusive",
                     "sustainable", "resilient", "transparent", "balanced", "strong", "mutual",
                     "comprehensive", "healthy", "steady", "constructive", "equitable", "effective",
                     "reliable", "green", "clean", "just", "orderly", "predictable"}


def _trim(view: _DocView, a: int, b: int) -> tuple[int, int]:
    while b > a + 1 and (view.doc[b - 1].is_punct or view.doc[b - 1].is_space
                         or view.lower[b - 1] in ("and", "or", "to", "while")):
        b -= 1
    while a < b - 1 and (view.doc[a].is_space or view.lower[a] in ('"', "“", "'", "‘", ",", ":", "-")):
        a += 1
    return a, b


#: "while acknowledging ...": a concession, not part of the action
_CONCESSIVE = {"acknowledging", "recognizing", "recognising", "noting", "respecting", "stressing",
               "expressing", "welcoming", "understanding", "admitting", "accepting"}


def _ing_form(view: _DocView, i: int) -> bool:
    """With no tagger: the -ing form of a lexicon verb ("taking", "making")."""
    low = view.lower[i]
    if not low.endswith("ing") or len(low) < 6:
        return False
    stem = low[:-3]
    return stem in view.verbs or stem + "e" in view.verbs or (
        len(stem) > 2 and stem[-1] == stem[-2] and stem[:-1] in view.verbs)


def _gerund(view: _DocView, i: int) -> bool:
    """An action gerund ("while managing differences"), not a concession."""
    if view.lower[i] in _CONCESSIVE:
        return False
    return view.doc[i].tag_ == "VBG" if view.tagged else view.lower[i].endswith("ing")


def _finite_ahead(view: _DocView, i: int, limit: int, span: int = 6) -> bool:
    """A finite verb within a few words (before a comma): a clause follows.
    With no tagger, only an auxiliary counts."""
    for k in range(i, min(limit, i + span)):
        if view.lower[k] in (",", ";", ":"):
            return False
        if view.tagged and view.doc[k].tag_ in ("VBD", "VBZ", "VBP", "MD"):
            return True
        if not view.tagged and view.lower[k] in ("is", "are", "was", "were", "has", "have", "had",
                                                 "will", "would"):
            return True
    return False


def _new_clause(view: _DocView, i: int, limit: int) -> bool:
    """After "and" / ",": a past or present-tense verb ("... and expressed
    concern", "..., shares the 7th position"), or a name and such a verb
    ("... and Chancellor Scholz expressed ..."), starts a new clause, not a
    coordinated action (those are in the base form). With no tagger, a
    closed list of reporting and attitude verbs stands in (:data:`_CLAUSE_VERBS`)."""
    if not view.tagged:
        k = i + 1 if i < limit and view.lower[i] == "the" else i
        while k < limit and k < i + 5 and view.doc[k].is_title and view.lower[k] not in _CLAUSE_VERBS:
            k += 1
        return k < limit and (view.lower[k] in _CLAUSE_VERBS or _inflected_verb(view, k, limit))
    k = i
    while k < limit and k < i + 5 and view.doc[k].tag_ in ("NNP", "NNPS"):
        k += 1
    tok = view.doc[k] if k < limit else None
    # "set", "put": a past tense spelt like the base form may be a base form
    return tok is not None and tok.tag_ in ("VBD", "VBZ") and tok.lower_ not in _REPORT_VERBS \
        and tok.lemma_.lower() != tok.lower_


_REPORT_VERBS = {"said", "says", "added", "noted", "stressed", "told"}
_DETERMINERS = {"the", "a", "an", "its", "their", "his", "her", "our", "this", "these"}


def _inflected_verb(view: _DocView, k: int, limit: int) -> bool:
    """With no tagger: the past or third-person form of a lexicon verb
    followed by a determiner ("..., shares the 7th position", "...,
    promoted the normalization"): a finite verb opening a new clause."""
    low = view.lower[k]
    if k + 1 >= limit or view.lower[k + 1] not in _DETERMINERS or low in _REPORT_VERBS:
        return False
    if low.endswith("ed") and len(low) > 4:
        stems = (low[:-2], low[:-1], low[:-3] if low[-3] == low[-4] else "", low[:-3] + "y")
    elif low.endswith("s") and len(low) > 3:
        stems = (low[:-1], low[:-2] if low.endswith("es") else "", low[:-3] + "y")
    else:
        return False
    return any(stem in view.verbs for stem in stems if stem)
#: past and present-tense verbs of diplomatic reporting that open a new
#: clause after "and" ("... and expressed concern"): the blank pipeline's
#: stand-in for the tagger in :func:`_new_clause`
_CLAUSE_VERBS = {v + ("d" if v.endswith("e") else "ed")
                 for v in ("express", "welcome", "reaffirm", "confirm", "emphasize", "emphasise",
                           "underline", "underscore", "highlight", "acknowledge", "recognize",
                           "recognise", "discuss", "exchange", "condemn", "agree", "decide", "call",
                           "urge", "announce", "state", "appreciate", "commend", "reiterate", "vow",
                           "pledge", "sign", "reach", "launch", "voice", "insist", "praise", "warn")} \
    | {"met", "told", "spoke"}


#: attitudes, not undertakings (GUIDELINES section 3)
_ATTITUDES = {"oppose", "welcome", "note", "commend", "appreciate", "condemn", "express",
              "recognize", "recognise", "acknowledge", "deplore"}
def _item_sentences(view: _DocView, a: int, b: int) -> list[tuple[int, int]]:
    """The sentences of an agreed item from ``a`` (its first word): the
    first, then each later one that starts with a verb ("... and gaming.
    Facilitate mutual visits of ..."): each is an action of its own. A
    sentence that does not ("The Chinese side invites ...") is left out."""
    out, cur = [], a
    for k in range(a + 1, b - 1):
        if view.lower[k] in (".", "!") and not view.doc[k + 1].is_space:
            nxt = k + 1
        elif view.lower[k] in (".", "!") and view.doc[k + 1].is_space and "\n" not in view.doc[k + 1].text:
            nxt = k + 2
        else:
            continue
        if cur is not None:
            out.append((cur, k))  # a sentence ends the action
        # a later sentence that opens with a verb is an action of its own;
        # one that does not ("The Chinese side invites ...") is no part of it
        cur = nxt if nxt < b and view.doc[nxt].is_title and view.lower[nxt] in view.verbs else None
    if cur is not None:
        out.append((cur, b))
    return out


_BULLETS = ("-", "•", "*", "–", "—", "·", "▪")


def bullet_lines(view: _DocView, i: int) -> list[tuple[int, int]]:
    """The verb-initial bullet lines right after token ``i`` (a lead-in
    ending "to:"): ``(start, end)`` of each line's text after its bullet,
    until a line that is not a bullet. The items of a points list ("a.
    Accelerate growth.") count as bullet lines."""
    doc, out = view.doc, []
    n = len(doc)
    item_at = {it.start: it for it in view.items}
    while True:
        while i < n and doc[i].is_space:
            i += 1
        item = item_at.get(i)
        if item is not None:
            a = i  # after the item's label: "a." "(2)" "First,"
            label = (item._.item_label or "").lower()
            while a < item.end - 1 and (view.lower[a].strip("().,:") == label or view.doc[a].is_punct
                                        and view.lower[a] not in ('"', "“")):
                a += 1
        elif i >= n or not (view.lower[i] in _BULLETS or view.lower[i][:1] in _BULLETS
                            and len(view.lower[i]) > 1 and view.lower[i][1:].isalpha()):
            return out
        else:
            a = i + 1 if view.lower[i] in _BULLETS else i
        b = a
        while b < n and not (doc[b].is_space and "\n" in doc[b].text) and "\n" not in doc[b].whitespace_:
            b += 1
        b = min(n, b + 1) if b < n and not doc[b].is_space else b
        k = a
        while k < b - 1 and view.is_adverb(k):
            k += 1
        if a < b and (view.is_verb(k) or view.lower[k].lstrip("".join(_BULLETS)) in view.verbs):
            out.append((a, b))
        i = b


def _actions(view: _DocView, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """The actions of ``[start, end)`` (:func:`split_actions`), and those of
    the verb phrases that continue it after a semicolon under the same
    trigger ("affirmed their keenness to coordinate X; drive Y; and deliver
    Z"), up to ``limit``. A continuation must open with a base-form verb
    that is no attitude ("; welcome ..." is not an undertaking)."""
    pieces = split_actions(view, start, end)
    while end < limit and view.lower[end] == ";":
        k = end + 1
        while k < limit and (view.doc[k].is_space or view.lower[k] in ("and", "also", "then")
                             or view.lower[k] in _BULLETS):
            k += 1
        a = k
        while k < limit - 1 and view.is_adverb(k) and view.lower[k] != "not":
            k += 1
        if k >= limit or view.lower[k] in _ATTITUDES or not (
                view.is_verb(k) or view.lower[k].lstrip("".join(_BULLETS)) in view.verbs
                and not view.doc[k].is_title):
            break
        end = _action_end(view, a, limit)
        if end <= a:
            break
        pieces.extend(split_actions(view, a, end))
    return pieces


def _inside_quote(view: _DocView, i: int) -> bool:
    """Token ``i`` lies inside a quotation opened earlier in its paragraph:
    an odd number of straight quotes, or more opening than closing curly
    ones, since the last line break (counted by bisection over the
    document's quote marks; ``_inside_quote_walk`` is the reference)."""
    breaks = view.line_breaks()
    b = bisect.bisect_left(breaks, i) - 1
    lo = breaks[b] + 1 if b >= 0 else 0
    if lo >= i:
        return False
    straight, opening, closing = view.quote_marks()

    def count(marks: list[int]) -> int:
        return bisect.bisect_left(marks, i) - bisect.bisect_left(marks, lo)
    return count(straight) % 2 == 1 or count(opening) - count(closing) > 0


def _inside_quote_walk(view: _DocView, i: int) -> bool:
    """:func:`_inside_quote` by a walk back over the tokens (the reference;
    a spaCy token's ``whitespace_`` is " " or "", never a line break)."""
    straight = curly = 0
    k = i - 1
    while k >= 0 and not (view.doc[k].is_space and "\n" in view.doc[k].text) \
            and "\n" not in view.doc[k].whitespace_:
        low = view.lower[k]
        if low == '"':
            straight += 1
        elif low == "“":
            curly += 1
        elif low == "”":
            curly -= 1
        k -= 1
    return straight % 2 == 1 or curly > 0


def _opens_quote(view: _DocView, i: int) -> bool:
    """A straight quote at ``i`` opens a quotation: a space before it and
    none after it ('to "be partners'), not the reverse ('systems," he')."""
    before = i == 0 or bool(view.doc[i - 1].whitespace_) or view.doc[i - 1].is_space
    after = bool(view.doc[i].whitespace_) or i + 1 >= len(view.doc) or view.doc[i + 1].is_punct
    return before and not after


def _gerund_series(view: _DocView, start: int, comma: int, limit: int) -> bool:
    """", advancing X and resolving Y" after a gerund in the action ("results
    in promoting A, advancing B and resolving C") continues a series of
    gerunds, not a participle clause: a gerund before the comma and "and" or
    "or" with another gerund after it, before the clause ends."""
    def ing(k: int) -> bool:
        return view.doc[k].tag_ == "VBG" if view.tagged else (
            _ing_form(view, k) or view.lower[k].endswith("ing") and len(view.lower[k]) > 4
            and view.lower[k - 1] in ("in", "by", "of", "for", "on", "to", "towards", "and", ","))
    if not any(ing(k) for k in range(max(start, comma - 12), comma)):
        return False
    for k in range(comma + 2, min(limit, comma + 30)):
        low = view.lower[k]
        if low in (";", ":", ".") or view.doc[k].is_space and "\n" in view.doc[k].text:
            return False
        if low in ("and", "or") and k + 1 < limit and ing(k + 1):
            return True
    return False


def _action_end(view: _DocView, start: int, limit: int) -> int:
    """Where an action stops: the clause end (";", a reporting tag ", it
    said", a relative or contrastive clause) or ``limit``."""
    depth = 0
    # an action opening a quotation ends with it: 'the commitment to "be
    # partners and not pose threats" is a promise made by both'; so does an
    # action inside a quotation opened before it ('"We will address X,"
    # spokesperson Y said')
    quoted = start > 0 and view.lower[start - 1] in ('"', "“") or view.lower[start] in ('"', "“") \
        or _inside_quote(view, start)
    inner = 0  # quotations opened inside the action
    for i in range(start, limit):
        low = view.lower[i]
        if quoted and i > start and low in ('"', "“", "”"):
            if low == "“" or low == '"' and inner == 0 and _opens_quote(view, i):
                inner += 1
            elif inner:
                inner -= 1
            else:
                return i
        if low in ("and", ",", "but") and i > start + 1 and i + 1 < limit and _new_clause(view, i + 1, limit):
            return i
        if low in ("(", "["):
            depth += 1
        elif low in (")", "]"):
            depth = max(0, depth - 1)
        if depth:
            continue
        if low in (";", ":") or view.is_break(i):
            return i
        if low in (",", "—", "–") and i + 1 < limit:
            rest = view.text_of(i, min(limit, i + 6))
            if _REPORTING.match(rest) or _REPORTING_NAME.match(rest):
                return i
            nxt = view.lower[i + 1]
            if nxt in ("which", "but", "whereas", "although", "though", "as", "according", "so",
                       "with", "while", "when", "after", "before", "where", "who") \
                    and not (nxt == "as" and i + 2 < limit and view.lower[i + 2] == "well"):
                return i
            if nxt not in ("including",) and (view.doc[i + 1].tag_ == "VBG" if view.tagged
                                              else _ing_form(view, i + 1)) \
                    and not _gerund_series(view, start, i, limit):
                return i  # ", taking another step": a participle clause
            if i + 2 < limit and view.lower[i + 2] in ("on", "in", "at", "by", "last", "earlier") and (
                    view.doc[i + 1].tag_ == "VBN" if view.tagged else nxt.endswith("ed")):
                return i  # ", announced on 10 December": a reduced relative clause
        if low in ("while", "whereas", "so") and i > start + 1 and not (
                i + 1 < limit and _gerund(view, i + 1)):
            return i  # "while managing differences" stays in the action
        if low == "as" and i + 1 < limit and view.lower[i - 1] not in ("such", "long", "soon", "far", "much") \
                and (view.lower[i + 1] in ("both", "it", "they", "we", "he", "she")
                or view.lower[i + 1] in ("the", "a", "an") and _finite_ahead(view, i + 2, limit)):
            return i  # "as the two sides agreed"; not "serve as a venue"
        if low in ('"', "”") and i + 1 < limit and view.doc[i + 1].is_punct and view.lower[i + 1] == ",":
            rest = view.text_of(i + 1, min(limit, i + 7))
            if _REPORTING.match(rest) or _REPORTING_NAME.match(rest):
                return i + 1
    return limit


class CommitmentFinder:
    """The rule pass: cues -> candidates (no spaCy state beyond the matcher)."""

    def __init__(self, vocab, rules: list[CueRule], verbs: frozenset[str]):
        self.rules = rules
        self.verbs = verbs
        # lower forms by hash, shared by the documents (token_lowers); a hash
        # always names the same string, so the cache only saves look-ups
        self._lowers: dict[int, str] = {}
        self._run_rxs: dict[str, re.Pattern] = {}  # _first_words on ASCII text
        # most cues become a compiled regex tried only where one of their first
        # words occurs (one scan of the text finds those); the others
        # (patterns using features the translation lacks) go to a Matcher
        self.by_first: dict[str, list[tuple[re.Pattern, CueRule]]] = {}
        self.scan_all: list[tuple[re.Pattern, CueRule]] = []
        self.matcher = Matcher(vocab)
        self._ids = {}
        for i, rule in enumerate(rules):
            rx = rule.regex()
            if rx is None:
                self.matcher.add(f"cue{i}", [rule.token_pattern()])
                self._ids[vocab.strings[f"cue{i}"]] = rule
                continue
            firsts = _first_words(rule.token_pattern())
            if firsts is None:
                self.scan_all.append((re.compile(rx), rule))
            else:
                for word in firsts:
                    self.by_first.setdefault(word, []).append((re.compile(rx), rule))
        self.first_rx = re.compile(_whole("(?i:" + _words_rx(self.by_first) + ")")) \
            if self.by_first else None
        # when every first word is plain ASCII letters/digits, a scan of the
        # text's words with a set lookup finds the same hits as first_rx far
        # faster (re tries a flat alternation word by word at every position)
        self._word_scan = bool(self.by_first) and all(_ASCII_WORD.fullmatch(w) for w in self.by_first)

    def _first_words(self, text: str):
        """The matches of ``first_rx`` in ``text`` (same positions, same
        order), found by a scan of its words: an ASCII word is a hit when its
        lower form is a first word; any other word goes to ``first_rx`` itself
        (its case-insensitive matching of non-ASCII letters stays exact)."""
        first, rx = self.by_first, self.first_rx
        if text.isascii():
            # the words of the (lowered) text as a set, in C; the first words
            # among them; each found as a whole word run by a literal search
            # (``re`` jumps to a pattern's literal prefix)
            low = text.lower()
            present = first.keys() & set(_WORD_RUN.findall(low))
            starts = sorted(m.start() for w in present for m in self._run_rx(w).finditer(low)
                            if m.start() == 0 or not low[m.start() - 1].isalnum())
            match = _WORD_RUN.match
            for a in starts:
                yield match(text, a)
            return
        for m in _WORD_RUN.finditer(text):
            w = m.group()
            if w.isascii():
                if w.lower() in first:
                    yield m
            else:
                m2 = rx.match(text, m.start())
                if m2:
                    yield m2

    def _run_rx(self, word: str) -> re.Pattern:
        """``word`` (lower-case ASCII letters/digits) not followed by a letter
        or digit; the caller checks the character before it."""
        rx = self._run_rxs.get(word)
        if rx is None:
            rx = self._run_rxs[word] = re.compile(re.escape(word) + r"(?![^\W_])")
        return rx

    def cues(self, doc: Doc, sent_starts: Sequence[int] = ()) -> list[tuple[int, int, CueRule]]:
        """Cue matches ``(start, end, rule)`` in token offsets, sorted; the
        longest at each start; none across a sentence start."""
        found = [(s, e, self._ids[m]) for m, s, e in self.matcher(doc)] if self._ids else []
        if self.first_rx is not None or self.scan_all:
            text = doc_text(doc)
            idx: list[int] | None = None
            hits: list[tuple[int, int, CueRule]] = []
            if self.first_rx is not None:
                for m in (self._first_words(text) if self._word_scan else self.first_rx.finditer(text)):
                    for rx, rule in self.by_first.get(m.group().lower(), ()):
                        m2 = rx.match(text, m.start())
                        if m2:
                            hits.append((m2.start(), m2.end(), rule))
            for rx, rule in self.scan_all:
                hits.extend((m.start(), m.end(), rule) for m in rx.finditer(text))
            if hits:
                idx = doc.to_array("IDX").tolist()
            for a_char, b_char, rule in hits:
                a = bisect.bisect_left(idx, a_char)
                if a == len(idx) or idx[a] != a_char:
                    continue  # not at a token start
                found.append((a, bisect.bisect_left(idx, b_char), rule))
        if sent_starts:
            found = [f for f in found
                     if bisect.bisect_right(sent_starts, f[0]) == bisect.bisect_left(sent_starts, f[1])]
        # longest match at each start; drop matches inside a longer one
        found.sort(key=lambda x: (x[0], -(x[1] - x[0])))
        out, last_end = [], -1
        for s, e, rule in found:
            if s < last_end and rule.category != "reject":
                continue
            if out and out[-1][0] == s:
                continue
            out.append((s, e, rule))
            last_end = max(last_end, e)
        return out

    def __call__(self, doc: Doc) -> list[Candidate]:
        if len(self._lowers) > 500_000:
            self._lowers.clear()  # bounded memory on endless streams
        view = _DocView(doc, self.verbs, self._lowers)
        if len(doc) == 0:
            return []
        if doc.has_annotation("SENT_START"):
            starts = [int(i) for i in numpy.flatnonzero(doc.to_array("SENT_START") == 1)]
            if not starts or starts[0] != 0:
                starts.insert(0, 0)
        else:
            starts = [0]
        cues = self.cues(doc, starts)
        candidates: list[Candidate] = []
        by_sent: dict[int, list] = {}
        for cue in cues:
            by_sent.setdefault(bisect.bisect_right(starts, cue[0]) - 1, []).append(cue)
        covered: set[int] = set()
        for si, sent_cues in by_sent.items():
            lo = starts[si]
            hi = starts[si + 1] if si + 1 < len(starts) else len(doc)
            for a, b in _clause_bounds(view, lo, hi):
                here = [c for c in sent_cues if a <= c[0] < b]
                if here:
                    candidates.extend(self._clause(view, here, a, b, covered))
        candidates.extend(self._items(view, covered))
        text = doc_text(doc)
        for cand in candidates:
            cand.deadline = _deadline(doc, text, cand, starts, view._offsets())
            item = view.item(cand.start)
            if item is not None:
                cand.points_id, cand.item_label = item._.points_id, item._.item_label
        candidates.sort(key=lambda c: (c.start, c.end))
        return candidates

    # -- one clause -----------------------------------------------------------
    def _clause(self, view: _DocView, cues, lo: int, hi: int, covered: set[int]) -> list[Candidate]:
        out: list[Candidate] = []
        rejected_from = None
        rejected_by = None
        context_kind = None
        last_subject = None
        n = len(cues)
        i = 0
        inside: set[int] = set()  # cues inside an earlier action's complement clause
        while i < n:
            s, e, rule = cues[i]
            if s in inside:
                i += 1
                continue
            if rule.category == "reject":
                if rejected_from is None:
                    rejected_from = s
                    rejected_by = view.lower[s]
                i += 1
                continue
            if rule.category == "context":
                context_kind = rule.kind
                i += 1
                continue
            if rule.category == "extend":
                i += 1
                continue
            if rule.needs_context and context_kind is None:
                # "should" with no agreement before it: a demand on the subject
                if rejected_from is None:
                    rejected_from = s
                i += 1
                continue
            scheduled = _scheduled(view, rule, s, e)
            if rejected_from is not None and not (context_kind and rule.needs_context) \
                    and not (scheduled and rejected_by not in _CONDITION_WORDS) \
                    and not _outside_subordinate(view, rejected_from, s, lo):
                # an invitation or a hope voids the cues after it, but not
                # the schedule of an event ("invited X to the summit to be
                # held in Tokyo in July": the host's undertaking)
                i += 1
                continue
            # chain the following cues that start right where this one ends
            chain = [rule]
            start = e
            j = i + 1
            while True:
                k = start
                while k < hi and (view.lower[k] in _SKIP or (view.is_adverb(k) and view.lower[k] not in ("not",))):
                    k += 1
                if j < n and cues[j][0] in (start, k) and cues[j][2].category in ("commit", "extend") \
                        and not cues[j][2].needs_subject:
                    if cues[j][2].include:
                        start = cues[j][0]
                        chain.append(cues[j][2])
                        j += 1
                        break
                    chain.append(cues[j][2])
                    start = cues[j][1]
                    j += 1
                    continue
                break
            if rule.include:
                start = s
            elif rule.action_from is not None:
                start = _cue_token(rule, s, e)
            while start < hi and view.lower[start] in _SKIP:
                start += 1
            i = j
            if start >= hi:
                continue
            subj_kind, subj_start, subj_spans = find_subject(view, s, lo)
            if subj_kind == "none" and _coordinated(view, s, lo):
                nearer = _coordinated_subject(view, last_subject[1], s, fallback=False) \
                    if last_subject is not None else None
                if nearer is not None:
                    # "China will host X, while Japan welcomes Y and will provide Z"
                    subj_kind, subj_start, subj_spans = nearer
                elif last_subject is not None:
                    # "Wen will be received ..., will deliver an address and will meet ..."
                    subj_kind, subj_start, subj_spans = last_subject
                else:
                    # "Both sides evaluated X, and will continue to ...": the
                    # subject of the clause's first verb
                    subj_kind, subj_start, subj_spans = _coordinated_subject(view, lo, s) \
                        or (subj_kind, subj_start, subj_spans)
            passive = (view.lower[start] == "be" and start + 1 < hi and view.is_participle(start + 1))
            if _CONDITION.search(view.text_of(lo, s)):
                continue
            if rule.needs_subject and not passive and _predicate(view, start, hi):
                continue  # "will be inevitable", "will become wider": a prediction
            if _past_decision(view, rule, chain, s, lo, hi):
                continue
            if rule.needs_subject:
                if subj_kind in ("none",):
                    continue
                if subj_kind == "noun" and not passive:
                    continue
            elif subj_kind == "noun" and not passive and (rule.include or rule.modality == "qualified") \
                    and not _agent_noun(view, subj_start, s):
                # "emissions continue to increase", "the agenda aims to":
                # a thing, not a party, is the subject
                continue
            if view.lower[start] in _NON_ACTIONS or _headline(view, lo, hi):
                continue
            lead = None  # "we are determined to: - foster ...; - promote ...": bullets
            if view.lower[start] == ":" and view.lower[start - 1] == "to":
                lead = start
            elif view.lower[start] in (":",) or (start < hi and view.doc[start].is_punct
                                                 and view.lower[start] not in ('"', "“")):
                continue
            # the action ends at the next commit cue's clause
            limit = hi
            for s2, e2, r2 in cues[j:]:
                if r2.category == "commit" and s2 > start:
                    k2, sub2, _ = find_subject(view, s2, start)
                    if k2 != "none" and sub2 > start and _complement(view, sub2, start) \
                            or _wh_clause(view, s2, start + 1):
                        # "continue efforts to ensure the summit will
                        # contribute to peace": the clause is the action's own
                        inside.add(s2)
                        continue
                    if k2 != "none" and sub2 > start and _subject_before(view, s2, start):
                        # "commitment to A and B will lead to C": the action
                        # is inside the subject of "will"
                        limit = min(limit, s2)
                    elif k2 != "none" and sub2 > start:
                        limit = min(limit, sub2)
                    elif k2 == "none" and r2.needs_subject and _coordinated(view, s2, start):
                        limit = min(limit, s2)
                    while limit - 1 > start and view.lower[limit - 1] in ("and", ",", "but", "while"):
                        limit -= 1
                    break
            end = start if lead is not None else _action_end(view, start, limit)
            if lead is None and end < len(view.doc) and view.lower[end] == ":" \
                    and view.lower[end - 1] == "to":
                lead = end  # "work together and with others to:" introduces the actions
            if lead is None and end <= start:
                continue
            agreement = any(r.kind == "agreement" for r in chain) or context_kind == "agreement"
            holders = resolve_holders(view, subj_kind, subj_spans, s, agreement)
            if agreement and len(holders) < 2 and subj_kind in ("self", "party", "none", "other"):
                parties = view.parties()
                if len(parties) >= 2:
                    holders = parties
            modality = "qualified" if any(r.modality == "qualified" for r in chain) else "firm"
            if lead is not None:
                pieces = [p for a, b in bullet_lines(view, lead + 1)
                          for p in _actions(view, a, _action_end(view, a, b), b)
                          if view.lower[p[0]].lstrip("".join(_BULLETS)) not in _ATTITUDES]
            elif passive and subj_kind == "noun" and not scheduled:
                # the span starts at what is acted on; "and report to ..." is another action
                pieces = split_actions(view, subj_start, end)
                holders = holders or view.parties()
            else:
                pieces = _actions(view, start, end, limit)
            if modality == "firm" and view.lower[start] in ("consider", "explore"):
                modality = "qualified"
            seg = view.segment(s)
            kind = self._kind(view, chain, holders, seg, agreement, subj_kind in ("actor", "other"))
            if scheduled and out:
                # "..., with the next meeting to be held in Seoul": the
                # holders of the clause's undertaking hold the schedule
                holders, kind = out[-1].holders, out[-1].kind
            elif scheduled:
                # "Japan invited Hu to the summit to be held in Tokyo": the
                # party the clause opens with (the host) holds it
                found = _clause_subject(view, lo, s)
                if found is not None:
                    holders = resolve_holders(view, found[0], found[2], found[1], agreement)
                    kind = self._kind(view, chain, holders, seg, agreement, found[0] == "actor")
            trigger = view.doc[s:e].text
            last_subject = (subj_kind, subj_start, subj_spans)
            for a, b in pieces:
                if b <= a or a in covered:
                    continue
                covered.add(a)
                conf = 0.75 if subj_kind in ("actor", "self", "party") else 0.6
                out.append(Candidate(a, b, holders, kind, modality, trigger, conf,
                                     features={"subject": subj_kind, "passive": passive}))
        return out

    def _kind(self, view: _DocView, chain, holders, seg, agreement: bool, named: bool = False) -> str:
        """``agreement`` for an agreement cue, several holders, a group body
        or a consensus text; but one party named as the subject inside a
        consensus ("China will likewise develop a national plan") makes its
        own pledge (GUIDELINES section 3, holders)."""
        explicit = [r.kind for r in chain if r.kind]
        if agreement or "agreement" in explicit:
            return "agreement"
        if len(holders) >= 2:
            return "agreement"
        if holders and holders[0] in _GROUP_BODIES:
            return "agreement"
        if seg is not None and seg._.segment_kind == "consensus" and not (named and len(holders) == 1):
            return "agreement"
        return "pledge"

    # -- verb-initial items of agreed lists -----------------------------------------
    def _items(self, view: _DocView, covered: set[int]) -> list[Candidate]:
        out = []
        for item in view.items:
            plist = view.lists.get(item._.points_id)
            if plist is None or plist._.points_status != "agreed":
                continue
            a = item.start
            while a < item.end and (view.doc[a].is_punct or view.doc[a].is_space
                                    or view.lower[a] == (item._.item_label or "").lower()):
                a += 1
            if a >= item.end or a in covered:
                continue
            k = a
            while k < item.end - 1 and view.is_adverb(k):
                k += 1
            if not (view.is_verb(k, allow_gerund=True) and not view.doc[a].is_title
                    or (view.doc[a].is_title and view.lower[k] in view.verbs
                        and plist._.point_items and item._.item_label in ("-", "•", "*"))):
                continue
            holders = view.parties()
            for sa, sb in _item_sentences(view, a, item.end):
                end = _action_end(view, sa, sb)
                for x, y in split_actions(view, sa, end):
                    if x in covered:
                        continue
                    covered.add(x)
                    out.append(Candidate(x, y, holders, "agreement", "firm", "agreed item", 0.8,
                                         features={"subject": "item"}))
        return out


# ---------------------------------------------------------------------- component
@Language.factory(
    "commitments_commitments",
    assigns=["doc.spans", "span._.commitment_id", "span._.commitment_kind", "span._.holders",
             "span._.modality", "span._.deadline", "span._.points_id", "span._.item_label",
             "span._.trigger", "span._.commitment_score"],
    requires=[],
    default_config={"spans_key": "commitments", "model": None, "threshold": 0.5, "rules": None},
    default_score_weights={"commitments_f": 1.0, "commitments_p": 0.0, "commitments_r": 0.0},
)
def make_commitment_tagger(nlp: Language, name: str, spans_key: str, model: str | None,
                           threshold: float, rules: list | None) -> "CommitmentTagger":
    return CommitmentTagger(nlp, name, spans_key=spans_key, model=model, threshold=threshold,
                            rules=rules)


class CommitmentTagger(MatchComponent):
    """Mark commitments in ``doc.spans["commitments"]``.

    spans_key: the span group written. model: path of a trained candidate
    classifier from `commitments train` (docs/training.md); ``None`` keeps every
    rule candidate. threshold:
    the least score kept. rules: cue rules (the ``commitment_rules.json``
    shape); ``None`` uses the packaged ones. Rules travel with ``to_disk``.
    """

    def __init__(self, nlp: Language, name: str = "commitments", *, spans_key: str = "commitments",
                 model: str | None = None, threshold: float = 0.5,
                 rules: list | dict | None = None) -> None:
        register_extensions()
        self.nlp = nlp
        self.name = name
        self.spans_key = spans_key
        self.threshold = threshold
        self.model_path = model
        self.model = None
        if model is not None:  # a model trained by `commitments train` (pipeline/classifier.py)
            from .classifier import ModelCommitments

            self.model = ModelCommitments(model)
        self.verbs = _verb_lexicon()
        self.set_rules(load_rules(rules) if rules is not None else default_rules())

    def set_rules(self, rules: list[CueRule]) -> None:
        self.rules = list(rules)
        self.finder = CommitmentFinder(self.nlp.vocab, self.rules, self.verbs)

    def match(self, doc: Doc) -> list[Candidate]:
        candidates = self.finder(doc)
        if self.model is not None:  # the model scores these and its own candidates
            return self.model.commitments(doc, candidates)
        scores = score_candidates(doc, candidates, self.model)
        kept = []
        for cand, score in zip(candidates, scores):
            if score >= self.threshold:
                cand.confidence = float(score)
                kept.append(cand)
        return kept

    def set_annotations(self, doc: Doc, candidates: list[Candidate]) -> None:
        spans = []
        for n, cand in enumerate(candidates, 1):
            span = Span(doc, cand.start, cand.end)
            set_span_values(span, {
                "commitment_id": f"c{n}", "commitment_kind": cand.kind, "holders": list(cand.holders),
                "modality": cand.modality, "deadline": cand.deadline, "points_id": cand.points_id,
                "item_label": cand.item_label, "trigger": cand.trigger,
                "commitment_score": cand.confidence})
            spans.append(span)
        doc.spans[self.spans_key] = spans

    def score(self, examples, **kwargs) -> dict[str, Any]:
        from spacy.scorer import Scorer

        return Scorer.score_spans(examples, self.spans_key,
                                  has_annotation=lambda d: self.spans_key in d.spans, **kwargs)

    # -- serialisation -------------------------------------------------------
    def _cfg(self) -> dict[str, Any]:
        return {"spans_key": self.spans_key, "threshold": self.threshold}

    def _set_cfg(self, cfg: dict[str, Any]) -> None:
        self.spans_key = cfg.get("spans_key", self.spans_key)
        self.threshold = cfg.get("threshold", self.threshold)

    def _rules_data(self) -> list[dict]:
        return [r.to_dict() for r in self.rules]

    def to_bytes(self, *, exclude: Iterable[str] = SimpleFrozenList()) -> bytes:
        return util.to_bytes({"rules": lambda: srsly.json_dumps(self._rules_data()),
                              "cfg": lambda: srsly.json_dumps(self._cfg())}, exclude)

    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = SimpleFrozenList()):
        util.from_bytes(bytes_data, {
            "rules": lambda b: self.set_rules(load_rules(srsly.json_loads(b))),
            "cfg": lambda b: self._set_cfg(srsly.json_loads(b))}, exclude)
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = SimpleFrozenList()) -> None:
        path = util.ensure_path(path)
        util.to_disk(path, {"rules": lambda p: srsly.write_json(p.with_suffix(".json"), self._rules_data()),
                            "cfg": lambda p: srsly.write_json(p, self._cfg())}, exclude)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = SimpleFrozenList()):
        path = util.ensure_path(path)

        def load(p):
            p = p.with_suffix(".json")
            if p.exists():
                self.set_rules(load_rules(srsly.read_json(p)))

        def load_cfg(p):
            if p.exists():
                self._set_cfg(srsly.read_json(p))

        util.from_disk(path, {"rules": load, "cfg": load_cfg}, exclude)
        return self

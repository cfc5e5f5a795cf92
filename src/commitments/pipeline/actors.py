"""Actor mentions: states, persons, organisations and collectives.

The component writes ``doc.spans["actors"]`` with ``span._.actor_type``,
``span._.actor_key`` and ``span._.actor_country`` (GUIDELINES section 2).

How mentions are found (all in :class:`ActorFinder`, usable without a
pipeline component):

1. A ``PhraseMatcher`` over the lexicon: state names (pycountry + aliases),
   capitals, organisations, officials and their variants.
2. Party nominals grown around a state name or demonym: "the Japanese side",
   "the Chinese government", "the Government of Japan", "China's government";
   foreign ministries: "China's foreign ministry", "the Ministry of Foreign
   Affairs of Japan".
3. Persons: capitalised words after a title ("Foreign Minister Wang Yi"),
   NER ``PERSON`` entities when the pipeline has NER, "X Y said"; the span
   never includes the title. Short forms ("Iwaya") are resolved to the last
   full name of the document that starts or ends with them, else to a unique
   lexicon surname.
4. Collectives ("both sides", "the three leaders"): the key joins the N
   parties that are most salient before the mention (see
   :func:`collective_members`).

Exclusions: names used as modifiers (hyphen compounds "Japan-China", a
possessive "China's development", a following capitalised word "China
Pavilion", a following modifier head "G20 leaders", or a parser
``compound``/``poss`` dependency), capitals used as places ("held in
Tokyo"), bare nationality adjectives, names in ``not_actors`` ("South China
Sea").
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from weakref import WeakKeyDictionary
from typing import Iterable

import srsly
from spacy.language import Language
from spacy.attrs import IDX, LENGTH
from spacy.matcher import PhraseMatcher
from spacy.scorer import Scorer
from spacy.tokens import Doc, Span
from spacy.util import ensure_path

from .extensions import register_extensions, write_span_values
from .base import MatchComponent
from .lexicon import (LexiconEntry, StateNames, default_lexicon, default_patterns, default_states,
                      dump_lexicon, parse_lexicon, read_lexicon)

SPANS_KEY = "actors"
_MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December", "Jan.", "Feb.", "Aug.", "Sept.", "Sep.", "Oct.", "Nov.",
           "Dec.", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
_POSSESSIVE = {"'s", "’s", "'", "’"}
_SPEECH_VERBS = r"said|says|told|added|noted|stressed|stated|emphasized|emphasised|announced|urged|warned|remarked"
_SUBJECT_VERBS = {
    "said", "says", "added", "agreed", "agrees", "has", "have", "had", "will", "would", "is", "was", "are",
    "were", "wants", "hopes", "insists", "insisted", "announced", "stated", "urged", "told", "warned",
    "confirmed", "decided", "pledged", "expressed", "welcomed", "rejected", "opposed", "may", "might",
    "could", "should", "must", "apparently", "also", "and", "responded", "protested", "reiterated", "can",
}
# words that may sit inside a person's name (initials and suffixes are checked by shape)
_DIRECTIONS = {"South", "North", "East", "West", "Southwest", "Southeast", "Northeast", "Northwest",
               "Central", "Southern", "Northern", "Eastern", "Western", "Inner", "Mainland"}
_FUNCTION_WORDS = _SUBJECT_VERBS | {
    "and", "or", "but", "nor", "to", "of", "in", "on", "at", "for", "with", "as", "by", "from", "into", "that",
    "which", "who", "since", "after", "before", "during", "over", "under", "about", "against", "between", "than",
    "if", "while", "when", "where", "because", "so", "yet", "not", "also", "jointly", "both", "together", "again",
    "too", "alone", "itself", "themselves", "remains", "remained", "continues", "continued", "does", "did", "do",
    "needs", "needed", "expects", "expected", "believes", "believed", "sees", "saw", "hosts", "hosted", "held",
    "holds", "signed", "signs", "reached", "reaches", "adopted", "adopts", "launched", "launches", "seeks", "sought",
    "supports", "supported", "agree", "attaches", "attached", "hopes", "hoped", "stands", "stood",
}
_DOC_TITLE = re.compile(r"(?:Communiqu[eé]|Statement|Declaration|Treaty|Agreement|Friendship|Partnership|Charter|"
                        r"Convention)\s+(?:of|between)\s+(?:[^.;\n]{0,80}\s+and\s+)?(?:the\s+)?$")
_HEADLINE_VERBS = _FUNCTION_WORDS | {
    "agree", "sign", "reach", "hold", "meet", "meets", "vow", "pledge", "launch", "call", "calls", "urge", "say",
    "discuss", "mark", "set", "seek", "eye", "back", "bolster", "boost", "forge", "to", "ink", "begin", "end", "ends",
    "open", "resume", "talk", "talks", "and",
}
_PERSON_GROUP_HEADS = {"leaders", "leader", "members", "member", "ministers", "countries", "economies", "partners",
                       "nations", "governments"}
_NAME_PARTICLES = {"bin", "van", "von", "der", "de", "da", "la", "le", "al", "el", "dos", "del"}


@dataclass
class Mention:
    """An actor mention over tokens ``start``-``end`` (exclusive)."""

    start: int
    end: int
    type: str
    key: str | None
    country: str | None
    source: str = "lexicon"
    priority: int = 0  # lower wins among equally long overlapping candidates


class ActorFinder:
    """Finds actor mentions in a ``Doc``; built from the lexicon and cue data."""

    def __init__(self, vocab, entries: Iterable[LexiconEntry], states: dict, patterns: dict, *,
                 use_ner: bool = True, mark_capitals: bool = True, resolve_short_forms: bool = True,
                 collective_window: int = 1500):
        self.entries = list(entries)
        self.states_data = states
        self.patterns = patterns
        self.use_ner = use_ner
        self.mark_capitals = mark_capitals
        self.resolve_short_forms = resolve_short_forms
        self.collective_window = collective_window
        self.states = StateNames.build(states)
        self._build(vocab)

    # ------------------------------------------------------------------ building
    def _build(self, vocab) -> None:
        from spacy.lang.en import English

        tokenizer = English(vocab=vocab).tokenizer if vocab is not None else English().tokenizer
        self.vocab = tokenizer.vocab
        self.phrase_info: dict[str, tuple[str, str | None, str | None]] = {}
        parties = set()

        def add(form: str, kind: str, key: str | None, country: str | None) -> None:
            self.phrase_info.setdefault(form, (kind, key, country))

        for entry in self.entries:
            for form in entry.forms:
                add(form, entry.type, entry.name, entry.country if entry.type != "state" else entry.name)
                if entry.type == "person" and form.upper() != form:
                    add(form.upper(), entry.type, entry.name, entry.country)
            if entry.party:
                parties.add(entry.name)
        for name, iso in self.states.names.items():
            add(name, "state", iso, iso)
            if name in self.states.article_forms:
                add("the " + name, "state", iso, iso)
                add("The " + name, "state", iso, iso)
        for name, iso in self.states.capitals.items():
            add(name, "capital", iso, iso)
        for name, iso in self.states.demonyms.items():
            add(name, "demonym", iso, iso)
        for name in self.states.not_actors:
            self.phrase_info[name] = ("none", None, None)
        for form in ("Foreign Ministry", "foreign ministry", "Ministry of Foreign Affairs", "Foreign Affairs Ministry"):
            add(form, "ministry", None, None)
        self.party_orgs = parties
        self.matcher = PhraseMatcher(self.vocab, attr="ORTH")
        for form in self.phrase_info:
            self.matcher.add(form, [tokenizer(form)])
        titles = [t.lower() for t in self.patterns.get("titles", [])]
        self.title_words = set(titles)
        # a title is one token whose lower form is in the list ("Dr." is one token,
        # "director-general" three, handled by the hyphen rule of _title_persons):
        # a PhraseMatcher on LOWER over one-word patterns, far faster than a
        # token Matcher with an IN set
        self.title_matcher = PhraseMatcher(self.vocab, attr="LOWER")
        self.title_matcher.add("TITLE", [Doc(self.vocab, words=[t]) for t in titles])
        self.gov_nouns = {w.lower() for w in self.patterns.get("government_nouns", [])}
        self.modifier_heads = {w.lower() for w in self.patterns.get("modifier_heads", [])}
        self.locative = {w.lower() for w in self.patterns.get("locative_words", [])}
        numbers = self.patterns.get("collective_numbers", {})
        self.collective_numbers = {k.lower(): int(v) for k, v in numbers.items()}
        dets = [d for d in self.patterns.get("collective_determiners", []) if d]
        nouns = sorted(self.patterns.get("collective_nouns", []), key=len, reverse=True)
        # the number word starts the search (a pattern that starts with the optional
        # determiner is tried at every word); the determiner is looked up behind it
        self.collective_re = re.compile(
            _first_chars(numbers) + r"\b(%s)\s+(%s)\b" % ("|".join(map(re.escape, numbers)),
                                  "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in nouns)),
            re.IGNORECASE)
        self._collective_det = re.compile(r"\b(?:%s)\s+$" % "|".join(map(re.escape, dets)), re.IGNORECASE) \
            if dets else None
        self.fixed_collectives = dict(self.patterns.get("fixed_collectives", {}))
        self._fixed_re = re.compile(_first_chars(self.fixed_collectives) + r"\b(?:%s)\b" % "|".join(
            map(re.escape, sorted(self.fixed_collectives, key=len, reverse=True))), re.IGNORECASE) \
            if self.fixed_collectives else None
        self._fixed_keys = {k.lower(): v for k, v in self.fixed_collectives.items()}
        self._heads_org = self.modifier_heads - _PERSON_GROUP_HEADS
        ministry = r"(?:[Ff]oreign [Mm]inistry|[Mm]inistry of [Ff]oreign [Aa]ffairs|[Ff]oreign [Aa]ffairs [Mm]inistry)"
        self._ministry_after = re.compile(r"(?:'s|’s)?\s+" + ministry + r"\b")
        self._ministry_before = re.compile(ministry + r"\s+of\s+(?:the\s+)?$")
        self._gov_before = re.compile(r"(?:[Tt]he\s+)?[Gg]overnment\s+of\s+(?:the\s+)?$")
        self._said_after = re.compile(
            r"\b([A-Z][a-zà-ÿ'’]+(?:[ -][A-Z][a-zà-ÿ'’]+){1,2}),?\s+(?:%s)\b" % _SPEECH_VERBS)
        self._said_before = re.compile(
            r"\b(?:%s)\s+([A-Z][a-zà-ÿ'’]+(?:[ -][A-Z][a-zà-ÿ'’]+){1,2})\b" % _SPEECH_VERBS)
        # surnames of lexicon persons, for short forms without a full mention
        by_short: dict[str, set[str]] = {}
        self.person_country = {}
        for entry in self.entries:
            if entry.type != "person":
                continue
            self.person_country[entry.name] = entry.country
            for short in _short_forms(entry.name, entry.country):
                by_short.setdefault(short, set()).add(entry.name)
        self.lexicon_short = {s: next(iter(k)) for s, k in by_short.items() if len(k) == 1}
        self._lexicon_short_re = _alternation(frozenset(s for s in self.lexicon_short if len(s) > 1))

    # ------------------------------------------------------------------ finding
    def __call__(self, doc: Doc) -> list[Mention]:
        # Doc.text and Doc.has_annotation walk every token: compute them once per document
        text = self._text = doc_text(doc)
        self._has_dep = len(doc) > 0 and doc[0].dep != 0 and doc[len(doc) - 1].dep != 0
        # character offsets of every token, read once (doc[i].idx builds a Token object)
        offsets = doc.to_array([IDX, LENGTH]) if len(doc) else None
        self._tstart = offsets[:, 0].tolist() if offsets is not None else []
        self._tend = (offsets[:, 0] + offsets[:, 1]).tolist() if offsets is not None else []
        cands: list[Mention] = []
        for match_id, start, end in self.matcher(doc):
            form = self.vocab.strings[match_id]
            kind, key, country = self.phrase_info[form]
            cands.extend(self._grow(doc, start, end, kind, key, country))
        cands.extend(self._title_persons(doc))
        cands.extend(self._said_persons(doc))
        if self.use_ner and doc.ents:
            for ent in doc.ents:
                if ent.label_ == "PERSON" and self._plausible_name(doc, ent.start, ent.end):
                    m = self._person_from(doc, ent.start, ent.end, "ner")
                    if m:
                        cands.append(m)
        for m in self.collective_re.finditer(text):
            a = m.start()
            det = self._collective_det.search(text, max(0, a - 24), a) if self._collective_det else None
            span = doc.char_span(det.start() if det else a, m.end(), alignment_mode="strict")
            if span is not None:
                n = self.collective_numbers.get(m.group(1).lower(), 2)
                cands.append(Mention(span.start, span.end, "collective", None, None, f"collective:{n}", 0))
        if self._fixed_re is not None:
            for m in self._fixed_re.finditer(text):
                span = doc.char_span(m.start(), m.end(), alignment_mode="strict")
                key = self._fixed_keys.get(" ".join(m.group(0).lower().split()))
                if span is not None and key:
                    cands.append(Mention(span.start, span.end, "collective", key, None, "fixed", -1))
        chosen = _select(cands, self._tstart, self._tend)
        starts = {m.start for m in chosen if m.type in ("person", "state", "organization")}
        mentions = [m for m in chosen if self._keep(doc, m, starts)]
        if self.resolve_short_forms:
            mentions = self._short_forms(doc, mentions)
        self._person_countries(doc, mentions)
        self._collective_keys(doc, mentions)
        return [m for m in mentions if m.type in ("state", "person", "organization", "collective")]

    def _grow(self, doc: Doc, start: int, end: int, kind: str, key, country) -> list[Mention]:
        """A lexicon match as candidates, grown into party nominals and ministries."""
        text = self._text
        out: list[Mention] = []
        if kind == "none":
            return [Mention(start, end, "none", None, None, "blocked", -2)]
        if kind == "ministry":
            return [Mention(start, end, "organization", None, None, "ministry", 1)]
        if kind in ("state", "demonym", "capital"):
            a, b = self._tstart[start], self._tend[end - 1]
            m = self._ministry_after.match(text, b)
            if m:
                span = doc.char_span(a, m.end(), alignment_mode="strict")
                if span is not None:
                    out.append(Mention(span.start, span.end, "organization", self.states.ministry_key(key),
                                       key, "ministry", 0))
            before = text[max(0, a - 60):a]
            # both patterns end with "of" or "of the" and whitespace: test that first
            tail = before.rstrip() if kind == "state" else ""
            ends_of = len(tail) < len(before) and tail.endswith(("of", "the"))
            m = self._ministry_before.search(before) if ends_of else None
            if m and kind == "state":
                span = doc.char_span(a - len(before) + m.start(), b, alignment_mode="strict")
                if span is not None:
                    out.append(Mention(span.start, span.end, "organization", self.states.ministry_key(key),
                                       key, "ministry", 0))
            m = self._gov_before.search(before) if ends_of else None
            if m and kind == "state":
                span = doc.char_span(a - len(before) + m.start(), b, alignment_mode="strict")
                if span is not None:
                    out.append(Mention(span.start, span.end, "state", key, key, "nominal", 0))
            # "the Japanese side", "China's government", "the U.S. administration"
            j = end
            ts, te = self._tstart, self._tend
            if j < len(doc) and text[ts[j]:te[j]] in _POSSESSIVE and kind != "demonym":
                j += 1
            if j < len(doc) and text[ts[j]:te[j]].lower() in self.gov_nouns:
                s = start
                if s > 0 and doc[s - 1].lower_ == "the" and j == end:
                    s -= 1
                out.append(Mention(s, j + 1, "state", key, key, "nominal", 0))
            if kind == "demonym":
                return out
        out.append(Mention(start, end, kind, key, country, "lexicon", 1))
        return out

    def _person_from(self, doc: Doc, start: int, end: int, source: str) -> Mention | None:
        """A person over tokens start-end after trimming titles; None if not a name."""
        while start < end and (doc[start].lower_ in self.title_words or doc[start].lower_ in ("the", "prime", "foreign", "state", "vice")):
            start += 1
        while end > start and not (doc[end - 1].is_alpha or doc[end - 1].text.endswith(".")):
            end -= 1
        if start >= end:
            return None
        span = doc[start:end]
        if not any(t.is_title or t.is_upper for t in span) or "\n" in span.text:
            return None
        if span.text in self.phrase_info and self.phrase_info[span.text][0] != "person":
            return None
        key = _normal_name(span.text)
        kind, lex_key, country = self.phrase_info.get(span.text, (None, None, None))
        if kind == "person":
            return Mention(start, end, "person", lex_key, country, "lexicon", 1)
        return Mention(start, end, "person", key, None, source, 2)

    def _plausible_name(self, doc: Doc, start: int, end: int) -> bool:
        """Guard against NER noise: no known non-person names, no headline verbs."""
        span = doc[start:end]
        if "\n" in span.text or span[-1].lower_ in _HEADLINE_VERBS or span[-1].lower_ in self.title_words:
            return False
        for tok in span:
            info = self.phrase_info.get(tok.text)
            if info and info[0] != "person" or tok.text in _MONTHS:
                return False
            if tok.is_lower and tok.lower_ not in _NAME_PARTICLES:
                return False
        return end - start == 1 or not _in_headline(doc, self._text, start) or span.text in self.phrase_info

    def _title_persons(self, doc: Doc) -> list[Mention]:
        # tokens read as text slices (self._tstart/_tend): text, lower form,
        # case flags and whitespace as spaCy's lexeme attributes give them
        out = []
        n = len(doc)
        text, ts, te = self._text, self._tstart, self._tend

        def tok(k: int) -> str:
            return text[ts[k]:te[k]]

        def space(k: int) -> str:  # Token.whitespace_
            return text[te[k]:ts[k + 1] if k + 1 < n else len(text)]

        for _, start, end in self.title_matcher(doc):
            first = tok(start)
            if not (first.istitle() or first.isupper() or first.lower() in ("spokesperson", "spokesman", "spokeswoman")):
                continue
            i = end
            # "Secretary-General Angel Gurría": skip the rest of a hyphenated title
            while i + 1 < n and tok(i) == "-" and tok(i + 1).lower() in self.title_words:
                i += 2
            j = i
            while j < n and j - i < 5:
                t = tok(j)
                if t in _MONTHS or t.lower() in self.title_words or t in self.states.demonyms:
                    break
                if (t.istitle() and t.isalpha()) or (t.isupper() and len(t) > 1 and t.isalpha()) or _is_initial(t):
                    j += 1
                elif t == "-" and j > i and not space(j - 1) and j + 1 < n and tok(j + 1).isalpha() \
                        and not space(j):
                    j += 2  # "Jae-in"
                elif t.lower() in _NAME_PARTICLES and j > i and j + 1 < n and tok(j + 1).istitle():
                    j += 1
                else:
                    break
                if "\n" in space(j - 1):
                    break
            if j > i:
                span_text = text[ts[i]:te[j - 1]]
                if span_text in self.phrase_info and self.phrase_info[span_text][0] in ("state", "organization", "capital", "demonym", "none"):
                    continue
                m = self._person_from(doc, i, j, "title")
                if m:
                    out.append(m)
        return out

    def _said_persons(self, doc: Doc) -> list[Mention]:
        out = []
        for regex in (self._said_after, self._said_before):
            for m in regex.finditer(self._text):
                name = m.group(1)
                if any(w in self.phrase_info or w in _MONTHS or w.lower() in self.title_words
                       for w in re.split(r"[ -]", name)) or name in self.phrase_info:
                    continue
                span = doc.char_span(m.start(1), m.end(1), alignment_mode="strict")
                if span is not None:
                    p = self._person_from(doc, span.start, span.end, "said")
                    if p:
                        p.priority = 3
                        out.append(p)
        return out

    # ------------------------------------------------------------------ filters
    def _keep(self, doc: Doc, m: Mention, starts: set[int]) -> bool:
        if m.type in ("none", "demonym"):
            return False
        if m.type == "organization" and m.key is None and m.source == "ministry":
            return True  # bare "Foreign Ministry": keyed later from the document's main state
        if m.source == "nominal" and _after_doc_title(self._text, self._tstart[m.start]):
            return False
        if m.source not in ("lexicon",) or m.type in ("person", "collective"):
            return True
        if _after_doc_title(self._text, self._tstart[m.start]):
            return False  # "the Joint Communique of the Government of Japan and ..."
        heads = self._heads_org if m.type == "organization" else self.modifier_heads
        if _is_modifier(doc, m.start, m.end, heads,
                        adjective_like=self._text[self._tstart[m.start]:self._tend[m.end - 1]] in self.states.demonyms,
                        next_is_mention=m.end in starts, place_ok=self.phrase_info, has_dep=self._has_dep,
                        text=self._text, offsets=(self._tstart, self._tend)):
            return False
        if m.type == "capital":
            if not self.mark_capitals or not self._capital_is_government(doc, m.start, m.end):
                return False
            m.type = "state"
        return True

    def _capital_is_government(self, doc: Doc, start: int, end: int) -> bool:
        """Tokyo/Beijing used for a government: a subject or a partner, not a place."""
        if start == 0 or "\n" in doc[start - 1].whitespace_ or doc[start].is_upper:
            return False  # a dateline
        nxt = doc[end] if end < len(doc) else None
        if nxt is not None and nxt.text in (",", "(") and end + 1 < len(doc) and (
                doc[end + 1].text in _MONTHS or doc[end + 1].text in self.states.names):
            return False  # "Beijing, Aug. 31" or "Tokyo, Japan"
        prev = doc[start - 1]
        if prev.lower_ in ("and", "or", ",") and start >= 2:
            # the first conjunct decides: "in Tokyo and Beijing"
            k = start - 2
            while k > 0 and doc[k].text not in self.states.capitals and k > start - 5:
                k -= 1
            if doc[k].text in self.states.capitals and k > 0:
                prev = doc[k - 1]
        if prev.lower_ in self.locative:
            return False
        if prev.lower_ in ("with", "between", "against", "urged", "told", "pressed", "by"):
            return True
        if nxt is None:
            return False
        if self._has_dep and doc[start].dep_ in ("nsubj", "nsubjpass"):
            return True
        return nxt.lower_ in _SUBJECT_VERBS

    # ------------------------------------------------------------------ resolution
    def _short_forms(self, doc: Doc, mentions: list[Mention]) -> list[Mention]:
        """Resolve one-word person names and mark their other standalone uses."""
        full: list[tuple[int, str, str | None]] = []  # (char offset, key, country)
        for m in mentions:
            if m.type == "person" and len(m.key.split()) > 1:
                full.append((self._tstart[m.start], m.key, m.country))

        def resolve(word: str, offset: int) -> tuple[str | None, str | None]:
            best = None
            for pos, key, country in full:
                if pos <= offset and word in _short_forms(key, country or self.person_country.get(key), both=True):
                    best = (key, country or self.person_country.get(key))
            if best is None:
                for pos, key, country in full:
                    if word in _short_forms(key, country or self.person_country.get(key), both=True):
                        return key, country or self.person_country.get(key)
                key = self.lexicon_short.get(word)
                if key:
                    return key, self.person_country.get(key)
                return None, None
            return best

        out = []
        for m in mentions:
            if m.type == "person" and m.end - m.start == 1:
                key, country = resolve(doc[m.start].text, doc[m.start].idx)
                if key:
                    m.key, m.country = key, country or m.country
                elif m.source != "lexicon":
                    continue  # a lone capitalised word we cannot resolve to a full name
            out.append(m)
        shorts = set()
        for _, key, country in full:
            shorts.update(_short_forms(key, country or self.person_country.get(key), both=True))
        # the lexicon's surnames are compiled once; only the document's own short
        # forms (few) make a small per-document pattern
        found_all = list(self._lexicon_short_re.finditer(self._text)) if self._lexicon_short_re else []
        extra = _alternation(frozenset(shorts - set(self.lexicon_short)))
        if extra is not None:
            seen = {f.start() for f in found_all}
            found_all += [f for f in extra.finditer(self._text) if f.start() not in seen]
            found_all.sort(key=lambda f: (f.start(), -f.end()))
            end = -1
            kept = []
            for f in found_all:  # non-overlapping, as one alternation would give
                if f.start() >= end:
                    kept.append(f)
                    end = f.end()
            found_all = kept
        if not found_all:
            return out
        taken = set()
        for m in out:
            taken.update(range(m.start, m.end))
        full_keys = {k for _, k, _ in full}
        for found in found_all:
            span = doc.char_span(found.start(), found.end(), alignment_mode="strict")
            if span is None or len(span) != 1 or span.start in taken:
                continue
            i = span.start
            if i + 1 < len(doc) and (doc[i + 1].is_title or doc[i + 1].text == "-") and \
                    "\n" not in doc[i].whitespace_ and doc[i].whitespace_ != "" or \
                    (i + 1 < len(doc) and doc[i + 1].text == "-" and not doc[i].whitespace_):
                continue
            if i > 0 and doc[i - 1].lower_ in ("the", "a", "-") or (i > 0 and doc[i - 1].text == "-"):
                continue
            if i > 0 and doc[i - 1].is_title and doc[i - 1].lower_ not in self.title_words and \
                    not doc[i - 1].is_sent_start and "\n" not in doc[i - 1].whitespace_ and \
                    doc[i - 1].text not in self.phrase_info and doc[i - 1].text not in _MONTHS:
                continue
            key, country = resolve(span.text, found.start())
            if key is None or (key not in full_keys and span.text not in self.lexicon_short):
                continue
            out.append(Mention(i, i + 1, "person", key, country, "short", 2))
            taken.add(i)
        out.sort(key=lambda m: m.start)
        return out

    def _person_countries(self, doc: Doc, mentions: list[Mention]) -> None:
        """Country of persons not in the lexicon, from 'Chinese Premier X', 'X of Japan'."""
        names = self.states.names
        for m in mentions:
            if m.type != "person" or m.country is not None:
                continue
            if m.key in self.person_country:
                m.country = self.person_country[m.key]
                continue
            k = m.start - 1
            lo = max(0, m.start - 8)
            while k >= lo:
                t = doc[k]
                if t.text in self.states.demonyms:
                    m.country = self.states.demonyms[t.text]
                    break
                if t.text in names:
                    m.country = names[t.text]
                    break
                if "\n" in t.whitespace_ or t.text in (".", ";", ":", '"', "“", "”"):
                    break
                k -= 1
            if m.country is None and m.end + 1 < len(doc) and doc[m.end].lower_ == "of":
                j = m.end + 1 + (doc[m.end + 1].lower_ == "the")
                for size in (4, 3, 2, 1):
                    cand = doc[j:j + size].text
                    if cand in names:
                        m.country = names[cand]
                        break
        # a short form shares the country of its full name
        by_key = {m.key: m.country for m in mentions if m.type == "person" and m.country}
        for m in mentions:
            if m.type == "person" and m.country is None:
                m.country = by_key.get(m.key)

    def _collective_keys(self, doc: Doc, mentions: list[Mention]) -> None:
        main = Counter(m.key for m in mentions if m.type == "state" and m.key)
        for m in mentions:
            if m.type == "organization" and m.key is None and m.source == "ministry":
                if main:
                    iso = main.most_common(1)[0][0]
                    m.key, m.country = self.states.ministry_key(iso), iso
        votes = []
        for m in mentions:
            if m.type == "state" and m.key:
                votes.append((self._tstart[m.start], m.key))
            elif m.type == "person" and m.country:
                votes.append((self._tstart[m.start], m.country))
            elif m.type == "organization" and m.key in self.party_orgs:
                votes.append((self._tstart[m.start], m.key))
        index = None
        for m in mentions:
            if m.type == "collective" and m.key is None:
                n = int(m.source.split(":")[1]) if m.source.startswith("collective:") else 2
                index = index or VoteIndex(votes)
                members = index.members(self._tstart[m.start], n, self.collective_window)
                m.key = "+".join(sorted(members)) if len(members) == n else None

    # ------------------------------------------------------------------ data
    def to_data(self) -> dict:
        return {"lexicon": dump_lexicon(self.entries), "states": self.states_data, "patterns": self.patterns}


def collective_members(votes: list[tuple[int, str]], offset: int, n: int, window: int) -> list[str]:
    """The ``n`` parties a collective at ``offset`` most likely names.

    ``votes`` are ``(char offset, party key)`` of the state mentions, the
    countries of person mentions and party organisations (ASEAN, EU). Each
    mention counts 1, plus 2 when it lies in the ``window`` characters before
    the collective; the top ``n`` by score (then by first mention) win.
    Mentions after the collective count only when there are too few before.
    """
    score: Counter = Counter()
    first: dict[str, int] = {}
    for pos, key in votes:
        score[key] += 1 + (2 if offset - window <= pos < offset else 0) - (0.5 if pos > offset else 0)
        first.setdefault(key, pos)
    ranked = sorted(score, key=lambda k: (-score[k], first[k]))
    return ranked[:n]


class VoteIndex:
    """``collective_members`` for many collectives of one document: the votes
    grouped by party once (count, first offset, sorted offsets), so that each
    collective counts a party's votes in its window and after it by bisection
    instead of a pass over all votes. Same ranking: the scores are sums of
    1, 2 and -0.5, exact in floating point whatever the order."""

    def __init__(self, votes: list[tuple[int, str]]):
        self.first: dict[str, int] = {}
        offsets: dict[str, list[int]] = {}
        for pos, key in votes:
            self.first.setdefault(key, pos)
            offsets.setdefault(key, []).append(pos)
        self.offsets = {k: sorted(v) for k, v in offsets.items()}

    def members(self, offset: int, n: int, window: int) -> list[str]:
        score: dict[str, float] = {}
        for key, pos in self.offsets.items():
            in_window = bisect_left(pos, offset) - bisect_left(pos, offset - window)
            after = len(pos) - bisect_right(pos, offset)
            score[key] = len(pos) + 2 * in_window - 0.5 * after
        ranked = sorted(score, key=lambda k: (-score[k], self.first[k]))
        return ranked[:n]


@lru_cache(maxsize=4096)
def _short_forms(name: str, country: str | None, both: bool = False) -> frozenset[str]:
    """One-word forms of a full name: family name first for CHN/KOR/PRK/VNM names
    (cached: resolving the short forms of a document asks for the same names
    again and again)."""
    parts = [p for p in name.replace(",", " ").split() if p not in ("Jr.", "Jr", "Sr.", "II", "III")]
    if len(parts) < 2:
        return frozenset()
    family_first = country in ("CHN", "KOR", "PRK", "VNM", "TWN")
    forms = set()
    if both or family_first:
        forms.add(parts[0].split("-")[0] if family_first else parts[0])
    if both or not family_first:
        forms.add(parts[-1])
    return frozenset(f for f in forms if len(f) > 1 and f[0].isupper() and not f.endswith(".")
                     and f not in _MONTHS)


def trie_pattern(words: Iterable[str]) -> str:
    """A regex matching any of ``words``, written as a character trie
    ("A(?:be|so)"): Python's ``re`` tries the alternatives of a flat
    alternation one by one at every position, a trie only follows the
    branches of the characters it sees. Longer words win (greedy)."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts = [re.escape(ch) + build(node[ch]) for ch in sorted(k for k in node if k)]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:%s)" % "|".join(alts)
        if "" in node:
            return body + "?" if len(alts) == 1 and len(alts[0]) == 1 else "(?:%s)?" % body
        return body

    return build(trie)


def _first_chars(words: Iterable[str]) -> str:
    """A look-ahead for the first characters of ``words`` ("(?=[bt])"), to put
    before a pattern that must start with one of them: ``re`` then skips to
    those characters instead of trying the pattern at every position (same
    matches; under ``re.I`` the class folds case like the pattern). Empty
    when a word is empty or there are none."""
    words = list(words)
    if not words or not all(words):
        return ""
    return "(?=[%s])" % "".join(sorted({re.escape(w[0]) for w in words}))


@lru_cache(maxsize=256)
def _alternation(words: frozenset[str]) -> re.Pattern | None:
    """``\\b(w1|w2|...)\\b`` over ``words`` (a trie, longest first; None when empty); cached."""
    if not words:
        return None
    return re.compile(_first_chars(words) + r"\b(%s)\b" % trie_pattern(words))


_TITLE_TAIL_WORDS = ("of", "between", "and", "the")


def _after_doc_title(text: str, offset: int) -> bool:
    """Whether ``offset`` follows the name of a document ("the Joint Communique
    of the Government of Japan and ..."): ``_DOC_TITLE`` on the 140 characters
    before it, tried only when they end with a word the pattern can end with."""
    if offset == 0 or not text[offset - 1].isspace():
        return False
    if not text[max(0, offset - 12):offset].rstrip().endswith(_TITLE_TAIL_WORDS):
        return False
    return _DOC_TITLE.search(text[max(0, offset - 140):offset]) is not None


def _is_initial(text: str) -> bool:
    return bool(re.fullmatch(r"[A-Z]\.|Jr\.|Sr\.", text))


def _normal_name(text: str) -> str:
    text = " ".join(text.split())
    if text.isupper():
        text = " ".join(w.capitalize() if not w.endswith(".") else w for w in text.split())
        text = re.sub(r"-([A-Z])", lambda m: "-" + m.group(1).lower(), text) if "-" in text else text
    return text


def _acts_through_members(tok, n: int, end: int, heads: set[str]) -> bool:
    """Whether the name ending at token ``end`` heads a capitalised group of
    its members ("G20 Leaders", "the G7 Digital and Tech Ministers"), so that
    the body acts, unlike a document or event name ("G7 Leaders'
    Communiqué", "the G7 Digital and Tech Ministers' Meeting"). Only where
    such heads do not make a modifier (``heads`` of organizations)."""
    k = end
    while k < n and k < end + 5 and tok(k).lower() not in _PERSON_GROUP_HEADS and (
            tok(k).istitle() or tok(k) in ("and", "&")):
        k += 1
    if k >= n or tok(k).lower() not in ("leaders", "ministers") or tok(k).lower() in heads or not tok(k).istitle():
        return False
    return not (k + 1 < n and tok(k + 1) in ("'", "’", "'s", "’s"))


def _is_modifier(doc: Doc, start: int, end: int, heads: set[str], adjective_like: bool = False,
                 next_is_mention: bool = False, place_ok: Iterable[str] = (), has_dep: bool = False,
                 text: str | None = None, offsets: tuple[list[int], list[int]] | None = None) -> bool:
    """True where the name at tokens start-end modifies a following noun.

    ``adjective_like``: a form also used as an adjective ("U.S.", "UK"), a
    modifier before any lowercase noun. ``next_is_mention``: the next token
    starts another mention ("of Japan Shotaro Yachi"), so no compound.
    ``text`` and ``offsets`` (the start and end characters of every token),
    when given, must be the document's: tokens are then read as text slices
    (same text, whitespace, case flags as spaCy's lexeme attributes) instead
    of ``Token`` objects.
    """
    if text is None:
        text = doc.text
    n = len(doc)
    if offsets is None:
        offsets = ([t.idx for t in doc], [t.idx + len(t) for t in doc])
    ts, te = offsets

    def tok(i: int) -> str:
        return text[ts[i]:te[i]]

    def space(i: int) -> str:  # Token.whitespace_
        return text[te[i]:ts[i + 1] if i + 1 < n else len(text)]

    nxt = tok(end) if end < n else None
    prev = tok(start - 1) if start > 0 else None
    if nxt is not None and nxt in ("-", "–") and not space(end - 1):
        return True  # "Japan-China relations"
    if prev is not None and prev in ("-", "–") and not space(start - 1):
        return True
    if prev is not None and prev in _DIRECTIONS and not doc[start - 1].is_sent_start:
        return True  # "Southwest China"
    if prev is not None and prev == "[" and nxt is not None and nxt == "]":
        return True  # "Hiroshima [Japan]"
    if nxt is None:
        return False
    last_space = space(end - 1)
    same_line = "\n" not in last_space and last_space != ""
    nxt_lower = nxt.lower()
    if same_line and nxt.istitle() and _acts_through_members(tok, n, end, heads):
        return False  # "G20 Leaders asked", "We, the G7 Digital and Tech Ministers"
    if same_line and not next_is_mention and nxt.istitle() and nxt not in _MONTHS \
            and not doc[end].is_sent_start and not (_in_headline(doc, text, end)
                                                    and nxt_lower in _HEADLINE_VERBS):
        return True  # "China Pavilion", "G20 Summit" (not "China, Japan Sign ...")
    if prev is not None and prev == "," and start >= 2 and tok(start - 2).istitle() and \
            tok(start - 2) not in place_ok:
        return True  # "Bali, Indonesia": a place
    if same_line and nxt_lower in heads:
        return True  # "G20 leaders"
    if adjective_like and same_line and nxt.islower() and nxt.isalpha() and nxt_lower not in _FUNCTION_WORDS:
        return True  # "U.S. export controls"
    if has_dep:
        last = doc[end - 1]
        # the parser calls "G20 leaders" a compound too: a body before its members stays a mention
        if last.dep_ == "compound" and last.head.i >= end and not next_is_mention and \
                not (nxt_lower in _PERSON_GROUP_HEADS and nxt_lower not in heads):
            return True
    return False


def _in_headline(doc: Doc, text: str, i: int) -> bool:
    """Whether token i sits in a line where most words are capitalised (a title)."""
    idx = doc[i].idx
    a = text.rfind("\n", 0, idx) + 1
    b = text.find("\n", idx)
    return _headline_line(text[a:b if b >= 0 else len(text)])


_LINE_WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")


@lru_cache(maxsize=1024)
def _headline_line(line: str) -> bool:
    """Whether most words of ``line`` are capitalised (fewer than 3 words: yes);
    cached, as the names of one line ask the same question."""
    words = _LINE_WORD.findall(line)
    if len(words) < 3:
        return True
    caps = sum(w[0].isupper() for w in words)
    return caps / len(words) > 0.6


def _select(cands: list[Mention], tstart: list[int], tend: list[int]) -> list[Mention]:
    """Non-overlapping candidates: longest (in characters) first, then by priority.
    ``tstart``/``tend``: the character offsets of every token."""
    taken: set[int] = set()
    out = []
    for m in sorted(cands, key=lambda m: (tstart[m.start] - tend[m.end - 1], m.priority, m.start)):
        if not taken.isdisjoint(range(m.start, m.end)):
            continue
        taken.update(range(m.start, m.end))
        out.append(m)
    out.sort(key=lambda m: m.start)
    return out


_TEXTS: "WeakKeyDictionary[Doc, str]" = WeakKeyDictionary()
_ROWS: "WeakKeyDictionary[Doc, tuple]" = WeakKeyDictionary()


def actor_rows(doc: Doc, key: str = SPANS_KEY) -> list[tuple[int, int, str, str | None]]:
    """``(start_char, end_char, type, key)`` of the spans in ``doc.spans[key]``.

    The actors component keeps these rows when it writes the group, so a later
    component need not read every span's extension attributes; they are used
    while the group is the same object with the same length, else read from
    the spans.
    """
    group = doc.spans.get(key)
    if group is None:
        return []
    cached = _ROWS.get(doc)
    if cached is not None and cached[0] == key and cached[1] is group and cached[2] == len(group):
        return list(cached[3])
    return [(s.start_char, s.end_char, s._.actor_type, s._.actor_key) for s in group]


def remember_text(doc: Doc, text: str) -> None:
    """Record that ``doc`` was tokenised from ``text`` (spaCy's tokeniser keeps
    every character), so :func:`doc_text` need not rebuild it."""
    if len(doc) and doc[-1].idx + len(doc[-1].text_with_ws) == len(text):
        _TEXTS[doc] = text


def doc_text(doc: Doc) -> str:
    """``doc.text``, cached per ``Doc`` (spaCy rebuilds it from every token on
    each access). The cache holds the documents weakly and is not part of the
    ``Doc`` (nothing is added to ``doc.user_data``)."""
    text = _TEXTS.get(doc)
    if text is None:
        text = doc.text
        if len(doc):
            _TEXTS[doc] = text
    return text


# ---------------------------------------------------------------------- component
class ActorRecognizer(MatchComponent):
    """spaCy component: writes actor mentions to ``doc.spans[spans_key]``.

    Config (all keyword-only): ``lexicon`` a JSONL file replacing the packaged
    lexicon (None: packaged), ``extra_lexicon`` a JSONL file added to it,
    ``use_ner`` use NER PERSON entities when the pipeline has NER,
    ``mark_capitals`` mark capitals used for governments, ``resolve_short_forms``
    link "Iwaya" to "Takeshi Iwaya", ``collective_window`` characters before a
    collective whose mentions weigh more, ``spans_key``.
    """

    def __init__(self, nlp: Language, name: str = "actors", *, lexicon: str | None = None,
                 extra_lexicon: str | None = None, use_ner: bool = True, mark_capitals: bool = True,
                 resolve_short_forms: bool = True, collective_window: int = 1500,
                 spans_key: str = SPANS_KEY):
        register_extensions()
        self.nlp = nlp
        self.name = name
        self.spans_key = spans_key
        self.cfg = {"lexicon": lexicon, "extra_lexicon": extra_lexicon, "use_ner": use_ner,
                    "mark_capitals": mark_capitals, "resolve_short_forms": resolve_short_forms,
                    "collective_window": collective_window, "spans_key": spans_key}
        entries = read_lexicon(lexicon) if lexicon else default_lexicon()
        if extra_lexicon:
            entries += read_lexicon(extra_lexicon)
        self._data = {"entries": entries, "states": default_states(), "patterns": default_patterns()}
        self._rebuild()

    def _rebuild(self) -> None:
        self.finder = ActorFinder(self.nlp.vocab, self._data["entries"], self._data["states"],
                                  self._data["patterns"], use_ner=self.cfg["use_ner"],
                                  mark_capitals=self.cfg["mark_capitals"],
                                  resolve_short_forms=self.cfg["resolve_short_forms"],
                                  collective_window=self.cfg["collective_window"])

    @property
    def entries(self) -> list[LexiconEntry]:
        return list(self._data["entries"])

    def add_entries(self, entries: Iterable[LexiconEntry | dict]) -> None:
        """Add lexicon entries (kept by ``to_disk``)."""
        from .lexicon import entry_from_dict

        new = [e if isinstance(e, LexiconEntry) else entry_from_dict(e) for e in entries]
        self._data["entries"] = self._data["entries"] + new
        self._rebuild()

    def match(self, doc: Doc) -> list[Mention]:
        return self.finder(doc)

    def set_annotations(self, doc: Doc, mentions: list[Mention]) -> None:
        spans = []
        rows = []
        tstart, tend = self.finder._tstart, self.finder._tend
        known = len(tstart) == len(doc)
        values = []
        for m in mentions:
            span = Span(doc, m.start, m.end, label=m.type)
            a, b = (tstart[m.start], tend[m.end - 1]) if known else (span.start_char, span.end_char)
            values.append((a, b, m.type, m.key,
                           m.country if m.type in ("state", "person", "organization") else None))
            spans.append(span)
            if known:
                rows.append((a, b, m.type, m.key))
        write_span_values(doc, ("actor_type", "actor_key", "actor_country"), values)
        doc.spans[self.spans_key] = spans
        if len(rows) == len(spans):
            _ROWS[doc] = (self.spans_key, doc.spans[self.spans_key], len(spans), rows)

    def score(self, examples, **kwargs) -> dict:
        """Span precision/recall/F1 per type, like ``Scorer.score_spans``."""
        return Scorer.score_spans(examples, self.spans_key, getter=lambda d, k: d.spans.get(k, []),
                                  has_annotation=lambda d: self.spans_key in d.spans, **kwargs)

    # ------------------------------------------------------------------ serialisation
    def _to_dict(self) -> dict:
        return {"cfg": self.cfg, "lexicon": dump_lexicon(self._data["entries"]),
                "states": self._data["states"], "patterns": self._data["patterns"]}

    def _from_dict(self, data: dict) -> None:
        self.cfg.update(data.get("cfg", {}))
        self.spans_key = self.cfg["spans_key"]
        self._data = {"entries": parse_lexicon(data["lexicon"], "actors lexicon"),
                      "states": data["states"], "patterns": data["patterns"]}
        self._rebuild()

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return srsly.msgpack_dumps(self._to_dict())

    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = ()) -> "ActorRecognizer":
        self._from_dict(srsly.msgpack_loads(bytes_data))
        return self

    def to_disk(self, path, *, exclude: Iterable[str] = ()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        data = self._to_dict()
        srsly.write_json(path / "cfg", data["cfg"])
        (path / "lexicon.jsonl").write_text(data["lexicon"], encoding="utf-8")
        srsly.write_json(path / "states.json", data["states"])
        srsly.write_json(path / "patterns.json", data["patterns"])

    def from_disk(self, path, *, exclude: Iterable[str] = ()) -> "ActorRecognizer":
        path = ensure_path(path)
        self._from_dict({"cfg": srsly.read_json(path / "cfg"),
                         "lexicon": (path / "lexicon.jsonl").read_text(encoding="utf-8"),
                         "states": srsly.read_json(path / "states.json"),
                         "patterns": srsly.read_json(path / "patterns.json")})
        return self


@Language.factory(
    "commitments_actors",
    assigns=["doc.spans"],
    requires=["doc.sents"],
    default_config={"lexicon": None, "extra_lexicon": None, "use_ner": True, "mark_capitals": True,
                    "resolve_short_forms": True, "collective_window": 1500, "spans_key": SPANS_KEY},
    default_score_weights={"actors_f": 1.0, "actors_p": 0.0, "actors_r": 0.0},
)
def make_actor_recognizer(nlp: Language, name: str, lexicon: str | None, extra_lexicon: str | None,
                          use_ner: bool, mark_capitals: bool, resolve_short_forms: bool,
                          collective_window: int, spans_key: str) -> ActorRecognizer:
    return ActorRecognizer(nlp, name, lexicon=lexicon, extra_lexicon=extra_lexicon, use_ner=use_ner,
                           mark_capitals=mark_capitals, resolve_short_forms=resolve_short_forms,
                           collective_window=collective_window, spans_key=spans_key)

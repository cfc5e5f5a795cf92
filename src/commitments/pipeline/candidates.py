"""Permissive commitment candidates for the trained classifier.

A trained model (``commitments train``) does not look for commitments in
raw text: it scores *candidate spans*, each a guess at a commitment's action
phrase as GUIDELINES.md section 3 defines it (the committed verb phrase,
without its subject and trigger). This module proposes those candidates,
generously, so that the model can also recover commitments the rules miss:

* every verb phrase of the sentence (:func:`verb_phrase_spans`), from the
  dependency parse when there is one: the verb with its dependents, minus its
  subject, auxiliaries and coordinated verb phrases (each of which is a
  candidate of its own); passives also get a variant that starts at their
  subject ("the next conference will be held in Tokyo");
* without a parser (a blank pipeline), clause-sized stretches after each cue
  word (:func:`cue_spans`);
* the items of numbered lists, without their label (``doc.spans["point_items"]``
  when the points component ran);
* any spans the caller adds (the rules' own proposals, kept or rejected).

Candidates are plain ``(start_char, end_char, source)`` tuples, deduplicated
by offsets, so the same function serves training (on gold documents) and
extraction.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from spacy.tokens import Doc, Span, Token

__all__ = ["Candidate", "verb_phrase_spans", "cue_spans", "item_spans", "generate_candidates",
           "CUE_WORDS"]

#: Words that make a clause worth proposing when there is no parser.
CUE_WORDS = frozenset("""
will shall would agree agreed agrees decide decided decides pledge pledged pledges commit
committed commits undertake undertakes undertook resolve resolved resolves determined
willing ready aim aims seek seeks strive strives intend intends continue continues
reaffirm reaffirmed reaffirms adhere adheres endorse endorsed endorses vow vowed vows
promise promised promises going plan plans to
""".split())

_SUBJECTS = {"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"}
_PASSIVE_SUBJECTS = {"nsubjpass", "csubjpass"}
_LEFT_DROP = {"aux", "auxpass", "mark", "cc", "punct", "preconj", "intj"}
_TRAILING = {"advcl", "acl", "relcl", "npadvmod", "parataxis"}
_COMMITMENT_NOUNS = {"commitment", "commitments", "pledge", "pledges", "determination", "resolve"}
_EDGE_PUNCT = set(".,;:!?\"'“”‘’()[]-–—•*")
_CLAUSE_END = re.compile(r"[;:.!?\n]|,\s+(?:and|but|while|which|whereas)\b")
MIN_CHARS = 3


@dataclass(frozen=True)
class Candidate:
    """A span proposed as a commitment; ``source`` says who proposed it
    (``vp``, ``vp+subj``, ``cue``, ``item`` or a caller's own name)."""

    start: int
    end: int
    source: str = "vp"


def _is_verbal(tok: Token) -> bool:
    if tok.pos_ == "VERB":
        return True
    # copular heads ("will be open to ...") and auxiliaries used as main verbs
    return tok.pos_ == "AUX" and tok.dep_ not in ("aux", "auxpass")


def _trim(doc: Doc, i: int, j: int) -> tuple[int, int] | None:
    """Token range [i, j) without punctuation at its edges, as char offsets."""
    while i < j and (doc[i].is_punct or doc[i].text in _EDGE_PUNCT or doc[i].is_space):
        i += 1
    while j > i and (doc[j - 1].is_punct or doc[j - 1].text in _EDGE_PUNCT or doc[j - 1].is_space):
        j -= 1
    if i >= j:
        return None
    start, end = doc[i].idx, doc[j - 1].idx + len(doc[j - 1].text)
    return (start, end) if end - start >= MIN_CHARS else None


def _vp_range(verb: Token, core: bool = False) -> tuple[int, int, int | None]:
    """Token range [start, end) of ``verb``'s phrase and the start of its
    passive subject (or None). ``core`` also leaves out trailing modifiers
    (", taking ...", "while ...", a comma-separated adjunct)."""
    start, end = verb.i, verb.i + 1
    subj_start = None
    cut = None  # first token of the first coordinated verb phrase
    for child in verb.children:
        if child.dep_ in _SUBJECTS:
            if child.dep_ in _PASSIVE_SUBJECTS and child.i < verb.i:
                subj_start = child.left_edge.i
            continue
        if child.i < verb.i and (child.dep_ in _LEFT_DROP
                                 or (core and child.dep_ in ("prep", "advcl", "npadvmod"))):
            continue
        trailing = core and child.i > verb.i and (
            child.dep_ in _TRAILING or (child.left_edge.i > 0
                                        and verb.doc[child.left_edge.i - 1].text == ","))
        if (child.dep_ == "conj" and _is_verbal(child) and child.i > verb.i) or trailing:
            cut = child.left_edge.i if cut is None else min(cut, child.left_edge.i)
            continue
        start = min(start, child.left_edge.i)
        end = max(end, child.right_edge.i + 1)
    if cut is not None:
        end = min(end, cut) if end > cut else end
        # drop the coordinator and comma left before the cut
        while end > verb.i + 1 and (verb.doc[end - 1].dep_ == "cc" or verb.doc[end - 1].is_punct):
            end -= 1
    return start, end, subj_start


def verb_phrase_spans(doc: Doc) -> list[Candidate]:
    """One candidate per verb phrase of a parsed ``doc`` (see module doc)."""
    if not doc.has_annotation("DEP"):
        return []
    out = []
    for tok in doc:
        if not _is_verbal(tok):
            continue
        start, end, subj_start = _vp_range(tok)
        span = _trim(doc, start, end)
        if span:
            out.append(Candidate(*span, "vp"))
        if subj_start is not None and subj_start < start:
            span = _trim(doc, subj_start, end)
            if span:
                out.append(Candidate(*span, "vp+subj"))
        c_start, c_end, _ = _vp_range(tok, core=True)
        if c_end < end:
            span = _trim(doc, c_start, c_end)
            if span:
                out.append(Candidate(*span, "vp-core"))
    # "our commitment to X": the object X
    for tok in doc:
        if tok.lower_ in _COMMITMENT_NOUNS:
            for prep in tok.children:
                if prep.dep_ == "prep" and prep.lower_ == "to":
                    for obj in prep.children:
                        if obj.dep_ in ("pobj", "pcomp"):
                            span = _trim(doc, obj.left_edge.i, obj.right_edge.i + 1)
                            if span:
                                out.append(Candidate(*span, "noun"))
    return out


def cue_spans(doc: Doc) -> list[Candidate]:
    """Without a parser: the clause after each cue word, up to the next
    clause boundary (``;`` ``:`` sentence end, ", and" ...)."""
    text = doc.text
    out = []
    for tok in doc:
        if tok.lower_ not in CUE_WORDS:
            continue
        start = tok.idx + len(tok.text)
        m = _CLAUSE_END.search(text, start)
        end = m.start() if m else len(text)
        sub = text[start:end]
        lead = len(sub) - len(sub.lstrip(" \t\"'“”‘’"))
        s, e = start + lead, start + len(sub.rstrip(" \t\"'“”‘’,"))
        if e - s >= MIN_CHARS and e - s <= 400:
            out.append(Candidate(s, e, "cue"))
    return out


_ITEM_LABEL = re.compile(r"^\s*(?:\(?[0-9]{1,3}[.)]|\(?[a-zA-Z][.)]|\(?[ivxlcIVXLC]{1,5}[.)]|"
                         r"[•\-*–]|[A-Z][a-z]+(?:ly)?,)\s*")


def item_spans(doc: Doc) -> list[Candidate]:
    """The items of the points lists found by the points component, each
    without its label (GUIDELINES: "the item's text without its label")."""
    if "point_items" not in doc.spans:
        return []
    out = []
    for item in doc.spans["point_items"]:
        text = item.text
        m = _ITEM_LABEL.match(text)
        skip = m.end() if m else 0
        s = item.start_char + skip
        e = item.start_char + len(text.rstrip(" \t\n;.,"))
        if e - s >= MIN_CHARS:
            out.append(Candidate(s, e, "item"))
    return out


def generate_candidates(doc: Doc, extra: Iterable[tuple[int, int]] | Iterable[Candidate] = (),
                        max_chars: int = 600) -> list[Candidate]:
    """Every candidate of ``doc``, deduplicated by offsets, in text order.

    ``extra`` adds spans proposed elsewhere (the rules' candidates), as
    ``Candidate`` objects or ``(start, end)`` pairs; spans longer than
    ``max_chars`` are left out (no commitment is a page long).
    """
    found: dict[tuple[int, int], Candidate] = {}
    extras = [c if isinstance(c, Candidate) else Candidate(int(c[0]), int(c[1]), "rules")
              for c in extra]
    vps = verb_phrase_spans(doc)
    for cand in [*extras, *item_spans(doc), *vps, *([] if vps else cue_spans(doc))]:
        if cand.end - cand.start > max_chars or cand.end <= cand.start:
            continue
        found.setdefault((cand.start, cand.end), cand)
    return sorted(found.values(), key=lambda c: (c.start, c.end))


def sentence_of(doc: Doc, start: int, end: int) -> Span:
    """The sentence (or sentences) containing the character span."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not doc.has_annotation("SENT_START"):
        return doc[:]
    first, last = span[0].sent, span[-1].sent
    return doc[first.start:last.end]

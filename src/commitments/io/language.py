"""Language identification of a document's text, with py3langid.

Readers call :func:`detect_language` and store the code in
``Document.extra["language"]``; the extraction command uses it to refuse
texts it was not built for (the toolkit handles English).
"""
from __future__ import annotations

import functools

# Below this many letters the guess is too unreliable to store.
MIN_LETTERS = 20
# Characters taken from each of the start, middle and end of a long text.
SAMPLE_CHARS = 2000
# Normalised probability below which the reader stores no language.
MIN_CONFIDENCE = 0.5


@functools.lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def language_sample(text: str, size: int = SAMPLE_CHARS) -> str:
    """A bounded sample of ``text``: all of it when short, else its start,
    middle and end (so a long English preamble cannot hide a foreign body,
    and the cost does not grow with the text)."""
    if len(text) <= 3 * size:
        return text
    mid = len(text) // 2
    return "\n".join((text[:size], text[mid - size // 2: mid + size // 2], text[-size:]))


def detect_language(text: str) -> tuple[str | None, float]:
    """The language of ``text`` as ``(ISO 639-1 code, confidence in [0, 1])``.

    Returns ``(None, 0.0)`` when the text has fewer than ``MIN_LETTERS``
    letters: too little to tell.
    """
    sample = language_sample(text)
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return None, 0.0
    code, confidence = _identifier().classify(sample)
    return code, float(confidence)


def guess_language(text: str, min_confidence: float = MIN_CONFIDENCE) -> str | None:
    """The language code when the guess is confident enough, else ``None``."""
    code, confidence = detect_language(text)
    return code if code is not None and confidence >= min_confidence else None

"""The evidence of a link: the sentence of the later document that best
reports on the commitment.

Every sentence of the document gets the features ``EVIDENCE_FEATURES``
(similarity to the commitment, reference to the source document, status
cues, position, holders) and a logistic score with calibrated weights; the
best sentence wins.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .features import holder_overlap, key_term_overlap

EVIDENCE_FEATURES = ("bm25", "bm25_abs", "cos", "cos_rel", "src", "terms", "cue_fulfilled",
                     "cue_partial", "cue_reaffirmed", "cue_contradicted", "position", "holders", "short")


@dataclass
class Evidence:
    sentence: int       # row in the index
    start: int
    end: int
    text: str
    score: float


def sentence_features(index, row: int, candidates, query) -> np.ndarray:
    """One row of ``EVIDENCE_FEATURES`` per sentence of document ``row``."""
    rng = index.sentences_of(row)
    lo, hi = rng.start - candidates.s0, rng.stop - candidates.s0
    n = hi - lo
    bm25 = candidates.sent_bm25[lo:hi]
    top = float(bm25.max()) if n else 0.0
    x = np.zeros((n, len(EVIDENCE_FEATURES)), dtype=np.float64)
    x[:, 0] = bm25 / top if top > 0 else bm25
    x[:, 1] = bm25
    if candidates.sent_cos is not None:
        cos = np.nan_to_num(candidates.sent_cos[lo:hi], nan=0.0)
        x[:, 2] = cos
        x[:, 3] = cos - cos.max()
    x[:, 4] = candidates.sent_src[lo:hi]
    texts = index.sent_text[rng.start:rng.stop]
    if query.terms:
        x[:, 5] = [key_term_overlap(query.terms, t) for t in texts]
    x[:, 6:10] = np.minimum(index.sent_cues[rng.start:rng.stop], 3.0) / 3.0
    x[:, 10] = 1.0 / (1.0 + index.sent_pos[rng.start:rng.stop])
    x[:, 11] = [holder_overlap(query.holders, h) for h in index.sent_holders[rng.start:rng.stop]]
    x[:, 12] = [len(t) < 60 for t in texts]
    return x


def best_sentence(index, row: int, candidates, query, model) -> Evidence:
    """The evidence sentence of document ``row`` for a retrieved query;
    ``model`` is a ``RankModel`` over ``EVIDENCE_FEATURES``."""
    x = sentence_features(index, row, candidates, query)
    scores = model.logit(x, EVIDENCE_FEATURES)
    best = int(np.argmax(scores))
    i = index.sentences_of(row).start + best
    return Evidence(sentence=i, start=int(index.sent_start[i]), end=int(index.sent_end[i]),
                    text=index.sent_text[i], score=float(scores[best]))

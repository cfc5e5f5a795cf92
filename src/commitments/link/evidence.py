"""The evidence of a link: the sentence of the later document that best
reports on the commitment.

Every sentence of the document gets the features ``EVIDENCE_FEATURES``
(similarity to the commitment, its rank within the document and that of its
neighbours, reference to the source document, back-reference and report
cues, status cues, position, holders) and a logistic score with calibrated
weights; the best sentence wins. Gold evidence is often not the sentence
most similar to the commitment but one that refers back to it ("as agreed
at ...", "we reaffirm ...") or reports the action in other words ("was held
in Busan"): the cues of ``resources/link/evidence_cues.json`` catch those.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..packaged import resource_json
from .backref import BACKREF_FEATURES, backref_features
from .features import holder_overlap, key_term_overlap
from .text import tokenize

EVIDENCE_FEATURES = ("bm25", "bm25_abs", "cos", "cos_rel", "src", "terms", "cue_fulfilled",
                     "cue_partial", "cue_reaffirmed", "cue_contradicted", "position", "holders", "short",
                     "q_recall", "ctx_recall", "src_recall", "back_ref", "report", "verb", "length",
                     "bm25_rank", "cos_rank", "cos_nbr", "bm25_nbr", "last") + BACKREF_FEATURES
_BACKREF = len(EVIDENCE_FEATURES) - len(BACKREF_FEATURES)


@dataclass(frozen=True)
class EvidenceCues:
    back_reference: re.Pattern
    report: re.Pattern
    irregular_past: dict


@lru_cache(maxsize=1)
def evidence_cues() -> EvidenceCues:
    """The packaged ``evidence_cues.json``."""
    data = resource_json("link", "evidence_cues.json")
    return EvidenceCues(back_reference=re.compile(data["back_reference"], re.IGNORECASE),
                        report=re.compile(data["report"], re.IGNORECASE),
                        irregular_past=dict(data.get("irregular_past", {})))


def verb_forms(commitment_text: str) -> set[str]:
    """The first word of a commitment span (its verb: "hold", "visit") and
    its irregular past form, lower-cased."""
    words = re.findall(r"[a-z]+", commitment_text.lower())
    if not words:
        return set()
    past = evidence_cues().irregular_past.get(words[0])
    return {words[0]} | ({past} if past else set())


def token_recall(wanted: set[str], text: str) -> float:
    """Share of the tokens ``wanted`` (``tokenize`` output) found in ``text``."""
    if not wanted:
        return 0.0
    return len(wanted & set(tokenize(text))) / len(wanted)


def within_rank(values: np.ndarray) -> np.ndarray:
    """1 / (1 + rank) of each value within its document (best = 1)."""
    order = np.argsort(np.argsort(-values, kind="stable"), kind="stable")
    return 1.0 / (1.0 + order)


def neighbour_max(values: np.ndarray) -> np.ndarray:
    """For each position, the larger of the previous and the next value
    (the array minimum at the edges)."""
    if not len(values):
        return values
    edge = values.min()
    padded = np.concatenate([[edge], values, [edge]])
    return np.maximum(padded[:-2], padded[2:])


@dataclass
class Evidence:
    sentence: int       # row in the index
    start: int
    end: int
    text: str
    score: float


def uses_backref(model) -> bool:
    """Whether an evidence ``RankModel`` weighs any of ``BACKREF_FEATURES``."""
    return any(model.weights.get(f, 0.0) for f in BACKREF_FEATURES)


def sentence_features(index, row: int, candidates, query, backref: bool = True) -> np.ndarray:
    """One row of ``EVIDENCE_FEATURES`` per sentence of document ``row``
    (``backref`` False: the ``BACKREF_FEATURES`` columns are left at 0, for
    a model that does not use them)."""
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
    cues = evidence_cues()
    q_tokens, ctx_tokens, src_tokens = set(tokenize(query.text)), set(tokenize(query.context)), set(query.source_tokens)
    verbs = verb_forms(query.text)
    for k, t in enumerate(texts):
        tokens = set(tokenize(t))
        x[k, 13] = len(q_tokens & tokens) / len(q_tokens) if q_tokens else 0.0
        x[k, 14] = len(ctx_tokens & tokens) / len(ctx_tokens) if ctx_tokens else 0.0
        x[k, 15] = len(src_tokens & tokens) / len(src_tokens) if src_tokens else 0.0
        x[k, 16] = cues.back_reference.search(t) is not None
        x[k, 17] = cues.report.search(t) is not None
        x[k, 18] = bool(verbs & set(re.findall(r"[a-z]+", t.lower())))
        x[k, 19] = np.log1p(len(t)) / 6.0
    x[:, 20] = within_rank(x[:, 0])
    if candidates.sent_cos is not None:  # no cosine: leave its rank features at 0
        x[:, 21] = within_rank(x[:, 2])
        x[:, 22] = neighbour_max(x[:, 2]) - (x[:, 2].max() if n else 0.0)
    x[:, 23] = neighbour_max(x[:, 0])
    if n:
        x[-1, 24] = 1.0
    if backref:
        x[:, _BACKREF:] = backref_features(texts, getattr(query, "source_signals", None))
    return x


def sentence_logits(index, row: int, candidates, query, model) -> np.ndarray:
    """The evidence logit of every sentence of document ``row`` (document order)."""
    x = sentence_features(index, row, candidates, query, backref=uses_backref(model))
    return model.logit(x, EVIDENCE_FEATURES)


def evidence_at(index, row: int, position: int, score: float) -> Evidence:
    """The ``position``-th sentence of document ``row`` as evidence with ``score``."""
    i = index.sentences_of(row).start + int(position)
    return Evidence(sentence=i, start=int(index.sent_start[i]), end=int(index.sent_end[i]),
                    text=index.sent_text[i], score=float(score))


def top_sentences(index, row: int, candidates, query, model, n: int = 1) -> list[Evidence]:
    """The ``n`` best evidence sentences of document ``row``, best first;
    ``model`` is a ``RankModel`` over ``EVIDENCE_FEATURES``."""
    scores = sentence_logits(index, row, candidates, query, model)
    return [evidence_at(index, row, int(best), scores[best]) for best in np.argsort(-scores, kind="stable")[:n]]


def best_sentence(index, row: int, candidates, query, model) -> Evidence:
    """The evidence sentence of document ``row`` for a retrieved query."""
    return top_sentences(index, row, candidates, query, model, 1)[0]

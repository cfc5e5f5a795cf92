"""Filling the top-k link slots of one commitment with (document, sentence) pairs.

A link is a hit when both its document and its evidence sentence are right,
so the chance of a hit of the pair (document d, sentence s) is

    P(hit) = P(d is a right document) x P(s is the evidence | d)

``P(d)`` is the document model's Platt-scaled score; ``P(s | d)`` is the
softmax of the evidence model's sentence logits within ``d`` (a
conditional logit, so its softmax is the model's own probability),
tempered by ``temperature`` (> 1 flattens, < 1 sharpens). The ``joint``
rule ranks every pair by ``P(d) x P(s | d) ** alpha`` and fills the slots
with the best pairs: a likely document may take several slots when its
best sentence is uncertain, an unlikely one none. ``cap`` bounds the slots
of one document. With ``alpha`` 0 and ``cap`` 1 it is the old rule (each
slot a different document, with its best sentence).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Slot:
    """One link to make: candidate ``doc`` (its position in the candidate
    list), ``sentence`` (position within the document), and its score, the
    estimated probability of a hit (``doc_prob x sentence_prob``)."""

    doc: int
    sentence: int
    score: float
    doc_prob: float
    sentence_prob: float


def sentence_probabilities(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Softmax of ``logits / temperature`` (one document's sentences)."""
    if temperature <= 0:
        raise ValueError("temperature must be positive")
    z = np.asarray(logits, dtype=np.float64) / temperature
    if not len(z):
        return z
    e = np.exp(z - z.max())
    return e / e.sum()


def joint_slots(doc_probs, sentence_logits, k: int, temperature: float = 1.0, alpha: float = 1.0,
                cap: int | None = None, anchor: bool = False) -> list[Slot]:
    """The ``k`` best (document, sentence) pairs, best first.

    ``doc_probs``: P(document is right), one per candidate document;
    ``sentence_logits``: per candidate, the evidence logits of its sentences.
    Pairs are ranked by ``doc_prob * sentence_prob ** alpha``; ties go to
    the earlier document, then the earlier sentence. ``cap``: at most that
    many slots per document (None: no bound). A document without sentences
    takes no slot. The returned ``score`` is that ranking value.

    ``anchor``: the first slot is the most likely document with its best
    sentence, scored ``doc_prob`` (at least any pair's value, so it stays
    first), whatever the sentence probabilities; the joint rule fills the
    other slots. The first link is then the one-document-per-slot rule's.
    """
    if len(doc_probs) != len(sentence_logits):
        raise ValueError("one list of sentence logits per document")
    pairs = []  # (-value, doc, sentence, doc_prob, sentence_prob)
    for d, (p_doc, logits) in enumerate(zip(doc_probs, sentence_logits)):
        probs = sentence_probabilities(logits, temperature)
        order = np.argsort(-probs, kind="stable")
        if cap is not None:
            order = order[:cap]
        for s in order[:k]:  # no document needs more than k of its own pairs
            p_sent = float(probs[s])
            pairs.append((-(float(p_doc) * p_sent ** alpha), d, int(s), float(p_doc), p_sent))
    pairs.sort()
    if anchor and pairs:
        top = max(range(len(pairs)), key=lambda i: (pairs[i][3], -pairs[i][1], pairs[i][4]))
        first = pairs.pop(top)
        pairs.insert(0, (-first[3],) + first[1:])
    return [Slot(doc=d, sentence=s, score=-v, doc_prob=pd, sentence_prob=ps) for v, d, s, pd, ps in pairs[:k]]

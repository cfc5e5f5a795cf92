"""Candidate retrieval: the later documents most similar to a commitment.

A query scores the sentences of the documents that may follow the
commitment (a suffix of the index, see ``LinkIndex.first_eligible``) with
BM25 and, when the index has embeddings, with cosine similarity, then keeps
the best documents by each signal. Everything is vectorised with numpy and
touches only the eligible suffix; the per-candidate work that follows
(features, evidence) is bounded by the number of candidates, not by the
corpus size.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..model import Commitment, Document
from .backref import SourceSignals, source_signals
from .features import document_holders, key_terms
from .index import LinkIndex
from .text import split_sentences, tokenize


@dataclass
class Query:
    """What the linker knows about one commitment."""

    key: str
    source_doc: str
    date: str | None
    text: str
    context: str
    holders: list[str]
    deadline: str | None
    tokens: list[str]
    terms: list[str]
    source_tokens: list[str]
    vector: np.ndarray | None = None
    # actors of the whole source document, and the mean vector of its
    # commitments (set by ``linker.embed_queries``): what the source is about
    source_holders: list[str] = field(default_factory=list)
    source_vector: np.ndarray | None = None
    # what names the source document's event (``backref.source_signals``)
    source_signals: SourceSignals | None = None


def context_sentence(doc: Document, commitment: Commitment) -> str:
    """The sentence(s) of ``doc`` that contain the commitment span."""
    spans = [(s, e) for s, e in split_sentences(doc.text) if s < commitment.end and e > commitment.start]
    if not spans:
        return commitment.text
    return doc.text[spans[0][0]:spans[-1][1]]


def make_query(doc: Document, commitment: Commitment, source_holders: list[str] | None = None) -> Query:
    """The query of ``commitment`` of ``doc`` (``source_holders``: the
    document's holders when already computed, see ``document_holders``)."""
    text = commitment.text or doc.text[commitment.start:commitment.end]
    context = context_sentence(doc, commitment)
    tokens = tokenize(text) + tokenize(context)
    # how a later text refers back to the source: its title (or opening)
    source = doc.title or doc.text[:200]
    return Query(key=f"{doc.id}#{commitment.id}", source_doc=doc.id, date=doc.date, text=text,
                 context=context, holders=list(commitment.holders or []), deadline=commitment.deadline,
                 tokens=tokens, terms=key_terms(context), source_tokens=tokenize(source),
                 source_holders=sorted(document_holders(doc) if source_holders is None else source_holders),
                 source_signals=source_signals(doc.title, doc.text, doc.date))


@dataclass
class Candidates:
    """Scores of one query over the eligible suffix of the index.

    ``sent_*`` arrays cover sentences ``s0..`` of the index (BM25 divided by
    its maximum; cosine raw, NaN where not computed); ``rows`` are the
    candidate documents; ``doc_*`` arrays give one value per candidate row.
    """

    first: int
    s0: int
    sent_bm25: np.ndarray
    sent_cos: np.ndarray | None
    sent_src: np.ndarray
    doc_src: np.ndarray
    rows: np.ndarray
    doc_bm25_sent: np.ndarray
    doc_bm25: np.ndarray
    doc_cos_sent: np.ndarray
    doc_cos_top: np.ndarray


def _normalise(scores: np.ndarray) -> np.ndarray:
    top = float(scores.max()) if scores.size else 0.0
    return scores / top if top > 0 else scores


def retrieve(index: LinkIndex, query: Query, n_docs: int = 40,
             full_semantic_limit: int = 3_000_000) -> Candidates:
    """Score the documents that may follow ``query`` and keep candidates.

    Candidates are the union of the ``n_docs`` best documents by best-sentence
    BM25, whole-document BM25 and (with embeddings) best-sentence cosine.
    Cosine similarity is a matrix product over all eligible sentences while
    they number at most ``full_semantic_limit``; beyond, only over the
    sentences of the lexical candidates.
    """
    first = index.first_eligible(query.date)
    n = index.n_docs
    s0 = int(index.doc_offsets[first]) if first < n else index.n_sentences
    own = index.row_of.get(query.source_doc)
    if first >= n:
        empty = np.zeros(0)
        return Candidates(first, s0, empty, None, empty, empty, np.zeros(0, dtype=np.int64), empty, empty,
                          empty, empty)
    starts = index.doc_offsets[first:n] - s0
    sent_bm25 = np.asarray(index.bm25_sentences.get_scores(query.tokens), dtype=np.float32)[s0:]
    doc_bm25 = np.asarray(index.bm25_docs.get_scores(query.tokens), dtype=np.float32)[first:]
    sent_src = np.asarray(index.bm25_sentences.get_scores(query.source_tokens), dtype=np.float32)[s0:]
    doc_src = np.asarray(index.bm25_docs.get_scores(query.source_tokens), dtype=np.float32)[first:]
    if own is not None and own >= first:
        for arr in (sent_bm25, sent_src):
            arr[index.doc_offsets[own] - s0:index.doc_offsets[own + 1] - s0] = 0.0
        doc_bm25[own - first] = 0.0
        doc_src[own - first] = 0.0
    sent_bm25, doc_bm25 = _normalise(sent_bm25), _normalise(doc_bm25)
    sent_src, doc_src = _normalise(sent_src), _normalise(doc_src)
    best_sent = np.maximum.reduceat(sent_bm25, starts)
    pools = [_top(best_sent, n_docs), _top(doc_bm25, n_docs)]

    sent_cos = None
    if index.embeddings is not None and query.vector is not None:
        q = query.vector.astype(np.float32)
        if index.n_sentences - s0 <= full_semantic_limit:
            sent_cos = np.asarray(index.embeddings[s0:] @ q, dtype=np.float32)
        else:
            rows = np.unique(np.concatenate(pools))
            idx = np.concatenate([np.arange(index.doc_offsets[first + r], index.doc_offsets[first + r + 1])
                                  for r in rows])
            sent_cos = np.full(index.n_sentences - s0, np.nan, dtype=np.float32)
            sent_cos[idx - s0] = np.asarray(index.embeddings[idx] @ q, dtype=np.float32)
        if own is not None and own >= first:
            sent_cos[index.doc_offsets[own] - s0:index.doc_offsets[own + 1] - s0] = np.nan
        filled = np.nan_to_num(sent_cos, nan=-1.0)
        best_cos = np.maximum.reduceat(filled, starts)
        pools.append(_top(best_cos, n_docs))
    rows = np.unique(np.concatenate(pools))
    if own is not None and own >= first:
        rows = rows[rows != own - first]
    cos_sent = np.zeros(len(rows), dtype=np.float32)
    cos_top = np.zeros(len(rows), dtype=np.float32)
    if sent_cos is not None:
        for j, r in enumerate(rows):
            vals = sent_cos[starts[r]:(starts[r + 1] if r + 1 < len(starts) else len(sent_cos))]
            vals = vals[~np.isnan(vals)]
            if vals.size:
                top = np.sort(vals)[-3:]
                cos_sent[j] = top[-1]
                cos_top[j] = top.mean()
    return Candidates(first=first, s0=s0, sent_bm25=sent_bm25, sent_cos=sent_cos, sent_src=sent_src,
                      doc_src=doc_src[rows], rows=rows + first,
                      doc_bm25_sent=best_sent[rows], doc_bm25=doc_bm25[rows], doc_cos_sent=cos_sent,
                      doc_cos_top=cos_top)


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    positive = np.flatnonzero(scores > (0 if scores.min(initial=0) >= 0 else -1))
    if positive.size <= k:
        return positive
    part = np.argpartition(-scores[positive], k - 1)[:k]
    return positive[part]

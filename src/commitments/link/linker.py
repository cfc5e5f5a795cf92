"""Follow-through linking end to end: for each commitment, rank the later
documents of an index and give the top ones with their evidence sentence,
status and score (FORMAT.md links)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

import numpy as np

from ..model import Document, Link
from .evidence import Evidence, evidence_at, sentence_logits
from .features import document_holders
from .index import LinkIndex
from .rank import LinkSettings, feature_matrix, load_settings
from .retrieve import Candidates, Query, make_query, retrieve
from .slots import joint_slots
from .status import StatusCues, StatusModel, classify_status, load_cues, load_status_model


@dataclass
class Ranked:
    """The candidates of one query, scored: ``order`` lists them best first."""

    query: Query
    candidates: Candidates
    evidence: list[Evidence]
    runner_up: list[Evidence | None]
    logits: list[np.ndarray]  # per candidate: the evidence logit of each of its sentences
    features: np.ndarray
    scores: np.ndarray
    order: np.ndarray


def queries(documents: Iterable[Document]) -> Iterator[tuple[Document, Query]]:
    for doc in documents:
        if not doc.commitments:
            continue
        holders = sorted(document_holders(doc))
        for com in doc.commitments:
            yield doc, make_query(doc, com, holders)


def embed_queries(qs: list[Query], encoder) -> None:
    """Fill ``vector`` of each query: the commitment and its sentence, averaged."""
    if encoder is None or not qs:
        return
    both = encoder.encode([q.text for q in qs]) + encoder.encode([q.context for q in qs])
    both /= np.maximum(np.linalg.norm(both, axis=1, keepdims=True), 1e-9)
    by_source: dict[str, list[Query]] = {}
    for q, v in zip(qs, both):
        q.vector = v
        by_source.setdefault(q.source_doc, []).append(q)
    for group in by_source.values():
        mean = np.mean([q.vector for q in group], axis=0)
        mean /= max(float(np.linalg.norm(mean)), 1e-9)
        for q in group:
            q.source_vector = mean


def rank_query(index: LinkIndex, query: Query, settings: LinkSettings) -> Ranked:
    """Retrieve, find each candidate's evidence, score and order."""
    cands = retrieve(index, query, n_docs=settings.n_candidates)
    logits = [sentence_logits(index, int(row), cands, query, settings.evidence) for row in cands.rows]
    evidence, runner_up = [], []
    for row, lg in zip(cands.rows, logits):
        order = np.argsort(-lg, kind="stable")
        evidence.append(evidence_at(index, int(row), int(order[0]), lg[order[0]]))
        runner_up.append(evidence_at(index, int(row), int(order[1]), lg[order[1]]) if len(order) > 1 else None)
    ev_scores = np.array([e.score for e in evidence], dtype=np.float64)
    model = settings.model(index.embeddings is not None and query.vector is not None)
    x = feature_matrix(index, query, cands, ev_scores, backref=bool(model.weights.get("back_doc", 0.0)))
    scores = model.score(x) if len(x) else np.zeros(0)
    return Ranked(query, cands, evidence, runner_up, logits, x, scores, np.argsort(-scores, kind="stable"))


def evidence_status(index: LinkIndex, ev: Evidence, cues: StatusCues | None = None,
                    status_model: StatusModel | None = None, commitment: str | None = None) -> str:
    """The status of a link from its evidence sentence (and the text of the
    commitment, for cues that depend on it): the learned model when it
    applies to this index (same embedding model), else the cues."""
    if status_model is not None and status_model.applies_to(index):
        return status_model.classify(ev.text, index.embeddings[ev.sentence])
    return classify_status(ev.text, cues, commitment)


def default_status_model(cues: StatusCues | None) -> StatusModel | None:
    """The packaged status model, unless custom cues were given (they decide then)."""
    return load_status_model() if cues is None or cues == load_cues() else None


def link_query(index: LinkIndex, query: Query, settings: LinkSettings, cues: StatusCues | None = None,
               top_k: int | None = None, status_model: StatusModel | None = None) -> list[Link]:
    """The top links of one commitment, best first (``status_model``: see
    ``evidence_status``; None: status from the cues)."""
    ranked = rank_query(index, query, settings)
    model = settings.model(index.embeddings is not None and query.vector is not None)
    if settings.slots == "joint":
        return _joint_links(index, query, settings, ranked, model.threshold, cues, top_k, status_model)
    picks = []  # (candidate, evidence, is the document's second sentence)
    for pos, j in enumerate(ranked.order):
        picks.append((j, ranked.evidence[j], False))
        second = ranked.runner_up[j]
        if (pos < settings.second_docs and second is not None
                and ranked.evidence[j].score - second.score <= settings.second_gap):
            picks.append((j, second, True))
    links = []
    for pos, (j, ev, is_second) in enumerate(picks[: top_k or settings.top_k]):
        row, score = int(ranked.candidates.rows[j]), float(ranked.scores[j])
        # a second sentence ranks right after the first one of its document, never kept
        score = round(score, 4) - (0.0001 if is_second else 0.0)
        links.append(Link(commitment=query.key, doc=index.docs[row]["id"], start=ev.start, end=ev.end,
                          status=evidence_status(index, ev, cues, status_model, query.text), score=round(score, 4),
                          extra={"kept": bool(not is_second and settings.may_keep(pos) and score >= model.threshold),
                                 "evidence": ev.text}))
    return links


def _joint_links(index: LinkIndex, query: Query, settings: LinkSettings, ranked: Ranked, threshold: float,
                 cues: StatusCues | None, top_k: int | None, status_model: StatusModel | None) -> list[Link]:
    """``link_query`` with the joint rule: the best (document, sentence)
    pairs (``slots.joint_slots``), ranked by their score; a link is kept
    when its estimated chance of a hit, P(doc) x P(sentence | doc), reaches
    ``threshold``, and with ``kept_first`` only the first link may be kept
    (with ``slot_anchor`` the first link's score is P(doc), which only keeps
    it first)."""
    links = []
    for pos, sl in enumerate(joint_slots(ranked.scores, ranked.logits, top_k or settings.top_k,
                                         settings.slot_temperature, settings.slot_alpha, settings.slot_cap or None,
                                         settings.slot_anchor)):
        row = int(ranked.candidates.rows[sl.doc])
        ev = evidence_at(index, row, sl.sentence, ranked.logits[sl.doc][sl.sentence])
        score = round(sl.score, 4)
        links.append(Link(commitment=query.key, doc=index.docs[row]["id"], start=ev.start, end=ev.end,
                          status=evidence_status(index, ev, cues, status_model, query.text), score=score,
                          extra={"kept": bool(settings.may_keep(pos)
                                              and round(sl.doc_prob * sl.sentence_prob, 4) >= threshold),
                                 "evidence": ev.text}))
    return links


def link_commitments(documents: Iterable[Document], index: LinkIndex, encoder=None,
                     settings: LinkSettings | None = None, cues: StatusCues | None = None,
                     top_k: int | None = None,
                     progress: Callable[[int, int], None] | None = None) -> list[Link]:
    """Link every commitment of ``documents`` to later documents of ``index``.

    ``encoder`` must be given when the index has embeddings (the queries are
    embedded with it); without it, or with a lexical index, ranking uses the
    lexical weights.
    """
    settings = settings or load_settings()
    status_model = default_status_model(cues)
    cues = cues or load_cues()
    qs = [q for _, q in queries(documents)]
    if index.embeddings is not None and encoder is not None:
        embed_queries(qs, encoder)
    out: list[Link] = []
    for i, q in enumerate(qs):
        out.extend(link_query(index, q, settings, cues, top_k, status_model))
        if progress:
            progress(i + 1, len(qs))
    return out

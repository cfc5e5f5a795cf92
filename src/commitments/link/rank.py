"""Ranking candidates: one feature vector per (commitment, later document)
and a logistic score with weights calibrated on gold links
(``resources/link/defaults.json``, written by ``scripts/calibrate_link.py``).
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import InputError
from ..packaged import resource_json
from .backref import document_back_reference
from .evidence import EVIDENCE_FEATURES
from .features import date_bounds, deadline_proximity, holder_overlap, key_term_overlap, time_gap
from .text import tokenize

FEATURES = ("bm25_sent", "bm25_doc", "cos_sent", "cos_top", "holders", "deadline", "gap", "terms",
            "src_doc", "ev_best", "doc_cos", "src_holders", "title_recall", "title_terms", "rank_cos",
            "rank_bm25", "log_gap", "doc_length", "back_doc", "same_date")
# features that need sentence embeddings (0 in a lexical index)
EMBEDDING_FEATURES = frozenset({"cos_sent", "cos_top", "doc_cos", "rank_cos"})


@dataclass
class RankModel:
    """Weights of the logistic score and the threshold above which a link is kept."""

    weights: dict[str, float]
    bias: float = 0.0
    threshold: float = 0.5

    def logit(self, x: np.ndarray, names: tuple[str, ...] = FEATURES) -> np.ndarray:
        w = np.array([self.weights.get(f, 0.0) for f in names])
        return x @ w + self.bias

    def score(self, x: np.ndarray, names: tuple[str, ...] = FEATURES) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.logit(x, names)))


@dataclass
class LinkSettings:
    """Everything the linker is tuned with; defaults from the packaged data file."""

    top_k: int = 5
    n_candidates: int = 40
    # a second evidence sentence of one of the ``second_docs`` best documents
    # takes a slot right after the first when its evidence logit is within
    # ``second_gap`` of the best one (0 docs: one sentence per document)
    second_docs: int = 0
    second_gap: float = 0.0
    # how the top_k slots are filled (``slots.joint_slots``): "best", each
    # slot a different document with its best sentence (and the second
    # sentence rule above); "joint", the best (document, sentence) pairs by
    # P(document) x P(sentence | document) ** slot_alpha, the sentence
    # softmax at ``slot_temperature``, at most ``slot_cap`` per document (0: no
    # cap); ``slot_anchor``: the first slot stays the best document's best sentence
    slots: str = "best"
    slot_temperature: float = 1.0
    slot_alpha: float = 1.0
    slot_cap: int = 0
    slot_anchor: bool = False
    # only a commitment's first link (its most likely document with its best
    # sentence) may be kept; otherwise any link above the threshold
    kept_first: bool = False
    embeddings: RankModel = field(default_factory=lambda: RankModel({}))
    lexical: RankModel = field(default_factory=lambda: RankModel({}))
    evidence: RankModel = field(default_factory=lambda: RankModel({}))

    def model(self, with_embeddings: bool) -> RankModel:
        return self.embeddings if with_embeddings else self.lexical

    def may_keep(self, position: int) -> bool:
        """Whether the link in this slot (0 = first) may be kept at all: any
        slot, or with ``kept_first`` only the first."""
        return position == 0 or not self.kept_first


def _model(data: dict, names: tuple[str, ...] = FEATURES) -> RankModel:
    unknown = set(data.get("weights", {})) - set(names)
    if unknown:
        raise InputError(f"link settings: unknown features {', '.join(sorted(unknown))}")
    return RankModel(weights=dict(data.get("weights", {})), bias=float(data.get("bias", 0.0)),
                     threshold=float(data.get("threshold", 0.5)))


SLOT_RULES = ("best", "joint")


def settings_from_dict(data: dict) -> LinkSettings:
    slots = data.get("slots", "best")
    if slots not in SLOT_RULES:
        raise InputError(f"link settings: slots must be one of {', '.join(SLOT_RULES)}, not {slots!r}")
    temperature = float(data.get("slot_temperature", 1.0))
    if temperature <= 0:
        raise InputError(f"link settings: slot_temperature must be positive, not {temperature}")
    return LinkSettings(top_k=int(data.get("top_k", 5)), n_candidates=int(data.get("n_candidates", 40)),
                        second_docs=int(data.get("second_docs", 0)), second_gap=float(data.get("second_gap", 0.0)),
                        slots=slots, slot_temperature=temperature, slot_alpha=float(data.get("slot_alpha", 1.0)),
                        slot_cap=int(data.get("slot_cap", 0)), slot_anchor=bool(data.get("slot_anchor", False)),
                        kept_first=bool(data.get("kept_first", False)),
                        embeddings=_model(data.get("embeddings", {})), lexical=_model(data.get("lexical", {})),
                        evidence=_model(data.get("evidence", {}), EVIDENCE_FEATURES))


def settings_to_dict(s: LinkSettings) -> dict:
    def model(m: RankModel) -> dict:
        return {"weights": {k: round(v, 4) for k, v in m.weights.items()}, "bias": round(m.bias, 4),
                "threshold": round(m.threshold, 4)}
    return {"top_k": s.top_k, "n_candidates": s.n_candidates, "second_docs": s.second_docs,
            "second_gap": round(s.second_gap, 4), "slots": s.slots,
            "slot_temperature": round(s.slot_temperature, 4), "slot_alpha": round(s.slot_alpha, 4),
            "slot_cap": s.slot_cap, "slot_anchor": s.slot_anchor, "kept_first": s.kept_first,
            "embeddings": model(s.embeddings),
            "lexical": model(s.lexical), "evidence": model(s.evidence)}


def load_settings(path: str | Path | None = None) -> LinkSettings:
    """Settings from ``path`` (JSON) or the packaged calibrated defaults."""
    if path is None:
        return _packaged()
    try:
        return settings_from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: cannot read link settings ({exc})") from None


@lru_cache(maxsize=1)
def _packaged() -> LinkSettings:
    return settings_from_dict(resource_json("link", "defaults.json"))


def within_rank(values: np.ndarray) -> np.ndarray:
    """1 / (1 + rank) of each value among ``values`` (best = 1, ties by position)."""
    order = np.argsort(np.argsort(-np.asarray(values), kind="stable"), kind="stable")
    return 1.0 / (1.0 + order)


def jaccard(a, b) -> float:
    a, b = set(a), set(b)
    return len(a & b) / len(a | b) if a or b else 0.0


def log_gap(source_date: str | None, doc_date: str | None) -> float:
    """log(1 + days from the source to the later document) / 8 (about 1 at 8 years)."""
    src, when = date_bounds(source_date), date_bounds(doc_date)
    if src is None or when is None:
        return 0.0
    return math.log1p(max(0, when[0] - src[0])) / 8.0


def same_date(source_date: str | None, doc_date: str | None) -> float:
    """1.0 when both documents are dated to the day and it is the same day.
    A text of the source's own date is mostly another account of the same
    event (a communique and its summary, a readout of the same meeting)
    rather than a report of follow-through. A coarser date ("2024",
    "2024-05") says nothing either way: 0.0, so that a corpus dated by year
    or month is not penalised wholesale."""
    src, when = date_bounds(source_date), date_bounds(doc_date)
    if src is None or when is None or src[0] != src[1] or when[0] != when[1]:
        return 0.0
    return 1.0 if when[0] == src[0] else 0.0


def feature_matrix(index, query, candidates, evidence_scores: np.ndarray, backref: bool = True) -> np.ndarray:
    """One row of ``FEATURES`` per candidate document of ``candidates``
    (``evidence_scores``: the logit of each candidate's best sentence;
    ``backref`` False: ``back_doc`` left at 0, for a model without it)."""
    centroids = index.doc_centroids() if query.source_vector is not None else None
    has_cos = index.embeddings is not None and query.vector is not None
    q_tokens = set(tokenize(query.text))
    rows = []
    for j, row in enumerate(candidates.rows):
        row = int(row)
        meta = index.docs[row]
        title = meta.get("title") or ""
        rows.append([
            float(candidates.doc_bm25_sent[j]),
            float(candidates.doc_bm25[j]),
            float(candidates.doc_cos_sent[j]),
            float(candidates.doc_cos_top[j]),
            holder_overlap(query.holders, meta.get("holders", ())),
            deadline_proximity(query.deadline, meta.get("date")),
            time_gap(query.date, meta.get("date")),
            key_term_overlap(query.terms, index.doc_text(row)) if query.terms else 0.0,
            float(candidates.doc_src[j]),
            float(evidence_scores[j]),
            float(centroids[row] @ query.source_vector) if centroids is not None else 0.0,
            jaccard(query.source_holders, meta.get("holders", ())),
            len(q_tokens & set(tokenize(title))) / len(q_tokens) if q_tokens and title else 0.0,
            key_term_overlap(query.terms, title) if query.terms and title else 0.0,
            0.0,  # rank_cos, below
            0.0,  # rank_bm25, below
            log_gap(query.date, meta.get("date")),
            math.log1p(len(index.sentences_of(row))) / 4.0,
            document_back_reference(index.sent_text[index.sentences_of(row).start:index.sentences_of(row).stop],
                                    getattr(query, "source_signals", None)) if backref else 0.0,
            same_date(query.date, meta.get("date")),
        ])
    x = np.array(rows, dtype=np.float64).reshape(-1, len(FEATURES))
    if len(x):
        if has_cos:
            x[:, FEATURES.index("rank_cos")] = within_rank(x[:, FEATURES.index("cos_sent")])
        x[:, FEATURES.index("rank_bm25")] = within_rank(x[:, FEATURES.index("bm25_doc")])
    return x


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))

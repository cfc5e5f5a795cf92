"""What a later text reports about a commitment: ``fulfilled``, ``partial``,
``reaffirmed`` or ``contradicted``, read from the evidence sentence with
cues kept as data (``resources/link/status_cues.json``).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from ..model import LINK_STATUSES
from ..packaged import resource_json

if TYPE_CHECKING:  # numpy is imported where it is used: reading the cues needs no numpy
    import numpy as np

_CUE_KEYS = {"status", "pattern", "weight", "commitment"}


@dataclass(frozen=True)
class StatusCue:
    """A cue: ``pattern`` in the evidence sentence signals ``status`` with
    ``weight``; with ``commitment`` (a pattern too) only for commitments
    whose text matches it ("their first meeting in five years" contradicts
    a pledge to meet every year, not a pledge to meet once)."""

    status: str
    pattern: re.Pattern
    weight: float = 1.0
    commitment: re.Pattern | None = None

    def applies(self, commitment: str | None) -> bool:
        """Whether the cue counts for a commitment with text ``commitment``
        (every cue counts when the commitment is not known)."""
        return self.commitment is None or commitment is None or self.commitment.search(commitment) is not None

    @classmethod
    def from_dict(cls, data: dict) -> "StatusCue":
        unknown = set(data) - _CUE_KEYS
        if unknown:
            raise InputError(f"status cue has unknown keys: {', '.join(sorted(unknown))}")
        if data.get("status") not in LINK_STATUSES:
            raise InputError(f"status cue has unknown status {data.get('status')!r}")
        try:
            pattern = re.compile(data["pattern"], re.IGNORECASE)
            commitment = re.compile(data["commitment"], re.IGNORECASE) if data.get("commitment") else None
        except (KeyError, re.error) as exc:
            raise InputError(f"status cue has a bad pattern: {exc}") from None
        return cls(status=data["status"], pattern=pattern, weight=float(data.get("weight", 1.0)),
                   commitment=commitment)


@dataclass(frozen=True)
class StatusCues:
    cues: tuple[StatusCue, ...]
    default: str = "reaffirmed"


def load_cues(path: str | Path | None = None) -> StatusCues:
    """Read cues from ``path``, or the packaged ``status_cues.json``."""
    if path is None:
        return _packaged_cues()
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: cannot read status cues ({exc})") from None
    return _parse(data)


@lru_cache(maxsize=1)
def _packaged_cues() -> StatusCues:
    return _parse(resource_json("link", "status_cues.json"))


def _parse(data: dict) -> StatusCues:
    default = data.get("default", "reaffirmed")
    if default not in LINK_STATUSES:
        raise InputError(f"status cues: unknown default status {default!r}")
    return StatusCues(cues=tuple(StatusCue.from_dict(c) for c in data.get("cues", [])), default=default)


def status_scores(text: str, cues: StatusCues | None = None, commitment: str | None = None) -> dict[str, float]:
    """Total cue weight per status found in ``text`` (the evidence sentence)
    for a commitment with text ``commitment`` (None: not known, every cue
    counts)."""
    cues = cues or _packaged_cues()
    scores = {s: 0.0 for s in LINK_STATUSES}
    for cue in cues.cues:
        if cue.applies(commitment) and cue.pattern.search(text):
            scores[cue.status] += cue.weight
    return scores


def classify_status(text: str, cues: StatusCues | None = None, commitment: str | None = None) -> str:
    """The status with the highest cue weight in ``text`` (for a commitment
    with text ``commitment``, when known); the default (``reaffirmed``) when
    no cue fires. Ties go to the order contradicted, fulfilled, partial,
    reaffirmed."""
    cues = cues or _packaged_cues()
    scores = status_scores(text, cues, commitment)
    best = max(scores.values())
    if best <= 0:
        return cues.default
    for status in ("contradicted", "fulfilled", "partial", "reaffirmed"):
        if scores[status] == best:
            return status
    return cues.default  # pragma: no cover


def cue_matrix(texts: list[str], cues: StatusCues | None = None) -> "np.ndarray":
    """Cue weight per status (columns in ``LINK_STATUSES`` order) for each
    text, with every cue (no commitment: these are sentence features)."""
    import numpy as np

    cues = cues or _packaged_cues()
    out = np.zeros((len(texts), len(LINK_STATUSES)), dtype=np.float32)
    column = {s: i for i, s in enumerate(LINK_STATUSES)}
    for cue in cues.cues:
        j = column[cue.status]
        for i, text in enumerate(texts):
            if cue.pattern.search(text):
                out[i, j] += cue.weight
    return out


def cues_fingerprint() -> str:
    """A short hash of the packaged cues (an index stores cue weights per sentence)."""
    import hashlib

    text = resources.files("commitments.resources.link").joinpath("status_cues.json").read_bytes()
    return hashlib.sha256(text).hexdigest()[:16]


# ------------------------------------------------------------------ learned
@dataclass(frozen=True)
class StatusModel:
    """A multinomial logistic regression over the status cue weights of the
    evidence sentence (capped at 3, divided by 3, in ``LINK_STATUSES``
    order) and its sentence embedding; fitted by ``scripts/fit_link.py``.
    It applies only to indexes embedded with ``model`` (the encoder it was
    fitted with); otherwise the cues decide."""

    classes: tuple[str, ...]
    weights: "np.ndarray"   # (4 + dim) x classes
    bias: "np.ndarray"      # classes
    model: str

    def features(self, text: str, embedding) -> "np.ndarray":
        import numpy as np

        scores = status_scores(text)
        cues = [min(scores[s], 3.0) / 3.0 for s in LINK_STATUSES]
        return np.concatenate([np.array(cues), np.asarray(embedding, dtype=np.float64)])

    def classify(self, text: str, embedding) -> str:
        z = self.features(text, embedding) @ self.weights + self.bias
        return self.classes[int(z.argmax())]

    def applies_to(self, index) -> bool:
        return (index.embeddings is not None and index.model is not None
                and _model_name(index.model) == _model_name(self.model)
                and index.embeddings.shape[1] + len(LINK_STATUSES) == self.weights.shape[0])

    def to_dict(self) -> dict:
        return {"classes": list(self.classes), "model": self.model,
                "weights": [[round(float(v), 5) for v in row] for row in self.weights],
                "bias": [round(float(v), 5) for v in self.bias]}


def _model_name(name: str) -> str:
    """``sentence-transformers/all-MiniLM-L6-v2`` and a local path ending in
    ``all-MiniLM-L6-v2`` name the same model."""
    return str(name).rstrip("/").split("/")[-1].lower()


def status_model_from_dict(data: dict) -> StatusModel:
    import numpy as np

    try:
        classes = tuple(data["classes"])
        weights = np.array(data["weights"], dtype=np.float64)
        bias = np.array(data["bias"], dtype=np.float64)
        model = str(data["model"])
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"status model: bad or missing field ({exc})") from None
    if set(classes) - set(LINK_STATUSES) or weights.ndim != 2 or weights.shape[1] != len(classes) \
            or bias.shape != (len(classes),):
        raise InputError("status model: classes, weights and bias do not fit together")
    return StatusModel(classes=classes, weights=weights, bias=bias, model=model)


@lru_cache(maxsize=1)
def load_status_model() -> StatusModel | None:
    """The packaged ``status_model.json``, or None when there is none."""
    ref = resources.files("commitments.resources.link").joinpath("status_model.json")
    if not ref.is_file():
        return None
    return status_model_from_dict(json.loads(ref.read_text(encoding="utf-8")))

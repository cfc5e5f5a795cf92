"""The trained commitment classifier: loading a model written by
``commitments train`` and scoring candidate spans with it.

A candidate is shown to the model as its sentence with the span marked,
``left context [ span ] right context`` (:func:`format_input`), the same way
at training and at extraction time. The model is a sequence classifier with
one label per (kind, modality) pair and ``O`` for "not a commitment"
(:data:`LABELS`, written into the model's ``config.json`` as ``label2id``).

:func:`select` turns scored candidates into commitments: those whose
commitment probability reaches the model's threshold, best first, dropping
any that overlaps a better one by more than half of the shorter span.

:func:`fuse` is how the extractor combines the model with its rules: the
rules' decision stands where the rules proposed a span, unless the model is
very sure it is not a commitment (``P(O) >= veto``); any other candidate is
added when its commitment probability reaches a separate threshold
(``add``) and it does not overlap a span already kept. Both thresholds are
tuned on the dev documents by ``commitments train`` and stored in the
model's ``config.json``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from ..errors import InputError
from ..quiet import quiet_loading

__all__ = ["LABELS", "NOT_COMMITMENT", "Prediction", "CommitmentClassifier", "ModelCommitments",
           "format_input", "select", "fuse", "overlaps", "label_of", "parse_label",
           "load_classifier", "score_doc", "segment_kind_at", "to_prediction", "RULE_THRESHOLD"]

NOT_COMMITMENT = "O"
#: Labels of the classifier, in id order: "O" then "kind/modality".
LABELS = (NOT_COMMITMENT, "agreement/firm", "agreement/qualified", "pledge/firm",
          "pledge/qualified")
LEFT_CHARS = 160
RIGHT_CHARS = 60
SPAN_CHARS = 360
DEFAULT_THRESHOLD = 0.5
RULES_PREFIX = "rule | "
#: The least rule confidence the rules keep on their own (the commitments
#: component's default ``threshold``): only such rule spans are the rules' decision.
RULE_THRESHOLD = 0.5


def label_of(kind: str | None, modality: str | None) -> str:
    """The classifier label of a commitment (``O`` when ``kind`` is None)."""
    if kind is None:
        return NOT_COMMITMENT
    return f"{kind}/{modality or 'firm'}"


def parse_label(label: str) -> tuple[str | None, str | None]:
    """``(kind, modality)`` of a label; ``(None, None)`` for ``O``."""
    if label == NOT_COMMITMENT:
        return None, None
    kind, _, modality = label.partition("/")
    return kind, modality or "firm"


def _clip_left(text: str, n: int) -> str:
    if len(text) <= n:
        return text
    cut = text[-n:]
    space = cut.find(" ")
    return cut[space + 1:] if 0 <= space < 20 else cut


def _clip_right(text: str, n: int) -> str:
    if len(text) <= n:
        return text
    cut = text[:n]
    space = cut.rfind(" ")
    return cut[:space] if space > n - 20 else cut


def format_input(text: str, start: int, end: int, context: tuple[int, int] | None = None,
                 from_rules: bool = False, segment: str | None = None) -> str:
    """The model input for the span ``text[start:end]``: the span between
    ``[`` and ``]`` with up to :data:`LEFT_CHARS` of its sentence before and
    :data:`RIGHT_CHARS` after (``context`` = the sentence's char offsets;
    the whole text when None). Whitespace is collapsed. A span the rules
    proposed starts with :data:`RULES_PREFIX`, so the model learns how far
    to trust them; ``segment`` (the kind of segment the span is in,
    ``consensus``, ``commentary`` ...) comes first, as ``consensus | ``."""
    c_start, c_end = context if context else (0, len(text))
    c_start, c_end = min(c_start, start), max(c_end, end)
    left = _clip_left(text[c_start:start], LEFT_CHARS)
    span = text[start:end]
    if len(span) > SPAN_CHARS:
        span = span[: SPAN_CHARS - 60] + " ... " + span[-55:]
    right = _clip_right(text[end:c_end], RIGHT_CHARS)
    prefix = (f"{segment} | " if segment else "") + (RULES_PREFIX if from_rules else "")
    return " ".join(f"{prefix}{left} [ {span} ] {right}".split())


@dataclass
class Prediction:
    """The classifier's verdict on one candidate span."""

    start: int
    end: int
    label: str
    score: float  # probability that the span is a commitment (1 - P(O))
    kind: str | None
    modality: str | None
    kind_score: float = 0.0
    modality_score: float = 0.0

    @property
    def is_commitment(self) -> bool:
        return self.kind is not None


def _device(device: str | None):
    import torch

    if device in (None, "", "auto"):
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        dev = torch.device(device)
    except (RuntimeError, TypeError) as exc:
        raise InputError(f"unknown device {device!r}: {exc}") from None
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise InputError(f"device {device!r} asked for, but no CUDA GPU is available")
    return dev


class CommitmentClassifier:
    """A model trained by ``commitments train``, ready to score candidates.

    path: the model folder (``config.json``, weights, tokenizer files).
    device: ``cpu``, ``cuda``, ``cuda:1`` ... or None for a GPU when present.
    """

    def __init__(self, path: str | Path, device: str | None = None, batch_size: int = 32,
                 max_length: int | None = None):
        import torch
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        path = Path(path)
        if not (path / "config.json").is_file():
            raise InputError(f"{path}: not a trained commitments model (no config.json); "
                             "train one with `commitments train`")
        self.path = path
        self.device = _device(device)
        with quiet_loading():
            self.tokenizer = AutoTokenizer.from_pretrained(str(path))
            model = AutoModelForSequenceClassification.from_pretrained(str(path), dtype=torch.float32)
        self.model = model.to(self.device).eval()
        id2label = {int(i): lab for i, lab in self.model.config.id2label.items()}
        unknown = set(id2label.values()) - set(LABELS)
        if unknown:
            raise InputError(f"{path}: model labels {sorted(unknown)} are not commitment labels "
                             f"({', '.join(LABELS)})")
        self.labels = [id2label[i] for i in range(len(id2label))]
        settings = getattr(self.model.config, "commitments", None) or {}
        self.threshold = float(settings.get("threshold", DEFAULT_THRESHOLD))
        # fusion with the rules (see fuse); models without them behave as one threshold
        self.veto = float(settings.get("veto", 1.0 - self.threshold))
        self.add = float(settings.get("add", self.threshold))
        self.max_length = int(max_length or settings.get("max_length", 128))
        # what the inputs show (format_input): the rule flag, the segment kind
        self.rule_flag = bool(settings.get("rule_flag", True))
        self.segment_kind = bool(settings.get("segment_kind", False))
        self.batch_size = batch_size

    def predict_texts(self, texts: Sequence[str]) -> list[list[float]]:
        """Label probabilities (in :attr:`labels` order) for formatted inputs."""
        import torch

        out: list[list[float]] = []
        with torch.inference_mode():
            for i in range(0, len(texts), self.batch_size):
                enc = self.tokenizer(list(texts[i:i + self.batch_size]), truncation=True,
                                     max_length=self.max_length, padding=True,
                                     return_tensors="pt").to(self.device)
                logits = self.model(**enc).logits.float()
                out.extend(torch.softmax(logits, dim=-1).cpu().tolist())
        return out

    def predict(self, text: str, spans: Iterable[tuple[int, int]],
                contexts: Iterable[tuple[int, int] | None] | None = None,
                from_rules: Iterable[bool] | None = None,
                threshold: float | None = None,
                segments: Iterable[str | None] | None = None) -> list[Prediction]:
        """Score character spans of ``text`` (``contexts``: their sentences;
        ``from_rules``: whether the rules proposed each span; ``segments``:
        the kind of segment each is in). The model's settings say which of
        these its inputs show. A prediction is a commitment when its score
        reaches ``threshold`` (default: the model's); ``threshold=0`` gives
        every span its best kind and modality."""
        spans = list(spans)
        contexts = list(contexts) if contexts is not None else [None] * len(spans)
        flags = list(from_rules) if from_rules is not None else [False] * len(spans)
        flags = [f and self.rule_flag for f in flags]
        kinds = list(segments) if segments is not None else [None] * len(spans)
        kinds = [k if self.segment_kind else None for k in kinds]
        probs = self.predict_texts([format_input(text, s, e, c, f, k)
                                    for (s, e), c, f, k in zip(spans, contexts, flags, kinds)])
        t = self.threshold if threshold is None else threshold
        return [to_prediction(s, e, self.labels, p, t) for (s, e), p in zip(spans, probs)]


def to_prediction(start: int, end: int, labels: Sequence[str], probs: Sequence[float],
                  threshold: float = DEFAULT_THRESHOLD) -> Prediction:
    """A :class:`Prediction` from label probabilities: a commitment when
    1 - P(O) reaches ``threshold``, with the kind and the modality whose
    summed probabilities are highest."""
    by_label = dict(zip(labels, probs))
    score = 1.0 - by_label.get(NOT_COMMITMENT, 0.0)
    kinds: dict[str, float] = {}
    modalities: dict[str, float] = {}
    for label, p in by_label.items():
        kind, modality = parse_label(label)
        if kind is not None:
            kinds[kind] = kinds.get(kind, 0.0) + p
            modalities[modality] = modalities.get(modality, 0.0) + p
    if score >= threshold and kinds:
        kind = max(kinds, key=kinds.get)
        modality = max(modalities, key=modalities.get)
        return Prediction(start, end, label_of(kind, modality), score, kind, modality,
                          kinds[kind] / score if score else 0.0,
                          modalities[modality] / score if score else 0.0)
    return Prediction(start, end, NOT_COMMITMENT, score, None, None)


def select(predictions: Iterable[Prediction], max_overlap: float = 0.5) -> list[Prediction]:
    """The commitments among scored candidates: positives, best score first,
    skipping any that shares more than ``max_overlap`` of the shorter span
    with one already kept; returned in text order."""
    kept: list[Prediction] = []
    for pred in sorted((p for p in predictions if p.is_commitment),
                       key=lambda p: (-p.score, p.start, p.end)):
        ok = True
        for other in kept:
            inter = min(pred.end, other.end) - max(pred.start, other.start)
            shorter = min(pred.end - pred.start, other.end - other.start)
            if inter > 0 and inter > max_overlap * shorter:
                ok = False
                break
        if ok:
            kept.append(pred)
    return sorted(kept, key=lambda p: (p.start, p.end))


def overlaps(a: tuple[int, int], b: tuple[int, int], max_overlap: float = 0.5) -> bool:
    """Whether two character spans share more than ``max_overlap`` of the shorter one."""
    inter = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return inter > 0 and inter > max_overlap * shorter


def fuse(predictions: Iterable[Prediction], rule_spans: Iterable[tuple[int, int]],
         veto: float, add: float, max_overlap: float = 0.5) -> list[Prediction]:
    """The candidates kept when the model works on top of the rules.

    ``rule_spans``: the spans the rules keep on their own. A rule span is
    kept unless the model gives it ``P(O) >= veto`` (``veto > 1``: never
    vetoed); every other candidate is kept when its score (``1 - P(O)``)
    reaches ``add`` and it overlaps no span kept before it (rule spans
    first, then the added ones best score first; ``max_overlap`` of the
    shorter span). Rule spans are never dropped for overlapping each other,
    so ``veto > 1`` and ``add > 1`` give exactly the rules' output.
    Returned in text order; a rule span with no prediction is not returned
    (the caller keeps it, the model having no say).
    """
    predictions = list(predictions)
    rules = set(rule_spans)
    kept: list[Prediction] = []
    others: list[Prediction] = []
    for pred in predictions:
        if (pred.start, pred.end) in rules:
            if 1.0 - pred.score < veto:
                kept.append(pred)
        elif pred.score >= add:
            others.append(pred)
    # kept rule spans block additions, and so do rule spans the model did not score
    blocking = [(p.start, p.end) for p in kept]
    blocking += sorted(rules - {(p.start, p.end) for p in predictions})
    for pred in sorted(others, key=lambda p: (-p.score, p.start, p.end)):
        span = (pred.start, pred.end)
        if any(overlaps(span, b, max_overlap) for b in blocking):
            continue
        kept.append(pred)
        blocking.append(span)
    return sorted(kept, key=lambda p: (p.start, p.end))


_CACHE: dict[tuple[str, str | None], CommitmentClassifier] = {}


def load_classifier(path: str | Path, device: str | None = None) -> CommitmentClassifier:
    """A classifier for ``path``, loaded once per process and device."""
    key = (str(Path(path).resolve()), device)
    if key not in _CACHE:
        _CACHE[key] = CommitmentClassifier(path, device=device)
    return _CACHE[key]


def read_card_data(path: str | Path) -> dict:
    """The training record written beside a model (``training.json``), or {}."""
    f = Path(path) / "training.json"
    return json.loads(f.read_text(encoding="utf-8")) if f.is_file() else {}


def score_doc(doc, classifier: CommitmentClassifier, extra: Iterable[tuple[int, int]] = (),
              threshold: float | None = None) -> list[Prediction]:
    """Score every candidate of a processed spaCy ``doc`` (see
    :func:`commitments.pipeline.candidates.generate_candidates`; ``extra``:
    spans proposed by the rules; ``threshold``: see
    :meth:`CommitmentClassifier.predict`)."""
    from .candidates import generate_candidates, sentence_of

    cands = generate_candidates(doc, extra)
    if not cands:
        return []
    contexts = []
    for c in cands:
        sent = sentence_of(doc, c.start, c.end)
        contexts.append((sent.start_char, sent.end_char))
    return classifier.predict(doc.text, [(c.start, c.end) for c in cands], contexts,
                              [c.source == "rules" for c in cands], threshold=threshold,
                              segments=[segment_kind_at(doc, c.start) for c in cands])


def segment_kind_at(doc, char: int) -> str | None:
    """The kind of the segment (``doc.spans["segments"]``) holding the
    character offset ``char``, or None."""
    for seg in doc.spans["segments"] if "segments" in doc.spans else ():
        if seg.start_char <= char < seg.end_char:
            return seg._.segment_kind
    return None


class ModelCommitments:
    """What the commitments component uses when its ``model`` is set.

    :meth:`commitments` takes the rules' candidates of a ``doc`` (objects
    with token offsets ``start``/``end``, a ``confidence`` and the rules'
    attributes), scores them together with the permissive candidates of
    :mod:`commitments.pipeline.candidates`, and combines both with
    :func:`fuse` and the model's ``veto`` and ``add`` thresholds: the rule
    candidates the rules keep (``confidence >= rule_threshold``) stay, with
    the rules' attributes, unless the model vetoes them; the spans the model
    adds get their kind and modality from the model, the holders of the
    nearest rule candidate before them in the document (else the first one
    after), a deadline from their own text and the list item they sit in.
    ``rule_attributes=False`` takes kind and modality from the model on rule
    candidates too. ``veto`` and ``add`` override the model's own.

    :meth:`predict_proba` is the plain scoring seam: one commitment
    probability per rule candidate.
    """

    def __init__(self, path: str | Path, device: str | None = None,
                 rule_attributes: bool = True, veto: float | None = None,
                 add: float | None = None, rule_threshold: float = RULE_THRESHOLD):
        self.classifier = load_classifier(path, device)
        self.rule_attributes = rule_attributes
        self.veto = self.classifier.veto if veto is None else veto
        self.add = self.classifier.add if add is None else add
        self.rule_threshold = rule_threshold

    @staticmethod
    def _chars(doc, cand) -> tuple[int, int]:
        span = doc[cand.start:cand.end]
        return span.start_char, span.end_char

    def predict_proba(self, doc, candidates) -> list[float]:
        spans = [self._chars(doc, c) for c in candidates]
        contexts = []
        from .candidates import sentence_of

        for s, e in spans:
            sent = sentence_of(doc, s, e)
            contexts.append((sent.start_char, sent.end_char))
        return [p.score for p in self.classifier.predict(
            doc.text, spans, contexts, [True] * len(spans),
            segments=[segment_kind_at(doc, s) for s, _ in spans])]

    def commitments(self, doc, candidates: list) -> list:
        """The kept candidates, rule ones and recovered ones, in text order."""
        from .commitments import Candidate  # the rules' candidate record
        from .deadlines import find_deadline

        ruled = [c for c in candidates if c.confidence >= self.rule_threshold]
        rule_chars = {self._chars(doc, c) for c in ruled}
        preds = score_doc(doc, self.classifier, sorted(rule_chars), threshold=0.0)
        kept = fuse(preds, rule_chars, self.veto, self.add)
        scores = {(p.start, p.end): p for p in preds}
        kept_chars = {(p.start, p.end) for p in kept}
        out = []
        for cand in ruled:
            chars = self._chars(doc, cand)
            pred = scores.get(chars)
            if pred is None:  # not scored (too long to be a candidate): the rules decide
                out.append(cand)
            elif chars in kept_chars:
                cand.confidence = float(pred.score)
                if not self.rule_attributes:
                    cand.kind, cand.modality = pred.kind, pred.modality
                out.append(cand)
        ordered = sorted(ruled, key=lambda c: c.start)
        for pred in kept:
            if (pred.start, pred.end) in rule_chars:
                continue
            span = doc.char_span(pred.start, pred.end, alignment_mode="expand")
            if span is None or not len(span):
                continue
            before = [c for c in ordered if c.start <= span.start]
            near = before[-1] if before else (ordered[0] if ordered else None)
            deadline = find_deadline(span.text, doc._.date)
            points_id = item_label = None
            for item in doc.spans["point_items"] if "point_items" in doc.spans else []:
                if item.start <= span.start < item.end:
                    points_id, item_label = item._.points_id, item._.item_label
            out.append(Candidate(
                span.start, span.end, list(near.holders) if near else [], pred.kind,
                pred.modality, "", float(pred.score),
                deadline.value if deadline else None, points_id, item_label,
                features={"source": "model"}))
        out.sort(key=lambda c: (c.start, c.end))
        return out

"""A cross-encoder for the evidence sentence (linking round 5, an experiment).

A cross-encoder reads the commitment and one candidate sentence together
(``commitment [SEP] sentence``) and returns one logit: "this sentence is the
gold evidence for this commitment". It is fine-tuned from a sentence
encoder (by default the locally installed all-MiniLM-L6-v2) with a fresh
one-logit head, on pairs built from the gold links:

* positives: the sentences of a gold later document that overlap its gold
  evidence span;
* negatives: the other sentences of that document (the hard ones: same
  document, wrong sentence) and, when given, sentences of other candidate
  documents, at most ``cap`` per gold link.

This module holds the plain parts: pair building (``commitment_text``,
``build_pairs``), training (``train_cross_encoder``) and scoring
(``CrossEncoderScorer``, or any object with the same ``score`` method).
``scripts/xenc_link.py`` measures it out of fold; see docs/linking.md,
round 5.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Protocol, Sequence

import numpy as np


@dataclass(frozen=True)
class Pair:
    """One training example of the cross-encoder."""

    commitment: str
    sentence: str
    label: int  # 1: gold evidence sentence, 0: not


def commitment_text(text: str, context: str = "", max_chars: int = 400) -> str:
    """What the cross-encoder reads for a commitment: its span, then the
    sentence around it when that adds anything (``span || context``)."""
    text, context = text.strip(), context.strip()
    out = text if not context or context == text else f"{text} || {context}"
    return out[:max_chars]


def build_pairs(commitment: str, sentences: Sequence[str], gold: Sequence[bool],
                other_sentences: Sequence[str] = (), cap: int = 15,
                rng: random.Random | None = None) -> list[Pair]:
    """The pairs of one gold link: every gold sentence of the document as a
    positive; as negatives, the document's other sentences first, then
    ``other_sentences`` (sentences of other candidate documents), at most
    ``cap`` in all, sampled with ``rng`` when there are more (document
    sentences keep priority: they are the hard negatives). No pairs when the
    document has no gold sentence."""
    if len(sentences) != len(gold):
        raise ValueError("sentences and gold differ in length")
    positives = [s for s, g in zip(sentences, gold) if g]
    if not positives:
        return []
    rng = rng or random.Random(0)
    same = [s for s, g in zip(sentences, gold) if not g and s.strip()]
    if len(same) > cap:
        same = rng.sample(same, cap)
    rest = [s for s in other_sentences if s.strip() and s not in positives]
    room = cap - len(same)
    if room > 0 and rest:
        same += rng.sample(rest, min(room, len(rest)))
    return ([Pair(commitment, s, 1) for s in positives] + [Pair(commitment, s, 0) for s in same])


class Scorer(Protocol):
    def score(self, commitment: str, sentences: Sequence[str]) -> np.ndarray: ...


class CrossEncoderScorer:
    """A trained cross-encoder folder (``AutoModelForSequenceClassification``
    with one logit) as a scorer of (commitment, sentence) pairs."""

    def __init__(self, path: str | Path, max_length: int = 128, batch_size: int = 64, model=None,
                 tokenizer=None):
        if model is None:
            from transformers import AutoModelForSequenceClassification, AutoTokenizer

            tokenizer = AutoTokenizer.from_pretrained(str(path))
            model = AutoModelForSequenceClassification.from_pretrained(str(path))
        self.model, self.tokenizer = model.float().eval(), tokenizer
        self.max_length, self.batch_size = max_length, batch_size

    def score(self, commitment: str, sentences: Sequence[str]) -> np.ndarray:
        """One logit per sentence (higher: more likely the evidence)."""
        import torch

        out = []
        with torch.inference_mode():
            for i in range(0, len(sentences), self.batch_size):
                chunk = list(sentences[i:i + self.batch_size])
                enc = self.tokenizer([commitment] * len(chunk), chunk, truncation=True,
                                     max_length=self.max_length, padding=True, return_tensors="pt")
                out.append(self.model(**enc).logits[:, 0].float().numpy())
        return np.concatenate(out) if out else np.zeros(0, dtype=np.float32)


def fresh_model(base: str | Path):
    """A one-logit sequence classifier on top of the encoder at ``base``
    (the head is initialised at random) and its tokenizer."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(base))
    model = AutoModelForSequenceClassification.from_pretrained(str(base), num_labels=1)
    return model, tokenizer


def train_cross_encoder(pairs: Sequence[Pair], model, tokenizer, epochs: int = 1, batch_size: int = 32,
                        lr: float = 3e-5, max_length: int = 128, seed: int = 0,
                        on_batch: Callable[[int, int, float], None] | None = None):
    """Fine-tune ``model`` (one logit) on ``pairs`` with binary cross-entropy
    (positives weighted by the negative/positive ratio), AdamW and a linear
    decay; returns the model (in eval mode). ``on_batch(done, total, loss)``
    reports progress."""
    import torch

    torch.manual_seed(seed)
    rng = random.Random(seed)
    n_pos = sum(p.label for p in pairs)
    pos_weight = torch.tensor([(len(pairs) - n_pos) / max(n_pos, 1)])
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=pos_weight)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    steps = epochs * ((len(pairs) + batch_size - 1) // batch_size)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: max(0.0, 1.0 - s / max(steps, 1)))
    model.train()
    done = 0
    for _ in range(epochs):
        order = list(range(len(pairs)))
        rng.shuffle(order)
        for i in range(0, len(order), batch_size):
            batch = [pairs[j] for j in order[i:i + batch_size]]
            enc = tokenizer([p.commitment for p in batch], [p.sentence for p in batch], truncation=True,
                            max_length=max_length, padding=True, return_tensors="pt")
            logits = model(**enc).logits[:, 0]
            loss = loss_fn(logits, torch.tensor([float(p.label) for p in batch]))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            done += 1
            if on_batch:
                on_batch(done, steps, float(loss))
    return model.eval()


def standardise(scores: np.ndarray) -> np.ndarray:
    """Scores of one document's sentences, centred and scaled (unit standard
    deviation; constant scores give zeros): a feature comparable across
    documents."""
    scores = np.asarray(scores, dtype=np.float64)
    if not len(scores):
        return scores
    sd = scores.std()
    return (scores - scores.mean()) / sd if sd > 0 else np.zeros_like(scores)

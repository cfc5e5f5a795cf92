"""Fine-tuning a transformer that classifies commitment candidates
(``commitments train``; docs/training.md)."""
from __future__ import annotations

from .args import TrainingArgs

__all__ = ["TrainingArgs", "train"]


def train(args: TrainingArgs, **kwargs):
    """Fine-tune a model; see :func:`commitments.train.trainer.train`."""
    from .trainer import train as _train

    return _train(args, **kwargs)

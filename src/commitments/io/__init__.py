"""Readers: every input the toolkit takes becomes
:class:`~commitments.model.Document` objects (or a
:class:`~commitments.model.BadRecord` saying why an input could not be read).

Use :func:`read_input`; the modules hold one reader each (``text``,
``html``, ``folder``, ``records``, ``hf``) and the shared rules (``base``,
``dates``, ``language``). See docs/input.md.
"""
from .base import InputWarning, describe
from .dispatch import read_input

__all__ = ["InputWarning", "describe", "read_input"]

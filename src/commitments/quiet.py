"""Loading Hugging Face models without their own progress bars.

transformers draws a "Loading weights" bar each time a model loads. The
commands report their progress themselves, so inside them that bar is noise
(and, in a batch log, one line per load). ``quiet_loading`` hides it for the
duration of a load and puts the setting back afterwards.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator


@contextmanager
def quiet_loading() -> Iterator[None]:
    try:
        from transformers.utils import logging as hf_logging
    except ImportError:  # pragma: no cover - nothing to quieten
        yield
        return
    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_enabled:
            hf_logging.enable_progress_bar()

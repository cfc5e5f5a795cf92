"""Packaged data files under ``commitments/resources`` (patterns, lexicons,
cues, fitted settings), read through ``importlib.resources`` so that they
are found in an installed wheel as in a checkout.

A module of its own, free of spaCy, so that the linker's modules can read
their data without loading the extraction pipeline.
"""
from __future__ import annotations

import json
from importlib import resources
from typing import Any


def resource_text(*parts: str) -> str:
    """Text of a packaged data file: ``resource_text("link", "defaults.json")``."""
    node = resources.files("commitments.resources")
    for part in parts:
        node = node.joinpath(part)
    return node.read_text(encoding="utf-8")


def resource_json(*parts: str) -> Any:
    """A packaged JSON data file, parsed."""
    return json.loads(resource_text(*parts))

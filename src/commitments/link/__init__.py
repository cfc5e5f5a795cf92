"""Follow-through linking: find the later texts that report on a commitment.

Modules: ``text`` (sentence splitter, tokenizer), ``index`` (the corpus
index, saved and loaded), ``embed`` (offline sentence encoders),
``retrieve`` (candidate documents), ``features`` and ``rank`` (scoring),
``evidence`` (the best sentence), ``status`` (fulfilled / partial /
reaffirmed / contradicted), ``linker`` (end to end), ``timeline`` (views).
"""
from .index import LinkIndex, build_index, load_index
from .linker import link_commitments
from .rank import LinkSettings, load_settings
from .status import classify_status

__all__ = ["LinkIndex", "build_index", "load_index", "link_commitments", "LinkSettings",
           "load_settings", "classify_status"]

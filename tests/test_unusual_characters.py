"""Characters whose case mapping is irregular must not break the rules.

``re.I`` folds the long s (U+017F) to "s" and the Kelvin sign to "k", but
``str.lower`` leaves the long s as it is and turns a dotted capital I into two
characters: a cue matched case-insensitively may then have no entry in a
lowercase lookup table.
"""
import pytest

import commitments
from commitments.pipeline.convert import doc_to_document


@pytest.fixture(scope="module")
def nlp():
    return commitments.load(base=None)


@pytest.mark.parametrize("text", [
    "China \u017fhall build a bridge. Japan will open an office.",
    "Japan will open an office. \u0130STANBUL W\u0130LL host the summit.",
    "Both sides agreed to \ufb01nalise the \ufb01rst deal. Japan will open an office.",
    "Japan will open an office. The \u212aingdom \u017fHALL \u017fign.",
])
def test_irregular_case_characters_keep_the_plain_commitment(nlp, text):
    doc = nlp(text)
    document = doc_to_document(doc)
    assert "open an office" in [c.text for c in document.commitments]
    for c in document.commitments:
        assert text[c.start:c.end] == c.text

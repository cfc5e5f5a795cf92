"""A group body named before its members ("G20 leaders") stays an actor mention
with a parser too (en_core_web_sm tags the name as a compound)."""
import pytest

from commitments.model import Document
from commitments.pipeline import base_pipeline
from commitments.pipeline.convert import make_doc


@pytest.fixture(scope="module")
def nlp():
    nlp = base_pipeline()
    if "parser" not in nlp.pipe_names:
        pytest.skip("en_core_web_sm is not installed")
    nlp.add_pipe("commitments_actors", name="actors")
    return nlp


def test_body_before_its_members_is_a_mention_but_before_a_thing_is_not(nlp):
    text = ("The G20 leaders agreed to support the plan. "
            "The ministers will report to G7 members next year. "
            "The G20 Summit opened on Sunday.")
    doc = nlp(make_doc(nlp, Document(id="t", text=text)))
    found = [(s.text, s._.actor_key) for s in doc.spans["actors"]]
    assert ("G20", "G20") in found and ("G7", "G7") in found
    # "G20 Summit" names an event: the body is a modifier there
    assert sum(1 for t, _ in found if t == "G20") == 1

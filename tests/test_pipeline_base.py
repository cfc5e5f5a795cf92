"""Which spaCy base the pipeline is built on, and the notice when the trained
one is missing."""
import warnings

import pytest

import commitments.pipeline as pipeline


@pytest.mark.parametrize("base", [None, "", "blank"])
def test_blank_is_asked_for_without_a_notice(base, monkeypatch):
    monkeypatch.setattr(pipeline, "_notice_given", False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nlp = pipeline.base_pipeline(base)
    assert nlp.pipe_names == ["sentencizer"]


def test_a_missing_trained_pipeline_falls_back_with_one_notice(monkeypatch):
    monkeypatch.setattr(pipeline, "_notice_given", False)
    with pytest.warns(UserWarning, match="not installed; running on a blank English pipeline"):
        nlp = pipeline.base_pipeline("en_no_such_pipeline_xyz")
    assert nlp.pipe_names == ["sentencizer"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pipeline.base_pipeline("en_no_such_pipeline_xyz")  # once per process

"""Sentence splitter, tokenizer, features and status cues of the linker."""
import pytest

from commitments.errors import InputError
from commitments.link.features import (date_bounds, deadline_proximity, holder_overlap, key_term_overlap,
                                       key_terms, mentioned_holders, time_gap)
from commitments.link.status import _parse, classify_status, cue_matrix
from commitments.link.text import split_sentences, stem, tokenize


def sentences(text):
    return [text[s:e] for s, e in split_sentences(text)]


def test_split_sentences_keeps_abbreviations_and_initials():
    text = "Mr. Abe met Xi. The U.S. side agreed on Jan. 5. J. Smith spoke."
    assert sentences(text) == ["Mr. Abe met Xi.", "The U.S. side agreed on Jan. 5.", "J. Smith spoke."]


def test_split_sentences_paragraphs_bullets_and_quotes():
    text = 'He said: "We will meet again." Then he left.\n\n-- The forum was held.\n1. First item.\n2. Second item'
    assert sentences(text) == ['He said: "We will meet again."', "Then he left.", "-- The forum was held.",
                               "1. First item.", "2. Second item"]


def test_split_sentences_offsets_are_trimmed_slices():
    text = "  One here.   Two there.  "
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["One here.", "Two there."]
    assert spans[0][0] == 2


def test_tokenize_stems_and_drops_stopwords():
    assert tokenize("The meetings of the Japan-China dialogue") == ["meet", "japan", "china", "dialogu"]
    assert stem("cooperation") == stem("cooperate") == "cooper"
    assert tokenize("in 2025") == ["2025"]


def test_date_bounds_at_every_precision():
    assert date_bounds("2024")[1] - date_bounds("2024")[0] == 365  # leap year: 366 days
    assert date_bounds("2023-02")[1] - date_bounds("2023-02")[0] == 27
    assert date_bounds("2023-02-03")[0] == date_bounds("2023-02-03")[1]
    assert date_bounds("2023-13") is None and date_bounds(None) is None


def test_deadline_proximity_inside_outside_and_missing():
    assert deadline_proximity("2025", "2025-06-01") == 1.0
    assert deadline_proximity("2025-01/2025-03", "2025-02-10") == 1.0
    far, near = deadline_proximity("2025-01", "2027-01-01"), deadline_proximity("2025-01", "2025-03-01")
    assert 0 < far < near < 1
    assert deadline_proximity(None, "2025-01-01") == 0.0
    assert time_gap("2020-01-01", "2020-06-01") > time_gap("2020-01-01", "2024-06-01")


def test_holders_found_by_name_and_overlap():
    assert mentioned_holders("Chinese and Japanese officials met in Seoul.") == {"CHN", "JPN", "KOR"}
    assert holder_overlap(["CHN", "JPN"], {"JPN", "USA"}) == 0.5
    assert holder_overlap(["CHN+JPN"], {"CHN", "JPN"}) == 1.0
    assert holder_overlap([], {"CHN"}) == 0.0


def test_key_terms_names_numbers_and_ordinals():
    terms = key_terms("They will hold the 3rd Trilateral Fisheries Forum and give $2 billion to RCEP.")
    assert "trilateral fisheries forum" in terms
    assert "ord:3" in terms and "rcep" in terms and "2 billion" in terms
    assert key_term_overlap(["ord:3"], "The third meeting") == 1.0
    assert key_term_overlap(["ord:3"], "The fourth meeting") == 0.0
    assert key_term_overlap(["trilateral fisheries forum", "rcep"], "the trilateral fisheries forum") == 0.5


@pytest.mark.parametrize("text,status", [
    ("The third meeting was held in Tokyo on 3 May.", "fulfilled"),
    ("The meeting has been postponed until further notice.", "contradicted"),
    ("Both sides reaffirmed their commitment to the forum.", "reaffirmed"),
    ("Progress has been made towards the fund, which is under way.", "partial"),
    ("The weather was mild.", "reaffirmed"),  # no cue: the default
    ("Japan failed to relax its visa rules.", "contradicted"),
    ("Japan has not relaxed its visa rules.", "contradicted"),  # a bare negation, no other cue
    # a negation under another cue does not outweigh it
    ("The two leaders reiterated that they are partners who never pose a threat.", "reaffirmed"),
    ("China said this stance has not changed.", "reaffirmed"),  # continuity
    ("Their support will never waver.", "reaffirmed"),
    # compliance figures, agreeing to put an earlier plan into action, a scheduled step: under way
    ("The compliance rate for the Lisbon commitments has reached 79%.", "partial"),
    ("The two sides agreed on Wednesday to put into action the maritime hotline.", "partial"),
    ("The minister will visit Lisbon next month.", "partial"),
    # the signing of agreements reported
    ("The leaders oversaw the signing of a broad range of agreements.", "fulfilled"),
])
def test_classify_status(text, status):
    assert classify_status(text) == status


def test_cue_matrix_columns_follow_link_statuses():
    m = cue_matrix(["The summit was held.", "It was postponed."])
    assert m[0, 0] > 0 and m[0, 3] == 0      # fulfilled column
    assert m[1, 3] > 0                        # contradicted column


def test_cues_reject_unknown_keys_and_statuses():
    with pytest.raises(InputError):
        _parse({"cues": [{"status": "fulfilled", "pattern": "x", "colour": "red"}]})
    with pytest.raises(InputError):
        _parse({"cues": [{"status": "done", "pattern": "x"}]})


def test_cues_that_depend_on_the_commitment():
    from commitments.link.status import classify_status
    gap = "It was their first summit in five years."
    # a years-long gap contradicts a pledge to meet every year, not a pledge to meet once
    assert classify_status(gap, commitment="hold the summit once a year, in rotation") == "contradicted"
    assert classify_status(gap, commitment="hold a summit in Tokyo") != "contradicted"
    met = "Biden and Xi came face to face at an estate south of San Francisco."
    # a meeting that took place fulfils a pledge to meet; for other pledges it says nothing
    assert classify_status(met, commitment="meet with President Xi on November 15") == "fulfilled"
    assert classify_status(met, commitment="promote trade and investment") == "reaffirmed"
    # commitment unknown: every cue counts
    assert classify_status(gap) == "contradicted"


def test_a_cue_with_a_bad_commitment_pattern_is_refused():
    from commitments.errors import InputError
    from commitments.link.status import StatusCue
    with pytest.raises(InputError, match="bad pattern"):
        StatusCue.from_dict({"status": "fulfilled", "pattern": "held", "commitment": "(unclosed"})


@pytest.mark.parametrize("text", [
    "The two sides again stated that the treaty signed on August 12, 1978 is the foundation for advancing ties.",
    "The ministers restated their support for the roadmap signed last year.",
])
def test_a_restatement_is_a_reaffirmation(text):
    # GUIDELINES section 5: reaffirmed = the commitment is restated, even when the sentence names
    # a past signing ("signed") or an ongoing effort ("advancing")
    assert classify_status(text) == "reaffirmed"

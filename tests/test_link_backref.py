"""Back-references (commitments.link.backref): the signals that name a
source document's event, back-reference wording, and the per-sentence and
per-document features built from them. Short texts written for the tests."""
import numpy as np
import pytest

from commitments.link import build_index
from commitments.link.backref import (BACKREF_FEATURES, backref_features, document_back_reference,
                                      has_back_verb, has_event_noun, source_reference, source_signals)
from commitments.link.evidence import EVIDENCE_FEATURES, sentence_features
from commitments.link.rank import FEATURES, feature_matrix
from commitments.link.retrieve import make_query, retrieve
from commitments.model import Commitment, Document

TITLE = "Joint Statement of the Third Ostrava Fisheries Summit (Ostrava, 12 March 2024)"
TEXT = ("The leaders of Ruritania and Freedonia met in Ostrava for the Third Fisheries Summit. "
        "They agreed to hold a ministerial forum on catch quotas in 2025.")


def _signals():
    return source_signals(TITLE, TEXT, "2024-03-12")


def test_source_signals_keep_event_words_date_and_ordinal():
    sig = _signals()
    assert "ostrava" in sig.words and "fisheries" in sig.words
    # genre, office and month words of a title name no particular event
    assert not {"joint", "statement", "summit", "leaders", "march", "the"} & sig.words
    assert sig.month_year == "march 2024" and sig.year == "2024"
    assert sig.ordinals == {3}


def test_source_signals_skip_holder_names_and_read_points():
    sig = source_signals("China and Japan reach four-point agreement in Hangzhou", "", "2014-11")
    assert "hangzhou" in sig.words and not {"china", "japan"} & sig.words
    assert sig.points == {4} and sig.month_year == "november 2014"
    assert source_signals("Talks", "", None).year is None


def test_source_reference_counts_what_names_the_source():
    sig = _signals()
    # "Ostrava" (1) + March 2024 (1)
    assert source_reference(sig, "We recall the commitments made in Ostrava in March 2024.") == 2.0
    # the year alone counts half; the ordinal counts next to a meeting noun only
    assert source_reference(sig, "Since 2024 the third summit has guided our work.") == 1.5
    assert source_reference(sig, "The third reason is cost.") == 0.0
    assert source_reference(sig, "Rice prices rose sharply in Asia.") == 0.0


def test_back_verbs_and_event_nouns():
    assert has_back_verb("We reaffirm our commitment made at the summit.")
    assert has_back_verb("As agreed in Ostrava, the ministers met again.")
    assert has_back_verb("Building on the Ostrava consensus, the two sides signed a plan.")
    assert has_back_verb("Pursuant to the agreement, quotas were cut.")
    assert not has_back_verb("Catch quotas were discussed at length.")
    assert has_event_noun("The summit opened on Monday.") and has_event_noun("a joint statement")
    assert not has_event_noun("Fish prices fell.")


SENTENCES = [
    "Ministers met in Lisbon on Tuesday.",
    "Catch quotas for the coming season were discussed at length.",
    "We reaffirm the commitments made at the Ostrava Summit in March 2024.",
    "As agreed at the summit, a working group was formed.",
]


def test_backref_features_by_hand():
    x = backref_features(SENTENCES, _signals())
    col = {f: i for i, f in enumerate(BACKREF_FEATURES)}
    # sentence 2: "Ostrava" + March 2024 = 2 -> 1.0; sentence 3 names no source signal
    assert x[:, col["src_event"]].tolist() == [0.0, 0.0, 1.0, 0.0]
    assert x[:, col["back_verb"]].tolist() == [0.0, 0.0, 1.0, 1.0]
    assert x[:, col["event_noun"]].tolist() == [0.0, 0.0, 1.0, 1.0]
    assert x[:, col["back_src"]].tolist() == [0.0, 0.0, 1.0, 0.0]
    # the document's one default back-reference sentence
    assert x[:, col["back_top"]].tolist() == [0.0, 0.0, 1.0, 0.0]
    # without back-reference wording there is no default sentence
    assert not backref_features(SENTENCES[:2], _signals())[:, col["back_top"]].any()
    # without signals only the wording features remain
    y = backref_features(SENTENCES, None)
    assert not y[:, col["src_event"]].any() and y[:, col["back_verb"]].tolist() == [0.0, 0.0, 1.0, 1.0]
    assert y[:, col["back_top"]].tolist() == [0.0, 0.0, 1.0, 0.0]  # first of the tied sentences


def test_document_back_reference():
    assert document_back_reference(SENTENCES, _signals()) == 1.0
    assert document_back_reference(SENTENCES[3:], _signals()) == 0.0  # wording, but no source signal
    assert document_back_reference(SENTENCES, None) == 0.0


def _source_and_index():
    start = TEXT.index("hold")
    end = TEXT.index(" in 2025")
    com = Commitment(id="c1", start=start, end=end, text=TEXT[start:end], kind="agreement")
    src = Document(id="src", date="2024-03-12", title=TITLE, text=TEXT, commitments=[com])
    later = Document(id="later", date="2025-02-01", title="Forum report", text=" ".join(SENTENCES))
    return src, com, build_index([src, later])


def test_queries_carry_the_source_signals_into_evidence_and_document_features():
    src, com, index = _source_and_index()
    query = make_query(src, com)
    assert "ostrava" in query.source_signals.words
    cands = retrieve(index, query)
    row = index.row_of["later"]
    x = sentence_features(index, row, cands, query)
    top = EVIDENCE_FEATURES.index("back_top")
    assert x[:, top].tolist() == [0.0, 0.0, 1.0, 0.0]
    # a model without back-reference weights leaves the columns at 0
    assert not sentence_features(index, row, cands, query, backref=False)[:, top].any()
    d = feature_matrix(index, query, cands, np.zeros(len(cands.rows)))
    j = [index.docs[int(r)]["id"] for r in cands.rows].index("later")
    assert d[j, FEATURES.index("back_doc")] == pytest.approx(1.0)
    assert feature_matrix(index, query, cands, np.zeros(len(cands.rows)), backref=False)[
        j, FEATURES.index("back_doc")] == 0.0

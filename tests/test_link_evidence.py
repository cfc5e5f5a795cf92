"""Evidence selection: the helper features, the back-reference and report
cues, and a second evidence sentence per document."""
import numpy as np

from commitments.link import build_index
from commitments.link.evidence import (EVIDENCE_FEATURES, neighbour_max, sentence_features, token_recall,
                                       top_sentences, verb_forms, within_rank, evidence_cues)
from commitments.link.linker import link_query
from commitments.link.rank import LinkSettings, RankModel, settings_from_dict, settings_to_dict
from commitments.link.retrieve import make_query, retrieve
from commitments.model import Commitment, Document


def test_within_rank_best_first():
    assert within_rank(np.array([0.2, 0.9, 0.5])).tolist() == [1 / 3, 1.0, 1 / 2]


def test_neighbour_max_edges_take_the_minimum():
    assert neighbour_max(np.array([1.0, 5.0, 2.0, 0.0])).tolist() == [5.0, 2.0, 5.0, 2.0]
    assert neighbour_max(np.array([])).size == 0


def test_verb_forms_with_irregular_past():
    assert verb_forms("hold the third forum") == {"hold", "held"}
    assert verb_forms("visit Japan") == {"visit"}
    assert verb_forms("") == set()


def test_token_recall_is_stemmed_share():
    assert token_recall({"forum", "busan"}, "The forums met in Busan.") == 1.0
    assert token_recall({"forum", "busan", "tokyo"}, "Busan is a port.") == 1 / 3
    assert token_recall(set(), "anything") == 0.0


def test_cues_back_reference_and_report():
    cues = evidence_cues()
    assert cues.back_reference.search("As agreed at the summit, the two sides met.")
    assert cues.back_reference.search("We reaffirm our commitment made in Hiroshima.")
    assert not cues.back_reference.search("Catch quotas were discussed at length.")
    assert cues.report.search("The forum was held in Busan.")
    assert not cues.report.search("The forum will take place next year.")


TEXT = ("Seoul, 3 May 2025. Officials talked about the weather. "
        "As agreed in Tokyo, the ministers held the fisheries forum in Busan. "
        "The Busan fisheries forum discussed quotas for the coming season. "
        "Lunch was served.")


def _query_and_index():
    pledge = "The two sides agreed to hold a fisheries forum in Busan."
    start = pledge.index("hold")
    com = Commitment(id="c1", start=start, end=len(pledge) - 1, text=pledge[start:-1], kind="agreement")
    src = Document(id="src", date="2024-01-10", title="Tokyo talks", text=pledge, commitments=[com])
    later = Document(id="later", date="2025-05-03", title="Forum report", text=TEXT)
    index = build_index([src, later])
    return make_query(src, com), index


def test_sentence_features_flag_the_reporting_sentence():
    query, index = _query_and_index()
    cands = retrieve(index, query)
    row = index.row_of["later"]
    x = sentence_features(index, row, cands, query)
    col = {f: i for i, f in enumerate(EVIDENCE_FEATURES)}
    assert x.shape == (5, len(EVIDENCE_FEATURES))  # the dateline is a sentence of its own
    # sentence 2 says "As agreed ... held": back reference, report and the verb's past form
    assert x[2, col["back_ref"]] == 1 and x[2, col["report"]] == 1 and x[2, col["verb"]] == 1
    assert x[1, col["back_ref"]] == 0 and x[3, col["report"]] == 0 and x[4, col["report"]] == 0
    assert x[4, col["last"]] == 1 and x[:4, col["last"]].sum() == 0
    # no embeddings: the cosine rank features stay at 0 instead of echoing the position
    assert not x[:, col["cos_rank"]].any()
    # "hold a fisheries forum in Busan": all but "hold" in sentence 3, nothing in sentence 1
    assert x[3, col["q_recall"]] == 0.75 and x[1, col["q_recall"]] == 0.0


def test_top_sentences_orders_by_the_model():
    query, index = _query_and_index()
    cands = retrieve(index, query)
    row = index.row_of["later"]
    model = RankModel({"back_ref": 2.0, "bm25": 1.0})
    best, second = top_sentences(index, row, cands, query, model, 2)
    assert "As agreed in Tokyo" in best.text and best.score >= second.score
    assert "Busan fisheries forum discussed" in second.text


def test_second_sentence_takes_the_next_slot_and_is_never_kept():
    query, index = _query_and_index()
    one = LinkSettings(evidence=RankModel({"back_ref": 2.0, "bm25": 1.0}),
                       lexical=RankModel({"bm25_doc": 1.0}, threshold=0.0))
    two = settings_from_dict({**settings_to_dict(one), "second_docs": 1, "second_gap": 5.0})
    assert two.second_docs == 1 and two.second_gap == 5.0
    links = link_query(index, query, one)
    assert len(links) == 1 and links[0].extra["kept"]
    links = link_query(index, query, two)
    assert [lk.doc for lk in links] == ["later", "later"]
    assert links[0].start < links[1].start or links[0].score > links[1].score
    assert links[0].extra["kept"] and not links[1].extra["kept"]
    assert links[1].score < links[0].score
    # a gap too large for the runner-up: back to one sentence
    tight = settings_from_dict({**settings_to_dict(one), "second_docs": 1, "second_gap": 0.0})
    assert len(link_query(index, query, tight)) == 1

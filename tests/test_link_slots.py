"""Filling the top-k slots with (document, sentence) pairs: the joint rule
on hand-made scores, the fitted softmax temperature, and the linker with
``slots: joint``."""
import math

import numpy as np
import pytest

from commitments.errors import InputError
from commitments.link.learn import fit_temperature
from commitments.link.linker import link_query
from commitments.link.rank import LinkSettings, RankModel, settings_from_dict, settings_to_dict
from commitments.link.slots import joint_slots, sentence_probabilities

from test_link_evidence import _query_and_index


def pairs(slots):
    return [(s.doc, s.sentence) for s in slots]


def test_sentence_probabilities_softmax_and_temperature():
    assert sentence_probabilities(np.array([0.0, 0.0])).tolist() == [0.5, 0.5]
    p = sentence_probabilities(np.array([2.0, 0.0]), temperature=10.0)
    assert p[0] == pytest.approx(math.exp(0.2) / (math.exp(0.2) + 1))
    with pytest.raises(ValueError):
        sentence_probabilities(np.array([1.0]), temperature=0.0)


def test_uncertain_likely_document_takes_two_slots():
    # document 0: P 0.9, two equally likely sentences (0.45 each);
    # document 1: P 0.3, one clear sentence (0.3 x 0.993)
    slots = joint_slots([0.9, 0.3], [np.array([0.0, 0.0]), np.array([5.0, 0.0])], k=3)
    assert pairs(slots) == [(0, 0), (0, 1), (1, 0)]
    assert slots[0].score == pytest.approx(0.45) and slots[1].score == pytest.approx(0.45)
    assert slots[2].score == pytest.approx(0.3 / (1 + math.exp(-5.0)))
    assert slots[0].doc_prob == 0.9 and slots[0].sentence_prob == pytest.approx(0.5)


def test_cap_and_alpha_zero_give_one_slot_per_document():
    logits = [np.array([0.0, 1.0]), np.array([5.0, 0.0]), np.array([])]
    # cap 1: one pair per document; the empty document takes none
    assert pairs(joint_slots([0.9, 0.3, 0.8], logits, k=5, cap=1)) == [(0, 1), (1, 0)]
    # alpha 0: documents in order of P(doc), each with its best sentence first
    assert pairs(joint_slots([0.3, 0.9], logits[:2], k=2, alpha=0.0, cap=1)) == [(1, 0), (0, 1)]


def test_temperature_changes_which_document_comes_first():
    logits = [np.array([2.0, 0.0]), np.array([3.0])]
    # T 1: 0.6 x 0.881 = 0.529 beats 0.5 x 1; T 10: 0.6 x 0.550 = 0.330 does not
    assert pairs(joint_slots([0.6, 0.5], logits, k=3)) == [(0, 0), (1, 0), (0, 1)]
    assert pairs(joint_slots([0.6, 0.5], logits, k=3, temperature=10.0)) == [(1, 0), (0, 0), (0, 1)]


def test_slots_are_distinct_pairs_sorted_by_score():
    rng = np.random.default_rng(0)
    logits = [rng.normal(size=n) for n in (3, 1, 4)]
    slots = joint_slots([0.2, 0.7, 0.5], logits, k=5)
    assert len(slots) == 5 and len(set(pairs(slots))) == 5
    assert all(a.score >= b.score for a, b in zip(slots, slots[1:]))
    with pytest.raises(ValueError):
        joint_slots([0.5], [], k=1)


def test_fit_temperature_maximum_likelihood():
    # logits [1, 0], gold the first sentence in 3 groups of 4: P = 0.75 = sigmoid(1 / T)
    logits = [np.array([1.0, 0.0])] * 4
    gold = [np.array([True, False])] * 3 + [np.array([False, True])]
    assert fit_temperature(logits, gold) == pytest.approx(1 / math.log(3), rel=1e-3)
    # always the top sentence: as sharp as allowed
    assert fit_temperature(logits[:2], gold[:2]) < 0.1
    # no gold sentence anywhere: 1
    assert fit_temperature(logits[:1], [np.array([False, False])]) == 1.0


def test_settings_round_trip_and_validation():
    s = settings_from_dict({"slots": "joint", "slot_temperature": 2.5, "slot_alpha": 0.5, "slot_cap": 2})
    assert (s.slots, s.slot_temperature, s.slot_alpha, s.slot_cap) == ("joint", 2.5, 0.5, 2)
    back = settings_from_dict(settings_to_dict(s))
    assert (back.slots, back.slot_cap, back.slot_anchor) == ("joint", 2, False)
    assert settings_from_dict({"slots": "joint", "slot_anchor": True}).slot_anchor
    with pytest.raises(InputError):
        settings_from_dict({"slots": "both"})
    with pytest.raises(InputError):
        settings_from_dict({"slots": "joint", "slot_temperature": 0})


def test_linker_joint_slots_give_two_sentences_of_one_document():
    query, index = _query_and_index()
    best = LinkSettings(evidence=RankModel({"back_ref": 2.0, "bm25": 1.0}),
                        lexical=RankModel({"bm25_doc": 1.0}, bias=5.0, threshold=0.5))
    joint = settings_from_dict({**settings_to_dict(best), "slots": "joint", "slot_temperature": 1.0})
    assert len(link_query(index, query, best)) == 1
    links = link_query(index, query, joint, top_k=3)
    assert [lk.doc for lk in links] == ["later"] * 3
    assert len({(lk.start, lk.end) for lk in links}) == 3
    assert "As agreed in Tokyo" in links[0].extra["evidence"]
    assert [lk.score for lk in links] == sorted((lk.score for lk in links), reverse=True)
    # scores are P(doc) x P(sentence | doc), so they sum to at most P(doc) < 1
    assert sum(lk.score for lk in links) <= 1.0
    # kept: only a link whose estimated chance of a hit reaches the threshold
    assert [lk.extra["kept"] for lk in links] == [lk.score >= 0.5 for lk in links]


def test_anchor_keeps_the_best_document_first():
    # document 0: P 0.6, sentences uncertain (0.3 each); document 1: P 0.5, one sure sentence
    logits = [np.array([0.0, 0.0]), np.array([4.0])]
    assert pairs(joint_slots([0.6, 0.5], logits, k=3)) == [(1, 0), (0, 0), (0, 1)]
    slots = joint_slots([0.6, 0.5], logits, k=3, anchor=True)
    assert pairs(slots) == [(0, 0), (1, 0), (0, 1)]
    assert slots[0].score == 0.6 and slots[1].score == pytest.approx(0.5)
    assert all(a.score >= b.score for a, b in zip(slots, slots[1:]))


def test_linker_anchor_scores_the_first_link_by_its_document_but_keeps_by_the_product():
    query, index = _query_and_index()
    base = LinkSettings(evidence=RankModel({"back_ref": 2.0, "bm25": 1.0}),
                        lexical=RankModel({"bm25_doc": 1.0}, bias=5.0, threshold=0.5))
    plain = settings_from_dict({**settings_to_dict(base), "slots": "joint"})
    anchored = settings_from_dict({**settings_to_dict(base), "slots": "joint", "slot_anchor": True})
    a, b = link_query(index, query, plain, top_k=3), link_query(index, query, anchored, top_k=3)
    assert [(lk.start, lk.end) for lk in a] == [(lk.start, lk.end) for lk in b]  # one document: same order
    # the anchored first link is scored P(doc), above its P(doc) x P(sentence | doc)
    assert b[0].score > a[0].score and [lk.score for lk in b[1:]] == [lk.score for lk in a[1:]]
    # kept compares the product with the threshold: between the two, the link is not kept
    high = settings_from_dict({**settings_to_dict(anchored), "lexical": {
        "weights": {"bm25_doc": 1.0}, "bias": 5.0, "threshold": (a[0].score + b[0].score) / 2}})
    first = link_query(index, query, high, top_k=1)[0]
    assert first.score == b[0].score and not first.extra["kept"]

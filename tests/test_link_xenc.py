"""The cross-encoder experiment of linking round 5 (``commitments.link.xenc``):
pair building, standardisation, and scoring/training with a tiny randomly
initialised model and a tokenizer built from a hand-written vocabulary (no
download, no shared data)."""
import random

import numpy as np
import pytest

from commitments.link.xenc import (CrossEncoderScorer, Pair, build_pairs, commitment_text, standardise,
                                   train_cross_encoder)

COMMITMENT = "hold the second summit in 2025"
DOC = ["The ministers met in Lima.", "The second summit was held in Seoul.", "Trade grew.", "It rained."]


def test_commitment_text_adds_context_once():
    assert commitment_text("hold a summit", "We will hold a summit.") == "hold a summit || We will hold a summit."
    assert commitment_text("hold a summit", "hold a summit") == "hold a summit"
    assert commitment_text(" hold a summit ", "") == "hold a summit"
    assert len(commitment_text("x" * 50, "y" * 500, max_chars=100)) == 100


def test_build_pairs_positives_and_document_negatives():
    pairs = build_pairs(COMMITMENT, DOC, [False, True, False, False])
    assert [p for p in pairs if p.label == 1] == [Pair(COMMITMENT, DOC[1], 1)]
    negatives = sorted(p.sentence for p in pairs if p.label == 0)
    assert negatives == sorted([DOC[0], DOC[2], DOC[3]])


def test_build_pairs_caps_negatives_and_prefers_the_same_document():
    others = [f"Other sentence {i}." for i in range(10)]
    pairs = build_pairs(COMMITMENT, DOC, [False, True, False, False], others, cap=5, rng=random.Random(1))
    negatives = [p.sentence for p in pairs if p.label == 0]
    assert len(negatives) == 5
    # the 3 other sentences of the gold document come first, then 2 from other documents
    assert set(negatives[:3]) == {DOC[0], DOC[2], DOC[3]}
    assert all(s in others for s in negatives[3:])
    # cap below the document's own negatives: a sample of them only
    pairs = build_pairs(COMMITMENT, DOC, [False, True, False, False], others, cap=2, rng=random.Random(1))
    assert len([p for p in pairs if p.label == 0]) == 2
    assert all(p.sentence in DOC for p in pairs)


def test_build_pairs_without_gold_sentence_or_with_bad_lengths():
    assert build_pairs(COMMITMENT, DOC, [False] * 4) == []
    with pytest.raises(ValueError):
        build_pairs(COMMITMENT, DOC, [True])
    # a gold sentence repeated among the other documents is not a negative
    pairs = build_pairs(COMMITMENT, DOC, [False, True, False, False], [DOC[1], "Else."], cap=10)
    assert [p.sentence for p in pairs if p.label == 0].count(DOC[1]) == 0


def test_standardise():
    z = standardise(np.array([1.0, 2.0, 3.0]))
    assert z.mean() == pytest.approx(0.0)
    assert z.std() == pytest.approx(1.0)
    assert list(np.argsort(z)) == [0, 1, 2]
    assert list(standardise(np.array([4.0, 4.0]))) == [0.0, 0.0]
    assert len(standardise(np.array([]))) == 0


@pytest.fixture()
def tiny():
    torch = pytest.importorskip("torch")
    transformers = pytest.importorskip("transformers")
    words = ["hold", "the", "summit", "was", "held", "postponed", "meeting", "in", "2025", "a", "."]
    vocab = {w: i for i, w in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + words)}
    tokenizer = transformers.BertTokenizerFast(vocab=vocab)
    assert tokenizer.unk_token_id not in tokenizer("the summit was held")["input_ids"]
    config = transformers.BertConfig(vocab_size=len(words) + 5, hidden_size=16, num_hidden_layers=1,
                                     num_attention_heads=2, intermediate_size=32, max_position_embeddings=64,
                                     num_labels=1)
    torch.manual_seed(0)
    return transformers.BertForSequenceClassification(config), tokenizer


def test_scorer_gives_one_score_per_sentence_whatever_the_batch(tiny):
    model, tokenizer = tiny
    sentences = ["the summit was held", "the summit was postponed", "a meeting in 2025"]
    small = CrossEncoderScorer("", batch_size=1, model=model, tokenizer=tokenizer).score("hold the summit", sentences)
    big = CrossEncoderScorer("", batch_size=64, model=model, tokenizer=tokenizer).score("hold the summit", sentences)
    assert small.shape == (3,)
    assert np.allclose(small, big, atol=1e-5)
    assert CrossEncoderScorer("", model=model, tokenizer=tokenizer).score("hold", []).shape == (0,)


def test_training_learns_a_separable_toy_task(tiny):
    model, tokenizer = tiny
    pairs = [Pair("hold the summit", "the summit was held", 1),
             Pair("hold the summit", "the summit was postponed", 0),
             Pair("hold the summit", "a meeting in 2025", 0)] * 8
    train_cross_encoder(pairs, model, tokenizer, epochs=15, batch_size=8, lr=3e-3, seed=0)
    scores = CrossEncoderScorer("", model=model, tokenizer=tokenizer).score(
        "hold the summit", ["the summit was postponed", "the summit was held", "a meeting in 2025"])
    assert int(np.argmax(scores)) == 1

"""The trained commitment classifier: candidates, examples, split, a tiny
training run end to end, and its use by the pipeline.

Everything runs without network, GPU or installed models: the encoder is a
2-layer BERT built from scratch with a vocabulary of the test texts, and the
spaCy pipeline is blank unless a parse is built by hand.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import spacy
from click.testing import CliRunner
from spacy.tokens import Doc, Span

from commitments.model import Commitment, Document, write_jsonl
from commitments.pipeline.candidates import cue_spans, generate_candidates, item_spans, verb_phrase_spans
from commitments.pipeline.classifier import (LABELS, Prediction, format_input, fuse, select,
                                             to_prediction)
from commitments.pipeline.extensions import register_extensions
from commitments.train.dataset import document_examples, split_documents

register_extensions()


def parsed(words, heads, deps, pos, spaces=None):
    """A Doc with a hand-written parse (no model needed)."""
    nlp = spacy.blank("en")
    return Doc(nlp.vocab, words=words, spaces=spaces, heads=heads, deps=deps, pos=pos)


def texts(doc, cands):
    return sorted(doc.text[c.start:c.end] for c in cands)


# ---------------------------------------------------------------------- candidates
def _coordination_doc():
    # "Japan will provide aid and expand exchanges. We welcome the visit."
    words = ["Japan", "will", "provide", "aid", "and", "expand", "exchanges", ".",
             "We", "welcome", "the", "visit", "."]
    heads = [2, 2, 2, 2, 2, 2, 5, 2, 9, 9, 11, 9, 9]
    deps = ["nsubj", "aux", "ROOT", "dobj", "cc", "conj", "dobj", "punct",
            "nsubj", "ROOT", "det", "dobj", "punct"]
    pos = ["PROPN", "AUX", "VERB", "NOUN", "CCONJ", "VERB", "NOUN", "PUNCT",
           "PRON", "VERB", "DET", "NOUN", "PUNCT"]
    spaces = [True, True, True, True, True, True, False, True, True, True, True, False, False]
    return parsed(words, heads, deps, pos, spaces)


def test_verb_phrases_leave_out_subject_aux_and_coordinated_phrase():
    doc = _coordination_doc()
    assert doc.text == "Japan will provide aid and expand exchanges. We welcome the visit."
    assert texts(doc, verb_phrase_spans(doc)) == ["expand exchanges", "provide aid",
                                                  "welcome the visit"]


def test_passive_gets_a_variant_from_its_subject():
    words = ["The", "meeting", "will", "be", "held", "in", "Tokyo", "."]
    doc = parsed(words, [1, 4, 4, 4, 4, 4, 5, 4],
                 ["det", "nsubjpass", "aux", "auxpass", "ROOT", "prep", "pobj", "punct"],
                 ["DET", "NOUN", "AUX", "AUX", "VERB", "ADP", "PROPN", "PUNCT"],
                 [True] * 6 + [False, False])
    got = {(doc.text[c.start:c.end], c.source) for c in verb_phrase_spans(doc)}
    assert got == {("held in Tokyo", "vp"), ("The meeting will be held in Tokyo", "vp+subj")}


def test_without_parser_cue_words_propose_the_clause_after_them():
    doc = spacy.blank("en")("Both sides agreed to expand trade; they welcomed the talks.")
    assert verb_phrase_spans(doc) == []
    assert texts(doc, cue_spans(doc)) == ["expand trade", "to expand trade"]
    # generate_candidates falls back on the cue spans and adds the caller's own
    cands = generate_candidates(doc, extra=[(35, 58)])
    assert texts(doc, cands) == ["expand trade", "they welcomed the talks", "to expand trade"]
    assert {c.source for c in cands} == {"cue", "rules"}


def test_list_items_lose_their_label():
    doc = spacy.blank("en")("They agreed:\n1. Promote youth exchanges.\n2. Hold a forum.")
    doc.spans["point_items"] = [doc.char_span(13, 40, alignment_mode="expand"),
                                doc.char_span(41, 56, alignment_mode="expand")]
    assert texts(doc, item_spans(doc)) == ["Hold a forum", "Promote youth exchanges"]


# ---------------------------------------------------------------------- examples
def _gold_document():
    text = "Japan will provide aid and expand exchanges. We welcome the visit."
    return Document(id="d1", text=text, commitments=[
        Commitment("c1", 11, 22, text[11:22], "pledge", ["JPN"], "firm"),
        Commitment("c2", 27, 43, text[27:43], "pledge", ["JPN"], "qualified"),
        Commitment("c3", 0, 10, text[0:10], "agreement", ["JPN"], "firm"),  # no candidate for it
    ])


def test_candidates_are_labelled_by_the_gold_span_they_match():
    document, doc = _gold_document(), _coordination_doc()
    examples = document_examples(document, doc)
    got = {(document.text[e.start:e.end], e.label, e.source) for e in examples}
    assert got == {
        ("provide aid", "pledge/firm", "vp"),
        ("expand exchanges", "pledge/qualified", "vp"),
        ("welcome the visit", "O", "vp"),
        ("Japan will", "agreement/firm", "gold"),  # the missed gold span, added
    }
    assert all(e.label in LABELS for e in examples)
    without = document_examples(document, doc, add_missed=False)
    assert {e.source for e in without} == {"vp"} and len(without) == 3
    # the model input marks the span inside its sentence
    first = next(e for e in examples if e.label == "pledge/firm")
    assert first.text == "Japan will [ provide aid ] and expand exchanges."


def test_rule_candidates_are_examples_too():
    document, doc = _gold_document(), _coordination_doc()
    examples = document_examples(document, doc, rule_candidates=lambda d: [(6, 22)])
    rule = [e for e in examples if e.source == "rules"]
    assert [(document.text[e.start:e.end], e.label) for e in rule] == [("will provide aid", "pledge/firm")]


def test_split_is_by_document_stable_and_disjoint():
    docs = [Document(id=f"doc-{i}", text="x") for i in range(40)]
    a = split_documents(docs, seed=3, dev=0.2, test=0.25)
    b = split_documents(list(reversed(docs)), seed=3, dev=0.2, test=0.25)
    ids = {k: {d.id for d in v} for k, v in a.items()}
    assert ids == {k: {d.id for d in v} for k, v in b.items()}
    assert set().union(*ids.values()) == {d.id for d in docs}
    assert not (ids["train"] & ids["dev"]) and not (ids["train"] & ids["test"]) \
        and not (ids["dev"] & ids["test"])
    assert all(ids[k] for k in ("train", "dev", "test"))
    c = split_documents(docs, seed=4, dev=0.2, test=0.25)
    assert {d.id for d in c["test"]} != ids["test"]
    # a document keeps its part when others join the corpus
    more = split_documents(docs + [Document(id="new", text="x")], seed=3, dev=0.2, test=0.25)
    assert ids["test"] <= {d.id for d in more["test"]}


# ---------------------------------------------------------------------- decisions
def test_format_input_clips_context_to_whole_words():
    text = "Long preamble words " * 20 + "both sides agreed to hold talks soon. Next."
    start = text.index("hold talks")
    out = format_input(text, start, start + len("hold talks"), (0, text.index(" Next") + 1))
    assert out.endswith("[ hold talks ] soon.")
    assert out.startswith("words") or out.startswith("preamble") or out.startswith("Long")
    assert len(out) <= 160 + len("[ hold talks ] soon.") + 2


def test_prediction_sums_probabilities_per_kind_and_modality():
    # O .3; agreement/firm .3; pledge/qualified .4 -> kind pledge (.4 > .3),
    # modality qualified (.4 > .3), commitment score .7
    probs = [0.3, 0.3, 0.0, 0.0, 0.4]
    p = to_prediction(0, 5, LABELS, probs, threshold=0.5)
    assert (p.kind, p.modality, p.label) == ("pledge", "qualified", "pledge/qualified")
    assert p.score == pytest.approx(0.7)
    # agreement/firm .25 + agreement/qualified .25 beat pledge/firm .4 on kind;
    # firm (.25 + .4) beats qualified (.25) on modality
    p = to_prediction(0, 5, LABELS, [0.1, 0.25, 0.25, 0.4, 0.0], threshold=0.5)
    assert (p.kind, p.modality) == ("agreement", "firm")
    assert not to_prediction(0, 5, LABELS, probs, threshold=0.75).is_commitment


def test_select_keeps_the_best_of_overlapping_spans():
    preds = [
        Prediction(0, 40, "agreement/firm", 0.9, "agreement", "firm"),   # kept
        Prediction(10, 30, "agreement/firm", 0.8, "agreement", "firm"),  # inside 0-40: dropped
        Prediction(35, 60, "pledge/firm", 0.7, "pledge", "firm"),        # 5 of 25 shared: kept
        Prediction(70, 80, "O", 0.2, None, None),                        # not a commitment
    ]
    assert [(p.start, p.end) for p in select(preds)] == [(0, 40), (35, 60)]


# ---------------------------------------------------------------------- training
SENTENCES = [
    ("Japan and China agreed to {expand trade} and to {hold talks in Tokyo}.", "agreement", "firm"),
    ("Japan will {provide aid to the project}.", "pledge", "firm"),
    ("The two sides are willing to {deepen cooperation on climate}.", "agreement", "qualified"),
    ("China is ready to {support the forum}.", "pledge", "qualified"),
    ("Both sides decided to {resume the dialogue}.", "agreement", "firm"),
    ("Korea pledged to {build a new port}.", "pledge", "firm"),
]
FILLER = ["We welcome the visit of the minister.", "It is hoped that they keep the peace.",
          "The talks were held last year."]


def _corpus(n_docs=6):
    docs = []
    for i in range(n_docs):
        parts = [SENTENCES[i % len(SENTENCES)], SENTENCES[(i + 1) % len(SENTENCES)]]
        text, spans = "", []
        for sent, kind, modality in parts:
            plain = re.sub(r"[{}]", "", sent)
            base = len(text)
            offset = 0
            for m in re.finditer(r"\{([^}]*)\}", sent):
                start = base + m.start() - offset
                spans.append((start, start + len(m.group(1)), kind, modality))
                offset += 2
            text += plain + " " + FILLER[i % len(FILLER)] + "\n\n"
        text = text.rstrip()
        commitments = [Commitment(f"c{k}", s, e, text[s:e], kind, [], modality)
                       for k, (s, e, kind, modality) in enumerate(spans, 1)]
        docs.append(Document(id=f"doc{i}", text=text, date="2024-01-01", commitments=commitments))
    return docs


@pytest.fixture(scope="module")
def tiny_base(tmp_path_factory):
    """A 2-layer BERT with a word-level vocabulary of the test texts."""
    from transformers import BertConfig, BertModel, BertTokenizer

    folder = tmp_path_factory.mktemp("tiny-bert")
    words = sorted({w.lower() for d in _corpus() for w in re.findall(r"\w+|[^\w\s]", d.text)})
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "[", "]", "..."] + words
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    BertTokenizer(vocab_file=str(folder / "vocab.txt")).save_pretrained(str(folder))
    config = BertConfig(vocab_size=len(vocab), hidden_size=16, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=32, max_position_embeddings=256)
    BertModel(config).save_pretrained(str(folder))
    return folder


@pytest.fixture(scope="module")
def trained(tiny_base, tmp_path_factory):
    from commitments.train import TrainingArgs, train

    folder = tmp_path_factory.mktemp("run")
    gold = folder / "gold.jsonl"
    write_jsonl(_corpus(), gold)
    out = folder / "model"
    args = TrainingArgs(gold=[str(gold)], output_dir=str(out), base=str(tiny_base),
                        spacy_base=None, epochs=2, batch_size=8, dev_share=0.2, test_share=0.2,
                        seed=5)
    record = train(args, show_progress=False)
    return out, record


def _p(start, end, score):
    return Prediction(start, end, "agreement/firm", score, "agreement", "firm")


def test_fuse_keeps_rule_spans_unless_vetoed_and_adds_confident_others():
    preds = [
        _p(0, 40, 0.30),    # rule span, P(O) .70: kept at veto .9, vetoed at veto .6
        _p(2, 38, 0.85),    # overlaps the rule span: added only once that is vetoed
        _p(50, 70, 0.05),   # rule span, P(O) .95: vetoed at veto .9
        _p(80, 100, 0.75),  # another candidate: added when add <= .75
        _p(85, 99, 0.70),   # inside 80-100, lower score: never both
    ]
    rules = [(0, 40), (50, 70)]

    def spans(veto, add):
        return [(p.start, p.end) for p in fuse(preds, rules, veto, add)]

    assert spans(0.9, 0.8) == [(0, 40)]
    assert spans(0.9, 0.7) == [(0, 40), (80, 100)]
    assert spans(0.96, 0.7) == [(0, 40), (50, 70), (80, 100)]
    assert spans(0.6, 0.8) == [(2, 38)]           # the rule span vetoed, its rival added
    assert spans(0.6, 0.9) == []


def test_fuse_without_veto_or_addition_is_the_rules_even_when_they_overlap():
    preds = [_p(0, 40, 0.01), _p(5, 35, 0.2), _p(60, 90, 0.99)]
    rules = [(0, 40), (5, 35), (120, 130)]  # 120-130 not scored: left to the caller
    assert [(p.start, p.end) for p in fuse(preds, rules, 1.01, 1.01)] == [(0, 40), (5, 35)]
    # an unscored rule span still blocks a candidate over it
    assert fuse([_p(118, 131, 0.99)], rules, 1.01, 0.5) == []


def test_format_input_shows_segment_kind_then_rule_flag():
    text = "Both sides agreed to hold talks."
    start = text.index("hold")
    assert format_input(text, start, len(text) - 1, None, True, "consensus") == (
        "consensus | rule | Both sides agreed to [ hold talks ] .")
    assert format_input(text, start, len(text) - 1).startswith("Both")


def test_choose_fusion_picks_the_pair_with_the_best_f1():
    from commitments.train.trainer import choose_fusion, decode_fused

    text = "a" * 200
    doc = Document(id="d", text=text, commitments=[
        Commitment("c1", 0, 40, text[0:40], "agreement", [], "firm"),
        Commitment("c2", 100, 140, text[100:140], "agreement", [], "firm")])
    # the rules propose 0-40 (right) and 50-80 (wrong); the model is sure 50-80
    # is no commitment (P(O) .97) and half sure about 100-140 (score .6)
    rows = [{"doc_id": "d", "start": s, "end": e, "source": src}
            for s, e, src in [(0, 40, "rules"), (50, 80, "rules"), (100, 140, "vp"),
                              (150, 190, "vp")]]
    probs = [[0.4, 0.6, 0, 0, 0], [0.97, 0.03, 0, 0, 0], [0.4, 0.6, 0, 0, 0],
             [0.8, 0.2, 0, 0, 0]]
    got = choose_fusion(rows, probs, [doc], vetoes=(0.5, 0.9, 1.01), adds=(0.5, 0.7, 1.01))
    # rules alone: 1 of 2 right, 1 of 2 found: F1 .5; veto .9 drops 50-80 and
    # add .5 takes 100-140: both right (F1 1). veto .5 does as well (0-40 has
    # P(O) .4): ties go to the higher veto, the one closer to the rules.
    assert (got["veto"], got["add"], got["f"], got["rules_f"]) == (0.9, 0.5, 1.0, 0.5)
    kept = decode_fused(rows, probs, [doc], 0.9, 0.5)[0].commitments
    assert [(c.start, c.end) for c in kept] == [(0, 40), (100, 140)]


def test_epoch_batches_keep_every_commitment_and_a_share_of_the_rest():
    import torch

    from commitments.train.trainer import epoch_batches

    labels = [0] * 40 + [1, 2, 3, 4] * 2   # 40 'O', 8 commitments
    lengths = [(i * 37) % 23 for i in range(len(labels))]
    gen = torch.Generator().manual_seed(3)
    batches = epoch_batches(labels, lengths, 4, negative_share=0.25, generator=gen, bucket=2)
    flat = [i for b in batches for i in b]
    assert len(flat) == len(set(flat)) == 8 + 10
    assert set(range(40, 48)) <= set(flat)
    assert all(len(b) <= 4 for b in batches)
    # within a bucket (2 batches), examples are sorted by length: each batch is a run
    for b in batches:
        assert [lengths[i] for i in b] == sorted(lengths[i] for i in b)
    every = [i for b in epoch_batches(labels, lengths, 4, 1.0, gen) for i in b]
    assert sorted(every) == list(range(len(labels)))


def test_train_only_documents_go_to_training(tiny_base, tmp_path):
    from commitments.train import TrainingArgs, train

    docs = _corpus()
    gold, extra = tmp_path / "gold.jsonl", tmp_path / "extra.jsonl"
    write_jsonl(docs[:5], gold)
    write_jsonl([Document(id="extra0", text=docs[5].text, date="2024-01-01",
                          commitments=docs[5].commitments)], extra)
    args = dict(gold=[str(gold)], base=str(tiny_base), spacy_base=None, epochs=1, max_steps=1,
                batch_size=8, dev_share=0.2, test_share=0.2, seed=5)
    record = train(TrainingArgs(train_only=[str(extra)], output_dir=str(tmp_path / "m"), **args),
                   show_progress=False)
    plain = train(TrainingArgs(output_dir=str(tmp_path / "p"), **args), show_progress=False)
    assert record["split"]["train"] == sorted(plain["split"]["train"] + ["extra0"])
    assert record["split"]["dev"] == plain["split"]["dev"]
    assert record["split"]["test"] == plain["split"]["test"]
    config = json.loads((tmp_path / "m" / "config.json").read_text())["commitments"]
    assert {"veto", "add", "rule_flag", "segment_kind"} <= set(config)


def test_training_writes_model_tokenizer_card_and_record(trained):
    out, record = trained
    for name in ("config.json", "model.safetensors", "tokenizer_config.json", "README.md",
                 "training.json"):
        assert (out / name).is_file(), name
    config = json.loads((out / "config.json").read_text())
    assert config["label2id"] == {lab: i for i, lab in enumerate(LABELS)}
    assert config["commitments"]["threshold"] == record["threshold"]
    from safetensors import safe_open

    with safe_open(str(out / "model.safetensors"), "pt") as fh:
        assert all(str(fh.get_tensor(k).dtype) == "torch.float16" for k in fh.keys())
    split = record["split"]
    assert sorted(split["train"] + split["dev"] + split["test"]) == [f"doc{i}" for i in range(6)]
    assert split["test"] and split["dev"] and not set(split["test"]) & set(split["train"])
    assert 1 <= len(record["history"]) <= 2 and record["best_epoch"] >= 1
    card = (out / "README.md").read_text()
    for piece in ("## Training", "## Figures", "split by document", *split["test"]):
        assert piece in card
    assert json.loads((out / "training.json").read_text())["split"] == split


def test_training_is_seeded(trained, tiny_base, tmp_path):
    from commitments.train import TrainingArgs, train

    out, record = trained
    gold = tmp_path / "gold.jsonl"
    write_jsonl(_corpus(), gold)
    again = train(TrainingArgs(gold=[str(gold)], output_dir=str(tmp_path / "m"),
                               base=str(tiny_base), spacy_base=None, epochs=2, batch_size=8,
                               dev_share=0.2, test_share=0.2, seed=5), show_progress=False)
    assert again["history"] == record["history"]
    assert again["split"] == record["split"]


def _extract(nlp, text):
    from commitments.pipeline import extract

    return next(extract([Document(id="t", text=text, date="2024-01-01")], nlp)).commitments


def test_pipeline_uses_the_model_only_when_given(trained):
    import warnings

    from commitments.pipeline import load

    out, _ = trained
    text = "Japan will provide aid to the project. China is ready to support the forum."
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rules = load(base=None)
        with_model = load(base=None, model=out)
    assert rules.get_pipe("commitments").model is None
    rule_spans = [(c.start, c.end) for c in _extract(rules, text)]
    assert rule_spans, "the rules find the two pledges of this text"
    model = with_model.get_pipe("commitments").model
    model.veto, model.add = 1.01, 1.01  # no veto, no addition: the rules' own output
    assert [(c.start, c.end) for c in _extract(with_model, text)] == rule_spans
    model.veto, model.add = 0.0, 1.01   # every rule span vetoed, nothing added
    assert _extract(with_model, text) == []
    model.veto, model.add = 0.0, 0.0    # every candidate is a commitment: the best of
    got = _extract(with_model, text)    # each overlapping group is kept
    assert got and all(c.kind in ("pledge", "agreement") and 0 <= c.extra["score"] <= 1 for c in got)
    for s, e in rule_spans:
        assert any(min(e, c.end) > max(s, c.start) for c in got)
    for a in got:
        for b in got:
            if a is not b:
                shared = min(a.end, b.end) - max(a.start, b.start)
                assert shared <= 0.5 * min(a.end - a.start, b.end - b.start)
    # the rules-only pipeline is untouched by a model loaded beside it
    assert [(c.start, c.end) for c in _extract(rules, text)] == rule_spans


def test_train_command(tiny_base, tmp_path):
    from commitments.cli import main

    gold = tmp_path / "gold.jsonl"
    write_jsonl(_corpus(), gold)
    runner = CliRunner()
    res = runner.invoke(main, ["train", str(gold), "--base", str(tiny_base), "-o",
                               str(tmp_path / "m"), "--spacy-base", "", "--epochs", "1",
                               "--max-steps", "1", "-q"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "m" / "model.safetensors").is_file()
    assert "model written to" in res.output
    res = runner.invoke(main, ["train", str(gold), "--base", str(tmp_path / "nothing"), "-o",
                               str(tmp_path / "m2"), "--spacy-base", "", "-q"])
    assert res.exit_code == 2
    assert "cannot load base model" in res.output and "Traceback" not in res.output
    res = runner.invoke(main, ["train", str(tmp_path / "missing.jsonl"), "-q"])
    assert res.exit_code == 2 and "no such file" in res.output


def test_max_minutes_stops_at_a_batch_boundary_and_saves(tiny_base, tmp_path):
    from commitments.train import TrainingArgs, train

    gold = tmp_path / "gold.jsonl"
    write_jsonl(_corpus(), gold)
    # a budget already spent when the first batch would start: no step is
    # taken, the unfinished first epoch is scored (there is no better one)
    # and no second epoch starts, but the model is still written
    args = TrainingArgs(gold=[str(gold)], output_dir=str(tmp_path / "m"), base=str(tiny_base),
                        spacy_base=None, epochs=3, patience=3, batch_size=8, dev_share=0.2,
                        test_share=0.2, seed=5, max_minutes=1e-9)
    record = train(args, show_progress=False)
    assert record["stopped_by_time"] is True
    assert [h["steps"] for h in record["history"]] == [0]
    assert record["best_epoch"] == 1
    assert (tmp_path / "m" / "model.safetensors").exists()

"""Inference throughput of a trained commitment classifier.

Parses the texts once (the pipeline without the model), then times the
classifier alone on every candidate of every sentence (generation, batching,
forward pass) and the whole pipeline with the model; reports sentences per
second, candidates per second and the device.

    python scripts/bench_model.py --model models/commitments-minilm --threads 2
    python scripts/bench_model.py --model models/commitments-minilm --device cuda --batch-size 256

Input: gold or prediction JSON Lines files (default: <shared>/corpus/gold/batch_*.jsonl,
only their texts are read).
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parents[1]


@click.command()
@click.option("--model", "model_path", required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--input", "inputs", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="JSON Lines files of documents (default: the shared gold batches).")
@click.option("--shared", type=click.Path(path_type=Path), default=ROOT.parent / "shared",
              show_default=True)
@click.option("--device", default="cpu", show_default=True, help="cpu, cuda, cuda:N.")
@click.option("--threads", type=int, default=None, help="torch CPU threads (default: torch's).")
@click.option("--batch-size", type=int, default=64, show_default=True,
              help="Candidates per forward pass.")
@click.option("--repeat", type=int, default=1, show_default=True,
              help="Time the classifier this many times and keep the best run.")
@click.option("--json", "json_out", type=click.Path(path_type=Path), default=None)
def main(model_path, inputs, shared, device, threads, batch_size, repeat, json_out):
    import torch

    from commitments import load
    from commitments.model import read_documents
    from commitments.pipeline.classifier import CommitmentClassifier, score_doc
    from commitments.pipeline.convert import make_doc

    if threads:
        torch.set_num_threads(threads)
    paths = list(inputs) or sorted((shared / "corpus" / "gold").glob("batch_*.jsonl"))
    if not paths:
        raise click.UsageError("no input; give --input or --shared")
    docs = [d for p in paths for d in read_documents(p, validate=False)]
    nlp = load()
    parsed = list(nlp.pipe(make_doc(nlp, d) for d in docs))
    sentences = sum(len(list(doc.sents)) for doc in parsed)
    rules = nlp.get_pipe("commitments").finder

    clf = CommitmentClassifier(model_path, device=device, batch_size=batch_size)

    def rule_spans(doc):
        return [(doc[c.start:c.end].start_char, doc[c.start:c.end].end_char) for c in rules(doc)]

    extras = [rule_spans(doc) for doc in parsed]
    best = None
    n_cands = 0
    for _ in range(max(1, repeat)):
        if clf.device.type == "cuda":
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        n_cands = sum(len(score_doc(doc, clf, ex)) for doc, ex in zip(parsed, extras))
        if clf.device.type == "cuda":
            torch.cuda.synchronize()
        secs = time.perf_counter() - t0
        best = secs if best is None else min(best, secs)

    t0 = time.perf_counter()
    list(load().pipe(make_doc(nlp, d) for d in docs))
    rules_secs = time.perf_counter() - t0
    nlp_model = load(model=model_path)
    nlp_model.get_pipe("commitments").model.classifier = clf
    t0 = time.perf_counter()
    list(nlp_model.pipe(make_doc(nlp_model, d) for d in docs))
    model_secs = time.perf_counter() - t0

    result = {
        "device": str(clf.device),
        "device_name": torch.cuda.get_device_name(clf.device) if clf.device.type == "cuda" else "cpu",
        "torch_threads": torch.get_num_threads(), "batch_size": batch_size,
        "documents": len(docs), "sentences": sentences, "candidates": n_cands,
        "classifier_seconds": round(best, 2),
        "classifier_sentences_per_s": round(sentences / best, 1),
        "classifier_candidates_per_s": round(n_cands / best, 1),
        "pipeline_rules_sentences_per_s": round(sentences / rules_secs, 1),
        "pipeline_model_sentences_per_s": round(sentences / model_secs, 1),
    }
    for k, v in result.items():
        click.echo(f"{k}: {v}")
    if json_out:
        json_out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())

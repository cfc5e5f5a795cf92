"""Figures of a trained commitment classifier on its held-out documents.

Runs the whole pipeline twice in the same process, rules only and with the
model (``commitments.load(model=...)``), over the gold documents the model
was never trained on (the ``test`` part of the split recorded in the model's
``training.json``), and scores both with ``commitments.evaluate.evaluate``.

    python scripts/evaluate_model.py --model models/commitments-minilm
    python scripts/evaluate_model.py --model models/commitments-minilm --write-card
    python scripts/evaluate_model.py --model M --split dev --json /tmp/figures.json

--write-card stores the figures in training.json and re-renders the model
card. The gold texts of ../shared belong to their publishers: nothing of
them is written into the repository.
"""
from __future__ import annotations

import datetime as _dt
import json
import sys
import time
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parents[1]
KEYS = ("commitments_p", "commitments_r", "commitments_f", "commitments_lenient_f",
        "commitments_kind_acc", "commitments_modality_acc", "commitments_holders_f")


def figures(result: dict) -> dict:
    out = {k: result[k] for k in KEYS}
    out["counts"] = result["commitments_counts"]
    return out


def run(nlp, docs):
    from commitments.pipeline import extract

    t0 = time.perf_counter()
    preds = list(extract([d.without_annotations() for d in docs], nlp))
    return preds, time.perf_counter() - t0


def model_options(splits: tuple[str, ...]):
    """The options this script shares with tune_model.py: the model, the gold
    documents, the part of the split (``splits[0]`` by default) and the base."""
    options = [
        click.option("--model", "model_path", required=True,
                     type=click.Path(exists=True, path_type=Path),
                     help="A model folder written by `commitments train`."),
        click.option("--shared", type=click.Path(path_type=Path), default=ROOT.parent / "shared",
                     show_default=True, help="The shared folder holding corpus/gold."),
        click.option("--gold", "gold_paths", multiple=True, type=click.Path(path_type=Path),
                     help="Gold JSON Lines files (default: <shared>/corpus/gold/batch_*.jsonl)."),
        click.option("--split", type=click.Choice(list(splits)), default=splits[0],
                     show_default=True, help="Which recorded part of the split to score."),
        click.option("--base", default="en_core_web_sm", show_default=True,
                     help="spaCy base pipeline."),
    ]

    def decorate(fn):
        for option in reversed(options):
            fn = option(fn)
        return fn
    return decorate


@click.command()
@model_options(("test", "dev", "train", "all"))
@click.option("--compare-attributes", is_flag=True,
              help="Also score the model with its own kind and modality on rule candidates.")
@click.option("--json", "json_out", type=click.Path(path_type=Path), default=None,
              help="Write the figures as JSON here.")
@click.option("--write-card", is_flag=True,
              help="Store the figures in the model's training.json and re-render README.md.")
def main(model_path, shared, gold_paths, split, base, compare_attributes, json_out, write_card):
    from rich.console import Console
    from rich.table import Table

    from commitments import load
    from commitments.evaluate import evaluate
    from commitments.model import read_documents
    from commitments.train.card import write_card as render

    record_path = model_path / "training.json"
    record = json.loads(record_path.read_text(encoding="utf-8")) if record_path.exists() else {}
    paths = list(gold_paths) or sorted((shared / "corpus" / "gold").glob("batch_*.jsonl"))
    if not paths:
        raise click.UsageError("no gold file found; give --gold or --shared")
    docs = [d for p in paths for d in read_documents(p) if d.commitments is not None]
    if split != "all":
        wanted = set(record.get("split", {}).get(split, []))
        if not wanted:
            raise click.UsageError(f"{record_path}: no '{split}' part recorded")
        found = [d for d in docs if d.id in wanted]
        if len(found) < len(wanted):
            click.echo(f"warning: {len(wanted) - len(found)} {split} documents not in the gold "
                       "files given", err=True)
        docs = found
    gold = [type(d)(id=d.id, text=d.text, commitments=d.commitments) for d in docs]

    rows = {}
    nlp = load(base=base)
    preds, secs = run(nlp, docs)
    rows["rules only"] = figures(evaluate(gold, preds)) | {"seconds": round(secs, 1)}
    nlp = load(base=base, model=model_path)
    preds, secs = run(nlp, docs)
    rows["rules + model"] = figures(evaluate(gold, preds)) | {"seconds": round(secs, 1)}
    if compare_attributes:
        nlp.get_pipe("commitments").model.rule_attributes = False
        preds, secs = run(nlp, docs)
        rows["rules + model, model kind/modality"] = figures(evaluate(gold, preds)) | {
            "seconds": round(secs, 1)}

    def fmt(v):
        return "-" if v is None else f"{v:.3f}"

    n_gold = sum(len(d.commitments) for d in docs)
    table = Table(title=f"{model_path.name}: {len(docs)} {split} documents, {n_gold} commitments")
    for col in ("system", "P", "R", "F1", "lenient F1", "kind acc", "modality acc", "holders F",
                "pred", "tp", "seconds"):
        table.add_column(col, justify="left" if col == "system" else "right")
    for name, f in rows.items():
        table.add_row(name, fmt(f["commitments_p"]), fmt(f["commitments_r"]),
                      fmt(f["commitments_f"]), fmt(f["commitments_lenient_f"]),
                      fmt(f["commitments_kind_acc"]), fmt(f["commitments_modality_acc"]),
                      fmt(f["commitments_holders_f"]), str(f["counts"]["pred"]),
                      str(f["counts"]["tp"]), str(f["seconds"]))
    Console(width=160).print(table)
    gain = (rows["rules + model"]["commitments_f"] or 0) - (rows["rules only"]["commitments_f"] or 0)
    click.echo(f"commitments F1 gain with the model: {gain:+.3f}")

    result = {"date": _dt.date.today().isoformat(), "split": split, "documents": len(docs),
              "gold_commitments": n_gold, "base": base, "rules": rows["rules only"],
              "model": rows["rules + model"], "f1_gain": round(gain, 4)}
    if compare_attributes:
        result["model_own_attributes"] = rows["rules + model, model kind/modality"]
    if json_out:
        json_out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    if write_card and split == "test" and record:
        record["pipeline_eval"] = result
        record_path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n",
                               encoding="utf-8")
        render(model_path, record)
        click.echo(f"figures written to {record_path} and {model_path / 'README.md'}")


if __name__ == "__main__":
    sys.exit(main())

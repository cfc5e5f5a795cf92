"""Fusion thresholds of a trained commitment classifier, and what bounds its gain.

Scores the candidates of one recorded part of a model's split (default: dev)
and reports, for the way the extractor combines model and rules
(``commitments.pipeline.classifier.fuse``):

* commitments F1 of the rules alone and of rules + model over a grid of the
  two thresholds (``veto``: the P(O) at which a rule span is dropped;
  ``add``: the score at which another candidate is added), and the best pair;
* the oracle: F1 if the model were right on every candidate (vetoes exactly
  the rule spans no gold commitment matches, adds exactly the matching ones),
  and the share of gold commitments that no candidate covers (IoU >= 0.5).

    python scripts/tune_model.py --model models/commitments-minilm
    python scripts/tune_model.py --model models/commitments-minilm --split test --oracle-only
    python scripts/tune_model.py --model M --write     # store the best pair in config.json

Thresholds are chosen on dev only; run the held-out test with
``scripts/evaluate_model.py`` (the whole pipeline). Nothing of the gold
texts is written.
"""
from __future__ import annotations

import datetime as _dt
import json
import sys
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from evaluate_model import model_options  # noqa: E402  (the options both scripts take)


@click.command()
@model_options(("dev", "test", "train"))
@click.option("--oracle-only", is_flag=True, help="Only the oracle and coverage (no model run).")
@click.option("--write", is_flag=True,
              help="Store the best (veto, add) in the model's config.json (dev split only).")
@click.option("--write-card", is_flag=True,
              help="Store the oracle and coverage figures in training.json and the card.")
@click.option("--json", "json_out", type=click.Path(path_type=Path), default=None,
              help="Write the figures as JSON here.")
def main(model_path, shared, gold_paths, split, base, oracle_only, write, write_card, json_out):
    from commitments.model import read_documents
    from commitments.pipeline.classifier import LABELS, load_classifier
    from commitments.train.dataset import analysis_pipeline, build_dataset
    from commitments.train.trainer import (ADDS, VETOES, _rule_candidates, choose_fusion,
                                           decode_fused, span_figures)

    record = json.loads((model_path / "training.json").read_text(encoding="utf-8"))
    wanted = set(record["split"][split])
    paths = list(gold_paths) or sorted((shared / "corpus" / "gold").glob("batch_*.jsonl"))
    docs = [d for p in paths for d in read_documents(p) if d.id in wanted and d.commitments is not None]
    if not docs:
        raise click.UsageError(f"none of the {split} documents is in the gold files")
    cfg = json.loads((model_path / "config.json").read_text(encoding="utf-8")).get("commitments", {})
    nlp = analysis_pipeline(base)
    rows = list(build_dataset({split: docs}, nlp, _rule_candidates(nlp), add_missed=False,
                              rule_flag=cfg.get("rule_flag", True),
                              segment_kind=cfg.get("segment_kind", False))[split])
    n_gold = sum(len(d.commitments) for d in docs)
    out: dict = {"split": split, "documents": len(docs), "gold": n_gold, "candidates": len(rows),
                 "rule_candidates": sum(r["source"] == "rules" for r in rows)}

    # oracle: one-hot probabilities from the candidates' gold labels
    onehot = [[1.0 if i == r["label"] else 0.0 for i in range(len(LABELS))] for r in rows]
    covered = span_figures(docs, decode_fused(rows, onehot, docs, 0.5, 0.5))
    rules = span_figures(docs, decode_fused(rows, onehot, docs, 2.0, 2.0))
    veto_only = span_figures(docs, decode_fused(rows, onehot, docs, 0.5, 2.0))
    add_only = span_figures(docs, decode_fused(rows, onehot, docs, 2.0, 0.5))
    out["rules_f"] = rules["commitments_f"]
    out["oracle_f"] = covered["commitments_f"]
    out["oracle_veto_only_f"] = veto_only["commitments_f"]
    out["oracle_add_only_f"] = add_only["commitments_f"]
    out["gold_covered_by_candidates"] = covered["counts"]["tp"]
    out["gold_covered_by_rule_candidates"] = rules["counts"]["tp"]
    click.echo(f"{split}: {len(docs)} documents, {n_gold} gold commitments, {len(rows)} candidates "
               f"({out['rule_candidates']} kept by the rules)")
    click.echo(f"gold commitments a candidate matches: {covered['counts']['tp']} of {n_gold}; "
               f"a rule span matches: {rules['counts']['tp']}")
    click.echo(f"rules alone F1 {rules['commitments_f']:.3f}; oracle model F1 "
               f"{covered['commitments_f']:.3f} (vetoes only {veto_only['commitments_f']:.3f}, "
               f"additions only {add_only['commitments_f']:.3f})")

    if not oracle_only:
        clf = load_classifier(model_path)
        probs = clf.predict_texts([r["text"] for r in rows])
        grid = {}
        for veto in VETOES:
            line = []
            for add in ADDS:
                f = span_figures(docs, decode_fused(rows, probs, docs, veto, add))["commitments_f"] or 0
                grid[f"{veto}/{add}"] = round(f, 4)
                line.append(f"{f:.3f}")
            click.echo(f"veto {veto:<5}: " + " ".join(line))
        click.echo("add:        " + " ".join(f"{a:<5}" for a in ADDS))
        # what the additions alone do (no veto): how many spans each add
        # threshold adds and how many of them a gold commitment matches
        base_counts = span_figures(docs, decode_fused(rows, probs, docs, 2.0, 2.0))["counts"]
        added = {}
        for add in ADDS:
            cnt = span_figures(docs, decode_fused(rows, probs, docs, 2.0, add))["counts"]
            added[str(add)] = {"added": cnt["pred"] - base_counts["pred"],
                               "right": cnt["tp"] - base_counts["tp"]}
        click.echo("additions without veto (added/right): " + " ".join(
            f"{a}: {v['added']}/{v['right']}" for a, v in added.items()))
        out["additions"] = added
        vetoed = {}
        for veto in VETOES:
            cnt = span_figures(docs, decode_fused(rows, probs, docs, veto, 2.0))["counts"]
            dropped = base_counts["pred"] - cnt["pred"]
            lost = base_counts["tp"] - cnt["tp"]
            vetoed[str(veto)] = {"vetoed": dropped, "wrong_spans_vetoed": dropped - lost}
        click.echo("vetoes without additions (vetoed/of them not a commitment): " + " ".join(
            f"{v}: {c['vetoed']}/{c['wrong_spans_vetoed']}" for v, c in vetoed.items()))
        out["vetoes"] = vetoed
        best = choose_fusion(rows, probs, docs)
        own = span_figures(docs, decode_fused(rows, probs, docs, clf.veto, clf.add))
        out["model_f"] = own["commitments_f"]
        click.echo(f"best: veto {best['veto']}, add {best['add']}: F1 {best['f']:.3f} "
                   f"(rules alone {best['rules_f']:.3f}); the model's own (veto {clf.veto}, "
                   f"add {clf.add}): F1 {own['commitments_f']:.3f}")
        out |= {"grid": grid, "best": best}
        if write:
            if split != "dev":
                raise click.UsageError("--write stores thresholds chosen on dev only")
            cfg_path = model_path / "config.json"
            cfg = json.loads(cfg_path.read_text(encoding="utf-8"))
            cfg.setdefault("commitments", {}).update(veto=best["veto"], add=best["add"])
            cfg_path.write_text(json.dumps(cfg, indent=2) + "\n", encoding="utf-8")
            record.update(veto=best["veto"], add=best["add"])
            out["model_f"] = best["f"]
            (model_path / "training.json").write_text(
                json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            click.echo(f"veto and add written to {cfg_path} and training.json")
    if json_out:
        json_out.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    if write_card:
        from commitments.train.card import write_card as render

        record.setdefault("analysis", {})[split] = {
            k: v for k, v in out.items() if k not in ("grid", "best")} | {
            "date": _dt.date.today().isoformat()}
        (model_path / "training.json").write_text(
            json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        render(model_path, record)
        click.echo(f"figures written to {model_path / 'training.json'} and the card")


if __name__ == "__main__":
    sys.exit(main())

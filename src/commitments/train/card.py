"""The model card (``README.md``) written beside a trained model, from the
training record of :func:`commitments.train.trainer.train`."""
from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["render_card", "write_card"]


def _f(x: Any) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def _figures_table(rows: list[tuple[str, dict | None]]) -> list[str]:
    lines = ["| | P | R | F1 | lenient F1 | kind acc | modality acc | gold | pred | tp |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for name, figs in rows:
        if not figs:
            continue
        c = figs.get("counts") or {}
        lines.append(
            f"| {name} | {_f(figs['commitments_p'])} | {_f(figs['commitments_r'])} | "
            f"{_f(figs['commitments_f'])} | {_f(figs.get('commitments_lenient_f'))} | "
            f"{_f(figs['commitments_kind_acc'])} | {_f(figs['commitments_modality_acc'])} | "
            f"{c.get('gold', '')} | {c.get('pred', '')} | {c.get('tp', '')} |")
    return lines


def render_card(record: dict[str, Any]) -> str:
    """The card's Markdown text."""
    args = record["args"]
    split = record["split"]
    lines = [
        "---",
        "library_name: transformers",
        "pipeline_tag: text-classification",
        "tags: [commitments, diplomacy, span-classification]",
        "---",
        "",
        f"# {record['name']}",
        "",
        "A commitment classifier for the `commitments` toolkit: it scores candidate spans "
        "(verb phrases, list items, the rules' proposals) as `O` (not a commitment) or "
        "`kind/modality` (" + ", ".join(f"`{lab}`" for lab in args_labels(record)) + "). "
        "Use it with `commitments extract --model PATH` or "
        "`commitments.load(model=PATH)`; see docs/training.md.",
        "",
        "## Training",
        "",
        f"- date: {record['date']}",
        f"- base encoder: {record['base']}",
        f"- data: {', '.join(Path(p).name for p in args['gold'])}"
        + (f", and for training only {', '.join(Path(p).name for p in args.get('train_only') or [])}"
           if args.get("train_only") else "")
        + f"; {sum(len(v) for v in split.values())} documents, "
        f"{sum(record['commitments'].values())} gold commitments",
        f"- split by document (seed {args['seed']}, dev share {args['dev_share']}, "
        f"test share {args['test_share']}): " + ", ".join(
            f"{k} {len(v)} documents / {record['commitments'][k]} commitments"
            for k, v in split.items()),
        "- examples (candidates) per label: " + "; ".join(
            f"{k}: " + ", ".join(f"{lab} {n}" for lab, n in v.items())
            for k, v in record["examples"].items()),
        f"- hyper-parameters: {args['epochs']} epochs at most (patience {args['patience']}), "
        f"batch {args['batch_size']}, learning rate {args['learning_rate']}, warm-up "
        f"{args['warmup_ratio']}, weight decay {args['weight_decay']}, positive weight "
        f"{args['positive_weight']}, max length {args['max_length']}",
        "- input: the candidate's sentence with the span in brackets"
        + (", the segment kind first" if args.get("segment_kind") else "")
        + (", 'rule |' on the rules' spans" if args.get("rule_flag", True) else "")
        + (f"; each epoch sees every commitment and {args.get('negative_share', 1.0):g} of the "
           "'O' candidates" if args.get("negative_share", 1.0) < 1 else ""),
        f"- best epoch {record['best_epoch']} of {len(record['history'])} (by the dev F1 of "
        + ("rules + model" if any("dev_fused_f" in h for h in record["history"])
           else "the classifier alone")
        + "); with the rules: veto at P(O) >= "
        f"{record.get('veto', 'n/a')}, add at score >= {record.get('add', 'n/a')}; classifier "
        f"alone: threshold {record['threshold']} (all chosen on dev)",
        f"- device: {record['device']} ({record['torch_threads']} threads); training "
        f"{record['train_seconds']} s, whole run {record['wall_seconds']} s",
        "",
        "| epoch | loss | dev F1, classifier alone | dev F1, rules + model | veto | add |",
        "|---|---|---|---|---|---|",
        *[f"| {h['epoch']} | {h['loss']} | {h['dev_commitments_f']} | "
          f"{h.get('dev_fused_f', 'n/a')} | {h.get('veto', '')} | {h.get('add', '')} |"
          for h in record["history"]],
        "",
        "## Figures",
        "",
        "Commitments as FORMAT.md scores them (span IoU >= 0.5), from the classifier alone "
        "(candidates it keeps, no rules):",
        "",
        *_figures_table([("dev", record.get("dev")), ("test", record.get("test_classifier_only"))]),
        "",
    ]
    if record.get("dev_fused"):
        lines += [
            "Rules + model as the extractor combines them (the rules' spans unless vetoed, "
            "additions above their threshold), scored on the candidates at training time:",
            "",
            *_figures_table([("dev", record.get("dev_fused")), ("test", record.get("test_fused")),
                             ("test, rules alone", record.get("test_rules"))]),
            "",
        ]
    if record.get("pipeline_eval"):
        ev = record["pipeline_eval"]
        lines += [
            "Whole pipeline on the held-out test documents (`scripts/evaluate_model.py`, "
            f"{ev.get('date', '')}):",
            "",
            *_figures_table([("rules only", ev.get("rules")), ("rules + model", ev.get("model"))]),
            "",
        ]
    for split_name, an in sorted((record.get("analysis") or {}).items()):
        lines += [
            f"What bounds the gain on the {split_name} documents (`scripts/tune_model.py "
            f"--split {split_name}`, {an.get('date', '')}): {an['gold']} gold commitments, "
            f"{an['candidates']} candidates ({an['rule_candidates']} kept by the rules); a "
            f"candidate matches {an['gold_covered_by_candidates']} of the gold commitments, "
            f"a rule span {an['gold_covered_by_rule_candidates']}. Commitments F1 of the rules "
            f"alone {_f(an['rules_f'])}; with a model right on every candidate "
            f"{_f(an['oracle_f'])} (its vetoes alone {_f(an['oracle_veto_only_f'])}, its "
            f"additions alone {_f(an['oracle_add_only_f'])})"
            + (f"; with this model {_f(an['model_f'])}" if an.get("model_f") is not None
               else "") + ".",
            "",
        ]
    lines += [
        "## Held-out documents",
        "",
        "Test: " + (", ".join(f"`{i}`" for i in split.get("test", [])) or "none"),
        "",
        "Dev: " + (", ".join(f"`{i}`" for i in split.get("dev", [])) or "none"),
        "",
        "## Limits",
        "",
        "Trained on a small corpus of English diplomatic texts (joint statements, readouts, "
        "communiques, news); expect lower figures on other genres and languages. The spans "
        "it can return are those the candidate generator proposes.",
        "",
        *[line for note in record.get("notes") or [] for line in (note, "")],
    ]
    return "\n".join(lines)


def args_labels(record: dict[str, Any]) -> list[str]:
    labels: list[str] = []
    for counts in record.get("examples", {}).values():
        for lab in counts:
            if lab not in labels:
                labels.append(lab)
    return sorted(labels)


def write_card(folder: str | Path, record: dict[str, Any]) -> Path:
    path = Path(folder) / "README.md"
    path.write_text(render_card(record), encoding="utf-8")
    return path

"""The rules' error inventory on a model's held-out documents, and what a
candidate classifier could fix of it (``commitments.train.inventory``).

Runs the extractor on its rules alone (the same pipeline as the "rules only"
row of ``scripts/evaluate_model.py``) over one recorded part of a model's
split, and reports false positives, misses, wrong spans and wrong kind or
modality, each with how many a classifier over the candidates
(``commitments.pipeline.candidates``) could fix in principle, plus a few
examples (document, offsets, segment kind, a short snippet shown on the
terminal only). ``--by-split`` also gives the rules' F1 on every part of the
split and on each gold file (the dev-vs-test gap; the files the rules were
tuned on against the later ones).

    python scripts/rules_errors.py --model models/commitments-minilm
    python scripts/rules_errors.py --model models/commitments-minilm --by-split --json /tmp/e.json

The gold texts of ../shared belong to their publishers: nothing of them is
written into the repository (``--json`` writes counts and offsets only).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parents[1]
CATEGORIES = ("false_positive", "miss", "wrong_span", "kind", "modality")


def _segment_kind(doc, start: int) -> str:
    for s in doc.segments or []:
        if s.start <= start < s.end:
            return s.kind
    return "-"


def _snippet(text: str, start: int, end: int, width: int) -> str:
    s = " ".join(text[start:end].split())
    return s if len(s) <= width else s[: width - 3] + "..."


@click.command()
@click.option("--model", "model_path", required=True, type=click.Path(exists=True, path_type=Path),
              help="A model folder written by `commitments train` (for its recorded split).")
@click.option("--shared", type=click.Path(path_type=Path), default=ROOT.parent / "shared",
              show_default=True, help="The shared folder holding corpus/gold.")
@click.option("--split", type=click.Choice(["test", "dev", "train"]), default="test",
              show_default=True, help="Which recorded part of the split to inventory.")
@click.option("--base", default="en_core_web_sm", show_default=True, help="spaCy base pipeline.")
@click.option("--examples", default=5, show_default=True, help="Examples shown per category.")
@click.option("--width", default=70, show_default=True, help="Characters of each snippet.")
@click.option("--by-split", is_flag=True, help="Also the rules' F1 per part and per gold file.")
@click.option("--json", "json_out", type=click.Path(path_type=Path), default=None,
              help="Write counts and error offsets (no text) as JSON here.")
def main(model_path, shared, split, base, examples, width, by_split, json_out):
    from commitments import load
    from commitments.evaluate import evaluate
    from commitments.model import read_documents
    from commitments.pipeline import extract
    from commitments.train.dataset import analysis_pipeline, build_dataset
    from commitments.train.inventory import bootstrap_f1, error_inventory
    from commitments.train.trainer import _rule_candidates

    record = json.loads((model_path / "training.json").read_text(encoding="utf-8"))
    paths = sorted((shared / "corpus" / "gold").glob("batch_*.jsonl"))
    if not paths:
        raise click.UsageError(f"no gold file under {shared / 'corpus' / 'gold'}; give --shared")
    source = {}
    docs_all = []
    for p in paths:
        for d in read_documents(p):
            if d.commitments is not None:
                docs_all.append(d)
                source[d.id] = p.stem
    parts = {k: set(v) for k, v in record["split"].items()}
    docs = [d for d in docs_all if d.id in parts[split]]
    if not docs:
        raise click.UsageError(f"none of the {split} documents is in the gold files")

    nlp = load(base=base)
    wanted = docs_all if by_split else docs
    preds = {p.id: p for p in extract([d.without_annotations() for d in wanted], nlp)}

    anlp = analysis_pipeline(base)
    rows = build_dataset({split: docs}, anlp, _rule_candidates(anlp), add_missed=False)[split]
    cands: dict[str, list[tuple[int, int]]] = {}
    for r in rows:
        cands.setdefault(r["doc_id"], []).append((r["start"], r["end"]))

    inv = error_inventory(docs, [preds[d.id] for d in docs], cands)
    counts = inv.counts()
    n_cands = sum(len(v) for v in cands.values())
    click.echo(f"{split}: {len(docs)} documents, {counts['gold']} gold, {counts['pred']} rule "
               f"predictions, {counts['tp']} right; {n_cands} candidates")
    for c in CATEGORIES:
        extra = f" ({counts[c + '_fixable']} fixable by the classifier in principle)" \
            if c + "_fixable" in counts else ""
        click.echo(f"  {c}: {counts[c]}{extra}")
    sd, lo, hi = bootstrap_f1(list(inv.per_doc.values()))
    f1 = 2 * counts["tp"] / (counts["pred"] + counts["gold"])
    click.echo(f"  rules F1 {f1:.3f}; document bootstrap (2000 draws): sd {sd:.3f}, "
               f"95% interval {lo:.3f} to {hi:.3f}")
    counts |= {"f1": round(f1, 4), "bootstrap_sd": round(sd, 4),
               "bootstrap_95": [round(lo, 4), round(hi, 4)]}
    text = {d.id: d.text for d in docs}
    for c in CATEGORIES:
        items = inv.of(c)
        if not items:
            continue
        click.echo(f"\n{c} (first {min(examples, len(items))} of {len(items)}):")
        for it in items[:examples]:
            pred_doc = preds[it.doc_id]
            where = it.pred or it.gold
            bits = [f"{it.doc_id[:40]}", f"seg={_segment_kind(pred_doc, where.start)}"]
            if it.gold is not None:
                bits.append(f"gold[{it.gold.start}:{it.gold.end}] {it.gold.kind}/{it.gold.modality} "
                            f"'{_snippet(text[it.doc_id], it.gold.start, it.gold.end, width)}'")
            if it.pred is not None:
                bits.append(f"pred[{it.pred.start}:{it.pred.end}] {it.pred.kind}/{it.pred.modality} "
                            f"'{_snippet(text[it.doc_id], it.pred.start, it.pred.end, width)}'")
            if it.fixable is not None:
                bits.append(f"fixable={it.fixable}")
            click.echo("  - " + " | ".join(bits))

    out = {"split": split, "documents": len(docs), "candidates": n_cands, "counts": counts,
           "errors": [{"doc": i.doc_id, "category": i.category, "fixable": i.fixable,
                       "gold": None if i.gold is None else [i.gold.start, i.gold.end],
                       "pred": None if i.pred is None else [i.pred.start, i.pred.end]}
                      for i in inv.items]}
    if by_split:
        click.echo("\nrules-only commitments F1:")
        groups = {f"split {k}": [d for d in docs_all if d.id in v] for k, v in parts.items()}
        for stem in sorted(set(source.values())):
            groups[f"file {stem}"] = [d for d in docs_all if source[d.id] == stem]
            for k, v in parts.items():
                groups[f"file {stem}, {k}"] = [d for d in docs_all
                                               if source[d.id] == stem and d.id in v]
        out["by_group"] = {}
        for name, group in groups.items():
            if not group:
                continue
            gold = [type(d)(id=d.id, text=d.text, commitments=d.commitments) for d in group]
            res = evaluate(gold, [preds[d.id] for d in group])
            f = res["commitments_f"]
            out["by_group"][name] = {"documents": len(group), "commitments_f": f,
                                     "counts": res["commitments_counts"]}
            click.echo(f"  {name}: {len(group)} documents, F1 "
                       f"{'-' if f is None else f'{f:.3f}'} {res['commitments_counts']}")
    if json_out:
        json_out.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())

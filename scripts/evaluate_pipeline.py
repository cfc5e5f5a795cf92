"""Figures of the extraction pipeline on gold files.

Runs ``commitments.load()`` (en_core_web_sm, or a blank English pipeline with
``--blank``) over the texts of gold JSON Lines files, writes the predictions
and prints the scorer's table (``commitments.evaluate``).

    python scripts/evaluate_pipeline.py                 # seeds + ../shared gold batches
    python scripts/evaluate_pipeline.py --blank
    python scripts/evaluate_pipeline.py --gold-upstream # gold segments/actors given:
                                                        # points and commitments alone
    python scripts/evaluate_pipeline.py --gold corpora/gold/seeds.jsonl --out /tmp/pred.jsonl
    python scripts/evaluate_pipeline.py ../shared/corpus/gold/batch_*.jsonl --blank  # files as arguments

The texts of ../shared belong to their publishers: predictions are written
outside the repository by default (a temporary folder).
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parents[1]


def _default_gold(shared: Path) -> list[Path]:
    paths = [ROOT / "corpora" / "gold" / "seeds.jsonl"]
    paths += sorted((shared / "corpus" / "gold").glob("batch_*.jsonl"))
    return [p for p in paths if p.exists()]


def _inject_gold_upstream(doc, gold) -> None:
    """Set the gold segments and actors on ``doc`` (to measure the later
    components in isolation)."""
    segs, acts = [], []
    for s in gold.segments or []:
        span = doc.char_span(s.start, s.end, alignment_mode="expand")
        if span is not None:
            span._.segment_kind, span._.voice, span._.reporter = s.kind, s.voice, s.reporter
            segs.append(span)
    for a in gold.actors or []:
        span = doc.char_span(a.start, a.end, alignment_mode="expand")
        if span is not None:
            span._.actor_type, span._.actor_key, span._.actor_country = a.type, a.key, a.country
            acts.append(span)
    doc.spans["segments"] = segs
    doc.spans["actors"] = acts


def run_pipeline(nlp, docs, gold_upstream: bool = False):
    """Predicted documents for ``docs`` and the number of tokens processed."""
    from rich.progress import track

    from commitments.pipeline.convert import doc_to_document, make_doc

    out, tokens = [], 0
    for gold in track(docs, description="extracting", transient=True):
        doc = make_doc(nlp, gold)
        tokens += len(doc)
        if gold_upstream:
            for name, proc in nlp.pipeline:
                if name in ("segments", "actors"):
                    continue
                if name in ("points",):
                    _inject_gold_upstream(doc, gold)
                doc = proc(doc)
        else:
            doc = nlp(doc)
        out.append(doc_to_document(doc, gold))
    return out, tokens


def print_table(result: dict, title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    def fmt(v):
        return "-" if v is None else f"{v:.3f}"

    table = Table(title=title)
    for col in ("unit", "P", "R", "F1", "gold", "pred", "other figures on matches"):
        table.add_column(col)
    for unit in ("segments", "actors", "commitments", "commitments_lenient", "points", "points_items"):
        counts = result.get(f"{unit}_counts") or {}
        extra = []
        for key, value in result.items():
            if key.startswith(unit + "_") and key.endswith("_acc") or key == f"{unit}_holders_f":
                if key.count("_") - unit.count("_") == 2 or key == f"{unit}_holders_f":
                    extra.append(f"{key[len(unit) + 1:]} {fmt(value)}")
        table.add_row(unit, fmt(result.get(f"{unit}_p")), fmt(result.get(f"{unit}_r")),
                      fmt(result.get(f"{unit}_f")), str(counts.get("gold", "-")),
                      str(counts.get("pred", "-")), ", ".join(extra))
    Console(width=160).print(table)


@click.command()
@click.argument("gold_args", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--gold", "gold_paths", multiple=True, type=click.Path(path_type=Path),
              help="Gold JSON Lines file (repeatable). Default: corpora/gold/seeds.jsonl and "
                   "<shared>/corpus/gold/batch_*.jsonl when present.")
@click.option("--shared", type=click.Path(path_type=Path), default=ROOT.parent / "shared",
              show_default=True, help="The shared folder holding corpus/gold.")
@click.option("--blank", is_flag=True, help="Blank English pipeline (no tagger or parser).")
@click.option("--gold-upstream", is_flag=True,
              help="Give points and commitments the gold segments and actors.")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Where to write the predictions (default: a temporary file).")
@click.option("--iou", type=float, default=0.5, show_default=True)
@click.option("--model", type=click.Path(exists=True, path_type=Path), default=None,
              help="A model trained by `commitments train` for the commitments component.")
def main(gold_args, gold_paths, shared, blank, gold_upstream, out, iou, model):
    from commitments import load
    from commitments.errors import CommitmentsError
    from commitments.evaluate import evaluate
    from commitments.model import read_documents, write_jsonl

    paths = [*gold_args, *gold_paths] or _default_gold(shared)
    if not paths:
        raise click.UsageError("no gold file found; give --gold or --shared")
    try:
        docs = [d for p in paths for d in read_documents(p)]
    except CommitmentsError as exc:
        raise click.ClickException(str(exc))
    nlp = load(base=None if blank else "en_core_web_sm", model=model)
    t0 = time.perf_counter()
    preds, tokens = run_pipeline(nlp, docs, gold_upstream)
    elapsed = time.perf_counter() - t0
    if out is None:
        out = Path(tempfile.mkdtemp(prefix="commitments-eval-")) / "predictions.jsonl"
    write_jsonl(preds, out)
    result = evaluate(docs, preds, iou=iou)
    base = "blank" if blank else "en_core_web_sm"
    print_table(result, f"{len(docs)} documents, {base}{', gold upstream' if gold_upstream else ''}, "
                        f"IoU >= {iou}")
    click.echo(f"{tokens} tokens in {elapsed:.1f}s ({tokens / max(elapsed, 1e-9):,.0f} tokens/s); "
               f"predictions: {out}")
    for w in result.get("warnings", []):
        click.echo(f"warning: {w}", err=True)


if __name__ == "__main__":
    sys.exit(main())

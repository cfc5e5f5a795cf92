"""Speed of the commitments component and of the whole pipeline.

Reads the texts of gold JSON Lines files (seeds + ../shared gold batches by
default), and prints words per second of:

- the commitments component alone (upstream components run first, untimed),
  on a blank English pipeline and on en_core_web_sm;
- ``nlp.pipe`` of en_core_web_sm alone and of the whole pipeline on it, and
  their ratio (the batch target is >= 0.7);
- ``nlp.pipe`` of the whole blank pipeline (rules only).

    python scripts/bench_commitments.py [--gold FILE ...] [--repeat 2]
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parents[1]


def _texts(paths) -> list[str]:
    from commitments.model import read_documents

    return [d.text for p in paths for d in read_documents(p)]


def _component_rate(nlp, texts, repeat: int) -> float:
    name = "commitments"
    proc = nlp.get_pipe(name)
    docs = []
    for text in texts:
        doc = nlp.make_doc(text)
        for n, p in nlp.pipeline:
            if n == name:
                break
            doc = p(doc)
        docs.append(doc)
    words = sum(len(t.split()) for t in texts) * repeat
    t0 = time.perf_counter()
    for _ in range(repeat):
        for doc in docs:
            proc(doc)
    return words / (time.perf_counter() - t0)


def _pipe_rate(nlp, texts, repeat: int) -> float:
    words = sum(len(t.split()) for t in texts) * repeat
    t0 = time.perf_counter()
    for _ in range(repeat):
        for _doc in nlp.pipe(texts, batch_size=32):
            pass
    return words / (time.perf_counter() - t0)


@click.command()
@click.option("--gold", "gold_paths", multiple=True, type=click.Path(exists=True, path_type=Path))
@click.option("--shared", type=click.Path(path_type=Path), default=ROOT.parent / "shared", show_default=True)
@click.option("--repeat", type=int, default=2, show_default=True)
def main(gold_paths, shared, repeat):
    from commitments import load
    from commitments.pipeline import base_pipeline

    paths = list(gold_paths) or [p for p in [ROOT / "corpora" / "gold" / "seeds.jsonl",
                                             *sorted((shared / "corpus" / "gold").glob("batch_*.jsonl"))]
                                 if p.exists()]
    if not paths:
        raise click.UsageError("no gold file found; give --gold or --shared")
    texts = _texts(paths)
    click.echo(f"{len(texts)} texts, {sum(len(t.split()) for t in texts):,} words, x{repeat}")
    blank = load(base=None)
    sm = load()
    base = base_pipeline("en_core_web_sm")
    click.echo(f"commitments component, blank:        {_component_rate(blank, texts, repeat):>10,.0f} words/s")
    click.echo(f"commitments component, sm:           {_component_rate(sm, texts, repeat):>10,.0f} words/s")
    click.echo(f"whole pipeline, blank (nlp.pipe):    {_pipe_rate(blank, texts, repeat):>10,.0f} words/s")
    r_base = _pipe_rate(base, texts, repeat)
    r_full = _pipe_rate(sm, texts, repeat)
    click.echo(f"en_core_web_sm alone (nlp.pipe):     {r_base:>10,.0f} words/s")
    click.echo(f"whole pipeline on sm (nlp.pipe):     {r_full:>10,.0f} words/s  ({r_full / r_base:.2f}x)")


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python
"""Words per second (CPU time) of the tokenizer, sentencizer, actors and
segments components on the gold texts (docs/pipeline-segments-actors.md).

    python scripts/bench_segments_actors.py            # blank English pipeline
    python scripts/bench_segments_actors.py --base en_core_web_sm --reps 1

Texts: corpora/gold/seeds.jsonl and <shared>/corpus/gold/batch_*.jsonl, read
in place (they belong to their publishers and are never copied). Each
component runs over every document in turn; times are CPU seconds of this
process (steadier than wall time on a shared machine).
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--base", default=None, help="a trained spaCy pipeline (default: blank English)")
    parser.add_argument("--reps", type=int, default=1, help="times each text is repeated")
    args = parser.parse_args()

    from commitments.model import read_documents
    from commitments.pipeline import _import_factories, base_pipeline
    from commitments.pipeline.convert import make_doc

    _import_factories()
    paths = [ROOT / "corpora" / "gold" / "seeds.jsonl", *sorted((args.shared / "corpus" / "gold").glob("batch_*.jsonl"))]
    docs = [d for p in paths if p.exists() for d in read_documents(p)] * args.reps
    if not docs:
        raise SystemExit("no gold texts found; give --shared")
    nlp = base_pipeline(args.base)
    nlp.add_pipe("commitments_actors", name="actors")
    nlp.add_pipe("commitments_segments", name="segments")
    words = sum(len(d.text.split()) for d in docs)
    t = time.process_time()
    made = [make_doc(nlp, d) for d in docs]
    total = time.process_time() - t
    print(f"{'tokenizer':16s} {words / total:>12,.0f} words/s")
    for name, proc in nlp.pipeline:
        t = time.process_time()
        made = [proc(d) for d in made]
        spent = time.process_time() - t
        total += spent
        print(f"{name:16s} {words / spent:>12,.0f} words/s")
    print(f"{'all':16s} {words / total:>12,.0f} words/s ({len(docs)} documents, {words:,} words)")


if __name__ == "__main__":
    main()

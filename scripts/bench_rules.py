#!/usr/bin/env python
"""Rules-only throughput on a blank English pipeline, in CPU time (docs/batch.md,
"Performance").

On a machine shared with other jobs, wall-clock figures swing by 2x from one
run to the next; the CPU time of this process swings far less. This script
gives, on the seeds and the development corpus (``../shared``) repeated to
``--words`` words, the best of ``--repeats`` runs of:

- ``commitments.batch.process`` over a blank pipeline (what
  ``commitments extract --base blank`` runs): words per CPU second and per
  wall second;
- the CPU seconds of each component (tokenizer, sentencizer, actors,
  segments, points, commitments, conversion to documents), one document at a
  time.

``--against REV`` runs the same measurement on the package as it was at a
git revision (``git archive``, in a temporary folder), alternating with the
working tree, for a before/after on the same machine state::

    python scripts/bench_rules.py --words 200000 --against e80fabb

The texts belong to their publishers; they are read from ``../shared`` and
never copied into the repository.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))


def measure(shared: Path, words: int, repeats: int) -> dict:
    import bench_extract as be
    from commitments.pipeline import load

    base = be.load_documents(be.find_texts(shared))
    docs, total = be.repeat_to(base, words)
    nlp = load(base=None)
    be.through_batch(nlp, docs[:20], 32)  # warm up
    cpu = wall = float("inf")
    for _ in range(repeats):
        w, c = time.perf_counter(), time.process_time()
        be.through_batch(nlp, docs, 32)
        wall, cpu = min(wall, time.perf_counter() - w), min(cpu, time.process_time() - c)
    comp: dict[str, float] | None = None
    for _ in range(repeats):
        t = be.component_times(nlp, docs, clock=time.process_time)
        comp = t if comp is None else {k: min(comp[k], t[k]) for k in t}
    import commitments

    return {"package": str(Path(commitments.__file__).parent), "words": total, "documents": len(docs),
            "cpu_seconds": round(cpu, 3), "wall_seconds": round(wall, 3),
            "words_per_cpu_s": round(total / cpu), "words_per_wall_s": round(total / wall),
            "component_cpu_seconds": {k: round(v, 3) for k, v in comp.items()}}


def measure_revision(rev: str, args) -> dict:
    """The same measurement in a subprocess on ``git archive REV src/commitments``."""
    data = subprocess.run(["git", "archive", rev, "src/commitments"], cwd=ROOT, check=True,
                          capture_output=True).stdout
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(fileobj=BytesIO(data)) as tar:
            tar.extractall(tmp)
        out = Path(tmp) / "figures.json"
        env = dict(os.environ, PYTHONPATH=str(Path(tmp) / "src"))
        subprocess.run([sys.executable, __file__, "--shared", str(args.shared), "--words", str(args.words),
                        "--repeats", str(args.repeats), "--json", str(out)], env=env, check=True)
        return json.loads(out.read_text())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--words", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=3, help="runs of each measurement (the best is kept)")
    parser.add_argument("--against", metavar="REV", default=None,
                        help="also measure the package at this git revision, alternating with this one")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)

    if args.against is None:
        results = [("working tree", measure(args.shared, args.words, args.repeats))]
    else:
        runs = [("working tree", lambda: measure(args.shared, args.words, args.repeats)),
                (args.against, lambda: measure_revision(args.against, args))]
        best: dict[str, dict] = {}
        for _ in range(2):  # alternate, keep each side's best
            for label, fn in runs:
                r = fn()
                if label not in best or r["cpu_seconds"] < best[label]["cpu_seconds"]:
                    best[label] = r
        results = [(args.against, best[args.against]), ("working tree", best["working tree"])]
    if args.json:
        args.json.write_text(json.dumps(results[0][1] if len(results) == 1 else dict(results), indent=2) + "\n")
        if args.against is None:
            return

    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"rules only, blank pipeline: {results[0][1]['words']:,} words "
                        f"(best of {args.repeats}, CPU time of this process)")
    table.add_column("")
    for label, _ in results:
        table.add_column(label, justify="right")
    table.add_row("words / CPU s", *[f"{r['words_per_cpu_s']:,}" for _, r in results])
    table.add_row("words / wall s", *[f"{r['words_per_wall_s']:,}" for _, r in results])
    for name in results[-1][1]["component_cpu_seconds"]:
        table.add_row(f"{name} (CPU s)", *[f"{r['component_cpu_seconds'].get(name, 0):.3f}" for _, r in results])
    table.add_row("sum (CPU s)", *[f"{sum(r['component_cpu_seconds'].values()):.3f}" for _, r in results])
    Console().print(table)


if __name__ == "__main__":
    main()

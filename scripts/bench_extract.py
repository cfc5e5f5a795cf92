#!/usr/bin/env python
"""Throughput of batch extraction (docs/batch.md, "Benchmark").

Texts: the seed documents plus the development corpus (``raw/``), repeated
until they hold at least ``--words`` words. On these same texts, in one run:

1. ``en_core_web_sm``'s own ``nlp.pipe`` (the floor: tagger, parser, NER);
2. the full commitments pipeline on that base, through the batch machinery
   (:func:`commitments.batch.process`: screening, conversion to documents),
   and the ratio 2/1 (goal >= 0.7);
3. the rules only, on a blank English pipeline (goal >= 100k words/s), with
   one process and with ``--processes`` processes (default 2);
4. scaling: the full pipeline with 1 and 2 processes (on ``--scale-words``);
5. the time each component takes (on ``--profile-words``), and with
   ``--profile`` a cProfile of the full pipeline's hot spots.

Peak memory is the peak resident set of this process and its children
during each phase. Prints a rich table and writes JSON (``--json``).

    python scripts/bench_extract.py --words 1000000 --json bench_extract.json

The texts belong to their publishers; they are read from ``../shared`` and
never copied into the repository.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import itertools
import json
import os
import platform
import pstats
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def find_texts(shared: Path) -> list[Path]:
    seeds = ROOT / "corpora" / "seeds"
    if not any(seeds.glob("*.txt")):
        seeds = shared / "seeds"
    files = sorted(seeds.glob("*.txt")) + sorted((shared / "corpus" / "raw").glob("*.txt"))
    if not files:
        raise SystemExit(f"no texts found under {seeds} or {shared / 'corpus' / 'raw'} "
                         "(give the shared folder with --shared)")
    return files


def load_documents(files: list[Path]):
    """English documents only (the pipeline rejects the others anyway). The
    language is stored as a reader stores it, so that the phases time the
    pipeline, not language identification (the reader's cost)."""
    from commitments.batch import document_language
    from commitments.model import Document

    docs = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        doc = Document(id=path.stem, text=text)
        if document_language(doc) in (None, "en"):
            doc.extra["language"] = "en"
            docs.append(doc)
    return docs


def repeat_to(docs, words: int):
    """Documents repeated (ids made unique) until they hold ``words`` words."""
    from commitments.batch import count_words
    from commitments.model import Document

    out, total = [], 0
    for rep in itertools.count():
        for d in docs:
            out.append(Document(id=f"{d.id}~{rep}", text=d.text, extra=dict(d.extra)))
            total += count_words(d.text)
        if total >= words:
            return out, total


class PeakMemory:
    """Samples the resident memory of this process and its children."""

    def __init__(self, every: float = 0.1):
        import psutil

        self.proc = psutil.Process()
        self.every = every
        self.peak = 0
        self._stop = threading.Event()

    def _rss(self) -> int:
        total = self.proc.memory_info().rss
        for child in self.proc.children(recursive=True):
            try:
                total += child.memory_info().rss
            except Exception:
                pass
        return total

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self._rss())
            time.sleep(self.every)

    def __enter__(self):
        self.peak = self._rss()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._rss())


def timed(label, fn, words):
    with PeakMemory() as mem:
        start = time.perf_counter()
        n = fn()
        seconds = time.perf_counter() - start
    return {"phase": label, "docs": n, "words": words, "seconds": round(seconds, 2),
            "words_per_s": round(words / seconds), "peak_mb": round(mem.peak / 1e6)}


def spacy_alone(nlp, docs, batch_size):
    return sum(1 for _ in nlp.pipe((d.text for d in docs), batch_size=batch_size))


def through_batch(nlp, docs, batch_size, n_process=1):
    from commitments.batch import Rejection, process

    n = 0
    for outcome in process(iter(docs), nlp, batch_size=batch_size, n_process=n_process):
        if isinstance(outcome, Rejection):
            raise SystemExit(f"unexpected rejection in the benchmark: {outcome}")
        n += 1
    return n


def component_times(nlp, docs, clock=time.perf_counter):
    """Seconds spent in each component (and the tokenizer), one doc at a time,
    by ``clock`` (wall time by default; ``time.process_time`` for CPU time)."""
    from commitments.pipeline.convert import doc_to_document, make_doc

    times = {"tokenizer": 0.0, **{name: 0.0 for name in nlp.pipe_names}, "to_document": 0.0}
    for d in docs:
        t = clock()
        doc = make_doc(nlp, d)
        times["tokenizer"] += clock() - t
        for name, proc in nlp.pipeline:
            t = clock()
            doc = proc(doc)
            times[name] += clock() - t
        t = clock()
        doc_to_document(doc, d)
        times["to_document"] += clock() - t
    return {k: round(v, 3) for k, v in times.items()}


def profile(nlp, docs, top: int):
    prof = cProfile.Profile()
    prof.enable()
    through_batch(nlp, docs, 32)
    prof.disable()
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf)
    stats.sort_stats("tottime").print_stats(r"commitments", top)
    rows = []
    for (file, line, func), (cc, nc, tt, ct, _) in stats.stats.items():
        if "/commitments/" in file:
            rows.append({"where": f"{Path(file).parent.name}/{Path(file).name}:{line}({func})",
                         "calls": nc, "tottime": round(tt, 3), "cumtime": round(ct, 3)})
    rows.sort(key=lambda r: -r["tottime"])
    return rows[:top]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared",
                        help="the shared folder (seeds/, corpus/raw/)")
    parser.add_argument("--words", type=int, default=1_000_000,
                        help="words to process in each main phase (default 1,000,000)")
    parser.add_argument("--scale-words", type=int, default=300_000,
                        help="words for the 1- vs 2-process comparison")
    parser.add_argument("--profile-words", type=int, default=100_000,
                        help="words for the per-component times and the profile")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--processes", type=int, default=min(2, os.cpu_count() or 1),
                        help="processes for the second rules-only phase (default: 2, "
                             "or 1 on a one-CPU machine, which skips that phase)")
    parser.add_argument("--base", default="en_core_web_sm")
    parser.add_argument("--profile", action="store_true", help="also run cProfile")
    parser.add_argument("--skip-scaling", action="store_true")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    args = parser.parse_args(argv)

    from rich.console import Console
    from rich.table import Table

    from commitments.pipeline import base_pipeline, load

    console = Console(stderr=True)
    files = find_texts(args.shared)
    base_docs = load_documents(files)
    docs, words = repeat_to(base_docs, args.words)
    console.print(f"{len(files)} files, {len(base_docs)} English; {len(docs)} documents, "
                  f"{words:,} words per phase")

    results: dict = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                 "platform": platform.platform()},
                     "words": words, "documents": len(docs), "phases": []}
    phases = results["phases"]

    sm = base_pipeline(args.base)
    if "parser" not in sm.pipe_names:
        console.print(f"[yellow]{args.base} is not installed: the ratio is meaningless[/]")
    console.print(f"[bold]1/5[/] {args.base} nlp.pipe alone ...")
    phases.append(timed(f"{args.base} nlp.pipe alone", lambda: spacy_alone(sm, docs, args.batch_size), words))
    del sm

    full = load(base=args.base)
    console.print("[bold]2/5[/] full pipeline through commitments.batch.process ...")
    phases.append(timed("full pipeline (batch.process)",
                        lambda: through_batch(full, docs, args.batch_size), words))
    ratio = phases[1]["words_per_s"] / phases[0]["words_per_s"]
    results["ratio_full_to_spacy"] = round(ratio, 3)

    blank = load(base=None)
    console.print("[bold]3/5[/] rules only on a blank pipeline ...")
    phases.append(timed("rules only (blank base)",
                        lambda: through_batch(blank, docs, args.batch_size), words))
    results["rules_only_words_per_s"] = phases[2]["words_per_s"]
    if args.processes > 1:
        console.print(f"[bold]3b/5[/] rules only on a blank pipeline, {args.processes} processes ...")
        phases.append(timed(f"rules only (blank base), {args.processes} processes",
                            lambda: through_batch(blank, docs, args.batch_size,
                                                  n_process=args.processes), words))
        results["rules_only_parallel_words_per_s"] = phases[-1]["words_per_s"]
        results["rules_only_processes"] = args.processes

    if not args.skip_scaling:
        sdocs, swords = repeat_to(base_docs, args.scale_words)
        console.print("[bold]4/5[/] scaling, 1 and 2 processes ...")
        one = timed("full pipeline, 1 process", lambda: through_batch(full, sdocs, args.batch_size), swords)
        two = timed("full pipeline, 2 processes",
                    lambda: through_batch(full, sdocs, args.batch_size, n_process=2), swords)
        phases += [one, two]
        results["scaling_2_over_1"] = round(two["words_per_s"] / one["words_per_s"], 3)

    pdocs, pwords = repeat_to(base_docs, args.profile_words)
    console.print("[bold]5/5[/] time per component ...")
    results["component_seconds"] = component_times(full, pdocs)
    results["component_words"] = pwords
    if args.profile:
        results["profile_top"] = profile(full, pdocs, 25)

    table = Table(title=f"commitments extract: {words:,} words, {len(docs)} documents")
    for col in ("phase", "words/s", "seconds", "peak MB"):
        table.add_column(col, justify="left" if col == "phase" else "right")
    for p in phases:
        table.add_row(p["phase"], f"{p['words_per_s']:,}", f"{p['seconds']:.1f}", f"{p['peak_mb']:,}")
    out = Console()
    out.print(table)
    goal = lambda ok: "[green]met[/]" if ok else "[red]not met[/]"  # noqa: E731
    out.print(f"full / spaCy alone: {ratio:.2f} (goal >= 0.7: {goal(ratio >= 0.7)})")
    rules = results["rules_only_words_per_s"]
    out.print(f"rules only, 1 process: {rules:,} words/s (goal >= 100,000: {goal(rules >= 100_000)})")
    if "rules_only_parallel_words_per_s" in results:
        par, n = results["rules_only_parallel_words_per_s"], results["rules_only_processes"]
        out.print(f"rules only, {n} processes: {par:,} words/s "
                  f"(goal >= 100,000: {goal(par >= 100_000)}; {par / rules:.2f}x one process)")
    if "scaling_2_over_1" in results:
        out.print(f"2 processes / 1 process: {results['scaling_2_over_1']:.2f}x "
                  f"on {os.cpu_count()} CPUs")
    comp = Table(title=f"seconds per component ({pwords:,} words)")
    comp.add_column("component")
    comp.add_column("seconds", justify="right")
    comp.add_column("share", justify="right")
    total = sum(results["component_seconds"].values()) or 1.0
    for name, sec in results["component_seconds"].items():
        comp.add_row(name, f"{sec:.2f}", f"{sec / total:.0%}")
    out.print(comp)
    if args.profile:
        prof = Table(title="hot spots in commitments code (cProfile, own time)")
        for col in ("where", "calls", "tottime", "cumtime"):
            prof.add_column(col, justify="left" if col == "where" else "right")
        for r in results["profile_top"]:
            prof.add_row(r["where"], f"{r['calls']:,}", f"{r['tottime']:.2f}", f"{r['cumtime']:.2f}")
        out.print(prof)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        console.print(f"figures written to {args.json}")


if __name__ == "__main__":
    main()

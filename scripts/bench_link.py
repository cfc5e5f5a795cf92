#!/usr/bin/env python
"""Scaling benchmark of the linker: index build time, peak memory and
per-commitment query time on synthetic corpora of 1k, 10k and 100k
documents.

The synthetic documents recombine real sentences of ``shared/corpus/raw``
(8 to 20 random sentences each, with random dates 2006-2025); they are built
in memory and never written into the repository. Queries are gold
commitments (``shared/corpus/gold``), dated so that about half of the corpus
may follow them. Each size runs in its own process, so peak RSS is that
size's own.

    python scripts/bench_link.py                              # 1k, 10k, 100k; embeddings up to 10k
    python scripts/bench_link.py --sizes 1000 --device cuda   # on a GPU machine
    python scripts/bench_link.py --max-size 10000 --embed-max 1000 --json bench.json
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def real_sentences(shared: Path) -> list[str]:
    from commitments.link.text import split_sentences

    out = []
    for path in sorted((shared / "corpus" / "raw").glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        text = "\n".join(line for line in text.splitlines() if not line.startswith("[TRUNCATED"))
        out.extend(text[s:e] for s, e in split_sentences(text) if 30 <= e - s <= 400)
    if not out:
        raise SystemExit(f"no sentences under {shared}/corpus/raw")
    return out


def synthetic_corpus(n: int, sentences: list[str], seed: int = 0):
    from commitments.model import Document

    rng = random.Random(seed)
    for i in range(n):
        k = rng.randint(8, 20)
        year, month, day = rng.randint(2006, 2025), rng.randint(1, 12), rng.randint(1, 28)
        yield Document(id=f"synth-{i:06d}", date=f"{year}-{month:02d}-{day:02d}",
                       text=" ".join(rng.choice(sentences) for _ in range(k)))


def gold_queries(shared: Path, n: int):
    from commitments.link.retrieve import make_query
    from commitments.model import read_documents

    out = []
    for path in sorted((shared / "corpus" / "gold").glob("batch_*.jsonl")):
        for doc in read_documents(path):
            doc.date = "2016-01-01"  # about half of the synthetic corpus follows
            for com in doc.commitments or []:
                out.append(make_query(doc, com))
    random.Random(1).shuffle(out)
    return out[:n]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def one(args) -> dict:
    """Benchmark one size in this process."""
    import numpy as np

    from commitments.link.embed import load_encoder
    from commitments.link.index import build_index
    from commitments.link.linker import embed_queries, link_query
    from commitments.link.rank import load_settings
    from commitments.link.retrieve import retrieve
    from commitments.link.status import load_cues

    shared = Path(args.shared)
    sentences = real_sentences(shared)
    embed = not args.no_embeddings and args.one <= args.embed_max
    encoder = load_encoder(args.model, device=args.device) if embed else None
    docs = list(synthetic_corpus(args.one, sentences))
    rss_before = peak_rss_mb()
    t0 = time.perf_counter()
    index = build_index(docs, encoder)
    build_s = time.perf_counter() - t0
    del docs
    qs = gold_queries(shared, args.queries)
    if encoder is not None:
        embed_queries(qs, encoder)
    settings, cues = load_settings(), load_cues()
    link_query(index, qs[0], settings, cues)  # warm up
    t_ret, t_link = [], []
    for q in qs:
        t = time.perf_counter()
        retrieve(index, q, n_docs=settings.n_candidates)
        t_ret.append(time.perf_counter() - t)
        t = time.perf_counter()
        link_query(index, q, settings, cues)
        t_link.append(time.perf_counter() - t)
    return {"docs": index.n_docs, "sentences": index.n_sentences, "embeddings": embed,
            "device": args.device or "cpu", "build_s": round(build_s, 2),
            "peak_rss_mb": round(peak_rss_mb(), 1), "rss_before_index_mb": round(rss_before, 1),
            "retrieve_ms": round(1000 * float(np.median(t_ret)), 2),
            "link_ms": round(1000 * float(np.median(t_link)), 2), "queries": len(qs)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--max-size", type=int, default=None, help="skip sizes above this")
    ap.add_argument("--embed-max", type=int, default=10000,
                    help="embed sentences only up to this corpus size (CPU embedding of 100k docs takes hours)")
    ap.add_argument("--no-embeddings", action="store_true")
    ap.add_argument("--model", default=None)
    ap.add_argument("--device", default=None, help="cpu (default), cuda, ...")
    ap.add_argument("--queries", type=int, default=30)
    ap.add_argument("--json", default=None)
    ap.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one is not None:
        print(json.dumps(one(args)))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.max_size:
        sizes = [s for s in sizes if s <= args.max_size]
    rows = []
    for size in sizes:
        cmd = [sys.executable, __file__, "--one", str(size), "--shared", args.shared,
               "--embed-max", str(args.embed_max), "--queries", str(args.queries)]
        cmd += ["--no-embeddings"] if args.no_embeddings else []
        cmd += ["--model", args.model] if args.model else []
        cmd += ["--device", args.device] if args.device else []
        env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
        res = subprocess.run(cmd, capture_output=True, text=True, env=env)
        if res.returncode != 0:
            print(res.stderr[-2000:], file=sys.stderr)
            raise SystemExit(f"size {size} failed")
        row = json.loads(res.stdout.strip().splitlines()[-1])
        rows.append(row)
        print(json.dumps(row), flush=True)
    keys = ["docs", "sentences", "embeddings", "device", "build_s", "peak_rss_mb", "retrieve_ms", "link_ms"]
    print("| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    for row in rows:
        print("| " + " | ".join(str(row[k]) for k in keys) + " |")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

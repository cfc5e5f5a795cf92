#!/usr/bin/env python
"""Calibrate the linker on gold links and report figures on a held-out part.

The shipped weights are now fitted by ``scripts/fit_link.py`` (learned
rankers, cross-validated); this script's ``--report-only`` still gives the
figures of whatever is shipped through ``link_query`` itself, and its own
fit (hand start + random search on a dev half) is kept for comparison:
``--write`` would replace the learned defaults.

Gold commitments (the documents of ``gold/batch_*.jsonl``) are linked to the
same gold documents; the commitment documents are split by a hash of their
id into a dev part (weights and the kept threshold are fitted there) and a
held-out part (figures reported, never fitted on).

    python scripts/calibrate_link.py                 # fit, report dev and held-out
    python scripts/calibrate_link.py --write         # ... and write resources/link/defaults.json
    python scripts/calibrate_link.py --report-only   # figures of the shipped defaults

The corpus is read from ``../shared/corpus/gold`` (``--shared`` to change).
"""
from __future__ import annotations

import argparse
import copy
import hashlib
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from commitments.evaluate import score_links  # noqa: E402
from commitments.link.embed import load_encoder  # noqa: E402
from commitments.link.evidence import EVIDENCE_FEATURES, sentence_features  # noqa: E402
from commitments.link.index import build_index, load_index  # noqa: E402
from commitments.link.linker import embed_queries, link_query, queries, rank_query  # noqa: E402
from commitments.link.rank import (FEATURES, RankModel, load_settings,  # noqa: E402
                                   settings_to_dict)
from commitments.link.retrieve import retrieve  # noqa: E402
from commitments.link.status import load_cues  # noqa: E402
from commitments.model import read_documents, read_links  # noqa: E402

DEFAULTS = ROOT / "src" / "commitments" / "resources" / "link" / "defaults.json"
BASE_EVIDENCE = 13  # the evidence features of the shipped model (see --extended-evidence)
LEXICAL_FEATURES = tuple(f for f in FEATURES if not f.startswith("cos"))


def is_dev(doc_id: str) -> bool:
    """Dev or held-out, by a stable hash of the commitment document id."""
    return int(hashlib.md5(doc_id.encode()).hexdigest(), 16) % 2 == 0


def overlaps(a_start, a_end, b_start, b_end) -> bool:
    return a_start < b_end and b_start < a_end


def fit_logistic(x: np.ndarray, y: np.ndarray, names, all_names, c: float = 1.0) -> RankModel:
    from sklearn.linear_model import LogisticRegression

    cols = [all_names.index(n) for n in names]
    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
    clf.fit(x[:, cols], y)
    weights = {n: float(w) for n, w in zip(names, clf.coef_[0])}
    return RankModel(weights=weights, bias=float(clf.intercept_[0]))


def evidence_rows(index, qs, gold_by_key, settings):
    xs, ys = [], []
    for q in qs:
        golds = gold_by_key.get(q.key, [])
        if not golds:
            continue
        cands = retrieve(index, q, n_docs=settings.n_candidates)
        for g in golds:
            row = index.row_of.get(g.doc)
            if row is None or row < cands.first:
                continue
            x = sentence_features(index, row, cands, q)
            rng = index.sentences_of(row)
            y = [overlaps(index.sent_start[i], index.sent_end[i], g.start, g.end) for i in rng]
            xs.append(x)
            ys.extend(y)
    return np.vstack(xs), np.array(ys, dtype=int)


def doc_rows(index, qs, gold_by_key, settings, lexical: bool):
    xs, ys, hits, groups = [], [], [], []
    for gi, q in enumerate(qs):
        ranked = rank_query(index, q, settings)
        golds = gold_by_key.get(q.key, [])
        gdocs = {g.doc: g for g in golds}
        for j, row in enumerate(ranked.candidates.rows):
            doc_id = index.docs[int(row)]["id"]
            g = gdocs.get(doc_id)
            ev = ranked.evidence[j]
            xs.append(ranked.features[j])
            ys.append(int(g is not None))
            hits.append(int(g is not None and overlaps(ev.start, ev.end, g.start, g.end)))
            groups.append(gi)
    return np.array(xs), np.array(ys), np.array(hits), np.array(groups)


def ranking_figures(data, w: np.ndarray, k: int = 5) -> tuple[float, float]:
    """Filtered recall@1 and @k of weights ``w`` on collected candidates
    (FORMAT.md: gold documents ranked above a hit do not count)."""
    r1 = rk = n = 0
    for x, is_gold, hit, n_gold in data:
        n += n_gold
        if not len(x):
            continue
        order = np.argsort(-(x @ w), kind="stable")[:k]
        non_gold = np.cumsum(~is_gold[order])
        for pos, j in enumerate(order):
            if hit[j]:
                rank = 1 + (non_gold[pos - 1] if pos else 0)
                r1 += rank <= 1
                rk += rank <= k
    return r1 / max(n, 1), rk / max(n, 1)


def search_weights(data, init: np.ndarray, free: np.ndarray, rounds: int = 400, seed: int = 0) -> np.ndarray:
    """Random local search for weights maximising recall@1 + recall@5 on
    ``data`` (the ranking metric itself, which a pointwise fit does not
    optimise). ``free`` masks the features that may change."""
    rng = np.random.default_rng(seed)
    best, best_score = init.copy(), sum(ranking_figures(data, init))
    for _ in range(rounds):
        step = rng.normal(0, 0.5, len(init)) * (rng.random(len(init)) < 0.3) * free
        cand = best + step
        score = sum(ranking_figures(data, cand))
        if score > best_score:
            best, best_score = cand, score
    return best


def collect(index, qs, gold_by_key, settings):
    """Per query: candidate features, is-gold-document and hit flags, gold count."""
    out = []
    for q in qs:
        ranked = rank_query(index, q, settings)
        golds = {g.doc: g for g in gold_by_key.get(q.key, [])}
        ids = [index.docs[int(r)]["id"] for r in ranked.candidates.rows]
        is_gold = np.array([d in golds for d in ids], dtype=bool)
        hit = np.array([d in golds and overlaps(e.start, e.end, golds[d].start, golds[d].end)
                        for d, e in zip(ids, ranked.evidence)], dtype=bool)
        out.append((ranked.features, is_gold, hit, len(golds)))
    return out


def run_links(index, qs, settings, cues, top_k=None):
    links = []
    for q in qs:
        links.extend(link_query(index, q, settings, cues, top_k))
    return links


def pick_threshold(links, gold, target: float) -> float:
    """The threshold with the best F1 of kept links among those whose
    precision is at least ``target`` on these links."""
    gold_by = defaultdict(list)
    for g in gold:
        gold_by[g.commitment].append(g)
    scored = sorted(((lk.score, any(lk.doc == g.doc and overlaps(lk.start, lk.end, g.start, g.end)
                                    for g in gold_by[lk.commitment])) for lk in links), reverse=True)
    best_f, best_t, tp = -1.0, None, 0
    fallback_p, fallback_t = -1.0, 1.0
    for i, (score, hit) in enumerate(scored, 1):
        tp += hit
        p, r = tp / i, tp / max(len(gold), 1)
        f = 2 * p * r / (p + r) if p + r else 0
        if p >= target and f > best_f:
            best_f, best_t = f, score
        if i >= 10 and p > fallback_p:  # target out of reach: the most precise cut keeping 10+
            fallback_p, fallback_t = p, score
    return float(best_t if best_t is not None else fallback_t)


def figures(gold, links):
    r = score_links(gold, links)
    keys = ("links_r1", "links_r5", "links_mrr", "links_status_acc", "links_kept_p", "links_kept_r")
    return {k.replace("links_", ""): (None if r[k] is None else round(r[k], 3)) for k in keys}


def load_gold_corpus(shared, index_cache=None, model=None):
    """The shared gold corpus for linking: its documents, its gold links (also
    grouped by commitment), the sentence encoder (``model``: a name or path
    for ``load_encoder``, None the linker's default) and the link index of the
    documents, loaded from ``index_cache`` when that holds one, else built
    (and saved there when given)."""
    gold_dir = Path(shared) / "corpus" / "gold"
    docs = [d for f in sorted(gold_dir.glob("batch_*.jsonl")) for d in read_documents(f)]
    gold = read_links(gold_dir / "links.jsonl")
    gold_by_key = defaultdict(list)
    for g in gold:
        gold_by_key[g.commitment].append(g)
    encoder = load_encoder(model)
    if index_cache and (Path(index_cache) / "cfg.json").is_file():
        index = load_index(index_cache)
        if index.model and index.model != encoder.name:
            raise SystemExit(f"{index_cache} was embedded with {index.model}, not {encoder.name}: "
                             "give another --index-cache")
    else:
        index = build_index(docs, encoder)
        if index_cache:
            index.save(index_cache)
    return docs, gold, gold_by_key, encoder, index


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--write", action="store_true", help="write the fitted defaults into the package")
    ap.add_argument("--report-only", action="store_true", help="no fitting: figures of the shipped defaults")
    ap.add_argument("--target-precision", type=float, default=0.75)
    ap.add_argument("--json", help="also write the figures to this JSON file")
    ap.add_argument("--extended-evidence", action="store_true",
                    help="fit the evidence model on all EVIDENCE_FEATURES (back-reference and report cues, "
                    "token recall, within-document ranks, neighbours); default: the first 13, as shipped")
    ap.add_argument("--index-cache", help="index folder: loaded when present, else built and saved there "
                    "(saves re-embedding the gold corpus between runs)")
    args = ap.parse_args()

    t0 = time.time()
    docs, gold, gold_by_key, encoder, index = load_gold_corpus(args.shared, args.index_cache)
    print(f"index: {index.n_docs} docs, {index.n_sentences} sentences, {time.time() - t0:.1f}s", flush=True)
    all_q = [q for _, q in queries(docs)]
    embed_queries(all_q, encoder)
    dev = [q for q in all_q if is_dev(q.source_doc)]
    held = [q for q in all_q if not is_dev(q.source_doc)]
    dev_gold = [g for g in gold if is_dev(g.source_doc)]
    held_gold = [g for g in gold if not is_dev(g.source_doc)]
    print(f"dev: {len(dev)} commitments, {len(dev_gold)} gold links; "
          f"held-out: {len(held)} commitments, {len(held_gold)} gold links", flush=True)
    cues = load_cues()
    settings = load_settings()
    lexical_index = copy.copy(index)
    lexical_index.embeddings = None

    if not args.report_only:
        # 1. evidence model: which sentence of a gold document is the evidence
        xe, ye = evidence_rows(index, dev, gold_by_key, settings)
        names = EVIDENCE_FEATURES if args.extended_evidence else EVIDENCE_FEATURES[:BASE_EVIDENCE]
        settings.evidence = fit_logistic(xe, ye, names, EVIDENCE_FEATURES)
        # 2. document models (with and without embeddings), on dev candidates
        for lexical in (False, True):
            idx = lexical_index if lexical else index
            xd, yd, hd, _ = doc_rows(idx, dev, gold_by_key, settings, lexical)
            names = LEXICAL_FEATURES if lexical else FEATURES
            model = fit_logistic(xd, yd, names, FEATURES)
            # then tune the weights on the ranking figures themselves
            data = collect(idx, dev, gold_by_key, settings)
            init = np.array([model.weights.get(f, 0.0) for f in FEATURES])
            free = np.array([f in names for f in FEATURES], dtype=float)
            hand = np.array([{"bm25_doc": 1.0, "cos_sent": 1.0, "holders": 1.0, "src_doc": 1.0,
                              "bm25_sent": 1.0}.get(f, 0.5) for f in FEATURES]) * free
            starts = [search_weights(data, start, free) for start in (init, hand)]
            w = max(starts, key=lambda v: sum(ranking_figures(data, v)))
            model.weights = {f: float(v) for f, v in zip(FEATURES, w) if f in names}
            if lexical:
                settings.lexical = model
            else:
                settings.embeddings = model
        # 3. kept thresholds on dev
        for lexical in (False, True):
            idx = lexical_index if lexical else index
            links = run_links(idx, dev, settings, cues)
            settings.model(not lexical).threshold = pick_threshold(links, dev_gold, args.target_precision)

    report = {}
    for name, idx in (("embeddings", index), ("lexical", lexical_index)):
        for part, qs, g in (("dev", dev, dev_gold), ("held-out", held, held_gold), ("all", all_q, gold)):
            links = run_links(idx, qs, settings, cues)
            report[f"{name} {part}"] = figures(g, links)
        report[f"{name} all top10"] = figures(gold, run_links(idx, all_q, settings, cues, top_k=10))
    width = max(len(k) for k in report)
    print(f"{'':{width}}  " + "  ".join(f"{k:>10}" for k in next(iter(report.values()))))
    for key, row in report.items():
        print(f"{key:{width}}  " + "  ".join(f"{'-' if v is None else v:>10}" for v in row.values()))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    if args.write:
        DEFAULTS.write_text(json.dumps(settings_to_dict(settings), indent=2) + "\n", encoding="utf-8")
        print(f"wrote {DEFAULTS}")


if __name__ == "__main__":
    main()

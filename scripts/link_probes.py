#!/usr/bin/env python
"""Round 7 probes of the linker (docs/linking.md): two ideas measured with
``fit_link.py``'s folds and models, neither shipped.

``source-vote``
    A document feature shared by the commitments of one source text: for a
    commitment c and a candidate document D, the mean (``--agg mean``) or
    the largest (``--agg max``) P(D) that the document model gives D for
    the *other* commitments of c's source document.  The P(D) of a
    commitment comes from a model that never saw its fold (inner folds for
    the training commitments), so the feature is fitted on honest values.
    End to end, 5-fold CV, r@1 / r@5 / MRR / status against the shipped
    model refitted the same way.

``sentence-backref``
    The evidence sentence given the right document (top-1: the first
    sentence overlaps the gold span): the shipped evidence features
    (``base``), plus the back-reference ones (``backref``), plus the
    back-reference features scaled by how weak the document's topical match
    is, ``f x (1 - best cosine)`` and ``f / (1 + best BM25)`` (``int``), or
    the scaled ones alone (``int_only``).  Folds by source document (as
    ``fit_link.py``) and, with ``--by-later``, by the later document: the
    test of whether a sentence pattern carries over to later texts the
    model has not seen.

``finetune-encoder``
    The sentence encoder itself fine-tuned on the training folds' gold links:
    (commitment, gold evidence sentence) pairs, with another sentence of the
    same later document as a hard negative and the batch's other sentences as
    in-batch negatives (multiple-negatives ranking loss, a batch's copies of
    one sentence masked), from the installed all-MiniLM-L6-v2 on CPU. Per
    fold the corpus and the commitments are re-embedded with the fold's
    encoder, and the evidence and document models refitted on it, then the
    held-out fold is linked: end to end, r@1 / r@5 / MRR / status against the
    shipped encoder. ``--disjoint-later`` leaves out of training every gold
    link into a later document that a held-out commitment links to, the test
    of whether it carries over to later texts it has not seen.

``unseen-later``
    The shipped models refitted per fold without the later documents that
    the held-out commitments link to (their candidates removed from the
    training commitments): what to expect on later texts no model has seen.

    python scripts/link_probes.py source-vote --index-cache /tmp/linkidx_gold
    python scripts/link_probes.py sentence-backref --index-cache /tmp/linkidx_gold [--by-later]
    python scripts/link_probes.py finetune-encoder [--epochs 2 --lr 2e-5 --folds-run 0,1]
    python scripts/link_probes.py unseen-later --index-cache /tmp/linkidx_gold

Reads ``../shared/corpus/gold`` (``--shared``); writes nothing.
"""
from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fit_link as F  # noqa: E402  (scripts/ is sys.path[0])
from commitments.link.learn import fit_grouped_softmax  # noqa: E402


def load(args, keep_backref: bool):
    docs, gold, gold_by_key, encoder, index = F.load_gold_corpus(args.shared, args.index_cache)
    qs = [q for _, q in F.queries(docs)]
    F.embed_queries(qs, encoder)
    items = F.collect(index, qs, gold_by_key, args.n_candidates)
    if not keep_backref:
        F.drop_backref(items)
    return gold, index, items


def doc_probs(items, evidence, model) -> dict[int, dict[int, float]]:
    """Per item (by id): candidate row -> P(document is right)."""
    out = {}
    for it in items:
        if len(it.rows):
            x, _ = F.with_evidence(it, evidence)
            out[id(it)] = dict(zip(it.rows, model.score(x)))
    return out


def set_vote(items, probs, agg: str) -> None:
    """Write the source vote into the (otherwise unused) ``back_doc`` column."""
    by_source = defaultdict(list)
    for it in items:
        by_source[it.query.source_doc].append(it)
    for it in items:
        if not len(it.rows):
            continue
        others = [o for o in by_source[it.query.source_doc] if o is not it and id(o) in probs]
        col = np.zeros(len(it.rows))
        for j, row in enumerate(it.rows):
            values = [probs[id(o)].get(row, 0.0) for o in others]
            if values:
                col[j] = np.mean(values) if agg == "mean" else np.max(values)
        it.x[:, F.BACK_DOC] = col


def source_vote(args) -> None:
    gold, index, items = load(args, keep_backref=False)
    fold = {id(it): F.fold_of(it.query.source_doc, args.folds) for it in items}

    def fit_doc(train, evidence):
        return F.fit_documents(train, evidence, F.FEATURES, args.l2_doc, platt="doc")

    base, voted, weights = [], [], []
    for f in range(args.folds):
        train = [it for it in items if fold[id(it)] != f]
        test = [it for it in items if fold[id(it)] == f]
        evidence = F.fit_evidence(train, args.l2_evidence)
        slots = F.Slots(rule="joint", temperature=F.fit_slot_temperature(train, evidence), anchor=True)
        for it in items:
            if len(it.rows):
                it.x[:, F.BACK_DOC] = 0.0
        first = fit_doc(train, evidence)
        base += F.predict(test, index, evidence, first, None, args.top_k, slots)
        probs = doc_probs(test, evidence, first)
        for g in range(args.folds):
            if g != f:
                inner = [it for it in items if fold[id(it)] not in (f, g)]
                ev_g = F.fit_evidence(inner, args.l2_evidence)
                probs.update(doc_probs([it for it in items if fold[id(it)] == g], ev_g, fit_doc(inner, ev_g)))
        set_vote(items, probs, args.agg)
        second = fit_doc(train, evidence)
        weights.append(second.weights["back_doc"])
        voted += F.predict(test, index, evidence, second, None, args.top_k, slots)
    right_first = {}
    gold_docs = defaultdict(set)
    for g in gold:
        gold_docs[g.commitment].add(g.doc)
    for name, links in (("shipped model", base), (f"+ source vote ({args.agg})", voted)):
        first = {}
        for lk in links:
            first.setdefault(lk.commitment, lk.doc)
        right_first[name] = sum(first.get(c) in docs for c, docs in gold_docs.items())
        fig = F.figures(gold, links)
        print(f"{name:28} r@1 {fig['r1']:.3f}  r@5 {fig['r5']:.3f}  MRR {fig['mrr']:.3f}  status "
              f"{fig['status_acc']:.3f}  right first document {right_first[name]} of {len(gold_docs)}")
    print("fitted weight of the vote per fold (standardised):", ", ".join(f"{w:.2f}" for w in weights))


def sentence_backref(args) -> None:
    _, index, items = load(args, keep_backref=True)
    names = list(F.EVIDENCE_FEATURES)
    col = {f: names.index(f) for f in names}
    groups = []
    for it in items:
        for j in np.flatnonzero(it.gold):
            if it.sent_gold[j].any():
                key = index.docs[it.rows[j]]["id"] if args.by_later else it.query.source_doc
                groups.append((F.fold_of(key, args.folds), it.sent_x[j], it.sent_gold[j]))

    def variant(sx: np.ndarray, name: str) -> np.ndarray:
        cols = [sx]
        if name in ("int", "int_only"):
            best_cos, best_bm25 = sx[:, col["cos"]].max(), sx[:, col["bm25_abs"]].max()
            for f in F.BACKREF_FEATURES:
                cols += [(sx[:, col[f]] * (1 - best_cos))[:, None], (sx[:, col[f]] / (1 + best_bm25))[:, None]]
        x = np.hstack(cols)
        if name in ("base", "int_only"):
            x[:, F.BACKREF_COLUMNS] = 0.0
        return x

    print(f"evidence sentence given the right document, {len(groups)} gold links, folds by "
          f"{'later' if args.by_later else 'source'} document, L2 {args.l2_evidence}:")
    for name in ("base", "backref", "int", "int_only"):
        hits = []
        for f in range(args.folds):
            train = [(variant(sx, name), sg) for g, sx, sg in groups if g != f]
            x = np.vstack([a for a, _ in train])
            y = np.concatenate([b for _, b in train])
            grp = np.concatenate([np.full(len(b), i) for i, (_, b) in enumerate(train)])
            w = fit_grouped_softmax(x, y, grp, args.l2_evidence)
            hits += [bool(sg[int(np.argmax(variant(sx, name) @ w))]) for g, sx, sg in groups if g == f]
        print(f"  {name:9} top-1 {np.mean(hits):.3f}")


def finetune_encoder(args) -> None:
    import random
    import time

    import torch

    from commitments.link.index import build_index

    torch.manual_seed(0)
    torch.set_num_threads(max(1, min(2, torch.get_num_threads())))
    from commitments.link.embed import DEFAULT_MODEL

    # from the base MiniLM, whatever encoder the linker's default may become
    docs, gold, gold_by_key, base, base_index = F.load_gold_corpus(args.shared, args.index_cache, DEFAULT_MODEL)
    qs = [q for _, q in F.queries(docs)]

    def pairs_for(train_keys: set[str], rng: random.Random, held_docs: set[str]) -> list[tuple[str, str, str]]:
        """(commitment, gold sentence, another sentence of the same document),
        leaving out the later documents in ``held_docs``."""
        out = []
        for q in qs:
            if q.key not in train_keys:
                continue
            for g in gold_by_key.get(q.key, []):
                if g.doc in held_docs:
                    continue
                row = next((r for r, m in enumerate(base_index.docs) if m["id"] == g.doc), None)
                if row is None:
                    continue
                sents = list(base_index.sentences_of(row))
                pos = [i for i in sents if F.overlaps(base_index.sent_start[i], base_index.sent_end[i],
                                                      g.start, g.end)]
                neg = [i for i in sents if i not in pos]
                if not pos or not neg:
                    continue
                for anchor in {q.text, q.context}:
                    out.append((anchor, base_index.sent_text[pos[0]], base_index.sent_text[rng.choice(neg)]))
        return out

    def train(pairs):
        from copy import deepcopy

        from commitments.link.embed import Encoder

        model = deepcopy(base.model)
        model.train()
        opt = torch.optim.AdamW(model.parameters(), lr=args.lr)
        rng = random.Random(1)
        for epoch in range(args.epochs):
            rng.shuffle(pairs)
            for lo in range(0, len(pairs), args.batch):
                batch = pairs[lo:lo + args.batch]
                anchors, positives, negatives = zip(*batch)

                def embed(texts):
                    feats = model.tokenize(list(texts))
                    return torch.nn.functional.normalize(model(feats)["sentence_embedding"], dim=-1)

                a, p, n = embed(anchors), embed(positives), embed(negatives)
                scores = a @ torch.cat([p, n]).T * 20.0
                # a copy of the same positive sentence elsewhere in the batch is no negative
                same = torch.tensor([[positives[i] == positives[j] and i != j for j in range(len(batch))]
                                     for i in range(len(batch))])
                mask = torch.cat([same, torch.zeros_like(same)], dim=1)
                scores = scores.masked_fill(mask, -1e4)
                loss = torch.nn.functional.cross_entropy(scores, torch.arange(len(batch)))
                opt.zero_grad()
                loss.backward()
                opt.step()
        model.eval()
        return Encoder(name="fine-tuned", model=model, batch_size=base.batch_size)

    folds = [int(f) for f in args.folds_run.split(",")] if args.folds_run else list(range(args.folds))
    base_links, tuned_links, scored = [], [], set()
    for f in folds:
        t0 = time.time()
        train_keys = {q.key for q in qs if F.fold_of(q.source_doc, args.folds) != f}
        held_docs = {g.doc for g in gold if g.commitment not in train_keys} if args.disjoint_later else set()
        pairs = pairs_for(train_keys, random.Random(f), held_docs)
        encoder = train(pairs)
        t_train = time.time() - t0
        for label, enc, index, out in (("shipped", base, base_index, base_links),
                                       ("fine-tuned", encoder, None, tuned_links)):
            if index is None:
                index = build_index(docs, enc)
            fold_qs = [q.__class__(**{**q.__dict__, "vector": None, "source_vector": None}) for q in qs]
            F.embed_queries(fold_qs, enc)
            items = F.collect(index, fold_qs, gold_by_key, args.n_candidates)
            F.drop_backref(items)
            train_items = [it for it in items if it.query.key in train_keys]
            test_items = [it for it in items if it.query.key not in train_keys]
            evidence = F.fit_evidence(train_items, args.l2_evidence)
            doc = F.fit_documents(train_items, evidence, F.FEATURES, args.l2_doc, platt="doc")
            slots = F.Slots(rule="joint", temperature=F.fit_slot_temperature(train_items, evidence), anchor=True)
            out += F.predict(test_items, index, evidence, doc, None, args.top_k, slots)
        scored |= {q.key for q in qs if F.fold_of(q.source_doc, args.folds) == f}
        def in_fold(key: str) -> bool:
            return F.fold_of(key.split("#")[0], args.folds) == f

        fold_gold = [g for g in gold if in_fold(g.commitment)]
        shipped = F.figures(fold_gold, [lk for lk in base_links if in_fold(lk.commitment)])
        tuned = F.figures(fold_gold, [lk for lk in tuned_links if in_fold(lk.commitment)])
        print(f"fold {f}: {len(pairs)} pairs, trained in {t_train:.0f}s; r@1 / r@5 shipped "
              f"{shipped['r1']} / {shipped['r5']}, fine-tuned {tuned['r1']} / {tuned['r5']}", flush=True)
    run_gold = [g for g in gold if g.commitment in scored]
    for name, links in (("shipped encoder", base_links), ("fine-tuned encoder", tuned_links)):
        fig = F.figures(run_gold, F.keep(links, F.pick_threshold(links, run_gold, 0.70, True), True))
        nested = F.figures(run_gold, F.nested_keep(links, run_gold, args.folds, 0.70, True))
        print(f"{name:20} r@1 {fig['r1']:.3f}  r@5 {fig['r5']:.3f}  MRR {fig['mrr']:.3f}  "
              f"status {fig['status_acc']:.3f}  kept precision {fig['kept_p']} (nested {nested['kept_p']}, "
              f"recall {nested['kept_r']})  ({len(run_gold)} gold links)")


def without_docs(items, index, held_docs: set[str]):
    """Training items with the candidates in ``held_docs`` removed (their
    features and gold labels), so that no model sees those later texts."""
    from dataclasses import replace

    out = []
    for it in items:
        keep = [j for j, row in enumerate(it.rows) if index.docs[row]["id"] not in held_docs]
        out.append(replace(it, rows=[it.rows[j] for j in keep], x=it.x[keep],
                           sent_x=[it.sent_x[j] for j in keep], gold=it.gold[keep],
                           sent_gold=[it.sent_gold[j] for j in keep]))
    return out


def unseen_later(args) -> None:
    """The shipped models refitted per fold without any candidate document
    that a held-out commitment links to: figures for later texts unseen in
    fitting."""
    gold, index, items = load(args, keep_backref=False)
    links_all, links_unseen, links_control = [], [], []
    for f in range(args.folds):
        train = [it for it in items if F.fold_of(it.query.source_doc, args.folds) != f]
        test = [it for it in items if F.fold_of(it.query.source_doc, args.folds) == f]
        test_keys = {it.query.key for it in test}
        held_docs = {g.doc for g in gold if g.commitment in test_keys}
        # the control: as many links' worth of training data removed, by
        # dropping other later documents at random (less data, texts seen)
        rng = np.random.default_rng(args.seed + f)
        n_links = sum(1 for g in gold if g.doc in held_docs and g.commitment not in test_keys)
        others = [d for d in sorted({g.doc for g in gold if g.commitment not in test_keys}) if d not in held_docs]
        dropped: set[str] = set()
        for d in rng.permutation(others):
            if sum(1 for g in gold if g.doc in dropped and g.commitment not in test_keys) >= n_links:
                break
            dropped.add(str(d))
        runs = ((train, links_all), (without_docs(train, index, held_docs), links_unseen),
                (without_docs(train, index, dropped), links_control))
        for fit_on, out in runs:
            evidence = F.fit_evidence(fit_on, args.l2_evidence, args.balance_later)
            doc = F.fit_documents(fit_on, evidence, F.FEATURES, args.l2_doc, platt="doc", balance=args.balance_later)
            slots = F.Slots(rule="joint", temperature=F.fit_slot_temperature(fit_on, evidence), anchor=True)
            out += F.predict(test, index, evidence, doc, None, args.top_k, slots)
    for name, links in (("fitted on all training links", links_all),
                        ("fitted without the held-out later texts", links_unseen),
                        ("control: as many other links left out", links_control)):
        fig = F.figures(gold, F.keep(links, F.pick_threshold(links, gold, 0.70, True), True))
        nested = F.figures(gold, F.nested_keep(links, gold, args.folds, 0.70, True))
        print(f"{name:42} r@1 {fig['r1']:.3f}  r@5 {fig['r5']:.3f}  MRR {fig['mrr']:.3f}  "
              f"status {fig['status_acc']:.3f}  kept precision {fig['kept_p']} (nested {nested['kept_p']})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("probe", choices=("source-vote", "sentence-backref", "finetune-encoder", "unseen-later"))
    ap.add_argument("--shared", default=str(F.ROOT.parent / "shared"))
    ap.add_argument("--index-cache", help="index folder of the gold corpus (as fit_link.py)")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--n-candidates", type=int, default=40)
    ap.add_argument("--l2-evidence", type=float, default=100.0)
    ap.add_argument("--l2-doc", type=float, default=10.0)
    ap.add_argument("--top-k", type=int, default=5)
    ap.add_argument("--agg", choices=("mean", "max"), default="max", help="source-vote: how the other "
                    "commitments' P(document) are pooled")
    ap.add_argument("--by-later", action="store_true", help="sentence-backref: folds by the later document")
    ap.add_argument("--epochs", type=int, default=2, help="finetune-encoder: passes over the pairs")
    ap.add_argument("--lr", type=float, default=2e-5, help="finetune-encoder: AdamW learning rate")
    ap.add_argument("--batch", type=int, default=16, help="finetune-encoder: pairs per batch")
    ap.add_argument("--folds-run", help="finetune-encoder: only these folds, e.g. 0,1")
    ap.add_argument("--balance-later", action="store_true", help="unseen-later: fit with fit_link's "
                    "--balance-later (each later text weighs the same)")
    ap.add_argument("--seed", type=int, default=0, help="unseen-later: seed of the control's random documents")
    ap.add_argument("--disjoint-later", action="store_true", help="finetune-encoder: train on no gold link "
                    "whose later document a held-out commitment links to (later texts unseen in training)")
    args = ap.parse_args()
    {"source-vote": source_vote, "sentence-backref": sentence_backref,
     "finetune-encoder": finetune_encoder, "unseen-later": unseen_later}[args.probe](args)


if __name__ == "__main__":
    main()

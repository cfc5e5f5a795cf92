#!/usr/bin/env python
"""Fit the linker's learned weights on the gold links, with grouped
cross-validation, and (``--write``) ship them.

What is fitted (``commitments.link.learn``):

1. the evidence model: which sentence of a later document is the evidence
   (conditional logit over the sentences of each gold document, on the 25
   ``EVIDENCE_FEATURES``; the 5 back-reference ones, ``BACKREF_FEATURES``,
   only with ``--backref``);
2. the document model: which later documents report on a commitment
   (conditional logit over each commitment's candidate documents, on the 19
   ``FEATURES``, one of which is the best evidence logit; ``back_doc`` only
   with ``--backref``), then a Platt
   scale so that scores are comparable across commitments; once with
   embeddings and once lexical only (no cosine features, its own candidates);
3. (``--status-model`` only) the status model: multinomial logistic
   regression over the status cues and the MiniLM embedding of the evidence
   sentences of the gold links; not shipped by default, because on later
   documents it has not seen it does no better than the cues (the script
   prints both);
4. the kept threshold: the lowest score whose kept links reach
   ``--target-precision`` on the out-of-fold predictions (with joint slots:
   on each link's P(doc) x P(sentence | doc)); with ``--kept first`` (shipped)
   only each commitment's first link may be kept;
5. the slot rule (``--slots``): one document per slot (``best``) or the
   best (document, sentence) pairs (``joint``, ``commitments.link.slots``)
   with the sentence softmax temperature fitted on the gold sentences
   (``--temperature fit``), ``--alpha``, ``--cap``, ``--anchor``;
   ``--slot-grid`` compares 241 rules and a nested per-fold choice.

Figures are out-of-fold: the commitment documents are split into
``--folds`` groups by a hash of their id (every commitment of a document in
the same fold), each fold is linked by models fitted on the others. They
are reported for all gold links and for the "held-out" half of
``calibrate_link.py`` (same hash split), whose kept figures use a threshold
chosen on the other half only.

    python scripts/fit_link.py --index-cache /tmp/linkidx_gold            # CV figures
    python scripts/fit_link.py --index-cache /tmp/linkidx_gold --write    # ... and ship
    python scripts/fit_link.py --index-cache /tmp/linkidx_gold --slots best   # round 3's slot rule

Reads ``../shared/corpus/gold`` (``--shared``); writes
``src/commitments/resources/link/defaults.json`` (and ``status_model.json``
with ``--status-model``).
"""
from __future__ import annotations

import argparse
import copy
import datetime
import hashlib
import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from commitments.evaluate import score_links  # noqa: E402
from commitments.link.backref import BACKREF_FEATURES  # noqa: E402
from commitments.link.evidence import EVIDENCE_FEATURES, sentence_features  # noqa: E402
from commitments.link.learn import (fit_grouped_softmax, fit_platt, fit_softmax_regression,  # noqa: E402
                                    fit_temperature)
from commitments.link.linker import embed_queries, queries  # noqa: E402
from commitments.link.rank import (EMBEDDING_FEATURES, FEATURES, LinkSettings, RankModel,  # noqa: E402
                                   feature_matrix, settings_to_dict)
from commitments.link.retrieve import retrieve  # noqa: E402
from commitments.link.slots import joint_slots  # noqa: E402
from commitments.link.status import StatusModel, classify_status  # noqa: E402
from calibrate_link import load_gold_corpus  # noqa: E402  (scripts/ is sys.path[0])
from commitments.model import LINK_STATUSES, Link  # noqa: E402

RESOURCES = ROOT / "src" / "commitments" / "resources" / "link"
EV_BEST = FEATURES.index("ev_best")
BACKREF_COLUMNS = [EVIDENCE_FEATURES.index(f) for f in BACKREF_FEATURES]
BACK_DOC = FEATURES.index("back_doc")


def fold_of(doc_id: str, folds: int) -> int:
    return int(hashlib.md5(doc_id.encode()).hexdigest(), 16) % folds


def is_dev(doc_id: str) -> bool:
    """The dev / held-out halves of ``calibrate_link.py``."""
    return fold_of(doc_id, 2) == 0


def overlaps(a_start, a_end, b_start, b_end) -> bool:
    return a_start < b_end and b_start < a_end


@dataclass
class Item:
    """One commitment: its candidates with features and gold labels."""

    query: object
    rows: list[int]
    x: np.ndarray                # candidates x FEATURES (ev_best left at 0)
    sent_x: list[np.ndarray]     # per candidate: its sentences x EVIDENCE_FEATURES
    gold: np.ndarray             # per candidate: a gold document of the commitment
    sent_gold: list[np.ndarray]  # per candidate: sentences overlapping the gold span
    golds: dict


def collect(index, qs, gold_by_key, n_candidates: int) -> list[Item]:
    items = []
    for q in qs:
        cands = retrieve(index, q, n_docs=n_candidates)
        rows = [int(r) for r in cands.rows]
        golds = {g.doc: g for g in gold_by_key.get(q.key, [])}
        sent_x, sent_gold, gold = [], [], []
        for row in rows:
            sent_x.append(sentence_features(index, row, cands, q))
            g = golds.get(index.docs[row]["id"])
            gold.append(g is not None)
            sent_gold.append(np.array([g is not None and overlaps(index.sent_start[i], index.sent_end[i],
                                                                  g.start, g.end)
                                       for i in index.sentences_of(row)], dtype=bool))
        x = feature_matrix(index, q, cands, np.zeros(len(rows)))
        items.append(Item(q, rows, x, sent_x, np.array(gold, dtype=bool), sent_gold, golds))
    return items


def backref_shares(items: list[Item]) -> str:
    """How often the gold evidence sentence is a back-reference sentence
    (``BACKREF_FEATURES`` > 0) against the sentences of the same documents,
    and how often the document's default back-reference sentence
    (``back_top``) is the gold one."""
    col = {f: EVIDENCE_FEATURES.index(f) for f in BACKREF_FEATURES}
    gold_has, doc_share, n, with_top, top_gold = defaultdict(int), defaultdict(float), 0, 0, 0
    for it in items:
        for j in np.flatnonzero(it.gold):
            sx, sg = it.sent_x[j], it.sent_gold[j]
            if not sg.any():
                continue
            n += 1
            for f, c in col.items():
                gold_has[f] += bool(sx[sg, c].max() > 0)
                doc_share[f] += float((sx[:, c] > 0).mean())
            if sx[:, col["back_top"]].any():
                with_top += 1
                top_gold += bool(sg[int(np.argmax(sx[:, col["back_top"]]))])
    lines = [f"back-references on the {n} gold links (gold evidence sentence / mean share of its document's "
             "sentences):"]
    lines += [f"  {f}: {gold_has[f] / n:.3f} / {doc_share[f] / n:.3f}" for f in col]
    lines.append(f"  documents with a back_top sentence: {with_top} of {n}; it is the gold sentence for "
                 f"{top_gold} ({top_gold / max(with_top, 1):.3f})")
    return "\n".join(lines)


def drop_backref(items: list[Item]) -> None:
    """Zero the back-reference features (``BACKREF_FEATURES``, ``back_doc``)
    so that the models fitted on ``items`` give them weight 0."""
    for it in items:
        for sx in it.sent_x:
            sx[:, BACKREF_COLUMNS] = 0.0
        if len(it.x):
            it.x[:, BACK_DOC] = 0.0


def later_doc_weights(items: list[Item]) -> dict[int, float]:
    """``--balance-later``: per candidate row, the weight of a gold link into
    it, 1 / (gold links into that later document among ``items``), scaled to
    a mean of 1 over the links: each later text teaches as much as another,
    however many commitments it reports on (31 links cite one sentence of one
    G7 statement)."""
    count: dict[int, int] = defaultdict(int)
    for it in items:
        for j in np.flatnonzero(it.gold):
            count[it.rows[j]] += 1
    n = sum(count.values())
    return {row: n / (len(count) * c) for row, c in count.items()} if n else {}


def fit_evidence(items: list[Item], l2: float, balance: bool = False) -> RankModel:
    weights = later_doc_weights(items) if balance else {}
    xs, ys, groups, ws = [], [], [], []
    for i, it in enumerate(items):
        for j in np.flatnonzero(it.gold):
            if it.sent_gold[j].any():
                xs.append(it.sent_x[j])
                ys.append(it.sent_gold[j])
                groups.append(np.full(len(it.sent_gold[j]), len(groups)))
                ws.append(np.full(len(it.sent_gold[j]), weights.get(it.rows[j], 1.0)))
    w = fit_grouped_softmax(np.vstack(xs), np.concatenate(ys), np.concatenate(groups), l2,
                            np.concatenate(ws))
    return RankModel(weights=dict(zip(EVIDENCE_FEATURES, map(float, w))))


def with_evidence(it: Item, evidence: RankModel) -> tuple[np.ndarray, list[np.ndarray]]:
    """The item's document features with ev_best filled, and its sentence logits."""
    logits = [evidence.logit(sx, EVIDENCE_FEATURES) for sx in it.sent_x]
    x = it.x.copy()
    if len(x):
        x[:, EV_BEST] = [float(lg.max()) for lg in logits]
    return x, logits


def fit_documents(items: list[Item], evidence: RankModel, names: tuple[str, ...], l2: float,
                  platt: str = "hit", balance: bool = False) -> RankModel:
    """The document model; its Platt scale turns the score into P(the best
    sentence of the document is a hit) (``platt`` "hit", the one-slot-per-
    document rule) or P(the document is right) (``platt`` "doc", the joint
    rule, which multiplies it by the sentence's probability)."""
    cols = [FEATURES.index(n) for n in names]
    weights = later_doc_weights(items) if balance else {}
    xs, ys, groups, hits, ws = [], [], [], [], []
    for i, it in enumerate(items):
        if not len(it.rows):
            continue
        x, logits = with_evidence(it, evidence)
        xs.append(x[:, cols])
        ys.append(it.gold)
        groups.append(np.full(len(it.rows), i))
        ws.append(np.array([weights.get(r, 1.0) for r in it.rows]))
        hits.append(np.array([it.gold[j] and it.sent_gold[j][int(np.argmax(lg))]
                              for j, lg in enumerate(logits)], dtype=bool))
    x, y, g = np.vstack(xs), np.concatenate(ys), np.concatenate(groups)
    w = fit_grouped_softmax(x, y, g, l2, np.concatenate(ws))
    # Platt scale: a score that means the same across commitments (kept threshold)
    a, b = fit_platt(x @ w, np.concatenate(hits if platt == "hit" else ys))
    return RankModel(weights={n: float(v) * a for n, v in zip(names, w)}, bias=b)


def fit_status(items: list[Item], index, l2: float, model_name: str) -> StatusModel | None:
    if index.embeddings is None:
        return None
    xs, labels = [], []
    probe = StatusModel(classes=tuple(LINK_STATUSES), weights=np.zeros((1, 1)), bias=np.zeros(1),
                        model=model_name)
    for it in items:
        for j in np.flatnonzero(it.gold):
            status = it.golds[index.docs[it.rows[j]]["id"]].status
            first = index.sentences_of(it.rows[j]).start
            for k in np.flatnonzero(it.sent_gold[j]):
                i = first + int(k)
                xs.append(probe.features(index.sent_text[i], index.embeddings[i]))
                labels.append(status)
    classes = [s for s in LINK_STATUSES if s in labels]
    w, b = fit_softmax_regression(np.array(xs), labels, classes, l2)
    return StatusModel(classes=tuple(classes), weights=w, bias=np.asarray(b), model=model_name)


def fit_slot_temperature(items: list[Item], evidence: RankModel) -> float:
    """The sentence-softmax temperature fitted on the right documents of ``items``."""
    logits, gold = [], []
    for it in items:
        for j in np.flatnonzero(it.gold):
            logits.append(evidence.logit(it.sent_x[j], EVIDENCE_FEATURES))
            gold.append(it.sent_gold[j])
    return fit_temperature(logits, gold)


@dataclass
class Slots:
    """How the top-k slots are filled (``linker.link_query``'s settings)."""

    rule: str = "best"          # "best": one document per slot (+ second sentence rule); "joint"
    second_docs: int = 0
    second_gap: float = 0.0
    temperature: float = 1.0    # joint: sentence softmax temperature
    alpha: float = 1.0          # joint: exponent of the sentence probability
    cap: int = 0                # joint: slots per document (0: no bound)
    anchor: bool = False        # joint: the first slot is the best document's best sentence


def predict(items: list[Item], index, evidence: RankModel, doc: RankModel, status: StatusModel | None,
            top_k: int = 5, slots: Slots | None = None) -> list[Link]:
    """Links as ``linker.link_query`` makes them (same slot rules)."""
    slots = slots or Slots()
    second_docs, second_gap = slots.second_docs, slots.second_gap
    links = []
    for it in items:
        if not len(it.rows):
            continue
        x, logits = with_evidence(it, evidence)
        scores = doc.score(x)
        if slots.rule == "joint":
            for pos, sl in enumerate(joint_slots(scores, logits, top_k, slots.temperature, slots.alpha,
                                                 slots.cap or None, slots.anchor)):
                i = index.sentences_of(it.rows[sl.doc]).start + sl.sentence
                text = index.sent_text[i]
                st = status.classify(text, index.embeddings[i]) if status is not None else classify_status(text, commitment=it.query.text)
                links.append(Link(commitment=it.query.key, doc=index.docs[it.rows[sl.doc]]["id"],
                                  start=int(index.sent_start[i]), end=int(index.sent_end[i]), status=st,
                                  score=round(sl.score, 4), extra={"evidence": text, "second": False, "slot": pos,
                                                                   "p_hit": round(sl.doc_prob * sl.sentence_prob, 4)}))
            continue
        picks = []
        for pos, j in enumerate(np.argsort(-scores, kind="stable")):
            order = np.argsort(-logits[j], kind="stable")
            picks.append((j, int(order[0]), False))
            if pos < second_docs and len(order) > 1 and logits[j][order[0]] - logits[j][order[1]] <= second_gap:
                picks.append((j, int(order[1]), True))
        for pos, (j, k, second) in enumerate(picks[:top_k]):
            i = index.sentences_of(it.rows[j]).start + k
            text = index.sent_text[i]
            st = status.classify(text, index.embeddings[i]) if status is not None else classify_status(text, commitment=it.query.text)
            score = round(float(scores[j]), 4) - (0.0001 if second else 0.0)
            links.append(Link(commitment=it.query.key, doc=index.docs[it.rows[j]]["id"],
                              start=int(index.sent_start[i]), end=int(index.sent_end[i]), status=st,
                              score=round(score, 4), extra={"evidence": text, "second": second, "slot": pos}))
    return links


def kept_score(lk: Link) -> float:
    """What the kept threshold applies to: the link's estimated chance of a
    hit (``p_hit``, joint slots: P(doc) x P(sentence | doc)), else its score."""
    return lk.extra.get("p_hit", lk.score)


def may_keep(lk: Link, first_only: bool) -> bool:
    """Whether the link may be kept at all: never a second sentence; with
    ``first_only`` (``--kept first``, ``settings.kept_first``) only a
    commitment's first link, its most likely document with its best sentence."""
    return not lk.extra.get("second") and (not first_only or lk.extra.get("slot", 0) == 0)


def pick_threshold(links: list[Link], gold: list[Link], target: float, first_only: bool,
                   min_kept: int = 10) -> float:
    """The lowest score whose kept links (score >= it, at least ``min_kept`` of
    them: a handful of links says nothing) have precision >= ``target``; when
    no cut reaches it, the most precise cut keeping at least ``min_kept`` links.
    ``first_only``: see ``may_keep``."""
    gold_by = defaultdict(list)
    for g in gold:
        gold_by[g.commitment].append(g)
    scored = sorted(((kept_score(lk), any(lk.doc == g.doc and overlaps(lk.start, lk.end, g.start, g.end)
                                    for g in gold_by[lk.commitment])) for lk in links if may_keep(lk, first_only)),
                    key=lambda t: -t[0])
    best, tp = None, 0
    fallback, fallback_p = 1.01, -1.0
    for n, (score, hit) in enumerate(scored, 1):
        tp += hit
        if n < len(scored) and scored[n][0] == score:
            continue  # a cut keeps every link of equal score
        if n >= min_kept and tp / n >= target:
            best = score
        if n >= min_kept and tp / n > fallback_p:
            fallback, fallback_p = score, tp / n
    return float(best if best is not None else fallback)


def keep(links: list[Link], threshold: float, first_only: bool) -> list[Link]:
    for lk in links:
        lk.extra["kept"] = may_keep(lk, first_only) and kept_score(lk) >= threshold
    return links


def nested_keep(links: list[Link], gold: list[Link], folds: int, target: float,
                first_only: bool) -> list[Link]:
    """``keep`` with each fold's threshold chosen on the other folds' out-of-fold
    links: the kept precision to expect of a threshold chosen on other data
    (the "CV all" row chooses it on the links it scores)."""
    def fold(key: str) -> int:
        return fold_of(key.split("#")[0], folds)
    for f in range(folds):
        threshold = pick_threshold([lk for lk in links if fold(lk.commitment) != f],
                                   [g for g in gold if fold(g.commitment) != f], target, first_only)
        keep([lk for lk in links if fold(lk.commitment) == f], threshold, first_only)
    return links


def figures(gold, links) -> dict:
    r = score_links(gold, links)
    keys = ("links_r1", "links_r5", "links_mrr", "links_status_acc", "links_kept_p", "links_kept_r")
    return {k.replace("links_", ""): (None if r[k] is None else round(r[k], 3)) for k in keys}


def slot_grid(variant: str, gold: list[Link], dev_keys: set, idx, fitted, joint_fitted, args) -> dict:
    """Out-of-fold figures of every slot rule of a grid (the current one-
    document-per-slot rule and joint rules over temperature, alpha and cap),
    then a nested choice: each fold is linked with the rule that does best
    (r5 + MRR) on the out-of-fold links of the OTHER folds, an honest figure
    for choosing the rule on these data."""
    first = args.kept == "first"
    configs = {f"best second_docs={args.second_docs} gap={args.second_gap}":
               Slots("best", args.second_docs, args.second_gap)}
    for t_name in ("fit", "0.35", "0.5", "0.75", "1", "2"):
        for alpha in (0.5, 0.75, 1.0, 1.5, 2.0):
            for cap in (0, 1, 2, 3):
                for anchor in (False, True):
                    configs[f"joint T={t_name} alpha={alpha} cap={cap}{' anchor' if anchor else ''}"] = Slots(
                        "joint", temperature=-1.0 if t_name == "fit" else float(t_name), alpha=alpha, cap=cap,
                        anchor=anchor)
    per_fold = {}  # config -> one list of links per fold
    for name, slots in configs.items():
        runs = []
        for (test, ev, dm), (_, _, dm_doc, t_fit) in zip(fitted, joint_fitted):
            if slots.rule == "joint":
                s = Slots("joint", temperature=t_fit if slots.temperature < 0 else slots.temperature,
                          alpha=slots.alpha, cap=slots.cap, anchor=slots.anchor)
                runs.append(predict(test, idx, ev, dm_doc, None, 5, s))
            else:
                runs.append(predict(test, idx, ev, dm, None, 5, slots))
        per_fold[name] = runs
    held_gold = [g for g in gold if g.commitment not in dev_keys]
    dev_gold = [g for g in gold if g.commitment in dev_keys]
    fold_keys = [{it.query.key for it in test} for test, _, _ in fitted]
    for name, runs in per_fold.items():
        alt = [lk for run in runs for lk in run]
        r_all = figures(gold, keep(alt, pick_threshold(alt, gold, args.target_precision, first), first))
        r_held = figures(held_gold, [lk for lk in alt if lk.commitment not in dev_keys])
        r_dev = figures(dev_gold, [lk for lk in alt if lk.commitment in dev_keys])
        print(f"  {variant} {name}: r1/r5/mrr/status/kept_p all {r_all['r1']}/{r_all['r5']}/{r_all['mrr']}/"
              f"{r_all['status_acc']}/{r_all['kept_p']}  dev {r_dev['r1']}/{r_dev['r5']}/{r_dev['mrr']}  "
              f"held-out {r_held['r1']}/{r_held['r5']}/{r_held['mrr']}", flush=True)
    nested, chosen = [], []
    for f, keys in enumerate(fold_keys):
        other_gold = [g for g in gold if g.commitment not in keys]

        def merit(name: str) -> tuple:
            r = figures(other_gold, [lk for g, run in enumerate(per_fold[name]) if g != f for lk in run])
            return (r["r5"] + r["mrr"], r["r1"])

        best = max(per_fold, key=merit)
        chosen.append(best)
        nested.extend(per_fold[best][f])
    print(f"  {variant} nested choice per fold: {'; '.join(chosen)}")
    r = figures(gold, keep(nested, pick_threshold(nested, gold, args.target_precision, first), first))
    print(f"  {variant} nested choice: r1/r5/mrr/status/kept_p all {r['r1']}/{r['r5']}/{r['mrr']}/"
          f"{r['status_acc']}/{r['kept_p']}", flush=True)
    return {f"{variant} CV all, slot rule chosen per fold (nested)": r}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--index-cache", help="index folder of the gold corpus: loaded when present, else "
                    "built (with embeddings) and saved there")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--l2-evidence", type=float, default=100.0)
    ap.add_argument("--l2-doc", type=float, default=10.0)
    ap.add_argument("--l2-status", type=float, default=3.0)
    ap.add_argument("--target-precision", type=float, default=0.70)
    ap.add_argument("--n-candidates", type=int, default=40)
    ap.add_argument("--second-docs", type=int, default=1, help="settings.second_docs: the runner-up sentence "
                    "of each of the first N documents takes the next slot when within --second-gap (0: off)")
    ap.add_argument("--second-gap", type=float, default=2.0)
    ap.add_argument("--slots", choices=("best", "joint"), default="joint", help="how the 5 slots are filled: "
                    "best (one document per slot, with --second-docs/--second-gap) or joint (the best (document, "
                    "sentence) pairs by P(doc) x P(sentence | doc) ** --alpha; commitments.link.slots)")
    ap.add_argument("--temperature", default="fit", help="joint: sentence softmax temperature, a number or 'fit' "
                    "(fitted on the training folds' gold sentences)")
    ap.add_argument("--alpha", type=float, default=1.0, help="joint: exponent of P(sentence | doc)")
    ap.add_argument("--anchor", action=argparse.BooleanOptionalAction, default=True, help="joint: the first "
                    "slot is the best document's best sentence (scored P(doc)); the joint rule fills the others")
    ap.add_argument("--cap", type=int, default=0, help="joint: at most this many slots per document (0: no cap)")
    ap.add_argument("--slot-grid", action="store_true", help="also report joint variants (temperature, alpha, cap)")
    ap.add_argument("--second-grid", action="store_true", help="also report a grid of --second-docs/--second-gap")
    ap.add_argument("--write", action="store_true", help="fit on all gold links and ship the weights")
    ap.add_argument("--status-model", action="store_true", help="also cross-validate the learned status model "
                    "end to end and, with --write, ship it (status_model.json; used instead of the cues when present)")
    ap.add_argument("--backref", action="store_true", help="also fit the back-reference features "
                    "(commitments.link.backref: evidence BACKREF_FEATURES and the document's back_doc); "
                    "default: left out (weight 0), they did not help out of fold")
    ap.add_argument("--top-k", type=int, default=5, help="links per commitment in the CV runs (the linker's "
                    "-k; the figures' ranks are filtered, so links past the 5th can count for recall@5)")
    ap.add_argument("--kept", choices=("any", "first"), default="any", help="which links may be kept: any "
                    "link above the threshold, or only a commitment's first link (settings.kept_first)")
    ap.add_argument("--balance-later", action="store_true", help="weigh each gold link by 1 / the gold links "
                    "into its later document, so that every later text teaches as much (not shipped: "
                    "docs/linking.md round 8)")
    ap.add_argument("--json", help="also write the figures to this JSON file")
    args = ap.parse_args()

    first = args.kept == "first"
    t0 = time.time()
    docs, gold, gold_by_key, encoder, index = load_gold_corpus(args.shared, args.index_cache)
    lexical_index = copy.copy(index)
    lexical_index.embeddings = None
    qs = [q for _, q in queries(docs)]
    embed_queries(qs, encoder)
    print(f"index: {index.n_docs} docs, {index.n_sentences} sentences; {len(qs)} commitments, "
          f"{len(gold)} gold links; {time.time() - t0:.0f}s", flush=True)

    names = {"embeddings": FEATURES, "lexical": tuple(f for f in FEATURES if f not in EMBEDDING_FEATURES)}
    idx_of = {"embeddings": index, "lexical": lexical_index}
    data = {}
    for variant, idx in idx_of.items():
        data[variant] = collect(idx, qs, gold_by_key, args.n_candidates)
        if variant == "embeddings":
            print(backref_shares(data[variant]), flush=True)
        if not args.backref:
            drop_backref(data[variant])
        print(f"collected {variant}: {time.time() - t0:.0f}s", flush=True)

    def slots_for(temperature: float) -> Slots:
        return Slots(rule=args.slots, second_docs=args.second_docs, second_gap=args.second_gap,
                     temperature=temperature, alpha=args.alpha, cap=args.cap, anchor=args.anchor)

    report, oof, temperatures = {}, {}, []
    for variant, items in data.items():
        idx = idx_of[variant]
        links, learned, fitted, joint_fitted = [], [], [], []
        for f in range(args.folds):
            train = [it for it in items if fold_of(it.query.source_doc, args.folds) != f]
            test = [it for it in items if fold_of(it.query.source_doc, args.folds) == f]
            # one evidence model for both variants, as the linker has (fitted with embeddings)
            ev = fit_evidence([it for it in data["embeddings"] if fold_of(it.query.source_doc, args.folds) != f],
                              args.l2_evidence, args.balance_later)
            dm = fit_documents(train, ev, names[variant], args.l2_doc, balance=args.balance_later)
            dm_doc = fit_documents(train, ev, names[variant], args.l2_doc, platt="doc", balance=args.balance_later)
            t_fit = fit_slot_temperature([it for it in data["embeddings"]
                                          if fold_of(it.query.source_doc, args.folds) != f], ev)
            temperature = t_fit if args.temperature == "fit" else float(args.temperature)
            if variant == "embeddings":
                temperatures.append(t_fit)
            links.extend(predict(test, idx, ev, dm_doc if args.slots == "joint" else dm, None, args.top_k,
                                 slots_for(temperature)))  # cue status
            fitted.append((test, ev, dm))
            joint_fitted.append((test, ev, dm_doc, t_fit))
            if args.status_model and idx.embeddings is not None:
                learned.extend(predict(test, idx, ev, dm, fit_status(train, idx, args.l2_status, index.model or "")))
        oof[variant] = links
        dev_keys = {it.query.key for it in items if is_dev(it.query.source_doc)}
        dev_links = [lk for lk in links if lk.commitment in dev_keys]
        held_links = [lk for lk in links if lk.commitment not in dev_keys]
        dev_gold = [g for g in gold if g.commitment in dev_keys]
        held_gold = [g for g in gold if g.commitment not in dev_keys]
        t_dev = pick_threshold(dev_links, dev_gold, args.target_precision, first)
        t_held = pick_threshold(held_links, held_gold, args.target_precision, first)
        report[f"{variant} CV all"] = figures(gold, keep(links, pick_threshold(links, gold, args.target_precision,
                                                                              first), first))
        report[f"{variant} CV all, nested kept"] = figures(gold, nested_keep(links, gold, args.folds,
                                                                             args.target_precision, first))
        report[f"{variant} CV held-out half"] = figures(held_gold, keep(held_links, t_dev, first))
        report[f"{variant} CV dev half"] = figures(dev_gold, keep(dev_links, t_held, first))
        if learned:
            report[f"{variant} CV all, learned status"] = figures(gold, learned)
        if args.second_grid:
            for docs_n in (0, 1, 2, 3):
                for gap in (0.5, 1.0, 2.0, 99.0):
                    alt = [lk for test, ev, dm in fitted for lk in predict(test, idx, ev, dm, None, 5,
                                                                           Slots("best", docs_n, gap))]
                    r_all = figures(gold, alt)
                    r_held = figures(held_gold, [lk for lk in alt if lk.commitment not in dev_keys])
                    r_dev = figures(dev_gold, [lk for lk in alt if lk.commitment in dev_keys])
                    print(f"  {variant} second sentence of the first {docs_n} docs within {gap}: r1/r5/mrr "
                          f"all {r_all['r1']}/{r_all['r5']}/{r_all['mrr']}  dev {r_dev['r1']}/{r_dev['r5']}  "
                          f"held-out {r_held['r1']}/{r_held['r5']}", flush=True)
        if args.slot_grid:
            report.update(slot_grid(variant, gold, dev_keys, idx, fitted, joint_fitted, args))
    print(f"fitted sentence temperatures per fold: {', '.join(f'{t:.3f}' for t in temperatures)}")
    # status alone, on every sentence of a gold evidence span: learned model vs cues, with
    # folds grouped by the LATER document (unseen corpora bring unseen later documents)
    items = data["embeddings"]
    xs, labels, groups, texts = [], [], [], []
    probe = StatusModel(classes=tuple(LINK_STATUSES), weights=np.zeros((1, 1)), bias=np.zeros(1), model="")
    for it in items:
        for j in np.flatnonzero(it.gold):
            row = it.rows[j]
            for k in np.flatnonzero(it.sent_gold[j]):
                i = index.sentences_of(row).start + int(k)
                xs.append(probe.features(index.sent_text[i], index.embeddings[i]))
                labels.append(it.golds[index.docs[row]["id"]].status)
                groups.append(fold_of(index.docs[row]["id"], args.folds))
                texts.append(index.sent_text[i])
    xs, labels, groups = np.array(xs), np.array(labels), np.array(groups)
    right = 0
    for f in range(args.folds):
        tr = groups != f
        classes = [c for c in LINK_STATUSES if c in set(labels[tr])]
        w, b = fit_softmax_regression(xs[tr], list(labels[tr]), classes, args.l2_status)
        right += int((np.array(classes)[np.argmax(xs[~tr] @ w + b, axis=1)] == labels[~tr]).sum())
    cue_right = sum(classify_status(t) == lab for t, lab in zip(texts, labels))
    print(f"status on the {len(labels)} gold evidence sentences, folds by later document: learned "
          f"{right / len(labels):.3f}, cues {cue_right / len(labels):.3f}")
    width = max(len(k) for k in report)
    print(f"{'':{width}}  " + "  ".join(f"{k:>10}" for k in next(iter(report.values()))))
    for key, row in report.items():
        print(f"{key:{width}}  " + "  ".join(f"{'-' if v is None else v:>10}" for v in row.values()))
    print("(CV all: kept threshold chosen on these out-of-fold links; nested kept: each fold's threshold chosen on "
          "the other folds' links; halves: chosen on the other half)")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        import pickle
        pickle.dump({"oof": oof, "gold": gold}, open(args.json + ".pkl", "wb"))
    if not args.write:
        return

    settings = LinkSettings(second_docs=args.second_docs, second_gap=args.second_gap, slots=args.slots,
                            slot_alpha=args.alpha, slot_cap=args.cap, slot_anchor=args.anchor,
                            kept_first=args.kept == "first")
    models = {}
    settings.evidence = fit_evidence(data["embeddings"], args.l2_evidence, args.balance_later)
    if args.slots == "joint":
        settings.slot_temperature = (fit_slot_temperature(data["embeddings"], settings.evidence)
                                     if args.temperature == "fit" else float(args.temperature))
    for variant, items in data.items():
        dm = fit_documents(items, settings.evidence, names[variant], args.l2_doc,
                           platt="doc" if args.slots == "joint" else "hit", balance=args.balance_later)
        # the threshold of the out-of-fold scores
        dm.threshold = pick_threshold(oof[variant], gold, args.target_precision, first)
        models[variant] = dm
    settings.embeddings, settings.lexical = models["embeddings"], models["lexical"]
    out = settings_to_dict(settings)
    out["fitted"] = {
        "by": "scripts/fit_link.py", "date": datetime.date.today().isoformat(),
        "data": f"shared/corpus/gold: {len(docs)} documents, {len(qs)} commitments, {len(gold)} gold links",
        "method": "conditional logit (evidence: sentences of gold documents; documents: candidates of each "
                  "commitment), L2 on standardised features "
                  f"(evidence {args.l2_evidence}, documents {args.l2_doc}), Platt-scaled document score; "
                  f"kept threshold: precision >= {args.target_precision} on {args.folds}-fold out-of-fold links "
                  f"grouped by commitment document ({'first links only' if args.kept == 'first' else 'any link'}); "
                  + (f"slots: joint (document, sentence) pairs, P(doc) (Platt on right documents) x P(sentence "
                     f"| doc) ** {args.alpha}, sentence softmax temperature {args.temperature} "
                     f"({settings.slot_temperature:.3f}), cap {args.cap or 'none'}"
                     f"{', first slot anchored on the best document' if args.anchor else ''}; " if args.slots == "joint" else
                     f"slots: one document each; second evidence sentence: second_docs {args.second_docs}, "
                     f"second_gap {args.second_gap}; ")
                  + "back-reference features "
                  f"{'fitted' if args.backref else 'left out (weight 0)'}",
        "cross_validated": report,
    }
    (RESOURCES / "defaults.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESOURCES / 'defaults.json'}")
    if not args.status_model:
        return
    status = fit_status(data["embeddings"], index, args.l2_status, index.model or "")
    status_out = status.to_dict()
    status_out["fitted"] = {"by": "scripts/fit_link.py", "date": datetime.date.today().isoformat(),
                            "data": "sentences overlapping the 328 gold evidence spans",
                            "features": "status cue weights (capped 3, /3, in LINK_STATUSES order) + sentence "
                                        "embedding", "l2": args.l2_status}
    (RESOURCES / "status_model.json").write_text(json.dumps(status_out) + "\n", encoding="utf-8")
    print(f"wrote {RESOURCES / 'status_model.json'}")


if __name__ == "__main__":
    main()

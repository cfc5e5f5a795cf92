"""Training examples from gold documents, as a ``datasets.DatasetDict``.

Each gold document is parsed by the same spaCy analysis the extractor runs
before its commitments component (:func:`analysis_pipeline`); its candidate
spans (:mod:`commitments.pipeline.candidates`, plus the rules' proposals
when a hook gives them) become examples:

* a candidate whose span matches a gold commitment (character IoU >= 0.5,
  the scorer's criterion) is labelled with that commitment's
  ``kind/modality``; every other candidate is ``O`` (not a commitment);
* a gold commitment that no candidate matches is added as an example of its
  own, so the model still sees it.

Documents, never examples, are split into train / dev / test
(:func:`split_documents`): a document's candidates all land in one part.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from ..evaluate import span_iou
from ..model import Document
from ..pipeline.candidates import generate_candidates, sentence_of
from ..pipeline.classifier import LABELS, format_input, label_of, segment_kind_at

__all__ = ["Example", "analysis_pipeline", "document_examples", "split_documents",
           "build_dataset", "features", "MATCH_IOU"]

MATCH_IOU = 0.5
SPLITS = ("train", "dev", "test")


@dataclass
class Example:
    doc_id: str
    start: int
    end: int
    text: str     # the model input (format_input)
    label: str    # one of LABELS
    source: str   # who proposed the span: vp, item, rules, gold ...


def analysis_pipeline(base: str | None = "en_core_web_sm"):
    """The pipeline candidates are read from: the extractor's own, rules
    only (parse, segments, actors, points; the rules' candidates come from
    its commitments component)."""
    from ..pipeline import load

    return load(base)


def document_examples(document: Document, doc, rule_candidates: Callable | None = None,
                      add_missed: bool = True, rule_flag: bool = True,
                      segment_kind: bool = False) -> list[Example]:
    """The labelled examples of one gold ``document`` parsed as ``doc``
    (``rule_flag``, ``segment_kind``: what the inputs show, see
    :func:`~commitments.pipeline.classifier.format_input`)."""
    extra = list(rule_candidates(doc)) if rule_candidates else []
    cands = generate_candidates(doc, extra)
    gold = list(document.commitments or [])
    text = document.text
    out: list[Example] = []
    matched: set[int] = set()
    for cand in cands:
        best, best_iou = None, 0.0
        for gi, g in enumerate(gold):
            iou = span_iou((cand.start, cand.end), (g.start, g.end))
            if iou > best_iou:
                best, best_iou = gi, iou
        label = "O"
        if best is not None and best_iou >= MATCH_IOU:
            matched.add(best)
            label = label_of(gold[best].kind, gold[best].modality)
        sent = sentence_of(doc, cand.start, cand.end)
        out.append(Example(document.id, cand.start, cand.end,
                           format_input(text, cand.start, cand.end, (sent.start_char, sent.end_char),
                                        rule_flag and cand.source == "rules",
                                        segment_kind_at(doc, cand.start) if segment_kind else None),
                           label, cand.source))
    if add_missed:
        for gi, g in enumerate(gold):
            if gi in matched:
                continue
            sent = sentence_of(doc, g.start, g.end)
            out.append(Example(document.id, g.start, g.end,
                               format_input(text, g.start, g.end, (sent.start_char, sent.end_char),
                                            segment=segment_kind_at(doc, g.start)
                                            if segment_kind else None),
                               label_of(g.kind, g.modality), "gold"))
    return out


def split_of(doc_id: str, seed: int, dev: float, test: float) -> str:
    """The split of one document: a stable hash of its id and the seed, so a
    document keeps its split when the corpus grows."""
    h = int(hashlib.sha1(f"{seed}:{doc_id}".encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF
    if h < test:
        return "test"
    if h < test + dev:
        return "dev"
    return "train"


def split_documents(documents: Sequence[Document], seed: int = 13, dev: float = 0.15,
                    test: float = 0.25) -> dict[str, list[Document]]:
    """Documents split into train / dev / test by :func:`split_of`. Every
    part with a non-zero share gets at least one document when there are
    enough (taken from the largest part)."""
    parts: dict[str, list[Document]] = {name: [] for name in SPLITS}
    for d in documents:
        parts[split_of(d.id, seed, dev, test)].append(d)
    for name, share in (("dev", dev), ("test", test)):
        if share > 0 and not parts[name] and len(parts["train"]) > 1:
            parts[name].append(parts["train"].pop())
    return parts


def features():
    """The ``datasets.Features`` of an example table."""
    from datasets import ClassLabel, Features, Value

    return Features({
        "doc_id": Value("string"), "start": Value("int32"), "end": Value("int32"),
        "text": Value("string"), "label": ClassLabel(names=list(LABELS)),
        "source": Value("string"),
    })


def build_dataset(parts: dict[str, list[Document]], nlp, rule_candidates: Callable | None = None,
                  progress: Callable[[int], None] | None = None, add_missed: bool = True,
                  rule_flag: bool = True, segment_kind: bool = False):
    """A ``DatasetDict`` with one ``Dataset`` per part. Gold commitments no
    candidate matches are added to the training part only (``add_missed``);
    dev and test keep the candidates as the extractor would see them."""
    from datasets import Dataset, DatasetDict

    from ..pipeline.convert import make_doc

    feats = features()
    out = {}
    for name, docs in parts.items():
        rows: list[dict] = []
        for document, doc in zip(docs, nlp.pipe(make_doc(nlp, d) for d in docs)):
            for ex in document_examples(document, doc, rule_candidates,
                                        add_missed=add_missed and name == "train",
                                        rule_flag=rule_flag, segment_kind=segment_kind):
                rows.append({"doc_id": ex.doc_id, "start": ex.start, "end": ex.end,
                             "text": ex.text, "label": LABELS.index(ex.label),
                             "source": ex.source})
            if progress:
                progress(1)
        out[name] = Dataset.from_list(rows, features=feats) if rows else Dataset.from_dict(
            {k: [] for k in feats}, features=feats)
    return DatasetDict(out)


def iter_gold(paths: Iterable[str]) -> list[Document]:
    """Gold documents from JSON Lines files (validated; duplicates across
    files are an error)."""
    from ..errors import InputError
    from ..model import read_documents

    docs: list[Document] = []
    seen: set[str] = set()
    for path in paths:
        for d in read_documents(path):
            if d.id in seen:
                raise InputError(f"{path}: document {d.id!r} appears twice in the gold files")
            seen.add(d.id)
            if d.commitments is None:
                continue  # commitments layer not annotated: nothing to learn from
            docs.append(d)
    return docs

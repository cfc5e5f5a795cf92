"""The corpus index of the linker: every dated document split into sentences,
a BM25 index over sentences and one over whole documents (``bm25s``), and
optionally a matrix of unit-length sentence embeddings.

Documents are stored sorted by the last day of their date, so the documents
that may follow a commitment dated ``d`` are a suffix of the index
(``first_eligible``): date filtering is one binary search, and retrieval
only touches that suffix.

On disk (``save``/``load``)::

    DIR/cfg.json             format version, model name, sizes
    DIR/docs.jsonl           one line per document: id, date, title, source, genre, holders
    DIR/sentences.jsonl      one line per sentence: doc (row in docs.jsonl), start, end, text
    DIR/bm25_sentences/      bm25s index over sentences
    DIR/bm25_docs/           bm25s index over documents
    DIR/embeddings.npy       float32 matrix, one unit row per sentence (when built with a model)
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from ..errors import InputError
from ..model import Document
from .features import date_bounds, document_holders, mentioned_holders
from .status import cue_matrix, cues_fingerprint
from .text import split_sentences, tokenize

FORMAT_VERSION = 1


@dataclass
class LinkIndex:
    """A searchable corpus; build with ``build_index``, reuse with ``load_index``."""

    docs: list[dict]
    sent_doc: np.ndarray
    sent_start: np.ndarray
    sent_end: np.ndarray
    sent_text: list[str]
    doc_offsets: np.ndarray
    bm25_sentences: object
    bm25_docs: object
    embeddings: np.ndarray | None = None
    model: str | None = None
    skipped: list[str] = field(default_factory=list)
    sent_holders: list[list[str]] | None = None
    sent_cues: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.sent_holders is None:
            self.sent_holders = [sorted(mentioned_holders(t)) for t in self.sent_text]
        if self.sent_cues is None:
            self.sent_cues = cue_matrix(self.sent_text)
        self.sent_pos = (np.arange(len(self.sent_text)) - self.doc_offsets[self.sent_doc]).astype(np.int32)
        self.doc_start_ord = np.array([d["bounds"][0] for d in self.docs], dtype=np.int64)
        self.doc_end_ord = np.array([d["bounds"][1] for d in self.docs], dtype=np.int64)
        self.row_of = {d["id"]: i for i, d in enumerate(self.docs)}

    @property
    def n_docs(self) -> int:
        return len(self.docs)

    @property
    def n_sentences(self) -> int:
        return len(self.sent_text)

    def first_eligible(self, date: str | None) -> int:
        """Row of the first document that may follow a commitment dated
        ``date``: its date ends on or after the day ``date`` starts."""
        bounds = date_bounds(date)
        if bounds is None:
            return 0
        return int(np.searchsorted(self.doc_end_ord, bounds[0], side="left"))

    def doc_centroids(self) -> np.ndarray | None:
        """Unit mean sentence embedding of each document (None without
        embeddings); computed once, on first use."""
        if self.embeddings is None:
            return None
        cached = getattr(self, "_centroids", None)
        if cached is None or len(cached) != self.n_docs:
            sums = np.add.reduceat(np.asarray(self.embeddings, dtype=np.float32), self.doc_offsets[:-1], axis=0)
            cached = sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-9)
            self._centroids = cached
        return cached

    def sentences_of(self, row: int) -> range:
        return range(int(self.doc_offsets[row]), int(self.doc_offsets[row + 1]))

    def doc_text(self, row: int) -> str:
        return " ".join(self.sent_text[i] for i in self.sentences_of(row))

    # ------------------------------------------------------------ disk
    def save(self, path: str | Path) -> Path:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        cfg = {"format": FORMAT_VERSION, "model": self.model, "n_docs": self.n_docs,
               "n_sentences": self.n_sentences,
               "embedding_dim": None if self.embeddings is None else int(self.embeddings.shape[1])}
        with open(path / "docs.jsonl", "w", encoding="utf-8") as fh:
            for doc in self.docs:
                fh.write(json.dumps({k: v for k, v in doc.items() if k != "bounds"}, ensure_ascii=False) + "\n")
        with open(path / "sentences.jsonl", "w", encoding="utf-8") as fh:
            for i, text in enumerate(self.sent_text):
                fh.write(json.dumps({"doc": int(self.sent_doc[i]), "start": int(self.sent_start[i]),
                                     "end": int(self.sent_end[i]), "text": text,
                                     "holders": self.sent_holders[i]}, ensure_ascii=False) + "\n")
        self.bm25_sentences.save(str(path / "bm25_sentences"), show_progress=False)
        self.bm25_docs.save(str(path / "bm25_docs"), show_progress=False)
        np.save(path / "cues.npy", self.sent_cues)
        cfg["cues"] = cues_fingerprint()
        emb = path / "embeddings.npy"
        if self.embeddings is not None:
            np.save(emb, self.embeddings)
        elif emb.exists():
            emb.unlink()
        (path / "cfg.json").write_text(json.dumps(cfg, indent=2) + "\n", encoding="utf-8")
        return path


def _bm25(token_lists: list[list[str]]):
    import bm25s

    retriever = bm25s.BM25()
    # bm25s needs at least one token per row to keep rows aligned
    retriever.index([tokens or ["\u2205"] for tokens in token_lists], show_progress=False)
    return retriever


def build_index(docs: Iterable[Document], encoder=None,
                progress: Callable[[str, int, int], None] | None = None) -> LinkIndex:
    """Index dated documents for linking.

    Documents without a valid date, or without any sentence, are left out
    and listed in ``skipped``. ``encoder`` (``commitments.link.embed.Encoder``)
    adds sentence embeddings; without it the index is lexical only.
    ``progress(stage, done, total)`` is called as work advances.
    """
    kept, skipped, seen = [], [], set()
    for doc in docs:
        if doc.id in seen:
            raise InputError(f"duplicate document id {doc.id!r} in the corpus")
        seen.add(doc.id)
        bounds = date_bounds(doc.date)
        spans = split_sentences(doc.text) if bounds else []
        if not spans:
            skipped.append(doc.id)
            continue
        kept.append((bounds, doc, spans))
    if not kept:
        raise InputError("no dated document with text in the corpus (linking needs a 'date' on each document)")
    kept.sort(key=lambda item: (item[0][1], item[0][0], item[1].id))

    meta, sent_doc, sent_start, sent_end, sent_text, offsets = [], [], [], [], [], [0]
    for row, (bounds, doc, spans) in enumerate(kept):
        meta.append({"id": doc.id, "date": doc.date, "title": doc.title, "source": doc.source,
                     "genre": doc.genre, "holders": sorted(document_holders(doc)), "bounds": bounds})
        for start, end in spans:
            sent_doc.append(row)
            sent_start.append(start)
            sent_end.append(end)
            sent_text.append(doc.text[start:end])
        offsets.append(len(sent_text))
        if progress:
            progress("split", row + 1, len(kept))
    sent_tokens = [tokenize(t) for t in sent_text]
    doc_tokens = [sum((sent_tokens[i] for i in range(offsets[r], offsets[r + 1])), [])
                  for r in range(len(kept))]
    if progress:
        progress("bm25", 0, 1)
    bm25_sentences, bm25_docs = _bm25(sent_tokens), _bm25(doc_tokens)
    if progress:
        progress("bm25", 1, 1)
    embeddings = None
    if encoder is not None:
        done = [0]

        def step(n: int) -> None:
            done[0] += n
            if progress:
                progress("embed", done[0], len(sent_text))

        embeddings = encoder.encode(sent_text, progress=step)
    return LinkIndex(docs=meta, sent_doc=np.array(sent_doc, dtype=np.int32),
                     sent_start=np.array(sent_start, dtype=np.int64),
                     sent_end=np.array(sent_end, dtype=np.int64), sent_text=sent_text,
                     doc_offsets=np.array(offsets, dtype=np.int64), bm25_sentences=bm25_sentences,
                     bm25_docs=bm25_docs, embeddings=embeddings,
                     model=None if encoder is None else encoder.name, skipped=skipped)


def load_index(path: str | Path, mmap: bool = False) -> LinkIndex:
    """Load an index saved by ``LinkIndex.save``; ``mmap`` maps the embeddings."""
    import bm25s

    path = Path(path)
    cfg_path = path / "cfg.json"
    if not cfg_path.is_file():
        raise InputError(f"{path}: not a link index (no cfg.json; build one with 'commitments index')")
    cfg = json.loads(cfg_path.read_text(encoding="utf-8"))
    if cfg.get("format") != FORMAT_VERSION:
        raise InputError(f"{path}: index format {cfg.get('format')!r}, expected {FORMAT_VERSION}; rebuild it")
    docs = []
    with open(path / "docs.jsonl", encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            doc["bounds"] = date_bounds(doc["date"])
            docs.append(doc)
    sent_doc, sent_start, sent_end, sent_text, sent_holders = [], [], [], [], []
    with open(path / "sentences.jsonl", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            sent_holders.append(rec.get("holders", []))
            sent_doc.append(rec["doc"])
            sent_start.append(rec["start"])
            sent_end.append(rec["end"])
            sent_text.append(rec["text"])
    sent_doc_arr = np.array(sent_doc, dtype=np.int32)
    offsets = np.searchsorted(sent_doc_arr, np.arange(len(docs) + 1), side="left").astype(np.int64)
    embeddings = None
    if (path / "embeddings.npy").exists():
        embeddings = np.load(path / "embeddings.npy", mmap_mode="r" if mmap else None)
    sent_cues = None  # recomputed when the packaged cues changed since the index was built
    if (path / "cues.npy").exists() and cfg.get("cues") == cues_fingerprint():
        sent_cues = np.load(path / "cues.npy")
    return LinkIndex(docs=docs, sent_doc=sent_doc_arr, sent_cues=sent_cues, sent_start=np.array(sent_start, dtype=np.int64),
                     sent_end=np.array(sent_end, dtype=np.int64), sent_text=sent_text,
                     doc_offsets=offsets,
                     bm25_sentences=bm25s.BM25.load(str(path / "bm25_sentences"), show_progress=False),
                     bm25_docs=bm25s.BM25.load(str(path / "bm25_docs"), show_progress=False),
                     embeddings=embeddings, model=cfg.get("model"), sent_holders=sent_holders)

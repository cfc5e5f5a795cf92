"""Batch extraction on several processes of this machine.

:func:`process_parallel` is what :func:`commitments.batch.process` does with
``n_process > 1``. The items are cut into chunks; each worker process runs
the single-process :func:`~commitments.batch.process` on a chunk (screening,
long texts in pieces, retry of a failing document alone) and sends back the
finished ``Document`` and ``Rejection`` objects, which come out in input
order.

Why not ``nlp.pipe(n_process=N)``: spaCy sends every ``Doc`` back to the
parent as bytes, which the parent must deserialise and then still convert
to a ``Document``. Deserialising is costly in itself (tokens, span groups,
the extension values of every span), and each ``msgpack`` unpacking in
``srsly`` scans the whole function registry for decoders: on the rules-only
pipeline, two processes ran several times *slower* than one. A ``Document``
with its layers is a small fraction of a ``Doc``'s bytes and needs no
conversion in the parent.

Memory stays bounded: at most ``2 * n_process`` chunks are in flight. Worker
processes are started with ``fork`` where the platform has it (they inherit
the loaded pipeline); elsewhere the pipeline is pickled to each worker.
"""
from __future__ import annotations

import itertools
import multiprocessing
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Iterable, Iterator

from .chunking import MAX_CHARS
from .model import BadRecord, Document

_NLP = None  # the pipeline of a worker process (set by _init_worker)


def _init_worker(nlp) -> None:
    global _NLP
    _NLP = nlp


def _run_chunk(items: list, batch_size: int, max_chars: int, language: str | None) -> list:
    from .batch import process

    return list(process(items, _NLP, batch_size=batch_size, max_chars=max_chars,
                        language=language))


def chunks(items: Iterable, size: int) -> Iterator[list]:
    """Consecutive lists of ``size`` items (the last may be shorter)."""
    it = iter(items)
    while True:
        chunk = list(itertools.islice(it, size))
        if not chunk:
            return
        yield chunk


def _context():
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


def process_parallel(items: Iterable[Document | BadRecord], nlp, *, n_process: int,
                     batch_size: int = 32, chunk_size: int | None = None,
                     max_chars: int = MAX_CHARS,
                     language: str | None = "en") -> Iterator:
    """Like :func:`commitments.batch.process` (same outcomes, same order),
    spread over ``n_process`` worker processes.

    chunk_size: items per task (default ``batch_size``). A worker that dies
    (killed, out of memory) costs no document: its chunk is run again in
    this process and a new pool takes the rest.
    """
    from .batch import process

    size = chunk_size or batch_size

    def new_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(n_process, mp_context=_context(),
                                   initializer=_init_worker, initargs=(nlp,))

    def submit(chunk: list) -> Future:
        return pool.submit(_run_chunk, chunk, batch_size, max_chars, language)

    def head() -> list:
        """The outcomes of the oldest chunk in flight (waiting for it)."""
        nonlocal pool, pending
        chunk, future = pending.popleft()
        try:
            return future.result()
        except BrokenProcessPool:
            pool.shutdown(wait=False, cancel_futures=True)
            pool = new_pool()
            pending = deque((c, submit(c)) for c, _ in pending)
            return list(process(chunk, nlp, batch_size=batch_size, max_chars=max_chars,
                                language=language))

    pending: deque[tuple[list, Future]] = deque()
    pool = new_pool()
    try:
        for chunk in chunks(items, size):
            pending.append((chunk, submit(chunk)))
            while len(pending) >= 2 * n_process or (pending and pending[0][1].done()):
                yield from head()
        while pending:
            yield from head()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)

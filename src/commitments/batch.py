"""Batch extraction: run the pipeline over a stream of documents.

The machinery behind ``commitments extract``, in plain functions and small
classes that work with any spaCy pipeline (whichever components it has):

- :func:`screen` turns a reader's item into a document to process or a
  :class:`Rejection` (a record the reader could not read, empty text,
  text that is not English);
- :func:`process` streams items through ``nlp.pipe`` (on several
  processes through :mod:`commitments.parallel`) and yields, in input
  order, a ``Document`` with every layer or a ``Rejection`` for each
  item. Texts longer than ``max_chars`` are processed in pieces
  (:mod:`commitments.chunking`); a document on which a component raises is
  retried alone, so one bad document never costs its batch-mates, and is
  rejected with the component's name and error;
- :class:`OutputFiles` writes the results and the rejections incrementally to
  ``.part`` files that replace the final files only when the run completes,
  and :func:`resume_state` lets ``--resume`` continue an interrupted or
  completed run without redoing the documents already written;
- :func:`run` ties it together, with a progress bar and a summary.

Memory stays bounded: items are pulled from the reader as the pipeline asks
for them, and only the documents in flight (a few batches) are held.
"""
from __future__ import annotations

import json
import os
import re
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .chunking import MAX_CHARS, merge_parts, split_points
from .errors import InputError, UsageError
from .model import BadRecord, Document

#: Default size limit of one text, in million bytes (readers reject larger ones).
MAX_MB = 50.0
#: Stages at which an input can be rejected (the ``stage`` of an error line).
STAGES = ("read", "empty", "language", "pipeline")


@dataclass
class Rejection:
    """An input that produced no output document, with where and why."""

    stage: str
    reason: str
    doc_id: str | None = None
    source: str | None = None
    line: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.doc_id, "stage": self.stage, "reason": self.reason}
        if self.source is not None:
            out["source"] = self.source
        if self.line is not None:
            out["line"] = self.line
        return out

    def __str__(self) -> str:
        where = self.doc_id or (f"{self.source}:{self.line}" if self.source else "input")
        return f"{where}: {self.reason}"


# ---------------------------------------------------------------------- screening
def document_language(document: Document) -> str | None:
    """The language of a document: the one its reader stored in
    ``extra["language"]`` (from a manifest or detection), else a confident
    guess from the text, else ``None`` (too short or unsure to tell)."""
    if "language" in document.extra:
        value = document.extra["language"]
        return str(value).lower() if value else None
    from .io.language import guess_language

    return guess_language(document.text)


def screen(item: Document | BadRecord, language: str | None = "en") -> Document | Rejection:
    """Decide whether a reader's item goes through the pipeline.

    language: the language the pipeline handles; a document confidently in
        another language is rejected. ``None`` accepts every language.
    """
    if isinstance(item, BadRecord):
        return Rejection("read", item.reason, item.doc_id, item.source, item.line)
    if not isinstance(item.text, str) or not item.text.strip():
        return Rejection("empty", "empty text (nothing but whitespace)", item.id,
                         item.extra.get("path"))
    if language:
        found = document_language(item)
        if found is not None and found != language:
            return Rejection("language", f"not English: the text reads as {found!r}; "
                             "the pipeline handles English only", item.id, item.extra.get("path"))
    return item


# ---------------------------------------------------------------------- processing
@dataclass
class _Entry:
    """A screened item waiting for its results (in input order)."""

    item: Document | Rejection
    pieces: list[tuple[int, int]] = field(default_factory=list)
    results: list[Document | None] = field(default_factory=list)
    failure: str | None = None

    @property
    def done(self) -> bool:
        return isinstance(self.item, Rejection) or len(self.results) == len(self.pieces)


@dataclass
class _Unit:
    """One piece of one document, as sent to ``nlp.pipe``."""

    seq: int
    entry: _Entry
    piece: Document


def _drop_failed(name, proc, docs, exc) -> None:
    """spaCy error handler: drop the failing docs and go on. The batch loop
    notices which were dropped and retries them one by one."""


class _Feeder:
    """The iterator ``nlp.pipe`` reads: screens items, cuts long texts, makes
    ``(Doc, seq)`` tuples, and queues everything it hands out (or rejects) in
    input order. A plain iterator class, not a generator, so that it survives
    an exception raised through ``nlp.pipe`` and a new pipe can go on with it.
    """

    def __init__(self, items: Iterable[Document | BadRecord], nlp, max_chars: int,
                 language: str | None):
        self.items = iter(items)
        self.nlp = nlp
        self.max_chars = max_chars
        self.language = language
        self.entries: deque[_Entry] = deque()
        self.units: deque[_Unit] = deque()
        self._ready: deque[_Unit] = deque()
        self._seq = 0
        self.exhausted = False
        self.error: BaseException | None = None  # raised by the reader: not ours to hide

    def __iter__(self):
        return self

    def __next__(self):
        from .pipeline.convert import make_doc

        while True:
            if self._ready:
                unit = self._ready.popleft()
                try:
                    doc = make_doc(self.nlp, unit.piece)
                except Exception as exc:  # the tokenizer refused the text
                    unit.entry.failure = f"tokenizer: {type(exc).__name__}: {exc}"
                    unit.entry.results.append(None)
                    continue
                self.units.append(unit)
                return doc, unit.seq
            try:
                item = next(self.items)
            except StopIteration:
                self.exhausted = True
                raise
            except BaseException as exc:
                self.error = exc
                raise
            screened = screen(item, self.language)
            entry = _Entry(screened)
            self.entries.append(entry)
            if isinstance(screened, Rejection):
                continue
            text = screened.text
            entry.pieces = split_points(text, self.max_chars) if len(text) > self.max_chars \
                else [(0, len(text))]
            for start, end in entry.pieces:
                piece = screened if len(entry.pieces) == 1 else Document(
                    id=screened.id, text=text[start:end], date=screened.date,
                    title=screened.title, source=screened.source, genre=screened.genre)
                self._ready.append(_Unit(self._seq, entry, piece))
                self._seq += 1


def run_single(nlp, document: Document) -> Document:
    """Run the pipeline on one document, component by component, so that a
    failure names the component: raises ``RuntimeError("<component>: ...")``."""
    from .pipeline.convert import doc_to_document, make_doc

    doc = make_doc(nlp, document)
    for name, proc in nlp.pipeline:
        try:
            doc = proc(doc)
        except Exception as exc:
            raise RuntimeError(f"component {name!r} failed: {type(exc).__name__}: {exc}") from exc
    return doc_to_document(doc, document)


def _settle_unit(nlp, unit: _Unit, doc) -> None:
    from .pipeline.convert import doc_to_document

    entry = unit.entry
    if doc is None:  # dropped by the error handler or lost with its batch: retry alone
        try:
            result = run_single(nlp, unit.piece)
        except Exception as exc:
            entry.failure = entry.failure or str(exc)
            result = None
    else:
        try:
            result = doc_to_document(doc, unit.piece)
        except Exception as exc:
            entry.failure = entry.failure or f"converting the result: {type(exc).__name__}: {exc}"
            result = None
    entry.results.append(result)


def _finish(entry: _Entry) -> Document | Rejection:
    item = entry.item
    if isinstance(item, Rejection):
        return item
    if entry.failure is not None or any(r is None for r in entry.results):
        where = ""
        if len(entry.pieces) > 1:
            where = f" (text processed in {len(entry.pieces)} pieces)"
        return Rejection("pipeline", f"pipeline failed{where}: {entry.failure}", item.id,
                         item.extra.get("path"))
    if len(entry.pieces) == 1:
        return entry.results[0]
    return merge_parts(item, [(start, res) for (start, _), res in zip(entry.pieces, entry.results)])


def _set_error_handler(nlp, handler) -> None:
    """``nlp.set_error_handler`` that skips components unable to hold one
    (spaCy's compiled parser in some builds has no ``error_handler`` slot);
    a failure inside those still reaches the retry in :func:`process`."""
    nlp.default_error_handler = handler
    for _, pipe in nlp.pipeline:
        if hasattr(pipe, "set_error_handler"):
            try:
                pipe.set_error_handler(handler)
            except AttributeError:
                continue


def process(items: Iterable[Document | BadRecord], nlp, *, batch_size: int = 32,
            n_process: int = 1, max_chars: int = MAX_CHARS,
            language: str | None = "en") -> Iterator[Document | Rejection]:
    """Run ``nlp`` over ``items`` (a reader's stream) and yield, in input
    order, one ``Document`` with every layer or one ``Rejection`` per item.

    Works with any pipeline; sets an error handler on ``nlp`` that drops a
    failing doc, which is then retried alone (and rejected if it fails again).
    With ``n_process > 1`` the items go in chunks to worker processes, each
    running this same loop (:mod:`commitments.parallel`).
    """
    if batch_size < 1 or n_process < 1:
        raise UsageError("batch size and number of processes must be at least 1")
    if max_chars > nlp.max_length:
        max_chars = nlp.max_length
    if n_process > 1:
        from .parallel import process_parallel

        yield from process_parallel(items, nlp, n_process=n_process, batch_size=batch_size,
                                    max_chars=max_chars, language=language)
        return
    _set_error_handler(nlp, _drop_failed)
    feeder = _Feeder(items, nlp, max_chars, language)

    def flush_ready() -> Iterator[Document | Rejection]:
        while feeder.entries and feeder.entries[0].done:
            yield _finish(feeder.entries.popleft())

    while True:
        seq_before = feeder._seq
        stream = nlp.pipe(feeder, as_tuples=True, batch_size=batch_size, n_process=n_process)
        try:
            for doc, seq in stream:
                while feeder.units and feeder.units[0].seq < seq:  # dropped on the way
                    _settle_unit(nlp, feeder.units.popleft(), None)
                _settle_unit(nlp, feeder.units.popleft(), doc)
                yield from flush_ready()
        except Exception:
            # the reader's errors are the user's to see; a component whose own
            # ``pipe`` raised through nlp.pipe is handled below: what was in
            # flight is retried alone, then a new pipe takes the rest
            if feeder.error is not None or (feeder._seq == seq_before and not feeder.units):
                raise
        while feeder.units:
            _settle_unit(nlp, feeder.units.popleft(), None)
        yield from flush_ready()
        if feeder.exhausted and not feeder._ready:
            break
    yield from flush_ready()


# ---------------------------------------------------------------------- output files
def errors_path(out: str | Path) -> Path:
    """``out.jsonl`` -> ``out.errors.jsonl`` (other names get ``.errors.jsonl`` added)."""
    out = Path(out)
    name = out.name[: -len(".jsonl")] if out.name.endswith(".jsonl") else out.name
    return out.with_name(name + ".errors.jsonl")


def part_path(path: str | Path) -> Path:
    path = Path(path)
    return path.with_name(path.name + ".part")


def _complete_lines(path: Path) -> Iterator[tuple[str, dict]]:
    """The lines of a JSON Lines file that hold a complete object with an id
    (a line cut short by an interruption is skipped)."""
    with open(path, encoding="utf-8", errors="replace", newline="") as fh:
        for line in fh:
            if not line.endswith("\n"):
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(obj, dict) and isinstance(obj.get("id"), str):
                yield line, obj


def resume_state(out: str | Path) -> set[str]:
    """Prepare ``out``'s ``.part`` file for ``--resume`` and return the ids it
    already holds.

    The ``.part`` file of an interrupted run is kept (without a last line cut
    short); failing that, the complete lines of a finished ``out`` are copied
    into a new ``.part``. Either way the final file is replaced only when the
    resumed run completes, so an interruption never loses what was written.
    """
    out = Path(out)
    part = part_path(out)
    src = part if part.exists() else out if out.exists() else None
    done: set[str] = set()
    if src is None:
        return done
    tmp = part.with_name(part.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        for line, obj in _complete_lines(src):
            if obj["id"] in done:
                continue
            done.add(obj["id"])
            fh.write(line)
    os.replace(tmp, part)
    return done


class OutputFiles:
    """The output and errors files of a run, written incrementally to
    ``.part`` files and moved into place by :meth:`commit`."""

    def __init__(self, out: str | Path, append: bool = False, flush_every: int = 16):
        self.out = Path(out)
        self.errors = errors_path(self.out)
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self._out_part = part_path(self.out)
        self._err_part = part_path(self.errors)
        self._fh = open(self._out_part, "a" if append else "w", encoding="utf-8", newline="\n")
        # rejections are re-evaluated on every run, so their file starts afresh
        self._eh = open(self._err_part, "w", encoding="utf-8", newline="\n")
        self._since_flush = 0
        self.flush_every = flush_every

    def write(self, outcome: Document | Rejection) -> None:
        fh = self._eh if isinstance(outcome, Rejection) else self._fh
        fh.write(json.dumps(outcome.to_dict(), ensure_ascii=False) + "\n")
        self._since_flush += 1
        if self._since_flush >= self.flush_every:
            self.flush()

    def flush(self) -> None:
        self._fh.flush()
        self._eh.flush()
        self._since_flush = 0

    def close(self) -> None:
        for fh in (self._fh, self._eh):
            if not fh.closed:
                fh.flush()
                os.fsync(fh.fileno())
                fh.close()

    def commit(self, replace_out: bool = True) -> None:
        """Move the ``.part`` files into place (the output only if
        ``replace_out``; its ``.part`` is then removed)."""
        self.close()
        if replace_out:
            os.replace(self._out_part, self.out)
        else:
            self._out_part.unlink(missing_ok=True)
        os.replace(self._err_part, self.errors)

    @property
    def partial(self) -> Path:
        return self._out_part


# ---------------------------------------------------------------------- the run
_WORD = re.compile(r"\S+")


def count_words(text: str) -> int:
    """Whitespace-separated words (the unit of the words/s figures)."""
    return sum(1 for _ in _WORD.finditer(text))


@dataclass
class RunStats:
    written: int = 0
    words: int = 0
    skipped: int = 0
    warnings: int = 0
    rejected: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def n_rejected(self) -> int:
        return sum(self.rejected.values())

    def summary(self, out: Path, errors: Path) -> str:
        parts = [f"{self.written} documents ({self.words:,} words) written to {out}"]
        if self.skipped:
            parts.append(f"{self.skipped} already there (--resume)")
        if self.n_rejected:
            why = ", ".join(f"{n} {_STAGE_WORDS[s]}" for s, n in sorted(self.rejected.items()))
            parts.append(f"{self.n_rejected} rejected ({why}), see {errors}")
        else:
            parts.append("none rejected")
        if self.warnings:
            parts.append(f"{self.warnings} input warnings (kept in the documents' input_warnings)")
        rate = self.words / self.seconds if self.seconds > 0 else 0.0
        parts.append(f"{self.seconds:.1f}s, {rate:,.0f} words/s")
        return "extract: " + "; ".join(parts)


_STAGE_WORDS = {"read": "unreadable", "empty": "empty", "language": "not English",
                "pipeline": "pipeline failure"}


def estimate_total(source: str | Path) -> int | None:
    """How many documents ``source`` holds, when cheap to tell (for the
    progress bar's ETA): the lines of a JSON Lines file, the text and HTML
    files of a folder, 1 for a text or HTML file; else ``None``."""
    path = Path(source)
    try:
        if path.is_file():
            if path.suffix.lower() in (".jsonl", ".ndjson"):
                count = 0
                with open(path, "rb") as fh:
                    for block in iter(lambda: fh.read(1 << 20), b""):
                        count += block.count(b"\n")
                return count or 1
            if path.suffix.lower() in (".txt", ".text", ".html", ".htm"):
                return 1
            return None  # CSV, Parquet, JSON: not worth a pass of its own
        if path.is_dir():
            from .io.folder import HTML_SUFFIXES, TEXT_SUFFIXES

            suffixes = TEXT_SUFFIXES + HTML_SUFFIXES
            return sum(1 for p in path.rglob("*")
                       if p.suffix.lower() in suffixes and p.is_file()
                       and not any(part.startswith(".") for part in p.relative_to(path).parts)
                       ) or None
    except OSError:
        return None
    return None


def read_items(items: Iterable[Document | BadRecord], done: set[str],
               on_skip: Callable[[Document], None],
               on_warning: Callable[[str], None]) -> Iterator[Document | BadRecord]:
    """The reader's items, minus the documents whose id is in ``done``
    (``--resume``). The reader's warnings that lose nothing (no date found,
    unknown genre) are kept with their document, in
    ``extra["input_warnings"]``, instead of going to the terminal one by one."""
    import warnings

    from .io.base import InputWarning

    it = iter(items)
    while True:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", InputWarning)
            try:
                item = next(it)
            except StopIteration:
                return
        mine = []
        for w in caught:
            if issubclass(w.category, InputWarning):
                mine.append(str(w.message))
                on_warning(str(w.message))
            else:  # someone else's: show it as Python would
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        if isinstance(item, Document):
            if mine:
                item.extra["input_warnings"] = mine
            if item.id in done:
                on_skip(item)
                continue
        yield item


def _progress(total: int | None, enabled: bool):
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn,
                               SpinnerColumn, TextColumn, TimeElapsedColumn,
                               TimeRemainingColumn)
    from rich.text import Text

    class WordsPerSecond(ProgressColumn):
        def render(self, task):
            elapsed = task.elapsed or 0.0
            words = task.fields.get("words", 0)
            rate = words / elapsed if elapsed > 0 else 0.0
            return Text(f"{rate:,.0f} words/s", style="progress.data.speed")

    console = Console(stderr=True)
    columns = [SpinnerColumn(), TextColumn("[progress.description]{task.description}")]
    if total:
        columns += [BarColumn(), MofNCompleteColumn()]
    else:
        columns += [TextColumn("{task.completed} documents")]
    columns += [WordsPerSecond(), TimeElapsedColumn()]
    if total:
        columns += [TextColumn("ETA"), TimeRemainingColumn()]
    return Progress(*columns, console=console, disable=not (enabled and console.is_terminal))


def run(items: Iterable[Document | BadRecord], out: str | Path, *,
        outcomes: Callable[[Iterable[Document | BadRecord]], Iterator[Document | Rejection]],
        resume: bool = False, total: int | None = None, show_progress: bool = True,
        writer: Callable[[Iterator[Document], Path], int] | None = None) -> RunStats:
    """Write the outcomes of ``items`` to ``out`` and ``out``'s errors file.

    outcomes: the engine, ``items -> outcomes in input order`` (for example
        ``lambda items: process(items, nlp)``, or the Dask engine).
    writer: instead of JSON Lines, hand the documents to ``writer(documents,
        path)`` (a pre-annotation format); it must consume them lazily.
    Raises ``InputError`` when no document at all could be processed.
    """
    out = Path(out)
    if resume and writer is not None:
        raise UsageError("--resume works with JSON Lines output only")
    stats = RunStats()
    done = resume_state(out) if resume else set()
    files = OutputFiles(out, append=resume)
    start = time.perf_counter()
    progress = _progress(total, show_progress)
    task = progress.add_task("extracting", total=total, words=0)

    def on_skip(doc: Document) -> None:
        stats.skipped += 1
        progress.update(task, advance=1)

    def on_warning(message: str) -> None:
        stats.warnings += 1

    def documents() -> Iterator[Document]:
        for outcome in outcomes(read_items(items, done, on_skip, on_warning)):
            if isinstance(outcome, Rejection):
                stats.rejected[outcome.stage] += 1
                files.write(outcome)
            else:
                stats.written += 1
                stats.words += count_words(outcome.text)
                yield outcome
            progress.update(task, advance=1, words=stats.words)

    try:
        with progress:
            if writer is None:
                for doc in documents():
                    files.write(doc)
            else:
                writer(documents(), files.partial)
    except BaseException:
        files.close()
        raise
    stats.seconds = time.perf_counter() - start
    processed = stats.written + stats.skipped
    files.commit(replace_out=processed > 0)
    if processed == 0:
        if stats.n_rejected == 0:
            raise InputError("no documents found in the input")
        raise InputError(f"nothing could be processed: all {stats.n_rejected} inputs were "
                         f"rejected (reasons in {files.errors})")
    return stats


# ---------------------------------------------------------------------- from a source
def pipeline_factory(base: str | None = "en_core_web_sm", model: str | Path | None = None):
    """A picklable callable that builds the pipeline (``base="blank"`` or
    ``None``: a blank English pipeline, rules only)."""
    import functools

    from .pipeline import load

    return functools.partial(load, base=base or None, model=str(model) if model else None)


def extract_file(source: str | Path, out: str | Path, *, base: str | None = "en_core_web_sm",
                 model: str | Path | None = None, date: str | None = None,
                 nlp_factory: Callable[[], Any] | None = None, n_process: int = 1,
                 batch_size: int = 32, max_chars: int = MAX_CHARS, resume: bool = False,
                 language: str | None = "en", to: str | None = None, engine: str = "local",
                 scheduler: str | None = None, workers: int | None = None,
                 processes: bool = True, partition_size: int = 64,
                 max_mb: float | None = MAX_MB, show_progress: bool = True) -> RunStats:
    """Extract every document of ``source`` (anything ``commitments.io.read_input``
    reads) into ``out`` (JSON Lines, or the pre-annotation format ``to``) and
    ``out``'s errors file. ``engine`` is ``local`` (``n_process`` processes on
    this machine) or ``dask`` (a Dask cluster at ``scheduler``, or a local one
    with ``workers`` workers). ``max_mb``: texts above this many million
    bytes are rejected by the reader (``None``: no limit); long texts are
    processed in pieces, so the limit is higher than the readers' default.
    Returns the run's figures."""
    from .io import read_input
    from .model import parse_date

    if str(out) == "-":
        raise UsageError("extract writes files (output and errors): give a file name with -o")
    if date is not None:
        try:
            parse_date(date)
        except ValueError as exc:
            raise UsageError(f"--date: {exc}") from None
    if engine not in ("local", "dask"):
        raise UsageError(f"unknown engine {engine!r} (local or dask)")
    if engine == "local" and scheduler:
        raise UsageError("--scheduler goes with --engine dask")
    if engine == "dask" and n_process != 1:
        raise UsageError("--n-process is for the local engine; size a Dask cluster with its workers")
    writer = None
    if to is not None:
        from .io.formats import write_as

        def writer(documents, path):
            return write_as(documents, path, to)
    nlp_factory = nlp_factory or pipeline_factory(base, model)
    items = read_input(source, date=date, max_mb=max_mb)
    if engine == "dask":
        from .cluster import dask_outcomes

        def outcomes(stream):
            return dask_outcomes(stream, nlp_factory=nlp_factory, scheduler=scheduler,
                                 n_workers=workers, processes=processes,
                                 partition_size=partition_size, batch_size=batch_size,
                                 max_chars=max_chars, language=language)
    else:
        nlp = nlp_factory()

        def outcomes(stream):
            return process(stream, nlp, batch_size=batch_size, n_process=n_process,
                           max_chars=max_chars, language=language)
    return run(items, out, outcomes=outcomes, resume=resume, total=estimate_total(source),
               show_progress=show_progress, writer=writer)

"""``commitments extract``: run the pipeline over a corpus (see docs/batch.md)."""
from __future__ import annotations

from pathlib import Path

import click

from ..batch import MAX_MB
from ..chunking import MAX_CHARS


@click.command("extract")
@click.argument("source", metavar="INPUT")
@click.option("-o", "--output", "out", required=True, metavar="OUT.jsonl",
              help="Output file; rejected inputs go to OUT.errors.jsonl.")
@click.option("--base", default="en_core_web_sm", show_default=True,
              help="spaCy pipeline under the components, or 'blank' (rules only, fastest).")
@click.option("--model", type=click.Path(exists=True), default=None,
              help="A model trained by `commitments train` for the commitments component.")
@click.option("--date", default=None, metavar="YYYY[-MM[-DD]]",
              help="Date of documents that carry none (anchors relative deadlines).")
@click.option("--n-process", type=click.IntRange(0), default=1, show_default=True,
              help="Worker processes on this machine (0: one per CPU core it may use).")
@click.option("--batch-size", type=click.IntRange(1), default=32, show_default=True,
              help="Documents per batch sent through the pipeline.")
@click.option("--max-chars", type=click.IntRange(1000), default=MAX_CHARS, show_default=True,
              help="Longer texts are processed in pieces of at most this many characters.")
@click.option("--max-size", "max_mb", type=click.FloatRange(0), default=MAX_MB, show_default=True,
              metavar="MB", help="Reject texts above this many million bytes (0: no limit).")
@click.option("--resume", is_flag=True,
              help="Keep what OUT (or an interrupted run's OUT.part) holds and do only the rest.")
@click.option("--any-language", is_flag=True,
              help="Do not reject texts detected as not English.")
@click.option("--to", "to", type=click.Choice(["labelstudio", "prodigy"]), default=None,
              help="Write pre-annotations for an annotation tool instead of JSON Lines.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local",
              show_default=True, help="Run here, or as a Dask job.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Dask scheduler (tcp://host:8786); without it a local cluster is started.")
@click.option("--workers", type=click.IntRange(1), default=None,
              help="Workers of the local Dask cluster (default 1).")
@click.option("--partition-size", type=click.IntRange(1), default=64, show_default=True,
              help="Documents per Dask task.")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
def command(source, out, base, model, date, n_process, batch_size, max_chars, max_mb, resume,
            any_language, to, engine, scheduler, workers, partition_size, no_progress):
    """Find commitments in every document of INPUT (a .txt/.html file, a
    folder, JSON Lines, a datasets directory) and write them to OUT.jsonl.

    Inputs that cannot be processed (unreadable, empty, not English, a
    pipeline failure) are listed in OUT.errors.jsonl, one line each with the
    reason; the run goes on and exits 0 unless nothing could be processed.
    """
    from ..batch import errors_path, extract_file

    if n_process == 0:
        n_process = usable_cpus()
    try:
        stats = extract_file(
            source, out, base=base, model=model, date=date, n_process=n_process,
            batch_size=batch_size, max_chars=max_chars, resume=resume,
            language=None if any_language else "en", to=to, engine=engine, scheduler=scheduler,
            workers=workers, partition_size=partition_size, max_mb=max_mb or None,
            show_progress=not no_progress,
        )
    except KeyboardInterrupt:
        if not to:
            click.echo(f"What was done is kept in {out}.part: rerun with --resume to go on.",
                       err=True)
        raise
    click.echo(stats.summary(Path(out), errors_path(out)), err=True)


def usable_cpus() -> int:
    """The CPU cores this process may run on (its affinity where the platform
    tells it, else the machine's count)."""
    import os

    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)

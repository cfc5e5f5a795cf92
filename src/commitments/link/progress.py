"""A rich progress display for the linker's long stages."""
from __future__ import annotations

from contextlib import contextmanager


@contextmanager
def stage_progress(console, transient: bool = True):
    """Yield ``update(stage, done, total)``: one bar per stage name."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=transient) as bar:
        tasks: dict[str, int] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update

"""``commitments show``: display documents already annotated (gold or
predictions) with the same views as ``commitments tag``."""
from __future__ import annotations

import click

from ..errors import InputError
from ..model import BadRecord, iter_documents


def select(path: str, ids: tuple[str, ...] = ()) -> list:
    """The documents of a FORMAT.md file, optionally only those in ``ids``."""
    docs = []
    for item in iter_documents(path):
        if isinstance(item, BadRecord):
            raise InputError(str(item))
        if not ids or item.id in ids:
            docs.append(item)
    missing = set(ids) - {d.id for d in docs}
    if missing:
        raise InputError(f"{path}: no document with id {', '.join(sorted(missing))}")
    return docs


@click.command(name="show")
@click.argument("source", type=click.Path(dir_okay=False))
@click.option("--id", "ids", multiple=True, help="Show only this document (repeatable).")
@click.option("--brief", is_flag=True, help="Only the commitments table of each document.")
@click.option("--html", "html_out", type=click.Path(dir_okay=False), default=None,
              help="Write one self-contained HTML page instead.")
@click.option("--width", type=int, default=None, help="Terminal width.")
def command(source, ids, brief, html_out, width):
    """Show the documents of a FORMAT.md JSON Lines file: text with
    commitments highlighted, commitments with holders, modality and deadline,
    segments and points lists.

    \b
      commitments show out/seeds.jsonl --brief
      commitments show corpora/gold/seeds.jsonl --id 004_13460ded037f50eb
    """
    from rich.console import Console

    from ..display import commitments_table, document_html, document_view

    docs = select(source, ids)
    if html_out:
        with open(html_out, "w", encoding="utf-8") as fh:
            fh.write(document_html(docs))
        click.echo(f"Wrote {html_out} ({len(docs)} documents).", err=True)
        return
    console = Console(width=width)
    total = 0
    for doc in docs:
        total += len(doc.commitments or [])
        if brief:
            table = commitments_table(doc)
            table.title = f"{doc.id} ({doc.date or 'no date'}): {len(doc.commitments or [])} commitments"
            console.print(table)
        else:
            console.print(document_view(doc))
    console.print(f"[bold]{len(docs)} documents, {total} commitments.[/bold]")

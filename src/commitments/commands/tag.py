"""``commitments tag``: run the pipeline on one text and show the result."""
from __future__ import annotations

import sys
import warnings

import click

from ..errors import InputError, UsageError
from ..model import BadRecord, Document, write_jsonl

FORMATS = ("text", "jsonl", "html")


def read_texts(source: str, date: str | None) -> list[Document]:
    """The documents of ``source`` (a file, a folder, or ``-`` for stdin)."""
    from ..io import read_input

    docs = []
    for item in read_input(source, date=date):
        if isinstance(item, BadRecord):
            raise InputError(str(item))
        docs.append(item)
    if not docs:
        raise InputError(f"{source}: no text found")
    return docs


def tag(documents: list[Document], nlp=None) -> list[Document]:
    """The documents with every layer, from the extraction pipeline."""
    from ..pipeline import extract, load

    nlp = nlp or load()
    return list(extract([d.without_annotations() for d in documents], nlp))


def _load(model: str):
    from ..pipeline import load

    return load(model=model)


@click.command(name="tag")
@click.argument("source", type=click.Path(allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text: a terminal view; jsonl: FORMAT.md records; html: one self-contained page.")
@click.option("-o", "--output", type=click.Path(allow_dash=True), default="-",
              help="Where to write (default: standard output).")
@click.option("--date", help="The document's date (YYYY, YYYY-MM or YYYY-MM-DD), used to resolve "
                             "deadlines such as 'next year'.")
@click.option("--width", type=int, default=None, help="Terminal width for --format text.")
@click.option("--model", type=click.Path(exists=True), default=None,
              help="A model trained by `commitments train` for the commitments component.")
def command(source, fmt, output, date, width, model):
    """Tag one text (a .txt/.html file, a JSONL record, or - for standard
    input) and show its commitments with holders, kind, modality, deadline
    and points item, its segments and its points lists.

    \b
      commitments tag statement.txt --date 2024-12-25
      echo "Both sides agreed to meet again in 2026." | commitments tag -
      commitments tag statement.txt --format html -o statement.html
    """
    from .. import display

    if fmt == "text" and output != "-" and width is None:
        width = 110
    docs = read_texts(source, date)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tagged = tag(docs, _load(model) if model else None)
    for w in caught:  # e.g. no trained spaCy pipeline: say it once, on stderr
        click.echo(f"Warning: {w.message}", err=True)
    if fmt == "jsonl":
        write_jsonl(tagged, output)
        return
    if fmt == "html":
        page = display.document_html(tagged)
        if output == "-":
            sys.stdout.write(page)
        else:
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(page)
        return
    from rich.console import Console

    if output == "-":
        console = Console(width=width)
        for doc in tagged:
            console.print(display.document_view(doc))
    else:
        try:
            with open(output, "w", encoding="utf-8") as fh:
                console = Console(file=fh, width=width, force_terminal=False)
                for doc in tagged:
                    console.print(display.document_view(doc))
        except OSError as exc:
            raise UsageError(f"cannot write {output}: {exc.strerror}") from None

"""``commitments convert``: between FORMAT.md JSON Lines and annotation tools."""
from __future__ import annotations

import click

from ..errors import UsageError
from ..io.formats import NAMES, guess_format, read_as, write_as


def convert(source: str, target: str, from_fmt: str | None, to_fmt: str | None,
            as_annotations: bool = False) -> int:
    """Read ``source`` in ``from_fmt`` and write ``target`` in ``to_fmt``
    (either defaults to ``jsonl``, FORMAT.md); returns the document count."""
    from_fmt = from_fmt or guess_format(source) or "jsonl"
    to_fmt = to_fmt or ("jsonl" if from_fmt != "jsonl" else None)
    if to_fmt is None:
        raise UsageError("say what to convert to: --to FORMAT (or --from FORMAT to read one back)")
    documents = read_as(source, from_fmt)
    options = {"as_annotations": True} if as_annotations and to_fmt == "labelstudio" else {}
    if as_annotations and to_fmt != "labelstudio":
        raise UsageError("--as-annotations only applies to --to labelstudio")
    return write_as(documents, target, to_fmt, **options)


@click.command(name="convert")
@click.argument("source", type=click.Path(dir_okay=True))
@click.option("-o", "--output", "target", required=True, type=click.Path(),
              help="Where to write (a directory for brat).")
@click.option("--to", "to_fmt", type=click.Choice(NAMES), help="Format to write (default: jsonl).")
@click.option("--from", "from_fmt", type=click.Choice(NAMES),
              help="Format of SOURCE (default: guessed from its name, else jsonl).")
@click.option("--as-annotations", is_flag=True,
              help="Label Studio: write annotations instead of predictions.")
def command(source, target, to_fmt, from_fmt, as_annotations):
    """Convert SOURCE between FORMAT.md JSON Lines and annotation tools'
    formats: brat, labelstudio, prodigy, doccano, docbin (spaCy), conll.

    \b
      commitments convert gold.jsonl --to brat -o brat/
      commitments convert corrected.json --from labelstudio -o gold.jsonl
    """
    count = convert(source, target, from_fmt, to_fmt, as_annotations)
    click.echo(f"{count} document(s) written to {target}", err=True)

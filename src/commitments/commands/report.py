"""``commitments report``: a one-page HTML report of extracted commitments."""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import UsageError
from ..model import read_documents, read_links


@click.command(name="report")
@click.argument("documents", type=click.Path(dir_okay=False))
@click.argument("links", required=False, type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The HTML file to write.")
@click.option("--corpus", type=click.Path(dir_okay=False),
              help="FORMAT.md JSON Lines of the later documents, to show the evidence text of links.")
@click.option("--title", default="Commitments report", show_default=True)
def command(documents, links, output, corpus, title):
    """Write one self-contained HTML page about DOCUMENTS (FORMAT.md JSON
    Lines with commitments, e.g. the output of `commitments extract`) and
    their follow-through LINKS: counts per holder, kind, modality and year,
    charts, and a sortable table of commitments with status and evidence.

    \b
      commitments report out.jsonl links.jsonl --corpus corpus.jsonl -o report.html
    """
    from ..report import build_report

    docs = read_documents(documents)
    if not any(d.commitments for d in docs) and all(d.commitments is None for d in docs):
        raise UsageError(f"{documents}: no document has a commitments layer; run "
                         "`commitments extract` first")
    found = read_links(links) if links else []
    extra = read_documents(corpus) if corpus else []
    page = build_report(docs, found, extra, title=title)
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    Path(output).write_text(page, encoding="utf-8")
    rows = sum(len(d.commitments or []) for d in docs)
    click.echo(f"{rows} commitment(s), {len(found)} link(s) -> {output}", err=True)

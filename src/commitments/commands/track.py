"""``commitments track``: a commitment and the later evidence about it."""
from __future__ import annotations

from pathlib import Path

import click


@click.command("track")
@click.argument("refs", nargs=-1, required=True, metavar="DOC#ID...")
@click.option("--links", "links_path", required=True, help="Links JSONL from 'commitments link'.")
@click.option("--corpus", required=True, help="The corpus the links point into (any dated input).")
@click.option("--commitments", "commitments_path", required=True, help="FORMAT.md documents with the "
              "commitments.")
@click.option("--kept-only", is_flag=True, help="Only links marked kept.")
@click.option("--html", "html_out", default=None, help="Write a self-contained HTML timeline here.")
def command(refs, links_path, corpus, commitments_path, kept_only, html_out):
    """Show each commitment DOC#ID (holders, deadline) and, in date order,
    the later evidence sentences with date, source and status. 'all' shows
    every linked commitment."""
    from rich.console import Console

    from ..link.corpus import commitment_documents, read_corpus
    from ..link.timeline import build_timeline, render_html, render_terminal
    from ..model import read_links

    links = read_links(links_path)
    cdocs = {d.id: d for d in commitment_documents(commitments_path)[0]}
    corpus_docs = {d.id: d for d in read_corpus(corpus)[0]}
    keys = list(dict.fromkeys(lk.commitment for lk in links)) if refs == ("all",) else list(refs)
    timelines = [build_timeline(k, cdocs, links, corpus_docs, kept_only) for k in keys]
    if html_out:
        Path(html_out).write_text(render_html(timelines), encoding="utf-8")
        Console(stderr=True).print(f"{len(timelines)} timelines -> {html_out}")
    else:
        console = Console()
        for tl in timelines:
            render_terminal(tl, console)

"""``commitments index``: build the linking index of a corpus once, reuse it
with ``commitments link --index``."""
from __future__ import annotations

import time

import click

from ..errors import UsageError


@click.command("index")
@click.argument("corpus")
@click.option("-o", "--output", required=True, help="Folder to write the index to.")
@click.option("--model", default=None, help="Sentence-transformers model name or local path "
              "(default: the installed all-MiniLM-L6-v2), loaded offline.")
@click.option("--no-embeddings", is_flag=True, help="Lexical index only (BM25), no sentence embeddings.")
@click.option("--device", default=None, help="Device for the embedding model (cpu, cuda, cuda:0).")
@click.option("--batch-size", default=64, show_default=True, help="Embedding batch size.")
def command(corpus, output, model, no_embeddings, device, batch_size):
    """Index CORPUS (any input with dates: JSONL, folder + MANIFEST.tsv, ...)
    for follow-through linking: sentences, BM25 and sentence embeddings."""
    from rich.console import Console

    from ..link.corpus import actors_notice, read_corpus
    from ..link.embed import load_encoder
    from ..link.index import build_index
    from ..link.progress import stage_progress

    if model and no_embeddings:
        raise UsageError("--model and --no-embeddings exclude each other")
    console = Console(stderr=True)
    docs, bad = read_corpus(corpus)
    encoder = None if no_embeddings else load_encoder(model, device=device, batch_size=batch_size)
    start = time.perf_counter()
    with stage_progress(console) as progress:
        index = build_index(docs, encoder, progress=progress)
    index.save(output)
    console.print(f"indexed {index.n_docs} documents, {index.n_sentences} sentences "
                  f"({'embeddings: ' + index.model if index.model else 'lexical only'}) "
                  f"in {time.perf_counter() - start:.1f}s -> {output}")
    if index.skipped:
        console.print(f"[yellow]left out {len(index.skipped)} documents without a date or text[/] "
                      f"(first: {index.skipped[0]})")
    notice = actors_notice(docs)
    if notice:
        console.print(f"[yellow]{notice}[/]")
    for record in bad[:5]:
        console.print(f"[yellow]skipped[/] {record}")

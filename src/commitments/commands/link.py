"""``commitments link``: link commitments to the later documents that report
on them (FORMAT.md links)."""
from __future__ import annotations

import click

from ..errors import UsageError


@click.command("link")
@click.argument("commitments")
@click.argument("corpus", required=False)
@click.option("-o", "--output", default="-", show_default=True, help="Links JSONL file ('-' for stdout).")
@click.option("--index", "index_dir", default=None, help="Reuse an index built by 'commitments index' "
              "instead of indexing CORPUS.")
@click.option("-k", "--top-k", type=int, default=None, help="Links per commitment (default from the "
              "calibrated settings: 5).")
@click.option("--model", default=None, help="Sentence-transformers model name or local path "
              "(default: the index's model, else the installed all-MiniLM-L6-v2).")
@click.option("--no-embeddings", is_flag=True, help="Lexical ranking only (BM25 and features).")
@click.option("--device", default=None, help="Device for the embedding model (cpu, cuda).")
@click.option("--settings", "settings_path", default=None, help="Link settings JSON (weights, "
              "thresholds); default: the packaged calibrated defaults.")
@click.option("--cues", "cues_path", default=None, help="Status cues JSON; default: the packaged cues.")
def command(commitments, corpus, output, index_dir, top_k, model, no_embeddings, device, settings_path,
            cues_path):
    """Link the commitments of COMMITMENTS (FORMAT.md JSONL) to later
    documents of CORPUS (any dated input), or of an index (--index).

    Each link carries its evidence sentence, status (fulfilled, partial,
    reaffirmed, contradicted), score and "kept": true when above the
    calibrated threshold."""
    from rich.console import Console

    from ..link.corpus import actors_notice, commitment_documents, read_corpus
    from ..link.embed import load_encoder
    from ..link.index import build_index, load_index
    from ..link.linker import link_commitments
    from ..link.progress import stage_progress
    from ..link.rank import load_settings
    from ..link.status import load_cues
    from ..model import write_links

    if (corpus is None) == (index_dir is None):
        raise UsageError("give either CORPUS or --index DIR (not both)")
    if top_k is not None and top_k < 1:
        raise UsageError("--top-k must be at least 1")
    if model and no_embeddings:
        raise UsageError("--model and --no-embeddings exclude each other")
    console = Console(stderr=True)
    settings, cues = load_settings(settings_path), load_cues(cues_path)
    docs, bad = commitment_documents(commitments)
    encoder = None
    if index_dir is not None:
        index = load_index(index_dir)
        if no_embeddings:
            index.embeddings = None
        elif index.embeddings is not None:
            encoder = load_encoder(model or index.model, device=device)
            if encoder.dim != index.embeddings.shape[1]:
                raise UsageError(f"--model {encoder.name!r} gives {encoder.dim}-dimensional vectors, "
                                 f"the index holds {index.embeddings.shape[1]} ({index.model})")
    else:
        corpus_docs, bad_corpus = read_corpus(corpus)
        bad += bad_corpus
        notice = actors_notice(corpus_docs)
        if notice:
            console.print(f"[yellow]{notice}[/]")
        encoder = None if no_embeddings else load_encoder(model, device=device)
        with stage_progress(console) as progress:
            index = build_index(corpus_docs, encoder, progress=progress)
    with stage_progress(console) as progress:
        links = link_commitments(docs, index, encoder, settings=settings, cues=cues, top_k=top_k,
                                 progress=lambda done, total: progress("linking", done, total))
    n = write_links(links, output)
    kept = sum(1 for lk in links if lk.extra.get("kept"))
    n_comm = sum(len(d.commitments or []) for d in docs)
    console.print(f"{n} links for {n_comm} commitments ({kept} kept) -> {output}")
    for record in bad[:5]:
        console.print(f"[yellow]skipped[/] {record}")

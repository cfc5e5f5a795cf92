"""The ``commitments`` command line. Commands are thin wrappers over plain
functions; each lives in its own module under ``commitments.commands`` and is
imported only when it runs, so ``commitments --help`` stays fast."""
from __future__ import annotations

import importlib
import sys

import click

from . import __version__
from .errors import CommitmentsError

# name -> (module under commitments.commands, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "report": ("report", "Write a one-page HTML report of commitments and their follow-through."),
    "tag": ("tag", "Tag one text and show its commitments, segments and points lists."),
    "convert": ("convert", "Convert between FORMAT.md and brat, Label Studio, Prodigy, doccano, spaCy, CoNLL."),
    "evaluate": ("evaluate", "Score predictions against gold annotations (FORMAT.md scoring)."),
    "extract": ("extract", "Find commitments in a whole corpus, streaming, with an errors file (docs/batch.md)."),
    "show": ("show", "Show annotated documents (gold or predictions) in the terminal or as HTML."),
    "index": ("index", "Index a dated corpus for follow-through linking (BM25 + sentence embeddings)."),
    "link": ("link", "Link commitments to later documents that report on them, with evidence and status."),
    "track": ("track", "Show a commitment and the later evidence about it (terminal or HTML timeline)."),
    "read": ("read", "Read any input (txt, folder, JSONL, datasets) and print or save the documents."),
    "train": ("train", "Fine-tune a transformer that classifies commitment candidates (docs/training.md)."),
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        module = importlib.import_module(f"commitments.commands.{COMMANDS[name][0]}")
        return module.command

    def format_commands(self, ctx, formatter):
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except CommitmentsError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(2)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(130)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="commitments")
def main() -> None:
    """Find commitments in diplomatic texts: who promised what, how firmly,
    by when, and whether a later text reports that it was done."""


if __name__ == "__main__":  # pragma: no cover
    main()

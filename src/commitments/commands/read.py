"""``commitments read INPUT``: read any input and write FORMAT.md JSON Lines."""
from __future__ import annotations

import warnings
from collections import Counter
from typing import Any, Iterator

import click

from ..io.base import DEFAULT_MAX_MB, InputWarning, describe
from ..model import BadRecord, Document, write_jsonl


def read_to_jsonl(source: str, output: Any = "-", *, on_bad=None, on_warning=None,
                  **options) -> dict[str, Any]:
    """Read ``source`` with :func:`commitments.io.read_input` and write its
    documents to ``output`` (a path, ``-`` for stdout, or an open text file).

    ``on_bad(record)`` and ``on_warning(message)`` are called as problems
    come; the returned summary counts documents, bad records (by reason) and
    warnings.
    """
    from ..io import read_input

    bad: list[BadRecord] = []
    warned: list[str] = []
    items = read_input(source, **options)  # raises InputError before anything is written

    def documents() -> Iterator[Document]:
        for item in items:
            if isinstance(item, BadRecord):
                bad.append(item)
                if on_bad:
                    on_bad(item)
            else:
                yield item

    def show(message, category, filename, lineno, file=None, line=None):
        if issubclass(category, InputWarning):
            warned.append(str(message))
            if on_warning:
                on_warning(str(message))
        else:  # someone else's warning: show it as Python would
            original(message, category, filename, lineno, file, line)

    with warnings.catch_warnings():
        warnings.simplefilter("always", InputWarning)
        original = warnings.showwarning
        warnings.showwarning = show
        count = write_jsonl(documents(), output)
    return {"documents": count, "bad": len(bad), "warnings": len(warned),
            "bad_reasons": Counter(_reason_kind(b.reason) for b in bad)}


# reason prefix -> short name in the summary line
_REASON_KINDS = (
    ("not UTF-8", "not UTF-8"), ("UTF-16", "UTF-16/32"), ("UTF-32", "UTF-16/32"),
    ("binary file", "binary"), ("empty text", "empty"), ("text too large", "too large"),
    ("malformed", "malformed"), ("duplicate document id", "duplicate id"),
    ("manifest", "bad manifest date"), ("not a readable", "unreadable file"),
    ("cannot read", "unreadable file"), ("no ", "missing column"),
)


def _reason_kind(reason: str) -> str:
    """A short name for a reason, for the summary line."""
    return next((kind for prefix, kind in _REASON_KINDS if reason.startswith(prefix)), "invalid")


def summary_line(summary: dict[str, Any]) -> str:
    parts = [f"{summary['documents']} document{'s' if summary['documents'] != 1 else ''} read"]
    if summary["bad"]:
        reasons = ", ".join(f"{n} {k}" for k, n in summary["bad_reasons"].most_common())
        parts.append(f"{summary['bad']} bad record{'s' if summary['bad'] != 1 else ''} ({reasons})")
    if summary["warnings"]:
        parts.append(f"{summary['warnings']} warning{'s' if summary['warnings'] != 1 else ''}")
    return "; ".join(parts)


@click.command(name="read")
@click.argument("input_path", metavar="INPUT")
@click.option("--date", default=None, metavar="YYYY[-MM[-DD]]",
              help="Date of the documents for which none is found (file-name prefix, dateline, metadata).")
@click.option("-o", "--output", default="-", metavar="OUT.jsonl", show_default=True,
              help="Where to write the documents as JSON Lines (- for standard output).")
@click.option("--text-column", default="text", show_default=True,
              help="Column holding the text in datasets, Parquet, JSON, JSONL and CSV inputs.")
@click.option("--id-column", default="id", show_default=True, help="Column holding the document id.")
@click.option("--date-column", default="date", show_default=True, help="Column holding the date.")
@click.option("--max-size", "max_mb", type=float, default=DEFAULT_MAX_MB, show_default=True,
              help="Report texts larger than this many million bytes (or characters) as bad "
                   "records instead of reading them; 0 for no limit.")
@click.option("--split", default=None, help="Read only this split of a saved DatasetDict.")
@click.option("--no-language", is_flag=True, help="Do not detect the language of each text.")
@click.option("--strict", is_flag=True, help="Exit with status 1 when any record is bad.")
@click.option("-q", "--quiet", is_flag=True, help="Print only the summary line, not each problem.")
def command(input_path, date, output, text_column, id_column, date_column, max_mb, split,
            no_language, strict, quiet):
    """Read INPUT and write its documents as FORMAT.md JSON Lines.

    INPUT is a .txt, .html, .jsonl, .json, .parquet, .csv/.tsv file, a folder
    of texts (with an optional MANIFEST.tsv), a folder saved by datasets'
    save_to_disk, or - for text on standard input. Each bad record and each
    warning is printed on standard error, then a one-line summary.
    """
    def on_bad(record):
        if not quiet:
            click.echo(f"bad record: {describe(record)}", err=True)

    def on_warning(message):
        if not quiet:
            click.echo(f"warning: {message}", err=True)

    summary = read_to_jsonl(
        input_path, output, on_bad=on_bad, on_warning=on_warning, date=date,
        text_column=text_column, columns={"id": id_column, "date": date_column},
        max_mb=max_mb or None, language=not no_language, split=split)
    click.echo(summary_line(summary), err=True)
    if strict and summary["bad"]:
        raise SystemExit(1)

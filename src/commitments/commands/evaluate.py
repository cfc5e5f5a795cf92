"""``commitments evaluate``: score predictions against gold (FORMAT.md scoring).

A thin wrapper over :func:`commitments.evaluate.evaluate_files`: ``--json``
prints the result dict as is; otherwise rich tables per layer, per label, for
links, and the worst documents.
"""
from __future__ import annotations

import json
from typing import Any

import click

from ..evaluate import DEFAULT_IOU, UNIT_AVERAGES, UNIT_LABEL, UNITS, evaluate_files

UNIT_NAMES = {
    "segments": "segments",
    "actors": "actors",
    "commitments": "commitments",
    "commitments_lenient": "commitments, lenient",
    "points": "points lists",
    "points_items": "points items",
}


def _fmt(value: Any) -> str:
    return "-" if value is None else f"{value:.3f}"


def _layer_table(result: dict[str, Any]):
    from rich.table import Table

    table = Table(title="Layers", title_justify="left")
    for name in ("layer", "P", "R", "F1", "gold", "pred", "tp", "docs"):
        table.add_column(name, justify="left" if name == "layer" else "right")
    for unit in UNITS:
        counts = result[f"{unit}_counts"]
        if counts is None:
            continue
        table.add_row(UNIT_NAMES[unit], _fmt(result[f"{unit}_p"]), _fmt(result[f"{unit}_r"]),
                      _fmt(result[f"{unit}_f"]), str(counts["gold"]), str(counts["pred"]),
                      str(counts["tp"]), str(counts["docs"]))
    return table


def _attribute_table(result: dict[str, Any]):
    from rich.table import Table

    table = Table(title="Attributes on matches", title_justify="left")
    for name in ("layer", "attribute", "score", "right", "scored"):
        table.add_column(name, justify="left" if name in ("layer", "attribute") else "right")
    for unit in UNITS:
        counts = result[f"{unit}_counts"]
        if counts is None or unit == "commitments_lenient":
            continue
        for name in UNIT_AVERAGES[unit]:
            total, n = counts[name]
            right = f"{total:.2f}" if isinstance(total, float) and not total.is_integer() else str(int(total))
            table.add_row(UNIT_NAMES[unit], name, _fmt(result[f"{unit}_{name}"]), right, str(n))
    return table


def _label_table(result: dict[str, Any]):
    from rich.table import Table

    table = Table(title="Per label (a true positive needs the same label on both sides)",
                  title_justify="left")
    for name in ("layer", "label", "P", "R", "F1", "gold", "pred", "tp"):
        table.add_column(name, justify="left" if name in ("layer", "label") else "right")
    for unit in UNITS:
        if unit not in UNIT_LABEL or unit == "commitments_lenient" or result[f"{unit}_counts"] is None:
            continue
        for label, row in result[f"{unit}_per_type"].items():
            table.add_row(UNIT_NAMES[unit], str(label), _fmt(row["p"]), _fmt(row["r"]), _fmt(row["f"]),
                          str(row["gold"]), str(row["pred"]), str(row["tp"]))
    return table


def _links_table(result: dict[str, Any]):
    from rich.table import Table

    counts = result["links_counts"]
    table = Table(title=f"Links ({counts['gold']} gold, {counts['pred']} predicted)",
                  title_justify="left")
    for name in ("gold status", "recall@1", "recall@5", "MRR", "gold"):
        table.add_column(name, justify="left" if name == "gold status" else "right")
    for label, row in result["links_per_type"].items():
        table.add_row(label, _fmt(row["r1"]), _fmt(row["r5"]), _fmt(row["mrr"]), str(row["gold"]))
    table.add_row("all", _fmt(result["links_r1"]), _fmt(result["links_r5"]),
                  _fmt(result["links_mrr"]), str(counts["gold"]), style="bold")
    return table


def worst_documents(result: dict[str, Any], n: int) -> tuple[str, list[tuple[str, dict[str, Any]]]]:
    """The ``n`` worst documents: by commitments F1 where the commitments
    layer was scored, else by F1 pooled over all layers (``all_f``); ties go
    to the document with more errors. Returns (the figure used, rows)."""
    per_doc = result["per_doc"]
    by = "commitments_f" if any(d.get("commitments_f") is not None for d in per_doc.values()) else "all_f"

    def errors(d: dict[str, Any]) -> int:
        c = d.get("commitments_counts") or {"gold": 0, "pred": 0, "tp": 0}
        return c["gold"] + c["pred"] - 2 * c["tp"]

    rows = [(doc_id, d) for doc_id, d in per_doc.items() if d.get(by) is not None]
    rows.sort(key=lambda kv: (kv[1][by], -errors(kv[1]), kv[0]))
    return by, rows[:n]


def _worst_table(result: dict[str, Any], n: int):
    from rich.table import Table

    by, rows = worst_documents(result, n)
    table = Table(title=f"{len(rows)} worst documents by {by} (P/R/F1/gold/pred: commitments; "
                        "all F1: every layer pooled)", title_justify="left")
    for name in ("document", "P", "R", "F1", "gold", "pred", "all F1"):
        if name == "document":
            table.add_column(name, overflow="fold")
        else:
            table.add_column(name, justify="right")
    for doc_id, d in rows:
        c = d.get("commitments_counts") or {}
        table.add_row(doc_id, _fmt(d.get("commitments_p")), _fmt(d.get("commitments_r")),
                      _fmt(d.get("commitments_f")), str(c.get("gold", "-")), str(c.get("pred", "-")),
                      _fmt(d.get("all_f")))
    return table


def print_report(result: dict[str, Any], per_doc: int = 5) -> None:
    """Print the human report of an evaluation result with rich."""
    from rich.console import Console

    out = Console()
    err = Console(stderr=True)
    for warning in result["warnings"]:
        err.print(f"[yellow]Warning:[/] {warning}", highlight=False, soft_wrap=True)
    docs = result["docs"]
    out.print(f"Scored {docs['scored']} gold document(s) against {docs['pred']} predicted; "
              f"spans match at IoU >= {result['iou']:g}.", highlight=False)
    if not any(result[f"{u}_counts"] for u in UNITS):
        out.print("No layer was scored: no document has the same layer annotated on both sides.")
    else:
        for table in (_layer_table(result), _attribute_table(result), _label_table(result)):
            out.print(table)
    if result["links_counts"] is not None:
        out.print(_links_table(result))
        out.print(f"status accuracy on hits: {_fmt(result['links_status_acc'])}   "
                  f"kept links P {_fmt(result['links_kept_p'])} R {_fmt(result['links_kept_r'])} "
                  f"F1 {_fmt(result['links_kept_f'])}", highlight=False)
    if per_doc > 0 and result["per_doc"]:
        out.print(_worst_table(result, per_doc))


@click.command(name="evaluate")
@click.argument("gold", metavar="GOLD")
@click.argument("pred", metavar="PRED")
@click.option("--links", nargs=2, default=None, metavar="GOLD_LINKS PRED_LINKS",
              help="Also score follow-through links (JSON Lines of links).")
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON (machine output).")
@click.option("--per-doc", type=click.IntRange(min=0), default=5, show_default=True,
              help="How many of the worst documents to list.")
@click.option("--iou", type=click.FloatRange(0.0, 1.0, min_open=True), default=DEFAULT_IOU,
              show_default=True, help="Span IoU needed for a match.")
def command(gold: str, pred: str, links: tuple[str, str] | None, as_json: bool, per_doc: int,
            iou: float) -> None:
    """Score PRED documents against GOLD documents (JSON Lines, FORMAT.md).

    Reports precision, recall and F1 per layer, attribute accuracies on
    matched records, figures per label and the worst documents.
    """
    gold_links, pred_links = links if links else (None, None)
    result = evaluate_files(gold, pred, gold_links, pred_links, iou=iou)
    if as_json:
        for warning in result["warnings"]:
            click.echo(f"Warning: {warning}", err=True)
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print_report(result, per_doc)

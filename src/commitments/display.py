"""Readable views of a tagged :class:`~commitments.model.Document`.

Plain functions from a document to rich renderables (terminal) or to an HTML
string (one self-contained page, no external files); ``commitments tag``
prints them.
"""
from __future__ import annotations

import html
from typing import Iterable

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from .model import Commitment, Document

MODALITY_STYLE = {"firm": "bold black on #f59c9c", "qualified": "bold black on #f5dfb0"}
ACTOR_STYLE = "underline cyan"


def _short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def warnings_of(doc: Document) -> list[str]:
    """The document's warnings (``extra["warnings"]``), as strings."""
    value = doc.extra.get("warnings") or []
    return [str(w) for w in value] if isinstance(value, list) else [str(value)]


def highlighted_text(doc: Document) -> Text:
    """The text with commitments highlighted (by modality, numbered by id)
    and actor mentions underlined."""
    text = Text(doc.text)
    for actor in doc.actors or []:
        text.stylize(ACTOR_STYLE, actor.start, actor.end)
    for com in doc.commitments or []:
        text.stylize(MODALITY_STYLE.get(com.modality, "bold reverse"), com.start, com.end)
    # commitment ids as small tags before each span (inserted from the end)
    out = Text()
    pos = 0
    for com in sorted(doc.commitments or [], key=lambda c: c.start):
        out.append_text(text[pos:com.start])
        out.append(f"[{com.id}]", style="bold magenta")
        pos = com.start
    out.append_text(text[pos:])
    return out


def commitments_table(doc: Document) -> Table:
    table = Table(title=f"Commitments ({len(doc.commitments or [])})", show_lines=False,
                  title_justify="left")
    for name in ("id", "commitment", "holders", "kind", "modality", "deadline", "points"):
        table.add_column(name, overflow="fold")
    for com in doc.commitments or []:
        where = f"{com.points} #{com.item}" if com.points and com.item else (com.points or "")
        table.add_row(com.id, _short(com.text, 70), ", ".join(com.holders) or "-", com.kind,
                      Text(com.modality, style=MODALITY_STYLE.get(com.modality, "")),
                      com.deadline or "-", where or "-")
    return table


def segments_table(doc: Document) -> Table:
    table = Table(title=f"Segments ({len(doc.segments or [])})", title_justify="left")
    for name in ("span", "kind", "voice", "reporter", "begins"):
        table.add_column(name, overflow="fold")
    for seg in doc.segments or []:
        table.add_row(f"{seg.start}-{seg.end}", seg.kind, seg.voice or "-", seg.reporter or "-",
                      _short(doc.text[seg.start:seg.end], 60))
    return table


def points_tree(doc: Document) -> Tree:
    tree = Tree(f"Points lists ({len(doc.points or [])})")
    for pts in doc.points or []:
        declared = f", declares {pts.declared_count}" if pts.declared_count else ""
        branch = tree.add(f"[bold]{pts.id}[/bold] {pts.status}, {len(pts.items)} item(s){declared}")
        for item in pts.items:
            branch.add(Text(f"{item.label}: {_short(doc.text[item.start:item.end], 80)}"))
    return tree


def document_view(doc: Document) -> Group:
    """Everything about one document, for a terminal."""
    header = doc.id + (f" ({doc.date})" if doc.date else "")
    parts: list = [Panel(highlighted_text(doc), title=header, title_align="left")]
    if doc.commitments is not None:
        parts.append(commitments_table(doc))
    if doc.segments is not None:
        parts.append(segments_table(doc))
    if doc.points is not None:
        parts.append(points_tree(doc))
    warnings = warnings_of(doc)
    if warnings:
        parts.append(Panel("\n".join(f"- {w}" for w in warnings), title="Warnings",
                           title_align="left", border_style="yellow"))
    return Group(*parts)


# --------------------------------------------------------------------- HTML
_CSS = """
body{font:15px/1.55 system-ui,sans-serif;margin:2rem auto;max-width:60rem;color:#222;padding:0 1rem}
h1{font-size:1.3rem}h2{font-size:1.1rem;margin-top:2rem}
.seg{border-left:4px solid #ccc;padding:.2rem .8rem;margin:.6rem 0;white-space:pre-wrap}
.seg-statement{border-color:#3b82f6}.seg-readout{border-color:#8b5cf6}.seg-consensus{border-color:#10b981}
.seg-commentary{border-color:#9ca3af}.seg-boilerplate{border-color:#e5e7eb;color:#888}
.badge{display:inline-block;font:600 11px/1.6 system-ui;padding:0 .4rem;border-radius:3px;
background:#eee;color:#333;margin-right:.3rem;white-space:nowrap}
.actor{border-bottom:2px solid #0891b2}
.com{border-radius:2px}.com.firm{background:#fbd0d0}.com.qualified{background:#fbecc8}
.pts{background:#fff7e0}.item-label{background:#fde68a}
.com-id{font:700 10px system-ui;color:#a21caf;vertical-align:super}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border:1px solid #ddd;padding:.25rem .4rem;
text-align:left;vertical-align:top}th{background:#f4f4f4}
.warn{background:#fff7e6;border:1px solid #f5c26b;padding:.5rem 1rem}
.legend span{margin-right:1rem}
"""


def _pieces(doc: Document, start: int, end: int) -> str:
    """HTML for ``text[start:end]``: cut at every inline span boundary, each
    piece wrapped with the classes of the spans over it."""
    inline = []  # (start, end, classes, title, tag html at start)
    for a in doc.actors or []:
        inline.append((a.start, a.end, "actor", f"{a.type}: {a.key or a.text}", ""))
    for p in doc.points or []:
        inline.append((p.start, p.end, "pts", f"points {p.id} ({p.status})", ""))
        for it in p.items:
            inline.append((it.start, it.end, "item", f"item {it.label} of {p.id}",
                           f'<span class="badge item-label">{html.escape(it.label)}</span>'))
    for c in doc.commitments or []:
        title = (f"{c.id}: {c.kind}, {c.modality}; holders {', '.join(c.holders) or '-'}; "
                 f"deadline {c.deadline or '-'}")
        inline.append((c.start, c.end, f"com {c.modality}", title,
                       f'<span class="com-id">{html.escape(c.id)}</span>'))
    cuts = sorted({start, end, *(x for s in inline for x in s[:2] if start < x < end)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        over = [s for s in inline if s[0] <= a and b <= s[1]]
        for s in inline:
            if s[0] == a and s[4]:
                out.append(s[4])
        piece = html.escape(doc.text[a:b])
        for s in sorted(over, key=lambda s: s[0] - s[1]):  # widest outermost
            piece = f'<span class="{s[2]}" title="{html.escape(s[3], quote=True)}">{piece}</span>'
        out.append(piece)
    return "".join(out)


def text_html(doc: Document) -> str:
    """The annotated text: one block per segment (kind and voice as a badge),
    actors underlined, commitments highlighted by modality, points lists
    marked with their item labels."""
    blocks, pos = [], 0
    for seg in sorted(doc.segments or [], key=lambda s: s.start):
        if seg.start > pos and doc.text[pos:seg.start].strip():
            blocks.append(f'<div class="seg">{_pieces(doc, pos, seg.start)}</div>')
        who = f" \u00b7 {seg.voice}" if seg.voice else ""
        rep = f" (via {seg.reporter})" if seg.reporter else ""
        badge = f'<span class="badge">{html.escape(seg.kind + who + rep)}</span>'
        blocks.append(f'<div class="seg seg-{html.escape(seg.kind)}">{badge}'
                      f'{_pieces(doc, seg.start, seg.end)}</div>')
        pos = max(pos, seg.end)
    if pos < len(doc.text) and doc.text[pos:].strip():
        blocks.append(f'<div class="seg">{_pieces(doc, pos, len(doc.text))}</div>')
    return "\n".join(blocks)


def _table(headers: Iterable[str], rows: Iterable[Iterable[str]], cls: str = "") -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
                   for row in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _commitment_row(c: Commitment) -> list[str]:
    return [c.id, c.text, ", ".join(c.holders) or "-", c.kind, c.modality, c.deadline or "-",
            f"{c.points or '-'} {('#' + c.item) if c.item else ''}".strip()]


def document_html(docs: Document | list[Document]) -> str:
    """One self-contained HTML page showing every layer of the documents."""
    docs = [docs] if isinstance(docs, Document) else list(docs)
    sections = []
    for doc in docs:
        meta = " \u00b7 ".join(x for x in (doc.date, doc.genre, doc.title) if x)
        parts = [f"<h1>{html.escape(doc.id)}</h1>", f"<p>{html.escape(meta)}</p>" if meta else "",
                 '<p class="legend"><span class="com firm">firm commitment</span>'
                 '<span class="com qualified">qualified commitment</span>'
                 '<span class="actor">actor mention</span><span class="pts">points list</span></p>',
                 text_html(doc)]
        warnings = warnings_of(doc)
        if warnings:
            items = "".join(f"<li>{html.escape(w)}</li>" for w in warnings)
            parts.append(f'<div class="warn"><b>Warnings</b><ul>{items}</ul></div>')
        if doc.commitments is not None:
            parts.append(f"<h2>Commitments ({len(doc.commitments)})</h2>")
            parts.append(_table(["id", "commitment", "holders", "kind", "modality", "deadline", "points"],
                                (_commitment_row(c) for c in doc.commitments), "commitments"))
        if doc.segments is not None:
            parts.append(f"<h2>Segments ({len(doc.segments)})</h2>")
            parts.append(_table(["span", "kind", "voice", "reporter", "begins"],
                                ([f"{s.start}-{s.end}", s.kind, s.voice or "-", s.reporter or "-",
                                  _short(doc.text[s.start:s.end], 80)] for s in doc.segments)))
        if doc.actors is not None:
            parts.append(f"<h2>Actor mentions ({len(doc.actors)})</h2>")
            parts.append(_table(["text", "type", "key", "country"],
                                ([a.text, a.type, a.key or "-", a.country or "-"] for a in doc.actors)))
        if doc.points is not None:
            parts.append(f"<h2>Points lists ({len(doc.points)})</h2>")
            for p in doc.points:
                declared = f", declares {p.declared_count}" if p.declared_count else ""
                parts.append(f"<p><b>{html.escape(p.id)}</b> {html.escape(p.status)}{declared}</p>")
                parts.append(_table(["label", "item"], ([i.label, _short(doc.text[i.start:i.end], 120)]
                                                         for i in p.items)))
        sections.append("<section>" + "\n".join(x for x in parts if x) + "</section>")
    title = html.escape(docs[0].id if len(docs) == 1 else f"{len(docs)} documents")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{title}</title><style>{_CSS}</style></head><body>\n"
            + "\n<hr>\n".join(sections) + "\n</body></html>\n")

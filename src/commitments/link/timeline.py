"""Views of a commitment's follow-through for scholars: a terminal view
(rich) and a self-contained HTML timeline.

``build_timeline`` gathers, for one commitment, its holders and deadline and
each linked later document with date, source, evidence sentence and status,
in date order; the two renderers only format that plain structure.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field

from ..errors import InputError
from ..model import Document, Link

STATUS_COLOURS = {"fulfilled": "#1a7f37", "partial": "#9a6700", "reaffirmed": "#0969da",
                  "contradicted": "#cf222e"}
RICH_COLOURS = {"fulfilled": "green", "partial": "yellow", "reaffirmed": "blue", "contradicted": "red"}


@dataclass
class Event:
    date: str | None
    doc: str
    title: str | None
    source: str | None
    status: str
    evidence: str
    score: float | None
    kept: bool | None


@dataclass
class Timeline:
    key: str
    date: str | None
    title: str | None
    text: str
    holders: list[str]
    deadline: str | None
    kind: str
    modality: str
    events: list[Event] = field(default_factory=list)


def build_timeline(key: str, commitment_docs: dict[str, Document], links: list[Link],
                   corpus: dict[str, Document], kept_only: bool = False) -> Timeline:
    """The timeline of commitment ``key`` (``DOC#ID``)."""
    if "#" not in key:
        raise InputError(f"{key!r} is not a commitment reference DOC#ID")
    doc_id, cid = key.split("#", 1)
    doc = commitment_docs.get(doc_id)
    if doc is None:
        raise InputError(f"no document {doc_id!r} in the commitments input")
    com = doc.commitment(cid)
    if com is None:
        raise InputError(f"document {doc_id!r} has no commitment {cid!r}")
    tl = Timeline(key=key, date=doc.date, title=doc.title, text=com.text or doc.text[com.start:com.end],
                  holders=list(com.holders), deadline=com.deadline, kind=com.kind, modality=com.modality)
    for link in links:
        if link.commitment != key or (kept_only and link.extra.get("kept") is False):
            continue
        later = corpus.get(link.doc)
        evidence = (later.text[link.start:link.end] if later is not None
                    else link.extra.get("evidence", ""))
        tl.events.append(Event(date=later.date if later else None, doc=link.doc,
                               title=later.title if later else None, source=later.source if later else None,
                               status=link.status, evidence=evidence, score=link.score,
                               kept=link.extra.get("kept")))
    tl.events.sort(key=lambda e: (e.date or "", -(e.score or 0)))
    return tl


def render_terminal(tl: Timeline, console) -> None:
    """Print a timeline with rich."""
    from rich.panel import Panel
    from rich.table import Table

    head = (f"[bold]{html.unescape(tl.text)}[/]\n"
            f"holders: {', '.join(tl.holders) or '-'}   deadline: {tl.deadline or '-'}   "
            f"{tl.kind}, {tl.modality}\n[dim]{tl.key} ({tl.date or 'undated'}) {tl.title or ''}[/]")
    console.print(Panel(head, title="commitment", expand=True))
    if not tl.events:
        console.print("[dim]no later evidence linked[/]")
        return
    table = Table(show_lines=True, expand=True)
    table.add_column("date", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("evidence")
    table.add_column("source")
    for e in tl.events:
        colour = RICH_COLOURS.get(e.status, "white")
        mark = "" if e.kept is not False else " [dim](not kept)[/]"
        score = f" [dim]{e.score:.2f}[/]" if e.score is not None else ""
        table.add_row(e.date or "?", f"[{colour}]{e.status}[/]{mark}{score}", e.evidence,
                      f"{e.title or e.doc}\n[dim]{e.source or ''}[/]")
    console.print(table)


_CSS = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1f2328}
.commitment{border:1px solid #d0d7de;border-radius:8px;padding:1rem;margin-bottom:1.5rem;background:#f6f8fa}
.meta{color:#57606a;font-size:.9em}
.timeline{border-left:3px solid #d0d7de;margin-left:.5rem;padding-left:1.2rem}
.event{margin:0 0 1.2rem 0;position:relative}
.event::before{content:"";position:absolute;left:-1.75rem;top:.3rem;width:.8rem;height:.8rem;
border-radius:50%;background:var(--c)}
.status{font-weight:600;color:var(--c)}
.notkept{opacity:.6}
blockquote{margin:.3rem 0;padding-left:.8rem;border-left:2px solid #d0d7de}
"""


def render_html(timelines: list[Timeline]) -> str:
    """A self-contained HTML page with one timeline per commitment."""
    e = html.escape
    parts = ["<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
             "<title>Commitment follow-through</title>", f"<style>{_CSS}</style></head><body>"]
    for tl in timelines:
        parts.append("<section class='commitment'>")
        parts.append(f"<h2>{e(tl.text)}</h2>")
        parts.append(f"<p class='meta'>holders: {e(', '.join(tl.holders) or '-')} &middot; deadline: "
                     f"{e(tl.deadline or '-')} &middot; {e(tl.kind)}, {e(tl.modality)}<br>"
                     f"{e(tl.key)} ({e(tl.date or 'undated')}) {e(tl.title or '')}</p>")
        parts.append("<div class='timeline'>")
        if not tl.events:
            parts.append("<p class='meta'>no later evidence linked</p>")
        for ev in tl.events:
            colour = STATUS_COLOURS.get(ev.status, "#57606a")
            cls = "event" + (" notkept" if ev.kept is False else "")
            src = (f"<a href='{e(ev.source)}'>{e(ev.title or ev.doc)}</a>" if ev.source
                   and ev.source.startswith(("http://", "https://")) else e(ev.title or ev.doc))
            score = f" &middot; score {ev.score:.2f}" if ev.score is not None else ""
            parts.append(f"<div class='{cls}' style='--c:{colour}'><div><b>{e(ev.date or '?')}</b> "
                         f"<span class='status'>{e(ev.status)}</span>"
                         f"<span class='meta'>{score}{' &middot; not kept' if ev.kept is False else ''}"
                         f"</span></div><blockquote>{e(ev.evidence)}</blockquote>"
                         f"<div class='meta'>{src}</div></div>")
        parts.append("</div></section>")
    parts.append("</body></html>")
    return "\n".join(parts)

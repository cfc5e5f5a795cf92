"""The corpus report: one self-contained HTML page (inline CSS, JS and SVG).

Counts per holder, kind, modality and year; charts of commitments per year
and per holder and of follow-through status shares; and a sortable,
filterable table of every commitment with its follow-through status and
evidence. :func:`build_report` returns the page; :func:`report_data` the
numbers behind it (a dict, for tests and other front ends).
"""
from __future__ import annotations

import html
import json
from collections import Counter
from typing import Any, Iterable

from . import __version__
from .model import LINK_STATUSES, Document, Link, date_key

NO_LINK = "no evidence"
STATUS_COLOURS = {"fulfilled": "#16a34a", "partial": "#84cc16", "reaffirmed": "#3b82f6",
                  "contradicted": "#dc2626", NO_LINK: "#d1d5db"}


def _year(date: str | None) -> str:
    return date[:4] if date else "undated"


def _snippet(text: str, width: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def report_data(documents: Iterable[Document], links: Iterable[Link] = (),
                corpus: Iterable[Document] = ()) -> dict[str, Any]:
    """Rows (one per commitment) and counts.

    A commitment's status is that of its link to the latest later document
    (by date, then by score); all its links are listed as evidence, with
    the evidence text when the linked document is in ``documents`` or
    ``corpus``.
    """
    documents = list(documents)
    texts = {d.id: d for d in corpus}
    texts.update({d.id: d for d in documents})
    by_commitment: dict[str, list[Link]] = {}
    for link in links:
        by_commitment.setdefault(link.commitment, []).append(link)
    rows = []
    for doc in documents:
        for com in doc.commitments or []:
            key = f"{doc.id}#{com.id}"
            found = sorted(by_commitment.get(key, []),
                           key=lambda l: (date_key(texts[l.doc].date) if l.doc in texts else "",
                                          l.score or 0.0), reverse=True)
            evidence = []
            for link in found:
                later = texts.get(link.doc)
                snippet = _snippet(later.text[link.start:link.end]) if later else ""
                evidence.append({"doc": link.doc, "date": later.date if later else None,
                                 "status": link.status, "text": snippet,
                                 "score": link.score})
            rows.append({
                "doc": doc.id, "date": doc.date or "", "year": _year(doc.date), "id": com.id,
                "text": com.text or doc.text[com.start:com.end], "holders": list(com.holders),
                "kind": com.kind, "modality": com.modality, "deadline": com.deadline or "",
                "item": f"{com.points} #{com.item}" if com.points and com.item else "",
                "status": found[0].status if found else NO_LINK, "evidence": evidence,
            })
    counts = {
        "holder": Counter(h for r in rows for h in (r["holders"] or ["(none)"])),
        "kind": Counter(r["kind"] for r in rows),
        "modality": Counter(r["modality"] for r in rows),
        "year": Counter(r["year"] for r in rows),
        "status": Counter(r["status"] for r in rows),
    }
    return {"documents": len(documents), "commitments": len(rows),
            "links": sum(len(r["evidence"]) for r in rows), "rows": rows, "counts": counts}


# ------------------------------------------------------------------ charts
def bar_chart_svg(counts: list[tuple[str, int]], title: str, colour: str = "#6366f1",
                  vertical: bool = True) -> str:
    """A bar chart as inline SVG (vertical bars for years, horizontal for names)."""
    if not counts:
        return f'<svg role="img" aria-label="{html.escape(title)}" width="10" height="10"></svg>'
    top = max(v for _k, v in counts) or 1
    esc = html.escape
    parts = []
    if vertical:
        bar, gap, height = 28, 8, 160
        width = len(counts) * (bar + gap) + 40
        for i, (label, value) in enumerate(counts):
            h = round(value / top * height)
            x = 30 + i * (bar + gap)
            y = 20 + height - h
            parts.append(f'<rect x="{x}" y="{y}" width="{bar}" height="{h}" fill="{colour}">'
                         f"<title>{esc(label)}: {value}</title></rect>"
                         f'<text x="{x + bar / 2}" y="{y - 4}" text-anchor="middle">{value}</text>'
                         f'<text x="{x + bar / 2}" y="{height + 36}" text-anchor="middle">{esc(label)}</text>')
        total_h = height + 50
    else:
        bar, gap, width, label_w = 18, 6, 640, 200
        for i, (label, value) in enumerate(counts):
            w = round(value / top * (width - label_w - 50))
            y = 10 + i * (bar + gap)
            parts.append(f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{esc(label[:32])}</text>'
                         f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar}" fill="{colour}">'
                         f"<title>{esc(label)}: {value}</title></rect>"
                         f'<text x="{label_w + w + 4}" y="{y + 13}">{value}</text>')
        total_h = 20 + len(counts) * (bar + gap)
    return (f'<svg role="img" aria-label="{esc(title)}" class="chart" width="{width}" height="{total_h}" '
            f'xmlns="http://www.w3.org/2000/svg" font-size="11">{"".join(parts)}</svg>')


def status_svg(status: Counter, width: int = 760) -> str:
    """Follow-through status shares as one stacked bar with a legend."""
    total = sum(status.values()) or 1
    order = [*LINK_STATUSES, NO_LINK]
    x, parts, legend = 0.0, [], []
    for i, name in enumerate(order):
        n = status.get(name, 0)
        w = n / total * width
        if n:
            parts.append(f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="26" fill="{STATUS_COLOURS[name]}">'
                         f"<title>{name}: {n} ({n / total:.0%})</title></rect>")
        x += w
        legend.append(f'<rect x="{i * 150}" y="36" width="12" height="12" fill="{STATUS_COLOURS[name]}"/>'
                      f'<text x="{i * 150 + 16}" y="47">{name} {n} ({n / total:.0%})</text>')
    return (f'<svg role="img" aria-label="follow-through status" class="chart" width="{width}" height="56" '
            f'xmlns="http://www.w3.org/2000/svg" font-size="11">{"".join(parts + legend)}</svg>')


# ------------------------------------------------------------------ page
_CSS = """
body{font:14px/1.5 system-ui,sans-serif;margin:1.5rem auto;max-width:78rem;padding:0 1rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.8rem}
.cards{display:flex;gap:1rem;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:6px;padding:.5rem 1rem}
.card b{display:block;font-size:1.4rem}
.counts{display:flex;gap:2rem;flex-wrap:wrap;align-items:flex-start}.counts table{width:auto}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border:1px solid #ddd;padding:.25rem .4rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}#commitments th{cursor:pointer;user-select:none}
#commitments th.asc::after{content:" \\25B2"}#commitments th.desc::after{content:" \\25BC"}
.st{display:inline-block;padding:0 .4rem;border-radius:3px;color:#fff;font-weight:600}
.ev{color:#444;font-size:12px;margin:.15rem 0}
input#filter{padding:.3rem;width:20rem;margin:.5rem 0}
"""

_JS = r"""
(function () {
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var colours = JSON.parse(document.getElementById('status-colours').textContent);
  var table = document.getElementById('commitments');
  var body = table.querySelector('tbody');
  var state = {key: 'date', dir: -1, filter: ''};
  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c];
    });
  }
  function value(row, key) {
    var v = row[key];
    return Array.isArray(v) ? v.join(', ') : (v === null || v === undefined ? '' : String(v));
  }
  function compare(a, b) {
    var x = value(a, state.key), y = value(b, state.key);
    if (x !== y) { return (x < y ? -1 : 1) * state.dir; }
    var u = a.doc + '#' + a.id, w = b.doc + '#' + b.id;
    return u < w ? -1 : (u > w ? 1 : 0);
  }
  function render() {
    var f = state.filter.toLowerCase();
    var rows = data.filter(function (r) {
      return !f || JSON.stringify(r).toLowerCase().indexOf(f) >= 0;
    }).sort(compare);
    body.innerHTML = rows.map(function (r) {
      var ev = r.evidence.map(function (e) {
        return '<div class="ev"><b>' + esc(e.status) + '</b> ' + esc(e.doc) +
          (e.date ? ' (' + esc(e.date) + ')' : '') + (e.text ? ': ' + esc(e.text) : '') + '</div>';
      }).join('');
      return '<tr data-key="' + esc(r.doc + '#' + r.id) + '"><td>' + esc(r.date) + '</td><td>' +
        esc(r.doc) + '</td><td>' + esc(r.id) + '</td><td>' + esc(r.holders.join(', ')) +
        '</td><td>' + esc(r.kind) + '</td><td>' + esc(r.modality) + '</td><td>' + esc(r.deadline) +
        '</td><td>' + esc(r.text) + (r.item ? ' <i>(' + esc(r.item) + ')</i>' : '') +
        '</td><td><span class="st" style="background:' + (colours[r.status] || '#999') + '">' +
        esc(r.status) + '</span></td><td>' + ev + '</td></tr>';
    }).join('');
    document.getElementById('shown').textContent = rows.length + ' of ' + data.length;
    table.querySelectorAll('th').forEach(function (th) {
      th.className = th.dataset.key === state.key ? (state.dir > 0 ? 'asc' : 'desc') : '';
    });
    table.setAttribute('data-sorted-by', state.key + (state.dir > 0 ? ' asc' : ' desc'));
  }
  table.querySelectorAll('th').forEach(function (th) {
    th.addEventListener('click', function () {
      state.dir = state.key === th.dataset.key ? -state.dir : 1;
      state.key = th.dataset.key;
      render();
    });
  });
  document.getElementById('filter').addEventListener('input', function (e) {
    state.filter = e.target.value; render();
  });
  render();
})();
"""

COLUMNS = (("date", "date"), ("doc", "document"), ("id", "id"), ("holders", "holders"),
           ("kind", "kind"), ("modality", "modality"), ("deadline", "deadline"),
           ("text", "commitment"), ("status", "status"), ("evidence", "evidence"))


def _counts_table(title: str, counter: Counter, limit: int = 25) -> str:
    ordered = sorted(counter.items()) if title == "year" else counter.most_common()
    rows = "".join(f"<tr><td>{html.escape(str(k))}</td><td>{v}</td></tr>" for k, v in ordered[:limit])
    more = f"<tr><td colspan=2>\u2026 {len(counter) - limit} more</td></tr>" if len(counter) > limit else ""
    return (f'<table class="count" data-count="{html.escape(title)}"><thead><tr><th>{html.escape(title)}'
            f"</th><th>commitments</th></tr></thead><tbody>{rows}{more}</tbody></table>")


def _json_script(element_id: str, value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/json" id="{element_id}">{text}</script>'


def build_report(documents: Iterable[Document], links: Iterable[Link] = (),
                 corpus: Iterable[Document] = (), title: str = "Commitments report") -> str:
    """The report page as one HTML string (no external resources)."""
    data = report_data(documents, links, corpus)
    counts = data["counts"]
    years = sorted(counts["year"].items())
    holders = counts["holder"].most_common(15)
    head = "".join(f'<th data-key="{k}">{html.escape(label)}</th>' for k, label in COLUMNS)
    esc = html.escape
    body = [
        f"<h1>{esc(title)}</h1>",
        '<div class="cards">'
        f'<div class="card"><b>{data["documents"]}</b>documents</div>'
        f'<div class="card"><b>{data["commitments"]}</b>commitments</div>'
        f'<div class="card"><b>{data["links"]}</b>follow-through links</div></div>',
        "<h2>Follow-through status</h2>", status_svg(counts["status"]),
        "<h2>Commitments per year</h2>", bar_chart_svg(years, "commitments per year"),
        "<h2>Commitments per holder (top 15)</h2>",
        bar_chart_svg(holders, "commitments per holder", "#0891b2", vertical=False),
        "<h2>Counts</h2>",
        '<div class="counts">' + "".join(_counts_table(name, counts[name])
                                         for name in ("holder", "kind", "modality", "year")) + "</div>",
        "<h2>Commitments</h2>",
        '<input id="filter" type="search" placeholder="filter (any text)"> <span id="shown"></span>',
        f'<table id="commitments"><thead><tr>{head}</tr></thead><tbody></tbody></table>',
        '<noscript>The table needs JavaScript; the counts above do not.</noscript>',
        _json_script("report-data", data["rows"]), _json_script("status-colours", STATUS_COLOURS),
        f"<script>{_JS}</script>",
        f'<p style="color:#888">commitments {esc(__version__)}</p>',
    ]
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{esc(title)}</title><style>{_CSS}</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")

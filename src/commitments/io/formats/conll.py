"""CoNLL-style token columns: one BIO column per span layer.

::

    # newdoc id = 2024-12-25_example
    # meta = {"date": "2024-12-25", "layers": [...]}
    # columns = TOKEN SEGMENT ACTOR POINTS POINT_ITEM COMMITMENT MISC
    Both	B-consensus	B-collective	O	O	O	_

Tags: segment kind, actor type, points status, item label, commitment kind.
``MISC`` records the whitespace after a token the way CoNLL-U does
(``_`` for one space, ``SpaceAfter=No``, or ``SpacesAfter=\\n\\n``), so the
text is rebuilt exactly; a blank line follows each token that ends a line.
Tokens are cut at span boundaries, so span offsets survive.

What it drops (see docs/formats.md): every attribute except the tag
(voice, reporter, actor key and country, declared count, commitment ids,
holders, modality, deadline, extra keys), holder relations, and any span
that overlaps an earlier span of the same layer. Commitments read back get
ids ``c1``, ``c2``... and their points list and item by containment.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path

from ...errors import InputError
from ...model import Document
from ._flat import SPAN_LAYERS, Flat, Span, flatten, item_label, unflatten
from ._tokens import token_offsets

logger = logging.getLogger("commitments")
COLUMNS = ("SEGMENT", "ACTOR", "POINTS", "POINT_ITEM", "COMMITMENT")
TAG_ATTR = {"segments": "kind", "actors": "type", "points": "status", "point_items": "label",
            "commitments": "kind"}
_ESC = {"\\": "\\\\", " ": "\\s", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escape(ws: str) -> str:
    return "".join(_ESC.get(c, c) for c in ws)


def _unescape(value: str) -> str:
    out, i = [], 0
    back = {"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value):
            out.append(back.get(value[i + 1], value[i + 1]))
            i += 2
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def _misc(ws: str) -> str:
    if ws == " ":
        return "_"
    if ws == "":
        return "SpaceAfter=No"
    return f"SpacesAfter={_escape(ws)}"


def to_conll(doc: Document) -> str:
    flat = flatten(doc)
    offsets = token_offsets(doc.text, [b for s in flat.spans for b in (s.start, s.end)])
    tags = [["O"] * len(offsets) for _ in SPAN_LAYERS]
    dropped = 0
    for col, layer in enumerate(SPAN_LAYERS):
        for s in (x for x in flat.spans if x.layer == layer):
            # tokens inside the span (an edge on whitespace is trimmed to them)
            covered = [i for i, (a, b) in enumerate(offsets) if s.start <= a and b <= s.end]
            if any(tags[col][i] != "O" for i in covered):
                dropped += 1
                continue
            label = str(s.attrs.get(TAG_ATTR[layer]) or "").replace(" ", "_") or layer
            for n, i in enumerate(covered):
                tags[col][i] = ("B-" if n == 0 else "I-") + label
    if dropped:
        logger.warning("%s: %d span(s) overlapping another of their layer left out of CoNLL",
                       doc.id, dropped)
    meta = {k: v for k, v in flat.meta.items() if k != "id"}
    lines = [f"# newdoc id = {doc.id}", f"# meta = {json.dumps(meta, ensure_ascii=False)}",
             f"# columns = TOKEN {' '.join(COLUMNS)} MISC"]
    lead = doc.text[:offsets[0][0]] if offsets else doc.text
    if lead:
        lines.append(f"# spaces_before = {_escape(lead)}")
    for i, (a, b) in enumerate(offsets):
        nxt = offsets[i + 1][0] if i + 1 < len(offsets) else len(doc.text)
        ws = doc.text[b:nxt]
        lines.append("\t".join([doc.text[a:b], *(t[i] for t in tags), _misc(ws)]))
        if "\n" in ws and i + 1 < len(offsets):
            lines.append("")
    return "\n".join(lines) + "\n\n"


def write(documents: list[Document], path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(to_conll(d) for d in documents), encoding="utf-8")
    return len(documents)


def _spans(tokens: list[tuple[int, int]], column: list[str], layer: str, text: str) -> list[Span]:
    spans: list[Span] = []
    current = None
    for (a, b), tag in zip(tokens, column):
        prefix, _, label = tag.partition("-")
        if prefix == "I" and current is not None and current[2] == label:
            current[1] = b
            continue
        if current is not None:
            spans.append(current)
            current = None
        if prefix in ("B", "I"):
            current = [a, b, label]
    if current is not None:
        spans.append(current)
    out = []
    for n, (a, b, label) in enumerate(spans):
        attrs = {TAG_ATTR[layer]: label}
        if layer == "point_items" and not label:
            attrs["label"] = item_label(text[a:b])
        out.append(Span(f"{layer}{n}", layer, a, b, attrs))
    return out


def _parse_doc(lines: list[str], where: str) -> Document:
    meta: dict = {}
    lead = ""
    text_parts: list[str] = []
    tokens: list[tuple[int, int]] = []
    columns: list[list[str]] = [[] for _ in SPAN_LAYERS]
    pos = 0
    for line in lines:
        if line.startswith("#"):
            key, _, value = line[1:].partition("=")
            key, value = key.strip(), value.strip()
            if key == "newdoc id":
                meta["id"] = value
            elif key == "meta":
                meta.update(json.loads(value))
            elif key == "spaces_before":
                lead = _unescape(value)
                text_parts.append(lead)
                pos += len(lead)
            continue
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) < 2 + len(SPAN_LAYERS):
            raise InputError(f"{where}: expected {2 + len(SPAN_LAYERS)} tab-separated columns, "
                             f"got {len(fields)}: {line[:60]!r}")
        token, misc = fields[0], fields[-1]
        for col in range(len(SPAN_LAYERS)):
            columns[col].append(fields[1 + col])
        ws = " "
        for part in misc.split("|"):
            if part == "SpaceAfter=No":
                ws = ""
            elif part.startswith("SpacesAfter="):
                ws = _unescape(part.split("=", 1)[1])
        tokens.append((pos, pos + len(token)))
        text_parts.append(token + ws)
        pos += len(token) + len(ws)
    text = "".join(text_parts)
    spans = []
    for col, layer in enumerate(SPAN_LAYERS):
        spans += _spans(tokens, columns[col], layer, text)
    if "layers" not in meta:
        meta["layers"] = ["segments", "actors", "commitments", "points"]
    return unflatten(Flat(text=text, meta=meta, spans=spans))


def read(path: Path) -> list[Document]:
    docs, current = [], []
    with open(path, encoding="utf-8", newline="") as fh:
        raw = fh.read().split("\n")
    for lineno, line in enumerate(raw, 1):
        if line.startswith("# newdoc") and current:
            docs.append(_parse_doc(current, f"{path}"))
            current = []
        current.append(line.rstrip("\r") if not line.endswith("\r") else line[:-1])
    if any(l.strip() for l in current):
        docs.append(_parse_doc(current, f"{path}"))
    return docs

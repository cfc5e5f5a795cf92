"""HTML input: a saved web page becomes a plain-text document.

The document's text IS the stripped text, so every offset an annotation or
the extractor gives indexes that text (not the HTML source):

- block elements (``p``, ``div``, headings, list items, ...) are separated
  by a blank line, ``br`` and table rows by a line break, table cells by a
  space;
- scripts, styles, ``head`` and other non-content elements are dropped;
- entities are decoded (``&amp;`` -> ``&``, ``&nbsp;`` -> U+00A0);
- runs of white space inside a block collapse to one space, as a browser
  shows them; ``pre`` keeps its white space.

The page's ``<title>`` becomes the title, and a publication date in its
``<meta>`` tags (``article:published_time``, ``date``, ``DC.date``, ...) is
used when the file name has no date prefix.
"""
from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser
from pathlib import Path

from ..model import BadRecord, Document
from .base import DEFAULT_MAX_MB, ReadProblem, bad, decode_text, make_document, max_bytes, too_large
from .dates import date_from_filename, normalise_date
from .dates import parse_line as parse_dateline

BLOCK_TAGS = frozenset("""
    address article aside blockquote body caption center dd details dialog dir div dl dt
    fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li
    main menu nav ol p pre section summary table tbody tfoot thead ul
""".split())
LINE_TAGS = frozenset({"br", "tr"})
CELL_TAGS = frozenset({"td", "th"})
DROP_TAGS = frozenset("""
    script style noscript template head svg math iframe object embed canvas select
    button textarea audio video map
""".split())
VOID_TAGS = frozenset("area base br col embed hr img input link meta param source track wbr".split())
DATE_META = (
    "article:published_time", "og:published_time", "datepublished", "date", "dc.date",
    "dc.date.issued", "dcterms.date", "dcterms.issued", "dcterms.created", "pubdate",
    "publishdate", "publish-date", "publication_date", "citation_publication_date",
    "sailthru.date", "parsely-pub-date",
)

_SPACE_RE = re.compile(r"[ \t\n\r\f]+")
# Internal markers: a paragraph break (blocks), a line break (br: two make a
# paragraph break), a soft line break (table rows: any number make one).
_PARA, _LINE, _SOFT = "\x01", "\x02", "\x03"
_MARKS = _PARA + _LINE + _SOFT


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.drop_depth = 0
        self.pre_depth = 0
        self.in_title = False
        self.title_parts: list[str] = []
        self.meta: dict[str, str] = {}

    # -- structure
    def handle_starttag(self, tag, attrs):
        if tag == "meta":
            attrs = dict(attrs)
            key = (attrs.get("name") or attrs.get("property") or attrs.get("itemprop") or "").lower()
            if key and attrs.get("content"):
                self.meta.setdefault(key, attrs["content"])
            return
        if tag == "title":
            self.in_title = True
            return
        if tag in DROP_TAGS:
            if tag not in VOID_TAGS:
                self.drop_depth += 1
            return
        self._structure(tag)
        if tag == "pre":
            self.pre_depth += 1

    def handle_startendtag(self, tag, attrs):
        if tag == "meta":
            self.handle_starttag(tag, attrs)
        elif tag not in DROP_TAGS:
            self._structure(tag)

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
            return
        if tag in DROP_TAGS:
            if tag not in VOID_TAGS and self.drop_depth:
                self.drop_depth -= 1
            return
        if tag == "pre" and self.pre_depth:
            self.pre_depth -= 1
        if tag in BLOCK_TAGS or tag in LINE_TAGS:
            self._structure(tag)

    def _structure(self, tag):
        if self.drop_depth:
            return
        if tag in BLOCK_TAGS:
            self.parts.append(_PARA)
        elif tag == "br":
            self.parts.append(_LINE)
        elif tag in LINE_TAGS:
            self.parts.append(_SOFT)
        elif tag in CELL_TAGS:
            self.parts.append(" ")

    # -- text
    def handle_data(self, data):
        if self.in_title:
            self.title_parts.append(data)
            return
        if self.drop_depth:
            return
        if self.pre_depth:
            self.parts.append(data.replace("\r\n", "\n").replace("\n", _LINE))
        else:
            self.parts.append(_SPACE_RE.sub(" ", data))


def _assemble(parts: list[str]) -> str:
    """Join text pieces and break markers: spaces next to a break go, runs
    of breaks become one line break or one blank line."""
    raw = "".join(parts)

    def breaks(m: re.Match) -> str:
        run = m.group(1)
        return "\n\n" if _PARA in run or run.count(_LINE) >= 2 else "\n"

    raw = re.sub(rf" *([{_MARKS}]+) *", breaks, raw)
    lines = [line.strip(" ") if line.strip(" ") else "" for line in raw.split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n ")


def html_to_text(html: str) -> tuple[str, str | None, dict[str, str]]:
    """``(plain text, title or None, meta tags by lower-case name)``."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    title = _SPACE_RE.sub(" ", "".join(parser.title_parts)).strip() or None
    return _assemble(parser.parts), title, parser.meta


def meta_date(meta: dict[str, str]) -> str | None:
    """The first publication date in ``meta`` that is a real date."""
    for key in DATE_META:
        value = meta.get(key)
        if not value:
            continue
        try:
            iso = normalise_date(value)
        except ValueError:  # not ISO: "Tue, 5 March 2024 10:00" and the like
            found = parse_dateline(value)
            iso = found[0] if found else None
        if iso:
            return iso
    return None


_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def decode_html(data: bytes) -> str:
    """HTML bytes to text: UTF-8, or the charset the page declares in a
    ``<meta>`` tag when it is not UTF-8 (web pages often are Windows-1252)."""
    try:
        return decode_text(data)
    except ReadProblem as exc:
        if not str(exc).startswith("not UTF-8"):
            raise
        m = _CHARSET_RE.search(data[:4096])
        if not m:
            raise
        name = m.group(1).decode("ascii", "replace")
        try:
            codec = codecs.lookup(name)
        except LookupError:
            raise ReadProblem(f"{exc} (the page declares an unknown charset {name!r})") from None
        if codec.name == "utf-8":
            raise
        try:
            return data.decode(codec.name)
        except UnicodeDecodeError as exc2:
            raise ReadProblem(f"not {name} text either, as the page declares: byte offset "
                              f"{exc2.start}") from None


def read_html(path: str | Path, *, date: str | None = None, max_mb: float | None = DEFAULT_MAX_MB,
              doc_id: str | None = None, language: bool = True, dates=(), title=None,
              **metadata) -> Document | BadRecord:
    """Read one HTML file as a document, or a ``BadRecord`` saying why not."""
    path = Path(path)
    doc_id = doc_id or path.stem
    try:
        size = path.stat().st_size
        reason = too_large(size, max_bytes(max_mb))
        if reason:
            raise ReadProblem(reason)
        html = decode_html(path.read_bytes())
    except ReadProblem as exc:
        return bad(path, str(exc), line=exc.line, doc_id=doc_id)
    except OSError as exc:
        return bad(path, f"cannot read: {exc.strerror}", doc_id=doc_id)
    text, page_title, meta = html_to_text(html)
    if not text.strip():
        return bad(path, "empty text: the page has no visible text", doc_id=doc_id)
    return make_document(text, doc_id, where=str(path), file_name=path.name, default_date=date,
                         dates=[*dates, date_from_filename(path.name), meta_date(meta)],
                         title=title or page_title, language=language, **metadata)


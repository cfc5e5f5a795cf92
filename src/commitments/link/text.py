"""Text helpers of the linker: a fast regex sentence splitter and the
tokenizer shared by the lexical index and its queries.

Both are plain functions over strings, deliberately simple: the linker
splits and tokenizes whole corpora, so they must be fast and must give the
same tokens for a query as for the documents it is matched against.
"""
from __future__ import annotations

import re

# A sentence ends at . ! ? (optionally followed by a closing quote or
# bracket) before whitespace and an opening capital, digit, quote or bullet.
_BOUNDARY = re.compile(r"""(?<=[.!?])["'\u201d\u2019)\]]?\s+(?=["'\u201c\u2018(\[]?[A-Z0-9\u2022-])""")
# Words after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset("""
mr mrs ms dr prof st no nos vs etc jr sr gen col lt sen rep gov pres
u.s u.k u.n e.g i.e jan feb mar apr jun jul aug sep sept oct nov dec art para
""".split())
_PARAGRAPH = re.compile(r"\n\s*\n|\n(?=\s*(?:[-\u2022*]|\d{1,2}[.)]|\(?[a-z]\))\s)")


def split_sentences(text: str, max_chars: int = 1200) -> list[tuple[int, int]]:
    """Split ``text`` into sentence spans ``(start, end)`` (end exclusive).

    Paragraph breaks and list bullets always end a sentence; inside a
    paragraph a sentence ends at ``. ! ?`` followed by a capital, a digit or
    a quote, unless the word before the stop is a known abbreviation or a
    single capital letter (an initial). Surrounding whitespace is trimmed;
    very long runs without punctuation are cut at ``max_chars``.
    """
    spans: list[tuple[int, int]] = []
    para_start = 0
    breaks = [m.start() for m in _PARAGRAPH.finditer(text)] + [len(text)]
    for para_end in breaks:
        start = para_start
        for match in _BOUNDARY.finditer(text, para_start, para_end):
            cut = match.start()
            word = re.search(r"(\S+)[.!?]$", text[max(start, cut - 20):cut])
            if word is not None:
                last = word.group(1).lower().rstrip(".")
                if last in _ABBREVIATIONS or re.fullmatch(r"[a-z]", last):
                    continue
                if last.isdigit() and len(last) <= 3 and not text[start:cut - len(last) - 1].strip():
                    continue  # a list number: "1. The two sides ..."
            # include the closing quote/bracket in the sentence
            end = match.start() + len(match.group(0).rstrip()) if match.group(0).strip() else cut + 1
            _add(text, start, end, spans, max_chars)
            start = match.end()
        _add(text, start, para_end, spans, max_chars)
        para_start = para_end
    return spans


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]], max_chars: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > max_chars:
        cut = text.rfind(" ", start, start + max_chars)
        cut = cut if cut > start else start + max_chars
        spans.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start and any(ch.isalnum() for ch in text[start:end]):
        spans.append((start, end))


_TOKEN = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")
STOPWORDS = frozenset("""
a an and are as at be been being both but by for from had has have he her his i in into is it its
of on or our over shall she should that the their them then there these they this those to under
upon was we were which while who will with would also such other any all can may more most than
said says its itself each per said mr ms
""".split())
_SUFFIXES = ("ational", "ations", "ation", "ities", "ity", "ments", "ment", "ings", "ing",
             "ative", "ate", "ies", "ied", "ness", "ers", "ed", "es", "er", "s", "ly")


def stem(word: str) -> str:
    """A crude, deterministic suffix stripper (``meetings``/``meeting`` ->
    ``meet``; ``cooperation``/``cooperate`` -> ``cooper``): enough for
    lexical matching, keeps stems of at least four letters."""
    if word.isdigit() or len(word) <= 4:
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def tokenize(text: str) -> list[str]:
    """Lower-cased, stemmed word tokens without stopwords; hyphenated words
    give their parts too (``Japan-China`` -> ``japan``, ``china``)."""
    out: list[str] = []
    for match in _TOKEN.finditer(text.lower()):
        word = match.group(0)
        parts = re.split(r"[-']", word) if ("-" in word or "'" in word) else [word]
        for part in parts:
            if part in STOPWORDS or (len(part) < 2 and not part.isdigit()):
                continue
            out.append(stem(part))
    return out

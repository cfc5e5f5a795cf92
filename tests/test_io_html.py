from commitments.io import read_input
from commitments.io.html import html_to_text, meta_date
from commitments.model import BadRecord, Document

PAGE = """<!DOCTYPE html>
<html><head><title>Joint   Statement</title>
<meta property="article:published_time" content="2024-05-27T10:00:00+09:00">
<style>p { color: red }</style><script>var leaders = 3;</script></head>
<body><nav><a href="/">Home</a></nav>
<h1>Joint&nbsp;Statement &amp; Annex</h1>
<p>We, the   leaders,
met in <b>Seoul</b>.</p>
<ol><li>1. Expand trade.</li><li>2. Cooperate on health.</li></ol>
Line one<br>line two
<pre>a  b
c</pre>
<table><tr><td>x</td><td>y</td></tr><tr><td>z</td></tr></table>
<noscript>Enable scripts</noscript>
</body></html>"""


def test_html_to_text_blocks_entities_and_dropped_elements():
    text, title, meta = html_to_text(PAGE)
    assert title == "Joint Statement"
    assert text == ("Home\n\nJoint\u00a0Statement & Annex\n\nWe, the leaders, met in Seoul.\n\n"
                    "1. Expand trade.\n\n2. Cooperate on health.\n\nLine one\nline two\n\n"
                    "a  b\nc\n\nx y\nz")
    assert "var leaders" not in text and "color" not in text and "Enable" not in text
    assert meta_date(meta) == "2024-05-27"


def test_meta_date_accepts_written_dates_and_skips_bad_ones():
    assert meta_date({"date": "Tue, 5 March 2024"}) == "2024-03-05"
    assert meta_date({"date": "2024-02-30", "dc.date": "2024-02-01"}) == "2024-02-01"
    assert meta_date({"keywords": "2024-01-01"}) is None


def test_html_file_is_a_document_whose_offsets_index_the_stripped_text(tmp_path):
    path = tmp_path / "statement.html"
    path.write_text(PAGE, encoding="utf-8")
    [doc] = read_input(path)
    assert isinstance(doc, Document)
    assert doc.id == "statement" and doc.title == "Joint Statement" and doc.date == "2024-05-27"
    start = doc.text.index("Seoul")
    assert doc.text[start:start + 5] == "Seoul"


def test_file_name_prefix_wins_over_meta_date(tmp_path):
    path = tmp_path / "2024-05-28_statement.htm"
    path.write_text(PAGE, encoding="utf-8")
    [doc] = read_input(path)
    assert doc.date == "2024-05-28"


def test_declared_charset_is_used_when_the_page_is_not_utf8(tmp_path):
    path = tmp_path / "old.html"
    html = '<html><head><meta charset="windows-1252"></head><body><p>Caf\u00e9 talks \u2013 resumed</p></body></html>'
    path.write_bytes(html.encode("cp1252"))
    [doc] = read_input(path, date="2010")
    assert doc.text == "Caf\u00e9 talks \u2013 resumed"


def test_undeclared_non_utf8_page_and_empty_page_are_bad(tmp_path):
    path = tmp_path / "bad.html"
    path.write_bytes("<p>Caf\u00e9</p>".encode("latin-1"))
    [bad] = read_input(path)
    assert isinstance(bad, BadRecord) and "not UTF-8" in bad.reason
    empty = tmp_path / "empty.html"
    empty.write_text("<html><head><script>x()</script></head><body> </body></html>", encoding="utf-8")
    [bad] = read_input(empty)
    assert isinstance(bad, BadRecord) and "no visible text" in bad.reason

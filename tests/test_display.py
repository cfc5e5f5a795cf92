"""The views of ``commitments tag``, on a hand-built document, and the
command end to end once the pipeline can be loaded."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from click.testing import CliRunner
from rich.console import Console

sys.path.insert(0, str(Path(__file__).parent))
from format_samples import sample_document  # noqa: E402

from commitments import display  # noqa: E402
from commitments.cli import main  # noqa: E402
from commitments.model import Document  # noqa: E402


def render(renderable, width: int = 160) -> str:
    console = Console(width=width, record=True, file=open("/dev/null", "w"))
    console.print(renderable)
    return console.export_text()


def test_terminal_view_lists_every_layer():
    out = render(display.document_view(sample_document()))
    row = next(line for line in out.splitlines() if "fund a joint laboratory" in line and "│ c3" in line)
    for value in ("RUR", "pledge", "qualified", "2027"):
        assert value in row
    row1 = next(line for line in out.splitlines() if line.startswith("│ c1"))
    assert "FRE, RUR" in row1 and "p1 #1" in row1 and "agreement" in row1
    assert re.search(r"readout\s+│ RUR\s+│ Freedonia News", out)
    assert "p1 agreed, 2 item(s), declares 3" in out
    assert "2: 2. expand student exchanges." in out
    assert "points p1 declares 3 items, 2 found" in out
    # the highlighted text marks where each commitment starts
    assert "willing to [c3]fund a joint laboratory" in out


def test_highlighted_text_styles_commitments_by_modality():
    doc = sample_document()
    text = display.highlighted_text(doc)
    plain = text.plain
    start = plain.index("fund a joint")
    styles = {str(s.style) for s in text.spans if s.start <= start < s.end}
    assert display.MODALITY_STYLE["qualified"] in styles
    kov = plain.index("Anna Kovacs")
    assert display.ACTOR_STYLE in {str(s.style) for s in text.spans if s.start <= kov < s.end}


def test_view_of_unannotated_document_has_no_layer_tables():
    out = render(display.document_view(Document(id="d", text="Just text.")))
    assert "Just text." in out and "Commitments" not in out and "Warnings" not in out


def test_html_page_is_self_contained_and_shows_layers():
    page = display.document_html(sample_document())
    assert page.startswith("<!DOCTYPE html>")
    assert "http://" not in page.replace("https://example.org/x", "") and "<script src" not in page
    assert page.count('class="seg seg-') == 3 and "readout \u00b7 RUR (via Freedonia News)" in page
    # c3 is highlighted as qualified and carries its attributes in a tooltip
    m = re.search(r'<span class="com qualified" title="([^"]*)">', page)
    assert m and "c3: pledge, qualified; holders RUR; deadline 2027" in m.group(1)
    assert '<span class="badge item-label">2</span>' in page
    assert page.count('<span class="actor"') >= 5
    # the text survives escaping: the visible characters equal the document's text
    body = page.split("</p>", 2)[2].split('<div class="warn">')[0]
    visible = re.sub(r'<span class="(badge[^"]*|com-id)">[^<]*</span>', "", body)
    visible = re.sub(r"<[^>]+>", "", visible)
    import html as _html
    assert "".join(_html.unescape(visible).split()) == "".join(sample_document().text.split())


def test_tag_command_end_to_end(tmp_path):
    runner = CliRunner()
    text = ("Both sides agreed to hold the next round of talks in Geneva next year. "
            "Japan will provide assistance for the reconstruction of the port.\n")
    (tmp_path / "t.txt").write_text(text)
    res = runner.invoke(main, ["tag", str(tmp_path / "t.txt"), "--date", "2024-05-01",
                               "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    record = json.loads(res.stdout.strip().splitlines()[-1])
    assert record["text"] == text and record["date"] == "2024-05-01"
    for layer in ("segments", "actors", "commitments", "points"):
        assert isinstance(record[layer], list)
    res = runner.invoke(main, ["tag", "-", "--width", "150"], input=text)
    assert res.exit_code == 0, res.output
    assert "Commitments (" in res.stdout and "Segments (" in res.stdout
    out = tmp_path / "t.html"
    res = runner.invoke(main, ["tag", str(tmp_path / "t.txt"), "--format", "html", "-o", str(out)])
    assert res.exit_code == 0 and "<table" in out.read_text()


def test_tag_command_bad_input(tmp_path):
    runner = CliRunner()
    res = runner.invoke(main, ["tag", str(tmp_path / "missing.txt")])
    assert res.exit_code == 2 and "missing.txt" in res.output
    (tmp_path / "t.txt").write_text("x")
    res = runner.invoke(main, ["tag", str(tmp_path / "t.txt"), "--date", "2024-13-01"])
    assert res.exit_code == 2 and "date" in res.output

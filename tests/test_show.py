from click.testing import CliRunner

from commitments.cli import main
from commitments.model import Commitment, Document, write_jsonl

TEXT = "Both sides agreed to hold the next round of talks in Tokyo in 2025."


def _file(tmp_path):
    doc = Document(id="d1", text=TEXT, date="2024-05-01", commitments=[
        Commitment("c1", 21, 66, TEXT[21:66], "agreement", ["CHN", "JPN"], "firm", "2025")])
    other = Document(id="d2", text="Nothing here.", commitments=[])
    path = tmp_path / "docs.jsonl"
    write_jsonl([doc, other], path)
    return path


def test_show_brief_lists_commitments_with_attributes(tmp_path):
    result = CliRunner().invoke(main, ["show", str(_file(tmp_path)), "--brief", "--width", "200"])
    assert result.exit_code == 0, result.output
    assert "hold the next round of talks in Tokyo" in result.output
    assert "CHN, JPN" in result.output and "2025" in result.output
    assert "2 documents, 1 commitments." in result.output


def test_show_selects_by_id_and_reports_unknown_id(tmp_path):
    path = _file(tmp_path)
    result = CliRunner().invoke(main, ["show", str(path), "--id", "d2", "--width", "200"])
    assert result.exit_code == 0 and "1 documents, 0 commitments." in result.output
    result = CliRunner().invoke(main, ["show", str(path), "--id", "nope"])
    assert result.exit_code == 2 and "no document with id nope" in result.output


def test_show_html_page(tmp_path):
    out = tmp_path / "page.html"
    result = CliRunner().invoke(main, ["show", str(_file(tmp_path)), "--html", str(out)])
    assert result.exit_code == 0
    page = out.read_text()
    assert page.startswith("<!DOCTYPE html>") or "<html" in page
    assert "hold the next round of talks" in page

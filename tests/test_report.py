"""The corpus report: its numbers, its charts, and the page in a real
browser (headless Chromium) once its script has built the table."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from commitments.cli import main
from commitments.model import Commitment, Document, Link, write_jsonl
from commitments.report import NO_LINK, bar_chart_svg, build_report, report_data

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


def corpus() -> tuple[list[Document], list[Link]]:
    a_text = "Alpha and Beta will build a bridge. Alpha will open a school."
    b_text = "The bridge was opened in May. Work on the bridge has stalled."
    c_text = "Beta pledged to plant a forest </script><b>x</b>."
    def com(cid, text, phrase, *rest):
        start = text.index(phrase)
        return Commitment(cid, start, start + len(phrase), phrase, *rest)

    a = Document(id="a", text=a_text, date="2021-04-01", commitments=[
        com("c1", a_text, "build a bridge", "agreement", ["ALP", "BET"]),
        com("c2", a_text, "open a school", "pledge", ["ALP"], "qualified", "2022"),
    ])
    b = Document(id="b", text=b_text, date="2022-06-01", commitments=[])
    c = Document(id="c", text=c_text, date="2023", commitments=[
        com("c1", c_text, "plant a forest", "pledge", ["BET"]),
    ])
    assert all(not d.problems() for d in (a, b, c)), [d.problems() for d in (a, b, c)]
    later = Document(id="d", text="The bridge is being reconsidered.", date="2024-01-01")
    links = [Link("a#c1", "b", 0, 29, "fulfilled", 0.9),
             Link("a#c1", "d", 0, 33, "contradicted", 0.2)]
    return [a, b, c], links + [Link("c#c1", "later-unknown", 0, 5, "partial")], later


def test_report_data_counts_and_status():
    docs, links, later = corpus()
    data = report_data(docs, links, [later])
    assert data["documents"] == 3 and data["commitments"] == 3 and data["links"] == 3
    counts = data["counts"]
    assert counts["holder"] == {"ALP": 2, "BET": 2}
    assert counts["kind"] == {"agreement": 1, "pledge": 2}
    assert counts["modality"] == {"firm": 2, "qualified": 1}
    assert counts["year"] == {"2021": 2, "2023": 1}
    rows = {f'{r["doc"]}#{r["id"]}': r for r in data["rows"]}
    # the latest evidence (d, 2024) decides the status; both links are listed
    assert rows["a#c1"]["status"] == "contradicted"
    assert [e["doc"] for e in rows["a#c1"]["evidence"]] == ["d", "b"]
    assert rows["a#c1"]["evidence"][1]["text"] == "The bridge was opened in May."
    assert rows["a#c2"]["status"] == NO_LINK and rows["a#c2"]["evidence"] == []
    # an evidence document that is nowhere to be read still counts, without text
    assert rows["c#c1"]["status"] == "partial" and rows["c#c1"]["evidence"][0]["text"] == ""


def test_bar_chart_has_one_bar_per_value():
    svg = bar_chart_svg([("2021", 4), ("2022", 2)], "per year")
    heights = [int(h) for h in re.findall(r'<rect [^>]*height="(\d+)"', svg)]
    assert heights == [160, 80]
    assert bar_chart_svg([], "nothing").startswith("<svg")


def test_page_is_self_contained():
    docs, links, later = corpus()
    page = build_report(docs, links, [later])
    assert "<script src" not in page and "<link " not in page
    assert re.findall(r"https?://[^\"' ]+", page) == ["http://www.w3.org/2000/svg"] * 3
    # the document text that contains </script> cannot close the data block
    assert page.count("</script>") == 3


def test_report_command(tmp_path):
    docs, links, later = corpus()
    write_jsonl(docs, tmp_path / "out.jsonl")
    write_jsonl(links, tmp_path / "links.jsonl")
    write_jsonl([later], tmp_path / "corpus.jsonl")
    res = CliRunner().invoke(main, ["report", str(tmp_path / "out.jsonl"), str(tmp_path / "links.jsonl"),
                                    "--corpus", str(tmp_path / "corpus.jsonl"),
                                    "-o", str(tmp_path / "r.html")])
    assert res.exit_code == 0, res.output
    assert "The bridge is being reconsidered." in (tmp_path / "r.html").read_text()
    write_jsonl([Document(id="x", text="No layers.")], tmp_path / "raw.jsonl")
    res = CliRunner().invoke(main, ["report", str(tmp_path / "raw.jsonl"), "-o", str(tmp_path / "s.html")])
    assert res.exit_code == 2 and "commitments extract" in res.output


def dump_dom(page: Path, profile: Path) -> str:
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run",
           f"--user-data-dir={profile}", "--dump-dom", page.as_uri()]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium); "
                                             "the page is only checked in a browser where it is")
def test_page_in_headless_chromium(tmp_path):
    docs, links, later = corpus()
    page = tmp_path / "report.html"
    page.write_text(build_report(docs, links, [later]), encoding="utf-8")
    dom = dump_dom(page, tmp_path / "profile")
    table = re.search(r'<table id="commitments"([^>]*)>(.*?)</table>', dom, re.S)
    assert table, "the commitments table is missing"
    assert 'data-sorted-by="date desc"' in table.group(1)
    keys = re.findall(r'<tr data-key="([^"]+)">', table.group(2))
    # built by the script, sorted by date (latest first), then by document and id
    assert keys == ["c#c1", "a#c1", "a#c2"]
    assert re.search(r'a#c1">.*?contradicted.*?</tr>', table.group(2), re.S)
    assert "3 of 3" in dom

"""``commitments extract`` end to end: every kind of bad input costs one line
in the errors file and nothing else. Texts are written here, short."""
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from batch_standin import standin_nlp
from click.testing import CliRunner

from commitments.batch import extract_file
from commitments.cli import main
from commitments.model import Document

TESTS = Path(__file__).resolve().parent
ENGLISH = ("Japan and China agreed to expand youth exchanges. Japan will fund two "
           "hundred scholarships for Chinese students in 2025.")
GERMAN = ("Die Bundesregierung hat heute beschlossen, dass die Länder neue Gesetze "
          "vorlegen müssen und die Kommission darüber berichten wird.")
HTML = ("<html><head><title>Joint press release</title><script>var x = '<p>';</script>"
        "</head><body><nav>Home | News</nav><p>Japan <b>will</b> open a consulate in "
        "Osaka &amp; Kyoto.</p><p>China will send a delegation.</p></body></html>")


def _lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _by_id(path):
    return {d["id"]: d for d in _lines(path)}


@pytest.fixture
def messy_folder(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "2024-05-01_good.txt").write_text(ENGLISH, encoding="utf-8")
    (folder / "2024-05-02_latin1.txt").write_bytes(
        "Japan will pay the fee in caf\u00e9s.".encode("latin-1"))
    (folder / "2024-05-03_binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    (folder / "2024-05-04_blank.txt").write_text("   \n\n\t  \n", encoding="utf-8")
    (folder / "2024-05-05_german.txt").write_text(GERMAN, encoding="utf-8")
    (folder / "2024-05-06_page.html").write_text(HTML, encoding="utf-8")
    return folder


def _check_folder_run(out):
    docs = _by_id(out)
    errors = {e["id"] or e.get("source"): e for e in _lines(out.with_name("out.errors.jsonl"))}
    assert len(docs) == 2 and len(errors) == 4
    reasons = " | ".join(e["reason"] for e in errors.values())
    assert "not UTF-8" in reasons and "binary" in reasons and "empty" in reasons
    assert [e["stage"] for e in errors.values()].count("language") == 1
    assert all("\n" not in e["reason"] for e in errors.values())
    page = next(d for d in docs.values() if "Osaka" in d["text"])
    assert "<" not in page["text"] and "var x" not in page["text"]
    assert "Osaka & Kyoto" in page["text"]
    for d in docs.values():
        assert Document.from_dict(d).problems() == []
    return docs


def test_folder_with_bad_inputs_standin(tmp_path, messy_folder):
    out = tmp_path / "out.jsonl"
    stats = extract_file(messy_folder, out, nlp_factory=standin_nlp, show_progress=False)
    assert (stats.written, stats.n_rejected) == (2, 4)
    docs = _check_folder_run(out)
    page = next(d for d in docs.values() if "Osaka" in d["text"])
    # the stand-in's pledges, found in the stripped text at consistent offsets
    assert [c["text"] for c in page["commitments"]] == ["open a consulate in Osaka & Kyoto",
                                                        "send a delegation"]


def test_jsonl_with_bad_records(tmp_path):
    src = tmp_path / "in.jsonl"
    records = [
        json.dumps({"id": "ok", "date": "2024-03-01", "text": ENGLISH}),
        '{"id": "broken", "text": "Japan will',
        json.dumps({"id": "feb30", "date": "2024-02-30", "text": ENGLISH}),
        json.dumps({"id": "nodate", "text": "Korea will host the summit next year."}),
        json.dumps({"id": "blank", "date": "2024-03-01", "text": "  \n "}),
        json.dumps({"id": "de", "date": "2024-03-01", "text": GERMAN}),
    ]
    src.write_text("\n".join(records) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    stats = extract_file(src, out, nlp_factory=standin_nlp, show_progress=False)
    docs = _by_id(out)
    assert list(docs) == ["ok", "nodate"]
    assert "date" not in docs["nodate"] and docs["ok"]["date"] == "2024-03-01"
    errors = _lines(tmp_path / "out.errors.jsonl")
    assert len(errors) == 4 and stats.n_rejected == 4
    by_line = {e.get("line"): e for e in errors if e.get("line")}
    assert "malformed" in by_line[2]["reason"].lower() or "json" in by_line[2]["reason"].lower()
    feb30 = next(e for e in errors if e["id"] == "feb30")
    assert "2024-02-30" in feb30["reason"]
    assert {e["id"] for e in errors} >= {"feb30", "blank", "de"}


@pytest.mark.slow
def test_twenty_megabyte_text_in_bounded_memory(tmp_path):
    """A 20 MB text goes through in pieces; the run's peak memory stays far
    below what one 20 MB spaCy doc would need."""
    paragraph = ("The delegates reviewed the situation in the region at length. " * 6
                 + "Japan will expand exchanges with China in culture and sport.\n")
    reps = 20_000_000 // (len(paragraph) + 1) + 1
    src = tmp_path / "2024-01-01_huge.txt"
    with open(src, "w", encoding="utf-8") as fh:
        for _ in range(reps):
            fh.write(paragraph + "\n")
    assert src.stat().st_size >= 20_000_000
    out = tmp_path / "out.jsonl"
    script = textwrap.dedent(f"""
        import resource, sys
        sys.path.insert(0, {str(TESTS)!r})
        from batch_standin import standin_nlp
        from commitments.batch import extract_file
        stats = extract_file({str(src)!r}, {str(out)!r}, nlp_factory=lambda: standin_nlp(False, False),
                             show_progress=False)
        print(stats.written, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    written, peak_kb = map(int, done.stdout.split())
    assert written == 1
    assert peak_kb < 1_500_000, f"peak memory {peak_kb / 1e6:.2f} GB"
    with open(out, encoding="utf-8") as fh:
        doc = Document.from_dict(json.loads(fh.readline()))
    assert len(doc.text) >= 20_000_000 - 100
    assert len(doc.commitments) == reps
    assert doc.problems() == []
    assert doc.commitments[-1].text == "expand exchanges with China in culture and sport"


def test_dask_engine_gives_the_same_files(tmp_path, messy_folder):
    local = tmp_path / "local" / "out.jsonl"
    dask = tmp_path / "dask" / "out.jsonl"
    extract_file(messy_folder, local, base="blank", show_progress=False)
    extract_file(messy_folder, dask, base="blank", engine="dask", workers=1,
                 processes=False, partition_size=2, show_progress=False)
    assert len(_lines(dask)) == 2
    assert dask.read_text(encoding="utf-8") == local.read_text(encoding="utf-8")
    assert (dask.with_name("out.errors.jsonl").read_text(encoding="utf-8")
            == local.with_name("out.errors.jsonl").read_text(encoding="utf-8"))


# ---------------------------------------------------------------------- the command
def _run(args):
    return CliRunner().invoke(main, ["extract", *map(str, args)])


def test_usage_errors_are_one_line(tmp_path, messy_folder):
    out = tmp_path / "out.jsonl"
    for args, expected in [
        ([messy_folder, "-o", out, "--date", "2024-02-30"], "--date"),
        ([messy_folder, "-o", out, "--scheduler", "tcp://h:8786"], "--engine dask"),
        ([tmp_path / "missing", "-o", out], "no such file"),
        ([messy_folder, "-o", "-"], "file name"),
    ]:
        result = _run(args)
        assert result.exit_code == 2, (args, result.output)
        assert expected in result.stderr and len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.output
    assert not out.exists()


def test_nothing_processable_exits_non_zero(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "de", "text": GERMAN}) + "\n{oops\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = _run([src, "-o", out, "--base", "blank"])
    assert result.exit_code == 2
    assert "nothing could be processed" in result.stderr
    assert len(_lines(tmp_path / "out.errors.jsonl")) == 2
    assert not out.exists()


def test_command_on_the_real_blank_pipeline(tmp_path, messy_folder):
    out = tmp_path / "out.jsonl"
    result = _run([messy_folder, "-o", out, "--base", "blank", "--batch-size", "2"])
    assert result.exit_code == 0, result.output
    summary = result.stderr.strip().splitlines()
    assert len(summary) == 1 and "2 documents" in summary[0] and "4 rejected" in summary[0]
    docs = _check_folder_run(out)
    for d in docs.values():
        assert {"segments", "actors", "points", "commitments"} <= set(d)
    # resuming a complete run redoes nothing and keeps the output
    before = out.read_text(encoding="utf-8")
    result = _run([messy_folder, "-o", out, "--base", "blank", "--resume"])
    assert result.exit_code == 0 and "2 already there" in result.stderr
    assert out.read_text(encoding="utf-8") == before


def test_n_process_zero_uses_every_core_with_the_same_output(tmp_path, messy_folder, monkeypatch):
    import commitments.batch as batch
    from commitments.commands.extract import usable_cpus

    seen = []
    real = batch.process

    def spy(*args, **kwargs):
        seen.append(kwargs.get("n_process", 1))  # (workers record into their own copy)
        return real(*args, **kwargs)

    monkeypatch.setattr(batch, "process", spy)
    one, every = tmp_path / "one.jsonl", tmp_path / "every.jsonl"
    assert _run([messy_folder, "-o", one, "--base", "blank"]).exit_code == 0
    result = _run([messy_folder, "-o", every, "--base", "blank", "--n-process", "0"])
    assert result.exit_code == 0, result.output
    assert seen == [1, usable_cpus()] and usable_cpus() >= 1
    assert every.read_text(encoding="utf-8") == one.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt,name", [("labelstudio", "tasks.json"), ("prodigy", "tasks.jsonl")])
def test_pre_annotations_for_annotation_tools(tmp_path, messy_folder, fmt, name):
    from commitments.io.formats import read_as

    out = tmp_path / name
    result = _run([messy_folder, "-o", out, "--base", "blank", "--to", fmt, "--no-progress"])
    assert result.exit_code == 0, result.output
    docs = read_as(out, fmt)
    assert len(docs) == 2
    assert all(d.problems() == [] and d.commitments is not None for d in docs)
    errors_name = name[: -len(".jsonl")] if name.endswith(".jsonl") else name
    assert len(_lines(tmp_path / f"{errors_name}.errors.jsonl")) == 4
    assert "--resume" in _run([messy_folder, "-o", out, "--to", fmt, "--resume"]).stderr

import json

from click.testing import CliRunner

from commitments.cli import main

BODY = "The two governments agreed to open consulates in each other's capitals by 2026.\n"


def run(*args, input=None):
    return CliRunner().invoke(main, ["read", *args], input=input)


def test_read_folder_to_file_with_summary(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "2024-03-01_a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "in" / "c.txt").write_bytes(b"\x00\x01binary")
    (tmp_path / "in" / "d.txt").write_text("  \n", encoding="utf-8")
    out = tmp_path / "docs.jsonl"
    result = run(str(tmp_path / "in"), "-o", str(out))
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["2024-03-01_a", "b"]
    assert records[0]["date"] == "2024-03-01" and "date" not in records[1]
    assert records[0]["text"] == BODY and records[0]["language"] == "en"
    err = result.stderr
    assert "bad record: " in err and "c.txt" in err and "binary file" in err
    assert "warning: " in err and "no date found" in err
    last = err.strip().splitlines()[-1]
    assert last == "2 documents read; 2 bad records (1 binary, 1 empty); 1 warning"


def test_stdin_to_stdout_with_date_option():
    result = run("-", "--date", "2024-05", input=BODY)
    assert result.exit_code == 0
    record = json.loads(result.stdout)
    assert record == {"id": "stdin", "date": "2024-05", "text": BODY, "language": "en"}
    assert result.stderr.strip() == "1 document read"


def test_bad_date_option_and_missing_input_are_one_line_errors(tmp_path):
    result = run(str(tmp_path), "--date", "2024-02-30")
    assert result.exit_code == 2
    assert result.stderr.strip() == "Error: --date: impossible day in date '2024-02-30'"
    result = run(str(tmp_path / "absent.txt"))
    assert result.exit_code == 2 and "no such file or folder" in result.stderr


def test_strict_and_quiet(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(b"caf\xe9")
    result = run(str(path), "--strict", "-q")
    assert result.exit_code == 1
    assert result.stderr.strip() == "0 documents read; 1 bad record (1 not UTF-8)"

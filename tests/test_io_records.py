import json
import warnings

import pytest

from commitments.errors import UsageError
from commitments.io import InputWarning, read_input
from commitments.model import BadRecord, Document

TEXT = "Both sides agreed to hold the next round of talks in Tokyo in 2025."
ANNOTATED = {
    "id": "2024-05-01_talks", "date": "2024-05-01", "genre": "readout", "text": TEXT,
    "commitments": [{"id": "c1", "start": 11, "end": 67, "text": TEXT[11:67], "kind": "agreement",
                     "holders": ["CHN", "JPN"], "modality": "firm", "deadline": "2025"}],
    "language": "en", "model": "v1",
}


def lines(*records):
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def test_format_jsonl_keeps_records_and_reports_bad_lines(tmp_path):
    path = tmp_path / "docs.jsonl"
    second = {"id": "b", "text": "Geneva, 3 May 2022\n\nThe ministers agreed to meet again soon."}
    path.write_text(lines(ANNOTATED, '{"id": "broken", "text": ', second,
                          {"id": "c", "text": TEXT, "date": "2024-02-30"},
                          {"id": "b", "text": TEXT}), encoding="utf-8")
    items = list(read_input(path))
    first, broken, doc_b, impossible, dup = items
    assert first.to_dict() == Document.from_dict(ANNOTATED).to_dict()  # nothing given is changed
    assert first.extra == {"language": "en", "model": "v1"}
    assert isinstance(broken, BadRecord) and broken.line == 2 and "malformed JSON" in broken.reason
    assert doc_b.date == "2022-05-03"            # a missing date comes from the dateline
    assert doc_b.extra["language"] == "en"
    assert isinstance(impossible, BadRecord) and "bad date" in impossible.reason
    assert isinstance(dup, BadRecord) and "duplicate document id 'b'" in dup.reason


def test_jsonl_line_that_is_not_utf8_loses_only_that_line(tmp_path):
    path = tmp_path / "docs.jsonl"
    head = lines(ANNOTATED).encode()
    path.write_bytes(head + b'{"id": "x", "text": "caf\xe9"}\n' + lines({"id": "y", "text": TEXT}).encode())
    first, bad, last = read_input(path)
    assert isinstance(first, Document) and isinstance(last, Document) and last.id == "y"
    assert isinstance(bad, BadRecord) and "not UTF-8" in bad.reason and bad.line == 2
    assert f"byte offset {len(head) + 24}" in bad.reason


def test_jsonl_rows_with_other_columns(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_text(lines({"body": TEXT, "published": "2024-06-01", "url": "https://e.org"},
                          {"body": "   "},
                          {"body": TEXT, "published": "2024-13-01"}), encoding="utf-8")
    items = list(read_input(path, text_column="body", columns={"date": "published", "source": "url"}))
    doc, empty, bad_date = items
    assert (doc.id, doc.date, doc.source, doc.text) == ("rows-0", "2024-06-01", "https://e.org", TEXT)
    assert isinstance(empty, BadRecord) and empty.reason == "empty text" and empty.line == 2
    assert isinstance(bad_date, BadRecord) and "impossible month" in bad_date.reason


def test_missing_text_column_is_named(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_text(lines({"content": TEXT}), encoding="utf-8")
    [bad] = read_input(path)
    assert isinstance(bad, BadRecord) and "no 'text' column (columns: content)" in bad.reason


def test_unknown_field_in_column_mapping_is_a_usage_error(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_text(lines({"text": TEXT}), encoding="utf-8")
    with pytest.raises(UsageError, match="unknown document field"):
        read_input(path, columns={"body": "x"})


def test_json_list_and_wrapped_object(tmp_path):
    path = tmp_path / "data.json"
    path.write_text(json.dumps([{"id": "2024-03-01_x", "text": TEXT, "genre": "memo", "tags": ["a"]}]),
                    encoding="utf-8")
    with pytest.warns(InputWarning, match="unknown genre 'memo'"):
        [doc] = read_input(path)
    assert doc.date == "2024-03-01"              # date-like id prefix
    assert doc.genre == "other" and doc.extra["tags"] == ["a"]
    wrapped = tmp_path / "wrapped.json"
    wrapped.write_text(json.dumps({"data": [{"text": TEXT, "date": "2024"}]}), encoding="utf-8")
    [doc] = read_input(wrapped)
    assert doc.id == "wrapped-0" and doc.date == "2024"
    broken = tmp_path / "broken.json"
    broken.write_text('[{"text": ', encoding="utf-8")
    [bad] = read_input(broken)
    assert isinstance(bad, BadRecord) and "malformed JSON" in bad.reason


def test_csv_rows(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text('id,text,date\nx1,"' + TEXT + '\nSecond line.",2024-01-02\nx2,,2024-01-03\n',
                    encoding="utf-8")
    doc, bad = read_input(path)
    assert doc.id == "x1" and doc.text == TEXT + "\nSecond line." and doc.date == "2024-01-02"
    assert isinstance(bad, BadRecord) and bad.doc_id == "x2"


def test_parquet_rows_are_streamed_in_batches(tmp_path):
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "data.parquet"
    table = pa.table({"id": [f"d{i}" for i in range(5)], "text": [f"{TEXT} ({i})" for i in range(5)],
                      "date": [dt.date(2024, 1, i + 1) for i in range(5)]})
    pq.write_table(table, path)
    docs = list(read_input(path))
    assert [d.id for d in docs] == ["d0", "d1", "d2", "d3", "d4"]
    assert docs[4].date == "2024-01-05" and docs[4].text.endswith("(4)")
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 not really")
    [bad] = read_input(broken)
    assert isinstance(bad, BadRecord) and "not a readable Parquet file" in bad.reason


def test_record_above_the_size_limit_is_reported(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_text(lines({"id": "big", "text": "word " * 3000}, {"id": "small", "text": TEXT}),
                    encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        big, small = read_input(path, max_mb=0.01)
    assert isinstance(big, BadRecord) and "too large" in big.reason and "characters" in big.reason
    assert isinstance(small, Document)

import json

import pytest

from commitments.errors import InputError
from commitments.model import (
    BadRecord, Commitment, Document, PointItem, PointsList, iter_documents, is_valid_deadline,
    parse_date, read_documents, write_jsonl,
)

TEXT = "Both sides agreed to hold talks in Tokyo next year."


def doc(**layers):
    return Document(id="d1", text=TEXT, date="2024-05-01", **layers)


def test_round_trip_keeps_unknown_keys(tmp_path):
    rec = doc(commitments=[Commitment("c1", 21, 51, TEXT[21:51], "agreement", ["CHN", "JPN"],
                                      "firm", "2025", extra={"trigger": "agreed to"})],
              actors=None).to_dict()
    rec["model_version"] = "x"
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps(rec) + "\n")
    [back] = read_documents(path)
    assert back.to_dict() == rec
    assert "actors" not in back.to_dict()  # absent layer stays absent
    assert back.commitments[0].extra == {"trigger": "agreed to"}


def test_empty_layer_is_kept_as_empty_list():
    d = Document.from_dict({"id": "x", "text": "abc", "actors": []})
    assert d.actors == [] and d.segments is None
    assert d.to_dict()["actors"] == []


@pytest.mark.parametrize("value,ok", [
    ("2024", True), ("2024-02", True), ("2024-02-29", True), ("2023-02-29", False),
    ("2024-13", False), ("24-01-01", False), ("January 2024", False),
])
def test_dates(value, ok):
    if ok:
        parse_date(value)
    else:
        with pytest.raises(ValueError):
            parse_date(value)


def test_deadline_intervals():
    assert is_valid_deadline("2025/2034")
    assert is_valid_deadline("2024-01/2024-06")
    assert not is_valid_deadline("2034/2025")
    assert not is_valid_deadline("2025/2026/2027")


def test_problems_name_each_fault():
    bad = doc(
        commitments=[Commitment("c1", 21, 99, "x", "promise", [], "firm", "2025-13")],
        points=[PointsList("p1", 0, 5, "agreed", 2, [PointItem("1", 0, 5)])],
    )
    msgs = " | ".join(bad.problems())
    assert "outside the text" in msgs
    assert "unknown kind 'promise'" in msgs
    assert "bad deadline '2025-13'" in msgs


def test_text_must_equal_slice():
    d = doc(commitments=[Commitment("c1", 21, 25, "meet", "agreement")])
    assert any("differs from the slice" in p for p in d.problems())


def test_iter_documents_reports_bad_lines_and_keeps_good(tmp_path):
    good = doc().to_dict()
    path = tmp_path / "in.jsonl"
    path.write_text(
        json.dumps(good) + "\n"
        + "{not json\n"
        + json.dumps({**good, "date": "2024-02-30"}) + "\n"
        + json.dumps(good) + "\n"  # duplicate id
        + json.dumps({**good, "id": "d2"}) + "\n"
    )
    items = list(iter_documents(path))
    bad = [i for i in items if isinstance(i, BadRecord)]
    assert [d.id for d in items if isinstance(d, Document)] == ["d1", "d2"]
    assert [b.line for b in bad] == [2, 3, 4]
    assert "malformed JSON" in bad[0].reason
    assert "bad date" in bad[1].reason and bad[1].doc_id == "d1"
    assert "duplicate document id" in bad[2].reason
    with pytest.raises(InputError, match=r"in.jsonl:2"):
        read_documents(path)


def test_missing_file_and_bad_encoding(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_documents(tmp_path / "nope.jsonl")
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(b'{"id": "a", "text": "ok"}\n{"id": "b", "text": "caf\xe9"}\n{"id": "c", "text": "ok"}\n')
    with pytest.raises(InputError, match=r"latin1.jsonl:2: not UTF-8 .*byte offset 50 "):
        read_documents(path)
    # line 1 is 26 bytes; the bad byte follows the 24 bytes `{"id": "b", "text": "caf`
    items = list(iter_documents(path))  # the bad line loses nothing around it
    assert [getattr(i, "id", None) for i in items] == ["a", None, "c"]


def test_write_is_atomic_and_returns_count(tmp_path):
    out = tmp_path / "sub" / "o.jsonl"
    assert write_jsonl([doc(), doc()], out) == 2
    assert len(out.read_text().splitlines()) == 2
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")]

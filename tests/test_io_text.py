import io
import warnings

import pytest

from commitments.errors import InputError
from commitments.io import InputWarning, read_input
from commitments.io.text import read_stdin, read_txt
from commitments.model import BadRecord, Document

BODY = ("The two ministers agreed to resume the dialogue on maritime affairs and to meet "
        "again in Tokyo next spring.\n")


def one(source, **options):
    items = list(read_input(source, **options))
    assert len(items) == 1
    return items[0]


def test_text_file_id_date_and_exact_text(tmp_path):
    path = tmp_path / "2024-12-25_talks.txt"
    path.write_bytes(("Talks resume\r\n\r\n" + BODY).encode("utf-8"))
    doc = one(path)
    assert isinstance(doc, Document)
    assert doc.id == "2024-12-25_talks"
    assert doc.date == "2024-12-25"
    assert doc.text == "Talks resume\r\n\r\n" + BODY   # line endings kept as in the file
    assert doc.extra["language"] == "en"


def test_bom_is_dropped_and_offsets_start_after_it(tmp_path):
    path = tmp_path / "2024-01-02_bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + BODY.encode("utf-8"))
    assert one(path).text == BODY


def test_dateline_gives_the_date_when_the_name_has_none(tmp_path):
    path = tmp_path / "release.txt"
    path.write_text("TOKYO, Dec. 11, 2024 /PRNewswire/ -- " + BODY, encoding="utf-8")
    assert one(path, date="2020-01-01").date == "2024-12-11"


def test_file_name_prefix_wins_over_dateline(tmp_path):
    path = tmp_path / "2024-12-12_release.txt"
    path.write_text("TOKYO, Dec. 11, 2024 /PRNewswire/ -- " + BODY, encoding="utf-8")
    assert one(path).date == "2024-12-12"


def test_date_option_is_the_fallback(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text(BODY, encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error", InputWarning)
        assert one(path, date="2023-05").date == "2023-05"


def test_missing_date_warns_and_names_a_yearless_dateline(tmp_path):
    path = tmp_path / "wire.txt"
    path.write_text("BEIJING, May 9 (Xinhua) -- " + BODY, encoding="utf-8")
    with pytest.warns(InputWarning, match=r"no date found \(the dateline 'May 9' has no year\)"):
        doc = one(path)
    assert doc.date is None


def test_impossible_date_option_is_an_input_error(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text(BODY, encoding="utf-8")
    with pytest.raises(InputError, match="impossible day"):
        read_input(path, date="2024-02-30")
    with pytest.raises(InputError, match="not an ISO 8601 date"):
        read_input(path, date="30/01/2024")


def test_missing_path_and_unsupported_kind(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_input(tmp_path / "absent.txt")
    other = tmp_path / "slides.pptx"
    other.write_bytes(b"PK\x03\x04")
    with pytest.raises(InputError, match="unsupported kind of file '.pptx'"):
        read_input(other)


def test_non_utf8_reports_byte_offset_and_line(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("First line\nCaf\u00e9 talks\n".encode("latin-1"))
    bad = one(path)
    assert isinstance(bad, BadRecord)
    assert "not UTF-8" in bad.reason and "byte offset 14" in bad.reason
    assert bad.line == 2 and bad.doc_id == "latin1"


@pytest.mark.parametrize("data,reason", [
    (b"%PDF-1.4\n\x00\x01\x02binary", "binary file"),
    (bytes(range(1, 32)) * 20, "binary file"),
    (b"", "empty text"),
    (b"  \n\t\r\n  ", "empty text"),
    ("\ufeffUTF-16 words".encode("utf-16"), "UTF-16"),
])
def test_unreadable_files_give_one_reason(tmp_path, data, reason):
    path = tmp_path / "x.txt"
    path.write_bytes(data)
    bad = one(path)
    assert isinstance(bad, BadRecord) and reason in bad.reason


def test_large_text_is_reported_under_the_limit_and_read_above_it(tmp_path):
    path = tmp_path / "2024-01-01_big.txt"
    chunk = BODY * 1000
    with open(path, "w", encoding="utf-8") as fh:
        while fh.tell() < 20_000_000:
            fh.write(chunk)
    bad = one(path)  # default limit: 10 MB
    assert isinstance(bad, BadRecord) and "too large" in bad.reason and "--max-size" in bad.reason
    doc = one(path, max_mb=25, language=False)
    assert isinstance(doc, Document) and len(doc.text) >= 20_000_000
    assert isinstance(read_txt(path, max_mb=None, language=False), Document)


def test_stdin_text():
    doc = read_stdin(io.BytesIO(("Geneva, 3 May 2022\n\n" + BODY).encode()))
    assert doc.id == "stdin" and doc.date == "2022-05-03"
    bad = read_stdin(io.BytesIO(b"x" * 2000), max_mb=0.001)
    assert isinstance(bad, BadRecord) and "more than 0.001 million" in bad.reason
    assert isinstance(read_stdin(io.BytesIO(b"\xff\xfe\x00")), BadRecord)


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from commitments.io.base import ReadProblem, decode_text  # noqa: E402
from commitments.io.dates import find_dateline  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_decode_or_give_one_reason(data):
    try:
        text = decode_text(data)
    except ReadProblem as exc:
        assert str(exc)
    else:
        assert text.strip() and text == data.decode("utf-8").removeprefix("\ufeff")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_dateline_search_never_fails_and_gives_real_dates(text):
    found = find_dateline(text)
    if found is not None and found.date is not None:
        from commitments.model import is_valid_date

        assert is_valid_date(found.date)

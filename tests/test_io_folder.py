import warnings

import pytest

from commitments.io import InputWarning, read_input
from commitments.model import BadRecord, Document

BODY = "The parties agreed to establish a joint working group on fisheries.\n"
MANIFEST = (
    "file\tdate\ttitle\tsource_url\tgenre\tlanguage\tnotes\n"
    "2024-01-05_a.txt\t2024-01-04\tTitle A\thttps://example.org/a\treadout\ten\tpairs with b\n"
    "b.txt\t2024-02-30\tTitle B\t\tnews\ten\t\n"
    "c.txt\t\tTitle C\t\tmemo\tfr\t\n"
    "gone.txt\t2024-03-01\tGone\t\tnews\ten\t\n"
)


def write(folder, name, text=BODY):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def read_all(folder, **options):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InputWarning)
        items = list(read_input(folder, **options))
    return items, [str(w.message) for w in caught if issubclass(w.category, InputWarning)]


@pytest.fixture
def corpus(tmp_path):
    write(tmp_path, "MANIFEST.tsv", MANIFEST)
    write(tmp_path, "2024-01-05_a.txt")
    write(tmp_path, "b.txt")
    write(tmp_path, "c.txt")
    write(tmp_path, "sub/2023-07-01_d.txt")
    write(tmp_path, "sub/e.html", "<p>Geneva, 3 May 2022</p><p>The sides agreed to meet again.</p>")
    write(tmp_path, ".hidden/f.txt")
    write(tmp_path, "notes.docx", "not read")
    return tmp_path


def test_folder_reads_every_text_sorted_with_manifest_metadata(corpus):
    items, warned = read_all(corpus, date="2000")
    ids = [i.doc_id if isinstance(i, BadRecord) else i.id for i in items]
    assert ids == ["2024-01-05_a", "b", "c", "sub/2023-07-01_d", "sub/e"]
    a, b, c, d, e = items
    # the manifest date wins over the file-name prefix
    assert (a.date, a.title, a.source, a.genre) == ("2024-01-04", "Title A", "https://example.org/a", "readout")
    assert a.extra == {"language": "en", "notes": "pairs with b"}
    # an impossible manifest date makes that file a bad record, naming the manifest line
    assert isinstance(b, BadRecord) and "impossible day" in b.reason and "line 3" in b.reason
    # an unknown genre is read as 'other', the value given kept
    assert c.genre == "other" and c.extra["genre_given"] == "memo" and c.extra["language"] == "fr"
    assert c.date == "2000"          # no manifest date, no prefix, no dateline: --date
    assert d.date == "2023-07-01" and d.title is None
    assert e.date == "2022-05-03" and e.text.startswith("Geneva")
    assert any("unknown genre 'memo'" in w for w in warned)
    assert any("gone.txt is not in the folder" in w for w in warned)
    assert any("1 file(s) that are not .txt or .html" in w for w in warned)


def test_folder_without_manifest_and_duplicate_ids(tmp_path):
    write(tmp_path, "2024-01-01_x.txt")
    write(tmp_path, "2024-01-01_x.html", "<p>Other text of the same name.</p>")
    items, _ = read_all(tmp_path)
    assert isinstance(items[0], Document) and items[0].id == "2024-01-01_x"
    assert isinstance(items[1], BadRecord) and "duplicate document id" in items[1].reason


def test_one_bad_file_loses_nothing_else(tmp_path):
    write(tmp_path, "2024-01-01_good.txt")
    (tmp_path / "2024-01-02_bad.txt").write_bytes(b"\xff\xfe\xfa broken")
    write(tmp_path, "2024-01-03_good.txt")
    items, _ = read_all(tmp_path)
    assert [type(i).__name__ for i in items] == ["Document", "BadRecord", "Document"]


def test_manifest_without_file_column_is_ignored_with_a_warning(tmp_path):
    write(tmp_path, "manifest.csv", "name,date\n2024-01-01_x.txt,2020-01-01\n")
    write(tmp_path, "2024-01-01_x.txt")
    items, warned = read_all(tmp_path)
    assert items[0].date == "2024-01-01"
    assert any("no 'file' column" in w for w in warned)


def test_csv_manifest_with_source_column(tmp_path):
    write(tmp_path, "manifest.csv", "file,date,source,genre,region\nx.txt,2021-06,https://e.org/x,Joint Statement,Asia\n")
    write(tmp_path, "x.txt")
    [doc], warned = read_all(tmp_path)
    assert (doc.date, doc.source, doc.genre) == ("2021-06", "https://e.org/x", "joint_statement")
    assert doc.extra["region"] == "Asia" and not warned

import pytest

datasets = pytest.importorskip("datasets")

from commitments.io import read_input  # noqa: E402
from commitments.io.hf import features, from_dataset, to_dataset  # noqa: E402
from commitments.model import (  # noqa: E402
    ActorMention, BadRecord, Commitment, Document, PointItem, PointsList, Segment,
)

TEXT = ("Japan and China agreed on the following points. 1. Hold talks yearly. "
        "2. Open a hotline by 2025.")


def annotated() -> Document:
    i1, i2 = TEXT.index("1."), TEXT.index("2.")
    return Document(
        id="2024-05-01_talks", text=TEXT, date="2024-05-01", title="Talks", source="https://e.org",
        genre="readout",
        segments=[Segment(0, len(TEXT), "readout", voice="JPN", extra={"score": 0.5})],
        actors=[ActorMention(0, 5, "Japan", "state", "JPN", "JPN"),
                ActorMention(10, 15, "China", "state", "CHN", "CHN", extra={"alias": ["PRC"]})],
        commitments=[Commitment("c1", i1 + 3, i2 - 1, TEXT[i1 + 3:i2 - 1], "agreement", ["JPN", "CHN"],
                                "firm", None, "p1", "1", extra={"trigger": "agreed"}),
                     Commitment("c2", i2 + 3, len(TEXT) - 1, TEXT[i2 + 3:-1], "agreement", ["JPN", "CHN"],
                                "qualified", "2025", "p1", "2")],
        points=[PointsList("p1", i1, len(TEXT), "agreed", 2,
                           [PointItem("1", i1, i2 - 1), PointItem("2", i2, len(TEXT), extra={"k": 1})])],
        extra={"language": "en", "model": {"name": "rules", "version": 2}},
    )


def test_round_trip_keeps_every_layer_and_extra_key():
    docs = [annotated(),
            Document(id="bare", text="Plain text only."),                # layers absent
            Document(id="empty", text="Nothing found here.", actors=[], commitments=[])]  # annotated, empty
    ds = to_dataset(docs)
    assert ds.features == features()
    back = list(from_dataset(ds))
    assert [d.to_dict() for d in back] == [d.to_dict() for d in docs]
    assert back[1].commitments is None and back[2].commitments == []
    assert back[0].points[0].items[1].extra == {"k": 1}


def test_save_to_disk_folder_is_read_by_read_input(tmp_path):
    path = tmp_path / "saved"
    to_dataset([annotated()]).save_to_disk(str(path))
    [doc] = read_input(path)
    assert doc.to_dict() == annotated().to_dict()


def test_dataset_with_faulty_record_gives_a_bad_record(tmp_path):
    bad = annotated()
    bad.commitments[0].end = len(TEXT) + 10
    items = list(from_dataset(to_dataset([bad, Document(id="ok", text="Fine.")])))
    assert isinstance(items[0], BadRecord) and "outside the text" in items[0].reason
    assert isinstance(items[1], Document)


def test_plain_dataset_with_configured_columns_and_splits(tmp_path):
    train = datasets.Dataset.from_dict({
        "article": ["Geneva, 3 May 2022\n\nThe ministers agreed to meet again.", "  "],
        "headline": ["Ministers meet", "Empty"],
        "topic": ["trade", "none"],
    })
    test = datasets.Dataset.from_dict({"article": ["The parties pledged to cut tariffs."],
                                       "headline": ["Tariffs"], "topic": ["trade"]})
    path = tmp_path / "dd"
    datasets.DatasetDict({"train": train, "test": test}).save_to_disk(str(path))
    items = list(read_input(path, text_column="article", columns={"title": "headline"}, date="2021"))
    doc, empty, other = items
    assert (doc.id, doc.date, doc.title, doc.extra["topic"]) == ("train-0", "2022-05-03", "Ministers meet", "trade")
    assert isinstance(empty, BadRecord) and empty.reason == "empty text"
    assert other.id == "test-0" and other.date == "2021"
    only = list(read_input(path, text_column="article", split="test", date="2021"))
    assert [d.id for d in only] == ["test-0"]

"""Cutting long texts into pieces and merging the pieces' results."""
import pytest

from commitments.chunking import merge_parts, split_points
from commitments.model import Commitment, Document, PointItem, PointsList, Segment


def _tiles(text, pieces):
    return pieces[0][0] == 0 and pieces[-1][1] == len(text) and all(
        a[1] == b[0] for a, b in zip(pieces, pieces[1:]))


def test_short_text_is_one_piece():
    assert split_points("Japan will help.", 100) == [(0, 16)]
    assert split_points("", 100) == [(0, 0)]


def test_cut_after_the_blank_line():
    text = "a" * 60 + "\n\n" + "b" * 60
    # the window is 100 characters; the blank line ends at 62
    assert split_points(text, 100) == [(0, 62), (62, 122)]


def test_blank_line_preferred_to_a_later_sentence_end():
    text = "x" * 55 + "\n\n" + "Some words. More words. " + "y" * 80
    pieces = split_points(text, 100)
    assert pieces[0] == (0, 57)
    assert _tiles(text, pieces)


def test_sentence_end_preferred_to_other_whitespace():
    first = "word " * 12 + "end. "          # 65 characters, the sentence ends at 64
    text = first + "more words here " * 3 + "z" * 50
    pieces = split_points(text, 100)
    # no line break in the window: the last sentence end wins over later spaces
    assert pieces[0] == (0, 65)
    assert text[pieces[0][1]:].startswith("more")


def test_hard_cut_without_any_boundary():
    text = "x" * 250
    assert split_points(text, 100) == [(0, 100), (100, 200), (200, 250)]


def test_pieces_never_exceed_the_limit_and_tile_the_text():
    text = ("China will act.\n" * 7 + "\n") * 40
    pieces = split_points(text, 150)
    assert _tiles(text, pieces)
    assert all(0 < end - start <= 150 for start, end in pieces)
    # every cut falls right after a line break
    assert all(text[end - 1] == "\n" for _, end in pieces[:-1])


def test_too_small_limit_is_refused():
    with pytest.raises(ValueError):
        split_points("abc", 1)


# ---------------------------------------------------------------------- merging
BASE_TEXT = "Japan will help.\n\nChina will act.\n1. build roads\n2. fund schools"


def _part(offset, end, **layers):
    return Document(id="d", text=BASE_TEXT[offset:end], **layers)


def test_merge_shifts_offsets_and_renumbers_ids():
    base = Document(id="d", text=BASE_TEXT, date="2024-05-01", title="T")
    cut = BASE_TEXT.index("China")  # 18
    first = _part(0, cut,
                  segments=[Segment(0, 16, "statement", "JPN")],
                  commitments=[Commitment("c1", 11, 15, "help", "pledge", ["JPN"])],
                  points=[])
    n = len(BASE_TEXT) - cut
    roads = BASE_TEXT.index("build") - cut
    second = _part(cut, len(BASE_TEXT),
                   segments=[Segment(0, n, "statement", "CHN")],
                   points=[PointsList("p1", 16, n, "agreed", 2,
                                      [PointItem("1", 16, 30), PointItem("2", 31, n)])],
                   commitments=[Commitment("c1", 6, 14, "will act", "pledge", ["CHN"]),
                                Commitment("c2", roads, roads + 11, "build roads", "pledge",
                                           ["CHN"], points="p1", item="1")],
                   extra={"warnings": ["declared 2, found 2"]})
    merged = merge_parts(base, [(0, first), (cut, second)])
    assert merged.date == "2024-05-01" and merged.title == "T"
    assert [c.id for c in merged.commitments] == ["c1", "c2", "c3"]
    assert [c.text for c in merged.commitments] == ["help", "will act", "build roads"]
    assert merged.commitments[1].start == cut + 6
    assert merged.commitments[2].points == "p1" and merged.commitments[2].item == "1"
    assert [(p.start, p.end) for p in merged.points] == [(cut + 16, len(BASE_TEXT))]
    assert merged.points[0].items[0].start == cut + 16
    # different voices: the segments stay apart
    assert [(s.start, s.end, s.voice) for s in merged.segments] == [
        (0, 16, "JPN"), (cut, len(BASE_TEXT), "CHN")]
    assert merged.extra["warnings"] == ["declared 2, found 2"]
    assert merged.problems() == []


def test_merge_rejoins_a_segment_cut_by_a_piece_boundary():
    text = "The two sides met in Tokyo and talked at length about trade."
    base = Document(id="d", text=text)
    cut = text.index("talked")
    parts = [(0, Document(id="d", text=text[:cut], segments=[Segment(0, cut - 1, "commentary")])),
             (cut, Document(id="d", text=text[cut:],
                            segments=[Segment(0, len(text) - cut, "commentary")]))]
    merged = merge_parts(base, parts)
    assert [(s.start, s.end) for s in merged.segments] == [(0, len(text))]


def test_merge_keeps_absent_layers_absent():
    text = "a b c d"
    parts = [(0, Document(id="d", text="a b ", actors=[])), (4, Document(id="d", text="c d", actors=[]))]
    merged = merge_parts(Document(id="d", text=text), parts)
    assert merged.actors == []
    assert merged.commitments is None and merged.segments is None

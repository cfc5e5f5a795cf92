import spacy

from commitments.pipeline.points import PointsCues, find_lists, find_points, read_lead_in, default_points_cues
from commitments.pipeline.convert import doc_to_document

import pytest


def labels(found):
    return [[it.label for it in fl.items] for fl in found]


def test_numbered_list_with_dots_spans_label_to_end():
    text = ("The two sides reached a three-point consensus:\n\n"
            "1. hold a dialogue every year.\n\n2. expand student exchanges.\n\n"
            "3. open a consulate in Osaka.\n\nThe meeting ended at noon.")
    [fl] = find_points(text)
    assert labels([fl]) == [["1", "2", "3"]]
    assert text[fl.items[0].start:fl.items[0].end] == "1. hold a dialogue every year."
    assert text[fl.items[2].start:fl.items[2].end] == "3. open a consulate in Osaka."
    assert fl.start == text.index("1.") and fl.end == text.index("Osaka.") + len("Osaka.")
    assert fl.status == "agreed" and fl.declared_count == 3


def test_parenthesis_and_letter_styles():
    text = "Japan proposed:\n1) a fund\n2) a forum\n\nand also:\n(a) one step\n(b) another step"
    found = find_points(text)
    assert labels(found) == [["1", "2"], ["a", "b"]]
    assert found[0].status == "proposed"


def test_ordinal_list_one_party_proposal():
    text = ("Wang Yi put forward four points of view:\n"
            "First, calibrate perceptions.\nSecond, keep trust.\nThird, talk more.\n")
    [fl] = find_points(text)
    assert labels([fl]) == [["First", "Second", "Third"]]
    assert fl.status == "proposed" and fl.declared_count == 4


def test_bullets_keep_the_bullet_as_label():
    text = "The experts recommend that both governments:\n• open a hotline\n• meet yearly\n* unrelated"
    [fl] = find_points(text)
    assert labels([fl]) == [["•", "•"]]
    assert fl.status == "recommended"
    text = "We will:\n\n- fund schools;\n- build roads."
    assert labels(find_points(text)) == [["-", "-"]]


def test_nested_list_inside_an_item():
    text = ("1. We met in Delhi.\n\n2. We commit to:\n\na. grow trade.\n\nb. cut tariffs.\n\n"
            "3. We will meet again.")
    found = find_points(text)
    assert labels(found) == [["1", "2", "3"], ["a", "b"]]
    outer, inner = found
    item2 = outer.items[1]
    assert item2.start < inner.start and inner.end <= item2.end


def test_inline_parenthesised_items():
    text = "We endorse (1) a report on risks, (2) guiding principles and (3) a code of conduct. Next."
    [fl] = find_points(text)
    assert labels([fl]) == [["1", "2", "3"]]
    assert text[fl.items[1].start:fl.items[1].end] == "(2) guiding principles"
    assert text[fl.items[2].start:fl.items[2].end] == "(3) a code of conduct"


def test_lone_bullet_and_years_are_not_lists():
    assert find_points("*This report was presented in 2019.\n\nIt has 2. parts.") == []
    assert find_points("In 2019, the two sides met. 1990 was long ago.") == []


def test_lead_in_cues_and_counts():
    cues = default_points_cues()
    assert read_lead_in("thereby affirming the following items", cues) == ("agreed", None)
    assert read_lead_in("China proposed six points", cues) == ("proposed", 6)
    assert read_lead_in("they reached a 10-point consensus", cues) == ("agreed", 10)
    assert read_lead_in("Here is the list", cues, title="Notes") == ("other", None)


def test_cues_reject_unknown_keys():
    with pytest.raises(ValueError, match="unknown key"):
        PointsCues.from_dict({"status": {}, "declared_count": [], "trigger": "x"})
    with pytest.raises(ValueError, match="status"):
        PointsCues.from_dict({"status": {"maybe": ["x"]}, "declared_count": []})


@pytest.fixture
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("commitments_points", name="points")
    return nlp


def test_component_writes_span_groups_and_warns_on_count_mismatch(nlp):
    text = "They reached a four-point agreement:\n1. meet yearly.\n2. trade more.\n3. talk often.\n"
    doc = nlp(text)
    [span] = doc.spans["points"]
    assert span._.points_status == "agreed" and span._.declared_count == 4
    assert [s._.item_label for s in doc.spans["point_items"]] == ["1", "2", "3"]
    assert all(s._.points_id == span._.points_id for s in doc.spans["point_items"])
    assert doc._.warnings and "4" in doc._.warnings[0] and "3" in doc._.warnings[0]
    record = doc_to_document(doc)
    assert [it.label for it in record.points[0].items] == ["1", "2", "3"]
    assert record.points[0].items[0].start == text.index("1.")


def test_no_warning_when_counts_agree(nlp):
    doc = nlp("A two-point plan:\n1. meet.\n2. talk.\n")
    assert not doc._.warnings


def test_round_trip_disk_and_bytes(nlp, tmp_path):
    comp = nlp.get_pipe("points")
    comp.cues.status["recommended"].append(r"\bwe advise\b")
    nlp.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")
    assert r"\bwe advise\b" in loaded.get_pipe("points").cues.status["recommended"]
    other = spacy.blank("en")
    other.add_pipe("sentencizer")
    other.add_pipe("commitments_points", name="points")
    other.get_pipe("points").from_bytes(comp.to_bytes())
    assert r"\bwe advise\b" in other.get_pipe("points").cues.status["recommended"]
    doc = loaded("We advise:\n1. rest.\n2. eat.\n")
    assert doc.spans["points"][0]._.points_status == "recommended"

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
    text = "We agreed on the following:\n\n- fund schools;\n- build roads."
    assert labels(find_points(text)) == [["-", "-"]]


def test_dash_runs_are_lists_only_when_the_lead_in_announces_one():
    # a sentence broken into lines, a news standfirst, a dateline: no list
    assert find_points("We will:\n\n- fund schools;\n- build roads.\n\nThat is all.") == []
    assert find_points("Talks end in Jakarta\n- Second reading due within the year\n"
                       "- Two states strike a side deal\nJAKARTA - The talks ended.") == []
    assert find_points("Leaders meet\n\n-- Xinhua\n\n-- Reuters\n\nThe leaders met.") == []
    # announced: "as follows", "the following", "items", "points"
    text = "The measures read as follows:\n\n- fund schools.\n\n- build roads.\n\nThat is all."
    [fl] = find_points(text)
    assert labels([fl]) == [["-", "-"]]
    assert text[fl.start:fl.end] == "- fund schools.\n\n- build roads."
    text = "The ministers adopted these items:\n* a fund\n* a forum\n"
    assert labels(find_points(text)) == [["*", "*"]]
    # en and em dashes count as "-"
    assert labels(find_points("They listed the following:\n– trade\n— energy\n")) == [["-", "-"]]


def test_bullets_of_a_counted_list_are_numbered():
    text = ("The three points of the agreement read as follows:\n\n"
            "-- The sides will meet.\n\n-- They will trade.\n\n-- They will talk.\n\nEnd.")
    [fl] = find_points(text)
    assert labels([fl]) == [["1", "2", "3"]]
    assert fl.declared_count == 3 and fl.status == "agreed"
    assert text[fl.items[1].start:fl.items[1].end] == "-- They will trade."
    # a count that differs from the items found: the bullets stay labels
    text = text.replace("three points", "four points")
    [fl] = find_points(text)
    assert labels([fl]) == [["-", "-", "-"]] and fl.declared_count == 4


def test_one_item_lists_only_where_the_text_is_cut_off():
    prose = "The court cited Article 5 and paragraph\n1. of the annex, then adjourned.\n\nIt met again."
    assert find_points(prose) == []
    cut = "Both sides agreed:\n\n1. to meet every year and to expand trade\n[TRUNCATED in stored copy]\n"
    [fl] = find_points(cut)
    assert labels([fl]) == [["1"]]
    assert cut[fl.items[0].start:fl.items[0].end] == "1. to meet every year and to expand trade"
    [fl] = find_points("Both sides agreed:\n\nFirstly, to meet every year")
    assert labels([fl]) == [["Firstly"]]


def test_years_and_numbers_inside_prose_are_not_labels():
    assert find_points("2024. The year of talks.\n2025. The year of deeds.\n") == []
    assert find_points("Japan ranked no. 1. in trade and 2. in aid, said the report.") == []


def test_items_over_several_paragraphs():
    text = ("1. Trade\n\nThe sides will cut tariffs.\n\nThey will open markets.\n\n"
            "2. Energy\n\nThey will build a grid.\n\n"
            "3. Development of international principles for advanced AI (including generative AI)\n\n"
            "They will draft a code.\n\nThey will review it in 2025.")
    [fl] = find_points(text)
    assert labels([fl]) == [["1", "2", "3"]]
    one, two, three = (text[it.start:it.end] for it in fl.items)
    assert one == "1. Trade\n\nThe sides will cut tariffs.\n\nThey will open markets."
    assert two == "2. Energy\n\nThey will build a grid."
    # the last item is a title like the others: its body is its own
    assert three.endswith("They will review it in 2025.")
    # a last item that is a sentence does not take the prose after the list
    text = "We agreed:\n\n1. to meet.\n\n2. to talk.\n\nThe weather was fine."
    [fl] = find_points(text)
    assert text[fl.items[1].start:fl.items[1].end] == "2. to talk."


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
    assert read_lead_in("The following are major results of today's summit.", cues)[0] == "agreed"


def test_a_negated_cue_does_not_count():
    cues = default_points_cues()
    lead = "As it did not attract a full consensus, it is presented as a report."
    assert read_lead_in(lead, cues) == ("other", None)
    assert read_lead_in("It failed to reach agreement; China proposed:", cues)[0] == "proposed"
    # the cue counts where it is affirmed again later
    assert read_lead_in("Not all was easy. The sides reached consensus:", cues)[0] == "agreed"


def test_cues_reject_unknown_keys():
    with pytest.raises(ValueError, match="unknown key"):
        PointsCues.from_dict({"status": {}, "declared_count": [], "trigger": "x"})
    with pytest.raises(ValueError, match="status"):
        PointsCues.from_dict({"status": {"maybe": ["x"]}, "declared_count": []})
    with pytest.raises(Exception):
        PointsCues.from_dict({"status": {}, "declared_count": [], "announce": ["(unclosed"]})


def test_cues_compile_again_after_an_edit():
    cues = PointsCues.from_dict({"status": {}, "declared_count": [], "announce": []})
    text = "Our plans:\n- fund schools\n- build roads\n"
    assert find_points(text, cues) == []
    cues.announce.append(r"\bplans\b")
    assert labels(find_points(text, cues)) == [["-", "-"]]
    assert PointsCues.from_dict(cues.to_dict()).announce == [r"\bplans\b"]


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


def test_a_last_item_does_not_take_the_prose_after_it():
    text = ("The two sides agreed:\n1. The sides will hold talks\nevery year;\n"
            "2. They will expand trade.\nThe meeting ended at noon.")
    [fl] = find_points(text)
    assert text[fl.items[0].start:fl.items[0].end] == "1. The sides will hold talks\nevery year;"
    assert text[fl.items[1].start:fl.items[1].end] == "2. They will expand trade."
    # titles whose earlier items had no body: the prose after is not the item's
    text = "Agenda\n\n1. Trade\n\n2. Energy\n\nThe ministers then met the press."
    [fl] = find_points(text)
    assert text[fl.items[1].start:fl.items[1].end] == "2. Energy"


def test_lower_roman_numerals_against_letters():
    text = "The parties agreed to:\n\n(i) hold talks;\n\n(ii) expand trade; and\n\n(iii) review it.\n\nEnd."
    [fl] = find_points(text)
    assert labels([fl]) == [["i", "ii", "iii"]] and fl.style == "(roman)"
    assert text[fl.items[2].start:fl.items[2].end] == "(iii) review it."
    text = "They agreed:\ni. to meet;\nii. to talk;\niii. to trade;\niv. to fly;\nv. to sail.\n"
    assert labels(find_points(text)) == [["i", "ii", "iii", "iv", "v"]]
    # after (h), (i) is a letter
    text = "".join(f"({c}) item {c};\n" for c in "abcdefghij")
    [fl] = find_points(text)
    assert labels([fl]) == [list("abcdefghij")] and fl.style == "(alpha)"
    text = "They will (i) hold talks, (ii) expand trade and (iii) review it. Then lunch."
    [fl] = find_points(text)
    assert [text[it.start:it.end] for it in fl.items] == ["(i) hold talks", "(ii) expand trade",
                                                         "(iii) review it"]
    # a lone (i) or (v) is nothing
    assert find_points("The visit (i) was short.\n(v) Vienna.") == []

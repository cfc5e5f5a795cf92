"""Segments on short hand-written texts (blank English pipeline, no model)."""
import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from commitments.model import Document
from commitments.pipeline import actors as _actors  # noqa: F401  (registers the factory)
from commitments.pipeline import segments as _segments  # noqa: F401
from commitments.pipeline.convert import doc_to_document, make_doc
from commitments.pipeline.segments import Actor, paragraphs, segment

READOUT = (
    "Wang Yi Meets Takeshi Iwaya\n\n"
    "On 3 March, Foreign Minister Wang Yi held talks with Foreign Minister Takeshi Iwaya in Beijing. "
    "Wang Yi stated that the two countries should keep their promises.\n\n"
    "Iwaya said that Japan is ready to expand exchanges with China.\n\n"
    "Post a comment"
)


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("commitments_actors", name="actors")
    nlp.add_pipe("commitments_segments", name="segments")
    return nlp


def segs(nlp, text, genre=None):
    doc = nlp(make_doc(nlp, Document(id="t", text=text, genre=genre)))
    return [(s.text, s._.segment_kind, s._.voice) for s in doc.spans["segments"]]


def test_paragraphs_strip_blank_lines_or_split_lines():
    assert paragraphs("A b.\n\n  C d.\n") == [(0, 4), (8, 12)]
    assert paragraphs("one\ntwo") == [(0, 3), (4, 7)]


def test_readout_voices_and_boilerplate(nlp):
    got = segs(nlp, READOUT, genre="readout")
    assert got[0] == ("Wang Yi Meets Takeshi Iwaya", "boilerplate", None)
    assert got[1][1:] == ("readout", "Wang Yi")
    assert got[2] == ("Iwaya said that Japan is ready to expand exchanges with China.", "readout",
                      "Takeshi Iwaya")
    assert got[3] == ("Post a comment", "boilerplate", None)


def test_lead_in_joins_the_quotation_it_introduces(nlp):
    text = ("The talks lasted two hours.\n\n"
            "China's foreign ministry reported:\n\n"
            "Wang Yi said that China values the relationship.")
    got = segs(nlp, text, genre="news")
    assert got[0][1] == "commentary"
    assert got[1] == ("China's foreign ministry reported:\n\nWang Yi said that China values the relationship.",
                      "readout", "Wang Yi")


def test_joint_statement_paragraphs_are_one_consensus_segment(nlp):
    text = ("Joint Statement\n\n"
            "We, the Leaders of Japan and the People's Republic of China, met in Tokyo.\n\n"
            "1. The two sides will hold the next dialogue in 2026.\n\n"
            "[TRUNCATED in stored copy]")
    got = segs(nlp, text, genre="joint_statement")
    assert [k for _, k, _ in got] == ["boilerplate", "consensus", "boilerplate"]
    assert got[1][0].startswith("We, the Leaders") and got[1][0].endswith("in 2026.")
    assert got[1][2] is None


def test_agreed_list_in_a_news_text_is_consensus(nlp):
    text = ("The two sides reached agreement on Friday, officials noted in passing.\n\n"
            "The points read as follows:\n\n"
            "-- The two sides will resume talks.\n\n"
            "-- The two sides will open a hotline.\n\n"
            "Analysts were cautious about the outcome.")
    kinds = [k for _, k, _ in segs(nlp, text, genre="news")]
    assert kinds[-2:] == ["consensus", "commentary"]


def test_speaker_label_starts_a_statement(nlp):
    text = "Press conference\n\nPRIME MINISTER TARO ASO: We will host the next summit.\n\nThank you."
    got = segs(nlp, text, genre="speech")
    assert ("PRIME MINISTER TARO ASO: We will host the next summit.\n\nThank you.", "statement",
            "Taro Aso") in got


def test_segment_function_without_spacy():
    text = "Headline here\n\nChina said it would attend.\n\nThe weather was fine."
    out = segment(text, [Actor(15, 20, "state", "CHN")], genre="news")
    assert [(s.kind, s.voice) for s in out] == [("boilerplate", None), ("readout", "CHN"), ("commentary", None)]


def test_blank_pipeline_run_and_disk_round_trip(tmp_path, nlp):
    doc = nlp(make_doc(nlp, Document(id="t", text=READOUT, genre="readout")))
    out = doc_to_document(doc)
    assert not out.problems()
    assert len(out.segments) == 4 and len(out.actors) >= 4
    nlp.to_disk(tmp_path / "pipe")
    loaded = spacy.load(tmp_path / "pipe")
    again = loaded(make_doc(loaded, Document(id="t", text=READOUT, genre="readout")))
    assert [(s.start_char, s.end_char, s._.segment_kind, s._.voice) for s in again.spans["segments"]] == \
        [(s.start_char, s.end_char, s._.segment_kind, s._.voice) for s in doc.spans["segments"]]
    assert [(s.text, s._.actor_key) for s in again.spans["actors"]] == \
        [(s.text, s._.actor_key) for s in doc.spans["actors"]]


def test_segments_alone_find_voices_without_actors_component():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("commitments_segments")
    doc = nlp(make_doc(nlp, Document(id="t", text=READOUT, genre="readout")))
    assert doc.spans["segments"][2]._.voice == "Takeshi Iwaya"


def test_news_agreement_is_narrative_but_speech_is_a_readout(nlp):
    text = ("Japan and China agreed on Wednesday to open a maritime hotline.\n\n"
            "Foreign Minister Wang Yi said that the hotline would reduce risks.")
    got = segs(nlp, text, genre="news")
    assert got[0][1] == "commentary" and got[0][2] is None
    assert got[1][1:] == ("readout", "Wang Yi")
    # in a readout document an agreement is still relayed
    got = segs(nlp, text, genre="readout")
    assert [(k, v) for _, k, v in got] == [("readout", "CHN+JPN"), ("readout", "Wang Yi")]


def test_line_cut_by_a_truncation_marker_is_body_text(nlp):
    text = ("Leaders met in Bali on Tuesday and discussed food security at length.\n"
            "The meeting also covered energy prices and the debt of poorer countries, and it was agreed that\n"
            "[TRUNCATED in stored copy]")
    got = segs(nlp, text, genre="news")
    # one commentary segment; the marker line stays with the line it cuts off
    assert got == [(text, "commentary", None)]


def test_reporter_from_the_source_address(nlp):
    text = "Wang Yi said that China would expand exchanges with Japan."
    doc = nlp(make_doc(nlp, Document(id="t", text=text, genre="readout",
                                     source="https://www.fmprc.gov.cn/eng/wjdt/202412.html")))
    assert doc._.source.startswith("https://www.fmprc")
    [span] = doc.spans["segments"]
    assert (span._.segment_kind, span._.voice) == ("readout", "Wang Yi")
    assert span._.reporter == "Ministry of Foreign Affairs of the People's Republic of China"


def test_published_remarks_are_a_statement_until_the_next_lead_in(nlp):
    text = ("Foreign Minister Wang Yi met Foreign Minister Takeshi Iwaya in Beijing on Monday.\n\n"
            "The ministry published Wang Yi's full remarks at the meeting.\n\n"
            "We are now holding the second meeting of the mechanism.\n\n"
            "Colleagues and friends,\n\n"
            "Our two countries should build a stable relationship.\n\n"
            "Iwaya is described by a Chinese official readout as saying\n\n"
            "Both countries will strengthen communication.")
    got = segs(nlp, text, genre="readout")
    kinds = [(k, v) for _, k, v in got]
    # the intro, the remarks and the salutation inside them: one statement by Wang Yi
    assert ("statement", "Wang Yi") in kinds
    stmt = next(t for t, k, _ in got if k == "statement")
    assert stmt.startswith("The ministry published") and stmt.endswith("stable relationship.")
    # the lead-in ends it and gives its person's voice to the readout it introduces
    assert got[-1][1:] == ("readout", "Takeshi Iwaya")
    assert got[-1][0].startswith("Iwaya is described")


def test_photo_captions_and_click_here_lines_are_boilerplate(nlp):
    text = ("The summit opened in Jakarta on Monday with a call for calm in the region.\n\n"
            "Leaders pose for a group photo in Jakarta, Sept. 5, 2023. [Photo/Agency]\n\n"
            "The talks will continue on Tuesday.\n\n"
            "Click on the link below to read more stories.")
    got = segs(nlp, text, genre="news")
    assert [k for _, k, _ in got] == ["commentary", "boilerplate", "commentary", "boilerplate"]
    assert got[1][0].endswith("[Photo/Agency]")


def test_standfirst_sentence_and_heading_under_the_dated_title_are_body(nlp):
    text = ("About The Harbour Dialogue\n\n"
            "March 3, 2021\n\n"
            "A platform of informal dialogue between experts of two neighbouring countries on maritime "
            "safety and the fisheries of the region\n\n"
            "The Aim of the Harbour Dialogue\n\n"
            "The dialogue meets every year and publishes a summary of its debates.")
    got = segs(nlp, text, genre="other")
    assert got[0] == ("About The Harbour Dialogue\n\nMarch 3, 2021", "boilerplate", None)
    # the sentence-like standfirst and the title-case heading join the body text
    assert len(got) == 2 and got[1][1] == "commentary"
    assert got[1][0].startswith("A platform of informal") and got[1][0].endswith("of its debates.")


def test_heading_under_the_title_without_a_date_stays_boilerplate(nlp):
    text = ("Weekly Digest\n\nThe Harbour Dialogue Meets Again\n\n"
            "The dialogue met in Busan on Friday and discussed fisheries.")
    got = segs(nlp, text, genre="news")
    assert got[0] == ("Weekly Digest\n\nThe Harbour Dialogue Meets Again", "boilerplate", None)


def test_items_after_an_n_point_agreement_are_consensus_without_blank_lines(nlp):
    text = ("Observers in China and Japan were surprised by the speed of the talks.\n"
            "The two sides reached a 3-point consensus on Monday, according to the foreign ministry.\n"
            "1. hold regular meetings of their foreign ministers.\n"
            "2. open a maritime hotline.\n"
            "3. resume youth exchanges.\n"
            "Analysts expect more progress next year.")
    got = segs(nlp, text, genre="readout")
    kinds = [k for _, k, _ in got]
    assert "consensus" in kinds
    cons = next(t for t, k, _ in got if k == "consensus")
    assert cons.startswith("1. hold") and cons.endswith("youth exchanges.")
    # the announcement is not one of the items
    assert any(k == "readout" and "reached a 3-point consensus" in t for t, k, _ in got)


def test_a_five_point_proposal_is_no_agreed_list(nlp):
    text = ("Wang Yi put forward a five-point proposal on Monday.\n"
            "1. strengthen dialogue.\n"
            "2. expand trade.")
    kinds = [k for _, k, _ in segs(nlp, text, genre="readout")]
    assert "consensus" not in kinds


NEWSLETTER = (
    "I did not expect this so soon, but Foreign Minister Takeshi Iwaya landed in Beijing on Monday.\n"
    "Here are my observations:\n"
    "As I noted last year, the relationship has been warming since the leaders met.\n"
    "The ministry of foreign affairs reported\n"
    "Wang Yi stated that the two countries should keep their promises.\n"
    "China is ready to expand exchanges with Japan.\n"
    "Kyodo reports that Iwaya also conveyed his concerns about a buoy.\n"
    "Iwaya also met Li Qiang, the Chinese Premier.\n"
    "It will be interesting to see what follows."
)


def test_author_narrated_newsletter_relays_readouts_after_lead_ins(nlp):
    got = segs(nlp, NEWSLETTER, genre="readout")
    # the author's own paragraphs are commentary, not readouts
    assert got[0][1] == "commentary" and got[0][0].startswith("I did not expect")
    assert got[0][0].endswith("since the leaders met.")
    # the lead-in and the paragraphs it introduces: Wang Yi's readout
    assert got[1][1:] == ("readout", "Wang Yi")
    assert got[1][0].startswith("The ministry of foreign affairs reported")
    assert got[1][0].endswith("exchanges with Japan.")
    # a meeting the author narrates ends the relayed readout
    assert ("Iwaya also met Li Qiang, the Chinese Premier.\nIt will be interesting to see what follows.",
            "commentary", None) in got


def test_outlet_that_reports_gives_the_reporter_of_its_paragraph():
    text = "Wang Yi said China values the ties.\nKyodo reports that Iwaya also raised the buoy issue."
    actors = [Actor(0, 7, "person", "Wang Yi"), Actor(36, 41, "organization", "Kyodo News"),
              Actor(55, 60, "person", "Takeshi Iwaya")]
    out = segment(text, actors, genre="readout", source="https://www.fmprc.gov.cn/x")
    assert [(s.kind, s.voice) for s in out] == [("readout", "Wang Yi"), ("readout", "Wang Yi")]
    assert out[0].reporter == "Ministry of Foreign Affairs of the People's Republic of China"
    assert out[1].reporter == "Kyodo News"


def test_named_speaker_with_an_appositive_is_a_readout_in_a_press_release(nlp):
    text = ("The forum opened in Tokyo on Wednesday with 400 participants.\n\n"
            "In a video address, Wang Yi, a member of the Political Bureau, praised the forum.\n\n"
            "Reflecting on the past years, he acknowledged that relations had faced difficulties.\n\n"
            "Hana Kobori, chair of the Lantern Institute, highlighted the role of young people.\n\n"
            "Kobori expressed her hope that exchanges would grow.\n\n"
            "The forum includes seven sub-forums.")
    got = segs(nlp, text, genre="press_release")
    assert [(k, v) for _, k, v in got] == [
        ("commentary", None), ("readout", "Wang Yi"), ("readout", "Hana Kobori"), ("commentary", None)]
    assert got[1][0].endswith("faced difficulties.")
    assert got[2][0].endswith("exchanges would grow.")


def test_coordinated_subjects_and_agreements_stay_narrative(nlp):
    text = ("Prime Minister Shinzo Abe and President Xi Jinping agreed to meet again.\n\n"
            "Japan and China signed four documents.")
    got = segs(nlp, text, genre="news")
    assert [k for _, k, _ in got] == ["commentary"]


def test_background_paragraph_from_an_earlier_year_is_commentary():
    text = ("The forum met in Tokyo this week.\n\n"
            "In 2006, Shinzo Abe emphasized in an address the importance of the forum.\n\n"
            "Shinzo Abe emphasized on Monday that the forum matters.")
    actors = [Actor(44, 54, "person", "Shinzo Abe"), Actor(110, 120, "person", "Shinzo Abe")]
    assert text[44:54] == text[110:120] == "Shinzo Abe"
    out = segment(text, actors, genre="news", date="2018-10-14")
    assert [(s.kind, s.voice) for s in out] == [("commentary", None), ("readout", "Shinzo Abe")]
    assert out[0].end == 108  # the 2006 paragraph stays in the commentary
    # without the document's date nothing says the year is past
    assert segment(text, actors, genre="news")[1].kind == "readout"


def test_publisher_page_in_the_first_person_plural_is_its_statement():
    text = ("The Harbour Forum was founded in 2005 by the Lantern Institute.\n\n"
            "At this year's forum, we will discuss fisheries, and we will strive to build trust.\n\n"
            "The forum is covered by the media every year.")
    actors = [Actor(44, 62, "organization", "Lantern Institute"), Actor(4, 17, "organization", "Harbour Forum"),
              Actor(44, 62, "organization", "Lantern Institute")]
    out = segment(text, actors, genre="other")
    assert [(s.kind, s.voice) for s in out] == [
        ("commentary", None), ("statement", "Lantern Institute"), ("commentary", None)]
    # a quoted "we" is someone else's words
    quoted = 'The forum opened.\n\n"We will discuss fisheries," the chair told reporters.'
    assert "statement" not in [s.kind for s in segment(quoted, [], genre="other")]


def test_byline_needs_a_name():
    text = ("Trade ministers meet\n\nBy Jane Roe and John Doe\n\nThe ministers met on Monday.\n\n"
            "By member, compliance was led by the United Kingdom at 90%.")
    out = segment(text, [], genre="news")
    assert [s.kind for s in out] == ["boilerplate", "commentary"]
    assert text[out[1].start:out[1].end].endswith("at 90%.")


def test_news_quoting_a_joint_document_relays_its_parties_until_the_narrative_resumes(nlp):
    text = ("Trade pact signed\n\n"
            "Japan and Korea agreed to cut tariffs on steel, the joint statement said.\n\n"
            "The two sides will also open a hotline.\n\n"
            "Korea reiterated its support for the plan.\n\n"
            "The statement was signed in Seoul on Monday.\n\n"
            "Markets rose after the news.")
    got = segs(nlp, text, genre="news")
    assert got[0][1] == "boilerplate"
    assert got[1][1:] == ("readout", "JPN+KOR")
    # the document's content goes on (a member of its parties included) ...
    assert got[1][0].endswith("support for the plan.")
    # ... up to the narrative of how it was made
    assert got[2] == ("The statement was signed in Seoul on Monday.\n\nMarkets rose after the news.",
                      "commentary", None)


def test_they_agreed_after_a_readout_goes_on_relaying_it(nlp):
    text = ("Foreign Minister Wang Yi said that the talks were candid.\n\n"
            "They agreed to meet again in the spring.\n\n"
            "Japan and China agreed on a hotline.")
    got = segs(nlp, text, genre="news")
    assert got[0][1:] == ("readout", "Wang Yi") and got[0][0].endswith("in the spring.")
    assert got[1][1] == "commentary"


def test_speaker_after_a_possessive_country_and_titles_delivering_an_address():
    text = ("The forum opened on Saturday.\n\n"
            "At the session on Oct. 26, China's State Councilor and Foreign Minister Wang Yi delivered "
            "an opening address in which he said relations had improved.")
    i = text.index("China's")
    j = text.index("Wang Yi")
    out = segment(text, [Actor(i, i + 5, "state", "CHN"), Actor(j, j + 7, "person", "Wang Yi")], genre="news")
    assert [(s.kind, s.voice) for s in out] == [("commentary", None), ("readout", "Wang Yi")]


def test_quotation_left_open_is_not_the_publishers_voice():
    text = ("The institute held its annual meeting.\n\n"
            "“We will expand the programme next year and we will invite more students.\n\n"
            "“It is a great day,” the director said.")
    assert "statement" not in [s.kind for s in segment(text, [], genre="press_release")]
    # and a news text is never its publisher's statement
    assert "statement" not in [s.kind for s in segment(
        "The talks went well.\n\nAt the next round, we will watch the trade talks closely.", [], genre="news")]


def test_opening_narrative_of_a_readout_takes_the_first_voice_it_gives():
    text = ("On 9 May, the summit was held in Tokyo with Prime Minister Shinzo Abe and Premier Li Keqiang.\n\n"
            "The two leaders said that trade should grow.\n\n"
            "Abe stated that Japan will host the next meeting.")
    i, j, k = text.index("Shinzo Abe"), text.index("The two leaders"), text.index("Abe stated")
    actors = [Actor(i, i + 10, "person", "Shinzo Abe"), Actor(j + 4, j + 15, "collective", "CHN+JPN"),
              Actor(k, k + 3, "person", "Shinzo Abe")]
    out = segment(text, actors, genre="readout")
    # one readout of both leaders from the opening, then Abe's own
    assert [(s.kind, s.voice) for s in out] == [("readout", "CHN+JPN"), ("readout", "Shinzo Abe")]
    assert out[0].start == 0 and text[out[0].start:out[0].end].endswith("trade should grow.")
    # with no voice later, the opening keeps the person it names
    alone = segment(text[:j].strip(), actors[:1], genre="readout")
    assert [(s.kind, s.voice) for s in alone] == [("readout", "Shinzo Abe")]


_LINES = [
    "Joint Statement", "June 12, 2012", "By Jane Roe and John Doe", "Post a comment",
    "The two sides reached a 3-point consensus, according to the ministry.", "1. open a hotline.",
    "2. resume exchanges.", "Here are my observations:", "I think the talks went well.",
    "China's foreign ministry reported", "Wang Yi stated that China values the ties.",
    "Iwaya also met Li Qiang.", "Kyodo reports that Iwaya raised the buoy issue.",
    "In 2006, Shinzo Abe emphasized the forum.", "At this year's forum, we will engage experts.",
    "Japan and China agreed to cut tariffs, the joint statement said.", "The statement was signed in Seoul.",
    "He said that exchanges would grow.", "“We will expand the programme,” she said.",
    "A platform of dialogue between experts of two countries on maritime safety and the fisheries of "
    "the region and beyond", "The Aim of the Dialogue", "[TRUNCATED in stored copy]",
    "Leaders pose for a photo. [Photo/Agency]", "PRIME MINISTER TARO ASO: We will host the summit.",
]


@given(st.lists(st.sampled_from(_LINES), min_size=1, max_size=12),
       st.sampled_from(["\n", "\n\n"]),
       st.sampled_from(["readout", "news", "press_release", "consensus", "speech", "other", None]))
@settings(max_examples=150, deadline=None)
def test_every_paragraph_is_in_exactly_one_segment_in_order(lines, sep, genre):
    text = sep.join(lines)
    out = segment(text, [], genre=genre, date="2024-01-01")
    assert all(s.kind in ("statement", "readout", "consensus", "commentary", "boilerplate") for s in out)
    assert all(0 <= s.start < s.end <= len(text) for s in out)
    assert all(x.end < y.start for x, y in zip(out, out[1:]))
    for a, b in paragraphs(text):
        assert sum(1 for s in out if s.start <= a and b <= s.end) == 1

"""Commitments component on short hand-written texts (blank pipeline, actor
and segment spans set by hand as the upstream components would)."""
import re

import pytest
import spacy
from spacy.tokens import Span

from commitments.pipeline.commitments import CueRule, load_rules

STATES = {"China": "CHN", "Japan": "JPN", "Korea": "KOR", "the Chinese side": "CHN",
          "the Japanese side": "JPN"}


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("commitments_points", name="points")
    nlp.add_pipe("commitments_commitments", name="commitments")
    return nlp


@pytest.fixture(scope="module")
def sm():
    """en_core_web_sm (parser cues) with points and commitments, built once."""
    from commitments.pipeline import base_pipeline

    sm = base_pipeline("en_core_web_sm")
    if "parser" not in sm.pipe_names:
        pytest.skip("en_core_web_sm is not installed")
    sm.add_pipe("commitments_points", name="points")
    sm.add_pipe("commitments_commitments", name="commitments")
    return sm


def run(nlp, text, date="2024-05-01", segments=None, persons=None, collectives=None, orgs=None):
    """Tokenise, mark actors and segments by hand, then run points and commitments."""
    doc = nlp.make_doc(text)
    doc._.date = date
    actors = []
    for name, key in sorted(STATES.items(), key=lambda kv: -len(kv[0])):
        for m in re.finditer(re.escape(name), text):
            span = doc.char_span(m.start(), m.end())
            if span is not None and not any(a.start <= span.start < a.end for a in actors):
                span._.actor_type, span._.actor_key, span._.actor_country = "state", key, key
                actors.append(span)
    for name, (key, country) in (persons or {}).items():
        for m in re.finditer(re.escape(name), text):
            span = doc.char_span(m.start(), m.end())
            span._.actor_type, span._.actor_key, span._.actor_country = "person", key, country
            actors.append(span)
    for name, (key, country) in (orgs or {}).items():
        for m in re.finditer(re.escape(name), text):
            span = doc.char_span(m.start(), m.end())
            span._.actor_type, span._.actor_key, span._.actor_country = "organization", key, country
            actors.append(span)
    for name, key in (collectives or {}).items():
        for m in re.finditer(re.escape(name), text):
            span = doc.char_span(m.start(), m.end())
            span._.actor_type, span._.actor_key = "collective", key
            actors.append(span)
    doc.spans["actors"] = sorted(actors, key=lambda s: s.start)
    segs = []
    for start, end, kind, voice in segments or [(0, len(text), "readout", None)]:
        span = doc.char_span(start, end, alignment_mode="expand")
        span._.segment_kind, span._.voice = kind, voice
        segs.append(span)
    doc.spans["segments"] = segs
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def found(doc):
    return [(s.text, s._.holders, s._.modality, s._.commitment_kind) for s in doc.spans["commitments"]]


def test_pledge_by_one_state(nlp):
    doc = run(nlp, "Japan will provide assistance for the construction of the pavilion.")
    assert found(doc) == [("provide assistance for the construction of the pavilion",
                           ["JPN"], "firm", "pledge")]
    assert doc.spans["commitments"][0]._.trigger == "will"


def test_demand_and_hope_are_not_commitments(nlp):
    assert found(run(nlp, "Japan should keep its promises.")) == []
    assert found(run(nlp, "It is hoped that Japan will follow the trend of the times.")) == []
    assert found(run(nlp, "China hopes Japan will honour its word.")) == []


def test_past_action_and_attitude_are_not_commitments(nlp):
    text = "China re-instated visa-free travel for Japanese passport holders. Japan welcomed the step."
    assert found(run(nlp, text)) == []


def test_coordinated_actions_split_into_three(nlp):
    text = ("Japan is willing to work with China to enhance the quality of exchange programs, "
            "deepen friendly city interactions, and adopt more measures to facilitate travel.")
    got = found(run(nlp, text))
    assert [g[0] for g in got] == ["enhance the quality of exchange programs",
                                   "deepen friendly city interactions",
                                   "adopt more measures to facilitate travel"]
    # willingness is a qualified pledge of Japan alone
    assert all(g[1:] == (["JPN"], "qualified", "pledge") for g in got)


def test_agreement_of_both_sides(nlp):
    text = "China and Japan agreed to hold the next round of talks in Tokyo in the first half of 2025."
    doc = run(nlp, text)
    [c] = doc.spans["commitments"]
    assert c.text == "hold the next round of talks in Tokyo in the first half of 2025"
    assert c._.holders == ["CHN", "JPN"] and c._.commitment_kind == "agreement"
    assert c._.deadline == "2025-01/2025-06"


def test_readout_lead_in_gives_the_state(nlp):
    text = "Wang Yi stated that China will further relax its visa policies next year."
    doc = run(nlp, text, persons={"Wang Yi": ("Wang Yi", "CHN")})
    [c] = doc.spans["commitments"]
    assert c.text.startswith("further relax its visa policies")
    assert c._.holders == ["CHN"] and c._.deadline == "2025"


def test_official_holds_for_his_state(nlp):
    doc = run(nlp, "Iwaya pledged to visit Beijing again.", persons={"Iwaya": ("Takeshi Iwaya", "JPN")})
    assert found(doc) == [("visit Beijing again", ["JPN"], "firm", "pledge")]


def test_passive_meeting_in_agreed_text_starts_at_subject(nlp):
    text = "Both sides agreed on the plan. The next meeting will be held in Tokyo in 2026."
    doc = run(nlp, text, segments=[(0, len(text), "consensus", None)],
              collectives={"Both sides": "CHN+JPN"})
    spans = {s.text: s for s in doc.spans["commitments"]}
    assert "The next meeting will be held in Tokyo in 2026" in spans
    c = spans["The next meeting will be held in Tokyo in 2026"]
    assert c._.holders == ["CHN", "JPN"] and c._.deadline == "2026"


def test_we_in_a_statement_is_the_speaker(nlp):
    text = "We will open two new consulates."
    doc = run(nlp, text, segments=[(0, len(text), "statement", "JPN")])
    assert found(doc) == [("open two new consulates", ["JPN"], "firm", "pledge")]


def test_agreed_numbered_items_are_agreements(nlp):
    text = ("The two sides reached a two-point consensus:\n"
            "1. promote youth exchange visits.\n2. deepen cooperation in education.\n")
    doc = run(nlp, text, collectives={"The two sides": "CHN+JPN"})
    got = [(s.text, s._.holders, s._.commitment_kind, s._.item_label) for s in doc.spans["commitments"]]
    assert got == [("promote youth exchange visits", ["CHN", "JPN"], "agreement", "1"),
                   ("deepen cooperation in education", ["CHN", "JPN"], "agreement", "2")]


def test_proposed_points_are_not_commitments(nlp):
    text = ("Wang Yi proposed three points:\nFirst, calibrate perceptions.\n"
            "Second, maintain trust.\nThird, strengthen dialogue.\n")
    doc = run(nlp, text, segments=[(0, len(text), "readout", "Wang Yi")],
              persons={"Wang Yi": ("Wang Yi", "CHN")})
    assert doc.spans["points"][0]._.points_status == "proposed"
    assert found(doc) == []


def test_will_with_a_thing_as_subject_is_a_prediction(nlp):
    assert found(run(nlp, "The visit will strengthen ties between the peoples.")) == []


def test_rules_reject_unknown_keys_and_bad_values():
    with pytest.raises(ValueError, match="unknown key"):
        CueRule.from_dict({"category": "commit", "trigger": "will", "direction": "forward"})
    with pytest.raises(ValueError, match="category"):
        CueRule.from_dict({"category": "maybe", "trigger": "will"})
    with pytest.raises(ValueError, match="exactly one"):
        CueRule.from_dict({"category": "commit"})
    rules = load_rules({"rules": [{"category": "commit", "trigger": "vows to", "modality": "qualified"}]})
    assert rules[0].token_pattern() == [{"LOWER": "vows"}, {"LOWER": "to"}]


def test_added_rule_survives_disk_and_bytes(nlp, tmp_path):
    fresh = spacy.blank("en")
    fresh.add_pipe("sentencizer")
    comp = fresh.add_pipe("commitments_commitments", name="commitments")
    assert found(run_plain(fresh, "Japan guarantees to fund the school.")) == []
    comp.set_rules(comp.rules + [CueRule.from_dict({"category": "commit", "trigger": "guarantees to"})])
    assert [t for t, *_ in found(run_plain(fresh, "Japan guarantees to fund the school."))] == ["fund the school"]
    fresh.to_disk(tmp_path / "pipe")
    loaded = spacy.load(tmp_path / "pipe")
    assert [t for t, *_ in found(run_plain(loaded, "Japan guarantees to fund the school."))] == ["fund the school"]
    other = spacy.blank("en")
    other.add_pipe("sentencizer")
    other.add_pipe("commitments_commitments", name="commitments").from_bytes(comp.to_bytes())
    assert [t for t, *_ in found(run_plain(other, "Japan guarantees to fund the school."))] == ["fund the school"]


def run_plain(nlp, text):
    """No actors: the subject "Japan" is unknown, but the cue has no subject requirement."""
    return nlp(text)


def test_blank_pipeline_without_upstream_spans_never_crashes(nlp):
    fresh = spacy.blank("en")
    fresh.add_pipe("commitments_points", name="points")
    fresh.add_pipe("commitments_commitments", name="commitments")
    doc = fresh("We agreed to meet. \n\n1. a\n2. \n;;; will will will to to\n" * 3)
    assert "commitments" in doc.spans
    assert fresh("")._.warnings is None


def test_rule_regexes_find_what_the_matcher_finds():
    """Each packaged rule, translated to a regex over the text, matches the
    same token spans as spaCy's Matcher on its token pattern."""
    from spacy.matcher import Matcher

    from commitments.pipeline.commitments import CommitmentFinder, default_rules

    nlp = spacy.blank("en")
    text = ("Both sides agreed on Wednesday to work with China, Japan and Korea to build it. "
            "They are firmly committed to peace; it may rain in May. The G7 is to act.\n"
            "We will not waver and shall continue to adhere to the principles. "
            "He was invited to the Asia-Europe Meeting (ASEM) to be held in Beijing.")
    doc = nlp(text)
    rules = default_rules()
    finder = CommitmentFinder(nlp.vocab, rules, frozenset())
    assert not finder._ids  # every packaged rule has a regex
    by_regex = {(s, e, id(r)) for s, e, r in finder.cues(doc)}
    matcher = Matcher(nlp.vocab)
    for i, rule in enumerate(rules):
        matcher.add(str(i), [rule.token_pattern()])
    by_matcher = {(s, e, id(rules[int(nlp.vocab.strings[m])])) for m, s, e in matcher(doc)}
    assert by_regex <= by_matcher
    texts = {doc[s:e].text for s, e, _ in by_regex}
    assert {"agreed on Wednesday to", "work with China, Japan and Korea to", "are firmly committed to",
            "may", "is to", "will", "shall", "continue to", "adhere to",
            "Meeting (ASEM) to be held"} <= texts  # brackets glued to a word are tokens too
    assert "May" not in texts  # the month is not the modal


def test_coordinated_modals_share_the_subject(nlp):
    text = "Li will visit Tokyo, will deliver a speech and will meet students."
    doc = run(nlp, text, persons={"Li": ("Li Qiang", "CHN")})
    assert found(doc) == [("visit Tokyo", ["CHN"], "firm", "pledge"),
                          ("deliver a speech", ["CHN"], "firm", "pledge"),
                          ("meet students", ["CHN"], "firm", "pledge")]


def test_conditions_demands_and_predictions_are_not_commitments(nlp):
    assert found(run(nlp, "As long as China and Japan remain committed to dialogue, ties can grow.")) == []
    assert found(run(nlp, "Japan should commit itself to peace.")) == []
    assert found(run(nlp, "Japan will be victorious.")) == []
    assert found(run(nlp, "We would recommend for Japan to act.",
                     segments=[(0, 36, "statement", "JPN")])) == []


def test_past_decision_dated_before_the_document_is_not_a_commitment(nlp):
    assert found(run(nlp, "In 2012, Japan decided to buy the islands.", date="2024-05-01")) == []
    # the same decision in a text of that year is a pledge
    assert [t for t, *_ in found(run(nlp, "In 2012, Japan decided to buy the islands.",
                                     date="2012-09-01"))] == ["buy the islands"]


def test_meeting_to_be_held_is_scheduled(nlp):
    text = "China and Japan agreed to hold talks regularly, with the next meeting to be held in Seoul next year."
    doc = run(nlp, text)
    got = {s.text: s._.deadline for s in doc.spans["commitments"]}
    assert got.get("be held in Seoul next year") == "2025"


def test_such_as_stays_in_the_action(nlp):
    text = "China and Japan agreed to support events such as the Asian Games."
    assert [t for t, *_ in found(run(nlp, text))] == ["support events such as the Asian Games"]


def test_deadline_from_the_rest_of_the_sentence(nlp):
    doc = run(nlp, "Japan will send a delegation, which will arrive in March 2025.", date="2024-05-01")
    spans = {s.text: s._.deadline for s in doc.spans["commitments"]}
    assert spans["send a delegation"] == "2025-03"


@pytest.mark.parametrize("pipeline", ["nlp", "sm"])
def test_an_event_year_dates_only_the_clause_that_names_the_event(pipeline, request):
    """Two coordinated pledges: the one about the Games takes their years,
    the other no deadline from its sibling's events (rules alone and parsed)."""
    nlp = request.getfixturevalue(pipeline)
    text = ("Both sides agreed to strengthen sports exchange and cooperation, and mutually support the "
            "successful hosting of the 2025 Harbin Asian Winter Games and the 2026 Aichi-Nagoya Asian Games.")
    doc = run(nlp, text, date="2024-12-25")
    spans = {s.text.split(" ")[0]: s._.deadline for s in doc.spans["commitments"]}
    assert spans == {"strengthen": None, "mutually": "2025/2026"}

def test_parsed_subject_is_the_verb_subject_not_the_nearest_name(sm):
    """With a parser the subject comes from the parse: "the gap between
    Tokyo and Beijing will widen" has a thing as subject (a prediction),
    while "Japan and China ... will" keeps both parties."""
    assert found(run(sm, "The gap in spending between Japan and China will widen further.")) == []
    doc = run(sm, "Japan and China, after long talks in the capital, will hold a summit.")
    assert [(t, h) for t, h, *_ in found(doc)] == [("hold a summit", ["CHN", "JPN"])]


def test_thing_as_subject_of_continue_or_aim_is_not_a_party(nlp):
    """"continue to" and "aims to" bind a party, not a thing: "emissions
    continue to increase" is a trend; a named body ("the Forum") still acts."""
    assert found(run(nlp, "Global emissions continue to increase every year.")) == []
    assert found(run(nlp, "The reform agenda also aims to reduce tariffs.")) == []
    doc = run(nlp, "The Steel Forum seeks to tackle the causes of overcapacity.")
    assert [t for t, *_ in found(doc)] == ["tackle the causes of overcapacity"]


def test_speculation_about_the_future_is_not_a_commitment(nlp):
    assert found(run(nlp, "It is unclear how far Japan will go with this new posture.")) == []
    assert found(run(nlp, "China is likely to raise the issue at the summit.")) == []
    assert found(run(nlp, "Japan said it will raise the issue at the summit.")) != []


def test_party_inside_a_noun_subject_does_not_make_it_a_party(sm):
    """"the combined GDP of the two countries will account for ..." is a
    forecast about a quantity, not an undertaking of the two countries."""
    assert found(run(sm, "The combined output of the two countries will account for a fifth of the total.")) == []
    doc = run(sm, "The leaders of the two countries will meet again in Beijing.")
    assert [t for t, *_ in found(doc)] == ["meet again in Beijing"]


def test_action_ends_with_its_quotation_and_before_a_new_clause(sm):
    """A quoted undertaking ends at its closing quote; "and expressed ..."
    (a past tense after a base-form action) is a new reported clause, not a
    coordinated action; "as a venue" is a phrase, not an "as" clause."""
    doc = run(sm, 'Their pledge to "reduce tariffs on steel" was made by China and Japan in May.')
    assert [t for t, *_ in found(doc)] == ["reduce tariffs on steel"]
    doc = run(sm, "Japan and Korea vowed to strengthen their cooperation on fisheries and expressed "
                  "concern over the tensions.")
    assert [t for t, *_ in found(doc)] == ["strengthen their cooperation on fisheries"]
    doc = run(sm, "China and Japan agreed to make the forum serve as a venue for talks on trade.")
    assert [t for t, *_ in found(doc)] == ["make the forum serve as a venue for talks on trade"]


def test_while_with_an_action_gerund_stays_in_the_action(nlp):
    doc = run(nlp, "China and Japan agreed to focus on trade while managing differences.")
    assert [t for t, *_ in found(doc)] == ["focus on trade while managing differences"]
    doc = run(nlp, "China and Japan agreed to resume dialogue while acknowledging different positions.")
    assert [t for t, *_ in found(doc)] == ["resume dialogue"]


def test_we_in_a_non_state_body_statement_is_the_body(nlp):
    """A think tank speaking as "we" holds in its own name; an official's
    "we" (and a ministry's) is the state's."""
    text = "The Harbour Institute said: we will publish a report on Japan next year."
    orgs = {"Harbour Institute": ("Harbour Institute", "JPN")}
    doc = run(nlp, text, segments=[(0, len(text), "statement", "Harbour Institute")], orgs=orgs)
    assert [(t, h) for t, h, *_ in found(doc)] == [("publish a report on Japan next year",
                                                    ["Harbour Institute"])]
    text = "The Foreign Ministry of Japan said: we will publish a report next year."
    orgs = {"Foreign Ministry of Japan": ("Foreign Ministry of Japan", "JPN")}
    doc = run(nlp, text, segments=[(0, len(text), "statement", "Foreign Ministry of Japan")], orgs=orgs)
    assert [h for _, h, *_ in found(doc)] == [["JPN"]]


def test_we_in_a_forum_consensus_is_the_forum(nlp):
    """With no collective, "we" in a consensus of a forum (named twice) is
    the forum acting as a body, not the states its members come from."""
    text = ("The Lake Peace Conference met in Seoul with experts from Japan and Korea. "
            "At the Lake Peace Conference we agreed to hold a review of incidents.")
    orgs = {"Lake Peace Conference": ("Lake Peace Conference", None)}
    doc = run(nlp, text, segments=[(0, len(text), "consensus", None)], orgs=orgs)
    assert [(t, h) for t, h, *_ in found(doc)] == [("hold a review of incidents",
                                                    ["Lake Peace Conference"])]


def test_lead_in_ending_to_colon_makes_its_bullets_the_actions(nlp):
    """"We are determined to work with others to:" followed by bullets: each
    verb-initial bullet is an action of the lead-in's holders (an attitude
    like "oppose" is not), and the lead-in itself is no action."""
    text = ("Japan and Korea are determined to work together to:\n\n"
            "- expand trade in steel and oppose any unfair subsidies;\n"
            "- support the fisheries talks;\n"
            "- the weather in May.\n\n"
            "The talks ended.")
    got = [(t, h) for t, h, *_ in found(run(nlp, text))]
    assert got == [("expand trade in steel", ["JPN", "KOR"]), ("support the fisheries talks", ["JPN", "KOR"])]


def test_recognition_and_denied_intention_are_not_commitments(nlp):
    assert found(run(nlp, "Japan and Korea recognized that the talks will help the region.")) == []
    assert found(run(nlp, "China does not intend to raise tariffs on steel.")) == []
    assert [t for t, *_ in found(run(nlp, "China and Japan agreed to raise tariffs on steel."))] \
        == ["raise tariffs on steel"]


def test_each_verb_initial_sentence_of_an_agreed_item_is_an_action(nlp):
    text = ("The two sides reached a two-point consensus:\n"
            "1. deepen cooperation in film and music. Facilitate visits of art groups.\n"
            "2. promote youth exchanges. The details are open.\n")
    doc = run(nlp, text, collectives={"The two sides": "CHN+JPN"})
    got = [(s.text, s._.item_label) for s in doc.spans["commitments"]]
    assert got == [("deepen cooperation in film and music", "1"), ("Facilitate visits of art groups", "1"),
                   ("promote youth exchanges", "2")]  # a sentence opening with no verb is no action


def test_subject_found_past_auxiliaries_and_a_parenthesis(nlp):
    """With no parser the subject scan skips "have also", "stands" and an
    acronym in brackets, so the party before them holds the commitment."""
    doc = run(nlp, "The three countries have also agreed to cut tariffs on rice.",
              collectives={"The three countries": "CHN+JPN+KOR"})
    assert [(t, h) for t, h, *_ in found(doc)] == [("cut tariffs on rice", ["CHN", "JPN", "KOR"])]
    doc = run(nlp, "Japan stands ready to conduct dialogue with the Chinese side.")
    assert found(doc) == [("conduct dialogue with the Chinese side", ["JPN"], "qualified", "pledge")]
    text = "The Harbour Council (HC) will now set up a secretariat for the club."
    doc = run(nlp, text, orgs={"Harbour Council": ("HC", None), "HC": ("HC", None)})
    assert [(t, h) for t, h, *_ in found(doc)] == [("set up a secretariat for the club", ["HC"])]


def test_modal_coordinated_with_the_first_verb_takes_the_clause_subject(nlp):
    text = "Both sides praised the role of the dialogue, and will continue to attach importance to it."
    doc = run(nlp, text, collectives={"Both sides": "CHN+JPN"})
    assert [(t, h) for t, h, *_ in found(doc)] == [("continue to attach importance to it", ["CHN", "JPN"])]


def test_blank_action_ends_before_a_reported_clause_and_a_participle(nlp):
    """No tagger: "and expressed ..." (a reporting verb in the past) and ",
    taking ..." (a participle of a lexicon verb) end the action."""
    doc = run(nlp, "They vowed to strengthen their collaboration and expressed concern over the incident.",
              collectives={"They": "JPN+KOR"})
    assert [t for t, *_ in found(doc)] == ["strengthen their collaboration"]
    doc = run(nlp, "China and Japan pledged to expand military contacts, taking a step toward a hotline.")
    assert [t for t, *_ in found(doc)] == ["expand military contacts"]
    doc = run(nlp, "Japan will assume the presidency in May and Chancellor Hertz expressed his support.")
    assert [t for t, *_ in found(doc)] == ["assume the presidency in May"]


def test_verb_phrases_after_a_semicolon_continue_the_trigger(nlp):
    text = ("The two sides affirmed their keenness to coordinate their approach to trade; "
            "drive the transition to clean energy; and deliver the promised funds; "
            "welcome the new members.")
    got = [t for t, *_ in found(run(nlp, text, collectives={"The two sides": "CHN+JPN"}))]
    assert got == ["coordinate their approach to trade", "drive the transition to clean energy",
                   "deliver the promised funds"]  # "welcome" is an attitude


def test_taking_steps_to_introduces_bullet_actions(nlp):
    text = ("Japan and Korea are taking concrete steps to:\n\n"
            "- support the fisheries talks for as long as it takes;\n"
            "- strengthen port controls.\n")
    got = [(t, h) for t, h, *_ in found(run(nlp, text))]
    assert got == [("support the fisheries talks for as long as it takes", ["JPN", "KOR"]),
                   ("strengthen port controls", ["JPN", "KOR"])]


def test_negative_undertaking_starts_at_not(nlp):
    doc = run(nlp, "China and Japan agreed not to raise the issue at the summit.")
    assert found(doc) == [("not to raise the issue at the summit", ["CHN", "JPN"], "firm", "agreement")]


def test_need_to_is_an_exhortation_unless_agreed(nlp):
    assert found(run(nlp, "The two sides need to uphold the foundation of relations, Wang said.")) == []
    doc = run(nlp, "China and Japan agreed that they need to uphold the foundation of relations.")
    assert [t for t, *_ in found(doc)] == ["uphold the foundation of relations"]


def test_event_scheduled_in_an_invitation_is_the_hosts_pledge(nlp):
    """An invitation is no commitment, but the event it names "to be held"
    is scheduled by the inviting host; in a joint text one named party's
    undertaking is its own pledge."""
    text = "Japan invited Premier Li to the Outreach Session of the summit to be held in Osaka in July 2025."
    doc = run(nlp, text, segments=[(0, len(text), "consensus", None)])
    assert found(doc) == [("be held in Osaka in July 2025", ["JPN"], "firm", "pledge")]
    assert doc.spans["commitments"][0]._.deadline == "2025-07"
    assert found(run(nlp, "Japan invited Korea to visit Osaka in July.")) == []


def test_reduced_relative_clause_ends_the_action(nlp):
    text = "China and Japan will hold the Governors' Meeting every year, announced on 10 May."
    assert [t for t, *_ in found(run(nlp, text))] == ["hold the Governors' Meeting every year"]


def test_the_forum_refers_back_to_the_named_body(nlp):
    text = ("Ministers set up the Lake Forum on Fish Stocks with the OECD and Korea. "
            "The Forum seeks to end overfishing. It was welcomed by the OECD.")
    orgs = {"Lake Forum on Fish Stocks": ("LFFS", None), "OECD": ("OECD", None)}
    doc = run(nlp, text, segments=[(0, len(text), "commentary", None)], orgs=orgs)
    assert [(t, h) for t, h, *_ in found(doc)] == [("end overfishing", ["LFFS"])]


def test_they_is_not_the_object_of_a_preposition(nlp):
    text = ("China and Japan met in Tokyo. They hoped for a summit between Korea and the Chinese side. "
            "They also vowed to hold trilateral talks regularly.")
    doc = run(nlp, text, segments=[(0, len(text), "commentary", None)])
    assert [(t, h) for t, h, *_ in found(doc)] == [("hold trilateral talks regularly", ["CHN", "JPN"])]


def test_a_party_after_of_in_a_noun_subject_is_no_subject(nlp, sm):
    text = "In fact, the combined GDP of the three countries will account for a fifth of world output."
    assert found(run(nlp, text, collectives={"the three countries": "CHN+JPN+KOR"})) == []
    text = "The three countries' commitment to free trade will lead to fruitful cooperation."
    got = found(run(sm, text, collectives={"The three countries": "CHN+JPN+KOR"}))
    assert not [t for t, *_ in got if t.startswith("lead")]
    text = "The leaders of the three countries will meet again in Seoul."
    got = found(run(nlp, text, collectives={"the three countries": "CHN+JPN+KOR"}))
    assert [(t, h) for t, h, *_ in got] == [("meet again in Seoul", ["CHN", "JPN", "KOR"])]


def test_a_will_clause_after_ensure_belongs_to_the_action(nlp, sm):
    text = ("China and Japan vowed to continue joint efforts to ensure the inter-Korean summit "
            "will contribute to peace in the region.")
    for pipeline in (nlp, sm):
        assert [t for t, *_ in found(run(pipeline, text))] == [
            "continue joint efforts to ensure the inter-Korean summit will contribute to peace in the region"]


def test_cue_noun_takes_the_subject_of_its_verb(nlp, sm):
    """"they affirmed keenness to X": the holder is the subject of the verb
    whose object the cue noun is; "the three countries' shared intent to X"
    the possessor."""
    text = "China and Japan met in Osaka, where they affirmed keenness to coordinate their steel policies."
    for pipeline in (nlp, sm):
        got = found(run(pipeline, text, segments=[(0, len(text), "commentary", None)]))
        assert [(t, h, m) for t, h, m, _ in got] == [("coordinate their steel policies", ["CHN", "JPN"],
                                                      "qualified")]
    text = "The leaders adopted documents showing the three countries' shared intent to deepen integration."
    got = found(run(nlp, text, collectives={"the three countries": "CHN+JPN+KOR"}))
    assert [(t, h) for t, h, *_ in got] == [("deepen integration", ["CHN", "JPN", "KOR"])]


def test_action_inside_the_subject_of_a_later_will_ends_before_it(sm):
    text = ("The three countries' commitment to resolving differences through dialogue will lead to "
            "fruitful cooperation.")
    got = found(run(sm, text, collectives={"The three countries": "CHN+JPN+KOR"}))
    assert [t for t, *_ in got] == ["resolving differences through dialogue"]


def test_lettered_items_after_a_lead_in_are_its_actions(nlp):
    text = "We commit to:\n\na. Accelerate inclusive growth.\n\nb. Reform the development banks.\n"
    doc = run(nlp, text, segments=[(0, len(text), "consensus", None)],
              orgs={"G9": ("G9", None)})
    assert [t for t, *_ in found(doc)] == ["Accelerate inclusive growth", "Reform the development banks"]


def test_blank_relative_pronoun_stands_for_its_noun(nlp):
    """No parser: in "a challenge that continues to ..." the subject is the
    thing before "that", not a party."""
    text = "Excess capacity is a global challenge that continues to plague the steel sector."
    assert found(run(nlp, text, segments=[(0, len(text), "commentary", None)])) == []


def test_party_named_inside_a_party_head_noun(nlp):
    text = "Each G9 member will appoint ministers for the club."
    doc = run(nlp, text, segments=[(0, len(text), "commentary", None)], orgs={"G9": ("G9", None)})
    assert [(t, h) for t, h, *_ in found(doc)] == [("appoint ministers for the club", ["G9"])]


def test_condition_clause_stays_in_the_action(nlp):
    text = ("China and Japan agreed that written notice will be required if either side decides "
            "to end the deal.")
    got = [t for t, *_ in found(run(nlp, text))]
    assert got == ["written notice will be required if either side decides to end the deal"]


def test_group_body_and_its_hyphenated_dialogue_partner_are_the_parties(nlp):
    text = ("The ASEAN-China Summit was held online. ASEAN and China discussed the ASEAN-China "
            "partnership. We will promote maritime cooperation.")
    orgs = {"ASEAN": ("ASEAN", None)}
    doc = run(nlp, text, segments=[(0, len(text), "consensus", None)], orgs=orgs)
    assert [(t, h) for t, h, *_ in found(doc)] == [("promote maritime cooperation", ["ASEAN", "CHN"])]
    # a group named once with a state is no partnership
    text = "The G20 met in Paris. The G20 discussed trade with China. We will promote maritime cooperation."
    doc = run(nlp, text, segments=[(0, len(text), "consensus", None)], orgs={"G20": ("G20", None)})
    assert [h for _, h, *_ in found(doc)] == [["G20"]]


def test_one_party_as_pronoun_in_a_joint_text_makes_a_pledge(nlp):
    text = ("Both sides confirmed the plan. China invited the Prime Minister to visit Beijing. "
            "Japan stated that it would consider the invitation seriously.")
    doc = run(nlp, text, segments=[(0, len(text), "consensus", None)],
              collectives={"Both sides": "CHN+JPN"})
    assert found(doc) == [("consider the invitation seriously", ["JPN"], "qualified", "pledge")]


def test_a_reject_in_a_closed_subordinate_clause_does_not_reach_the_main_clause(nlp):
    text = ("Although talks had focused on whether the deal would cover the islands, China and Japan "
            "agreed not to mention the islands.")
    assert [t for t, *_ in found(run(nlp, text))] == ["not to mention the islands"]
    # a condition still voids the main clause
    assert found(run(nlp, "If the talks fail, China and Japan will end the deal.")) == []


def test_modal_coordinated_in_a_later_clause_takes_that_clauses_subject(nlp):
    text = ("China will host the fair, while Japan welcomes the fair and will provide assistance "
            "for the pavilion.")
    got = [(t, h) for t, h, *_ in found(run(nlp, text))]
    assert got == [("host the fair", ["CHN"]), ("provide assistance for the pavilion", ["JPN"])]


def test_blank_adjectives_coordinated_with_a_verb_form_are_one_action(nlp):
    text = "China and Japan will support a free and open Pacific and promote trade."
    assert [t for t, *_ in found(run(nlp, text))] == ["support a free and open Pacific", "promote trade"]


SERIES = ("China and Japan agreed to seek results in promoting trade between them, advancing cooperation "
          "on health and resolving common issues such as ageing.")
QUOTED = ('"China and Japan will discuss how to reduce the risks of new weapons," foreign ministry '
          'spokesperson Lin Hua said on Monday.')


@pytest.mark.parametrize("pipeline", ["nlp", "sm"])
def test_a_series_of_gerunds_stays_in_one_action(pipeline, request):
    """", advancing ..." after "in promoting ..." and before "and resolving
    ..." continues a series of gerunds; a lone ", taking ..." still ends the
    action (a participle clause)."""
    nlp = request.getfixturevalue(pipeline)
    got = [t for t, *_ in found(run(nlp, SERIES))]
    assert got == [SERIES[len("China and Japan agreed to "):-1]]
    doc = run(nlp, "Japan will assist firms developing, deploying and using new systems.")
    assert [t for t, *_ in found(doc)] == ["assist firms developing, deploying and using new systems"]
    doc = run(nlp, "China and Japan pledged to expand military contacts, taking a step toward a hotline.")
    assert [t for t, *_ in found(doc)] == ["expand military contacts"]


@pytest.mark.parametrize("pipeline", ["nlp", "sm"])
def test_action_inside_a_quotation_ends_at_the_closing_quote(pipeline, request):
    """A quotation opened before the cue ends the action at its closing mark,
    with the comma inside it ('...,"') and a reporting clause that the
    reporting-tag pattern does not know ("foreign ministry spokesperson Lin
    Hua said")."""
    nlp = request.getfixturevalue(pipeline)
    got = [t for t, *_ in found(run(nlp, QUOTED))]
    assert got == ["discuss how to reduce the risks of new weapons"]
    # a quotation opened inside the action is part of it
    doc = run(nlp, 'Japan will support the "free and open" order in the region, the ministry said.')
    assert [t for t, *_ in found(doc)] == ['support the "free and open" order in the region']


@pytest.mark.parametrize("pipeline", ["nlp", "sm"])
def test_gerunds_split_as_actions_unless_nested_under_a_preposition(pipeline, request):
    """Coordinated gerund actions split, "-ing" forms that drop an "e"
    included ("striving"); a gerund after "and" that continues one nested
    under "in" ("in responding to X and achieving Y") stays in the action."""
    nlp = request.getfixturevalue(pipeline)
    doc = run(nlp, "China and Japan are committed to advancing the dialogue over the next decade "
                   "and striving for greater results.")
    assert [t for t, *_ in found(doc)] == ["advancing the dialogue over the next decade",
                                           "striving for greater results"]
    doc = run(nlp, "China and Japan are committed to supporting poor countries in responding to crises "
                   "and achieving their goals.")
    assert [t for t, *_ in found(doc)] == [
        "supporting poor countries in responding to crises and achieving their goals"]


def test_agreed_item_ends_with_its_sentence(nlp):
    """A later sentence of an agreed item that does not open with a verb is
    another party's statement, not part of the item's action; one that opens
    with a verb is an action of its own."""
    text = ("The two sides reached a two-point consensus:\n"
            "1. hold exchanges between universities. The Chinese side invites Japan to a forum.\n"
            "2. promote tourism. Facilitate visits of students.\n")
    doc = run(nlp, text, collectives={"The two sides": "CHN+JPN"})
    assert [t for t, *_ in found(doc)] == ["hold exchanges between universities", "promote tourism",
                                           "Facilitate visits of students"]


def test_blank_action_ends_before_an_inflected_verb_after_a_comma(nlp):
    """No tagger: ", shares the ..." / ", promoted the ..." (a lexicon verb
    in the third person or past, then a determiner) open a new clause."""
    doc = run(nlp, "Japan pledged to host the next summit, shares the top position with Korea.")
    assert [t for t, *_ in found(doc)] == ["host the next summit"]
    doc = run(nlp, "Japan will host the summit and promoted the idea last year.")
    assert [t for t, *_ in found(doc)] == ["host the summit"]
    doc = run(nlp, "Japan will host the summit and promote the idea.")
    assert [t for t, *_ in found(doc)] == ["host the summit", "promote the idea"]


def test_blank_state_after_be_or_become_is_no_commitment(nlp):
    """No tagger: "become (increasingly) wide" and "be interesting" are
    states (a small adjective list and a non-verb -ing form); "be open to"
    and a progressive "be working" are not."""
    assert found(run(nlp, "The gap between China and Japan will become increasingly wide.")) == []
    assert found(run(nlp, "Japan will be interesting to watch next year.")) == []
    got = [t for t, *_ in found(run(nlp, "Japan will be open to all countries."))]
    assert got == ["be open to all countries"]
    got = [t for t, *_ in found(run(nlp, "Japan will be working with Korea on the plan."))]
    assert got == ["be working with Korea on the plan"]


@pytest.mark.parametrize("pipeline", ["nlp", "sm"])
def test_cue_inside_an_embedded_question_belongs_to_the_action(pipeline, request):
    """"discuss how X and Y can continue to ..." is one action: the cue in the
    embedded question is no commitment of its own, and the question's
    coordinated verbs do not split it."""
    nlp = request.getfixturevalue(pipeline)
    text = ("China and Japan will discuss how China and Japan can continue to manage "
            "their differences and work together on trade.")
    got = [t for t, *_ in found(run(nlp, text))]
    assert got == ["discuss how China and Japan can continue to manage their differences "
                   "and work together on trade"]
    # with no question, the coordinated verbs are two actions
    got = [t for t, *_ in found(run(nlp, "Japan will manage its differences and work with China."))]
    assert got == ["manage its differences", "work with China"]


def test_cue_coordinated_inside_an_embedded_question_and_how_to(nlp):
    """No parser: "how the two governments understand and seek to ..." keeps
    "seek to" inside the question; "how to proceed" opens no clause, so a
    later party's own cue is a commitment."""
    text = "China and Japan will exchange views on how the two governments understand and seek to address risks."
    got = [t for t, *_ in found(run(nlp, text))]
    assert got == ["exchange views on how the two governments understand and seek to address risks"]
    got = [(t, h) for t, h, *_ in found(run(nlp, "China will discuss how to proceed and Japan will fund it."))]
    assert got == [("discuss how to proceed", ["CHN"]), ("fund it", ["JPN"])]


def test_activity_of_a_scheduled_meeting_takes_the_meetings_date(nlp):
    """GUIDELINES section 3: the deadline is when the action is scheduled; the
    date of a meeting given once dates what the leaders will do there."""
    text = ("President Biden will meet President Xi in San Francisco on Wednesday, November 15. "
            "The Leaders will discuss the management of competition. "
            "The United States will continue to promote trade with its partners.")
    doc = run(nlp, text, date="2023-11-10", persons={"President Biden": ("Joe Biden", "USA"),
                                                      "President Xi": ("Xi Jinping", "CHN")})
    deadlines = {s.text: s._.deadline for s in doc.spans["commitments"]}
    assert deadlines.get("discuss the management of competition") == "2023-11-15"
    # a pledge outside the meeting is not dated from it
    assert deadlines.get("continue to promote trade with its partners", "absent") is None


def test_titles_between_coordinated_people(nlp):
    text = "President Joe Biden and Chinese President Xi Jinping will hold a meeting in Woodside."
    doc = run(nlp, text, persons={"Joe Biden": ("Joe Biden", "USA"), "Xi Jinping": ("Xi Jinping", "CHN")})
    assert [c._.holders for c in doc.spans["commitments"]] == [["CHN", "USA"]]


def test_fronted_together_with_adds_the_partner(nlp):
    text = "Together with the IEA, the OECD will set up an interim secretariat for the club."
    doc = run(nlp, text, orgs={"IEA": ("IEA", None), "OECD": ("OECD", None)})
    assert [c._.holders for c in doc.spans["commitments"]] == [["IEA", "OECD"]]
    text = ("Together with the International Energy Agency (IEA), the Organisation for Economic Co-operation "
            "and Development (OECD) will now set up an interim secretariat.")
    doc = run(nlp, text, orgs={"International Energy Agency": ("IEA", None),
                               "Organisation for Economic Co-operation and Development": ("OECD", None)})
    assert [c._.holders for c in doc.spans["commitments"]] == [["IEA", "OECD"]]
    # "with" alone is not a partner: "Consistent with the WTO, the OECD will ..."
    text = "Consistent with the IEA, the OECD will set up an interim secretariat."
    doc = run(nlp, text, orgs={"IEA": ("IEA", None), "OECD": ("OECD", None)})
    assert [c._.holders for c in doc.spans["commitments"]] == [["OECD"]]


def test_a_dateline_parsed_as_subject_gives_way_to_its_apposition(sm):
    # en_core_web_sm parses "(AP)" as the subject and the two leaders as its apposition
    text = "(AP) – President Joe Biden and Chinese President Xi Jinping will hold a long-anticipated meeting Wednesday."
    doc = run(sm, text, persons={"Joe Biden": ("Joe Biden", "USA"), "Xi Jinping": ("Xi Jinping", "CHN")},
              orgs={"AP": ("Associated Press", None)})
    assert [c._.holders for c in doc.spans["commitments"]] == [["CHN", "USA"]]


def test_armed_forces_hold_for_their_state(nlp):
    """A state's armed forces are an organ of the state, as its ministries are."""
    text = "The Self-Defense Forces and the People's Liberation Army will continue to abide by the protocols."
    doc = run(nlp, text, orgs={"Self-Defense Forces": ("Japan Self-Defense Forces", "JPN"),
                               "People's Liberation Army": ("People's Liberation Army", "CHN")})
    assert [c._.holders for c in doc.spans["commitments"]] == [["CHN", "JPN"]]


def test_people_of_the_parties_as_parsed_subject(sm):
    """"The foreign ministers of China, South Korea and Japan will meet": the
    parties the subject's people are of hold (with a parser)."""
    text = "The top diplomats for China, South Korea and Japan will meet in Tokyo this weekend for talks."
    doc = run(sm, text)
    assert [(c.text, c._.holders) for c in doc.spans["commitments"]] == [
        ("meet in Tokyo this weekend for talks", ["CHN", "JPN", "KOR"])]


@pytest.mark.parametrize("fixture", ["nlp", "sm"])
def test_a_named_source_after_the_action_is_not_part_of_it(request, fixture):
    pipeline = request.getfixturevalue(fixture)
    doc = run(pipeline, "Japan will host the forum in Osaka, Seoul said on Tuesday.")
    assert [c.text for c in doc.spans["commitments"]] == ["host the forum in Osaka"]

"""Actor mentions on short hand-written texts (blank English pipeline, no model)."""
import json

import pytest
import spacy

from commitments.errors import InputError
from commitments.pipeline import actors as actors_mod  # noqa: F401  (registers the factory)
from commitments.pipeline.actors import collective_members
from commitments.pipeline.lexicon import entry_from_dict, parse_lexicon


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("commitments_actors", name="actors")
    return nlp


def mentions(nlp, text):
    doc = nlp(text)
    return [(s.text, s._.actor_type, s._.actor_key, s._.actor_country) for s in doc.spans["actors"]]


def test_states_persons_and_titles(nlp):
    text = "Foreign Minister Wang Yi met Japanese Foreign Minister Takeshi Iwaya in Beijing."
    got = mentions(nlp, text)
    assert ("Wang Yi", "person", "Wang Yi", "CHN") in got
    assert ("Takeshi Iwaya", "person", "Takeshi Iwaya", "JPN") in got
    # the title is not part of the span, the nationality adjective is not a mention
    assert not any(t in ("Japanese", "Foreign Minister Wang Yi") for t, *_ in got)


def test_short_form_resolved_after_full_mention(nlp):
    text = ("Takeshi Iwaya arrived on Monday.\n\n"
            "Iwaya said that Japan would relax its visa rules.")
    got = mentions(nlp, text)
    assert ("Iwaya", "person", "Takeshi Iwaya", "JPN") in got
    assert ("Japan", "state", "JPN", "JPN") in got


def test_short_form_of_unknown_person_uses_document_full_name(nlp):
    text = "Professor Mariko Tanabe opened the forum. Tanabe said the talks were useful."
    got = mentions(nlp, text)
    assert ("Mariko Tanabe", "person", "Mariko Tanabe", None) in got
    assert ("Tanabe", "person", "Mariko Tanabe", None) in got


def test_both_sides_key_from_states_in_document(nlp):
    text = "China and Japan held talks in Tokyo. Both sides agreed to resume the dialogue."
    got = mentions(nlp, text)
    assert ("Both sides", "collective", "CHN+JPN", None) in got
    assert ("China", "state", "CHN", "CHN") in got and ("Japan", "state", "JPN", "JPN") in got


def test_three_leaders_key(nlp):
    text = ("The leaders of China, Japan and the Republic of Korea met on Sunday. "
            "The three leaders agreed to hold the next summit in 2026.")
    got = mentions(nlp, text)
    assert ("The three leaders", "collective", "CHN+JPN+KOR", None) in got
    assert ("the Republic of Korea", "state", "KOR", "KOR") in got


def test_tokyo_as_government_vs_location(nlp):
    got = mentions(nlp, "The meeting was held in Tokyo on Friday.")
    assert not any(t == "Tokyo" for t, *_ in got)
    got = mentions(nlp, "The talks stalled, and Tokyo said it would not attend.")
    assert ("Tokyo", "state", "JPN", "JPN") in got


def test_nationality_adjective_not_marked_but_side_is(nlp):
    got = mentions(nlp, "Chinese experts met officials. The Japanese side stated its position.")
    texts = [t for t, *_ in got]
    assert "Chinese" not in texts and "Japanese" not in texts
    assert ("The Japanese side", "state", "JPN", "JPN") in got


def test_names_as_modifiers_are_not_mentions(nlp):
    got = mentions(nlp, "Japan-China relations improved, and the South China Sea was calm.")
    assert got == []


def test_coordinated_names_marked_one_by_one(nlp):
    got = mentions(nlp, "The U.S. and China agreed to talk.")
    assert [(t, k) for t, _, k, _ in got] == [("The U.S.", "USA"), ("China", "CHN")]


def test_organizations_and_ministry(nlp):
    got = mentions(nlp, "China's foreign ministry said ASEAN and the G20 would meet.")
    assert ("China's foreign ministry", "organization",
            "Ministry of Foreign Affairs of the People's Republic of China", "CHN") in got
    assert ("ASEAN", "organization", "ASEAN", None) in got
    assert ("G20", "organization", "G20", None) in got


def test_collective_members_prefers_recent_mentions():
    votes = [(0, "USA"), (10, "USA"), (500, "CHN"), (520, "JPN")]
    assert sorted(collective_members(votes, 600, 2, window=200)) == ["CHN", "JPN"]
    assert sorted(collective_members(votes, 600, 2, window=10_000)) == ["CHN", "USA"]


def test_extra_lexicon_and_validation(tmp_path):
    path = tmp_path / "extra.jsonl"
    path.write_text(json.dumps({"name": "Pacific Rim Dialogue", "type": "organization", "country": None,
                                "variants": ["PRD"]}) + "\n", encoding="utf-8")
    nlp = spacy.blank("en")
    nlp.add_pipe("commitments_actors", config={"extra_lexicon": str(path)})
    doc = nlp("The PRD adopted a plan.")
    assert [(s.text, s._.actor_key) for s in doc.spans["actors"]] == [("PRD", "Pacific Rim Dialogue")]
    with pytest.raises(InputError):
        entry_from_dict({"name": "X", "type": "club"})
    with pytest.raises(InputError):
        parse_lexicon('{"name": "X", "type": "person", "colour": "red"}')


def test_to_disk_round_trip_keeps_added_entries(tmp_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    comp = nlp.add_pipe("commitments_actors", name="actors")
    comp.add_entries([{"name": "Aino Virtanen", "type": "person", "country": "FIN", "variants": ["A. Virtanen"]}])
    text = "A. Virtanen met Wang Yi. Both sides agreed to meet again."
    before = mentions(nlp, text)
    assert ("A. Virtanen", "person", "Aino Virtanen", "FIN") in before
    nlp.to_disk(tmp_path / "pipe")
    loaded = spacy.load(tmp_path / "pipe")
    assert mentions(loaded, text) == before
    again = spacy.blank("en").add_pipe("commitments_actors").from_bytes(comp.to_bytes())
    assert [e.name for e in again.entries] == [e.name for e in comp.entries]


# ---------------------------------------------------------------- speed-related rewrites
def test_trie_pattern_matches_exactly_the_words():
    import re

    from commitments.pipeline.actors import trie_pattern

    regex = re.compile(r"\b(%s)\b" % trie_pattern(["Ab", "Abe", "Aso", "Li", "Lee"]))
    found = [m.group(1) for m in regex.finditer("Abe met Aso, Lee and Li; not Abes, Al or Le.")]
    assert found == ["Abe", "Aso", "Lee", "Li"]
    assert regex.fullmatch("Ab") and not regex.fullmatch("A")


def test_title_with_a_period_is_one_token_title(nlp):
    # "Dr." and "Gen." are single tokens: a title, the name after it a person
    got = mentions(nlp, "The fund is a testament to multilateralism, said Dr. Chatib Basri on Sunday.")
    assert ("Chatib Basri", "person", "Chatib Basri", None) in got


def test_collective_with_and_without_determiner(nlp):
    text = "China and Japan met. The two sides agreed. Both countries will act. Bathe two sides."
    doc = nlp(text)
    colls = [s.text for s in doc.spans["actors"] if s._.actor_type == "collective"]
    # the determiner joins the span; "the" inside "Bathe" does not
    assert colls == ["The two sides", "Both countries", "two sides"]


def test_nominal_in_a_document_title_is_not_a_mention(nlp):
    text = "The Joint Communique of the Government of Japan and the Government of China was signed."
    got = mentions(nlp, text)
    assert not any(t.endswith("Government of Japan") for t, *_ in got)
    got = mentions(nlp, "The Government of Japan will send aid.")
    assert ("The Government of Japan", "state", "JPN", "JPN") in got


def test_doc_text_cache_and_actor_rows_follow_the_span_group(nlp):
    from spacy.tokens import Span

    from commitments.pipeline.actors import actor_rows, doc_text, remember_text

    text = "Japan and China met in Beijing."
    doc = nlp.make_doc(text)
    remember_text(doc, text)
    assert doc_text(doc) == text
    doc = nlp(text)
    rows = actor_rows(doc)
    assert rows[:2] == [(0, 5, "state", "JPN"), (10, 15, "state", "CHN")]
    # a group written by someone else is read from its spans
    span = Span(doc, 0, 1, label="state")
    span._.actor_type, span._.actor_key = "state", "XXX"
    doc.spans["actors"] = [span]
    assert actor_rows(doc) == [(0, 5, "state", "XXX")]


@pytest.mark.parametrize("text, tagged", [
    ("The G20 Leaders asked for more reports.", True),            # capitalised members: the body acts
    ("We, the G7 Digital and Tech Ministers, met virtually.", True),
    ("The G7 Leaders' Communique was issued in May.", False),      # a document's name
    ("We attended the G7 Digital and Tech Ministers' Meeting.", False),
    ("The G20 Summit opened on Sunday.", False),                   # an event's name
])
def test_body_before_capitalised_members(nlp, text, tagged):
    found = [key for _, _, key, _ in mentions(nlp, text)]
    assert (found.count("G7") + found.count("G20") == 1) is tagged

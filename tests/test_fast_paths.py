"""The speed shortcuts (docs/batch.md, "Performance") give exactly what the
slow paths they stand in for give: each is checked against its slow path on
hand-made and generated texts."""
import functools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commitments.pipeline import deadlines
from commitments.pipeline.deadlines import find_deadline


# ---------------------------------------------------------------------- deadlines
def _unfiltered(text: str) -> bool:
    """Whether any deadline pattern matches ``text`` at all."""
    return any(rx.search(text) for _, rx in deadlines._PATTERNS)


@pytest.mark.parametrize("text", [
    "from Oct. 25 to 27", "on November 15", "on 1 March 2026", "in the first half of next year",
    "next spring", "in the fall", "in May, 2024", "between 2025 and 2030", "by 2030",
    "this year", "the coming decade", "the next five years", "by year-end",
    "within the year", "next month", "in February", "on Wednesday", "this weekend",
    "tomorrow", "tonight", "today", "in SEPTEMBER", "the NEXT YEAR",
])
def test_every_kind_of_time_expression_passes_the_prefilter(text, monkeypatch):
    assert _unfiltered(text)
    assert deadlines._may_hold_time(text)
    found = find_deadline(text, "2024-03-12")
    monkeypatch.setattr(deadlines, "_may_hold_time", lambda t: True)
    assert find_deadline(text, "2024-03-12") == found


def test_text_without_digits_or_time_words_is_skipped():
    assert not deadlines._may_hold_time("promote exchanges between the two sides")
    assert find_deadline("promote exchanges between the two sides", "2024-01-01") is None


def test_non_ascii_text_is_never_skipped():
    # re.I folds the long s onto "s": the patterns themselves decide
    assert deadlines._may_hold_time("promote ſpring exchanges")
    assert deadlines._may_hold_time("café")


_WORDS = ["next", "year", "years", "the", "of", "in", "by", "end", "first", "half", "March", "Mar.",
          "Sept", "spring", "fall", "decade", "five", "month", "Monday", "weekend", "today",
          "2024", "12", "3rd", "-", "–", "to", "and", "promote", "trade", "early", "mid-", "within",
          "this", "coming", "ſ", "é", "Q", ","]


def test_every_pattern_says_what_it_needs():
    assert set(deadlines._NEEDS) == {name for name, _ in deadlines._PATTERNS}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=8), st.sampled_from([" ", "", "  "]))
def test_prefilter_never_hides_a_match(words, sep):
    text = sep.join(words)
    kept = {name for name, _ in deadlines._patterns_for(text)}
    for name, rx in deadlines._PATTERNS:
        if rx.search(text):
            assert name in kept
    if _unfiltered(text):
        assert deadlines._may_hold_time(text)


# ---------------------------------------------------------------------- commitment cues
@pytest.fixture(scope="module")
def finder():
    import spacy

    nlp = spacy.blank("en")
    return nlp.add_pipe("commitments_commitments").finder


@pytest.mark.parametrize("text", [
    "Both sides WILL continue to work together and Agreed to hold talks.",
    "Café will; naïve pledged to—willing? will2 will_ _will",
    "The ſhall and ſhould forms, plus K (kelvin) and İ.",
    "",
])
def test_first_word_scan_finds_what_the_regex_finds(finder, text):
    assert finder._word_scan
    slow = [(m.start(), m.end(), m.group()) for m in finder.first_rx.finditer(text)]
    fast = [(m.start(), m.end(), m.group()) for m in finder._first_words(text)]
    assert fast == slow


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["will", "Will", "WILL", "agreed", "agree", "to", "pledge", "pledges",
                                 "x", "é", "ſhall", "_", "-", "2", "’", "shall"]), max_size=10),
       st.sampled_from([" ", "", "\n"]))
def test_first_word_scan_matches_the_regex_on_generated_text(finder, words, sep):
    text = sep.join(words)
    slow = [(m.start(), m.group()) for m in finder.first_rx.finditer(text)]
    fast = [(m.start(), m.group()) for m in finder._first_words(text)]
    assert fast == slow


# ---------------------------------------------------------------------- span attributes
def test_span_rows_read_and_write_what_underscore_reads_and_writes():
    import spacy
    from spacy.tokens import Span

    from commitments.pipeline.extensions import (register_extensions, set_span_values, span_table,
                                                 span_values)

    register_extensions()
    doc = spacy.blank("en")("Japan and China agreed to meet.")
    japan, china = Span(doc, 0, 1), Span(doc, 2, 3)
    japan._.actor_key = "JPN"  # written the slow way, read the fast way
    set_span_values(china, {"actor_key": "CHN", "actor_type": "state"})  # and the other way round
    assert china._.actor_key == "CHN" and china._.actor_type == "state" and china._.actor_country is None
    assert span_table([japan, china], ("actor_key", "actor_type")) == [
        (0, 1, 0, 5, "JPN", None), (2, 3, 10, 15, "CHN", "state")]
    assert span_values(doc, 10, 15, ("actor_type", "actor_key")) == ("state", "CHN")


def test_span_rows_go_through_underscore_for_computed_attributes():
    import spacy
    from spacy.tokens import Span

    from commitments.pipeline.extensions import set_span_values, span_table

    Span.set_extension("fast_paths_probe", getter=lambda span: span.text.upper())
    Span.set_extension("fast_paths_store", default=None, force=True)
    try:
        doc = spacy.blank("en")("Japan and China")
        rows = span_table([doc[0:1], doc[2:3]], ("fast_paths_probe",))
        assert rows == [(0, 1, 0, 5, "JAPAN"), (2, 3, 10, 15, "CHINA")]
        set_span_values(doc[0:1], {"fast_paths_store": 7})
        assert doc[0:1]._.fast_paths_store == 7
    finally:
        Span.remove_extension("fast_paths_probe")
        Span.remove_extension("fast_paths_store")


def test_write_span_values_sets_many_spans_at_once():
    import spacy
    from spacy.tokens import Span

    from commitments.pipeline.extensions import register_extensions, write_span_values

    register_extensions()
    doc = spacy.blank("en")("Japan and China agreed.")
    write_span_values(doc, ("actor_type", "actor_key"), [(0, 5, "state", "JPN"), (10, 15, "state", "CHN")])
    assert (doc[0:1]._.actor_type, doc[0:1]._.actor_key) == ("state", "JPN")
    assert doc[2:3]._.actor_key == "CHN" and doc[1:2]._.actor_key is None
    seen = []
    Span.set_extension("fast_paths_setter", getter=lambda s: None, setter=lambda s, v: seen.append((s.text, v)))
    try:
        write_span_values(doc, ("fast_paths_setter",), [(10, 15, 3)])
        assert seen == [("China", 3)]
    finally:
        Span.remove_extension("fast_paths_setter")


# ---------------------------------------------------------------------- sentences
@functools.lru_cache(maxsize=None)
def _sentencizers_cached(punct: tuple | None):
    return _sentencizers(**({} if punct is None else {"punct_chars": list(punct)}))


def _sentencizers(**cfg):
    import spacy

    from commitments.pipeline import sentences  # noqa: F401

    slow, fast = spacy.blank("en"), spacy.blank("en")
    slow.add_pipe("sentencizer", config=cfg)
    fast.add_pipe("commitments_sentencizer", name="sentencizer", config=cfg)
    return slow, fast


def _starts(doc):
    return [t.is_sent_start for t in doc]


@pytest.mark.parametrize("text", [
    "", " ", ".", "...", "Hi. ", 'He said "Go." Then he left!', "!!! ?? x", "\n\n. x",
    "a .\" ) b", "Is it? Yes. (Really.) No", "One。Two", "U.S. policy. Next", "end.",
])
def test_fast_sentencizer_splits_like_spacy(text):
    slow, fast = _sentencizers_cached(None)
    assert _starts(fast(text)) == _starts(slow(text))
    assert [s.text for s in fast(text).sents] == [s.text for s in slow(text).sents] if text.strip() else True


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["word", "Word", ".", "!", "?", '"', "(", ")", ",", "-", "\n", "。", ";", "x"]),
                max_size=25))
def test_fast_sentencizer_agrees_on_generated_token_sequences(words):
    from spacy.tokens import Doc

    slow, fast = _sentencizers_cached(None)
    a, b = Doc(slow.vocab, words=words), Doc(fast.vocab, words=words)
    assert _starts(fast.get_pipe("sentencizer")(b)) == _starts(slow.get_pipe("sentencizer")(a))


def test_fast_sentencizer_keeps_its_config_and_given_boundaries():
    from spacy.tokens import Doc

    slow, fast = _sentencizers(punct_chars=[";"])
    text = "a ; b . c ; d"
    assert _starts(fast(text)) == _starts(slow(text)) == [True, False, True, False, False, False, True]
    # boundaries set before it are kept (overwrite false), as spaCy's sentencizer does
    words, given = ["a", "b", ";", "c", "d"], [True, True, None, None, False]
    kept = fast.get_pipe("sentencizer")(Doc(fast.vocab, words=words, sent_starts=given))
    assert _starts(kept) == [True, True, False, True, False]
    assert _starts(kept) == _starts(slow.get_pipe("sentencizer")(Doc(slow.vocab, words=words,
                                                                     sent_starts=given)))
    # the punctuation list travels with the component
    other = _sentencizers()[1]
    other.get_pipe("sentencizer").from_bytes(fast.get_pipe("sentencizer").to_bytes())
    assert _starts(other(text)) == _starts(fast(text))


# ---------------------------------------------------------------------- actor regexes
@pytest.mark.parametrize("flags", [0, re.IGNORECASE])
def test_first_character_lookahead_keeps_the_matches(flags):
    from commitments.pipeline.actors import _first_chars

    words = ["both", "Two", "three", "[x]", "ſome"]
    body = r"\b(%s)\s+(sides|countries)\b" % "|".join(map(re.escape, words))
    text = "Both sides, two countries and THREE sides; [x] sides. ſome sides, Sunny sides, both"
    slow = [m.span() for m in re.finditer(body, text, flags)]
    fast = [m.span() for m in re.finditer(_first_chars(words) + body, text, flags)]
    assert fast == slow and slow
    assert _first_chars([]) == "" and _first_chars(["a", ""]) == ""


# ---------------------------------------------------------------------- regex prefilter
def test_required_literals_of_hand_made_patterns():
    from commitments.pipeline.prefilter import required_literals

    assert required_literals(re.compile(r"\b(?:said|says)\b")) == {"said", "says"}
    assert required_literals(re.compile(r"[Tt]he (?:joint )?(?:statement|document)\b")) == {
        "The statement", "the statement", "The document", "the document",
        "The joint statement", "the joint statement", "The joint document", "the joint document"}
    # the fixed run whose shortest string is longest wins (then the smaller set)
    assert required_literals(re.compile(r"\w+ (?:held|met)\s+with\b")) == {"with"}
    assert required_literals(re.compile(r"\w+ (?:held|met)\s+on\b")) == {" held", " met"}
    # a repeated group needs its body
    assert required_literals(re.compile(r"(?:ab)+x")) == {"ab"}
    # case-insensitive: lowercased; ASCII only
    assert required_literals(re.compile(r"As Follows", re.I)) == {"as follows"}
    assert required_literals(re.compile("ſtrong", re.I)) is None
    # nothing fixed, an optional piece, a scoped flag: no prefilter
    assert required_literals(re.compile(r"\w+\s+\d")) is None
    assert required_literals(re.compile(r"(?:said)?\w+")) is None
    assert required_literals(re.compile(r"(?i:said)")) is None
    assert required_literals(re.compile(r"said|\w+")) is None


def test_prefilter_skips_only_texts_without_the_literals():
    from commitments.pipeline.prefilter import Prefiltered, prefiltered

    rx = Prefiltered(re.compile(r"\b(?:said|told)\b"))
    assert rx.search("the minister said so").span() == (13, 17)
    assert not rx.may_match("the minister spoke") and rx.search("the minister spoke") is None
    assert rx.may_match("saidx") and rx.search("saidx") is None   # passes the filter, regex decides
    folded = Prefiltered(re.compile(r"as follows", re.I))
    assert folded.search("AS FOLLOWS:").span() == (0, 10)
    assert folded.search("the text reads AS FOLLOW") is None
    # re.I folds the long s onto s: non-ASCII text always goes to the regex
    assert re.search("as follows", "aſ follows", re.I)
    assert folded.search("aſ follows") is not None
    assert Prefiltered(re.compile(r"x\]$")).sub("", "ab x]") == "ab "
    # one-character or unknown literals: the plain pattern comes back
    plain = re.compile(r"[.!?]\s*$")
    assert prefiltered(plain) is plain


def test_prefiltered_pattern_pickles():
    """Worker processes receive the pipeline pickled where they cannot fork."""
    import pickle

    from commitments.pipeline.prefilter import Prefiltered

    rx = Prefiltered(re.compile(r"\b(?:said|told)\b", re.I))
    back = pickle.loads(pickle.dumps(rx))
    assert back.literals == rx.literals and back.flags == rx.flags
    assert back.search("He SAID so").span() == (3, 7) and back.search("he spoke") is None


def test_rules_pipeline_pickles():
    import pickle

    from commitments.pipeline import load
    from commitments.pipeline.convert import doc_to_document, make_doc
    from commitments.model import Document

    nlp = load(base=None)
    copy = pickle.loads(pickle.dumps(nlp))
    text = "China and Japan agreed to hold talks in 2025. Japan will fund the new port."
    one = doc_to_document(nlp(make_doc(nlp, Document("a", text))))
    two = doc_to_document(copy(make_doc(copy, Document("a", text))))
    assert one.to_dict() == two.to_dict() and len(two.commitments) == 2


def _cue_regexes():
    from commitments.pipeline import segments

    cues = segments.Cues.default()
    out = []
    for value in vars(cues).values():
        for rx in value if isinstance(value, list) else [value]:
            if hasattr(rx, "regex"):
                out.append(rx)
    out += [v for v in vars(segments).values() if hasattr(v, "regex") and hasattr(v, "may_match")]
    return out


def test_segment_cues_are_prefiltered():
    assert len(_cue_regexes()) >= 15


_CUE_WORDS = ["said", "Said", "SAID", "says", "the", "The", "statement", "joint", "according", "to",
              "We", "we", "will", "hereby", "agree", "as", "follows", "FOLLOWS", "reported", "point",
              "consensus", "five-point", "in", "a", "readout", "It", "it", "added.", "[TRUNCATED]",
              "met", "with", "visited", "told", "2019", "ago", "full", "text", "of", "remarks", ":",
              "aſ", "ſaid", "“", "\n", "Click", "here", "Photo:", "ministers", "Leaders", ","]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_CUE_WORDS), max_size=14), st.sampled_from([" ", "", "  ", "\n"]))
def test_prefiltered_cues_search_like_their_regex(words, sep):
    text = sep.join(words)
    for rx in _cue_regexes():
        fast, slow = rx.search(text), rx.regex.search(text)
        assert (fast and fast.span()) == (slow and slow.span()), rx.pattern
        assert rx.sub("", text) == rx.regex.sub("", text)


# ---------------------------------------------------------------------- actor modifiers
def _is_modifier_on_tokens(doc, start, end, heads, adjective_like=False, next_is_mention=False,
                           place_ok=()):
    """The token-object version ``actors._is_modifier`` replaced (blank pipeline, no parser)."""
    from commitments.pipeline.actors import _DIRECTIONS, _HEADLINE_VERBS, _FUNCTION_WORDS, _MONTHS, \
        _in_headline

    nxt = doc[end] if end < len(doc) else None
    prev = doc[start - 1] if start > 0 else None
    if nxt is not None and nxt.text in ("-", "–") and not doc[end - 1].whitespace_:
        return True
    if prev is not None and prev.text in ("-", "–") and not prev.whitespace_:
        return True
    if prev is not None and prev.text in _DIRECTIONS and not prev.is_sent_start:
        return True
    if prev is not None and prev.text == "[" and nxt is not None and nxt.text == "]":
        return True
    if nxt is None:
        return False
    same_line = "\n" not in doc[end - 1].whitespace_ and doc[end - 1].whitespace_ != ""
    if same_line and not next_is_mention and nxt.is_title and nxt.text not in _MONTHS \
            and not nxt.is_sent_start and not (_in_headline(doc, doc.text, end)
                                               and nxt.lower_ in _HEADLINE_VERBS):
        return True
    if prev is not None and prev.text == "," and start >= 2 and doc[start - 2].is_title and \
            doc[start - 2].text not in place_ok:
        return True
    if same_line and nxt.lower_ in heads:
        return True
    if adjective_like and same_line and nxt.is_lower and nxt.is_alpha and nxt.lower_ not in _FUNCTION_WORDS:
        return True
    return False


_MOD_WORDS = ["China", "Japan", "-", "–", "relations", "Pavilion", "Summit", "Sign", "leaders", "South",
              "[", "]", ",", "Bali", "U.S.", "export", "the", "and", "\n", "  ", ".", "May", "ÉLAN",
              "Ǆemal", "İstanbul", "ǅ", "Ⅻ", "talks"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_MOD_WORDS), min_size=1, max_size=12),
       st.lists(st.booleans(), min_size=12, max_size=12))
def test_modifier_test_on_text_slices_agrees_with_tokens(words, spaces):
    from commitments.pipeline.actors import _is_modifier

    nlp = _blank_nlp()
    doc = nlp(spacy_doc_text(words, spaces))
    text = doc.text
    offsets = ([t.idx for t in doc], [t.idx + len(t) for t in doc])
    heads = {"leaders", "talks"}
    for start in range(len(doc)):
        for end in range(start + 1, min(len(doc), start + 3) + 1):
            for adjective_like in (False, True):
                slow = _is_modifier_on_tokens(doc, start, end, heads, adjective_like, False, {"Bali"})
                assert _is_modifier(doc, start, end, heads, adjective_like, False, {"Bali"}, False,
                                    text, offsets) == slow
                assert _is_modifier(doc, start, end, heads, adjective_like, False, {"Bali"}) == slow


def spacy_doc_text(words, spaces):
    return "".join(w + (" " if s else "") for w, s in zip(words, spaces))


@functools.lru_cache(maxsize=1)
def _blank_nlp():
    from commitments.pipeline import base_pipeline

    return base_pipeline(None)


def test_headline_line_cache_answers_like_the_count():
    from commitments.pipeline.actors import _headline_line

    assert _headline_line("China, Japan Sign New Deal")          # 5 words, all capitalised
    assert not _headline_line("China and Japan signed a new deal")  # 2 of 6 (no one-letter words)
    assert _headline_line("Japan")                               # fewer than 3 words
    assert _headline_line("China Japan talks") and not _headline_line("China said talks")


# ---------------------------------------------------------------------- actor titles
def _title_persons_on_tokens(finder, doc):
    """The token-object version ``ActorFinder._title_persons`` replaced."""
    from commitments.pipeline.actors import _MONTHS, _NAME_PARTICLES, _is_initial

    out = []
    n = len(doc)
    for _, start, end in finder.title_matcher(doc):
        tok = doc[start]
        if not (tok.is_title or tok.is_upper or tok.lower_ in ("spokesperson", "spokesman", "spokeswoman")):
            continue
        i = end
        while i + 1 < n and doc[i].text == "-" and doc[i + 1].lower_ in finder.title_words:
            i += 2
        j = i
        while j < n and j - i < 5:
            t = doc[j]
            if t.text in _MONTHS or t.lower_ in finder.title_words or t.text in finder.states.demonyms:
                break
            if (t.is_title and t.is_alpha) or (t.is_upper and len(t) > 1 and t.is_alpha) or _is_initial(t.text):
                j += 1
            elif t.text == "-" and j > i and not doc[j - 1].whitespace_ and j + 1 < n and doc[j + 1].is_alpha \
                    and not t.whitespace_:
                j += 2
            elif t.lower_ in _NAME_PARTICLES and j > i and j + 1 < n and doc[j + 1].is_title:
                j += 1
            else:
                break
            if "\n" in doc[j - 1].whitespace_:
                break
        if j > i:
            span_text = doc[i:j].text
            if span_text in finder.phrase_info and finder.phrase_info[span_text][0] in (
                    "state", "organization", "capital", "demonym", "none"):
                continue
            m = finder._person_from(doc, i, j, "title")
            if m:
                out.append(m)
    return out


_TITLE_WORDS = ["President", "PRESIDENT", "Prime", "Minister", "Secretary", "-", "General", "Angel", "Gurría",
                "Moon", "Jae", "in", "de", "Xi", "JINPING", "J.", "Jr.", "China", "Chinese", "May", "\n", ",",
                "said", "spokesperson", "Spokesman", "Foreign", "ǅemal", "İlham", "Ⅻ", "van", "the"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_TITLE_WORDS), min_size=1, max_size=14),
       st.lists(st.booleans(), min_size=14, max_size=14))
def test_title_persons_on_text_slices_agree_with_tokens(words, spaces):
    nlp = _rules_nlp()
    finder = nlp.get_pipe("actors").finder
    doc = nlp.make_doc(spacy_doc_text(words, spaces))
    finder(doc)  # reads the document's text and offsets
    fast = [vars(m) for m in finder._title_persons(doc)]
    assert fast == [vars(m) for m in _title_persons_on_tokens(finder, doc)]


def test_title_persons_find_a_hyphenated_title_and_name():
    nlp = _rules_nlp()
    finder = nlp.get_pipe("actors").finder
    doc = nlp.make_doc("Secretary-General Angel Gurría and President Moon Jae-in met.")
    finder(doc)
    found = [doc[m.start:m.end].text for m in finder._title_persons(doc)]
    # "Secretary" and "General" are both titles: the name is found from each
    assert sorted(set(found)) == ["Angel Gurría", "Moon Jae-in"]
    assert [vars(m) for m in finder._title_persons(doc)] == \
        [vars(m) for m in _title_persons_on_tokens(finder, doc)]


@functools.lru_cache(maxsize=1)
def _rules_nlp():
    from commitments.pipeline import load

    return load(base=None)


# ---------------------------------------------------------------------- collective members
def test_vote_index_ranks_like_collective_members_by_hand():
    from commitments.pipeline.actors import VoteIndex, collective_members

    votes = [(10, "CHN"), (50, "JPN"), (90, "CHN"), (400, "KOR"), (420, "KOR"), (900, "USA")]
    # at 500, window 200: KOR 2 + 2*2 = 6; CHN 2; JPN 1; USA 1 - 0.5
    assert collective_members(votes, 500, 2, 200) == ["KOR", "CHN"]
    assert VoteIndex(votes).members(500, 2, 200) == ["KOR", "CHN"]
    # at 100, window 100: CHN 2 + 2*2 = 6, JPN 1 + 2 = 3, KOR 2 - 2*0.5 = 1, USA 0.5
    assert VoteIndex(votes).members(100, 3, 100) == collective_members(votes, 100, 3, 100) == \
        ["CHN", "JPN", "KOR"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 300), st.sampled_from(["CHN", "JPN", "KOR", "USA", "ASEAN"])),
                max_size=20),
       st.integers(0, 300), st.integers(1, 4), st.integers(0, 200))
def test_vote_index_agrees_with_collective_members(votes, offset, n, window):
    from commitments.pipeline.actors import VoteIndex, collective_members

    assert VoteIndex(votes).members(offset, n, window) == collective_members(votes, offset, n, window)


# ---------------------------------------------------------------------- commitments, third round
@functools.lru_cache(maxsize=1)
def _blank():
    import spacy
    return spacy.blank("en")


def _view(text: str):
    from commitments.pipeline.commitments import _DocView
    return _DocView(_blank()(text), frozenset())


def test_token_lowers_are_the_tokens_lower_forms():
    from commitments.pipeline.commitments import _LowerCase, token_lowers
    import spacy

    doc = spacy.blank("en")("The ÉLAN of İstanbul, ΣΟΦΟΣ and U.S. said \"WILL\"\n\n  Ⅻ ǅemal.")
    cache: dict[int, str] = {}
    assert token_lowers(doc, cache) == [t.lower_ for t in doc] == _LowerCase(doc)[:]
    assert token_lowers(doc, cache) == [t.lower_ for t in doc]  # served from the cache
    assert token_lowers(doc)[0] == "the" and "istanbul" not in token_lowers(doc)


def test_inside_quote_by_hand():
    from commitments.pipeline.commitments import _inside_quote
    view = _view('He said "we will act now" and left.\n\n“They will go” and “so')
    low = view.lower
    assert _inside_quote(view, low.index("we")) and _inside_quote(view, low.index("act"))
    assert not _inside_quote(view, low.index("left"))
    assert not _inside_quote(view, low.index("he"))
    assert _inside_quote(view, low.index("they"))  # the first “ opens
    assert not _inside_quote(view, low.index("and", low.index("they")))  # closed by ”
    assert _inside_quote(view, len(low) - 1)  # “so: opened again
    assert not _inside_quote(view, 0)


_QUOTE_WORDS = ['"', "“", "”", "will", "act", ",", "\n", "\n\n", " ", "said", "'", "«"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_QUOTE_WORDS), min_size=1, max_size=16),
       st.sampled_from([" ", ""]))
def test_inside_quote_by_bisection_agrees_with_the_walk(words, sep):
    from commitments.pipeline.commitments import _inside_quote, _inside_quote_walk
    view = _view(sep.join(words))
    for i in range(len(view.doc)):
        assert _inside_quote(view, i) == _inside_quote_walk(view, i), (words, i)


def test_line_break_lookup_agrees_with_tokens():
    view = _view("One\n two  three\r\n\nfour \t five\n")
    assert [i for i in range(len(view.doc)) if view.is_break(i)] == \
        [t.i for t in view.doc if t.is_space and "\n" in t.text]
    assert view.is_break(1) and not view.is_break(0)


@pytest.mark.parametrize("kind,key,country,expected", [
    ("collective", "CHN+JPN", None, ["CHN", "JPN"]),
    ("person", "Moon Jae-in", "KOR", ["KOR"]),
    ("person", "Someone", None, ["Someone"]),
    ("organization", "Ministry of Foreign Affairs", "JPN", ["JPN"]),
    ("organization", "ASEAN", None, ["ASEAN"]),
    ("state", "", "USA", []),
])
def test_holders_from_row_values_match_holders_of_spans(kind, key, country, expected):
    import spacy

    from commitments.pipeline.commitments import _DocView, _holders
    from commitments.pipeline.extensions import register_extensions
    register_extensions()
    doc = spacy.blank("en")("Some actor here")
    span = doc[0:2]
    span._.actor_type, span._.actor_key, span._.actor_country = kind, key, country
    view = _DocView(doc, frozenset())
    assert _holders(kind, key, country) == view.holders_of(span) == expected


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["Joint", "STATEMENT", "on", "the", "Talks", "\n", "  ", ",", "Ǆemal",
                                 "İstanbul", "Ⅻ", "ÉLAN", "will", "U.S.", "—"]), min_size=1, max_size=10),
       st.sampled_from([" ", ""]))
def test_text_slices_and_headline_agree_with_tokens(words, sep):
    from commitments.pipeline.commitments import _headline
    view = _view(sep.join(words))
    doc, n = view.doc, len(view.doc)
    for a in range(n + 1):
        for b in range(a, n + 1):
            assert view.text_of(a, b) == doc[a:b].text
            toks = [t for t in doc[a:b] if t.is_alpha and len(t) > 3]
            expected = b - a <= 25 and len(toks) >= 3 and \
                sum(t.is_title or t.is_upper for t in toks) >= 0.8 * len(toks)
            assert _headline(view, a, b) == expected


def test_first_word_scan_on_ascii_text_by_hand(finder):
    text = "WILL will_ willing xwill 2will will. Agreed,agree-to PLEDGE"
    assert text.isascii()
    slow = [(m.start(), m.end(), m.group()) for m in finder.first_rx.finditer(text)]
    fast = [(m.start(), m.end(), m.group()) for m in finder._first_words(text)]
    assert fast == slow and (0, 4, "WILL") in fast and (5, 9, "will") in fast
    assert not any(g in ("xwill", "2will") for *_, g in fast)


def test_deadline_from_offset_lists_agrees_with_tokens():
    from commitments.pipeline.commitments import Candidate, _deadline
    from commitments.pipeline.extensions import register_extensions
    register_extensions()
    view = _view("Japan will host the summit in Tokyo. It will open  talks by 2030 with Korea.")
    doc = view.doc
    starts = [0, [t.text for t in doc].index("It")]
    seen = set()
    for a in range(len(doc)):
        for b in range(a + 1, len(doc) + 1):
            cand = Candidate(start=a, end=b, holders=[], kind="action", modality="firm", trigger="will")
            fast = _deadline(doc, doc.text, cand, starts, view._offsets())
            assert fast == _deadline(doc, doc.text, cand, starts)
            seen.add(fast)
    assert "2030" in seen and None in seen

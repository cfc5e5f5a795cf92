"""Follow-through linking end to end on a small corpus written here: a pledge
to hold a meeting in 2025, a later report that it was held, a later one that
it was postponed, a reaffirmation, an earlier distractor and an unrelated
text."""
import json

import numpy as np
import pytest
from click.testing import CliRunner

from commitments.cli import main
from commitments.link import build_index, link_commitments, load_index
from commitments.link.index import LinkIndex
from commitments.model import Commitment, Document, read_links, write_jsonl

PLEDGE = ("Tokyo, 1 March 2024. Japan and the Republic of Korea met for talks on fisheries. "
          "The two governments agreed to hold the third Japan-Korea Fisheries Forum in Busan in 2025. "
          "They also discussed tourism.")


def _pledge_doc():
    start = PLEDGE.index("hold the third")
    end = PLEDGE.index(" in Busan in 2025") + len(" in Busan in 2025")
    com = Commitment(id="c1", start=start, end=end, text=PLEDGE[start:end], kind="agreement",
                     holders=["JPN", "KOR"], deadline="2025")
    return Document(id="pledge", date="2024-03-01", title="Japan-Korea fisheries talks", text=PLEDGE,
                    commitments=[com])


CORPUS = [
    Document(id="earlier", date="2023-05-02", title="Fisheries talks planned", text=(
        "Officials said Japan and Korea may hold the third Japan-Korea Fisheries Forum in Busan. "
        "The Fisheries Forum would meet in Busan. The third Fisheries Forum is long awaited.")),
    Document(id="reaffirm", date="2024-11-20", title="Foreign ministers meet", text=(
        "The foreign ministers of Japan and Korea met in Seoul on Wednesday. "
        "Both sides reaffirmed their commitment to hold the third Japan-Korea Fisheries Forum in Busan. "
        "They also talked about student exchanges.")),
    Document(id="held", date="2025-06-10", title="Fisheries forum in Busan", text=(
        "Busan, 9 June 2025. Delegations from Japan and Korea gathered by the harbour. "
        "The third Japan-Korea Fisheries Forum was held in Busan on Monday. "
        "Catch quotas were discussed at length.")),
    Document(id="postponed", date="2025-09-01", title="Storm disrupts plans", text=(
        "A typhoon struck the coast of Korea and Japan this week. "
        "The fourth Japan-Korea Fisheries Forum was postponed because of the storm. "
        "Ferries were cancelled across the strait.")),
    Document(id="unrelated", date="2025-02-01", title="Chip exports", text=(
        "Semiconductor exports rose sharply in January. Analysts expect demand for memory chips to grow.")),
]


def corpus_with_pledge():
    return [_pledge_doc()] + CORPUS


def _by_doc(links):
    """The best link of each document (a document may take several slots)."""
    out = {}
    for lk in links:
        out.setdefault(lk.doc, lk)
    return out


def check_links(links, index):
    docs = {d.id: d for d in corpus_with_pledge()}
    ranked = [lk.doc for lk in links]
    assert "earlier" not in ranked      # dated before the pledge: never linked
    assert "pledge" not in ranked       # never the commitment's own document
    assert set(ranked[:3]) == {"held", "reaffirm", "postponed"}
    if "unrelated" in ranked:
        assert ranked.index("unrelated") == 3
    scores = [lk.score for lk in links]
    assert scores == sorted(scores, reverse=True)
    by_doc = _by_doc(links)
    assert by_doc["held"].status == "fulfilled"
    assert by_doc["postponed"].status == "contradicted"
    assert by_doc["reaffirm"].status == "reaffirmed"
    held = docs["held"].text[by_doc["held"].start:by_doc["held"].end]
    assert held == "The third Japan-Korea Fisheries Forum was held in Busan on Monday."
    post = docs["postponed"].text[by_doc["postponed"].start:by_doc["postponed"].end]
    assert "postponed" in post
    for lk in links:
        assert lk.commitment == "pledge#c1"
        assert isinstance(lk.extra["kept"], bool)


@pytest.fixture(scope="module")
def lexical_index():
    return build_index(corpus_with_pledge())


def test_index_is_sorted_by_date_and_filters_by_date(lexical_index):
    idx = lexical_index
    assert [d["id"] for d in idx.docs] == ["earlier", "pledge", "reaffirm", "unrelated", "held", "postponed"]
    assert idx.embeddings is None
    assert idx.docs[idx.first_eligible("2024-03-01")]["id"] == "pledge"
    assert idx.first_eligible("2030") == idx.n_docs
    # a year-only date may follow anything inside that year
    assert idx.first_eligible("2025-06-30") == 5


def test_index_skips_undated_documents():
    idx = build_index(CORPUS + [Document(id="nodate", text="The forum was held.")])
    assert idx.skipped == ["nodate"] and "nodate" not in idx.row_of


def test_link_lexical(lexical_index):
    links = link_commitments([_pledge_doc()], lexical_index, top_k=5)
    check_links(links, lexical_index)


SAME_DAY = Document(id="summary", date="2024-03-01", title="Japan-Korea Fisheries Forum to be held in Busan in 2025",
                    text=("Japan and Korea will hold the third Japan-Korea Fisheries Forum in Busan in 2025. "
                          "The third Japan-Korea Fisheries Forum in Busan was agreed at the fisheries talks in "
                          "Tokyo on Friday."))


def test_a_same_day_account_ranks_below_a_later_report():
    # another account of the pledge's own meeting, closer to its words than any later text, reports
    # no follow-through: the shipped weights put it below the later reports (same_date)
    index = build_index(corpus_with_pledge() + [SAME_DAY])
    ranked = [lk.doc for lk in link_commitments([_pledge_doc()], index, top_k=5)]
    assert ranked[0] == "held"
    assert ranked.index("summary") > ranked.index("reaffirm")


def test_link_top_k_limits(lexical_index):
    assert len(link_commitments([_pledge_doc()], lexical_index, top_k=2)) == 2


def test_index_save_load_round_trip(lexical_index, tmp_path):
    lexical_index.save(tmp_path / "idx")
    loaded = load_index(tmp_path / "idx")
    assert isinstance(loaded, LinkIndex)
    assert [d["id"] for d in loaded.docs] == [d["id"] for d in lexical_index.docs]
    assert loaded.sent_text == lexical_index.sent_text
    assert np.array_equal(loaded.doc_offsets, lexical_index.doc_offsets)
    before = [lk.to_dict() for lk in link_commitments([_pledge_doc()], lexical_index)]
    after = [lk.to_dict() for lk in link_commitments([_pledge_doc()], loaded)]
    assert before == after


def test_load_index_rejects_a_plain_folder(tmp_path):
    from commitments.errors import InputError
    with pytest.raises(InputError, match="not a link index"):
        load_index(tmp_path)


@pytest.fixture(scope="session")
def minilm():
    from commitments.link.embed import default_model_path, load_encoder
    if default_model_path() is None:
        pytest.skip("the MiniLM package is not installed")
    return load_encoder()


def test_link_with_embeddings(minilm, tmp_path):
    idx = build_index(corpus_with_pledge(), minilm)
    assert idx.embeddings.shape == (idx.n_sentences, minilm.dim)
    assert np.allclose(np.linalg.norm(idx.embeddings, axis=1), 1.0, atol=1e-4)
    links = link_commitments([_pledge_doc()], idx, minilm)
    check_links(links, idx)
    idx.save(tmp_path / "idx")
    loaded = load_index(tmp_path / "idx")
    assert np.allclose(loaded.embeddings, idx.embeddings)
    assert [lk.doc for lk in link_commitments([_pledge_doc()], loaded, minilm)] == [lk.doc for lk in links]


# ---------------------------------------------------------------- commands
@pytest.fixture
def files(tmp_path):
    commitments = tmp_path / "commitments.jsonl"
    corpus = tmp_path / "corpus.jsonl"
    write_jsonl([_pledge_doc()], commitments)
    write_jsonl(corpus_with_pledge(), corpus)
    return tmp_path, commitments, corpus


def test_cli_link_lexical_and_index_reuse(files):
    tmp, commitments, corpus = files
    runner = CliRunner()
    out = tmp / "links.jsonl"
    res = runner.invoke(main, ["link", str(commitments), str(corpus), "-o", str(out), "--no-embeddings"])
    assert res.exit_code == 0, res.output
    links = read_links(out)
    check_links(links, None)
    res = runner.invoke(main, ["index", str(corpus), "-o", str(tmp / "idx"), "--no-embeddings"])
    assert res.exit_code == 0, res.output
    assert json.loads((tmp / "idx" / "cfg.json").read_text())["n_docs"] == 6
    out2 = tmp / "links2.jsonl"
    res = runner.invoke(main, ["link", str(commitments), "--index", str(tmp / "idx"), "-o", str(out2)])
    assert res.exit_code == 0, res.output
    assert [lk.to_dict() for lk in read_links(out2)] == [lk.to_dict() for lk in links]


def test_cli_index_says_when_the_corpus_has_no_actors_layer(files):
    """Raw texts get a notice (actors found by name only); documents that
    carry an actors layer, as extracted ones do, get none."""
    tmp, _, corpus = files
    runner = CliRunner()
    res = runner.invoke(main, ["index", str(corpus), "-o", str(tmp / "raw"), "--no-embeddings"])
    assert res.exit_code == 0, res.output
    assert "6 of 6 corpus documents have no actors layer" in " ".join(res.output.split())
    docs = corpus_with_pledge()
    for d in docs:
        d.actors = []
    write_jsonl(docs, tmp / "tagged.jsonl")
    res = runner.invoke(main, ["index", str(tmp / "tagged.jsonl"), "-o", str(tmp / "tagged"), "--no-embeddings"])
    assert res.exit_code == 0, res.output
    assert "actors layer" not in res.output


def test_cli_link_usage_errors(files):
    tmp, commitments, corpus = files
    runner = CliRunner()
    res = runner.invoke(main, ["link", str(commitments)])
    assert res.exit_code == 2 and "CORPUS or --index" in res.output
    res = runner.invoke(main, ["link", str(corpus.parent / "missing.jsonl"), str(corpus)])
    assert res.exit_code == 2 and "Traceback" not in res.output


def test_cli_track_terminal_and_html(files):
    tmp, commitments, corpus = files
    runner = CliRunner()
    links = tmp / "links.jsonl"
    assert runner.invoke(main, ["link", str(commitments), str(corpus), "-o", str(links),
                                "--no-embeddings"]).exit_code == 0
    common = ["--links", str(links), "--corpus", str(corpus), "--commitments", str(commitments)]
    res = runner.invoke(main, ["track", "pledge#c1", *common])
    assert res.exit_code == 0, res.output
    assert "JPN, KOR" in res.output and "2025" in res.output
    # later evidence in date order: reaffirmation, then held, then postponed
    assert res.output.index("2024-11-20") < res.output.index("2025-06-10") < res.output.index("2025-09-01")
    html_out = tmp / "t.html"
    res = runner.invoke(main, ["track", "pledge#c1", *common, "--html", str(html_out)])
    assert res.exit_code == 0, res.output
    page = html_out.read_text()
    assert page.startswith("<!DOCTYPE html>") and "was held in Busan on Monday" in page
    assert "contradicted" in page and "<script" not in page
    res = runner.invoke(main, ["track", "pledge#c9", *common])
    assert res.exit_code == 2 and "no commitment 'c9'" in res.output


@pytest.mark.parametrize("slots", ["joint", "best"])
def test_kept_first_keeps_only_the_first_link(lexical_index, slots):
    import copy
    from commitments.link.rank import load_settings
    settings = copy.deepcopy(load_settings())
    settings.slots = slots
    settings.lexical.threshold = 0.0  # every link is above the threshold
    settings.kept_first = False
    kept = [lk.extra["kept"] for lk in link_commitments([_pledge_doc()], lexical_index, settings=settings)]
    assert sum(kept) > 1
    settings.kept_first = True
    kept = [lk.extra["kept"] for lk in link_commitments([_pledge_doc()], lexical_index, settings=settings)]
    assert kept[0] and not any(kept[1:])


def test_shipped_settings_keep_only_first_links():
    from commitments.link.rank import load_settings, settings_from_dict, settings_to_dict
    assert load_settings().kept_first is True
    assert settings_from_dict(settings_to_dict(load_settings())).kept_first is True

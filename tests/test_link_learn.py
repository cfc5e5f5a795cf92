"""Learned linker weights: the fitting functions on small problems whose
answer is known, the new document features, the source vector of queries
and the (optional) learned status model."""
import math

import numpy as np
import pytest

from commitments.link.index import build_index
from commitments.link.linker import default_status_model, embed_queries, queries
from commitments.link.rank import FEATURES, feature_matrix, jaccard, log_gap, same_date, within_rank
from commitments.link.retrieve import retrieve
from commitments.link.status import StatusModel, load_cues, status_model_from_dict
from commitments.errors import InputError
from commitments.model import LINK_STATUSES, Commitment, Document

scipy = pytest.importorskip("scipy")
from commitments.link.learn import (Standardiser, fit_grouped_softmax, fit_platt,  # noqa: E402
                                    fit_softmax_regression, grouped_softmax_loss)


def _groups(n_groups, size, rng):
    """Groups of rows where the positive row has the largest feature 0;
    feature 1 is noise, feature 2 a constant."""
    x = rng.normal(size=(n_groups * size, 3))
    x[:, 2] = 5.0
    group = np.repeat(np.arange(n_groups), size)
    y = np.zeros(len(x), dtype=bool)
    for g in range(n_groups):
        rows = np.flatnonzero(group == g)
        y[rows[np.argmax(x[rows, 0])]] = True
    return x, y, group


def test_grouped_softmax_learns_the_deciding_feature():
    rng = np.random.default_rng(0)
    x, y, group = _groups(60, 6, rng)
    w = fit_grouped_softmax(x, y, group, l2=0.1)
    assert w[0] > 0 and abs(w[1]) < w[0] / 3
    assert w[2] == 0.0  # a constant column cannot rank anything
    xt, yt, gt = _groups(30, 6, np.random.default_rng(1))
    s = xt @ w
    right = sum(yt[np.flatnonzero(gt == g)][np.argmax(s[gt == g])] for g in range(30))
    assert right >= 27  # chance: 5 of 30; noise on feature 1 may swap near ties


def test_grouped_softmax_gradient_matches_finite_differences():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(9, 2))
    y = np.array([1, 0, 0, 1, 1, 0, 0, 0, 0], dtype=bool)  # group 1 has two positives
    group = np.array([0, 0, 0, 1, 1, 1, 1, 2, 2])           # group 2 has none
    w = np.array([0.3, -0.7])
    _, grad = grouped_softmax_loss(w, x, y, group, 0.5)
    eps = 1e-6
    for k in range(2):
        d = np.zeros(2)
        d[k] = eps
        num = (grouped_softmax_loss(w + d, x, y, group, 0.5)[0] - grouped_softmax_loss(w - d, x, y, group, 0.5)[0])
        assert grad[k] == pytest.approx(num / (2 * eps), rel=1e-4)
    # by hand for one positive: -log(e^s_p / (e^s_p + sum of the group's negatives))
    s = x @ w
    by_hand = (-(s[0] - np.log(np.exp(s[:3]).sum()))
               - (s[3] - np.log(np.exp(s[3]) + np.exp(s[5:7]).sum()))
               - (s[4] - np.log(np.exp(s[4]) + np.exp(s[5:7]).sum())) + 0.5 * w @ w)
    assert grouped_softmax_loss(w, x, y, group, 0.5)[0] == pytest.approx(by_hand)


def test_weighted_positives_scale_their_terms_and_the_gradient_matches():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(7, 2))
    y = np.array([1, 0, 0, 1, 1, 0, 0], dtype=bool)
    group = np.array([0, 0, 0, 1, 1, 1, 1])
    weight = np.array([2.0, 9, 9, 0.5, 1.0, 9, 9])  # read at the positives only
    w = np.array([-0.4, 0.8])
    s = x @ w
    by_hand = (-2.0 * (s[0] - np.log(np.exp(s[:3]).sum()))
               - 0.5 * (s[3] - np.log(np.exp(s[3]) + np.exp(s[5:7]).sum()))
               - 1.0 * (s[4] - np.log(np.exp(s[4]) + np.exp(s[5:7]).sum())) + 0.1 * w @ w)
    loss, grad = grouped_softmax_loss(w, x, y, group, 0.1, weight)
    assert loss == pytest.approx(by_hand)
    eps = 1e-6
    for k in range(2):
        d = np.zeros(2)
        d[k] = eps
        num = (grouped_softmax_loss(w + d, x, y, group, 0.1, weight)[0]
               - grouped_softmax_loss(w - d, x, y, group, 0.1, weight)[0])
        assert grad[k] == pytest.approx(num / (2 * eps), rel=1e-4)
    # weight 1 everywhere is the unweighted loss
    assert grouped_softmax_loss(w, x, y, group, 0.1, np.ones(7))[0] == pytest.approx(
        grouped_softmax_loss(w, x, y, group, 0.1)[0])


def test_standardiser_maps_weights_back_to_raw_features():
    x = np.array([[1.0, 10.0], [3.0, 30.0], [5.0, 20.0]])
    std = Standardiser.fit(x)
    w, b = np.array([0.5, -2.0]), 0.25
    w_raw, b_raw = std.raw(w, b)
    np.testing.assert_allclose(x @ w_raw + b_raw, std(x) @ w + b)


def test_softmax_regression_separates_three_classes():
    rng = np.random.default_rng(3)
    centres = {"fulfilled": (4, 0), "partial": (0, 4), "reaffirmed": (-4, -4)}
    labels = [c for c in centres for _ in range(20)]
    x = np.array([centres[c] for c in labels], dtype=float) + rng.normal(scale=0.5, size=(60, 2))
    classes = ["fulfilled", "partial", "reaffirmed"]
    w, b = fit_softmax_regression(x, labels, classes, l2=0.1)
    assert w.shape == (2, 3) and b.shape == (3,)
    pred = [classes[i] for i in np.argmax(np.array([[4.2, 0.1], [0.3, 3.5], [-3.0, -5.0]]) @ w + b, axis=1)]
    assert pred == classes


def test_platt_is_increasing_and_calibrated():
    scores = np.array([-2.0, -1.0, 0.0, 1.0, 2.0, 3.0] * 10)
    labels = np.array([0, 0, 0, 1, 1, 1] * 10)
    a, b = fit_platt(scores, labels)
    assert a > 0
    p = 1 / (1 + np.exp(-(a * scores + b)))
    assert p[0] < 0.2 and p[5] > 0.8


# ------------------------------------------------------------------ features
def test_small_feature_helpers():
    assert list(within_rank(np.array([0.2, 0.9, 0.5]))) == [1 / 3, 1.0, 0.5]
    assert jaccard(["CHN", "JPN"], ["JPN", "KOR", "CHN", "USA"]) == 0.5
    assert jaccard([], []) == 0.0
    assert log_gap("2024-01-01", "2024-01-01") == 0.0
    assert log_gap("2024-01-01", "2025-01-01") == pytest.approx(math.log1p(366) / 8)
    assert log_gap("2024-05-01", "2024") == 0.0  # a year overlapping the source day: no gap
    assert log_gap(None, "2024") == 0.0


def test_same_date_marks_texts_of_the_same_day():
    assert same_date("2023-05-20", "2023-05-20") == 1.0        # a communique and its summary
    assert same_date("2023-05-20", "2023-05-21") == 0.0
    # a date coarser than a day says nothing: a corpus dated by year is not penalised wholesale
    assert same_date("2023-05-20", "2023-05") == 0.0
    assert same_date("2023-05", "2023-05-31") == 0.0
    assert same_date("2023", "2023") == 0.0
    assert same_date(None, "2023-05-20") == 0.0 and same_date("2023-05-20", "not a date") == 0.0


SOURCE = ("Beijing, 2 May 2024. China and Japan held talks. "
          "The two sides agreed to launch a maritime hotline before the end of the year.")


def _source():
    start = SOURCE.index("launch")
    end = SOURCE.index(" before the end")
    com = Commitment(id="c1", start=start, end=end, text=SOURCE[start:end], kind="agreement",
                     holders=["CHN", "JPN"])
    return Document(id="src", date="2024-05-02", title="China-Japan talks", text=SOURCE, commitments=[com])


LATER = [
    Document(id="hotline", date="2024-12-01", title="Maritime hotline launched",
             text="China and Japan launched the maritime hotline on Sunday. It links both defence ministries."),
    Document(id="other", date="2025-03-01", title="Trade fair opens",
             text="France and Germany opened a trade fair in Lyon. Exhibitors came from twelve countries."),
]


def test_document_features_by_hand():
    index = build_index(LATER)
    (_, query), = list(queries([_source()]))
    assert query.source_holders == ["CHN", "JPN"]
    cands = retrieve(index, query)
    x = feature_matrix(index, query, cands, np.zeros(len(cands.rows)))
    col = {f: i for i, f in enumerate(FEATURES)}
    row = {index.docs[int(r)]["id"]: j for j, r in enumerate(cands.rows)}
    hot = x[row["hotline"]]
    # commitment tokens: launch, maritim, hotlin; the title holds all three (stemmed alike)
    assert hot[col["title_recall"]] == pytest.approx(1.0)
    assert hot[col["src_holders"]] == 1.0          # {CHN, JPN} against {CHN, JPN}
    assert hot[col["log_gap"]] == pytest.approx(math.log1p(213) / 8)  # 2 May -> 1 Dec 2024
    assert hot[col["doc_length"]] == pytest.approx(math.log1p(2) / 4)
    assert hot[col["same_date"]] == 0.0  # 2 May -> 1 Dec 2024
    assert hot[col["rank_bm25"]] == 1.0
    assert hot[col["doc_cos"]] == 0.0 and hot[col["rank_cos"]] == 0.0  # no embeddings
    if "other" in row:
        assert x[row["other"], col["src_holders"]] == 0.0


class _FakeEncoder:
    name = "fake"
    dim = 2

    def encode(self, texts, progress=None):
        return np.array([[1.0, 0.0] if "hotline" in t else [0.0, 1.0] for t in texts], dtype=np.float32)


def test_source_vector_is_the_mean_of_the_documents_commitments():
    doc = _source()
    text = doc.text
    s2 = text.index("held talks")
    doc.commitments.append(Commitment(id="c2", start=s2, end=s2 + 10, text=text[s2:s2 + 10],
                                      kind="agreement", holders=["CHN"]))
    qs = [q for _, q in queries([doc])]
    embed_queries(qs, _FakeEncoder())
    # c1 text "launch a maritime hotline" -> (1, 0) + its sentence (1, 0): (1, 0)
    # c2 text "held talks" -> (0, 1) + its sentence "China and Japan held talks." (0, 1): (0, 1)
    np.testing.assert_allclose(qs[0].vector, [1.0, 0.0])
    np.testing.assert_allclose(qs[1].vector, [0.0, 1.0])
    for q in qs:
        np.testing.assert_allclose(q.source_vector, [2 ** -0.5, 2 ** -0.5], rtol=1e-6)


# ------------------------------------------------------------------ status model
def _status_model(model="all-MiniLM-L6-v2"):
    d = len(LINK_STATUSES) + 2
    w = np.zeros((d, 2))
    w[len(LINK_STATUSES), 0] = 1.0      # first embedding dimension -> fulfilled
    w[len(LINK_STATUSES) + 1, 1] = 1.0  # second -> reaffirmed
    return StatusModel(classes=("fulfilled", "reaffirmed"), weights=w, bias=np.zeros(2), model=model)


def test_status_model_classifies_from_its_features():
    m = _status_model()
    assert m.classify("The meeting took place.", [0.9, 0.1]) == "fulfilled"
    assert m.classify("The meeting took place.", [0.1, 0.9]) == "reaffirmed"
    again = status_model_from_dict(m.to_dict())
    assert again.classes == m.classes and again.classify("x", [0.9, 0.1]) == "fulfilled"


def test_status_model_applies_only_to_its_embedding_model():
    index = build_index(LATER)
    m = _status_model()
    assert not m.applies_to(index)  # lexical index
    index.embeddings = np.zeros((index.n_sentences, 2), dtype=np.float32)
    index.model = "sentence-transformers/all-MiniLM-L6-v2"
    assert m.applies_to(index)
    index.model = "other-model"
    assert not m.applies_to(index)


def test_status_model_rejects_bad_data():
    with pytest.raises(InputError):
        status_model_from_dict({"classes": ["fulfilled"], "weights": [[1.0, 2.0]], "bias": [0.0],
                                "model": "m"})
    with pytest.raises(InputError):
        status_model_from_dict({"classes": ["done"], "weights": [[1.0]], "bias": [0.0], "model": "m"})


def test_custom_cues_disable_the_status_model(tmp_path):
    path = tmp_path / "cues.json"
    path.write_text('{"cues": [{"status": "fulfilled", "pattern": "held"}]}', encoding="utf-8")
    assert default_status_model(load_cues(path)) is None


def test_shipped_defaults_are_the_learned_weights():
    import json
    from importlib import resources

    from commitments.link.rank import EMBEDDING_FEATURES, load_settings

    data = json.loads(resources.files("commitments.resources.link").joinpath("defaults.json")
                      .read_text(encoding="utf-8"))
    assert data["fitted"]["by"] == "scripts/fit_link.py" and "cross_validated" in data["fitted"]
    settings = load_settings()
    assert set(settings.embeddings.weights) == set(FEATURES)
    assert set(settings.lexical.weights) == set(FEATURES) - EMBEDDING_FEATURES
    assert 0.0 < settings.embeddings.threshold <= 1.01

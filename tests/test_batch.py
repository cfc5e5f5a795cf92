"""The batch machinery, on a stand-in pipeline (tests/batch_standin.py): it
must work whatever the components are."""
import itertools
import json

import pytest
from batch_standin import standin_nlp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language

from commitments.batch import (OutputFiles, Rejection, errors_path, process, resume_state, run,
                               screen)
from commitments.errors import InputError
from commitments.model import BadRecord, Document

GERMAN = ("Die Bundesregierung hat heute beschlossen, dass die Länder neue Gesetze "
          "vorlegen müssen und die Kommission darüber berichten wird.")


@pytest.fixture(scope="module")
def nlp():
    return standin_nlp()


def _ids(outcomes):
    return [(o.id if isinstance(o, Document) else o.doc_id) for o in outcomes]


def test_screen_sorts_out_what_cannot_be_processed():
    bad = screen(BadRecord("in.jsonl", 4, "malformed JSON: Expecting value (column 1)"))
    assert isinstance(bad, Rejection) and bad.stage == "read" and bad.line == 4
    assert screen(Document("e", " \n\t ")).stage == "empty"
    german = screen(Document("de", GERMAN))
    assert german.stage == "language" and "'de'" in german.reason
    # the reader's stored language wins over a guess from the text
    assert screen(Document("x", GERMAN, extra={"language": "en"})).id == "x"
    assert screen(Document("y", "Japan will help.", extra={"language": "fr"})).stage == "language"
    assert screen(Document("de", GERMAN), language=None).id == "de"


def test_process_keeps_input_order_and_reports_each_failure(nlp):
    items = [
        Document("a", "China will build a bridge. Japan will help.\n\nA second paragraph."),
        BadRecord("in.jsonl", 2, "malformed JSON"),
        Document("b", "   "),
        Document("c", "Japan will EXPLODE the old plan."),
        Document("d", GERMAN),
        Document("e", "Korea will host the next meeting."),
    ]
    out = list(process(iter(items), nlp, batch_size=8))
    assert _ids(out) == ["a", None, "b", "c", "d", "e"]
    a, read, empty, failed, german, e = out
    assert [c.text for c in a.commitments] == ["build a bridge", "help"]
    assert [act.key for act in a.actors] == ["CHN", "JPN"]
    assert len(a.segments) == 2 and a.problems() == []
    assert (read.stage, read.source, read.line) == ("read", "in.jsonl", 2)
    assert empty.stage == "empty" and german.stage == "language"
    assert failed.stage == "pipeline"
    assert "test_standin_explode" in failed.reason and "boom on purpose" in failed.reason
    # the failing document's batch-mates came through
    assert [c.text for c in e.commitments] == ["host the next meeting"]


class _PipeRaiser:
    """A component whose own ``pipe`` raises (no error handler): the failure
    comes up through nlp.pipe and ends it."""

    def __call__(self, doc):
        if "KABOOM" in doc.text:
            raise RuntimeError("kaboom")
        return doc

    def pipe(self, docs, batch_size=32):
        for doc in docs:
            yield self(doc)


@Language.factory("test_batch_pipe_raiser")
def _make_pipe_raiser(nlp, name):
    return _PipeRaiser()


def test_a_component_raising_through_pipe_costs_only_its_document():
    nlp = standin_nlp(explode=False)
    nlp.add_pipe("test_batch_pipe_raiser")
    items = [Document(f"d{i}", f"China will do task {i}." + (" KABOOM" if i in (3, 9) else ""))
             for i in range(12)]
    out = list(process(iter(items), nlp, batch_size=4))
    assert _ids(out) == [f"d{i}" for i in range(12)]
    failed = [o.doc_id for o in out if isinstance(o, Rejection)]
    assert failed == ["d3", "d9"]
    assert all("test_batch_pipe_raiser" in o.reason for o in out if isinstance(o, Rejection))
    assert [o.commitments[0].text for o in out if isinstance(o, Document)][0] == "do task 0"


def test_long_text_is_processed_in_pieces_with_offsets_mapped_back(nlp):
    sentences = [f"China will open office number {i}." for i in range(300)]
    text = "\n\n".join(" ".join(sentences[i:i + 5]) for i in range(0, 300, 5))
    assert len(text) > 10_000
    (doc,) = process(iter([Document("long", text)]), nlp, max_chars=2_000)
    assert doc.text == text and doc.problems() == []
    assert len(doc.commitments) == 300
    assert [c.id for c in doc.commitments[:3]] == ["c1", "c2", "c3"]
    assert doc.commitments[299].text == "open office number 299"
    assert text[doc.commitments[299].start:doc.commitments[299].end] == "open office number 299"


def test_reading_is_lazy():
    """Outcomes come while the input is still being read: the corpus is never
    held whole (here the input has no end)."""
    nlp = standin_nlp()
    endless = (Document(f"d{i}", f"Japan will help {i}.") for i in itertools.count())
    first = list(itertools.islice(process(endless, nlp, batch_size=4), 10))
    assert _ids(first) == [f"d{i}" for i in range(10)]


def test_reader_errors_are_not_swallowed(nlp):
    def items():
        yield Document("a", "Japan will help.")
        raise InputError("in.jsonl: no such file")

    with pytest.raises(InputError, match="no such file"):
        list(process(items(), nlp))


def test_two_processes_give_the_same_output(nlp):
    items = [Document(f"d{i}", f"China will build road {i}." + (" EXPLODE" if i == 5 else ""))
             for i in range(24)]
    one = [o.to_dict() for o in process(iter(items), nlp, batch_size=4)]
    two = [o.to_dict() for o in process(iter(items), nlp, batch_size=4, n_process=2)]
    assert one == two
    assert sum(1 for o in two if o.get("stage") == "pipeline") == 1


# ---------------------------------------------------------------------- files
def _lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_errors_path():
    assert errors_path("run/out.jsonl").name == "out.errors.jsonl"
    assert errors_path("out").name == "out.errors.jsonl"


def test_run_writes_output_and_errors_atomically(tmp_path, nlp):
    out = tmp_path / "out.jsonl"
    items = [Document("a", "Japan will help."), BadRecord("in.jsonl", 2, "malformed JSON"),
             Document("b", "")]
    stats = run(iter(items), out, outcomes=lambda s: process(s, nlp), show_progress=False)
    assert (stats.written, stats.n_rejected) == (1, 2)
    assert [d["id"] for d in _lines(out)] == ["a"]
    errors = _lines(errors_path(out))
    assert [(e["stage"], e["id"]) for e in errors] == [("read", None), ("empty", "b")]
    assert errors[0]["line"] == 2
    assert not list(tmp_path.glob("*.part"))
    line = stats.summary(out, errors_path(out))
    assert "\n" not in line and "1 documents" in line and "2 rejected" in line


def test_nothing_processable_is_an_error_and_leaves_the_output_alone(tmp_path, nlp):
    out = tmp_path / "out.jsonl"
    out.write_text("previous\n", encoding="utf-8")
    with pytest.raises(InputError, match="all 2 inputs were rejected"):
        run(iter([Document("a", " "), Document("b", GERMAN)]), out,
            outcomes=lambda s: process(s, nlp), show_progress=False)
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert len(_lines(errors_path(out))) == 2


def test_interrupted_run_then_resume(tmp_path, nlp):
    out = tmp_path / "out.jsonl"
    docs = [Document(f"d{i}", f"Japan will help with task {i}.") for i in range(10)]

    def interrupted(stream):
        for i, outcome in enumerate(process(stream, nlp)):
            if i == 6:
                raise KeyboardInterrupt
            yield outcome

    with pytest.raises(KeyboardInterrupt):
        run(iter(docs), out, outcomes=interrupted, show_progress=False)
    assert not out.exists()
    part = tmp_path / "out.jsonl.part"
    assert [d["id"] for d in _lines(part)] == [f"d{i}" for i in range(6)]
    # a line cut short by the interruption is dropped on resume
    with open(part, "a", encoding="utf-8") as fh:
        fh.write('{"id": "d6", "text": "Jap')
    stats = run(iter(docs), out, outcomes=lambda s: process(s, nlp), resume=True,
                show_progress=False)
    assert (stats.skipped, stats.written) == (6, 4)
    assert [d["id"] for d in _lines(out)] == [f"d{i}" for i in range(10)]
    assert not part.exists()
    # resuming a finished run does nothing more and keeps everything
    stats = run(iter(docs), out, outcomes=lambda s: process(s, nlp), resume=True,
                show_progress=False)
    assert (stats.skipped, stats.written) == (10, 0)
    assert len(_lines(out)) == 10


def test_resume_state_of_a_finished_output(tmp_path):
    out = tmp_path / "o.jsonl"
    out.write_text('{"id": "a", "text": "x"}\n{"id": "a", "text": "x"}\nnot json\n{"id": "b", "text": "y"}\n',
                   encoding="utf-8")
    assert resume_state(out) == {"a", "b"}
    assert [d["id"] for d in _lines(tmp_path / "o.jsonl.part")] == ["a", "b"]
    assert out.exists()  # replaced only when the resumed run completes


def test_estimate_total(tmp_path):
    from commitments.batch import estimate_total

    (tmp_path / "a.jsonl").write_text('{"id": "1"}\n{"id": "2"}\n{"id": "3"}\n', encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("x", encoding="utf-8")
    (tmp_path / "c.HTML").write_text("x", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("x", encoding="utf-8")
    (tmp_path / "notes.md").write_text("x", encoding="utf-8")
    assert estimate_total(tmp_path / "a.jsonl") == 3
    assert estimate_total(tmp_path / "sub" / "b.txt") == 1
    assert estimate_total(tmp_path) == 2
    assert estimate_total(tmp_path / "rows.csv") is None


def test_output_files_commit(tmp_path):
    files = OutputFiles(tmp_path / "o.jsonl")
    files.write(Document("a", "x"))
    files.write(Rejection("empty", "empty text", "b"))
    assert not (tmp_path / "o.jsonl").exists()
    files.commit()
    assert [d["id"] for d in _lines(tmp_path / "o.jsonl")] == ["a"]
    assert [d["id"] for d in _lines(tmp_path / "o.errors.jsonl")] == ["b"]


# ---------------------------------------------------------------------- property
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=400)
       | st.lists(st.sampled_from(["Japan will help", "China", ".", "\n\n", "\n", " ", "will",
                                   "1.", "(2)", "both sides agreed to", "by 2026", "ten points",
                                   "Wang Yi said", "\u00e9t\u00e9", "\t", "\u201cquoted\u201d",
                                   "- ", "shall", "the G20", ";"]),
                  max_size=80).map("".join))
def test_any_text_gives_valid_offsets_or_a_clean_rejection(text):
    """The real pipeline never crashes and every offset it writes is valid
    (whole, and in pieces of 64 characters to exercise the merging)."""
    nlp = _hypothesis_nlp()
    for max_chars in (64, 100_000):
        (outcome,) = process(iter([Document("h", text)]), nlp, max_chars=max_chars, language=None)
        if isinstance(outcome, Rejection):
            assert outcome.stage == "empty" and not text.strip(), outcome.reason
        else:
            assert outcome.text == text
            assert outcome.problems() == []


_NLP = []


def _hypothesis_nlp():
    """The real pipeline on a blank English base (rules only), built once."""
    if not _NLP:
        from commitments.pipeline import load

        _NLP.append(load(base=None))
    return _NLP[0]

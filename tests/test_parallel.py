"""Several processes (commitments.parallel): the same outcomes in the same
order as one process, whatever goes wrong on the way."""
import itertools
import multiprocessing
import os

import pytest
from batch_standin import standin_nlp
from spacy.language import Language

from commitments.batch import process
from commitments.model import BadRecord, Document
from commitments.parallel import chunks, process_parallel


@Language.component("test_die_in_worker")
def die_in_worker(doc):
    """Kills the worker process (as the out-of-memory killer would) on a text
    holding DIE; harmless in the parent process."""
    if "DIE" in doc.text and multiprocessing.parent_process() is not None:
        os._exit(3)
    return doc


def _mixed():
    items = []
    for i in range(30):
        if i == 4:
            items.append(BadRecord("in.jsonl", 5, "malformed JSON"))
        elif i == 9:
            items.append(Document(f"d{i}", "   \n"))
        elif i == 13:
            items.append(Document(f"d{i}", "Korea will EXPLODE the plan."))
        else:
            items.append(Document(f"d{i}", f"China will build road {i}. Japan will help {i}."))
    return items


def test_chunks_cut_in_order():
    assert list(chunks(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(chunks([], 3)) == []


def test_same_outcomes_and_order_as_one_process():
    nlp = standin_nlp()
    one = [o.to_dict() for o in process(iter(_mixed()), nlp, batch_size=4)]
    two = [o.to_dict() for o in process_parallel(iter(_mixed()), nlp, n_process=2, batch_size=4)]
    assert one == two
    stages = [o.get("stage") for o in two]
    assert stages.count("read") == 1 and stages.count("empty") == 1
    assert stages.count("pipeline") == 1
    assert sum(1 for o in two if "stage" not in o) == 27
    # the pledges came back with their layers, not just the text
    assert two[0]["commitments"] and two[0]["actors"]


def test_process_with_n_process_goes_through_the_workers(monkeypatch):
    import commitments.parallel as parallel

    calls = []
    real = parallel.process_parallel

    def spy(*args, **kwargs):
        calls.append(kwargs["n_process"])
        return real(*args, **kwargs)

    monkeypatch.setattr(parallel, "process_parallel", spy)
    nlp = standin_nlp()
    two = [o.to_dict() for o in process(iter(_mixed()), nlp, batch_size=3, n_process=2)]
    assert calls == [2]
    assert two == [o.to_dict() for o in process(iter(_mixed()), nlp, batch_size=3)]


def test_a_dead_worker_loses_no_document():
    nlp = standin_nlp()
    nlp.add_pipe("test_die_in_worker")
    items = [Document(f"d{i}", f"Japan will help {i}." + (" DIE" if i == 6 else ""))
             for i in range(20)]
    out = list(process_parallel(iter(items), nlp, n_process=2, batch_size=2))
    assert [o.id for o in out] == [f"d{i}" for i in range(20)]
    assert all(isinstance(o, Document) and o.commitments for o in out)


def test_outcomes_come_before_the_input_ends():
    nlp = standin_nlp()
    endless = (Document(f"d{i}", f"Japan will help {i}.") for i in itertools.count())
    gen = process_parallel(endless, nlp, n_process=2, batch_size=4)
    first = list(itertools.islice(gen, 10))
    gen.close()
    assert [o.id for o in first] == [f"d{i}" for i in range(10)]


@pytest.mark.parametrize("bad", [0, -1])
def test_bad_process_count_is_a_usage_error(bad):
    from commitments.errors import UsageError

    with pytest.raises(UsageError):
        list(process(iter([]), standin_nlp(), n_process=bad))

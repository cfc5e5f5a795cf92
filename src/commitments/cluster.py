"""Extraction beyond one machine, as a Dask job.

The client (``commitments extract --engine dask``) reads the input, cuts it
into partitions of documents and submits them to the workers of a Dask
cluster; each worker builds the pipeline once (a worker plugin, set up when
the worker joins) and runs :func:`commitments.batch.process` on each
partition it is given, exactly as a single machine does; the client gathers
the results in input order into the same output and errors files. Only a
few partitions per worker are in flight at a time, so the client's memory
stays bounded whatever the size of the corpus.

Why Dask and not Ray: Dask installs from PyPI alone (``dask[distributed]``,
pure Python), starts an in-process local cluster in a second for tests and
laptops, and its partition model matches a stream of JSON Lines records;
Ray brings a large binary runtime and its own object store that this job
does not need.
"""
from __future__ import annotations

from collections import deque
from typing import Any, Callable, Iterable, Iterator

from .batch import Rejection, process
from .chunking import MAX_CHARS
from .errors import CommitmentsError, UsageError
from .model import BadRecord, Document
from .parallel import chunks

PLUGIN_NAME = "commitments-pipeline"


try:
    from distributed import WorkerPlugin
except ImportError:  # pragma: no cover - depends on the installation
    WorkerPlugin = object  # type: ignore[assignment,misc]
    _HAVE_DISTRIBUTED = False
else:
    _HAVE_DISTRIBUTED = True


def _require_distributed() -> None:
    if not _HAVE_DISTRIBUTED:  # pragma: no cover - depends on the installation
        raise UsageError("--engine dask needs Dask: pip install 'commitments[dask]'")


class PipelinePlugin(WorkerPlugin):
    """Builds the pipeline once per worker, when the worker starts or joins,
    with ``factory`` (a picklable callable such as
    ``functools.partial(commitments.pipeline.load, base="en_core_web_sm")``)."""

    name = PLUGIN_NAME

    def __init__(self, factory: Callable[[], Any]):
        self.factory = factory
        self.nlp = None

    def setup(self, worker) -> None:
        self.nlp = self.factory()


def extract_partition(items: list[Document | BadRecord], batch_size: int, max_chars: int,
                      language: str | None) -> list[Document | Rejection]:
    """The task run on a worker: one partition through the worker's pipeline."""
    from distributed import get_worker

    nlp = get_worker().plugins[PLUGIN_NAME].nlp
    return list(process(items, nlp, batch_size=batch_size, max_chars=max_chars,
                        language=language))


def connect(scheduler: str | None = None, n_workers: int | None = None,
            processes: bool = True):
    """A client on the scheduler at ``scheduler``, or on a new local cluster
    (``n_workers`` single-threaded workers). Returns ``(client, cluster or None)``."""
    _require_distributed()
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            return Client(scheduler, timeout="30s"), None
        except (OSError, TimeoutError) as exc:
            raise UsageError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    cluster = LocalCluster(n_workers=n_workers or 1, threads_per_worker=1, processes=processes,
                           dashboard_address=None)
    return Client(cluster), cluster


def _result(future) -> list[Document | Rejection]:
    try:
        return future.result()
    except CommitmentsError:
        raise
    except Exception as exc:
        raise CommitmentsError(f"a Dask task failed ({type(exc).__name__}: {exc}); what was "
                               "written so far is kept, continue with --resume") from exc


def dask_outcomes(items: Iterable[Document | BadRecord], *, nlp_factory: Callable[[], Any],
                  scheduler: str | None = None, n_workers: int | None = None,
                  processes: bool = True, partition_size: int = 64, batch_size: int = 32,
                  max_chars: int = MAX_CHARS, language: str | None = "en",
                  in_flight: int | None = None) -> Iterator[Document | Rejection]:
    """The outcomes of ``items`` (in input order), computed on a Dask cluster.

    A drop-in for ``lambda items: process(items, nlp)`` in
    :func:`commitments.batch.run`. A partition that fails on its worker (a
    worker lost twice) stops the run with the error; what was written is kept
    for ``--resume``.
    """
    if partition_size < 1:
        raise UsageError("--partition-size must be at least 1")
    client, cluster = connect(scheduler, n_workers, processes)
    try:
        client.register_plugin(PipelinePlugin(nlp_factory), name=PLUGIN_NAME)
        n = max(1, len(client.scheduler_info().get("workers", {})))
        limit = in_flight or 2 * n
        window: deque = deque()
        for part in chunks(items, partition_size):
            window.append(client.submit(extract_partition, part, batch_size, max_chars, language,
                                        pure=False, retries=1))
            while len(window) >= limit:
                yield from _result(window.popleft())
        while window:
            yield from _result(window.popleft())
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

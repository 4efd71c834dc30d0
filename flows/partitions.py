"""Claim extraction partition by partition through a Prefect task runner.

The warehouse keeps one writer, this process; extraction, the expensive part, runs elsewhere:
on local processes (one per core) by default, or on an existing Dask cluster (`--dask-address`,
prefect-dask). One task is one partition of documents, never one document. A batch too small to
be worth shipping to a worker is extracted in this process, and no worker is started for it.
"""
from __future__ import annotations

import atexit
import contextlib
import os
import sys
from collections.abc import Callable, Iterator

import polars as pl
from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner

from flows.ingest import Extraction, extract_or_quarantine
from flows.settings import Settings
from transforms.schema import CLAIM_PLACE_SCHEMA, CLAIM_SCHEMA, DOCUMENT_SCHEMA, REJECT_SCHEMA
from transforms.sentences import mentions_drones

# What a worker process extracts first, to load what extraction needs before the real partitions
WARM_UP_TEXT = "Над Брянской областью сбиты 3 беспилотника. Над Харківщиною збито 2 дрони. 4 drones shot down."

# Below this many documents a batch is not split: shipping it costs more than it saves.
MIN_PARALLEL_DOCUMENTS = 400


@task(cache_policy=NO_CACHE, retries=1, task_run_name="extract-{documents.height}-documents")
def extract_partition(documents: pl.DataFrame) -> Extraction:
    """Claims of one partition of documents: (claims, places, rejects, quarantined ids)."""
    return extract_or_quarantine(documents)


def leave_without_teardown() -> None:
    """Initializer of a worker process: when it ends, it runs the exit handlers registered after
    this one (Prefect's flushes: they run first), then leaves without tearing its interpreter down
    (freeing Prefect, polars, the gazetteer: about 1 s, for which the run waits at the end of
    loading, 1.5 s at 1M)."""
    atexit.register(_exit_now)


def _exit_now() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(0)


def partition_bounds(n: int, partition_documents: int, workers: int) -> list[tuple[int, int]]:
    """(offset, length) of each partition: at most `partition_documents` each, and at least one
    per worker once a batch is worth splitting, all of about the same size."""
    parts = -(-n // partition_documents)
    if n >= MIN_PARALLEL_DOCUMENTS:
        parts = max(parts, workers)
    parts = max(parts, 1)
    size = -(-n // parts)
    return [(offset, min(size, n - offset)) for offset in range(0, n, size)] or [(0, 0)]


def _done(extraction: Extraction) -> Callable[[], Extraction]:
    return lambda: extraction


@contextlib.contextmanager
def _workers_use_this_api(runner: TaskRunner) -> Iterator[None]:
    """Tasks submitted in this block tell local worker processes this process's Prefect API. The
    address of a temporary server is in no setting, so each worker would start a server of its
    own (20-40 s and ~250 MiB each, and its task runs recorded nowhere the flow run is)."""
    from prefect.context import get_run_context
    from prefect.exceptions import MissingContextError
    from prefect.settings import PREFECT_API_URL, temporary_settings

    url = None
    if isinstance(runner, ProcessPoolTaskRunner) and not PREFECT_API_URL.value():
        with contextlib.suppress(MissingContextError):
            url = str(get_run_context().client.api_url)
    if url is None:
        yield
        return
    with temporary_settings(updates={PREFECT_API_URL: url}):
        yield


class PartitionedExtractor:
    """Extract a batch of documents (see `flows.ingest.Extractor`) on the task runner, partition
    by partition; the runner is started when the run reaches, or is expected (`expect`) to reach,
    `start_after_documents`, and batches are extracted here until its workers are up."""

    def __init__(self, make_runner: Callable[[], TaskRunner] | None, partition_documents: int,
                 workers: int, start_after_documents: int = 0) -> None:
        self._make_runner = make_runner
        self._runner: TaskRunner | None = None
        self._stack = contextlib.ExitStack()
        self.partition_documents = partition_documents
        self.workers = workers
        self.partitions_run = 0
        # the runner starts once the run has extracted (or expects to extract) this many pre-filtered documents
        self.start_after_documents = start_after_documents
        self.documents_seen = 0
        self.documents_offered = 0  # before the pre-filter
        self._warming: list = []  # futures of the start-up partitions
        self._started_workers = 0

    def __call__(self, documents: pl.DataFrame) -> Extraction:
        return self.submit(documents)()

    def submit(self, documents: pl.DataFrame) -> Callable[[], Extraction]:
        """Start extracting `documents`; the returned call waits for the result. On worker processes
        the caller goes on meanwhile (the loader writes the documents); a small batch is extracted
        here and now."""
        if self._make_runner is None:
            return _done(extract_or_quarantine(documents))
        self.documents_offered += documents.height
        # only documents the extraction's own pre-filter would keep are worth shipping (a news
        # firehose: about one in twenty)
        documents = documents.filter(mentions_drones(pl.col("text").fill_null("")))
        self.documents_seen += documents.height
        bounds = partition_bounds(documents.height, self.partition_documents, self.workers)
        started_now = self._runner is None and self.documents_seen >= self.start_after_documents and len(bounds) > 1
        if started_now:
            self._start_runner()
        elif len(bounds) == 1 or not self.workers_ready:  # small, or workers starting up: extracted here
            return _done(extract_or_quarantine(documents))
        with _workers_use_this_api(self._runner):
            futures = [self._runner.submit(extract_partition, {"documents": documents.slice(offset, length)})
                       for offset, length in bounds]

        def gather() -> Extraction:
            results = [future.result() for future in futures]
            self.partitions_run += len(results)
            return (
                pl.concat([r[0] for r in results]) if results else pl.DataFrame(schema=CLAIM_SCHEMA),
                pl.concat([r[1] for r in results]) if results else pl.DataFrame(schema=CLAIM_PLACE_SCHEMA),
                pl.concat([r[2].cast(REJECT_SCHEMA) for r in results]),
                [i for r in results for i in r[3]],
            )

        return gather

    def expect(self, documents: int) -> None:
        """About `documents` more (before the pre-filter) are coming: if that will take the run past
        `start_after_documents`, the workers start up now, while this process goes on extracting."""
        if self._make_runner is None or self._runner is not None or not self.documents_offered:
            return
        passing = self.documents_seen / self.documents_offered
        if self.documents_seen + documents * passing >= self.start_after_documents:
            self._start_runner()

    def _start_runner(self) -> None:
        """Start the task runner and have each worker process start up (imports, dictionaries: 10-25 s)
        on a one-line partition, so the first real one finds them ready."""
        self._runner = self._stack.enter_context(self._make_runner())
        warm_up = pl.DataFrame([{"id": "warm-up", "text": WARM_UP_TEXT}], schema=DOCUMENT_SCHEMA)
        with _workers_use_this_api(self._runner):
            self._warming = [self._runner.submit(extract_partition.with_options(task_run_name="start-worker"),
                                                 {"documents": warm_up}) for _ in range(self.workers)]
        for future in self._warming:
            future.add_done_callback(self._worker_started)

    def _worker_started(self, _future: object) -> None:
        self._started_workers += 1

    @property
    def workers_ready(self) -> bool:
        """The runner is started and every worker has done its start-up partition."""
        return self._runner is not None and self._started_workers >= len(self._warming)

    def close(self) -> None:
        self._stack.close()

    def __getstate__(self) -> dict:
        # Prefect pickles the running task's parameters (this extractor is one of load_source's)
        # into every partition it ships; the started runner (its process queue) stays here
        state = self.__dict__.copy()
        state.update(_runner=None, _stack=None, _warming=[], _started_workers=0)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._stack = contextlib.ExitStack()


@contextlib.contextmanager
def partitioned_extractor(settings: Settings) -> Iterator[PartitionedExtractor]:
    """The extractor a run uses: a Dask cluster when `settings.dask_address` names one, else
    local processes (`settings.workers`, default one per core) once the run has extracted, or
    expects to extract, `settings.workers_after_documents` pre-filtered documents (starting them
    costs 10-25 s, about what one process spends on 10,000 documents: small and incremental runs
    never pay it; big ones start them ahead and extract here until they are up)."""
    workers = settings.workers or os.cpu_count() or 1
    start_after = 0 if settings.dask_address else settings.workers_after_documents
    make_runner: Callable[[], TaskRunner] | None = None
    if settings.dask_address:
        from prefect_dask import DaskTaskRunner

        def make_runner() -> TaskRunner:
            return DaskTaskRunner(address=settings.dask_address)
    elif workers > 1:  # one core: worker processes would only add their start-up
        def make_runner() -> TaskRunner:
            return ProcessPoolTaskRunner(max_workers=workers, initializer=leave_without_teardown)
    extractor = PartitionedExtractor(make_runner, settings.partition_documents, workers, start_after)
    try:
        yield extractor
    finally:
        extractor.close()

"""The partitioned extractor: partition sizes, and that Prefect can ship it with a partition."""
from __future__ import annotations

import cloudpickle
from prefect.task_runners import ProcessPoolTaskRunner

from flows.partitions import MIN_PARALLEL_DOCUMENTS, PartitionedExtractor, partition_bounds


def test_small_batch_is_one_partition() -> None:
    assert partition_bounds(MIN_PARALLEL_DOCUMENTS - 1, 20_000, 2) == [(0, MIN_PARALLEL_DOCUMENTS - 1)]


def test_big_batch_is_split_at_least_once_per_worker_and_at_most_partition_size() -> None:
    assert partition_bounds(12_000, 20_000, 2) == [(0, 6_000), (6_000, 6_000)]
    assert partition_bounds(50_000, 20_000, 2) == [(0, 16_667), (16_667, 16_667), (33_334, 16_666)]


def test_extractor_with_a_started_runner_pickles_without_it() -> None:
    # load_source's parameters, this extractor among them, travel with every partition submitted;
    # a started process pool holds a multiprocessing queue that cannot be pickled
    extractor = PartitionedExtractor(lambda: ProcessPoolTaskRunner(max_workers=2), 20_000, 2)
    try:
        extractor._runner = extractor._stack.enter_context(extractor._make_runner())
        copy = cloudpickle.loads(cloudpickle.dumps(extractor))
    finally:
        extractor.close()
    assert copy._runner is None
    assert (copy.partition_documents, copy.workers) == (20_000, 2)
    copy.close()

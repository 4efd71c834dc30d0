"""The partitioned extractor: partition sizes, and that Prefect can ship it with a partition."""
from __future__ import annotations

import cloudpickle
import pytest
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


class RunnerWanted(Exception):
    """Raised by a runner factory instead of starting worker processes."""


def _wants_runner():
    raise RunnerWanted


def test_worker_processes_start_only_once_the_run_has_extracted_enough_itself() -> None:
    import polars as pl

    from transforms.schema import DOCUMENT_SCHEMA

    def batch(first: int) -> pl.DataFrame:
        return pl.DataFrame({"id": [f"d{n}" for n in range(first, first + 450)],
                             "text": ["Над Курской областью сбит беспилотник."] * 450, "lang": ["ru"] * 450},
                            schema_overrides={k: v for k, v in DOCUMENT_SCHEMA.items() if k in ("id", "text", "lang")}
                            ).with_columns([pl.lit(None, dtype=t).alias(c) for c, t in DOCUMENT_SCHEMA.items()
                                            if c not in ("id", "text", "lang")]).select(list(DOCUMENT_SCHEMA))

    extractor = PartitionedExtractor(_wants_runner, 20_000, 2, start_after_documents=500)
    claims = extractor(batch(0))[0]  # 450 seen: extracted here, no runner
    assert claims.height == 450 and extractor.partitions_run == 0
    with pytest.raises(RunnerWanted):
        extractor(batch(450))  # 900 seen: worth the workers now


def test_workers_start_up_ahead_when_the_rest_of_the_file_will_need_them() -> None:
    """`expect` (called by the loader with the documents the rest of the file holds, before the
    pre-filter) starts the workers while this process still extracts, if the run will reach
    `start_after_documents`; a file ending before that never starts them."""
    import polars as pl

    from transforms.schema import DOCUMENT_SCHEMA

    texts = ["Над Курской областью сбит беспилотник.", "Курс рубля вырос."]  # one in two passes
    batch = pl.DataFrame({"id": [f"d{n}" for n in range(20)], "text": texts * 10}).with_columns(
        [pl.lit(None, dtype=t).alias(c) for c, t in DOCUMENT_SCHEMA.items() if c not in ("id", "text")]
    ).select(list(DOCUMENT_SCHEMA)).cast(DOCUMENT_SCHEMA)

    extractor = PartitionedExtractor(_wants_runner, 20_000, 2, start_after_documents=100)
    extractor.expect(1_000)  # nothing extracted yet: no rate to judge by
    assert extractor(batch)[0].height == 10 and extractor.documents_seen == 10
    extractor.expect(170)  # 10 + 85 expected: short of 100
    with pytest.raises(RunnerWanted):
        extractor.expect(180)  # 10 + 90: the workers will be needed


def test_a_worker_leaves_after_the_exit_handlers_registered_after_it_without_tearing_down(tmp_path):
    """`leave_without_teardown` skips only the interpreter's teardown: exit handlers registered
    later (Prefect's, once tasks run) still run, buffered output is written, the status is 0, and
    nothing is freed object by object (a finalizer of a global never runs)."""
    import subprocess
    import sys
    import textwrap

    from tests.conftest import PROJECT_ROOT

    marker = tmp_path / "flushed"
    code = textwrap.dedent(f"""
        import atexit, sys
        from flows.partitions import leave_without_teardown

        class FreedAtTeardown:
            def __del__(self):
                sys.stdout.write(" and torn down")

        kept = FreedAtTeardown()
        leave_without_teardown()
        atexit.register(lambda: open({str(marker)!r}, "w").write("later handler ran"))
        sys.stdout.write("buffered output")
        sys.exit(0)
    """)
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout) == (0, "buffered output")
    assert marker.read_text() == "later handler ran"
    plain = subprocess.run([sys.executable, "-c", code.replace("leave_without_teardown()", "")], cwd=PROJECT_ROOT,
                           capture_output=True, text=True, timeout=120)
    assert plain.stdout == "buffered output and torn down"  # what the initializer spares a worker

"""Run the data-quality checks on a warehouse connection and build their Data Docs.

Findings come from two places: each `warehouse/checks/<check_name>.sql` query returns one row per
candidate problem, and the GX claims suite rejects rows for rules no query covers (unique claim ids,
known outcomes, ...). GX validates pandas frames fetched from DuckDB, not DuckDB itself: GX's
SQLAlchemy path through duckdb_engine rolls back unread results.
"""
from __future__ import annotations

import os
import warnings
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")  # read when GX is imported

import great_expectations as gx
import polars as pl
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)

from expectations import suites
from expectations.checks import (  # noqa: F401  (re-exported: the runner's API before the split)
    CHECK_COLUMNS,
    CHECKS_DIR,
    as_findings,
    check_description,
    check_queries,
    finding_id,
    finding_ids,
    findings_from_checks,
    run_check_queries,
    same_finding,
    with_finding_ids,
)
from transforms.schema import DQ_FINDING_SCHEMA
from warehouse import db

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

CLAIM_INDEX_COLUMNS = ["claim_id", "document_id", "region_code"]
"""Columns GX reports for each claims row it rejects, so the row can become a finding."""


def findings_from_validation(result: Any, suite: gx.ExpectationSuite) -> pl.DataFrame:
    """One row (CHECK_COLUMNS) per claims row rejected by an expectation with `meta["finding"]`."""
    rows: list[dict[str, Any]] = []
    for expectation_result in result.results:
        meta = (expectation_result.expectation_config.meta or {}).get("finding")
        if not meta or expectation_result.success:
            continue
        for rejected in expectation_result.result.get("unexpected_index_list") or []:
            values = defaultdict(lambda: "?", {k: _plain(v) for k, v in rejected.items()})
            claim_id, document_id = values.get("claim_id"), values.get("document_id")
            rows.append({
                "check_name": meta["check_name"],
                "severity": meta["severity"],
                "document_ids": [document_id] if isinstance(document_id, str) else [],
                "claim_ids": [claim_id] if isinstance(claim_id, str) else [],
                "region_code": values.get("region_code") if isinstance(values.get("region_code"), str) else None,
                "message": meta["message"].format_map(values),
                "finding_key": expectation_result.expectation_config.type,
            })
    return pl.DataFrame(rows, schema={
        "check_name": pl.String, "severity": pl.String, "document_ids": pl.List(pl.String),
        "claim_ids": pl.List(pl.String), "region_code": pl.String, "message": pl.String,
        "finding_key": pl.String,
    })


def _plain(value: Any) -> Any:
    """A GX-reported cell as a plain Python value: NaN / NA / NaT become None."""
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value.item() if hasattr(value, "item") else value


def _to_pandas(frame: pl.DataFrame) -> pd.DataFrame:
    """`frame` for GX: list columns joined into strings, which GX renders and compares plainly."""
    lists = [c for c, t in frame.schema.items() if isinstance(t, pl.List)]
    return frame.with_columns(pl.col(c).list.join(", ") for c in lists).to_pandas()


def gx_context(docs_dir: Path) -> gx.data_context.AbstractDataContext:
    """An in-memory GX context without progress bars, whose Data Docs site is `docs_dir`."""
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(),
        data_docs_sites={
            "dronewatch": {
                "class_name": "SiteBuilder",
                "show_how_to_buttons": False,
                "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            }
        },
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
        analytics_enabled=False,
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def validate(
    context: gx.data_context.AbstractDataContext,
    frame_name: str,
    frame: pl.DataFrame,
    suite: gx.ExpectationSuite,
    result_format: dict[str, Any] | str = "BASIC",
) -> Any:
    """Validate `frame` against `suite` through a validation definition and a checkpoint of its own.

    BASIC results (counts and a sample of unexpected values, which Data Docs show) cost 40 % less
    than SUMMARY's value counts on the 100k+ row check and findings frames of a big warehouse. Only
    the columns the suite reads go through pandas (1M documents: 150k disagreements, 1.3 -> 0.5 s).
    """
    index_columns = result_format.get("unexpected_index_column_names", []) if isinstance(result_format, dict) else []
    frame = frame.select(columns_read(suite, frame.columns, index_columns))
    frame = frame.with_columns(pl.col(c).str.slice(0, 1) for c in nullness_only(suite, frame, index_columns))
    datasource = context.data_sources.get("dronewatch")
    batch = datasource.add_dataframe_asset(name=frame_name).add_batch_definition_whole_dataframe(frame_name)
    suite = context.suites.add(suite)
    definition = context.validation_definitions.add(gx.ValidationDefinition(name=frame_name, data=batch, suite=suite))
    checkpoint = context.checkpoints.add(
        gx.Checkpoint(name=frame_name, validation_definitions=[definition], result_format=result_format)
    )
    with warnings.catch_warnings():
        # GX 1.24 reads tz-aware columns through Series.values, which pandas 3.1 deprecates
        warnings.filterwarnings("ignore", message="Series.values returning an ndarray")
        checkpoint_result = checkpoint.run(batch_parameters={"dataframe": _to_pandas(frame)})
    (result,) = checkpoint_result.run_results.values()
    return result


def nullness_only(suite: gx.ExpectationSuite, frame: pl.DataFrame, index_columns: list[str] = ()) -> list[str]:
    """The text columns of `frame` the suite only tests for nulls: GX needs their first character
    at most (nulls stay null, empty texts empty), not 500,000 messages of a big warehouse.

    >>> suite = gx.ExpectationSuite(name="s", expectations=[gx.expectations.ExpectColumnValuesToNotBeNull(column="m"),
    ...     gx.expectations.ExpectColumnValuesToBeUnique(column="k"), gx.expectations.ExpectColumnValuesToNotBeNull(column="k")])
    >>> nullness_only(suite, pl.DataFrame({"k": ["a"], "m": ["a long message"], "n": [1]}))
    ['m']
    """
    return [c for c, kinds in _expectations_by_column(suite).items()
            if kinds == {"expect_column_values_to_not_be_null"} and c not in index_columns
            and frame.schema.get(c) == pl.String]


def _expectations_by_column(suite: gx.ExpectationSuite) -> dict[str, set[str]]:
    """The columns the suite's expectations read, each with the types of expectation reading it."""
    kinds: dict[str, set[str]] = {}
    for expectation in suite.expectations:
        kwargs = expectation.configuration.kwargs
        for key in ("column", "column_A", "column_B"):
            if key in kwargs:
                kinds.setdefault(kwargs[key], set()).add(expectation.expectation_type)
    return kinds


def columns_read(suite: gx.ExpectationSuite, columns: list[str], index_columns: list[str] = ()) -> list[str]:
    """The columns of `columns` the suite's expectations read, and the index columns, in frame order;
    the first column when they read none (a row count still needs the rows).

    >>> suite = gx.ExpectationSuite(name="s", expectations=[gx.expectations.ExpectColumnValuesToNotBeNull(column="b")])
    >>> columns_read(suite, ["a", "b", "c"], ["c"]), columns_read(gx.ExpectationSuite(name="t"), ["a", "b"])
    (['b', 'c'], ['a'])
    """
    wanted = set(index_columns) | set(_expectations_by_column(suite))
    read = [c for c in columns if c in wanted]
    return read or list(columns[:1])


def run_checks(con: duckdb.DuckDBPyConnection, docs_dir: Path, run_id: str | None = None,
               checked_before: str | None = None) -> tuple[pl.DataFrame, Path]:
    """Runs every warehouse/checks/*.sql on con, validates with the GX suites, builds Data Docs under docs_dir.

    With `run_id`, the documents suite validates the documents that run added: a stored document
    never changes (the first version of an id wins), so earlier runs validated the others, and a run
    that adds 1 % to a big warehouse does not re-read every document (1M: 1.7 s).

    With `checked_before` too (the run just before, which validated the same data but what this run
    added, with the same code), GX validates only what changed since: the claims (and their places)
    this run added, and the check rows and findings that run did not have. The findings GX made of
    the other claims' rows are that run's, carried forward by `store_findings`. The SQL checks run
    on the whole warehouse (a new claim can change findings about old ones), those that recheck by
    cell on the cells the run added claims to when called inside `rechecking_cells_of`.
    Returns (findings DQ_FINDING_SCHEMA, path of the Data Docs index.html).
    """
    docs_dir = Path(docs_dir).resolve()
    docs_dir.mkdir(parents=True, exist_ok=True)
    scoped = run_id is not None and checked_before is not None

    context = gx_context(docs_dir)
    context.data_sources.add_pandas("dronewatch")
    # the documents first, while nothing else is held: GX needs ~450 bytes a row beside the frame
    # (a 2M-document first run: +850 MiB)
    documents = con.sql(
        "select id, url, first_run_id from documents"  # the suite's columns: no text (see documents_suite)
        + (" where first_run_id = ?" if run_id is not None else ""),
        params=[run_id] if run_id is not None else None,
    ).pl()
    validate(context, "documents", documents, suites.documents_suite())
    del documents

    check_frames = run_check_queries(con)
    run_claims = " where claim_id in (select claim_id from extracted_claims where run_id = ?)" if scoped else ""
    claims = db.query(con, "select * from claims" + run_claims, [run_id] if scoped else None)
    claim_places = db.query(con, "select * from claim_places" + run_claims, [run_id] if scoped else None)
    region_codes = con.sql("select code from regions").pl()["code"].to_list()
    db.release_memory(con)  # what the check queries kept, before the frames go through pandas and GX

    claims_suite = suites.claims_suite(region_codes)
    claims_result = validate(
        context, "claims", claims, claims_suite,
        {"result_format": "COMPLETE", "unexpected_index_column_names": CLAIM_INDEX_COLUMNS},
    )
    validate(context, "claim_places", claim_places, suites.claim_places_suite())
    del claims, claim_places  # each frame is let go once validated: the peak is this task's

    check_rows = findings_from_checks(check_frames)
    del check_frames
    validation_rows = findings_from_validation(claims_result, claims_suite)
    check_rows, validation_rows = (
        rows.with_columns(finding_id=finding_ids(rows)) for rows in (check_rows, validation_rows))
    findings = as_findings(pl.concat([check_rows, validation_rows]))
    if scoped:
        changed = changed_finding_ids(con, findings, checked_before)
        check_rows = check_rows.filter(pl.col("finding_id").is_in(changed))
    descriptions = {name: check_description(sql) for name, sql in check_queries().items()}
    for name in descriptions:
        validate(context, f"check.{name}", check_rows.filter(pl.col("check_name") == name),
                 suites.check_suite(name, descriptions[name]))
    check_names = [*descriptions, *suites.finding_check_names(claims_suite)]
    validate(context, "findings", findings.filter(pl.col("finding_id").is_in(changed)) if scoped else findings,
             suites.findings_suite(check_names))

    context.build_data_docs()
    return findings, docs_dir / "index.html"


def changed_finding_ids(con: duckdb.DuckDBPyConnection, findings: pl.DataFrame, run_id: str) -> pl.Series:
    """The ids of `findings` (DQ_FINDING_SCHEMA) that run `run_id` did not have as they are."""
    con.register("_found", findings.select(list(DQ_FINDING_SCHEMA)))
    try:
        return db.query(con, f"""
            select finding_id
            from _found as f
            anti join dq_findings as before
                on before.run_id = ? and {same_finding("before", "f")}""", [run_id])["finding_id"]
    finally:
        con.unregister("_found")

"""The `dronewatch` command."""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path

from flows.reaper import watch_descendants

# Before Prefect or GX is imported: no telemetry, no progress bars, quiet logs unless asked.
QUIET_ENVIRONMENT = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "GX_ANALYTICS_ENABLED": "false",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    # The temporary server can take longer than Prefect's 20 s default on a busy 2-core machine.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_CLI_COLORS": "false",
    "TQDM_DISABLE": "1",
}

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_BUSY = 0, 1, 2, 3
SEVERITY_ORDER = ("error", "warning", "info")


def quiet_environment(verbose: bool = False) -> None:
    for name, value in QUIET_ENVIRONMENT.items():
        if verbose and name == "PREFECT_LOGGING_LEVEL":
            continue
        os.environ.setdefault(name, value)


def build_parser() -> argparse.ArgumentParser:
    from flows.settings import Settings

    defaults = Settings()
    parser = argparse.ArgumentParser(
        prog="dronewatch",
        description="Turn dumps of drone-attack statements and news into a DuckDB warehouse of claims, "
                    "with data-quality reports.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "run", help="pull sources, extract claims, load the warehouse, validate, publish",
        description="Run the whole pipeline once as a Prefect flow (pull, extract, load, validate, publish) "
                    "and print a summary. Without --source, runs on the bundled sample dumps.",
    )
    run.add_argument("--source", action="append", metavar="URI", dest="sources",
                     help="a dump file, a folder (read recursively), a glob, or an http(s) URL; "
                          f"repeatable (default: the bundled samples in {defaults.sources[0]})")
    add_writer_arguments(run, defaults)
    run.add_argument("--fail-on", choices=["error", "warning", "never"], default="never",
                     help="exit with status 1 when a new finding of this severity (or worse) appears")
    run.add_argument("--json", action="store_true", help="print the summary as JSON")

    sql = commands.add_parser(
        "sql", help="query the published snapshot (read-only): a query, stdin, or an interactive prompt",
        description="Run SQL on the published snapshot, read-only, and print a readable table (or export "
                    "the result). With no QUERY: an interactive prompt on a terminal (statements end with "
                    "';', .tables lists the relations, .quit leaves), else the SQL is read from stdin.",
    )
    sql.add_argument("query", nargs="?", metavar="QUERY", help="SQL to run (several statements may be ';'-separated)")
    sql.add_argument("--warehouse", type=Path, default=defaults.warehouse, metavar="PATH",
                     help=f"the warehouse whose snapshot is opened (default: {defaults.warehouse})")
    sql.add_argument("--format", choices=["table", "csv", "json", "parquet"], default="table",
                     help="table (default), csv or json to stdout or --out, parquet to --out")
    sql.add_argument("--out", type=Path, metavar="FILE", help="write the result to FILE (required for parquet)")
    sql.add_argument("--max-rows", type=int, default=50, metavar="N",
                     help="rows shown in a table, -1 for all (default: %(default)s)")

    export = commands.add_parser(
        "export", help="write every mart and the claims as Parquet or CSV files",
        description="Write the claims view and every mart of the published snapshot to DIR, one file per "
                    "relation (<name>.parquet or <name>.csv), for pandas, R or BI tools.",
    )
    export.add_argument("--format", choices=["parquet", "csv"], default="parquet",
                        help="file format (default: %(default)s)")
    export.add_argument("--out", type=Path, default=defaults.warehouse.parent / "export", metavar="DIR",
                        help=f"where the files go (default: {defaults.warehouse.parent / 'export'})")
    export.add_argument("--warehouse", type=Path, default=defaults.warehouse, metavar="PATH",
                        help=f"the warehouse whose snapshot is exported (default: {defaults.warehouse})")

    rebuild = commands.add_parser(
        "rebuild", help="replay every stored document through the current extraction",
        description="Re-extract the claims of every document in the warehouse (after the extractor "
                    "improved), replace each document's claims and places, print how many claims were "
                    "added, removed, changed and unchanged; then validate and publish like `run`.",
    )
    add_writer_arguments(rebuild, defaults)
    rebuild.add_argument("--json", action="store_true", help="print the summary as JSON")

    serve = commands.add_parser(
        "serve", help="run the pipeline on a schedule (a Prefect deployment served by this process)",
        description="Register a Prefect deployment of the pipeline with a schedule and serve its runs until "
                    "stopped (Ctrl-C). Uses the Prefect server named by PREFECT_API_URL, else starts a local "
                    "one (127.0.0.1, its home beside the warehouse) and stops it on exit. Runs never overlap.",
    )
    when = serve.add_mutually_exclusive_group(required=True)
    when.add_argument("--cron", metavar="EXPR", help="a cron schedule, e.g. '*/15 * * * *' (UTC)")
    when.add_argument("--interval", type=float, metavar="SECONDS", help="run every SECONDS seconds")
    serve.add_argument("--source", action="append", metavar="URI", dest="sources",
                       help="as for `run`; repeatable (default: the bundled samples)")
    add_writer_arguments(serve, defaults, wait_seconds=300,
                         wait_help="a run that finds the warehouse locked by another writer waits this long, "
                                   "then is skipped (logged)")
    serve.add_argument("--name", default="dronewatch-scheduled", help="the deployment's name (default: %(default)s)")
    return parser


def add_writer_arguments(parser: argparse.ArgumentParser, defaults, wait_seconds: float | None = None,
                         wait_help: str = "if another run is writing the warehouse, wait this long before "
                                          "giving up") -> None:
    """The options of the commands that write the warehouse: run, rebuild, serve."""
    parser.add_argument("--warehouse", type=Path, default=defaults.warehouse, metavar="PATH",
                        help=f"the DuckDB warehouse file (default: {defaults.warehouse})")
    parser.add_argument("--report-dir", type=Path, default=defaults.report_dir, metavar="DIR",
                        help=f"where the data-quality reports go (default: {defaults.report_dir})")
    parser.add_argument("--wait", type=float, metavar="SECONDS",
                        default=defaults.lock_wait_seconds if wait_seconds is None else wait_seconds,
                        help=f"{wait_help} (default: %(default)s)")
    parser.add_argument("--verbose", action="store_true", help="show Prefect's flow and task logs")
    parser.add_argument("--dask-address", metavar="ADDRESS",
                        help="extract claims on this Dask cluster (e.g. tcp://10.0.0.5:8786) instead of local "
                             "processes; needs the 'dask' extra")
    parser.add_argument("--workers", type=int, metavar="N",
                        help="local extraction processes (default: one per core)")


def format_summary(summary) -> str:
    stats = summary.ingest
    findings = ", ".join(
        f"{severity} {summary.findings.get(severity, 0)} ({summary.new_findings.get(severity, 0)} new)"
        for severity in SEVERITY_ORDER
    )
    return "\n".join([
        f"dronewatch run {summary.run_id}: {len(stats.sources)} source(s), {stats.files_read} file(s) read, "
        f"{stats.files_unchanged} unchanged",
        f"  documents   read {stats.documents_read}, new {stats.documents_new}",
        f"  rejected    {stats.rejected} ({stats.rejected_new} new; see the `rejected` table)",
        f"  claims      new {stats.claims_new}",
        f"  findings    {findings}",
        f"  warehouse   {summary.warehouse}",
        f"  snapshot    {summary.snapshot}   <- open this one for ad-hoc SQL{snapshot_note(summary)}",
        f"  report      {summary.report}   <- read this before trusting a number",
        f"  data docs   {summary.data_docs}",
    ])


def snapshot_note(summary) -> str:
    """What the summary says of a snapshot this run left as it was."""
    if summary.snapshot_as_of is None:
        return ""
    return f"\n              (as published by run {summary.snapshot_as_of}: nothing changed since, so not copied again)"


def command_run(args: argparse.Namespace) -> int:
    from flows.pipeline import dronewatch_flow, import_gx_in_background
    from flows.settings import Settings
    from warehouse.db import WarehouseBusy

    watch_descendants()  # Prefect's temporary server and the workers stop with this process, even on kill -9
    import_gx_in_background()  # while Prefect's temporary server starts

    settings = Settings(
        **({"sources": args.sources} if args.sources else {}),
        warehouse=args.warehouse, report_dir=args.report_dir, lock_wait_seconds=args.wait,
        **scale_out_settings(args),
    )
    try:
        summary = dronewatch_flow(settings)
    except WarehouseBusy as busy:
        print(f"dronewatch: {busy}", file=sys.stderr)
        return EXIT_BUSY
    print(json.dumps(summary.as_dict(), indent=2, default=str) if args.json else format_summary(summary))
    if args.fail_on != "never":
        levels = SEVERITY_ORDER[: SEVERITY_ORDER.index(args.fail_on) + 1]
        new = sum(summary.new_findings.get(level, 0) for level in levels)
        if new:
            print(f"dronewatch: {new} new finding(s) at '{args.fail_on}' or worse", file=sys.stderr)
            return EXIT_FINDINGS
    return EXIT_OK


class NoSnapshot(RuntimeError):
    """The warehouse has no published snapshot yet."""


def open_snapshot(warehouse: Path):
    """Open the published snapshot of `warehouse` read-only."""
    from warehouse import db

    snapshot = db.snapshot_path(Path(warehouse))
    if not snapshot.exists():
        raise NoSnapshot(f"no snapshot at {snapshot}; run `dronewatch run` first")
    return db.connect(snapshot, read_only=True)


def format_table(frame, max_rows: int = 50) -> str:
    """A result as a readable text table (polars' formatting, every column, long text kept)."""
    import polars as pl

    rows = frame.height if max_rows < 0 else max_rows
    width = max(120, shutil.get_terminal_size((160, 24)).columns)
    with pl.Config(tbl_rows=rows, tbl_cols=-1, fmt_str_lengths=80, fmt_table_cell_list_len=8,
                   tbl_width_chars=width, tbl_hide_column_data_types=True, tbl_hide_dataframe_shape=True):
        table = str(frame)
    shown = frame.height if max_rows < 0 else min(frame.height, max_rows)
    more = f", {shown} shown (--max-rows)" if shown < frame.height else ""
    return f"{table}\n({frame.height} row{'s' if frame.height != 1 else ''}{more})"


def _plain(value):
    """A cell as JSON/CSV can hold it: lists stay lists for JSON; dates and times become ISO text."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is not None and not isinstance(value, (str, int, float, bool)):
        return str(value)
    return value


def write_result(frame, fmt: str, out: Path | None, max_rows: int = 50) -> None:
    """Print or write one query result in the requested format."""
    import csv
    import io

    if fmt == "parquet":
        frame.write_parquet(out)
        print(f"wrote {frame.height} row(s) to {out}", file=sys.stderr)
        return
    if fmt == "table":
        text = format_table(frame, max_rows)
    elif fmt == "json":
        text = json.dumps([{k: _plain(v) for k, v in row.items()} for row in frame.to_dicts()],
                          ensure_ascii=False, indent=1)
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(frame.columns)
        for row in frame.iter_rows():
            writer.writerow(json.dumps(_plain(v), ensure_ascii=False) if isinstance(v, (list, dict))
                            else ("" if v is None else _plain(v)) for v in row)
        text = buffer.getvalue().rstrip("\n")
    if out is None:
        print(text)
    else:
        out.write_text(text + "\n", encoding="utf-8")
        print(f"wrote {frame.height} row(s) to {out}", file=sys.stderr)


def run_statements(con, sql: str) -> list:
    """Run every statement of `sql`; return the result frames (read to the end: DuckDB streams)."""
    results = []
    for statement in con.extract_statements(sql):
        relation = con.sql(statement.query)
        if relation is not None:
            results.append(relation.pl())
    return results


def interactive(con, args: argparse.Namespace) -> int:
    """A small prompt: statements end with ';'; .tables lists relations; .quit (or Ctrl-D) leaves."""
    import duckdb

    try:
        import readline  # noqa: F401  (line editing and history for input())
    except ImportError:
        pass
    print("dronewatch sql: the published snapshot, read-only. End statements with ';'. "
          ".tables lists relations, .quit leaves.")
    pending: list[str] = []
    while True:
        try:
            line = input("dronewatch> " if not pending else "       ...> ")
        except EOFError:
            print()
            return EXIT_OK
        except KeyboardInterrupt:
            print()
            pending = []
            continue
        command = line.strip()
        if not pending and command in (".quit", ".exit", "quit", "exit"):
            return EXIT_OK
        if not pending and command == ".tables":
            command = "select table_name as name, table_type as kind from information_schema.tables order by 1;"
        elif not pending and not command:
            continue
        pending.append(command)
        if not command.endswith(";"):
            continue
        sql, pending = "\n".join(pending), []
        try:
            for frame in run_statements(con, sql):
                write_result(frame, args.format if args.format in ("table", "csv", "json") else "table",
                             None, args.max_rows)
        except duckdb.Error as error:
            print(f"error: {error}", file=sys.stderr)


def command_sql(args: argparse.Namespace) -> int:
    import duckdb

    if args.format == "parquet" and args.out is None:
        print("dronewatch: --format parquet needs --out FILE", file=sys.stderr)
        return EXIT_USAGE
    try:
        con = open_snapshot(args.warehouse)
    except NoSnapshot as missing:
        print(f"dronewatch: {missing}", file=sys.stderr)
        return EXIT_USAGE
    try:
        if args.query is None and sys.stdin.isatty():
            return interactive(con, args)
        sql = args.query if args.query is not None else sys.stdin.read()
        if not sql.strip():
            print("dronewatch: no query given", file=sys.stderr)
            return EXIT_USAGE
        try:
            results = run_statements(con, sql)
        except duckdb.Error as error:
            print(f"dronewatch: {error}", file=sys.stderr)
            return EXIT_USAGE
        if args.out is not None and len(results) > 1:
            results = results[-1:]  # one file holds one result: the last statement's
        for number, frame in enumerate(results):
            if number:
                print()
            write_result(frame, args.format, args.out, args.max_rows)
        return EXIT_OK
    finally:
        con.close()


def command_export(args: argparse.Namespace) -> int:
    from warehouse.marts import export_tables

    try:
        con = open_snapshot(args.warehouse)
    except NoSnapshot as missing:
        print(f"dronewatch: {missing}", file=sys.stderr)
        return EXIT_USAGE
    try:
        written = export_tables(con, args.out, args.format)
    finally:
        con.close()
    for path, rows in written:
        print(f"{path}  {rows} row(s)")
    return EXIT_OK


def scale_out_settings(args: argparse.Namespace) -> dict:
    return {k: v for k, v in {"dask_address": args.dask_address, "workers": args.workers}.items() if v is not None}


def format_rebuild_summary(summary) -> str:
    rebuilt = summary.rebuild
    findings = ", ".join(
        f"{severity} {summary.findings.get(severity, 0)} ({summary.new_findings.get(severity, 0)} new)"
        for severity in SEVERITY_ORDER
    )
    quarantined = f" ({rebuilt.quarantined} failed and kept their claims)" if rebuilt.quarantined else ""
    return "\n".join([
        f"dronewatch rebuild {summary.run_id}: {rebuilt.documents} document(s) replayed{quarantined}",
        f"  claims      added {rebuilt.claims_added}, removed {rebuilt.claims_removed}, "
        f"changed {rebuilt.claims_changed}, unchanged {rebuilt.claims_unchanged}",
        f"  findings    {findings}",
        f"  warehouse   {summary.warehouse}",
        f"  snapshot    {summary.snapshot}   <- open this one for ad-hoc SQL{snapshot_note(summary)}",
        f"  report      {summary.report}   <- read this before trusting a number",
        f"  data docs   {summary.data_docs}",
    ])


def command_rebuild(args: argparse.Namespace) -> int:
    from flows.pipeline import import_gx_in_background, rebuild_flow
    from flows.settings import Settings
    from warehouse.db import WarehouseBusy

    if not Path(args.warehouse).exists():
        print(f"dronewatch: no warehouse at {args.warehouse}; run `dronewatch run` first", file=sys.stderr)
        return EXIT_USAGE
    watch_descendants()
    import_gx_in_background()  # while Prefect's temporary server starts
    settings = Settings(warehouse=args.warehouse, report_dir=args.report_dir, lock_wait_seconds=args.wait,
                        **scale_out_settings(args))
    try:
        summary = rebuild_flow(settings)
    except WarehouseBusy as busy:
        print(f"dronewatch: {busy}", file=sys.stderr)
        return EXIT_BUSY
    print(json.dumps(summary.as_dict(), indent=2, default=str) if args.json else format_rebuild_summary(summary))
    return EXIT_OK


def command_serve(args: argparse.Namespace) -> int:
    import contextlib
    import signal

    from flows.serve import local_prefect_server, serve
    from flows.settings import Settings

    settings = Settings(
        **({"sources": [str(Path(s).resolve()) if "://" not in s else s for s in args.sources]} if args.sources else {}),
        warehouse=Path(args.warehouse).resolve(), report_dir=Path(args.report_dir).resolve(),
        lock_wait_seconds=args.wait, skip_when_busy=True, **scale_out_settings(args),
    )

    def stop(signum, frame):  # SIGTERM stops serving like Ctrl-C, so the finally blocks run
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    watch_descendants()  # the local Prefect server and the flow runs stop with serve, even on kill -9
    schedule = f"cron '{args.cron}'" if args.cron else f"every {args.interval:g} s"
    try:
        with contextlib.ExitStack() as stack:
            if os.environ.get("PREFECT_API_URL"):
                print(f"dronewatch serve: using the Prefect server at {os.environ['PREFECT_API_URL']} "
                      "(PREFECT_API_URL)", flush=True)
            else:
                home = settings.warehouse.parent / "prefect"
                print(f"dronewatch serve: no PREFECT_API_URL; starting a local Prefect server (home {home}) ...",
                      flush=True)
                try:
                    api_url = stack.enter_context(local_prefect_server(home))
                except RuntimeError as failed:
                    print(f"dronewatch serve: the local Prefect server did not start: {failed} "
                          f"(its log: {home / 'server.log'})", file=sys.stderr, flush=True)
                    return 1
                os.environ["PREFECT_API_URL"] = api_url
                print(f"dronewatch serve: started a local Prefect server at {api_url}; it stops when serve stops",
                      flush=True)
            print(f"dronewatch serve: deployment 'dronewatch/{args.name}' runs {schedule} on "
                  f"{len(settings.sources)} source(s) into {settings.warehouse}; Ctrl-C stops", flush=True)
            serve(settings, cron=args.cron, interval=args.interval, name=args.name)
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM, whenever it comes (while the server starts too)
        pass
    finally:  # also when Prefect's own SIGTERM handler exits before its runner has started
        print("dronewatch serve: stopped", flush=True)
    return EXIT_OK


COMMANDS = {"run": command_run, "sql": command_sql, "export": command_export, "rebuild": command_rebuild,
            "serve": command_serve}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    quiet_environment(verbose=getattr(args, "verbose", False))
    return COMMANDS[args.command](args)


if __name__ == "__main__":
    sys.exit(main())

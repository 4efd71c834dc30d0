"""The `dronewatch` command."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

# Before Prefect or GX is imported: no telemetry, no progress bars, quiet logs unless asked.
QUIET_ENVIRONMENT = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "GX_ANALYTICS_ENABLED": "false",
    "PREFECT_LOGGING_LEVEL": "WARNING",
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
    run.add_argument("--warehouse", type=Path, default=defaults.warehouse, metavar="PATH",
                     help=f"the DuckDB warehouse file (default: {defaults.warehouse})")
    run.add_argument("--report-dir", type=Path, default=defaults.report_dir, metavar="DIR",
                     help=f"where the data-quality reports go (default: {defaults.report_dir})")
    run.add_argument("--fail-on", choices=["error", "warning", "never"], default="never",
                     help="exit with status 1 when a new finding of this severity (or worse) appears")
    run.add_argument("--wait", type=float, default=defaults.lock_wait_seconds, metavar="SECONDS",
                     help="if another run is writing the warehouse, wait this long before giving up "
                          "(default: %(default)s)")
    run.add_argument("--json", action="store_true", help="print the summary as JSON")
    run.add_argument("--verbose", action="store_true", help="show Prefect's flow and task logs")
    return parser


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
        f"  snapshot    {summary.snapshot}   <- open this one for ad-hoc SQL",
        f"  data docs   {summary.data_docs}",
    ])


def command_run(args: argparse.Namespace) -> int:
    from flows.pipeline import dronewatch_flow
    from flows.settings import Settings
    from warehouse.db import WarehouseBusy

    settings = Settings(
        **({"sources": args.sources} if args.sources else {}),
        warehouse=args.warehouse, report_dir=args.report_dir, lock_wait_seconds=args.wait,
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


COMMANDS = {"run": command_run}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    quiet_environment(verbose=getattr(args, "verbose", False))
    return COMMANDS[args.command](args)


if __name__ == "__main__":
    sys.exit(main())

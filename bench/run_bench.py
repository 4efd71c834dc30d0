"""The performance benchmark: end to end, per stage, the floor, memory and incremental runs.

    python bench/run_bench.py                     # 100k and 1M documents (make bench; ~20 min on 2 cores)
    python bench/run_bench.py --sizes 100000      # one size (~3 min)
    python bench/run_bench.py --quick             # 20k, a smoke run
    python bench/run_bench.py --sizes 100000 --profile   # also profile (py-spy if installed, else cProfile)
    python bench/run_bench.py --sizes 1000000 --profile-stages  # profile only the stages run
    python bench/run_bench.py --sizes 100000 --workers 1 # extraction in the flow's own process

For each size it generates the dump (bench/generate_dump.py, seeded, cached in bench/out/) and
runs, each in a fresh subprocess so one measurement's memory and caches do not leak into another:

- floor: DuckDB reads the dump (`read_ndjson`) and scans every text once with the pre-filter's
  regular expression (`regexp_matches`);
- flow: the Prefect flow in one process: a warm-up flow run on a tiny dump first (the temporary
  Prefect server starts there and is not timed), then the timed runs on a fresh warehouse: the full
  load, a second run with nothing new, a run with 1 % new documents in a separate file, and a run
  after 1 % more lines were appended to the dump (read from its cursor). Wall time is measured
  around `dronewatch_flow(settings)` with `time.perf_counter`; the task bodies are timed too, so
  Prefect's own overhead is the rest (the extraction workers' start and stop included). Peak
  memory is the process's VmHWM (Linux) and the sampled peak of the whole process tree (the
  Prefect server and the extraction workers included);
- stages: the same dump through the stage functions called directly, without Prefect, block by
  block as the loader reads it, in one process: read, parse, language, content hash, pre-filter,
  extraction, load, then checks, marts, publish; with the process's peak RSS after each stage.

With --profile the stages run is profiled at every size, and one more full flow run at the
smallest size (its main process: Prefect, loading, checks). py-spy is no project dependency
(`uv venv /tmp/benchtools && uv pip install --python /tmp/benchtools/bin/python py-spy`); without
it cProfile is used. Results go to bench/results.json (every run, newest first) and
bench/results.md (rendered from it; `--render` redoes it).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"
RESULTS_JSON = BENCH_DIR / "results.json"
RESULTS_MD = BENCH_DIR / "results.md"
HOTSPOTS_JSON = BENCH_DIR / "hotspots.json"  # written by bench/hotspots.py
TINY = 200  # documents of the warm-up dump

sys.path[:0] = [str(ROOT), str(BENCH_DIR)]


# --------------------------------------------------------------------------- memory


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid:
                    found.append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    return found


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        todo.extend(_children(p))
    return pids


def vm_hwm_mib() -> float:
    """Peak resident memory of this process so far (Linux VmHWM)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


class TreeSampler:
    """Samples the summed RSS of this process and its descendants (Prefect server, workers)."""

    def __init__(self, interval: float = 0.25) -> None:
        self.interval, self.peak_kib, self._stop = interval, 0, threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        me = os.getpid()
        tick = 0
        pids = _tree(me)
        while not self._stop.is_set():
            if tick % 8 == 0:
                pids = _tree(me)  # listing /proc is slow; re-list every 2 s
            self.peak_kib = max(self.peak_kib, sum(_rss_kib(p) for p in pids))
            tick += 1
            self._stop.wait(self.interval)

    def start(self) -> TreeSampler:
        self._thread.start()
        return self

    def reset(self) -> None:
        self.peak_kib = 0

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak_kib / 1024


# --------------------------------------------------------------------------- children


def child_floor(dump: Path) -> dict:
    """DuckDB reads the dump and scans the text once with the pre-filter's regular expression."""
    import duckdb

    from transforms.sentences import DRONE_PATTERN

    con = duckdb.connect()
    path = str(dump).replace("'", "''")
    pattern = DRONE_PATTERN.replace("'", "''")
    read = f"read_ndjson('{path}', columns={{id: 'VARCHAR', text: 'VARCHAR'}}, ignore_errors=true)"
    t = time.perf_counter()
    rows = con.sql(f"select count(*) from {read}").fetchall()[0][0]
    read_s = time.perf_counter() - t
    t = time.perf_counter()
    matched = con.sql(f"select count(*) filter (where regexp_matches(lower(text), '{pattern}')), count(*) "
                      f"from {read}").fetchall()[0]
    scan_s = time.perf_counter() - t
    return {"rows": rows, "matched": matched[0], "read_s": read_s, "read_and_regex_s": scan_s,
            "duckdb_threads": con.sql("select current_setting('threads')").fetchall()[0][0]}


def _instrument_tasks(timings: dict[str, float]) -> None:
    """Time the body of every Prefect task of flows.pipeline (what is left of a run is Prefect's)."""
    import flows.pipeline as pipeline
    from prefect import Task

    for name, obj in vars(pipeline).items():
        if isinstance(obj, Task):
            body = obj.fn

            def timed(*args, __body=body, __name=name, **kwargs):
                t = time.perf_counter()
                try:
                    return __body(*args, **kwargs)
                finally:
                    timings[__name] = timings.get(__name, 0.0) + time.perf_counter() - t

            timed.__name__ = getattr(body, "__name__", name)
            timed.__doc__ = body.__doc__
            obj.fn = timed


def child_flow(dump: Path, new: Path | None, appended: Path | None, tiny: Path, work: Path, only_full: bool) -> dict:
    """The Prefect flow in one process: warm-up, full, nothing new, 1 % new."""
    from flows.cli import quiet_environment

    # our own Prefect home: other runs on the machine must not share (and lock) its database;
    # a loaded machine starts the temporary server slowly
    os.environ.setdefault("PREFECT_HOME", str(work / "prefect-home"))
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    quiet_environment()
    from flows.pipeline import dronewatch_flow
    from flows.settings import Settings

    sampler = TreeSampler().start()
    timings: dict[str, float] = {}
    _instrument_tasks(timings)

    def run(label: str, sources: list[str], warehouse: Path) -> dict:
        timings.clear()
        sampler.reset()
        settings = Settings(sources=sources, warehouse=warehouse, report_dir=work / f"reports-{warehouse.stem}")
        t, cpu = time.perf_counter(), time.process_time()
        summary = dronewatch_flow(settings)
        wall, cpu = time.perf_counter() - t, time.process_time() - cpu
        tasks = dict(timings)
        stats = summary.ingest
        result = {
            "wall_s": wall, "cpu_s": cpu, "task_s": tasks, "data_work_s": sum(tasks.values()),
            "prefect_overhead_s": wall - sum(tasks.values()),
            "documents_read": stats.documents_read, "documents_new": stats.documents_new,
            "rejected": stats.rejected, "claims_new": stats.claims_new,
            "files_read": stats.files_read, "files_unchanged": stats.files_unchanged,
            "findings": summary.findings, "tree_peak_rss_mib": sampler.peak_kib / 1024,
            "process_peak_rss_mib_so_far": vm_hwm_mib(),
        }
        print(f"[flow] {label}: {wall:.2f} s (cpu {cpu:.2f} s), {json.dumps({k: round(v, 2) for k, v in tasks.items()})}", file=sys.stderr)
        return result

    out: dict = {}
    tiny_wh = work / "warmup.duckdb"
    t = time.perf_counter()
    out["warmup"] = run("warm-up (server start)", [str(tiny)], tiny_wh)
    out["warmup"]["including_server_start_s"] = time.perf_counter() - t
    out["tiny_again"] = run("tiny, nothing new", [str(tiny)], tiny_wh)
    warehouse = work / "bench.duckdb"
    # a copy of the dump in the work folder, so the appended-lines run can append to it
    copy = work / dump.name
    shutil.copyfile(dump, copy)
    dump = copy
    spy = Profiler(Path(os.environ["BENCH_PROFILE"])).start() if os.environ.get("BENCH_PROFILE") else None
    out["full"] = run("full", [str(dump)], warehouse)
    if spy is not None:
        spy.stop()
    out["full"]["warehouse_mib"] = warehouse.stat().st_size / 2**20
    from warehouse.db import snapshot_path

    out["full"]["snapshot_mib"] = snapshot_path(warehouse).stat().st_size / 2**20
    out["full"]["process_peak_rss_mib"] = vm_hwm_mib()
    if not only_full:
        out["nothing_new"] = run("nothing new", [str(dump)], warehouse)
        if new is not None:
            out["one_percent_new"] = run("1 % new file", [str(dump), str(new)], warehouse)
            out["one_percent_new"]["warehouse_mib"] = warehouse.stat().st_size / 2**20
        if appended is not None:
            with open(dump, "ab") as target, open(appended, "rb") as extra:
                shutil.copyfileobj(extra, target)
            sources = [str(dump)] + ([str(new)] if new is not None else [])
            out["one_percent_appended"] = run("1 % appended to the dump", sources, warehouse)
    out["process_peak_rss_mib"] = vm_hwm_mib()
    out["tree_peak_rss_mib_last_run"] = sampler.stop()
    return out


def _py_spy() -> str | None:
    """py-spy is no project dependency: `uv pip install --python /tmp/benchtools/bin/python py-spy`
    after `uv venv /tmp/benchtools`, or any py-spy on PATH."""
    found = shutil.which("py-spy") or "/tmp/benchtools/bin/py-spy"
    return found if Path(found).exists() else None


class Profiler:
    """py-spy attached to this process (sampling, 50 Hz, every thread), else cProfile of the main
    thread (deterministic, slows Python-heavy code); both write collapsed stacks to `raw`."""

    def __init__(self, raw: Path) -> None:
        self.raw, self.spy, self.cprofile = raw, None, None

    def start(self) -> Profiler:
        spy = _py_spy()
        if spy is not None:
            self.spy = subprocess.Popen([spy, "record", "--pid", str(os.getpid()), "--rate", "50", "--format", "raw",
                                         "--output", str(self.raw)], stdout=subprocess.DEVNULL)
            time.sleep(2)  # let it attach
        else:
            import cProfile

            self.cprofile = cProfile.Profile()
            self.cprofile.enable()
        return self

    def stop(self) -> None:
        if self.spy is not None:
            import signal

            self.spy.send_signal(signal.SIGINT)
            self.spy.wait(timeout=120)
        elif self.cprofile is not None:
            self.cprofile.disable()
            _write_cprofile_stacks(self.cprofile, self.raw)


def _write_cprofile_stacks(profile, raw: Path) -> None:
    """cProfile's own time per function as one-frame 'stacks' in py-spy's raw format (milliseconds),
    and its inclusive time as a second file (`raw`.cumulative)."""
    import pstats

    stats = pstats.Stats(profile).stats
    own, cumulative = [], []
    for (path, line, name), (_cc, _nc, tottime, cumtime, _callers) in stats.items():
        frame = f"{name} ({path}:{line})".replace(";", ",")
        if tottime >= 0.001:
            own.append(f"{frame} {round(tottime * 1000)}")
        if cumtime >= 0.001:
            cumulative.append(f"{frame} {round(cumtime * 1000)}")
    raw.write_text("\n".join(own) + "\n")
    Path(f"{raw}.cumulative").write_text("\n".join(cumulative) + "\n")


def child_stages(dump: Path, work: Path) -> dict:
    """The stage functions called directly on the dump, without Prefect, block by block as the
    loader reads a JSON Lines dump (whole when the loader has no blocks); extraction in this one
    process (the flow spreads it over worker processes)."""
    import polars as pl

    import flows.ingest as ingest
    import flows.pipeline as pipeline
    from expectations.runner import run_checks
    from transforms.dumps import parse_jsonl
    from transforms.extract import extract_claims
    from transforms.language import detect_languages
    from transforms.sentences import mentions_drones
    from warehouse import db
    from warehouse.marts import build_marts

    s: dict[str, float] = {}
    cpu: dict[str, float] = {}
    hwm: dict[str, float] = {}  # how much the stage raised the process's peak RSS (which stage sets the peak)
    counts: dict[str, int] = {"records": 0, "documents": 0, "rejects": 0, "prefilter_passed": 0, "claims": 0,
                              "claim_places": 0, "documents_with_claims": 0, "blocks": 0}

    def timed(name: str, fn, *args, **kwargs):
        t, c, peak = time.perf_counter(), time.process_time(), vm_hwm_mib()
        value = fn(*args, **kwargs)
        s[name] = s.get(name, 0.0) + time.perf_counter() - t
        cpu[name] = cpu.get(name, 0.0) + time.process_time() - c
        hwm[name] = hwm.get(name, 0.0) + vm_hwm_mib() - peak
        return value

    for p in work.glob("stages*"):
        if p.is_file():
            p.unlink()
    spy = Profiler(Path(os.environ["BENCH_PROFILE"])).start() if os.environ.get("BENCH_PROFILE") else None
    warehouse = work / "stages.duckdb"
    run_id = "bench-stages"
    timed("prepare warehouse (migrate, regions, towns)", pipeline.prepare_warehouse.fn, warehouse, run_id, [str(dump)])
    con = db.connect(warehouse)

    try:
        from flows.pull import BLOCK_BYTES, JsonLinesStream

        stream = JsonLinesStream(open(dump, "rb"), False, BLOCK_BYTES)  # noqa: SIM115
        blocks = stream.blocks()
    except ImportError:  # a loader without blocks: the whole file is one block
        stream, blocks = None, iter([(dump.read_bytes(), 1)])
    while True:
        item = timed("pull: read and sha256, in blocks", next, blocks, None)
        if item is None:
            break
        block, first_line = item
        counts["blocks"] += 1
        docs, rejects = timed("parse: JSON Lines to documents", parse_jsonl, block, str(dump), first_line=first_line)
        del block
        counts["records"] += docs.height + rejects.height
        counts["documents"] += docs.height
        counts["rejects"] += rejects.height
        docs = timed("language detection", detect_languages, docs)
        docs = timed("content hash (map_elements sha256)", lambda d=docs: d.with_columns(
            content_hash=pl.col("text").map_elements(db.content_hash, return_dtype=pl.String)))
        new, conflicting = timed("load: split known ids", ingest.split_known, con, docs)
        new = new.unique(subset="id", keep="first", maintain_order=True)
        candidates = timed("pre-filter (mentions_drones: DRONE_PATTERN, any case)", lambda n=new: n.filter(
            mentions_drones(pl.col("text"))))
        counts["prefilter_passed"] += candidates.height
        claims, places = timed("extraction on pre-filtered (sentences + parser, 1 process)", extract_claims, candidates)
        counts["claims"] += claims.height
        counts["claim_places"] += places.height
        counts["documents_with_claims"] += claims["document_id"].n_unique() if claims.height else 0
        all_rejects = ingest.reject_ids(pl.concat([rejects, ingest.conflict_rejects(conflicting)]))

        def load() -> None:
            with db.transaction(con):
                db.insert_new(con, "documents", new.with_columns(first_run_id=pl.lit(run_id)))
                db.insert_new(con, "extracted_claims", claims.with_columns(run_id=pl.lit(run_id)))
                db.insert_new(con, "claim_places", places.unique(subset=["claim_id", "name"], keep="first"))
                db.insert_new(con, "rejected", all_rejects.with_columns(first_run_id=pl.lit(run_id)))

        timed("load: insert documents, claims, places, rejects", load)
    if stream is not None:
        stream.close()
    for name in list(s):
        print(f"[stages] {name}: {s[name]:.2f} s (cpu {cpu[name]:.2f} s)", file=sys.stderr)
    for name, fn, args in (
        ("checks (SQL checks + GX + Data Docs)", run_checks, (con, work / "stages-docs")),
        ("marts", build_marts, (con,)),
        ("checkpoint", db.run, (con, "checkpoint")),
    ):
        timed(name, fn, *args)
        print(f"[stages] {name}: {s[name]:.2f} s (cpu {cpu[name]:.2f} s)", file=sys.stderr)
    con.close()
    timed("publish (snapshot copy)", db.publish, warehouse)
    print(f"[stages] publish: {s['publish (snapshot copy)']:.2f} s", file=sys.stderr)
    if spy is not None:
        spy.stop()
    peak = vm_hwm_mib()
    if counts["records"] <= 200_000:
        # the flow's load_source body without Prefect, extraction in this process: with the flow's
        # load_source time it shows what Prefect and the worker processes cost or save
        direct = work / "stages-direct.duckdb"
        pipeline.prepare_warehouse.fn(direct, run_id, [str(dump)])
        con = db.connect(direct)
        timed("whole ingest_source, no Prefect, 1 process", ingest.ingest_source, con, str(dump), run_id)
        print(f"[stages] ingest_source direct: {s['whole ingest_source, no Prefect, 1 process']:.2f} s", file=sys.stderr)
        con.close()
    return {"stage_s": s, "stage_cpu_s": cpu, "stage_peak_raise_mib": hwm, "counts": counts, "process_peak_rss_mib": peak,
            "warehouse_mib": warehouse.stat().st_size / 2**20}


# --------------------------------------------------------------------------- orchestration


class ChildFailed(RuntimeError):
    """A measuring subprocess exited with an error (its stderr is above)."""


def _py() -> list[str]:
    return [sys.executable, str(Path(__file__).resolve())]


def _child(args: list[str], profile: Path | None = None) -> dict:
    result_file = OUT_DIR / f".child-{os.getpid()}-{time.monotonic_ns()}.json"
    cmd = [*_py(), "--child", *args, "--result", str(result_file)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if profile is not None:
        env["BENCH_PROFILE"] = str(profile)
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env)
    if proc.returncode != 0:
        raise ChildFailed(f"benchmark child failed ({proc.returncode}): {' '.join(cmd)}")
    out = json.loads(result_file.read_text())
    out["subprocess_wall_s"] = time.perf_counter() - t
    result_file.unlink()
    return out


def ensure_dump(n: int, seed: int, start: int = 0) -> Path:
    from generate_dump import write_dump

    path = OUT_DIR / (f"dump-{n}.jsonl" if start == 0 and seed == 7 else f"dump-{n}-from{start}-s{seed}.jsonl")
    if not path.exists():
        t = time.perf_counter()
        write_dump(path.with_suffix(".partial"), n, seed=seed, start=start)
        path.with_suffix(".partial").rename(path)
        print(f"generated {path.name} in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    return path


def machine() -> dict:
    import duckdb
    import polars

    mem = next((int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal:")), 0)
    try:
        prefect_version = __import__("importlib.metadata").metadata.version("prefect")
    except Exception:  # noqa: BLE001
        prefect_version = "?"
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory_gib": round(mem / 2**20, 1),
            "python": platform.python_version(), "duckdb": duckdb.__version__, "polars": polars.__version__,
            "prefect": prefect_version, "kernel": platform.release()}


def load_avg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def summarise_profile(raw: Path, top: int = 25) -> dict:
    """Top self and total lines of a py-spy raw (collapsed stacks) profile."""
    from collections import Counter

    own, total, functions, n, background = Counter(), Counter(), Counter(), 0, 0
    cumulative = Path(f"{raw}.cumulative")  # cProfile's inclusive times (see _write_cprofile_stacks)
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        c = int(count)
        frames = [f for f in stack.split(";") if f]
        if frames and frames[0].startswith("Thread._bootstrap"):
            # background threads (Prefect's event loop and heartbeats, the memory sampler) mostly
            # wait in select()/sleep(), which py-spy does not always see as idle: counted apart
            background += c
            continue
        n += c
        if frames:
            own[frames[-1]] += c
        for f in set(frames):
            total[f] += c
        for f in {_function(f) for f in frames}:
            functions[f] += c
    if cumulative.exists():
        total.clear()
        functions.clear()
        for line in cumulative.read_text().splitlines():
            frame, _, count = line.rpartition(" ")
            total[frame] = int(count)
            functions[_function(frame)] += int(count)
    rel = lambda k: k.replace(str(ROOT) + "/", "").replace(".venv/lib/python3.11/site-packages/", "")  # noqa: E731
    return {"samples": n, "background_thread_samples": background,
            "tool": "cProfile (main thread; ms)" if cumulative.exists() else "py-spy (50 Hz samples)",
            "self": [(round(100 * v / n, 1), rel(k)) for k, v in own.most_common(top)],
            "total": [(round(100 * v / n, 1), rel(k)) for k, v in total.most_common(top * 4)
                      if not any(s in k for s in _WRAPPERS)][:top],
            "functions": [(round(100 * v / n, 1), rel(k)) for k, v in functions.most_common(top * 4)
                          if not any(s in k for s in _WRAPPERS) and "prefect/" not in k][:top]}


def _function(frame: str) -> str:
    """'find_speakers (transforms/speakers.py:115)' -> 'find_speakers (transforms/speakers.py)'."""
    name, _, where = frame.partition(" (")
    return f"{name} ({where.rsplit(':', 1)[0]})" if where else name


_WRAPPERS = ("importlib", "<module>", "run_bench.py", "contextlib.py", "threading.py", "callables/__init__",
             "Task.__call__", "Flow.__call__")


def bench_size(n: int, seed: int, profile: bool, skip_stages: bool, profile_stages: bool = False) -> dict:
    dump = ensure_dump(n, seed)
    new = ensure_dump(max(1, n // 100), seed + 1, start=n)
    appended = ensure_dump(max(1, n // 100), seed + 3, start=n + max(1, n // 100))
    tiny = ensure_dump(TINY, seed + 2, start=10**9)
    work = OUT_DIR / f"work-{n}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    result: dict = {"documents": n, "dump_mib": dump.stat().st_size / 2**20, "new_documents": max(1, n // 100),
                    "code_before": code_version()}
    result["load_before"] = load_avg()
    print(f"== {n}: floor", file=sys.stderr)
    result["floor"] = _child(["floor", str(dump)])
    print(f"== {n}: flow", file=sys.stderr)
    result["flow"] = _child(["flow", str(dump), str(new), str(appended), str(tiny), str(work)])
    result["load_after_flow"] = load_avg()
    if not skip_stages:
        print(f"== {n}: stages", file=sys.stderr)
        raw = OUT_DIR / f"profile-{n}-stages.txt" if profile or profile_stages else None
        result["stages"] = _child(["stages", str(dump), str(work)], profile=raw)
        if raw is not None:
            result["profile_stages"] = summarise_profile(raw) | {"file": str(raw.relative_to(ROOT))}
    if profile:
        print(f"== {n}: profile (flow, full run only)", file=sys.stderr)
        raw = OUT_DIR / f"profile-{n}.txt"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        _child(["flow", str(dump), "-", "-", str(tiny), str(work), "--only-full"], profile=raw)
        result["profile"] = summarise_profile(raw)
        result["profile"]["file"] = str(raw.relative_to(ROOT))
    result["load_after"] = load_avg()
    result["code_after"] = code_version()
    shutil.rmtree(work, ignore_errors=True)
    return result


def code_version() -> str:
    """HEAD and how many files of the pipeline differ from it (others commit while we measure)."""
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "flows", "transforms", "warehouse", "expectations"],
                           cwd=ROOT, capture_output=True, text=True).stdout.strip().splitlines()
    return f"{head}" + (f" + {len(dirty)} uncommitted file(s)" if dirty else "")


# --------------------------------------------------------------------------- report


TARGETS = {
    "docs_per_s": 50_000, "floor_multiple": 5.0, "peak_mib": 2048, "nothing_new_s": 2.0,
    "prefect_overhead_s": 2.0,
}


def derive(r: dict) -> dict:
    n = r["documents"]
    flow, floor = r["flow"], r["floor"]
    full = flow["full"]
    d = {
        "end_to_end_s": full["wall_s"], "end_to_end_docs_per_s": n / full["wall_s"],
        "floor_s": floor["read_and_regex_s"], "floor_docs_per_s": n / floor["read_and_regex_s"],
        "floor_multiple": full["wall_s"] / floor["read_and_regex_s"],
        "peak_rss_mib_process": full.get("process_peak_rss_mib", flow["process_peak_rss_mib"]),
        "peak_rss_mib_tree": full["tree_peak_rss_mib"],
        "warehouse_mib": full["warehouse_mib"],
        "prefect_overhead_s": full["prefect_overhead_s"],
        "prefect_overhead_tiny_s": flow["tiny_again"]["wall_s"] - flow["tiny_again"]["data_work_s"],
        "server_start_s": flow["warmup"]["including_server_start_s"] - flow["tiny_again"]["wall_s"],
    }
    if "nothing_new" in flow:
        d["nothing_new_wall_s"] = flow["nothing_new"]["wall_s"]
        d["nothing_new_data_work_s"] = flow["nothing_new"]["data_work_s"]
    if "one_percent_new" in flow:
        d["one_percent_new_wall_s"] = flow["one_percent_new"]["wall_s"]
        d["one_percent_new_share_of_full"] = flow["one_percent_new"]["wall_s"] / full["wall_s"]
    if "one_percent_appended" in flow:
        d["one_percent_appended_wall_s"] = flow["one_percent_appended"]["wall_s"]
        d["one_percent_appended_share_of_full"] = flow["one_percent_appended"]["wall_s"] / full["wall_s"]
    if "stages" in r:
        d["stage_docs_per_s"] = {k: (n / v if v > 0 else None) for k, v in r["stages"]["stage_s"].items()}
    return d


def _fmt(x, unit: str = "", digits: int = 1) -> str:
    if x is None:
        return "–"
    if isinstance(x, float) and x >= 1000:
        return f"{x:,.0f}{unit}"
    return f"{x:.{digits}f}{unit}" if isinstance(x, float) else f"{x:,}{unit}"


def render_md(run: dict) -> str:
    m = run["machine"]
    lines = [
        "# Benchmark results",
        "",
        "Written by `bench/run_bench.py` (`make bench`); the newest run is first. How each number is",
        "measured is in the module docstring of `bench/run_bench.py`.",
        "",
    ]
    if HOTSPOTS_JSON.exists():
        lines += ["## Candidate fixes for hot spots, measured", "",
                  "`bench/hotspots.py` on the 100k dump times each current expression against a candidate and checks "
                  "they agree; the owners of the files decide (the GX documents one is applied).", "",
                  "| case | current s | proposed s | speedup | same answer |", "|---|---|---|---|---|"]
        for h in json.loads(HOTSPOTS_JSON.read_text()):
            lines.append(f"| {h['case']} | {h['current_s']} | {h['proposed_s']} | {h['speedup']}x | {h['agreement']} |")
        lines.append("")
    for entry in run["history"]:
        m = entry["machine"]
        lines += [
            f"## {entry['date']}",
            "",
            f"Machine: {m['nproc']} cores ({m['cpu']}), {m['memory_gib']} GiB; Python {m['python']}, "
            f"DuckDB {m['duckdb']}, polars {m['polars']}, Prefect {m['prefect']}; git {entry.get('git', '?')}; "
            f"extraction workers: {entry.get('workers', 'one per core')}.",
            "Shared with other engineers while measured: load averages (1, 5, 15 min) are given per size.",
            "",
        ]
        sizes = entry["sizes"]
        if not sizes:
            continue
        lines[-2:-2] = [f"Code measured: {sizes[0].get('code_before', '?')} at the start, {sizes[-1].get('code_after', '?')} at the end."]
        header = "| | " + " | ".join(f"{r['documents']:,} docs" for r in sizes) + " | target |"
        lines += [header, "|---" * (len(sizes) + 2) + "|"]

        def row(label: str, values: list[str], target: str = "") -> None:
            lines.append(f"| {label} | " + " | ".join(values) + f" | {target} |")

        ds = [derive(r) for r in sizes]
        row("load average before / after", [f"{r['load_before']} / {r['load_after']}" for r in sizes])
        row("dump size", [_fmt(r["dump_mib"], " MiB") for r in sizes])
        row("end to end (flow, server start excluded)", [_fmt(d["end_to_end_s"], " s") for d in ds])
        row("end to end docs/s", [_fmt(d["end_to_end_docs_per_s"]) for d in ds], "≥ 50,000 (1M)")
        row("CPU time of the pipeline process (full run)", [_fmt(r["flow"]["full"].get("cpu_s"), " s") for r in sizes])
        row("docs per CPU-second (less sensitive to load)",
            [_fmt(r["documents"] / r["flow"]["full"]["cpu_s"]) if r["flow"]["full"].get("cpu_s") else "–" for r in sizes])
        row("floor: DuckDB read_ndjson + regexp_matches", [_fmt(d["floor_s"], " s", 2) for d in ds])
        row("floor docs/s", [_fmt(d["floor_docs_per_s"]) for d in ds], "≈ 500,000")
        row("pipeline / floor", [_fmt(d["floor_multiple"], "x") for d in ds], "≤ 5x")
        row("peak RSS, pipeline process", [_fmt(d["peak_rss_mib_process"], " MiB") for d in ds], "< 2,048 MiB")
        row("peak RSS, process tree (+ Prefect server)", [_fmt(d["peak_rss_mib_tree"], " MiB") for d in ds])
        row("warehouse size", [_fmt(d["warehouse_mib"], " MiB") for d in ds])
        row("nothing new: wall", [_fmt(d.get("nothing_new_wall_s"), " s", 2) for d in ds])
        row("nothing new: data work (task bodies)", [_fmt(d.get("nothing_new_data_work_s"), " s", 2) for d in ds], "< 2 s")
        row("1 % new (separate file): wall", [_fmt(d.get("one_percent_new_wall_s"), " s", 2) for d in ds])
        row("1 % new / full run", [_fmt(100 * d["one_percent_new_share_of_full"], " %") if "one_percent_new_share_of_full" in d else "–"
                                    for d in ds], "≈ 1 %")
        row("1 % appended to the dump: wall", [_fmt(d.get("one_percent_appended_wall_s"), " s", 2) for d in ds])
        row("1 % appended / full run", [_fmt(100 * d["one_percent_appended_share_of_full"], " %")
                                         if "one_percent_appended_share_of_full" in d else "–" for d in ds], "≈ 1 %")
        row("Prefect overhead, full run (wall − task bodies)", [_fmt(d["prefect_overhead_s"], " s", 2) for d in ds], "< 2 s")
        row("Prefect overhead, 200-doc run", [_fmt(d["prefect_overhead_tiny_s"], " s", 2) for d in ds], "< 2 s")
        row("Prefect temporary server start (not in the above)", [_fmt(d["server_start_s"], " s") for d in ds])
        for task in sizes[0]["flow"]["full"]["task_s"]:
            row(f"task `{task}` (full run)", [_fmt(r["flow"]["full"]["task_s"].get(task), " s", 2) for r in sizes])
        lines.append("")
        if any("stages" in r for r in sizes):
            lines += ["Stages called directly on the same dump, without Prefect (seconds, and documents of the",
                      "dump per second; the extraction only sees what the pre-filter passed):", ""]
            staged = [r for r in sizes if "stages" in r]
            lines += ["| stage | " + " | ".join(f"{r['documents']:,}: wall s | CPU s | docs/s (wall) | raised peak RSS by, MiB"
                                                for r in staged) + " |",
                      "|---" + "|---|---|---|---" * len(staged) + "|"]
            stages = list(dict.fromkeys(k for r in staged for k in r["stages"]["stage_s"]))
            for stage in stages:
                cells = []
                for r in staged:
                    sec = r["stages"]["stage_s"].get(stage)
                    cpu = r["stages"].get("stage_cpu_s", {}).get(stage)
                    peak = r["stages"].get("stage_peak_raise_mib", {}).get(stage)
                    cells.append(f"{_fmt(sec, '', 2)} | {_fmt(cpu, '', 2)} | {_fmt(r['documents'] / sec) if sec else '–'} | "
                                 f"{_fmt(peak, '', 0)}")
                lines.append(f"| {stage} | " + " | ".join(cells) + " |")
            for r in staged:
                c = r["stages"]["counts"]
                lines.append("")
                lines.append(f"{r['documents']:,} records: {c['documents']:,} documents, {c['rejects']:,} rejects, "
                             f"{c['prefilter_passed']:,} passed the pre-filter, {c.get('documents_with_claims', 0):,} of them gave "
                             f"{c['claims']:,} claims; "
                             f"stage process peak RSS {r['stages']['process_peak_rss_mib']:,.0f} MiB.")
            lines.append("")
        for r in sizes:
            for key, what in (("profile", "the flow process during the full run (Prefect, loading, checks; extraction "
                                          "runs in worker processes and is not in it)"),
                              ("profile_stages", "the stages run (every stage in one process, extraction included)")):
                if key not in r:
                    continue
                p = r[key]
                lines += [f"Profile of {what}, {r['documents']:,} documents: {p.get('tool', 'py-spy (50 Hz samples)')}, "
                          f"{p['samples']:,} main-thread units; {p.get('background_thread_samples', 0):,} of background "
                          f"threads (mostly waiting) left out; `{p['file']}` (not committed). Own time:", "", "```"]
                lines += [f"{pct:5.1f}%  {frame}" for pct, frame in p["self"][:20]]
                lines += ["```", "", "Inclusive time by function (all its lines; Prefect's wrappers left out):", "", "```"]
                lines += [f"{pct:5.1f}%  {frame}" for pct, frame in p.get("functions", p["total"])[:25]]
                lines += ["```", ""]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="dronewatch performance benchmark")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--quick", action="store_true", help="one 20k run (smoke test)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", action="store_true",
                        help="profile the stages run at every size, and one more full flow run at the smallest")
    parser.add_argument("--no-stages", action="store_true", help="skip the direct per-stage timing")
    parser.add_argument("--profile-stages", action="store_true", help="profile the stages runs only (no extra flow run)")
    parser.add_argument("--workers", type=int, help="extraction processes of the flow (DRONEWATCH_WORKERS; "
                                                     "default one per core)")
    parser.add_argument("--no-write", action="store_true", help="print, do not write results files")
    parser.add_argument("--render", action="store_true", help="only rewrite results.md from results.json")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--only-full", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        kind, *rest = args.child
        if kind == "floor":
            out = child_floor(Path(rest[0]))
        elif kind == "flow":
            dump, new, appended, tiny, work = rest
            out = child_flow(Path(dump), None if new == "-" else Path(new), None if appended == "-" else Path(appended),
                             Path(tiny), Path(work), args.only_full)
        else:
            out = child_stages(Path(rest[0]), Path(rest[1]))
        args.result.write_text(json.dumps(out, default=str))
        return 0

    if args.render:
        history = json.loads(RESULTS_JSON.read_text())["history"]
        RESULTS_MD.write_text(render_md({"machine": history[0]["machine"], "history": history}))
        return 0
    if args.workers:
        os.environ["DRONEWATCH_WORKERS"] = str(args.workers)  # the flow children read it
    sizes = [20_000] if args.quick else sorted(args.sizes)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    try:
        git = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    except OSError:
        git = "?"
    entry = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(), "git": git,
             "quick": args.quick, "workers": os.environ.get("DRONEWATCH_WORKERS", "one per core"), "sizes": []}
    history = json.loads(RESULTS_JSON.read_text())["history"] if RESULTS_JSON.exists() else []
    if args.quick:
        history = [h for h in history if not h.get("quick")]  # keep one smoke run at most
    history.insert(0, entry)
    failed = False
    for i, n in enumerate(sizes):
        try:
            r = bench_size(n, args.seed, profile=args.profile and i == 0, skip_stages=args.no_stages,
                           profile_stages=args.profile or args.profile_stages)
        except ChildFailed as e:
            print(f"{n}: {e}", file=sys.stderr)
            failed = True
            continue
        r["derived"] = derive(r)
        entry["sizes"].append(r)
        print(json.dumps({k: v for k, v in r["derived"].items() if k != "stage_docs_per_s"}, indent=1, default=str))
        if not args.no_write:  # after each size: a later failure keeps what was measured
            RESULTS_JSON.write_text(json.dumps({"history": history}, indent=1, default=str) + "\n")
            RESULTS_MD.write_text(render_md({"machine": entry["machine"], "history": history}))
            print(f"wrote {RESULTS_MD.relative_to(ROOT)} and {RESULTS_JSON.relative_to(ROOT)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""A soak: simulated sessions switch pages and filters while imports run.

    python scripts/soak.py [--sessions 4] [--seconds 60] [--engine sqlite|postgresql] [--json]
    python scripts/soak.py [--sessions 4] --imports N --reruns M [--give-up-after 600] [--engine ...] [--json]

Each session is its own process driving `dashboard.py` with AppTest: it opens a page, sets
random filters (levels, years, county, sector) through the URL, reruns, and moves on.
Meanwhile a writer process imports new versions of a batch of reports (each import replaces
the reports and keeps revisions).

With `--seconds` (the default, 60) that goes on until the time is up, the writer importing
every second: the figures of the README. With `--imports N --reruns M` the run does a fixed
amount of work, however fast the machine: once every session has rendered a page, the writer
does exactly N imports, each followed by a wait until every session has finished a rerun
begun after it (so every import is read while the sessions run), and every session keeps
rerunning until the writer is done and it has done at least M reruns. `--give-up-after`
only guards against a hang: work not done by then counts as an error.

Prints sessions, reruns (and the fewest of any one session), errors (exceptions on a page, a
failed rerun or import, work not done, a process that ended without its figures; it must be
0), imports done and the peak resident memory of any one process. Exits 1 on any error.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import queue
import random
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from bench.rss import peak_rss_mb  # after the repository is on the path

POSTGRES_URL = os.environ.get("KLYNGE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
POLL = 0.05  # seconds between looks at the sessions' progress (they are other processes)
REPORT_GRACE = 180  # seconds past the deadline to wait for a report: a rerun may take AppTest's 120 s


@dataclass(frozen=True)
class Work:
    """What a run does: everything it can until `deadline` (when `imports` is None), or exactly
    `imports` imports and at least `reruns` reruns a session, `deadline` being only the hang guard.
    `deadline` is on time.monotonic(), which is the same clock in every process (Linux)."""

    deadline: float
    imports: int | None = None
    reruns: int = 0

    @property
    def fixed(self) -> bool:
        return self.imports is not None

    def overdue(self) -> bool:
        return time.monotonic() >= self.deadline


def build_database(engine_name: str, folder: Path) -> str:
    from sqlalchemy import create_engine, text

    from klynge.store.engine import ensure_schema, make_engine
    from klynge.store.importer import load_demo

    if engine_name == "sqlite":
        url = f"sqlite:///{folder / 'soak.db'}"
    else:
        admin = create_engine(POSTGRES_URL)
        with admin.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS soak CASCADE"))
            conn.execute(text("CREATE SCHEMA soak"))
        admin.dispose()
        url = f"{POSTGRES_URL}?options=-csearch_path%3Dsoak"
    engine = make_engine(url)
    ensure_schema(engine)
    load_demo(engine)
    engine.dispose()
    return url


def wait_for_sessions(progress, wanted: list[int], work: Work) -> bool:
    """Wait until every session has done at least its `wanted` reruns; False when the time is up first."""
    while not all(done >= want for done, want in zip(progress[:], wanted)):
        if work.overdue():
            return False
        time.sleep(POLL)
    return True


def writer(url: str, folder: Path, work: Work, progress, writer_done, results) -> None:
    """Import new versions of 20 reports: one batch a second until the deadline, or (fixed
    work) exactly `work.imports` batches, each read by every session before the next."""
    import csv

    from klynge.store.engine import make_engine
    from klynge.store.importer import import_paths

    engine = make_engine(url)
    with (REPO_ROOT / "sample_data" / "reports.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))[:20]
    imports, errors = 0, 0
    version = 0
    try:
        # Fixed work: the imports start once every session has rendered a page, so that they
        # fall among reruns, not among the sessions' imports of Streamlit.
        if work.fixed and not wait_for_sessions(progress, [1] * len(progress), work):
            errors += 1
            print(f"writer: gave up after the deadline, sessions at {progress[:]} reruns before any import", file=sys.stderr)
        while not work.overdue() and (not work.fixed or version < work.imports):
            version += 1
            path = folder / f"batch-{version % 2}.csv"
            with path.open("w", encoding="utf-8", newline="") as handle:
                out = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
                out.writeheader()
                for row in rows:
                    out.writerow({**row, "new_jobs": str(version), "activities_organised": str(10 + version % 7)})
            try:
                import_paths(engine, [path])
                imports += 1
            except Exception:  # noqa: BLE001 - counted and shown
                errors += 1
                traceback.print_exc()
            if not work.fixed:
                time.sleep(1.0)
            # A session's rerun after the one under way when the import ended began after it.
            elif not wait_for_sessions(progress, [done + 2 for done in progress[:]], work):
                errors += 1
                print(f"writer: gave up after the deadline, sessions at {progress[:]} reruns after import {version}", file=sys.stderr)
        if work.fixed and version < work.imports:
            errors += 1
            print(f"writer: gave up after the deadline with {version} of {work.imports} imports begun", file=sys.stderr)
    finally:
        writer_done.set()
    results.put({"role": "writer", "imports": imports, "errors": errors,
                 "peak_rss_mb": peak_rss_mb()})


def session(url: str, seed: int, work: Work, progress, writer_done, results) -> None:
    """One simulated user: pages and filters at random until the deadline, or (fixed work)
    until the writer is done and this session has done `work.reruns` reruns."""
    os.environ["KLYNGE_DATABASE_URL"] = url
    from streamlit import logger as streamlit_logger
    from streamlit.testing.v1 import AppTest

    streamlit_logger.set_log_level("error")  # AppTest's "bare mode" chatter

    from klynge import queries
    from klynge.store.engine import make_engine
    from klynge.ui.pages import PAGES
    from klynge.ui.texts import level_label

    rng = random.Random(seed)
    options = queries.filter_options(make_engine(url))
    levels = [level_label(code) for code in ("tidligfase", "arena", "arena_pro", "moden")]
    reruns, errors, pages = 0, 0, 0

    def finished() -> bool:
        if work.fixed and writer_done.is_set() and reruns >= work.reruns:
            return True
        return work.overdue()

    def rerun(at) -> None:
        nonlocal reruns
        at.run()
        reruns += 1
        progress[seed] = reruns  # the writer paces its imports by this

    while not finished():
        page = rng.choice(PAGES)
        at = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=120)
        try:
            rerun(at)
            if page.path != PAGES[0].path:
                at.switch_page(page.path)
                rerun(at)
            for _ in range(3):
                if finished():
                    break
                first = rng.choice(options.years)
                at.query_params.clear()
                at.query_params["niva"] = rng.sample(levels, rng.randint(0, 2))
                at.query_params["fra"] = str(first)
                at.query_params["til"] = str(rng.choice([y for y in options.years if y >= first]))
                if rng.random() < 0.3:
                    at.query_params["fylke"] = rng.choice(options.regions)
                if rng.random() < 0.3:
                    at.query_params["sektor"] = rng.choice(options.sectors)
                rerun(at)
                if at.exception:
                    errors += 1
                    print(f"session {seed}: {page.path}: {[e.value for e in at.exception]}", file=sys.stderr)
            pages += 1
        except Exception:  # noqa: BLE001 - counted and shown
            errors += 1
            traceback.print_exc()
    if work.fixed and not (writer_done.is_set() and reruns >= work.reruns):
        errors += 1
        print(f"session {seed}: gave up after the deadline with {reruns} of {work.reruns} reruns", file=sys.stderr)
    results.put({"role": "session", "reruns": reruns, "errors": errors, "pages": pages,
                 "peak_rss_mb": peak_rss_mb()})


def collect(processes, results, give_up_at: float) -> list[dict]:
    """Every process's figures; a process that ended without them, or still runs at
    `give_up_at`, has none."""
    reports: list[dict] = []
    while len(reports) < len(processes):
        try:
            reports.append(results.get(timeout=1))
        except queue.Empty:
            # A process flushes its figures before it ends, so an empty queue and no live process means none are coming.
            if not any(process.is_alive() for process in processes) or time.monotonic() > give_up_at:
                break
    return reports


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=4)
    parser.add_argument("--seconds", type=float, help="run this long, importing every second (default 60)")
    parser.add_argument("--imports", type=int, help="fixed work: the writer does exactly this many imports")
    parser.add_argument("--reruns", type=int, help="fixed work: every session does at least this many reruns")
    parser.add_argument("--give-up-after", type=float, default=600,
                        help="fixed work: seconds after which unfinished work is an error (a hang guard)")
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    fixed = args.imports is not None or args.reruns is not None
    if fixed and args.seconds is not None:
        parser.error("--seconds runs for a time, --imports and --reruns for a fixed amount of work: not both")
    if fixed and (args.imports is None or args.reruns is None or args.imports < 1 or args.reruns < 1):
        parser.error("fixed work needs both --imports and --reruns, each at least 1")
    if args.sessions < 1:
        parser.error("--sessions must be at least 1")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = build_database(args.engine, folder)
        context = mp.get_context("spawn")
        results = context.Queue()
        progress = context.Array("q", args.sessions)  # reruns done, per session
        writer_done = context.Event()
        started = time.monotonic()
        if fixed:
            work = Work(deadline=started + args.give_up_after, imports=args.imports, reruns=args.reruns)
        else:
            work = Work(deadline=started + (60 if args.seconds is None else args.seconds))
        shared = (progress, writer_done, results)
        processes = [context.Process(target=writer, args=(url, folder, work, *shared))]
        processes += [context.Process(target=session, args=(url, seed, work, *shared)) for seed in range(args.sessions)]
        for process in processes:
            process.start()
        reports = collect(processes, results, work.deadline + REPORT_GRACE)
        for process in processes:
            process.join(timeout=60)
            if process.is_alive():  # hung past every grace: counted as missing figures below
                process.terminate()
                process.join(timeout=10)
        elapsed = time.monotonic() - started
    sessions = [r for r in reports if r["role"] == "session"]
    write = next((r for r in reports if r["role"] == "writer"), {"imports": 0, "errors": 0})
    missing = len(processes) - len(reports)
    if missing:
        print(f"{missing} process(es) ended without their figures", file=sys.stderr)
    summary = {
        "engine": args.engine,
        "sessions": len(sessions),
        "seconds": round(elapsed, 1),
        "pages_opened": sum(r["pages"] for r in sessions),
        "reruns": sum(r["reruns"] for r in sessions),
        "fewest_reruns": min((r["reruns"] for r in sessions), default=0),
        "errors": sum(r["errors"] for r in sessions) + write["errors"] + missing,
        "imports": write["imports"],
        "peak_rss_mb": round(max((r["peak_rss_mb"] for r in reports), default=0), 1),
    }
    if args.json:
        print(json.dumps(summary))
    else:
        for key, value in summary.items():
            print(f"{key:>14}: {value}")
    sys.exit(1 if summary["errors"] else 0)


if __name__ == "__main__":
    main()

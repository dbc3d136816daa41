"""A short soak: simulated sessions switch pages and filters while imports run.

    python scripts/soak.py [--sessions 4] [--seconds 60] [--engine sqlite|postgresql] [--json]

Each session is its own process driving `dashboard.py` with AppTest: it opens a page, sets
random filters (levels, years, county, sector) through the URL, reruns, and moves on, until
the time is up. Meanwhile a writer process imports new versions of a batch of reports every
second (each import replaces the reports and keeps revisions). Prints sessions, reruns,
errors (exceptions on a page, or a failed rerun; it must be 0), imports done and the peak
resident memory of any one process.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import resource
import sys
import tempfile
import time
import traceback
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

POSTGRES_URL = os.environ.get("KLYNGE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


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


def writer(url: str, folder: Path, deadline: float, results) -> None:
    """Import new versions of 20 reports, one batch a second, until the deadline."""
    import csv

    from klynge.store.engine import make_engine
    from klynge.store.importer import import_paths

    engine = make_engine(url)
    with (REPO_ROOT / "sample_data" / "reports.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))[:20]
    imports, errors = 0, 0
    version = 0
    while time.monotonic() < deadline:
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
        time.sleep(1.0)
    results.put({"role": "writer", "imports": imports, "errors": errors,
                 "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})


def session(url: str, seed: int, deadline: float, results) -> None:
    """One simulated user: pages and filters at random until the deadline."""
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
    while time.monotonic() < deadline:
        page = rng.choice(PAGES)
        at = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=120)
        try:
            at.run()
            if page.path != PAGES[0].path:
                at.switch_page(page.path)
                at.run()
            reruns += 1 + (page.path != PAGES[0].path)
            for _ in range(3):
                if time.monotonic() >= deadline:
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
                at.run()
                reruns += 1
                if at.exception:
                    errors += 1
                    print(f"session {seed}: {page.path}: {[e.value for e in at.exception]}", file=sys.stderr)
            pages += 1
        except Exception:  # noqa: BLE001 - counted and shown
            errors += 1
            traceback.print_exc()
    results.put({"role": "session", "reruns": reruns, "errors": errors, "pages": pages,
                 "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = build_database(args.engine, folder)
        context = mp.get_context("spawn")
        results = context.Queue()
        deadline = time.monotonic() + args.seconds
        processes = [context.Process(target=writer, args=(url, folder, deadline, results))]
        processes += [context.Process(target=session, args=(url, seed, deadline, results)) for seed in range(args.sessions)]
        started = time.monotonic()
        for process in processes:
            process.start()
        reports = [results.get(timeout=args.seconds + 600) for _ in processes]
        for process in processes:
            process.join(timeout=60)
        elapsed = time.monotonic() - started
    sessions = [r for r in reports if r["role"] == "session"]
    write = next(r for r in reports if r["role"] == "writer")
    summary = {
        "engine": args.engine,
        "sessions": len(sessions),
        "seconds": round(elapsed, 1),
        "pages_opened": sum(r["pages"] for r in sessions),
        "reruns": sum(r["reruns"] for r in sessions),
        "errors": sum(r["errors"] for r in sessions) + write["errors"],
        "imports": write["imports"],
        "peak_rss_mb": round(max(r["peak_rss_mb"] for r in reports), 1),
    }
    if args.json:
        print(json.dumps(summary))
    else:
        for key, value in summary.items():
            print(f"{key:>14}: {value}")
    sys.exit(1 if summary["errors"] else 0)


if __name__ == "__main__":
    main()

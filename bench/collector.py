"""What Python's garbage collector costs the pages' reruns, with and without the freeze of
the objects the process keeps for its life (`klynge.ui.memory.freeze_imports`).

    python -m bench.collector [--scale europe] [--pages finansiering,utforsk,kvalifisering]

On the scale's SQLite database, each way in a process of its own (the freeze cannot be
undone for a fair second run): per page, 4 of the benchmark's filter changes, each one timed
rerun with nothing kept from the last (as bench/warm.py's warm reruns), and the collections
that ran meanwhile per generation with the time they took. Without the freeze, the dashboard's
call is made a no-op.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import time

from bench import app, importing, scales

DEFAULT_PAGES = "oversikt,medlemmer,finansiering,utforsk,kvalifisering"


def _child(url: str, pages: list[str], freeze: bool) -> None:
    os.environ["KLYNGE_DATABASE_URL"] = url
    app.quiet_streamlit()
    app.like_a_server()
    import streamlit as st

    from klynge import queries
    from klynge.store.engine import make_engine
    from klynge.ui import memory
    from klynge.ui.kept import forget
    from klynge.ui.pages import PAGES

    if not freeze:
        memory._frozen = True  # the dashboard's call does nothing
    counts, seconds, started = [0, 0, 0], [0.0, 0.0, 0.0], [0.0]

    def seen(phase: str, info: dict) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            counts[info["generation"]] += 1
            seconds[info["generation"]] += time.perf_counter() - started[0]

    options = queries.filter_options(make_engine(url))
    at = app.new_app()
    at.run()
    gc.callbacks.append(seen)
    out = []
    for page in pages:
        spec = next(spec for spec in PAGES if spec.url_path == page)
        own, changes = app.changes_for(page, options, 4)
        st.cache_data.clear()
        app.open_page(at, spec, options, own)
        counts[:], seconds[:] = [0, 0, 0], [0.0, 0.0, 0.0]
        total = 0.0
        for change in changes:
            change.apply(at)
            forget()
            start = time.perf_counter()
            at.run()
            total += time.perf_counter() - start
        out.append({"page": page, "reruns_ms": total * 1000, "collections": list(counts),
                    "collection_ms": [s * 1000 for s in seconds], "frozen": gc.get_freeze_count()})
    print(json.dumps(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=scales.SCALES, default="europe")
    parser.add_argument("--pages", default=DEFAULT_PAGES)
    args = parser.parse_args()
    url = importing.ensure_database(args.scale, "sqlite", scales.ensure_data(args.scale, print), print)
    results = {}
    for freeze in (False, True):
        child = subprocess.run([sys.executable, "-m", "bench.collector", "--child", url, args.pages, str(int(freeze))],
                               capture_output=True, text=True, check=True, cwd=scales.ROOT)
        results[freeze] = json.loads(child.stdout.strip().splitlines()[-1])
    print(f"{args.scale}, SQLite: 4 reruns a page; collections per generation (0/1/2) and their time")
    print(f"{'page':<14} {'without freeze':>34} {'with freeze':>34}")
    for before, after in zip(results[False], results[True]):
        cells = [f"{r['reruns_ms']:6.0f} ms, gen2 {r['collections'][2]} in {r['collection_ms'][2]:4.0f} ms"
                 for r in (before, after)]
        print(f"{before['page']:<14} {cells[0]:>34} {cells[1]:>34}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3].split(","), sys.argv[4] == "1")
    else:
        main()

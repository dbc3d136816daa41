"""Cold start: a fresh process that renders the first page with AppTest.

bench/run.py notes the wall-clock time just before it starts this process
(`python -m bench.coldstart`, KLYNGE_DATABASE_URL set) and subtracts it from the time this
process prints when the first page has been rendered: interpreter start, imports, the
engine, the first queries and the page, with nothing cached.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time

from bench.rss import peak_rss_mb


def _child() -> None:
    from streamlit.testing.v1 import AppTest

    from bench.app import DASHBOARD, TIMEOUT_S

    at = AppTest.from_file(DASHBOARD, default_timeout=TIMEOUT_S)
    at.run()
    done = time.time()
    print(json.dumps({"done": done, "errors": [str(e.value)[:500] for e in at.exception], "titles": [t.value for t in at.title],
                      "peak_rss_mb": peak_rss_mb()}))


def measure(url: str, root, runs: int = 3) -> dict:
    """The median of `runs` cold starts, in seconds."""
    seconds, peaks, errors = [], [], []
    env = {**os.environ, "KLYNGE_DATABASE_URL": url}
    for _ in range(runs):
        start = time.time()
        done = subprocess.run([sys.executable, "-m", "bench.coldstart"], cwd=root, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"the cold start failed:\n{done.stderr[-3000:]}")
        child = json.loads(done.stdout.strip().splitlines()[-1])
        seconds.append(child["done"] - start)
        peaks.append(child["peak_rss_mb"])
        errors += child["errors"]
    return {"seconds": statistics.median(seconds), "runs_s": seconds, "peak_rss_mb": max(peaks), "errors": sorted(set(errors))}


if __name__ == "__main__":
    _child()

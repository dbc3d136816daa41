"""bench.rss.peak_rss_mb: a child process's own peak memory, not its parent's."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.rss import peak_rss_mb

ROOT = Path(__file__).resolve().parents[1]
CHILD = "import json; from bench.rss import peak_rss_mb; print(json.dumps(peak_rss_mb()))"


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc (Linux)")
def test_a_child_started_by_a_large_process_reports_its_own_peak():
    ballast = bytearray(300 * 1024 * 1024)
    ballast[::4096] = b"\x01" * len(range(0, len(ballast), 4096))  # touch every page: resident
    assert peak_rss_mb() >= 300
    done = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT, capture_output=True, text=True, check=True)
    child = json.loads(done.stdout)
    # An interpreter that imports nothing large peaks at a few tens of MB; getrusage's
    # ru_maxrss would give this process's 300 MB and more (Linux keeps it over the exec).
    assert 0 < child < 150
    del ballast

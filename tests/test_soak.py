"""A short soak (scripts/soak.py) of a fixed amount of work: two sessions switching pages and
filters while three imports run, each import read by both sessions, with no error. It
counts work done, not what the machine manages in some seconds, so a busy machine only makes
it slower. The README gives the figures of a longer, timed run."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO_ROOT

SESSIONS, IMPORTS, RERUNS = 2, 3, 4


def test_a_short_soak_has_no_errors():
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "scripts" / "soak.py"), "--sessions", str(SESSIONS),
         "--imports", str(IMPORTS), "--reruns", str(RERUNS), "--give-up-after", "300", "--json"],
        # Only a hang guard: the soak gives up after 300 s and reports, well within it.
        capture_output=True, text=True, timeout=900, cwd=REPO_ROOT,
    )
    assert result.stdout.strip(), result.stderr[-3000:]
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["errors"] == 0, result.stderr[-3000:]
    assert summary["sessions"] == SESSIONS
    assert summary["imports"] == IMPORTS
    assert summary["fewest_reruns"] >= RERUNS
    assert result.returncode == 0

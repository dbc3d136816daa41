"""A few seconds of the soak (scripts/soak.py): sessions switching pages and filters while
imports run, with no error. The README gives the figures of a longer run."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO_ROOT


def test_a_short_soak_has_no_errors():
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "scripts" / "soak.py"), "--sessions", "2", "--seconds", "8", "--json"],
        capture_output=True, text=True, timeout=600, cwd=REPO_ROOT,
    )
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["errors"] == 0, result.stderr[-3000:]
    assert summary["imports"] >= 3 and summary["reruns"] >= 4
    assert result.returncode == 0

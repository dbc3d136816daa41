"""An import killed with SIGKILL at any moment leaves exactly the data before it (or, once
committed, the data after it), and the next import works: no half-written database, no lock
left behind. On SQLite (WAL) and PostgreSQL.

The moments do not depend on the machine's speed: the importing child process stops itself
at its Nth statement (or just before its commit), says so, and is killed there."""

from __future__ import annotations

import datetime as dt
import os
import select as selectors
import signal
import subprocess
import sys

import pytest

from klynge.store.engine import make_engine
from klynge.store.importer import import_paths
from tests.conftest import REPO_ROOT
from tests.factories import example_values, master_data, valid_orgnr, write_csv, write_reports_csv
from tests.test_import import snapshot

CHILD = """
import sys, time
from sqlalchemy import event
from klynge.store.engine import make_engine
from klynge.store.importer import import_paths

url, moment, *paths = sys.argv[1:]
engine = make_engine(url)
statements = 0

def stop(reason):
    print(reason, flush=True)
    time.sleep(600)  # until the test kills this process

@event.listens_for(engine, "after_cursor_execute")
def count(*args):
    global statements
    statements += 1
    if moment != "commit" and statements == int(moment):
        stop(f"stopped after statement {statements}")

@event.listens_for(engine, "commit")
def before_commit(conn):
    if moment == "commit":
        stop("stopped before the commit")

import_paths(engine, paths)
print("done", flush=True)
"""
# After a few statements (reading what the database holds), in the middle of the writes,
# while the derived tables are refreshed, and just before the commit.
MOMENTS = ["3", "8", "20", "commit"]


def run_child(url: str, moment: str, paths) -> str:
    """Start the import, wait until it stops at `moment` (or ends), kill it with SIGKILL;
    what it said."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    child = subprocess.Popen([sys.executable, "-c", CHILD, url, moment, *map(str, paths)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env, cwd=REPO_ROOT)
    try:
        ready, _, _ = selectors.select([child.stdout], [], [], 300)  # a hang guard, not a timing
        said = child.stdout.readline().strip() if ready else "nothing"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert said.startswith(("stopped", "done")), f"the import said {said!r}: {child.stderr.read()[-2000:]}"
    return said


@pytest.fixture
def before(engine, tmp_path):
    """A database with data, and a batch that would change much of it: new registers, new
    and replaced reports."""
    import_paths(engine, [master_data(tmp_path / "master")])
    write_reports_csv(tmp_path / "old.csv", [example_values()])
    import_paths(engine, [tmp_path / "old.csv"])
    members = [{"cluster_id": cid, "orgnr": valid_orgnr(30_000 + 100 * cid + i), "name": f"Ny {cid}-{i}",
                "member_type": "established", "core_member": True, "joined": dt.date(2022, 1, 1), "left": None}
               for cid in (1, 2) for i in range(60)]
    batch = [write_csv(tmp_path / "members.csv", members),
             write_reports_csv(tmp_path / "new.csv", [example_values(activities_organised=99),
                                                      example_values(cluster_name="Fjellhelse", report_year=2024,
                                                                     period_start="2024-01-01", period_end="2024-12-31")])]
    return engine, batch


@pytest.mark.parametrize("moment", MOMENTS)
def test_an_import_killed_at_any_moment_leaves_the_data_before_it(before, database_url, moment):
    engine, batch = before
    was = snapshot(engine)
    said = run_child(database_url, moment, batch)
    assert said.startswith("stopped"), "the import ended before the moment: choose an earlier one"
    fresh = make_engine(database_url)  # as a new process would see it
    try:
        assert snapshot(fresh) == was
        # nothing is left locked: the same import now goes through, whole
        result = import_paths(fresh, batch)
        assert (result.members_written, result.reports_new, result.reports_replaced) == (120, 1, 1)
    finally:
        fresh.dispose()


def test_an_import_killed_after_its_commit_leaves_the_data_after_it(before, database_url, tmp_path):
    engine, batch = before
    said = run_child(database_url, str(10**9), batch)  # no statement that late: it runs to its end
    assert said == "done"
    after = snapshot(engine)
    # The same batch once more, in-process, changes nothing: the killed run had written it all.
    result = import_paths(engine, batch)
    assert result.reports_unchanged == 2
    again = snapshot(engine)
    # A register is written again whole (new row ids); the rest is unchanged, row for row.
    renewed = ("import_log", "members")
    assert {name: rows for name, rows in again.items() if name not in renewed} == \
        {name: rows for name, rows in after.items() if name not in renewed}
    assert sorted(row[1:] for row in again["members"]) == sorted(row[1:] for row in after["members"])
    assert len(after["members"]) == 120

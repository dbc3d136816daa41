"""An import while dashboards read: every read sees one whole import, never a mix, and no
read fails. On SQLite in WAL mode and on PostgreSQL, with threads.

The writer imports a fixed number of versions of one batch (seven reports of two clusters
over four years, as a folder of text exports); version v carries v in every report's
`activities_organised` and `new_jobs`. Readers meanwhile ask for the reports and the level
summary, without pause until the writer is done, and check that a single version shows
through the whole answer.

The overlap does not depend on how fast the machine is: each import waits, with everything
written and not yet committed, until every reader has finished a read begun meanwhile (it
must see the version before), and after its commit until every reader has finished a read
begun after it (it must see the new version). So every reader reads during every import and
sees every version, however busy the machine; the waits' timeouts only guard against a hang.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from klynge import queries
from klynge.queries import Filter
from klynge.reports.render import encode_report, render_report
from klynge.store import schema
from klynge.store.engine import ensure_schema, make_engine
from klynge.store.importer import import_paths
from tests.factories import example_values, master_data

BATCH = [(1, 2021), (1, 2022), (1, 2023), (1, 2024), (2, 2022), (2, 2023), (2, 2024)]
NAMES = {1: "Arena Kystmat", 2: "Fjellhelse"}
FLT = Filter(clusters=(1, 2))
IMPORTS = 6  # versions 2 to 7, over version 1
READERS = 3
PATIENCE = 120.0  # seconds one thread waits for another before the test calls it hung


def write_version(folder: Path, version: int) -> Path:
    """The batch's text exports for one version, in a folder of their own."""
    out = folder / f"v{version:03d}"
    out.mkdir()
    for cluster_id, year in BATCH:
        values = example_values(cluster_name=NAMES[cluster_id], report_year=year, period_start=dt.date(year, 1, 1),
                                period_end=dt.date(year, 12, 31), activities_organised=version, new_jobs=version)
        (out / f"{cluster_id}-{year}.txt").write_bytes(encode_report(render_report(values)))
    return out


def version_in_reports(engine) -> int:
    frame = queries.reports(engine, FLT)
    assert sorted(zip(frame["cluster_id"], frame["report_year"])) == BATCH, "a report of the batch is missing"
    markers = set(frame["activities_organised"]) | set(frame["new_jobs"])
    assert len(markers) == 1, f"one read saw several versions: {sorted(markers)}"
    return int(markers.pop())


def version_in_summary(engine) -> int:
    frame = queries.level_summary(engine, FLT)
    assert frame["clusters"].sum() == len(BATCH), "a report of the batch is missing"
    # Each row sums one version's marker over its clusters.
    markers = set(frame["activities_organised"] / frame["clusters"]) | set(frame["new_jobs"] / frame["clusters"])
    assert len(markers) == 1, f"one read saw several versions: {sorted(markers)}"
    return int(markers.pop())


@pytest.fixture
def setup(database_url, tmp_path):
    """The database with master data and version 1 of the batch, and the files of the later versions."""
    engine = make_engine(database_url)
    ensure_schema(engine)
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    import_paths(engine, [master_data(tmp_path / "master"), write_version(tmp_path, 1)])
    versions = [write_version(tmp_path, v) for v in range(2, IMPORTS + 2)]
    yield engine, versions
    engine.dispose()


def test_readers_see_one_whole_import_at_a_time(setup, database_url):
    engine, versions = setup
    writer_engine = make_engine(database_url)  # the import runs apart from the dashboard's engine
    errors: list[BaseException] = []
    seen: list[list[int]] = [[] for _ in range(READERS)]  # the version each read saw, per reader
    begun = [0] * READERS  # reads begun, per reader
    written: list[int] = [1]
    while_open: list[tuple[int, list[int]]] = []  # per import: what each reader saw while it was uncommitted
    after_commit: list[tuple[int, list[int]]] = []  # and what each reader saw after its commit
    progress = threading.Condition()  # guards the lists above; notified after every read
    done = threading.Event()

    def reads_begun() -> list[int]:
        with progress:
            return list(begun)

    def next_reads(marks: list[int]) -> list[int]:
        """Wait until every reader has finished a read begun after `marks` (reads begun then);
        the versions those reads saw."""
        with progress:
            # A reader's reads follow one another: the one after `mark` began after `marks` was taken.
            finished = progress.wait_for(lambda: errors or all(len(s) > m for s, m in zip(seen, marks)), timeout=PATIENCE)
            if errors:
                raise RuntimeError("a reader failed")
            assert finished, f"the readers made no progress in {PATIENCE:.0f} s"
            return [s[m] for s, m in zip(seen, marks)]

    @event.listens_for(writer_engine, "commit")
    def hold_the_commit(_conn) -> None:
        # The import's one transaction has written everything: reads now must see the version before.
        while_open.append((written[-1] + 1, next_reads(reads_begun())))

    def write() -> None:
        try:
            next_reads([0] * READERS)  # every reader is reading version 1
            for version, folder in enumerate(versions, start=2):
                result = import_paths(writer_engine, [folder])
                assert result.reports_replaced == len(BATCH)
                written.append(version)
                after_commit.append((version, next_reads(reads_begun())))
        except BaseException as error:  # noqa: BLE001 - handed to the test thread
            errors.append(error)
        finally:
            done.set()

    def read(index: int) -> None:
        try:
            ask = (version_in_reports, version_in_summary)
            turn = index
            while not done.is_set():
                with progress:
                    begun[index] += 1
                version = ask[turn % 2](engine)
                turn += 1
                with progress:
                    seen[index].append(version)
                    progress.notify_all()
            seen[index].append(version_in_reports(engine))
        except BaseException as error:  # noqa: BLE001
            errors.append(error)
            done.set()
        finally:
            with progress:  # a writer waiting for this reader learns of its failure at once
                progress.notify_all()

    threads = [threading.Thread(target=write)] + [threading.Thread(target=read, args=(i,)) for i in range(READERS)]
    for thread in threads:
        thread.start()
    give_up = time.monotonic() + (2 * IMPORTS + 2) * PATIENCE
    for thread in threads:
        thread.join(timeout=max(0.0, give_up - time.monotonic()))
    writer_engine.dispose()
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    if errors:
        raise errors[0]

    assert written == list(range(1, IMPORTS + 2)), f"the writer did {len(written) - 1} of {IMPORTS} imports"
    last = written[-1]
    # Every import was read while uncommitted, as the version before, and after, as itself.
    assert while_open == [(v, [v - 1] * READERS) for v in written[1:]]
    assert after_commit == [(v, [v] * READERS) for v in written[1:]]
    for versions_seen in seen:
        assert versions_seen == sorted(versions_seen), "a reader went back to an older version"
        assert sorted(set(versions_seen)) == written
        assert versions_seen[-1] == last
    with engine.connect() as conn:  # every replaced version was kept
        revisions = conn.execute(select(func.count()).select_from(schema.report_revisions)).scalar_one()
    assert revisions == IMPORTS * len(BATCH)

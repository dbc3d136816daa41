"""An import while dashboards read: every read sees one whole import, never a mix, and no
read fails. On SQLite in WAL mode and on PostgreSQL, with threads.

The writer imports version after version of one batch (seven reports of two clusters over
four years, as a folder of text exports); version v carries v in every report's
`activities_organised` and `new_jobs`. Readers meanwhile ask for the reports and the level
summary and check that a single version shows through the whole answer.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

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
SECONDS = 3.0  # how long the writer keeps importing, per engine
MAX_VERSIONS = 60
READERS = 3


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
    versions = [write_version(tmp_path, v) for v in range(2, MAX_VERSIONS + 1)]
    yield engine, versions
    engine.dispose()


def test_readers_see_one_whole_import_at_a_time(setup, database_url):
    engine, versions = setup
    writer_engine = make_engine(database_url)  # the import runs apart from the dashboard's engine
    errors: list[BaseException] = []
    seen: list[list[int]] = [[] for _ in range(READERS)]
    written: list[int] = [1]
    readers_started = threading.Barrier(READERS + 1)
    done = threading.Event()

    def write() -> None:
        try:
            readers_started.wait(timeout=30)
            deadline = time.monotonic() + SECONDS
            for version, folder in enumerate(versions, start=2):
                if time.monotonic() > deadline:
                    break
                result = import_paths(writer_engine, [folder])
                assert result.reports_replaced == len(BATCH)
                written.append(version)
        except BaseException as error:  # noqa: BLE001 - handed to the test thread
            errors.append(error)
        finally:
            done.set()

    def read(index: int) -> None:
        try:
            readers_started.wait(timeout=30)
            ask = (version_in_reports, version_in_summary)
            turn = index
            while not done.is_set():
                seen[index].append(ask[turn % 2](engine))
                turn += 1
            seen[index].append(version_in_reports(engine))
        except BaseException as error:  # noqa: BLE001
            errors.append(error)
            done.set()

    threads = [threading.Thread(target=write)] + [threading.Thread(target=read, args=(i,)) for i in range(READERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=SECONDS + 60)
    writer_engine.dispose()
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    if errors:
        raise errors[0]

    last = written[-1]
    assert last >= 5, f"the writer managed only {last - 1} imports"
    for versions_seen in seen:
        assert versions_seen == sorted(versions_seen), "a reader went back to an older version"
        assert set(versions_seen) <= set(written)
        assert versions_seen[-1] == last
    distinct = set().union(*map(set, seen))
    assert len(distinct) >= 3, f"the reads did not overlap the imports: they saw {sorted(distinct)}"
    with engine.connect() as conn:  # every replaced version was kept
        revisions = conn.execute(select(func.count()).select_from(schema.report_revisions)).scalar_one()
    assert revisions == (last - 1) * len(BATCH)

"""Fresh after import: the version of the data (klynge.store.version) changes with every
import, and the dashboard's caches, keyed on it, show an import at the next rerun, on every
replica, without waiting for a TTL or clearing a cache."""

from __future__ import annotations

import pytest
import streamlit as st
from sqlalchemy import Engine, event, insert
from sqlalchemy.engine import make_url
from streamlit.testing.v1 import AppTest

from klynge.reports.model import RejectedInput
from klynge.store import schema
from klynge.store.engine import ensure_schema, make_engine
from klynge.store.importer import import_paths
from klynge.store.version import DataVersion, data_version
from klynge.ui import data
from klynge.ui import format as fmt
from klynge.ui.catalogue_nb import NB
from tests.conftest import REPO_ROOT
from tests.factories import example_values, master_data, write_reports_csv

DASHBOARD = str(REPO_ROOT / "dashboard.py")
PARTICIPANTS = NB["metric.activities_unique_participants"]


@pytest.fixture(autouse=True)
def clear_caches():
    # Between tests only: within a test, no cache is cleared.
    st.cache_data.clear()
    st.cache_resource.clear()
    yield


def import_report(engine: Engine, folder, participants: int, **values) -> None:
    """Arena Kystmat's 2023 report (a new one, or a replacement) with this many unique
    participants in its activities."""
    folder.mkdir(parents=True, exist_ok=True)
    report = example_values(activities_unique_participants=participants, **values)
    path = write_reports_csv(folder / f"kystmat-{participants}.csv", [report])
    import_paths(engine, [path])


@pytest.fixture
def seeded(engine, tmp_path):
    """The master data and one report: Arena Kystmat (arena) 2023, 310 participants."""
    import_paths(engine, [master_data(tmp_path / "master")])
    import_report(engine, tmp_path / "reports", 310)
    return engine


def replica_url(url: str) -> str:
    """Another URL for the same database, as a second replica would have its own engine and
    its own cache entries (keyed on the URL) in a process of its own."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        folder, _, name = parsed.database.rpartition("/")
        return f"sqlite:///{folder}/./{name}"
    return parsed.update_query_dict({"application_name": "replica_b"}).render_as_string(hide_password=False)


def open_app(url: str, monkeypatch) -> AppTest:
    monkeypatch.setenv("KLYNGE_DATABASE_URL", url)
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def rerun(at: AppTest, url: str, monkeypatch) -> AppTest:
    monkeypatch.setenv("KLYNGE_DATABASE_URL", url)  # the replica's own database URL
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def participants(at: AppTest) -> list[str]:
    return [m.value for m in at.metric if m.label == PARTICIPANTS]


class Statements:
    """The SQL statements every engine sends while in use."""

    def __init__(self):
        self.sent: list[str] = []

    def _seen(self, conn, cursor, statement, parameters, context, executemany):
        self.sent.append(statement)

    def __enter__(self):
        event.listen(Engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *exc):
        event.remove(Engine, "before_cursor_execute", self._seen)


# The version.

def test_data_version_changes_with_every_import_and_only_then(engine, tmp_path):
    empty = data_version(engine)
    assert empty == DataVersion(0, 0, "")
    assert data_version(engine) == empty
    hash(empty)  # a cache key

    import_paths(engine, [master_data(tmp_path / "master")])
    with_master = data_version(engine)
    assert with_master != empty and with_master.last_import == with_master.imports == 1
    assert data_version(engine) == with_master  # unchanged without an import

    import_report(engine, tmp_path / "reports", 310)
    with_report = data_version(engine)
    assert with_report not in (empty, with_master)
    assert data_version(engine) == with_report


def test_a_rejected_import_leaves_the_version_while_any_committed_one_changes_it(seeded, tmp_path):
    before = data_version(seeded)
    bad = write_reports_csv(tmp_path / "unknown.csv", [example_values(cluster_name="Ukjent Klynge")])
    with pytest.raises(RejectedInput):
        import_paths(seeded, [bad])
    assert data_version(seeded) == before  # nothing was written, nothing was logged

    # A --skip-invalid import whose every file was rejected wrote no data, but it logs
    # itself: the version moves (one needless cache miss, never a stale page).
    result = import_paths(seeded, [bad], skip_invalid=True)
    assert result.rejected_files and not result.reports_new
    after_skipped = data_version(seeded)
    assert after_skipped != before

    # So does an import of a report the database holds already.
    import_report(seeded, tmp_path / "again", 310)
    assert data_version(seeded) != after_skipped


def test_a_database_built_again_from_scratch_has_a_version_of_its_own(tmp_path):
    path = tmp_path / "rebuilt.db"

    def build() -> DataVersion:
        engine = make_engine(f"sqlite:///{path}")
        ensure_schema(engine)
        import_paths(engine, [master_data(tmp_path / "master")])
        version = data_version(engine)
        engine.dispose()
        return version

    first = build()
    for leftover in (path, path.with_name(f"{path.name}-wal"), path.with_name(f"{path.name}-shm")):
        leftover.unlink(missing_ok=True)
    second = build()
    # The same import id and count (ids start again at 1); the time tells them apart.
    assert second[:2] == first[:2] == (1, 1)
    assert second != first


def test_imports_committed_out_of_id_order_change_the_version(engine):
    if engine.dialect.name == "sqlite":
        pytest.skip("SQLite lets one writer in at a time: its ids follow the order of the commits")
    row = {"started_at": "2024-01-01T00:00:00+00:00", "status": "running", "files": []}
    with engine.connect() as slow, engine.connect() as fast:
        slow.execute(insert(schema.import_log).values(**row))  # takes the lower id, commits last
        fast.execute(insert(schema.import_log).values(**row))
        fast.commit()
        between = data_version(engine)
        slow.commit()
    after = data_version(engine)
    assert after.last_import == between.last_import  # the highest id alone would miss it
    assert after != between


# The dashboard.

def test_a_rerun_after_an_import_shows_the_new_figures(seeded, database_url, tmp_path, monkeypatch):
    at = open_app(database_url, monkeypatch)
    assert participants(at) == [fmt.integer(310)]
    import_report(seeded, tmp_path / "replacement", 420)
    rerun(at, database_url, monkeypatch)  # the same session, no cache cleared
    assert participants(at) == [fmt.integer(420)]


def test_a_rerun_with_nothing_imported_asks_the_database_for_the_version_only(seeded, database_url, monkeypatch):
    at = open_app(database_url, monkeypatch)
    with Statements() as statements:
        rerun(at, database_url, monkeypatch)
    assert participants(at) == [fmt.integer(310)]
    assert len(statements.sent) == 1 and "import_log" in statements.sent[0]


def test_every_replica_sees_an_import_made_elsewhere_at_its_next_rerun(seeded, database_url, tmp_path, monkeypatch):
    urls = {"a": database_url, "b": replica_url(database_url)}
    replicas = {name: open_app(url, monkeypatch) for name, url in urls.items()}
    assert all(participants(at) == [fmt.integer(310)] for at in replicas.values())
    assert data._engine(urls["a"]) is not data._engine(urls["b"])  # an engine of its own each

    # The import comes from elsewhere: a third engine (the CLI on another machine).
    importer = make_engine(database_url)
    try:
        import_report(importer, tmp_path / "replacement", 420)
    finally:
        importer.dispose()
    for name, at in replicas.items():
        rerun(at, urls[name], monkeypatch)
        assert participants(at) == [fmt.integer(420)], name


# What the per-run version rests on: Streamlit internals, pinned here.

def test_each_script_run_has_its_own_marker():
    """`data._this_run` relies on `ScriptRunContext.parallel_coordinator` being created
    anew for every script run (Streamlit 1.67). If this fails after an upgrade, find another
    per-run object for `_this_run`, or the version is read on every query (correct, slower)."""

    def script():
        import streamlit as st

        from klynge.ui import data

        first = data._this_run()
        st.session_state.setdefault("markers", []).append((first, data._this_run()))

    at = AppTest.from_function(script)
    at.run()
    at.run()
    (one, one_again), (two, two_again) = at.session_state["markers"]
    assert one is not None and one is one_again
    assert two is not None and two is two_again
    assert one is not two
    assert data._this_run() is None  # outside a script run


def test_the_version_is_read_once_per_script_run(seeded, database_url, monkeypatch):
    reads = []

    def counted(engine):
        reads.append(engine.url)
        return data_version(engine)

    monkeypatch.setattr(data, "data_version", counted)
    at = open_app(database_url, monkeypatch)
    assert len(reads) == 1  # though the entry point and the page read the data many times
    rerun(at, database_url, monkeypatch)
    assert len(reads) == 2

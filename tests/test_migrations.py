"""Schema migrations: schema.py is the head, upgrades keep every row and every figure, a
database made before Alembic is taken over, and ensure_schema at head does nothing.
On SQLite and PostgreSQL."""

from __future__ import annotations

import argparse

import pandas as pd
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, delete, insert, inspect, select, text, update
from sqlalchemy.exc import IntegrityError

from klynge import cli, queries
from klynge.store import migrate, schema
from klynge.store.engine import ensure_schema, make_engine
from klynge.store.importer import import_paths
from tests.factories import example_values, master_data, write_reports_csv
from tests.test_derived import kept_and_counted
from tests.test_peer_medians import assert_middles_kept

HEAD = migrate.head_revision()


@pytest.fixture
def empty(database_url):
    """An engine on an empty database (no tables, no alembic_version)."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def _year(year: int, **values):
    return example_values(report_year=year, period_start=f"{year}-01-01", period_end=f"{year}-12-31", **values)


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """A SQLite database at head filled by the importer: two clusters with periods and
    registers, six reports over four years (one inconsistent, so with warnings), and one
    report imported twice (so with a revision)."""
    folder = tmp_path_factory.mktemp("source")
    master_data(folder / "master")
    write_reports_csv(folder / "reports.csv", [
        _year(2021, activities_organised=5, funding_national_mnok="0.5"),
        _year(2022, activities_organised=10, funding_national_mnok="1.1", funding_eu_mnok="0"),
        example_values(),
        _year(2024, activities_organised=30, funding_national_mnok="2.25", members_total=99),  # warning
        example_values(cluster_name="Fjellhelse", activities_organised=7, funding_national_mnok="10.3",
                       members_total=100, members_established=80),
        _year(2024, cluster_name="Fjellhelse", new_jobs=12),
    ])
    write_reports_csv(folder / "v2.csv", [example_values(activities_organised=40)])
    engine = make_engine(f"sqlite:///{folder / 'source.db'}")
    ensure_schema(engine)
    import_paths(engine, [folder / "master", folder / "reports.csv"])
    import_paths(engine, [folder / "v2.csv"])
    yield engine
    engine.dispose()


def copy_rows(source, target) -> dict[str, int]:
    """Copy every row of `source` into the tables `target` has, with the columns it has
    (plain inserts, parents first; the rows a migration seeds, the programme's rules, are
    replaced); return how many rows each table got."""
    tables = MetaData()
    tables.reflect(target)
    counts = {}
    with source.connect() as read, target.begin() as write:
        for table in tables.sorted_tables:
            if table.name == "alembic_version":
                continue
            columns = [c.name for c in table.columns]
            rows = [dict(row) for row in read.execute(select(*schema.metadata.tables[table.name].c[*columns])).mappings()]
            if table.name == schema.programme_rules.name:
                write.execute(delete(table))
            if rows:
                write.execute(insert(table), rows)
            counts[table.name] = len(rows)
    return counts


def every_row(engine, columns_of: dict[str, list[str]] | None = None) -> dict[str, list[tuple]]:
    """Every row of every table (or of the given columns), in a stable order."""
    tables = MetaData()
    tables.reflect(engine)
    out = {}
    with engine.connect() as conn:
        for table in tables.sorted_tables:
            if table.name == "alembic_version" or (columns_of and table.name not in columns_of):
                continue
            names = columns_of[table.name] if columns_of else [c.name for c in table.columns]
            out[table.name] = sorted(tuple(map(repr, row)) for row in conn.execute(select(*table.c[*names])))
    return out


def figures(engine, at_head: bool = False) -> dict[str, pd.DataFrame]:
    """What the dashboard reads. Before 0006 the level sums come from the reports; at the
    head from `level_sums`, which 0006 fills: the two must agree."""
    summary = queries.level_summary(engine) if at_head else queries.level_summary_from_reports(engine)
    return {"reports": queries.reports(engine), "level_summary": summary}


def assert_same_figures(before: dict[str, pd.DataFrame], after: dict[str, pd.DataFrame]) -> None:
    for name in before:
        pd.testing.assert_frame_equal(after[name], before[name], check_dtype=False)


def filled_at_baseline(empty, source):
    """`empty` migrated to BASELINE and filled with the source's rows."""
    migrate.upgrade(empty, migrate.BASELINE)
    counts = copy_rows(source, empty)
    assert counts["annual_reports"] == 6 and counts["report_revisions"] == 1 and counts["report_warnings"] >= 1
    assert counts["members"] == 20 and counts["programme_periods"] == 4 and counts["clusters"] == 2
    return counts


def test_schema_py_is_the_head_of_the_migrations(empty):
    migrate.upgrade(empty)
    with empty.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), schema.metadata)
    assert differences == []
    assert migrate.current_revision(empty) == HEAD


def test_the_migrations_form_one_numbered_line_from_the_baseline():
    script = migrate.script_directory()
    line = [item.revision for item in reversed(list(script.walk_revisions()))]
    assert script.get_heads() == [HEAD] and line[0] == migrate.BASELINE == "0001" and line[-1] == HEAD
    assert line == [f"{number:04d}" for number in range(1, len(line) + 1)]
    assert all(path.name.startswith(path.name[:4] + "_") and path.name[:4] in line
               for path in (migrate.MIGRATIONS_DIR / "versions").glob("*.py"))


def test_upgrading_a_filled_baseline_database_keeps_every_row_and_figure(empty, source):
    filled_at_baseline(empty, source)
    baseline_columns = _columns(empty)
    rows_before, figures_before = every_row(empty), figures(empty)
    assert len(figures_before["reports"]) == 6

    migrate.upgrade(empty)

    assert migrate.current_revision(empty) == HEAD
    assert every_row(empty, baseline_columns) == rows_before
    assert_same_figures(figures_before, figures(empty, at_head=True))
    with empty.connect() as conn:  # 0002: the import of a version kept before is unknown
        assert conn.execute(select(schema.report_revisions.c.import_id)).scalars().all() == [None]
    assert_registers_counted(empty)
    assert_middles_kept(empty)  # 0013: created empty, filled at head


def assert_registers_counted(engine) -> None:
    """0005: every register is counted for the years of the reports, as the importer would count it."""
    kept, live = kept_and_counted(engine)
    assert kept == live and len(kept) > 0


def test_downgrading_to_the_baseline_and_up_again_keeps_every_row(empty, source):
    filled_at_baseline(empty, source)
    migrate.upgrade(empty)
    rows_at_head, figures_at_head = every_row(empty), figures(empty, at_head=True)
    migrate.downgrade(empty, migrate.BASELINE)
    assert "import_id" not in _columns(empty)["report_revisions"]
    migrate.upgrade(empty)
    assert every_row(empty) == rows_at_head
    assert_same_figures(figures_at_head, figures(empty, at_head=True))


def test_a_database_made_before_alembic_is_stamped_and_upgraded(empty, source):
    # Migration 0001 creates exactly what `metadata.create_all` created before Alembic
    # (checked against commit 8a413c9 with pg_dump and sqlite_master when it was written),
    # so a baseline database without its version table is such a database.
    filled_at_baseline(empty, source)
    with empty.begin() as conn:
        conn.execute(text("DROP TABLE alembic_version"))
    assert migrate.current_revision(empty) is None
    baseline_columns = _columns(empty)
    rows_before, figures_before = every_row(empty), figures(empty)

    ensure_schema(empty)

    assert migrate.current_revision(empty) == HEAD
    assert every_row(empty, baseline_columns) == rows_before
    assert_same_figures(figures_before, figures(empty, at_head=True))
    with empty.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), schema.metadata) == []


def test_ensure_schema_creates_everything_once_and_then_only_reads_the_version(empty, source, monkeypatch):
    ensure_schema(empty)
    assert migrate.current_revision(empty) == HEAD
    copy_rows(source, empty)
    rows, columns = every_row(empty), _columns(empty)

    def no_upgrade(*args, **kwargs):
        raise AssertionError("ensure_schema migrated a database already at head")

    monkeypatch.setattr(migrate, "upgrade", no_upgrade)
    ensure_schema(empty)
    ensure_schema(empty)
    assert every_row(empty) == rows and _columns(empty) == columns


def test_revisions_remember_the_import_that_wrote_them(empty, tmp_path):
    ensure_schema(empty)
    master_data(tmp_path / "master")
    write_reports_csv(tmp_path / "v1.csv", [example_values()])
    write_reports_csv(tmp_path / "v2.csv", [example_values(activities_organised=40)])
    import_paths(empty, [tmp_path / "master", tmp_path / "v1.csv"])
    with empty.connect() as conn:
        first_import = conn.execute(select(schema.annual_reports.c.import_id)).scalar_one()
    import_paths(empty, [tmp_path / "v2.csv"])
    with empty.connect() as conn:
        revision = conn.execute(select(schema.report_revisions)).mappings().one()
        current_import = conn.execute(select(schema.annual_reports.c.import_id)).scalar_one()
    assert revision["import_id"] == first_import != current_import
    assert revision["report_values"]["activities_organised"] == 23


def test_a_database_migrated_by_a_newer_klynge_is_refused(empty):
    ensure_schema(empty)
    with empty.begin() as conn:
        conn.execute(update(_version_table(empty)).values(version_num="9999"))
    with pytest.raises(RuntimeError, match="newer Klynge"):
        ensure_schema(empty)


def test_cli_init_creates_the_schema_through_the_migrations(database_url):
    assert cli.cmd_init(argparse.Namespace(database=database_url, empty=True)) == 0
    engine = make_engine(database_url)
    try:
        assert migrate.current_revision(engine) == HEAD
    finally:
        engine.dispose()


def test_a_failed_migration_on_sqlite_leaves_nothing_behind(tmp_path):
    """pysqlite runs DDL outside transactions unless told; the migration run must not."""
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with pytest.raises(ZeroDivisionError):
        with migrate._migration_transaction(engine) as conn:
            conn.execute(text("CREATE TABLE half_done (id INTEGER)"))
            1 / 0
    assert not inspect(engine).has_table("half_done")
    with engine.connect() as conn:  # and the pooled connection has its foreign keys back on
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def _columns(engine) -> dict[str, list[str]]:
    found = inspect(engine)
    return {name: [c["name"] for c in found.get_columns(name)] for name in found.get_table_names() if name != "alembic_version"}


def _version_table(engine):
    tables = MetaData()
    tables.reflect(engine, only=["alembic_version"])
    return tables.tables["alembic_version"]


def test_0008_removes_duplicated_memberships_and_forbids_them(empty, source):
    migrate.upgrade(empty, "0007")
    copy_rows(source, empty)
    members = schema.members
    with empty.begin() as conn:  # what two racing imports left before 0008: the same memberships twice
        rows = [dict(row) for row in conn.execute(select(members)).mappings()]
        top = max(row["id"] for row in rows)
        conn.execute(insert(members), [{**row, "id": top + index + 1} for index, row in enumerate(rows)])
    migrate.upgrade(empty)
    with empty.connect() as conn:
        kept = sorted(conn.execute(select(members.c.id)).scalars())
    assert kept == sorted(row["id"] for row in rows)  # the first of each
    with pytest.raises(IntegrityError), empty.begin() as conn:
        conn.execute(insert(members).values({**rows[0], "id": top + 10_000}))

"""The tables derived at import (`klynge.store.derived`) always say what their definitions
say over the imported rows, after every kind of import, on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest
from sqlalchemy import func, select

from klynge import qualification, queries
from klynge.domain import JUMP_FIELDS
from klynge.queries import Filter
from klynge.store import derived
from klynge.store.importer import import_paths, load_demo
from tests.factories import example_values, master_data, write_csv, write_reports_csv
from tests.test_peer_medians import assert_middles_kept


def kept_and_counted(engine) -> tuple[list, list]:
    """The registers kept in `register_years`, and as `derived.counted` counts them for the
    years the reports cover (which `covered_years` must be)."""
    with engine.connect() as conn:
        kept = sorted(conn.execute(select(*derived.Y.c[*derived.COUNT_COLUMNS])).all())
        years = conn.execute(select(func.min(derived.R.c.report_year), func.max(derived.R.c.report_year))).one()
        assert derived.covered_years(conn) == (None if years[0] is None else tuple(years))
        live = sorted(conn.execute(derived.counted(*years)).all()) if years[0] is not None else []
    return kept, live


def assert_kept(engine) -> None:
    kept, live = kept_and_counted(engine)
    assert kept == live
    for flt in (Filter(), Filter(years=(2023, 2023))):
        pd.testing.assert_frame_equal(queries.register_counts(engine, flt), queries.register_counts_from_members(engine, flt),
                                      check_dtype=False)
    for flt in (Filter(), Filter(years=(2023, 2023))):
        pd.testing.assert_frame_equal(queries.level_summary(engine, flt), queries.level_summary_from_reports(engine, flt),
                                      check_dtype=False)
    assert_beside_register(engine, Filter(years=(2023, 2023)))
    assert_changes_kept(engine)
    assert_quality_searches_kept(engine)
    assert_middles_kept(engine)


def assert_beside_register(engine, flt: Filter) -> None:
    """The register's counts with the year's report and the master data beside them, read in
    one statement, are the counts, the reports and the clusters read apart and joined."""
    extra = qualification.BESIDE_REGISTER
    beside = queries.register_counts(engine, flt, extra)
    reports = queries.reports(engine, flt, columns=qualification.REPORT_FIELDS)[["cluster_id", *qualification.REPORT_FIELDS]]
    master = queries.clusters(engine, flt)[["cluster_id", "brand", "esca_label", "esca_year"]]
    apart = queries.register_counts(engine, flt).merge(reports, on="cluster_id", how="left").merge(master, on="cluster_id", how="left")
    pd.testing.assert_frame_equal(beside, apart[beside.columns], check_dtype=False)
    pd.testing.assert_frame_equal(beside, queries.register_counts_from_members(engine, flt, extra), check_dtype=False)
    assert beside["partners_total"].notna().sum() == beside["reported"].sum()  # a report's fields where there is one


def assert_quality_searches_kept(engine) -> None:
    """`register_mismatches` and `suspect_member_names` hold what their definitions find, and
    the searches that read them answer as the searches through every row."""
    from klynge.encoding import MOJIBAKE_LEADS

    with engine.connect() as conn:
        assert sorted(conn.execute(select(derived.MM)).all()) == sorted(conn.execute(derived.mismatched()).all())
        assert sorted(conn.execute(select(derived.SN)).all()) == sorted(conn.execute(derived.suspects()).all())
    for flt in (Filter(), Filter(years=(2023, 2023)), Filter(levels=("arena",))):
        pd.testing.assert_frame_equal(queries.register_differences(engine, flt),
                                      queries.register_differences(engine, flt, kept=False), check_dtype=False)
        pd.testing.assert_frame_equal(queries.member_register(engine, flt, suspect_names=True),
                                      queries.member_register(engine, flt, name_contains=tuple(MOJIBAKE_LEADS)),
                                      check_dtype=False)


def assert_changes_kept(engine) -> None:
    """`year_changes` holds what `derived.changed` finds in the reports, and the jump search
    reads the same candidates from it as from the reports, for factors kept and not."""
    with engine.connect() as conn:
        kept = sorted(conn.execute(select(derived.J.c.report_id, derived.J.c.field, derived.J.c.before_id,
                                          derived.J.c.change)).all())
        live = sorted(conn.execute(derived.changed()).all())
    assert [row[:3] for row in kept] == [row[:3] for row in live]
    assert [round(row[3], 9) for row in kept] == [round(float(row[3]), 9) for row in live]
    for factor, flt in itertools.product((2.0, 3.0, 10.0, 1.5), (Filter(), Filter(levels=("arena",), years=(2021, 2024)))):
        pd.testing.assert_frame_equal(queries.jump_candidates(engine, flt, JUMP_FIELDS, factor),
                                      queries.jump_candidates_from_reports(engine, flt, JUMP_FIELDS, factor),
                                      check_dtype=False, obj=f"{factor} {flt!r}")


@pytest.fixture
def demo(engine):
    load_demo(engine)
    return engine


def test_demo_registers_are_counted(demo):
    assert_kept(demo)
    with demo.connect() as conn:
        assert len(conn.execute(select(derived.Y)).all()) > 200


def test_beside_the_register_only_report_fields_and_master_data(demo):
    for name in ("no_such_field", "id", "name"):
        with pytest.raises(ValueError, match=f"not a report field or master data of a cluster: {name}"):
            queries.register_counts(demo, Filter(years=(2023, 2023)), (name,))


LEVELS = [(), ("arena",), ("arena_pro", "moden"), ("utenfor",)]
YEARS = [None, (2019, 2019), (2021, 2024), (2025, 2030)]
REGIONS = [(), ("Vestland",), ("Oslo", "Viken", "Agder")]
SECTORS = [(), ("Helse",), ("Energi", "Sjømat")]


def test_level_sums_add_up_to_the_reports_for_every_filter(demo):
    for levels, years, regions, sectors in itertools.product(LEVELS, YEARS, REGIONS, SECTORS):
        flt = Filter(levels=levels, years=years, regions=regions, sectors=sectors)
        kept, live = queries.level_summary(demo, flt), queries.level_summary_from_reports(demo, flt)
        pd.testing.assert_frame_equal(kept, live, check_dtype=False, obj=repr(flt))
    assert queries.level_summary(demo)["clusters"].sum() == len(queries.report_keys(demo)) > 200  # one per report


def test_a_filter_of_clusters_sums_their_reports(demo):
    flt = Filter(clusters=(1, 2, 3), years=(2021, 2023))
    summary = queries.level_summary(demo, flt)
    assert summary["clusters"].sum() == len(queries.reports(demo, flt))


def test_the_kept_tables_follow_every_import(engine, tmp_path):
    master = master_data(tmp_path / "master")
    write_reports_csv(tmp_path / "reports.csv", [
        example_values(report_year=2022, period_start="2022-01-01", period_end="2022-12-31"),
        example_values(report_year=2023),
        example_values(cluster_name="Fjellhelse", report_year=2023, members_total=100, members_established=80),
    ])
    import_paths(engine, [master, tmp_path / "reports.csv"])
    assert_kept(engine)
    before = queries.level_summary(engine, Filter(years=(2023, 2023))).set_index("level")
    assert before.loc["arena", "clusters"] == 1 and before.loc["arena_pro", "members_established"] == 80

    # Cluster 1 becomes Arena Pro from 2023 and moves county: the sums move with it.
    folder = tmp_path / "changes"
    folder.mkdir()
    write_csv(folder / "periods.csv", [
        {"cluster_id": 1, "level": "arena", "first_year": 2021, "last_year": 2022, "brand": ""},
        {"cluster_id": 1, "level": "arena_pro", "first_year": 2023, "last_year": 2028, "brand": ""},
    ])
    clusters = pd.read_csv(master / "clusters.csv", dtype=str, keep_default_na=False)
    clusters.loc[clusters["cluster_id"] == "1", "region"] = "Rogaland"
    clusters[clusters["cluster_id"] == "1"].to_csv(folder / "clusters.csv", index=False)
    import_paths(engine, [folder / "clusters.csv", folder / "periods.csv"])
    assert_kept(engine)
    after = queries.level_summary(engine, Filter(years=(2023, 2023))).set_index("level")
    assert list(after.index) == ["arena_pro"] and after.loc["arena_pro", "clusters"] == 2
    assert queries.level_summary(engine, Filter(regions=("Rogaland",)))["clusters"].sum() == 2

    # A replaced report, and a new one: the sums and registers follow.
    write_reports_csv(folder / "reports.csv", [
        example_values(report_year=2023, activities_organised=99),
        example_values(report_year=2024, period_start="2024-01-01", period_end="2024-12-31"),
    ])
    import_paths(engine, [folder / "reports.csv"])
    assert_kept(engine)
    summary = queries.level_summary(engine, Filter(regions=("Rogaland",))).set_index("report_year")
    assert summary.loc[2023, "activities_organised"] == 99 and summary.loc[2024, "clusters"] == 1
    # 2022's report had the example's activities; 99 in 2023 is a change kept (and found again
    # from the 2024 report, which has the example's figure back).
    organised = example_values()["activities_organised"]
    with engine.connect() as conn:
        changes = {(row.field, round(row.change, 6)) for row in conn.execute(select(derived.J))}
    assert ("activities_organised", round(99 / organised, 6)) in changes


def test_register_mismatches_and_suspect_names_follow_imports(engine, tmp_path):
    master = master_data(tmp_path / "master")
    # Fjellhelse reports 80 established members in 2023; its register holds 5 (one left in 2022).
    write_reports_csv(tmp_path / "reports.csv", [
        example_values(cluster_name="Fjellhelse", report_year=2023, members_total=100, members_established=80)])
    import_paths(engine, [master, tmp_path / "reports.csv"])
    assert_quality_searches_kept(engine)
    assert queries.register_differences(engine)["cluster"].tolist() == ["Fjellhelse"]
    assert queries.member_register(engine, suspect_names=True).empty

    # A register read with the wrong encoding: its garbled name is kept as suspect, then gone
    # when the register is imported again as UTF-8.
    members = pd.read_csv(master / "members.csv", dtype=str, keep_default_na=False)
    garbled = members[members["cluster_id"] == "2"].copy()
    garbled.loc[garbled.index[1], "name"] = "SÃ¸lvtindberg AS"  # the first left in 2022
    folder = tmp_path / "garbled"
    folder.mkdir()
    garbled.to_csv(folder / "members.csv", index=False)
    import_paths(engine, [folder / "members.csv"])
    assert_quality_searches_kept(engine)
    assert queries.member_register(engine, suspect_names=True)["name"].tolist() == ["SÃ¸lvtindberg AS"]
    fixed = tmp_path / "fixed"
    fixed.mkdir()
    members[members["cluster_id"] == "2"].to_csv(fixed / "members.csv", index=False)
    import_paths(engine, [fixed / "members.csv"])
    assert_quality_searches_kept(engine)
    assert queries.member_register(engine, suspect_names=True).empty

"""Importing: master data, reports from tables, atomicity, revisions, unknown clusters."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from klynge import queries
from klynge.reports.model import RejectedInput
from klynge.store import schema
from klynge.store.importer import count_rows, import_paths
from tests.factories import example_values, master_data, write_csv, write_reports_csv


def snapshot(engine) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order."""
    with engine.connect() as conn:
        return {
            table.name: sorted((tuple(map(repr, row)) for row in conn.execute(select(table))))
            for table in schema.metadata.sorted_tables
        }


@pytest.fixture
def seeded(engine, tmp_path):
    """Master data plus three reports: cluster 1 in 2020 (under its former name) and 2023,
    cluster 2 in 2023."""
    master_data(tmp_path / "master")
    write_reports_csv(tmp_path / "reports.csv", [
        example_values(),
        example_values(cluster_name="Kystmat Nettverk", report_year=2020, members_total=60,
                       period_start="2020-01-01", period_end="2020-12-31"),
        example_values(cluster_name="Fjellhelse", leader_name="Ola Nordmann", funding_national_mnok="10.25"),
    ])
    result = import_paths(engine, [tmp_path / "master", tmp_path / "reports.csv"])
    assert result.reports_new == 3
    return engine


def test_master_data_and_reports_land_with_their_levels(seeded):
    frame = queries.reports(seeded)
    frame["brand"] = frame["brand"].fillna("")
    got = {(row.cluster_id, row.report_year): (row.cluster, row.level, row.brand) for row in frame.itertuples()}
    assert got == {
        (1, 2020): ("Arena Kystmat", "tidligfase", ""),
        (1, 2023): ("Arena Kystmat", "arena", ""),
        (2, 2023): ("Fjellhelse", "arena_pro", "NCE"),
    }
    counts = count_rows(seeded)
    assert counts["clusters"] == 2 and counts["programme_periods"] == 4 and counts["members"] == 20


def test_a_years_rows_are_written_side_by_side(seeded):
    """The file gave cluster 1's reports first (2023, then 2020); a year's reports are
    written together all the same, and so is a year of the registers counted at import, so
    that a page reading a year reads rows that lie together on disk."""
    reports = schema.annual_reports
    on_disk = "rowid" if seeded.dialect.name == "sqlite" else "ctid"
    with seeded.connect() as conn:
        written = conn.execute(select(reports.c.report_year, reports.c.cluster_id).order_by(reports.c.id)).all()
        register_years = conn.execute(text(f"SELECT year FROM register_years ORDER BY {on_disk}")).scalars().all()
    assert [tuple(row) for row in written] == [(2020, 1), (2023, 1), (2023, 2)]
    assert register_years == sorted(register_years) and len(set(register_years)) > 1


def test_inconsistent_report_is_imported_with_its_warnings_stored(seeded):
    warnings = queries.warnings(seeded)
    # The 2020 report says 60 members in total, but its members by type add up to 54.
    assert list(warnings["report_year"]) == [2020]
    assert warnings.iloc[0]["field"] == "members_total"
    assert warnings.iloc[0]["message"] == "members by type add up to 54, not to the total of 60"


def test_a_batch_with_one_bad_file_writes_nothing(seeded, tmp_path):
    before = snapshot(seeded)
    write_reports_csv(tmp_path / "good.csv", [example_values(report_year=2024)])
    write_reports_csv(tmp_path / "bad.csv", [example_values(report_year=2025, new_jobs="-4", steering_women="tre")])
    with pytest.raises(RejectedInput) as caught:
        import_paths(seeded, [tmp_path / "good.csv", tmp_path / "bad.csv"])
    problems = {(p.file.rsplit("/", 1)[-1], p.line, p.field) for p in caught.value.problems}
    assert problems == {("bad.csv", 2, "new_jobs"), ("bad.csv", 2, "steering_women")}
    assert snapshot(seeded) == before


def test_skip_invalid_imports_the_good_files_and_lists_the_rest(seeded, tmp_path):
    write_reports_csv(tmp_path / "good.csv", [example_values(report_year=2024)])
    write_reports_csv(tmp_path / "bad.csv", [example_values(report_year=2025, period_end="31.02.2025")])
    result = import_paths(seeded, [tmp_path / "good.csv", tmp_path / "bad.csv"], skip_invalid=True)
    assert result.reports_new == 1
    assert [p.field for p in result.rejected] == ["period_end"]
    assert result.rejected_files == [str(tmp_path / "bad.csv")]
    assert sorted(queries.reports(seeded)["report_year"]) == [2020, 2023, 2023, 2024]


def test_a_new_version_replaces_the_report_and_keeps_the_old_one_as_a_revision(seeded, tmp_path):
    write_reports_csv(tmp_path / "v2.csv", [example_values(activities_organised=40)])
    result = import_paths(seeded, [tmp_path / "v2.csv"])
    assert (result.reports_new, result.reports_replaced, result.reports_unchanged) == (0, 1, 0)
    current = queries.cluster_history(seeded, 1).set_index("report_year")
    assert current.loc[2023, "activities_organised"] == 40
    assert current.loc[2023, "source_file"] == str(tmp_path / "v2.csv")
    with seeded.connect() as conn:
        revisions = conn.execute(select(schema.report_revisions)).mappings().all()
    assert len(revisions) == 1
    assert revisions[0]["report_values"]["activities_organised"] == 23
    assert revisions[0]["source_file"] == str(tmp_path / "reports.csv")
    assert revisions[0]["replaced_by_file"] == str(tmp_path / "v2.csv")
    assert revisions[0]["replaced_at"] is not None


def test_importing_the_same_file_twice_changes_nothing(seeded, tmp_path):
    write_reports_csv(tmp_path / "v2.csv", [example_values(activities_organised=40)])
    import_paths(seeded, [tmp_path / "v2.csv"])
    before = snapshot(seeded)
    result = import_paths(seeded, [tmp_path / "v2.csv"])
    assert (result.reports_new, result.reports_replaced, result.reports_unchanged) == (0, 0, 1)
    after = snapshot(seeded)
    del before["import_log"], after["import_log"]
    assert after == before


def test_unknown_cluster_is_rejected_with_a_hint(seeded, tmp_path):
    write_reports_csv(tmp_path / "r.csv", [example_values(cluster_name="Arena Kystmatt", report_year=2024)])
    with pytest.raises(RejectedInput) as caught:
        import_paths(seeded, [tmp_path / "r.csv"])
    [problem] = caught.value.problems
    assert (problem.line, problem.field) == (2, "cluster_name")
    assert "Did you mean 'Arena Kystmat'?" in problem.message
    assert "--create-missing" in problem.message


def test_create_missing_creates_the_cluster_at_that_level(seeded, tmp_path):
    write_reports_csv(tmp_path / "r.csv", [
        example_values(cluster_name="Ny Klynge", report_year=2023),
        example_values(cluster_name="Ny Klynge", report_year=2024),
    ])
    result = import_paths(seeded, [tmp_path / "r.csv"], create_missing="arena")
    assert result.clusters_created == ["Ny Klynge (id 3)"]
    history = queries.cluster_history(seeded, 3)
    assert list(zip(history["report_year"], history["level"])) == [(2023, "arena"), (2024, "arena")]
    assert len(queries.periods(seeded, queries.Filter(clusters=(3,)))) == 1


def test_master_data_problems_name_file_line_and_field(engine, tmp_path):
    master_data(tmp_path)
    write_csv(tmp_path / "periods.csv", [
        {"cluster_id": 1, "level": "arena", "first_year": 2021, "last_year": 2023, "brand": ""},
        {"cluster_id": 1, "level": "arena_pro", "first_year": 2023, "last_year": 2027, "brand": ""},
        {"cluster_id": 9, "level": "arena", "first_year": 2021, "last_year": 2023, "brand": ""},
        {"cluster_id": 2, "level": "superklynge", "first_year": 2021, "last_year": 2023, "brand": "XYZ"},
    ])
    write_csv(tmp_path / "members.csv", [
        {"cluster_id": 1, "orgnr": "123456789", "name": "Feil AS", "member_type": "established",
         "core_member": "true", "joined": "2021-01-01", "left": ""},
    ])
    with pytest.raises(RejectedInput) as caught:
        import_paths(engine, [tmp_path])
    found = {(p.file.rsplit("/", 1)[-1], p.line, p.field) for p in caught.value.problems}
    assert found == {
        ("members.csv", 2, "orgnr"),
        ("periods.csv", 5, "level"),
        ("periods.csv", 5, "brand"),
        ("periods.csv", 3, "first_year"),
        ("periods.csv", 4, "cluster_id"),
    }
    assert count_rows(engine)["clusters"] == 0


def test_renaming_a_cluster_keeps_its_old_name_for_old_reports(seeded, tmp_path):
    write_csv(tmp_path / "clusters.csv", [{"cluster_id": 1, "name": "Kystmat Arena Pro", "region": "Vestland", "sector": "Sjømat"}])
    import_paths(seeded, [tmp_path / "clusters.csv"])
    write_reports_csv(tmp_path / "r.csv", [example_values(cluster_name="Arena Kystmat", report_year=2021)])
    import_paths(seeded, [tmp_path / "r.csv"])
    history = queries.cluster_history(seeded, 1)
    assert list(history["report_year"]) == [2020, 2021, 2023]
    assert set(history["cluster"]) == {"Kystmat Arena Pro"}


def test_the_same_report_twice_in_a_batch_with_different_figures_is_rejected(seeded, tmp_path):
    write_reports_csv(tmp_path / "a.csv", [example_values(report_year=2024)])
    write_reports_csv(tmp_path / "b.csv", [example_values(report_year=2024, new_jobs=99)])
    with pytest.raises(RejectedInput) as caught:
        import_paths(seeded, [tmp_path / "a.csv", tmp_path / "b.csv"])
    assert [(p.file.rsplit("/", 1)[-1], p.field) for p in caught.value.problems] == [("b.csv", "report_year")]


def test_kroner_written_into_an_mnok_field_are_a_warning_with_the_mnok_value(seeded, tmp_path):
    write_reports_csv(tmp_path / "kroner.csv", [example_values(report_year=2024, period_start="2024-01-01", period_end="2024-12-31",
                                                               funding_national_mnok="4 500 000",
                                                               funding_eu_mnok="999,9")])
    result = import_paths(seeded, [tmp_path / "kroner.csv"])
    assert [(w.field, w.line) for w in result.warnings] == [("funding_national_mnok", 2)]
    stored = queries.warnings(seeded, queries.Filter(years=(2024, 2024))).iloc[0]
    assert (stored["field"], stored["code"], stored["params"]) == ("funding_national_mnok", "money_in_kroner",
                                                                   {"value": 4500000.0, "suggested": 4.5})
    assert stored["message"] == "4500000 MNOK looks like kroner, not millions: did the report mean 4.5 MNOK?"


def test_sums_beyond_an_integer_column_are_kept(seeded, tmp_path):
    """Each count fits an integer column; their sum in the kept level sums may not (it did
    not on PostgreSQL): the sums are 64-bit."""
    big = 2_000_000_000
    # both clusters in one county and sector, so both reports land in one row of sums
    write_csv(tmp_path / "moved.csv", [{"cluster_id": 2, "name": "Fjellhelse", "region": "Vestland", "sector": "Sjømat"}])
    write_reports_csv(tmp_path / "big.csv", [
        example_values(report_year=2024, period_start="2024-01-01", period_end="2024-12-31", activities_unique_participants=big),
        example_values(cluster_name="Fjellhelse", report_year=2024, period_start="2024-01-01", period_end="2024-12-31",
                       activities_unique_participants=big),
    ])
    import_paths(seeded, [tmp_path / "moved.csv", tmp_path / "big.csv"])
    summary = queries.level_summary(seeded, queries.Filter(years=(2024, 2024)))
    assert summary[["level", "clusters", "activities_unique_participants"]].values.tolist() == [["arena_pro", 2, 2 * big]]


def test_a_membership_listed_twice_is_named_at_both_lines(seeded, tmp_path):
    rows = [{"cluster_id": 1, "orgnr": "974760673", "name": "A", "member_type": "established",
             "core_member": "true", "joined": joined, "left": ""} for joined in ("2020-01-01", "2021-01-01", "2020-01-01")]
    rows.append({**rows[0], "cluster_id": 2})  # the same organisation in another cluster's register is no duplicate
    path = write_csv(tmp_path / "members.csv", rows)
    with pytest.raises(RejectedInput) as error:
        import_paths(seeded, [path])
    assert [(p.line, p.field, p.message) for p in error.value.problems] == [(4, "orgnr", "this membership is already on line 2")]

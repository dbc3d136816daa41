"""The read API: exact values over a small hand-made database, on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from klynge import metrics, queries
from klynge.domain import MEMBER_TYPES
from klynge.queries import Filter
from klynge.store.importer import import_paths, load_demo
from tests.factories import example_values, master_data, valid_orgnr, write_reports_csv
from tests.test_derived import kept_and_counted


@pytest.fixture
def db(engine, tmp_path):
    master_data(tmp_path / "master")
    write_reports_csv(tmp_path / "reports.csv", [
        # cluster 1: tidligfase 2020, arena 2021-2023, arena_pro 2024-
        example_values(report_year=2022, period_start="2022-01-01", period_end="2022-12-31",
                       activities_organised=10, funding_national_mnok="1.1", funding_eu_mnok="0"),
        example_values(report_year=2023),  # 23 activities, 4.5 + 1.2 MNOK
        example_values(report_year=2024, period_start="2024-01-01", period_end="2024-12-31",
                       activities_organised=30, funding_national_mnok="2.25"),
        # cluster 2: arena_pro (NCE) 2022-2025
        example_values(cluster_name="Fjellhelse", report_year=2023, activities_organised=7,
                       funding_national_mnok="10.3", members_total=100, members_established=80),
    ])
    import_paths(engine, [tmp_path / "master", tmp_path / "reports.csv"])
    return engine


def _by(frame, *keys):
    return {tuple(row[k] for k in keys): row for _, row in frame.iterrows()}


def test_level_summary_sums_per_level_and_year(db):
    summary = _by(queries.level_summary(db), "report_year", "level")
    assert set(summary) == {(2022, "arena"), (2023, "arena"), (2023, "arena_pro"), (2024, "arena_pro")}
    assert summary[(2023, "arena")]["clusters"] == 1
    assert summary[(2023, "arena")]["activities_organised"] == 23
    assert summary[(2023, "arena_pro")]["members_total"] == 100
    assert summary[(2023, "arena_pro")]["members_established"] == 80
    assert summary[(2024, "arena_pro")]["activities_organised"] == 30
    assert summary[(2024, "arena_pro")]["funding_national_mnok"] == pytest.approx(2.25)
    assert summary[(2022, "arena")]["funding_eu_mnok"] == 0


def test_level_summary_adds_up_clusters_of_one_level(db):
    # In 2023 both clusters together, when the level filter is dropped and years are fixed.
    frame = queries.level_summary(db, Filter(years=(2023, 2023)))
    assert frame["clusters"].sum() == 2
    assert frame["activities_organised"].sum() == 30
    assert frame["funding_national_mnok"].sum() == pytest.approx(14.8)


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (Filter(), {(1, 2022), (1, 2023), (1, 2024), (2, 2023)}),
        (Filter(levels=("arena",)), {(1, 2022), (1, 2023)}),
        (Filter(levels=("arena_pro",)), {(1, 2024), (2, 2023)}),
        (Filter(years=(2023, 2024)), {(1, 2023), (1, 2024), (2, 2023)}),
        (Filter(regions=("Innlandet",)), {(2, 2023)}),
        (Filter(sectors=("Sjømat",)), {(1, 2022), (1, 2023), (1, 2024)}),
        (Filter(clusters=(2,)), {(2, 2023)}),
        (Filter(levels=("moden",)), set()),
    ],
)
def test_filters_select_reports(db, flt, expected):
    frame = queries.reports(db, flt)
    assert set(zip(frame["cluster_id"], frame["report_year"])) == expected


def test_reports_carry_every_canonical_field(db):
    from klynge.reports.fields import FIELD_NAMES

    frame = queries.reports(db)
    assert set(FIELD_NAMES) <= set(frame.columns)
    row = frame[(frame.cluster_id == 1) & (frame.report_year == 2023)].iloc[0]
    assert row["story_societal_goals"] == ["Redusert avfall og økt gjenvinning", "Reduserte klimagassutslipp"]
    assert row["funding_national_mnok"] == pytest.approx(4.5)


def test_register_counts_follow_joined_and_left(db):
    counts = _by(queries.register_counts(db, Filter(years=(2023, 2023))), "cluster_id")
    # Member 0 (established) left at the end of 2022; R&D and public joined in June 2023.
    assert counts[(1,)]["members_established"] == 5
    assert counts[(1,)]["members_startup"] == 2
    assert counts[(1,)]["members_rnd"] == 1 and counts[(1,)]["members_public"] == 1
    assert counts[(1,)]["members_total"] == 9
    assert counts[(1,)]["core_members"] == 5
    assert counts[(1,)]["level"] == "arena"
    early = _by(queries.register_counts(db, Filter(years=(2022, 2022))), "cluster_id")
    assert early[(1,)]["members_total"] == 8 and early[(1,)]["members_rnd"] == 0


def test_member_register_lists_members_active_in_the_years(db):
    register = queries.member_register(db, Filter(clusters=(1,), years=(2023, 2023)))
    assert len(register) == 9
    assert set(register["level"]) == {"arena"}
    register = queries.member_register(db, Filter(clusters=(1,), years=(2021, 2023)))
    assert len(register) == 10


def test_cluster_history_and_periods(db):
    history = queries.cluster_history(db, 1)
    assert list(zip(history["report_year"], history["level"])) == [(2022, "arena"), (2023, "arena"), (2024, "arena_pro")]
    periods = queries.periods(db, Filter(clusters=(1,)))
    assert list(periods["level"]) == ["tidligfase", "arena", "arena_pro"]


def test_register_by_report_counts_types_in_the_report_year(db):
    frame = queries.register_by_report(db, Filter(clusters=(1,), years=(2023, 2023)))
    assert len(frame) == 1  # one row per report, a column per type
    counts = {t.code: int(frame.iloc[0][t.report_field]) for t in MEMBER_TYPES}
    assert {code: n for code, n in counts.items() if n} == {"established": 5, "startup": 2, "rnd": 1, "public": 1}


def test_register_counts_kept_at_import_follow_new_members_and_reports(db, tmp_path):
    kept, live = kept_and_counted(db)
    assert kept == live and [(row.cluster_id, row.year) for row in kept] == [(1, 2022), (1, 2023), (1, 2024), (2, 2022), (2, 2023), (2, 2024)]
    # A new register for cluster 1 (one startup joins in 2024, the R&D member leaves in 2023) ...
    members = pd.read_csv(tmp_path / "master" / "members.csv", dtype=str, keep_default_na=False)
    members.loc[members["name"] == "Medlem 1-8 AS", "left"] = "2023-12-01"
    joins = members.iloc[[1]].assign(orgnr=valid_orgnr(199), name="Ny AS", member_type="startup", core_member="False",
                                     joined="2024-02-01", left="")
    folder = tmp_path / "new"
    folder.mkdir()
    pd.concat([members[members["cluster_id"] == "1"], joins]).to_csv(folder / "members.csv", index=False)
    # ... and a first report for cluster 2 in 2024
    write_reports_csv(folder / "reports.csv", [example_values(cluster_name="Fjellhelse", report_year=2024,
                                                              members_total=100, members_established=80)])
    import_paths(db, [folder / "members.csv", folder / "reports.csv"])

    kept, live = kept_and_counted(db)
    assert kept == live and len(kept) == 6
    frame = queries.register_by_report(db, Filter(clusters=(1,), years=(2023, 2024))).set_index("report_year")
    assert frame.loc[2023, "members_rnd"] == 1 and frame.loc[2024, "members_rnd"] == 0  # in the year it left, still in
    assert frame.loc[2023, "members_startup"] == 2 and frame.loc[2024, "members_startup"] == 3
    assert queries.register_by_report(db, Filter(clusters=(2,), years=(2024, 2024)))["members_established"].tolist() == [5]


def test_filter_options(db):
    options = queries.filter_options(db)
    assert options.years == (2022, 2023, 2024)
    assert options.regions == ("Innlandet", "Vestland")
    assert options.clusters == ((1, "Arena Kystmat"), (2, "Fjellhelse"))


def test_report_texts_are_searched_in_any_case_and_alphabet_and_counted(engine, tmp_path):
    master_data(tmp_path / "master")
    write_reports_csv(tmp_path / "reports.csv", [
        example_values(report_year=2022, period_start="2022-01-01", period_end="2022-12-31",
                       international_activities_description="Messe i ØSTERRIKE og 100% fokus_på eksport"),
        example_values(report_year=2023, international_activities_description="Studietur til Ålesund"),
        example_values(cluster_name="Fjellhelse", report_year=2023, members_total=100, members_established=80,
                       international_activities_description="Ingen reiser i år"),
    ])
    import_paths(engine, [tmp_path / "master", tmp_path / "reports.csv"])

    def found(search, limit=None):
        frame = queries.report_texts(engine, Filter(), "international_activities_new", "international_activities_description",
                                     search, limit)
        return [(row.cluster, row.report_year) for row in frame.itertuples()], sorted(set(frame["matches"]))

    assert found("") == ([("Arena Kystmat", 2023), ("Fjellhelse", 2023), ("Arena Kystmat", 2022)], [3])
    assert found("", limit=1) == ([("Arena Kystmat", 2023)], [3])  # the newest, and how many in all
    assert found("østerrike") == ([("Arena Kystmat", 2022)], [1])  # Ø and ø
    assert found("ÅLESUND") == ([("Arena Kystmat", 2023)], [1])
    assert found("fjellHELSE") == ([("Fjellhelse", 2023)], [1])  # the cluster's name too
    # % and _ are plain characters, not wildcards
    assert found("100%") == found("fokus_på") == ([("Arena Kystmat", 2022)], [1])
    assert found("messe_i") == found("messe%eksport") == ([], [])
    assert found("Köln") == ([], [])
    # Without a search the count comes from the level sums, or for chosen clusters from their reports.
    fields = ("international_activities_new", "international_activities_description", "", 1)
    kystmat = int(queries.report_texts(engine, Filter(), *fields)["cluster_id"].iloc[0])
    for flt, newest, count in ((Filter(years=(2023, 2023)), ("Arena Kystmat", 2023), 2),
                               (Filter(years=(2022, 2022)), ("Arena Kystmat", 2022), 1),
                               (Filter(clusters=(kystmat,)), ("Arena Kystmat", 2023), 2),
                               (Filter(years=(2024, 2030)), None, None)):
        frame = queries.report_texts(engine, flt, *fields)
        assert [(row.cluster, row.report_year, row.matches) for row in frame.itertuples()] == ([(*newest, count)] if newest else [])


def test_register_counts_say_who_reported_that_year(db):
    for year, expected in ((2023, {1: True, 2: True}), (2024, {1: True, 2: False})):
        counts = queries.register_counts(db, Filter(years=(year, year)))
        assert dict(zip(counts["cluster_id"], counts["reported"])) == expected
        assert counts["reported"].dtype == bool


# (cluster, its level in 2023, in 2024): None, no report that year; "utenfor", a report in a year
# without a programme period. Worked out by hand: 1, 2, 3, 4, 6 and 7 changed level between the
# two years; 5 reported in 2024 only, 8 and 9 stayed where they were.
_LEVEL_CHANGES = [(1, "arena", "arena_pro"), (2, "tidligfase", "moden"), (3, "arena_pro", "arena"),
                  (4, "utenfor", "arena"), (5, None, "arena"), (6, "arena", "utenfor"), (7, "arena", "arena_pro"),
                  (8, "moden", "moden"), (9, "utenfor", "utenfor")]


def test_level_change_reports_are_the_two_years_of_the_clusters_that_changed_level(engine, tmp_path):
    from tests.factories import write_csv

    folder = tmp_path / "changes"
    folder.mkdir()
    # Names in the reverse order of the ids, so that name order is neither id nor import order.
    name = {cid: f"Klynge {10 - cid}" for cid, *_ in _LEVEL_CHANGES}
    write_csv(folder / "clusters.csv", [{"cluster_id": cid, "name": name[cid], "region": "Agder" if cid <= 4 else "Oslo",
                                         "sector": "Energi"} for cid, *_ in _LEVEL_CHANGES])
    write_csv(folder / "periods.csv", [{"cluster_id": cid, "level": level, "first_year": year, "last_year": year, "brand": ""}
                                       for cid, *levels in _LEVEL_CHANGES for year, level in zip((2023, 2024), levels)
                                       if level not in (None, "utenfor")])
    reports = [(cid, year) for cid, *levels in _LEVEL_CHANGES for year, level in zip((2023, 2024), levels) if level is not None]
    # Reports of the years around them, of a cluster that changed and of one that did not.
    reports += [(1, 2022), (1, 2025), (8, 2022)]
    write_reports_csv(folder / "reports.csv", [
        example_values(cluster_name=name[cid], report_year=year, period_start=f"{year}-01-01", period_end=f"{year}-12-31")
        for cid, year in reports])
    import_paths(engine, [folder / "clusters.csv", folder / "periods.csv", folder / "reports.csv"])

    found = queries.level_change_reports(engine, Filter(), 2024)
    assert sorted(found["cluster_id"].unique()) == [1, 2, 3, 4, 6, 7]
    assert sorted(zip(found["cluster_id"], found["report_year"], found["level"])) == sorted(
        (cid, year, level) for cid, *levels in _LEVEL_CHANGES if cid in (1, 2, 3, 4, 6, 7)
        for year, level in zip((2023, 2024), levels))
    # As `reports` gives them, in its order (by year, then name), its columns and values.
    every = queries.reports(engine, Filter(years=(2023, 2024)), columns=())
    pd.testing.assert_frame_equal(found, every[every["cluster_id"].isin([1, 2, 3, 4, 6, 7])].reset_index(drop=True))
    # The filter's counties, sectors and clusters count; its levels and years do not (the
    # two years are the question, and a cluster that left the chosen levels moved too).
    assert sorted(queries.level_change_reports(engine, Filter(regions=("Agder",)), 2024)["cluster_id"].unique()) == [1, 2, 3, 4]
    assert sorted(queries.level_change_reports(engine, Filter(clusters=(5, 6, 8)), 2024)["cluster_id"].unique()) == [6]
    pd.testing.assert_frame_equal(queries.level_change_reports(engine, Filter(levels=("moden",), years=(2020, 2020)), 2024),
                                  found)
    # Cluster 1 changed again (outside the programme in 2022 and 2025): only those two years' reports.
    assert queries.level_change_reports(engine, Filter(), 2025)[["cluster_id", "report_year"]].values.tolist() == [
        [1, 2024], [1, 2025]]
    assert queries.level_change_reports(engine, Filter(), 2026).empty  # no report of 2026
    # What the overview and the programme report make of them is what they make of every report.
    pd.testing.assert_frame_equal(metrics.level_changes(found, 2024), metrics.level_changes(every, 2024))
    assert metrics.level_moves(found, 2024)["moved_up"].tolist() == [1, 2, 0, 0]


def test_level_change_reports_give_the_changes_of_every_report_on_the_demo_data(engine):
    load_demo(engine)
    moves = 0
    for year, flt in itertools.product(range(2016, 2027), (Filter(), Filter(regions=("Vestland", "Oslo")))):
        every = queries.reports(engine, flt.with_(years=(year - 1, year)), columns=())
        changed = queries.level_change_reports(engine, flt, year)
        expected = metrics.level_changes(every, year)
        assert metrics.level_changes(changed, year).reset_index().values.tolist() == expected.reset_index().values.tolist(), \
            f"{year} {flt!r}"
        assert changed["cluster_id"].nunique() == len(expected)
        moves += len(expected)
    assert moves > 20  # the demo data have changes to compare

"""The read API (`klynge.queries`) over a small database made by hand, checked row by row and
column by column against values worked out here: the columns each select promises, in order;
rows in the promised order (names chosen so that name order, id order and import order all
differ); the first and last day of a membership; and the clusters past their level's time
limit under versioned rules. Written to kill the mutants that survived `scripts/mutation.sh`."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import literal, select

from klynge import queries
from klynge.domain import MEMBER_COUNT_FIELDS
from klynge.queries import Filter
from klynge.rules import PROGRAMME_2019, Rule, Rules
from klynge.store.importer import import_paths
from tests.factories import example_values, valid_orgnr, write_csv, write_reports_csv

# Zulu (id 1) sorts after Alfa (id 2) and Mike (id 3) by name.
CLUSTERS = [
    {"cluster_id": 1, "name": "Zulu", "region": "Vestland", "sector": "Sjømat", "orgnr": valid_orgnr(701),
     "website": "https://zulu.example.no", "esca_label": "silver", "esca_year": 2023},
    {"cluster_id": 2, "name": "Alfa", "region": "Oslo", "sector": "IKT", "orgnr": valid_orgnr(702), "website": "",
     "esca_label": "gold", "esca_year": 2024},
    {"cluster_id": 3, "name": "Mike", "region": "Agder", "sector": "Energi", "orgnr": valid_orgnr(703), "website": "",
     "esca_label": "", "esca_year": ""},
]
PERIODS = [
    {"cluster_id": 1, "level": "arena", "first_year": 2019, "last_year": 2024, "brand": ""},  # six years at a level of three
    {"cluster_id": 2, "level": "arena_pro", "first_year": 2018, "last_year": 2025, "brand": "NCE"},  # eight at one of five
    {"cluster_id": 3, "level": "arena_pro", "first_year": 2021, "last_year": 2024, "brand": ""},  # four at one of five
]
# Zulu's register: (name, type, joined, left)
MEMBERS = [
    ("Bedrift AS", "established", dt.date(2021, 1, 1), None),
    ("Forskning AS", "rnd", dt.date(2023, 12, 31), None),  # joined on the last day of 2023
    ("Gründer AS", "startup", dt.date(2020, 1, 1), dt.date(2023, 1, 1)),  # left on the first day of 2023
    ("Kommune", "public", dt.date(2024, 1, 1), None),  # joined in 2024
    ("Investor AS", "investor", dt.date(2019, 1, 1), dt.date(2022, 12, 31)),  # left before 2023
]


def rows(frame, columns=None) -> list[tuple]:
    """The frame's rows as tuples, with None for a missing value (NaN in a column of text)."""
    frame = frame if columns is None else frame[columns]
    return [tuple(None if value is None or value != value else value for value in row) for row in frame.itertuples(index=False)]


@pytest.fixture
def db(engine, tmp_path):
    folder = tmp_path / "master"
    folder.mkdir()
    write_csv(folder / "clusters.csv", CLUSTERS)
    write_csv(folder / "periods.csv", PERIODS)
    write_csv(folder / "members.csv", [
        {"cluster_id": 1, "orgnr": valid_orgnr(7100 + i), "name": name, "member_type": kind,
         "core_member": kind == "established", "joined": joined, "left": left}
        for i, (name, kind, joined, left) in enumerate(MEMBERS)])

    def report(cluster: str, year: int, **values):
        return example_values(cluster_name=cluster, report_year=year, period_start=dt.date(year, 1, 1),
                              period_end=dt.date(year, 12, 31), **values)

    # Imported out of order: neither import order nor id order is the promised order.
    write_reports_csv(tmp_path / "reports.csv", [
        report("Mike", 2024, international_activities_description="Messe i Hamburg"),
        report("Alfa", 2024, international_activities_description="Ingen reiser"),
        report("Zulu", 2024, international_activities_description="Studietur"),
        report("Zulu", 2023, international_activities_description="Fagdag"),
        report("Zulu", 2022, international_activities_description="Webinar"),
        report("Alfa", 2023, international_activities_description="Besøk"),
    ])
    import_paths(engine, [folder, tmp_path / "reports.csv"])
    return engine


def test_reports_columns_and_order(db):
    """By year, then cluster name; each with its region, sector, brand and year in its level."""
    frame = queries.reports(db, Filter(), columns=("members_total",))
    assert list(frame.columns) == ["cluster_id", "cluster", "region", "sector", "level", "brand", "report_year",
                                   "members_total", "years_in_level"]
    assert rows(frame, ["cluster", "report_year", "region", "sector", "level", "brand", "years_in_level"]) == [
        ("Zulu", 2022, "Vestland", "Sjømat", "arena", None, 4),  # 2022 - 2019 + 1
        ("Alfa", 2023, "Oslo", "IKT", "arena_pro", "NCE", 6),  # 2023 - 2018 + 1
        ("Zulu", 2023, "Vestland", "Sjømat", "arena", None, 5),
        ("Alfa", 2024, "Oslo", "IKT", "arena_pro", "NCE", 7),
        ("Mike", 2024, "Agder", "Energi", "arena_pro", None, 4),
        ("Zulu", 2024, "Vestland", "Sjømat", "arena", None, 6),
    ]


def test_reports_refuse_names_that_are_not_canonical_fields(db):
    with pytest.raises(ValueError, match=r"^not canonical fields: bogus, nonsense$"):
        queries.reports(db, Filter(), columns=("members_total", "nonsense", "bogus"))


def test_beyond_limit_per_year_and_level_under_the_rules_of_2019(db):
    """Arena lasts three years, Arena Pro five (a cluster is past it from the year after):
    Zulu (arena from 2019) in its 4th to 6th year, 2022-2024; Alfa (arena_pro from 2018) in its
    6th and 7th, 2023-2024; Mike (arena_pro from 2021) in its 4th, not past it."""
    found = queries.beyond_limit(db, Filter(), Rules(PROGRAMME_2019))
    assert list(found.columns) == ["report_year", "level", "clusters_beyond_limit"]
    assert sorted(map(tuple, found.itertuples(index=False))) == [
        (2022, "arena", 1), (2023, "arena", 1), (2023, "arena_pro", 1), (2024, "arena", 1), (2024, "arena_pro", 1)]


def test_beyond_limit_follows_each_version_of_the_rule_in_its_own_years(db):
    """From 2024, Arena may last ten years and Arena Pro three; Arena's limit is unset from
    2025. Under the old rules Zulu is past its limit in 2022 and 2023 (4th, 5th year of 3)
    and Alfa in 2023 (6th of 5); under the new ones in 2024 Zulu is not (6th of 10), Alfa
    (7th of 3) and Mike (4th of 3) are."""
    rules = Rules([*PROGRAMME_2019, Rule("max_years", "arena", 2024, 10, "new"), Rule("max_years", "arena", 2025, None, "unset"),
                   Rule("max_years", "arena_pro", 2024, 3, "new")])
    found = queries.beyond_limit(db, Filter(), rules)
    assert sorted(map(tuple, found.itertuples(index=False))) == [
        (2022, "arena", 1), (2023, "arena", 1), (2023, "arena_pro", 1), (2024, "arena_pro", 2)]


def test_beyond_limit_with_a_limit_for_one_level_only(db):
    """Only Arena has a time limit (three years): Zulu is past it in 2022-2024; Alfa's eight
    years at Arena Pro count for nothing without a limit of its level."""
    arena_only = Rules([rule for rule in PROGRAMME_2019 if rule.key != "max_years" or rule.scope == "arena"])
    found = queries.beyond_limit(db, Filter(), arena_only)
    assert sorted(map(tuple, found.itertuples(index=False))) == [(2022, "arena", 1), (2023, "arena", 1), (2024, "arena", 1)]


def test_beyond_limit_without_any_time_limit_is_empty_with_its_columns(db):
    no_limits = Rules([rule for rule in PROGRAMME_2019 if rule.key != "max_years"])
    found = queries.beyond_limit(db, Filter(), no_limits)
    assert found.empty and list(found.columns) == ["report_year", "level", "clusters_beyond_limit"]


def test_member_register_counts_the_first_and_the_last_day_of_the_year(db):
    """Members active at some time in 2023: one who joined on 31 December and one who left on
    1 January count; one who left in 2022 and one who joined in 2024 do not. Ordered by name."""
    register = queries.member_register(db, Filter(clusters=(1,), years=(2023, 2023)))
    assert list(register.columns) == ["cluster_id", "cluster", "level", "orgnr", "name", "member_type", "core_member",
                                      "joined", "left"]
    assert rows(register.drop(columns=["orgnr"])) == [
        (1, "Zulu", "arena", "Bedrift AS", "established", True, dt.date(2021, 1, 1), None),
        (1, "Zulu", "arena", "Forskning AS", "rnd", False, dt.date(2023, 12, 31), None),
        (1, "Zulu", "arena", "Gründer AS", "startup", False, dt.date(2020, 1, 1), dt.date(2023, 1, 1)),
    ]
    assert register["orgnr"].tolist() == [valid_orgnr(7100), valid_orgnr(7101), valid_orgnr(7102)]


def test_member_register_without_years_is_that_of_the_latest_report_year(db):
    """The latest report is of 2024: the register of 2024 (Kommune joined, Gründer AS left)."""
    register = queries.member_register(db, Filter(clusters=(1,)))
    assert register["name"].tolist() == ["Bedrift AS", "Forskning AS", "Kommune"]


def test_clusters_master_data_and_level_in_the_latest_report_year(db):
    """Without years, the level is that of 2024 (the latest report); by name."""
    frame = queries.clusters(db)
    assert list(frame.columns) == ["cluster_id", "cluster", "level", "brand", "region", "sector", "orgnr", "website",
                                   "esca_label", "esca_year"]
    found = rows(frame.drop(columns=["orgnr"]))
    assert found[0] == (2, "Alfa", "arena_pro", "NCE", "Oslo", "IKT", None, "gold", 2024)
    assert found[1][:6] == (3, "Mike", "arena_pro", None, "Agder", "Energi")
    assert found[2] == (1, "Zulu", "arena", None, "Vestland", "Sjømat", "https://zulu.example.no", "silver", 2023)
    assert frame["orgnr"].tolist() == [valid_orgnr(702), valid_orgnr(703), valid_orgnr(701)]
    # In 2025 only Alfa's period still runs.
    assert queries.clusters(db, Filter(years=(2025, 2025)))["level"].tolist() == ["arena_pro", "utenfor", "utenfor"]


def test_register_by_report_columns_and_order(db):
    """Zulu's register in each year it reported: 2022 Bedrift, Gründer, Investor; 2023
    Bedrift, Forskning, Gründer; 2024 Bedrift, Forskning, Kommune. Alfa has no register."""
    frame = queries.register_by_report(db)
    assert list(frame.columns) == ["cluster_id", "cluster", "report_year", "level", *MEMBER_COUNT_FIELDS]
    assert rows(frame, ["cluster_id", "cluster", "report_year", "level"]) == [
        (1, "Zulu", 2022, "arena"), (1, "Zulu", 2023, "arena"), (1, "Zulu", 2024, "arena")]
    counts = frame.set_index("report_year")[["members_established", "members_rnd", "members_startup",
                                             "members_investor", "members_public"]]
    assert counts.loc[2022].tolist() == [1, 0, 1, 1, 0]
    assert counts.loc[2023].tolist() == [1, 1, 1, 0, 0]
    assert counts.loc[2024].tolist() == [1, 1, 0, 0, 1]


def test_register_counts_columns_and_integer_counts_outside_the_report_years(db):
    """2021 is before the first report (2022), so the counts come from the memberships:
    Bedrift, Gründer and Investor were members of Zulu in 2021."""
    for flt in (Filter(years=(2021, 2021)), Filter(years=(2021, 2021), clusters=(1,))):
        counts = queries.register_counts(db, flt).set_index("cluster_id")
        assert list(counts.columns) == ["cluster", "region", "sector", "level", "year", *MEMBER_COUNT_FIELDS,
                                        "core_members", "core_companies", "reported", "members_total"]
        assert counts.loc[1, "members_total"] == 3 and counts.loc[1, "year"] == 2021
        assert (counts.loc[1, "members_established"], counts.loc[1, "members_startup"], counts.loc[1, "members_investor"]) \
            == (1, 1, 1)
        assert counts["members_total"].dtype == "int64" and counts["reported"].dtype == bool
        assert not counts.loc[1, "reported"]


def test_report_texts_columns_order_and_search_in_names(db):
    """Newest first, then by name; without a search every text; `_` in a search is a character."""
    frame = queries.report_texts(db, Filter(), "international_activities_new", "international_activities_description")
    assert list(frame.columns) == ["cluster_id", "cluster", "report_year", "level", "international_activities_new",
                                   "international_activities_description", "matches"]
    assert list(zip(frame["cluster"], frame["report_year"])) == [
        ("Alfa", 2024), ("Mike", 2024), ("Zulu", 2024), ("Alfa", 2023), ("Zulu", 2023), ("Zulu", 2022)]
    assert set(frame["matches"]) == {6}
    assert queries.report_texts(db, Filter(), "international_activities_new", "international_activities_description",
                                "mik_").empty
    mike = queries.report_texts(db, Filter(), "international_activities_new", "international_activities_description", "MIKE")
    assert mike["cluster"].tolist() == ["Mike"]


def test_level_summary_is_ordered_by_year_then_level(db):
    """Arena sorts before Arena Pro in each year; Alfa and Mike are the two Arena Pro clusters of 2024."""
    summary = queries.level_summary(db)
    assert list(zip(summary["report_year"], summary["level"], summary["clusters"])) == [
        (2022, "arena", 1), (2023, "arena", 1), (2023, "arena_pro", 1), (2024, "arena", 1), (2024, "arena_pro", 2)]
    from_reports = queries.level_summary_from_reports(db, Filter(clusters=(1, 2, 3)))
    assert list(zip(from_reports["report_year"], from_reports["level"], from_reports["clusters"])) == \
        list(zip(summary["report_year"], summary["level"], summary["clusters"]))


def test_a_result_with_a_column_name_twice_keeps_each_columns_values(engine):
    """`_frame` builds a frame column by column from a dict, which would keep one of two
    columns of the same name: such a result keeps its rows and each column's own values."""
    frame = queries._frame(engine, select(literal(1).label("a"), literal(2).label("a"), literal("x").label("b")))
    assert list(frame.columns) == ["a", "a", "b"]
    assert [tuple(row) for row in frame.itertuples(index=False)] == [(1, 2, "x")]
    empty = queries._frame(engine, select(literal(1).label("a"), literal(2).label("b")).where(literal(1) == literal(0)))
    assert list(empty.columns) == ["a", "b"] and empty.empty


def test_register_counts_are_in_the_order_of_the_clusters_names(db):
    """Alfa, Mike, Zulu (ids 2, 3, 1): in a year of the kept registers (2024) and in one
    counted from the memberships (2021, before the first report)."""
    for year in (2024, 2021):
        counts = queries.register_counts(db, Filter(years=(year, year)))
        assert counts["cluster"].tolist() == ["Alfa", "Mike", "Zulu"], year
        assert counts["cluster_id"].tolist() == [2, 3, 1], year


def test_register_counts_of_no_cluster_have_every_column_and_no_row(db):
    """A selection without clusters, and a database with no register kept yet, give no row
    (not a row of zeros) and every column."""
    columns = ["cluster_id", "cluster", "region", "sector", "level", "year", *MEMBER_COUNT_FIELDS,
               "core_members", "core_companies", "reported", "members_total"]
    for counts in (queries.register_counts(db, Filter(years=(2024, 2024), clusters=(99,))),
                   queries.register_counts(db, Filter(years=(2024, 2024), regions=("Finnmark",)))):
        assert list(counts.columns) == columns and counts.empty


def test_register_counts_before_any_register_is_kept(engine):
    """An empty database has no kept registers (`covered_years` is None): the counts come
    from the memberships, and there are none."""
    counts = queries.register_counts(engine, Filter(years=(2024, 2024)))
    assert counts.empty and "members_total" in counts.columns

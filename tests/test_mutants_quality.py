"""The data-quality checks (`klynge.quality`) and the queries they read, on small hand-made
data with every expected finding worked out by hand. Fast (no demo data), so that mutation
testing (`scripts/mutation.sh`) can run them for every mutant of klynge/quality.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest

from klynge import quality, queries
from klynge.domain import MEMBER_COUNT_FIELDS
from klynge.queries import Filter
from klynge.rules import PROGRAMME_2019, Rule, Rules
from klynge.store.importer import import_paths
from tests.factories import example_values, hand_made, valid_orgnr, write_csv, write_reports_csv

COLUMNS = ["kind", "cluster_id", "cluster", "report_year", "level", "field", "message", "code", "params"]


def rows(frame: pd.DataFrame) -> list[tuple]:
    """The frame's rows as tuples of plain values, None for a missing one."""
    def plain(value):
        if value is None or (isinstance(value, float) and value != value):
            return None
        return value.item() if hasattr(value, "item") else value
    return [tuple(plain(value) for value in row) for row in frame.itertuples(index=False)]


def check_frame(frame: pd.DataFrame, expected: list[tuple]) -> None:
    assert list(frame.columns) == COLUMNS
    assert rows(frame) == expected
    assert list(frame.index) == list(range(len(expected)))


# --- the pure checks --------------------------------------------------------------------

PERIODS = pd.DataFrame([
    (1, "Alfa", "arena", 2019, 2024),
    (2, "Beta", "arena_pro", 2022, 2023),
], columns=["cluster_id", "cluster", "level", "first_year", "last_year"], index=[7, 3])


def test_missing_reports_inside_the_periods_and_the_years_covered():
    """Years 2020-2023: Alfa's period (2019-2024) expects 2020..2023 (max(2019, 2020) to
    min(2024, 2023)), Beta's (2022-2023) 2022 and 2023. Filed: Alfa 2020 and 2021, Beta 2023
    (and Alfa 2024, outside the years): missing Alfa 2022, 2023 and Beta 2022."""
    keys = pd.DataFrame([(1, 2021), (2, 2023), (1, 2020), (1, 2024)], columns=["cluster_id", "report_year"])
    found = quality.missing_reports(PERIODS, keys, 2020, 2023)
    message = "no annual report for this year"
    check_frame(found, [
        ("missing_report", 1, "Alfa", 2022, "arena", None, message, "missing_report", {}),
        ("missing_report", 1, "Alfa", 2023, "arena", None, message, "missing_report", {}),
        ("missing_report", 2, "Beta", 2022, "arena_pro", None, message, "missing_report", {}),
    ])


def test_missing_reports_without_any_report_is_every_year_of_every_period():
    """No report filed (an empty frame, with or without its columns): every expected year, 2023
    to 2024 at most: Alfa 2023, 2024 and Beta 2023."""
    for keys in (pd.DataFrame(columns=["cluster_id", "report_year"]), pd.DataFrame()):
        found = quality.missing_reports(PERIODS, keys, 2023, 2024)
        assert [(row[1], row[3]) for row in rows(found)] == [(1, 2023), (1, 2024), (2, 2023)]


@pytest.mark.parametrize("periods, first, last", [
    (PERIODS.iloc[0:0], 2020, 2023), (PERIODS, None, 2023), (PERIODS, 2020, None)])
def test_missing_reports_without_periods_or_years_is_empty(periods, first, last):
    keys = pd.DataFrame([(1, 2021)], columns=["cluster_id", "report_year"])
    found = quality.missing_reports(periods, keys, first, last)
    assert found.empty and list(found.columns) == COLUMNS


def test_stored_warnings_keep_the_finding_columns_only():
    warnings = pd.DataFrame({
        "cluster_id": [2], "cluster": ["Beta"], "report_year": [2021], "level": ["arena"], "field": ["mgmt_fte"],
        "message": ["0.5 FTE reported with no paid persons in the management"], "code": ["fte_without_paid"],
        "params": [{"fte": 0.5}], "source_file": ["r.csv"], "line": [3]}, index=[5])
    check_frame(quality.stored_warnings(warnings), [
        ("warning", 2, "Beta", 2021, "arena", "mgmt_fte", "0.5 FTE reported with no paid persons in the management",
         "fte_without_paid", {"fte": 0.5})])


def test_garbled_cluster_and_member_names():
    """UTF-8 read as Windows-1252: "Ã¸" was "ø", "Ã¦" was "æ"; a member listed twice is
    one finding; a name that is missing or correct ("Ærlig", "Tromsø") is none."""
    clusters = pd.DataFrame([(1, "Tromsø", "arena"), (2, "BÃ¦rum", "utenfor"), (3, None, "arena")],
                            columns=["cluster_id", "cluster", "level"])
    members = pd.DataFrame([
        (1, "Tromsø", "arena", "911", "SÃ¸lvi AS"),
        (1, "Tromsø", "arena", "911", "SÃ¸lvi AS"),  # the same member, twice
        (1, "Tromsø", "arena", "912", "Ærlig AS"),
        (2, "BÃ¦rum", "utenfor", "913", None),
        (2, "BÃ¦rum", "utenfor", "914", "Ã…lesund AS"),
    ], columns=["cluster_id", "cluster", "level", "orgnr", "name"])
    found = quality.garbled_names(clusters, members, 2024)
    check_frame(found, [
        ("warning", 2, "BÃ¦rum", 2024, "utenfor", "cluster_name",
         "the cluster name 'BÃ¦rum' looks garbled by a wrong text encoding ('Ã¦' was probably 'æ')", "mojibake_cluster",
         {"name": "BÃ¦rum", "sequence": "Ã¦", "meant": "æ"}),
        ("warning", 1, "Tromsø", 2024, "arena", None,
         "the member name 'SÃ¸lvi AS' (organisation number 911) looks garbled by a wrong text encoding "
         "('Ã¸' was probably 'ø')", "mojibake_member", {"name": "SÃ¸lvi AS", "orgnr": "911", "sequence": "Ã¸", "meant": "ø"}),
        ("warning", 2, "BÃ¦rum", 2024, "utenfor", None,
         "the member name 'Ã…lesund AS' (organisation number 914) looks garbled by a wrong text encoding "
         "('Ã…' was probably 'Å')", "mojibake_member", {"name": "Ã…lesund AS", "orgnr": "914", "sequence": "Ã…", "meant": "Å"}),
    ])
    # Either frame may be empty.
    only_members = quality.garbled_names(clusters.iloc[0:0], members, 2023)
    assert [(row[2], row[3], row[5]) for row in rows(only_members)] == [("Tromsø", 2023, None), ("BÃ¦rum", 2023, None)]
    only_clusters = quality.garbled_names(clusters, members.iloc[0:0], 2023)
    assert [(row[2], row[5]) for row in rows(only_clusters)] == [("BÃ¦rum", "cluster_name")]
    assert list(quality.garbled_names(clusters.iloc[0:0], members.iloc[0:0], 2023).columns) == COLUMNS



def test_garbled_names_of_a_member_listed_twice_or_in_columns_of_python_objects():
    """A member with two memberships (rows that differ in `joined`) is one finding; columns of
    Python objects (`object` dtype, with None for a missing name) are read as well."""
    members = pd.DataFrame([
        (1, "Alfa", "arena", "911", "SÃ¸lvi AS", dt.date(2019, 1, 1)),
        (1, "Alfa", "arena", "911", "SÃ¸lvi AS", dt.date(2022, 1, 1)),
        (1, "Alfa", "arena", "912", None, dt.date(2019, 1, 1)),
    ], columns=["cluster_id", "cluster", "level", "orgnr", "name", "joined"]).astype({"name": object})
    clusters = pd.DataFrame([(1, None, "arena"), (2, "BÃ¦rum", "arena")], columns=["cluster_id", "cluster", "level"]
                            ).astype({"cluster": object})
    found = quality.garbled_names(clusters, members, 2022)
    assert [(row[1], row[2], row[7]) for row in rows(found)] == [(2, "BÃ¦rum", "mojibake_cluster"),
                                                                (1, "Alfa", "mojibake_member")]

def counts(**by_type) -> dict[str, int]:
    return {field: by_type.get(field.removeprefix("members_"), 0) for field in MEMBER_COUNT_FIELDS}


def test_register_mismatches_name_each_type_that_differs():
    """Reports (listed out of order): Beta 2024 and Alfa 2022 (the first key, so the reports
    after it are still looked at) agree with their registers; Alfa 2024 says 2
    start-ups and 5 established companies where the register has 1 and 6; Alfa 2023 says 0
    public actors where the register has 3; Gamma has no register; the register's Delta has
    no report."""
    reports = pd.DataFrame([
        {"cluster_id": 1, "cluster": "Alfa", "report_year": 2024, "level": "arena_pro", **counts(startup=2, established=5)},
        {"cluster_id": 2, "cluster": "Beta", "report_year": 2024, "level": "arena", **counts(rnd=1)},
        {"cluster_id": 1, "cluster": "Alfa", "report_year": 2023, "level": "arena", **counts(public=0, established=5)},
        {"cluster_id": 3, "cluster": "Gamma", "report_year": 2024, "level": "arena", **counts(rnd=7)},
        {"cluster_id": 1, "cluster": "Alfa", "report_year": 2022, "level": "arena", **counts(established=4)},
    ])
    register = pd.DataFrame([
        {"cluster_id": 2, "report_year": 2024, **counts(rnd=1)},
        {"cluster_id": 1, "report_year": 2024, **counts(startup=1, established=6)},
        {"cluster_id": 1, "report_year": 2023, **counts(public=3, established=5)},
        {"cluster_id": 4, "report_year": 2024, **counts(rnd=2)},
        {"cluster_id": 1, "report_year": 2022, **counts(established=4)},
    ])
    found = quality.register_mismatches(reports, register)
    check_frame(found, [
        ("register_mismatch", 1, "Alfa", 2023, "arena", "members_total",
         "members by type differ from the register: public 0 (register 3)", "register_mismatch",
         {"differences": [["public", 0, 3]]}),
        ("register_mismatch", 1, "Alfa", 2024, "arena_pro", "members_total",
         "members by type differ from the register: startup 2 (register 1), established 5 (register 6)",
         "register_mismatch", {"differences": [["startup", 2, 1], ["established", 5, 6]]}),
    ])
    assert all(type(n) is int for row in rows(found) for difference in row[8]["differences"] for n in difference[1:])
    for empty in (quality.register_mismatches(reports.iloc[0:0], register), quality.register_mismatches(reports, register.iloc[0:0])):
        assert empty.empty and list(empty.columns) == COLUMNS
    agreeing = quality.register_mismatches(reports.iloc[[1]], register)
    assert agreeing.empty and list(agreeing.columns) == COLUMNS



def test_register_mismatches_of_frames_without_columns_are_empty():
    """No report or no register at all (an empty frame, not even columns): nothing to compare."""
    register = pd.DataFrame([{"cluster_id": 1, "report_year": 2024, **counts(rnd=1)}])
    reports = pd.DataFrame([{"cluster_id": 1, "cluster": "Alfa", "report_year": 2024, "level": "arena", **counts()}])
    for found in (quality.register_mismatches(pd.DataFrame(), register), quality.register_mismatches(reports, pd.DataFrame())):
        assert found.empty and list(found.columns) == COLUMNS

def report(cluster_id: int, year: int, **figures) -> dict:
    values = {name: 0 for name in quality.JUMP_FIELDS}
    values.update(figures)
    return {"cluster_id": cluster_id, "cluster": {1: "Alfa", 2: "Beta", 3: "Gamma"}[cluster_id], "report_year": year,
            "level": "arena", **values}


JUMPY = pd.DataFrame([  # out of order on purpose
    report(1, 2022, members_total=31, partners_total=30, activities_organised=1, activities_unique_participants=45,
           funding_national_mnok=1.0, funding_eu_mnok=2.0, international_activities_new=5, new_jobs=10),
    report(2, 2023, members_total=100),
    report(1, 2021, members_total=10, partners_total=10, activities_organised=5, activities_unique_participants=300,
           funding_national_mnok=3.0, funding_eu_mnok=0.0, international_activities_new=0, new_jobs=30),
    report(3, 2019, members_total=10),
    report(3, 2021, members_total=100),
])


def test_jumps_beyond_the_factor_either_way_above_the_floor():
    """Alfa 2021 → 2022 at a factor of 3:
    members 10 → 31 (31/10 = 3.1 > 3): a jump;
    partners 10 → 30 (exactly 3): none;
    activities 5 → 1 (1/5 = 0.2 < 1/3; 5 is the floor): a jump;
    participants 300 → 45 (0.15 < 1/3): a jump;
    national MNOK 3 → 1 (exactly 1/3): none;
    EU MNOK 0 → 2 (from nothing; 2 ≥ floor 1): a jump;
    international activities 0 → 5 (5 is the floor): a jump;
    new jobs 30 → 10 (exactly 1/3): none.
    Beta's first report (2023) is not compared with Alfa's 2022; Gamma's 2019 and 2021 are
    two years apart."""
    found = quality.jumps(JUMPY, 3.0)
    assert list(found.columns) == COLUMNS
    assert [(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8]) for row in rows(found)] == [
        ("jump", 1, "Alfa", 2022, "arena", "members_total", "10 → 31 from the year before", "jump",
         {"before": 10.0, "after": 31.0}),
        ("jump", 1, "Alfa", 2022, "arena", "activities_organised", "5 → 1 from the year before", "jump",
         {"before": 5.0, "after": 1.0}),
        ("jump", 1, "Alfa", 2022, "arena", "activities_unique_participants", "300 → 45 from the year before", "jump",
         {"before": 300.0, "after": 45.0}),
        ("jump", 1, "Alfa", 2022, "arena", "funding_eu_mnok", "0 → 2 from the year before", "jump",
         {"before": 0.0, "after": 2.0}),
        ("jump", 1, "Alfa", 2022, "arena", "international_activities_new", "0 → 5 from the year before", "jump",
         {"before": 0.0, "after": 5.0}),
    ]


def test_jumps_below_the_floor_or_within_the_factor_are_none():
    """At a factor of 3.2, members 10 → 31 (3.1) is no jump; activities 4 → 1 and EU MNOK 0 →
    0.9 are below their floors (5 and 1)."""
    found = quality.jumps(JUMPY, 3.2)
    assert "members_total" not in set(found["field"])
    small = pd.DataFrame([report(1, 2021, activities_organised=4, funding_eu_mnok=0.0),
                          report(1, 2022, activities_organised=1, funding_eu_mnok=0.9)])
    assert quality.jumps(small, 3.0).empty
    # 1.5 → 2.5 is 5/3 ≈ 1.67: beyond 1.5, within 2; the message shows figures as they are.
    halves = pd.DataFrame([report(1, 2021, funding_national_mnok=1.5), report(1, 2022, funding_national_mnok=2.5)])
    assert rows(quality.jumps(halves, 1.5))[0][6] == "1.5 → 2.5 from the year before"
    assert quality.jumps(halves, 2.0).empty
    empty = quality.jumps(JUMPY.iloc[0:0], 3.0)
    assert empty.empty and list(empty.columns) == COLUMNS



def test_jumps_to_nothing_and_the_floor_of_each_report():
    """EU MNOK 2 → 0 is a jump (0/2 = 0 < 1/3). Alfa's activities 4 → 1 stay below their floor
    (5) although Beta's are 50 in both years: the floor is each pair's own."""
    frame = pd.DataFrame([report(1, 2021, activities_organised=4, funding_eu_mnok=2.0),
                          report(1, 2022, activities_organised=1, funding_eu_mnok=0.0),
                          report(2, 2021, activities_organised=50), report(2, 2022, activities_organised=50)])
    assert [(row[2], row[5], row[6]) for row in rows(quality.jumps(frame, 3.0))] == [
        ("Alfa", "funding_eu_mnok", "2 → 0 from the year before")]

def test_jumps_among_candidates_only():
    """Alfa 10 → 40 → 160 members (each a factor of 4): 2022 and 2023 jump; only 2023 is a
    candidate (`candidate` as the database gives it, 0 or 1)."""
    candidates = pd.DataFrame([report(1, 2021, members_total=10), report(1, 2022, members_total=40),
                               report(1, 2023, members_total=160)]).assign(candidate=[0, 0, 1])
    found = quality.jumps_among(candidates, 3.0)
    assert [(row[3], row[5], row[6]) for row in rows(found)] == [(2023, "members_total", "40 → 160 from the year before")]
    both = quality.jumps_among(candidates.assign(candidate=[0, 1, 1]), 3.0)
    assert list(both["report_year"]) == [2022, 2023]


def test_periods_too_long_under_the_rules_of_their_first_year():
    """Rules of 2019 (arena 3 years, arena_pro 5, tidligfase none) with a change from 2022:
    arena 10 years.
    Alfa arena 2019-2021: 3 years, allowed;
    Beta arena 2019-2022: 4 years of 3, past the limit from 2019 + 3 = 2022;
    Gamma arena 2022-2026: 5 years of 10 (the rule of 2022), allowed;
    Delta arena_pro 2019-2025: 7 years of 5, past it from 2019 + 5 = 2024;
    Eta tidligfase 2010-2030: no limit; Zeta arena 2015-2025: no rule in force in 2015."""
    rules = Rules([*PROGRAMME_2019, Rule("max_years", "arena", 2022, 10, "new")])
    periods = pd.DataFrame([
        (1, "Alfa", "arena", 2019, 2021), (2, "Beta", "arena", 2019, 2022), (3, "Gamma", "arena", 2022, 2026),
        (4, "Delta", "arena_pro", 2019, 2025), (5, "Eta", "tidligfase", 2010, 2030), (6, "Zeta", "arena", 2015, 2025),
    ], columns=["cluster_id", "cluster", "level", "first_year", "last_year"])
    check_frame(quality.periods_too_long(periods, rules), [
        ("rules", 2, "Beta", 2022, "arena", "last_year", "the period 2019–2022 is 4 years; the level allows 3",
         "period_too_long", {"first_year": 2019, "last_year": 2022, "years": 4, "max_years": 3}),
        ("rules", 4, "Delta", 2024, "arena_pro", "last_year", "the period 2019–2025 is 7 years; the level allows 5",
         "period_too_long", {"first_year": 2019, "last_year": 2025, "years": 7, "max_years": 5}),
    ])
    # Gamma's period under the old rule (it would be 5 years of 3) is not past it.
    assert quality.periods_too_long(periods.iloc[[2]], Rules(PROGRAMME_2019))["cluster"].tolist() == ["Gamma"]
    assert quality.periods_too_long(periods.iloc[[2]], rules).empty


def test_reports_outside_periods():
    keys = pd.DataFrame([(1, "Alfa", 2023, "arena"), (3, "Gamma", 2022, "utenfor"), (3, "Gamma", 2024, "utenfor")],
                        columns=["cluster_id", "cluster", "report_year", "level"], index=[4, 5, 6])
    message = "a report for a year with no programme period"
    check_frame(quality.reports_outside_periods(keys), [
        ("rules", 3, "Gamma", 2022, "utenfor", "report_year", message, "report_outside_period", {}),
        ("rules", 3, "Gamma", 2024, "utenfor", "report_year", message, "report_outside_period", {}),
    ])


# --- the findings of a small database -----------------------------------------------------
#
# Alfa (1, Vestland): arena 2020-2024 (5 years of 3: too long from 2023); reports 2021, 2022,
#   2024 (2023 missing); activities 10 in 2021, 40 in 2022 (a jump, 4 times); register of an
#   established company and a start-up ("SÃ¸lvi AS", garbled) since 2019; its 2024 report
#   says 2 established companies (register 1).
# Beta (2, Oslo): arena_pro 2021-2024; one report, 2021 (2022-2024 missing), with 0.5 FTE and
#   no paid persons (a stored warning).
# Gamma (3, Agder): no period; a report for 2022 (outside the programme).
# "KystmÃ¥l" (4, Agder): no period, no report; a garbled name.
# The database has reports for 2021, 2022 and 2024.

CLUSTERS = [(1, "Alfa", "Vestland"), (2, "Beta", "Oslo"), (3, "Gamma", "Agder"), (4, "KystmÃ¥l", "Agder")]
STEADY = {"members_total": 2, "partners_total": 12, "activities_organised": 10, "activities_unique_participants": 310,
          "funding_national_mnok": Decimal("4.5"), "funding_eu_mnok": Decimal("1.2"), "international_activities_new": 3,
          "new_jobs": 6, **counts(established=1, startup=1)}


def write_master(folder):
    folder.mkdir()
    write_csv(folder / "clusters.csv", [
        {"cluster_id": cid, "name": name, "region": region, "sector": "IKT", "orgnr": valid_orgnr(800 + cid)}
        for cid, name, region in CLUSTERS])
    write_csv(folder / "periods.csv", [
        {"cluster_id": 1, "level": "arena", "first_year": 2020, "last_year": 2024, "brand": ""},
        {"cluster_id": 2, "level": "arena_pro", "first_year": 2021, "last_year": 2024, "brand": ""}])
    write_csv(folder / "members.csv", [
        {"cluster_id": 1, "orgnr": valid_orgnr(8100), "name": "Bedrift AS", "member_type": "established",
         "core_member": True, "joined": dt.date(2019, 1, 1), "left": None},
        {"cluster_id": 1, "orgnr": valid_orgnr(8101), "name": "SÃ¸lvi AS", "member_type": "startup",
         "core_member": False, "joined": dt.date(2019, 1, 1), "left": None}])
    return folder


@pytest.fixture
def small(engine, tmp_path):
    def filed(name, year, **changes):
        return example_values(cluster_name=name, report_year=year, period_start=dt.date(year, 1, 1),
                              period_end=dt.date(year, 12, 31), **{**STEADY, **changes})

    write_reports_csv(tmp_path / "reports.csv", [
        filed("Alfa", 2024, members_total=3, members_established=2),
        filed("Alfa", 2021),
        filed("Beta", 2021, mgmt_paid_persons=0, mgmt_paid_women=0, mgmt_fte=Decimal("0.5")),
        filed("Gamma", 2022),
        filed("Alfa", 2022, activities_organised=40),
    ])
    import_paths(engine, [write_master(tmp_path / "master"), tmp_path / "reports.csv"])
    return engine


MISSING = "no annual report for this year"
TOO_LONG = ("rules", 1, "Alfa", 2023, "arena", "last_year", "the period 2020–2024 is 5 years; the level allows 3",
            "period_too_long", {"first_year": 2020, "last_year": 2024, "years": 5, "max_years": 3})
OUTSIDE = ("rules", 3, "Gamma", 2022, "utenfor", "report_year", "a report for a year with no programme period",
           "report_outside_period", {})
WARNING = ("warning", 2, "Beta", 2021, "arena_pro", "mgmt_fte", "0.5 FTE reported with no paid persons in the management",
           "fte_without_paid", {"fte": 0.5})
JUMP = ("jump", 1, "Alfa", 2022, "arena", "activities_organised", "10 → 40 from the year before", "jump",
        {"before": 10.0, "after": 40.0})
MISMATCH = ("register_mismatch", 1, "Alfa", 2024, "arena", "members_total",
            "members by type differ from the register: established 2 (register 1)", "register_mismatch",
            {"differences": [["established", 2, 1]]})


def missing(cluster_id, year):
    return ("missing_report", cluster_id, {1: "Alfa", 2: "Beta"}[cluster_id], year, {1: "arena", 2: "arena_pro"}[cluster_id],
            None, MISSING, "missing_report", {})


def garbled_member(year, level):
    return ("warning", 1, "Alfa", year, level, None,
            f"the member name 'SÃ¸lvi AS' (organisation number {valid_orgnr(8101)}) looks garbled by a wrong text "
            "encoding ('Ã¸' was probably 'ø')", "mojibake_member",
            {"name": "SÃ¸lvi AS", "orgnr": valid_orgnr(8101), "sequence": "Ã¸", "meant": "ø"})


def garbled_cluster(year):
    return ("warning", 4, "KystmÃ¥l", year, "utenfor", "cluster_name",
            "the cluster name 'KystmÃ¥l' looks garbled by a wrong text encoding ('Ã¥' was probably 'å')",
            "mojibake_cluster", {"name": "KystmÃ¥l", "sequence": "Ã¥", "meant": "å"})


def test_findings_of_every_kind_ordered_by_year_cluster_and_kind(small):
    """Years 2021 (first report) to 2024 (last). The register's year is 2024."""
    check_frame(quality.findings(small), [
        WARNING,
        JUMP, missing(2, 2022), OUTSIDE,
        missing(1, 2023), TOO_LONG, missing(2, 2023),
        MISMATCH, garbled_member(2024, "arena"), missing(2, 2024), garbled_cluster(2024),
    ])


def test_findings_within_years_compare_with_the_year_before_them(small):
    """2022-2024: the jump of 2022 is from 2021, outside the years; Beta's warning of 2021 is out."""
    check_frame(quality.findings(small, Filter(years=(2022, 2024)), 3.0), [
        JUMP, missing(2, 2022), OUTSIDE,
        missing(1, 2023), TOO_LONG, missing(2, 2023),
        MISMATCH, garbled_member(2024, "arena"), missing(2, 2024), garbled_cluster(2024),
    ])


def test_findings_of_one_year(small):
    """2024 alone: Beta's report missing (first and last year 2024); Alfa's period (2020-2024)
    overlaps it and is too long."""
    check_frame(quality.findings(small, Filter(years=(2024, 2024))), [
        TOO_LONG, MISMATCH, garbled_member(2024, "arena"), missing(2, 2024), garbled_cluster(2024)])


def test_findings_of_years_reaching_before_the_first_report(small):
    """2019-2021 is 2021 for missing reports (max(2021, 2019) to min(2024, 2021)): Alfa's 2020 is
    not expected. The register's year is 2021, when Alfa was at arena. By year, then cluster
    name (Alfa, Beta, KystmÃ¥l)."""
    check_frame(quality.findings(small, Filter(years=(2019, 2021))), [
        garbled_member(2021, "arena"), WARNING, garbled_cluster(2021), TOO_LONG])


def test_findings_of_years_after_the_last_report(small):
    """2025-2026: no year to expect a report in (2025 > 2024), no period overlaps; the
    register of 2026, when Alfa has no period."""
    check_frame(quality.findings(small, Filter(years=(2025, 2026))), [
        garbled_member(2026, "utenfor"), garbled_cluster(2026)])


def test_findings_follow_the_filter(small):
    """Arena Pro: Beta's missing reports and warning only. Vestland: Alfa's findings only."""
    check_frame(quality.findings(small, Filter(levels=("arena_pro",))), [
        WARNING, missing(2, 2022), missing(2, 2023), missing(2, 2024)])
    check_frame(quality.findings(small, Filter(regions=("Vestland",))), [
        JUMP, missing(1, 2023), TOO_LONG, MISMATCH, garbled_member(2024, "arena")])


def test_findings_at_another_factor(small):
    """10 → 40 is a factor of 4: a jump beyond 3.99, none beyond 4 (more than the factor)."""
    assert quality.findings(small, Filter(), 3.99)["kind"].tolist().count("jump") == 1
    assert quality.findings(small, Filter(), 4.0)["kind"].tolist().count("jump") == 0


def test_findings_without_reports_date_the_register_to_this_year(engine, tmp_path):
    """Master data only: no year to expect reports in; the register's year is this year."""
    import_paths(engine, [write_master(tmp_path / "master")])
    this_year = dt.date.today().year
    found = quality.findings(engine)
    assert [(row[0], row[2], row[3]) for row in rows(found)] == [
        ("rules", "Alfa", 2023), ("warning", "Alfa", this_year), ("warning", "KystmÃ¥l", this_year)]


def test_findings_of_an_empty_database(engine):
    found = quality.findings(engine)
    assert found.empty and list(found.columns) == COLUMNS


# --- the queries the findings read --------------------------------------------------------


def test_periods_with_gaps(small):
    """Between 2021 and 2024 Alfa filed 3 of 4 years (2021-2024 of 2020-2024), Beta 1 of 4.
    Between 2021 and 2022 Alfa filed both, Beta 1 of 2. In 2021 alone both filed."""
    columns = ["cluster_id", "cluster", "level", "first_year", "last_year", "brand"]
    gaps = queries.periods_with_gaps(small, Filter(), 2021, 2024)
    assert list(gaps.columns) == columns
    assert [tuple(row)[:5] for row in gaps.itertuples(index=False)] == [
        (1, "Alfa", "arena", 2020, 2024), (2, "Beta", "arena_pro", 2021, 2024)]
    assert queries.periods_with_gaps(small, Filter(), 2021, 2022)["cluster"].tolist() == ["Beta"]
    assert queries.periods_with_gaps(small, Filter(), 2021, 2021).empty
    # Alfa in 2020-2022 filed 2021 and 2022 of 2020-2022: a gap (2020); Beta's period starts in 2021.
    assert queries.periods_with_gaps(small, Filter(), 2020, 2022)["cluster"].tolist() == ["Alfa", "Beta"]
    # Alfa in 2022-2025: 2022 and 2024 of 2022-2024 (its period ends in 2024).
    assert queries.periods_with_gaps(small, Filter(regions=("Vestland",)), 2022, 2025)["cluster"].tolist() == ["Alfa"]
    assert queries.periods_with_gaps(small, Filter(regions=("Vestland",)), 2024, 2025).empty
    assert queries.periods_with_gaps(small, Filter(levels=("arena",)), 2021, 2024)["cluster"].tolist() == ["Alfa"]


def test_warnings_report_keys_and_reports_outside_programme(small):
    found = queries.warnings(small)
    assert list(found.columns) == ["cluster_id", "cluster", "report_year", "level", "field", "message", "code", "params",
                                   "source_file", "line"]
    assert rows(found[["cluster_id", "cluster", "report_year", "level", "field", "message", "code", "params"]]) == [
        WARNING[1:]]
    assert queries.warnings(small, Filter(years=(2022, 2024))).empty
    assert queries.warnings(small, Filter(levels=("arena",))).empty
    keys = queries.report_keys(small)
    assert list(keys.columns) == ["cluster_id", "report_year"]
    assert sorted(map(tuple, keys.itertuples(index=False))) == [(1, 2021), (1, 2022), (1, 2024), (2, 2021), (3, 2022)]
    assert sorted(map(tuple, queries.report_keys(small, Filter(years=(2022, 2022))).itertuples(index=False))) == [
        (1, 2022), (3, 2022)]
    outside = queries.reports_outside_programme(small)
    assert list(outside.columns) == ["cluster_id", "cluster", "report_year", "level"]
    assert rows(outside) == [(3, "Gamma", 2022, "utenfor")]
    assert queries.reports_outside_programme(small, Filter(years=(2023, 2024))).empty


def test_register_differences_and_jump_candidates(small):
    """Alfa's 2024 report differs from its register (established 2, register 1); the jump
    candidates at a factor of 3 are Alfa's 2022 report (10 → 40 activities) with its 2021."""
    differences = queries.register_differences(small)
    assert list(differences.columns) == ["cluster_id", "cluster", "report_year", "level", *MEMBER_COUNT_FIELDS,
                                         *(f"register_{field}" for field in MEMBER_COUNT_FIELDS)]
    assert rows(differences[["cluster_id", "report_year", "level", "members_established", "register_members_established",
                             "members_startup", "register_members_startup"]]) == [(1, 2024, "arena", 2, 1, 1, 1)]
    assert queries.register_differences(small, Filter(years=(2021, 2022))).empty
    candidates = queries.jump_candidates(small, Filter(), quality.JUMP_FIELDS, 3.0)
    assert list(candidates.columns) == ["cluster_id", "cluster", "region", "sector", "level", "brand", "report_year",
                                        *[name for name in candidates.columns if name in quality.JUMP_FIELDS], "candidate"]
    assert set(candidates.columns) >= set(quality.JUMP_FIELDS)
    assert [(row.report_year, row.activities_organised, bool(row.candidate)) for row in candidates.itertuples()] == [
        (2021, 10, False), (2022, 40, True)]
    # Exactly 4 times is a candidate at a factor of 4 (ties are in), not at 4.01; nor within 2023-2024.
    assert len(queries.jump_candidates(small, Filter(), quality.JUMP_FIELDS, 4.0)) == 2
    assert queries.jump_candidates(small, Filter(), quality.JUMP_FIELDS, 4.01).empty
    assert queries.jump_candidates(small, Filter(years=(2023, 2024)), quality.JUMP_FIELDS, 3.0).empty
    # Down: at a factor of 1.1, 2024 (40) against 2023 (no report) is nothing; 2022 → 2021 is not a pair backwards.
    assert [int(y) for y in queries.jump_candidates(small, Filter(), {"activities_organised": 41}, 3.0)["report_year"]] == []
    assert [int(y) for y in queries.jump_candidates(small, Filter(), {"activities_organised": 40}, 3.0)["report_year"]] == [
        2021, 2022]


@pytest.fixture
def outside(engine, tmp_path):
    """Zulu (1, Vestland, Sjømat) and Alfa (2, Agder, IKT): no period; one established member
    each since 2019 (the reports say 34, see `example_values`); 40 activities in 2021, 10 in
    2022 (a drop to a quarter). Imported Zulu first, 2022 first."""
    folder = tmp_path / "master"
    folder.mkdir()
    write_csv(folder / "clusters.csv", [
        {"cluster_id": 1, "name": "Zulu", "region": "Vestland", "sector": "Sjømat", "orgnr": valid_orgnr(901)},
        {"cluster_id": 2, "name": "Alfa", "region": "Agder", "sector": "IKT", "orgnr": valid_orgnr(902)}])
    write_csv(folder / "periods.csv", [], ["cluster_id", "level", "first_year", "last_year", "brand"])
    write_csv(folder / "members.csv", [
        {"cluster_id": cid, "orgnr": valid_orgnr(9100 + cid), "name": f"Bedrift {cid} AS", "member_type": "established",
         "core_member": True, "joined": dt.date(2019, 1, 1), "left": None} for cid in (1, 2)])
    write_reports_csv(tmp_path / "reports.csv", [
        example_values(cluster_name=name, report_year=year, period_start=dt.date(year, 1, 1), period_end=dt.date(year, 12, 31),
                       activities_organised=activities)
        for name in ("Zulu", "Alfa") for year, activities in ((2022, 10), (2021, 40))])
    import_paths(engine, [folder, tmp_path / "reports.csv"])
    return engine


def test_queries_order_by_year_then_cluster_name(outside):
    expected = [(2021, "Alfa"), (2021, "Zulu"), (2022, "Alfa"), (2022, "Zulu")]
    found = queries.reports_outside_programme(outside)
    assert list(zip(found["report_year"], found["cluster"])) == expected
    assert set(found["level"]) == {"utenfor"}
    differences = queries.register_differences(outside)  # 34 established in the reports, 1 in the registers
    assert list(zip(differences["report_year"], differences["cluster"])) == expected
    # 10 is a quarter of 40: at a factor of 4 (a tie), when only the year before reaches the least value of 40.
    candidates = queries.jump_candidates(outside, Filter(), {"activities_organised": 40}, 4.0)
    assert [(row.report_year, row.cluster, row.activities_organised, bool(row.candidate)) for row in candidates.itertuples()] \
        == [(2021, "Alfa", 40, False), (2021, "Zulu", 40, False), (2022, "Alfa", 10, True), (2022, "Zulu", 10, True)]
    assert queries.jump_candidates(outside, Filter(), {"activities_organised": 41}, 4.0).empty
    assert queries.jump_candidates(outside, Filter(), {"activities_organised": 40}, 4.01).empty
    # Reports outside the programme are at the level `utenfor`, and a filter can choose it.
    assert len(queries.report_keys(outside, Filter(levels=("utenfor",)))) == 4
    options = queries.filter_options(outside)
    assert (options.years, options.regions, options.sectors, options.clusters) == (
        (2021, 2022), ("Agder", "Vestland"), ("IKT", "Sjømat"), ((2, "Alfa"), (1, "Zulu")))


def test_periods_overlapping_the_years_by_name_then_first_year(engine, tmp_path):
    """The hand-made programme (tests/factories.py): in 2019-2020, Beta (2019-2025) and Gamma
    (2020-2030); not Alfa (from 2021). In 2020-2021 also Alfa's arena period (2021-2023), not its
    arena_pro one (2024-2028)."""
    import_paths(engine, [hand_made(tmp_path / "hand")])
    found = queries.periods(engine, Filter(years=(2019, 2020)))
    assert list(found.columns) == ["cluster_id", "cluster", "level", "first_year", "last_year", "brand"]
    assert list(zip(found["cluster"], found["first_year"])) == [("Beta", 2019), ("Gamma", 2020)]
    assert list(zip(queries.periods(engine, Filter(years=(2020, 2021)))["cluster"],
                    queries.periods(engine, Filter(years=(2020, 2021)))["level"])) == [
        ("Alfa", "arena"), ("Beta", "arena_pro"), ("Gamma", "moden")]
    every = queries.periods(engine)
    assert list(zip(every["cluster"], every["first_year"]))[:3] == [("Alfa", 2021), ("Alfa", 2024), ("Beta", 2019)]
    assert every["cluster"].tolist() == ["Alfa", "Alfa", "Beta", "Delta", "Epsilon", "Gamma", "Theta", "Zeta"]
    assert set(every["brand"].fillna("")) == {""}

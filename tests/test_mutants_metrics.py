"""The formulas of `klynge.metrics` over small frames made by hand, each checked against
values worked out here (the arithmetic is in the comments), not against the code. Written to
kill the mutants that survived `scripts/mutation.sh`: every derived column by name and value,
the boundaries of the time limit, the order of levels, and the empty cases."""

from __future__ import annotations

import math
from decimal import Decimal

import pandas as pd
import pytest

from klynge import metrics
from klynge.domain import MEMBER_TYPES
from klynge.reports.fields import SUMMED_FIELDS
from klynge.rules import DEFAULT_RULES

# Every project field with a different power of two, so that any field left out, counted twice
# or subtracted gives a different total.
PROJECTS = {
    "prog_competence_training": 1, "prog_competence_education": 2,
    "prog_intl_fairs": 4, "prog_intl_training": 8, "prog_intl_market_positions": 16,
    "prog_innovation_collaboration": 32, "prog_innovation_prestudy": 64, "prog_innovation_investment": 128,
    "other_competence_projects": 256, "other_intl_projects": 512, "other_innovation_projects": 1024,
    "custom_type_projects": 2048,
}


def report(**values) -> dict:
    """One report (or one per-level sum) with every summed figure 0 but `values`."""
    row = {"level": "arena", "report_year": 2024, **{name: 0 for name in SUMMED_FIELDS}}
    row.update(values)
    return row


def frame(*rows: dict, index=None) -> pd.DataFrame:
    # An index that is not 0, 1, ...: a result built on a fresh index would not line up.
    return pd.DataFrame(list(rows), index=index if index is not None else [10 + i for i in range(len(rows))])


def test_every_derived_figure_of_one_report_by_hand():
    """Each derived column of `with_derived` has its name and its value for a report with
    every project field set, and keeps the report's own index."""
    row = report(
        funding_national_mnok=1.0001, funding_eu_mnok=0.0001,
        activities_organised=4, activities_unique_participants=10,
        steering_members=8, steering_women=2, mgmt_paid_persons=5, mgmt_paid_women=4,
        members_total=20, **PROJECTS,
        prog_with_rnd=7, other_with_rnd=3, prog_with_international_partners=5, other_with_international_partners=2,
        prog_new_cluster_collaborations=6, other_new_cluster_collaborations=1,
        prog_new_cluster_collaborations_international=4, other_new_cluster_collaborations_international=3,
        years_in_level=1)
    derived = metrics.with_derived(frame(row), DEFAULT_RULES)
    assert list(derived.index) == [10]
    got = derived.loc[10]
    # 1.0001 + 0.0001 = 1.0002 MNOK, rounded to the thousandth: 1.0
    assert got["funding_triggered_mnok"] == 1.0
    assert got["participants_per_activity"] == 2.5  # 10 / 4
    assert got["steering_women_share"] == 0.25  # 2 / 8
    assert got["mgmt_women_share"] == 0.8  # 4 / 5
    assert got["prog_projects"] == 255  # 1 + 2 + ... + 128
    assert got["other_projects"] == 256 + 512 + 1024 + 2048  # 3840
    assert got["projects_total"] == 4095
    assert got["projects_per_10_members"] == pytest.approx(10 * 4095 / 20)  # 2047.5
    assert got["competence_projects"] == 1 + 2 + 256  # 259
    assert got["internationalisation_projects"] == 4 + 8 + 16 + 512  # 540
    assert got["intl_projects"] == 540
    assert got["innovation_projects"] == 32 + 64 + 128 + 1024  # 1248
    assert got["projects_with_rnd"] == 10  # 7 + 3
    assert got["with_international_partners"] == 7  # 5 + 2
    assert got["projects_asked"] == 4095 - 2048  # the custom ones are not asked about: 2047
    assert got["rnd_share"] == pytest.approx(10 / 2047)
    assert got["international_partner_share"] == pytest.approx(7 / 2047)
    assert got["cluster_collaborations"] == 7  # 6 + 1
    assert got["international_cluster_collaborations"] == 7  # 4 + 3
    # Arena in 2024: 2 MNOK operating support and none for development; 1.0 / 2.0
    assert (got["programme_money_mnok"], got["leverage"]) == (2.0, 0.5)


def test_the_fields_each_derived_figure_reads_by_hand():
    """`fields_for` names the report fields behind a figure, through the derived figures it
    reads, each once and in the order its formula reads them; a report field stands for itself."""
    assert metrics.fields_for(["leverage"]) == ("funding_national_mnok", "funding_eu_mnok")
    assert metrics.fields_for(["intl_projects"]) == ("prog_intl_fairs", "prog_intl_training", "prog_intl_market_positions",
                                                     "other_intl_projects")
    assert metrics.fields_for(["members_total", "steering_women_share"]) == (
        "members_total", "steering_women", "steering_members")
    # R&D projects over the projects asked: all of them (the custom ones are subtracted)
    assert metrics.fields_for(["rnd_share"]) == ("prog_with_rnd", "other_with_rnd", *PROJECTS)
    assert metrics.fields_for(["projects_per_10_members"]) == (*PROJECTS, "members_total")
    assert metrics.fields_for(["participants_per_activity"]) == ("activities_unique_participants", "activities_organised")
    assert metrics.fields_for(["programme_money_mnok"]) == ()
    assert metrics.fields_for([]) == ()


def test_the_glossary_names_every_field_a_figure_reads():
    """An indicator's source fields (the glossary's) are the fields its formula reads, all of
    them canonical: a share names its denominator's fields too."""
    from klynge.indicators import INDICATOR_BY_KEY, INDICATORS
    from klynge.reports.fields import FIELD_NAMES

    assert all(set(indicator.sources) <= set(FIELD_NAMES) for indicator in INDICATORS)
    assert INDICATOR_BY_KEY["international_partner_share"].sources == (
        "prog_with_international_partners", "other_with_international_partners", *PROJECTS)
    assert INDICATOR_BY_KEY["leverage"].sources == ("funding_national_mnok", "funding_eu_mnok")  # programme money: the rules
    assert INDICATOR_BY_KEY["clusters"].sources == INDICATOR_BY_KEY["programme_money_mnok"].sources == ()
    assert INDICATOR_BY_KEY["new_jobs"].sources == ("new_jobs",)


def test_each_derived_figure_from_only_the_fields_it_reads():
    """A frame with only `fields_for([figure])` (and the level, year and year in level) gives
    `figure` the value the whole report gives it, and no derived figure it does not read."""
    row = report(funding_national_mnok=3.0, funding_eu_mnok=1.0, activities_organised=4, activities_unique_participants=10,
                 steering_members=8, steering_women=2, mgmt_paid_persons=5, mgmt_paid_women=4, members_total=20, **PROJECTS,
                 prog_with_rnd=7, other_with_rnd=3, prog_with_international_partners=5, other_with_international_partners=2,
                 prog_new_cluster_collaborations=6, other_new_cluster_collaborations=1,
                 prog_new_cluster_collaborations_international=4, other_new_cluster_collaborations_international=3,
                 years_in_level=1)
    whole = metrics.with_derived(frame(row), DEFAULT_RULES).loc[10]
    for figure in metrics.DERIVED:
        narrow = frame(row)[["level", "report_year", "years_in_level", *metrics.fields_for([figure])]]
        derived = metrics.with_derived(narrow, DEFAULT_RULES, [figure])
        assert derived.loc[10, figure] == pytest.approx(whole[figure]), figure
    only = metrics.with_derived(frame(row), DEFAULT_RULES, ["leverage"])
    assert [name for name in only if name in metrics.DERIVED] == ["funding_triggered_mnok", "programme_money_mnok", "leverage"]
    assert (only.loc[10, "funding_triggered_mnok"], only.loc[10, "leverage"]) == (4.0, 2.0)  # (3 + 1) / 2 MNOK for Arena
    shares = metrics.with_derived(frame(row), DEFAULT_RULES, ["international_partner_share"])
    assert [name for name in shares if name in metrics.DERIVED] == [
        "prog_projects", "other_projects", "projects_total", "with_international_partners", "projects_asked",
        "international_partner_share"]


def test_shares_with_nothing_to_divide_by_are_missing_not_infinite():
    """A report with no activities, no steering group, no paid management and no projects
    asked about has missing ratios, and its leverage is missing without programme money."""
    got = metrics.with_derived(frame(report(level="tidligfase", activities_unique_participants=5,
                                            steering_women=1, mgmt_paid_women=1, prog_with_rnd=1,
                                            funding_national_mnok=3.0)), DEFAULT_RULES).iloc[0]
    for name in ("participants_per_activity", "steering_women_share", "mgmt_women_share", "projects_per_10_members",
                 "rnd_share", "international_partner_share", "leverage"):
        assert math.isnan(got[name]), name
    assert got["programme_money_mnok"] == 0.0  # the early stage gets no money


def test_derived_columns_replace_those_the_frame_already_has():
    """Derived again, a frame holds each derived column once, with the new value."""
    once = metrics.with_derived(frame(report(funding_national_mnok=2.0, funding_eu_mnok=1.0)), DEFAULT_RULES)
    again = metrics.with_derived(once.assign(funding_eu_mnok=3.0), DEFAULT_RULES)
    assert list(again.columns).count("funding_triggered_mnok") == 1
    assert again["funding_triggered_mnok"].tolist() == [5.0]  # 2 + 3


@pytest.mark.parametrize(("years_in_level", "money"), [(1, 2.0), (3, 2.0), (4, 0.0), (None, 2.0)])
def test_an_arena_report_gets_money_up_to_and_including_its_third_year(years_in_level, money):
    """Arena lasts three years (max_years 3): 2 MNOK in years 1 to 3, none in the fourth; a
    report with no known year in the level (outside a period) is not counted as past it."""
    row = report(years_in_level=years_in_level)
    assert metrics.programme_money(frame(row), DEFAULT_RULES).tolist() == [money]


def test_a_report_frame_without_years_in_level_is_funded():
    """Without `years_in_level` nothing says a report is past its limit: every row is funded."""
    rows = frame(report(level="arena"), report(level="arena_pro"))
    assert metrics.funded_clusters(rows, DEFAULT_RULES).tolist() == [1.0, 1.0]
    assert metrics.programme_money(rows, DEFAULT_RULES).tolist() == [2.0, 6.0]  # Arena 2 + 0, Arena Pro 3 + 3


def test_per_level_sums_fund_the_clusters_not_past_their_limit():
    """For per-level sums: the clusters, less those past the limit when that is known."""
    sums = frame(report(level="arena_pro", clusters=4, clusters_beyond_limit=1),
                 report(level="arena", clusters=3, clusters_beyond_limit=0))
    assert metrics.funded_clusters(sums, DEFAULT_RULES).tolist() == [3.0, 3.0]
    without = sums.drop(columns=["clusters_beyond_limit"])
    assert metrics.funded_clusters(without, DEFAULT_RULES).tolist() == [4.0, 3.0]
    # Arena Pro: 6 MNOK x (4 - 1) = 18; Arena: 2 MNOK x 3 = 6
    assert metrics.programme_money(sums, DEFAULT_RULES).tolist() == [18.0, 6.0]


def _sums(level: str, year: int, clusters: float) -> dict:
    return {"level": level, "report_year": year, **{figure: clusters for figure in metrics.KEY_FIGURES}}


def test_key_figures_in_level_order_with_none_for_a_year_without_reports():
    """Levels in the programme's order (not the alphabet's), unknown levels last; a level
    with no row in one of the two years has None there, and no change."""
    derived = pd.DataFrame([
        _sums("utenfor", 2024, 1), _sums("moden", 2024, 4), _sums("arena", 2023, 2), _sums("arena", 2024, 5),
        _sums("tidligfase", 2023, 7),
    ])
    key = metrics.key_figures(derived, 2024)
    assert list(dict.fromkeys(key["level"])) == ["tidligfase", "arena", "moden", "utenfor"]
    assert list(key["figure"][:len(metrics.KEY_FIGURES)]) == list(metrics.KEY_FIGURES)
    rows = {level: row for level, row in key[key["figure"] == "clusters"].set_index("level").iterrows()}
    assert (rows["arena"]["value"], rows["arena"]["previous"], rows["arena"]["change"]) == (5, 2, 3)  # 5 - 2
    # (None in a column of numbers is NaN)
    assert pd.isna(rows["tidligfase"]["value"]) and rows["tidligfase"]["previous"] == 7 and pd.isna(rows["tidligfase"]["change"])
    assert rows["moden"]["value"] == 4 and pd.isna(rows["moden"]["previous"]) and pd.isna(rows["moden"]["change"])
    assert metrics.key_figures(derived.iloc[:0], 2024).empty


def test_level_order_puts_unknown_levels_after_the_known_ones():
    assert [metrics.level_order(code) for code in ("tidligfase", "arena", "arena_pro", "moden")] == [1, 2, 3, 4]
    assert metrics.level_order("utenfor") > 4 and metrics.level_order("alle") > 4


def test_totals_add_up_the_levels_per_year():
    """The per-level sums of each year added up, under the level `alle`."""
    summary = pd.DataFrame([
        {"report_year": 2023, "level": "arena", "clusters": 4, "funding_eu_mnok": 1.5},
        {"report_year": 2023, "level": "moden", "clusters": 1, "funding_eu_mnok": 5.0},
        {"report_year": 2024, "level": "arena", "clusters": 3, "funding_eu_mnok": 1.5},
    ])
    total = metrics.totals(summary).set_index("report_year")
    assert total.loc[2023, "clusters"] == 5 and total.loc[2023, "funding_eu_mnok"] == 6.5  # 4 + 1; 1.5 + 5.0
    assert total.loc[2024, "clusters"] == 3
    assert set(total["level"]) == {"alle"}
    assert metrics.totals(summary.iloc[:0]).empty


def test_member_composition_counts_and_shares_per_group():
    """Two Arena reports and one Arena Pro report: members by type summed per level, a row
    per level and type, with each type's share of its level."""
    zero = {t.report_field: 0 for t in MEMBER_TYPES}
    frame_ = pd.DataFrame([
        {"level": "arena", **zero, "members_established": 6, "members_rnd": 2},
        {"level": "arena", **zero, "members_established": 2},
        {"level": "arena_pro", **zero, "members_startup": 5},
    ])
    long = metrics.member_composition(frame_, ["level"])
    assert len(long) == 2 * len(MEMBER_TYPES) and "field" not in long
    got = {(row.level, row.member_type): (row.members, row.share) for row in long.itertuples()}
    assert got[("arena", "established")] == (8, 0.8)  # 6 + 2 of 10
    assert got[("arena", "rnd")] == (2, 0.2)  # 2 of 10
    assert got[("arena", "startup")] == (0, 0.0)
    assert got[("arena_pro", "startup")] == (5, 1.0)
    assert got[("arena_pro", "established")] == (0, 0.0)



def test_member_composition_keeps_the_groups_in_the_order_they_come():
    """The per-cluster bars are drawn largest first, as the clusters come, not by name:
    Zeta (9 members) before Alfa (4), each group's rows in the order of the member types."""
    zero = {t.report_field: 0 for t in MEMBER_TYPES}
    frame_ = pd.DataFrame([{"cluster": "Zeta", **zero, "members_established": 9},
                           {"cluster": "Alfa", **zero, "members_rnd": 4}])
    long = metrics.member_composition(frame_, ["cluster"])
    assert long["cluster"].tolist() == ["Zeta", "Alfa"] * len(MEMBER_TYPES)
    assert long["member_type"].tolist() == [t.code for t in MEMBER_TYPES for _ in range(2)]
    by_type = long.groupby("member_type", sort=False)["members"].agg(list)
    assert (by_type["established"], by_type["rnd"]) == ([9, 0], [0, 4])  # Zeta, then Alfa

def test_member_composition_of_a_group_without_members_has_no_shares():
    zero = {t.report_field: 0 for t in MEMBER_TYPES}
    long = metrics.member_composition(pd.DataFrame([{"level": "arena", **zero}]), ["level"])
    assert long["members"].sum() == 0 and long["share"].isna().all()


def test_five_point_coverage_names_the_points_missing():
    """Established companies, start-ups, investors, R&D and public actors: a cluster with all
    five covers 5; one with R&D and start-ups only misses three; a zero count is missing."""
    zero = {t.report_field: 0 for t in MEMBER_TYPES}
    counts = pd.DataFrame([
        {"cluster_id": 1, "cluster": "A", "level": "arena", **zero, "members_established": 3, "members_startup": 1,
         "members_investor": 1, "members_rnd": 2, "members_public": 1},
        {"cluster_id": 2, "cluster": "B", "level": "arena", **zero, "members_rnd": 1, "members_startup": 4,
         "members_cluster": 9},
    ])
    coverage = metrics.five_point_coverage(counts).set_index("cluster_id")
    assert list(coverage.columns) == ["cluster", "level", "established", "startup", "investor", "rnd", "public", "covered",
                                      "missing"]
    assert (coverage.loc[1, "covered"], coverage.loc[1, "missing"]) == (5, [])
    assert (coverage.loc[2, "covered"], coverage.loc[2, "missing"]) == (2, ["established", "investor", "public"])
    assert [bool(coverage.loc[2, point]) for point in ("established", "startup", "investor", "rnd", "public")] == \
        [False, True, False, True, False]


def test_project_categories_per_group_financing_and_category():
    """New projects by financing and category, summed per group: programme projects in three
    categories, other projects in four (with the custom ones)."""
    rows = pd.DataFrame([
        {"level": "arena", **PROJECTS},
        {"level": "arena", **PROJECTS},
        {"level": "moden", **{name: 0 for name in PROJECTS}, "custom_type_projects": 3},
    ])
    found = metrics.project_categories(rows, ["level"])
    assert list(found.columns) == ["level", "financing", "category", "projects"]
    got = {(row.level, row.financing, row.category): row.projects for row in found.itertuples()}
    assert got == {
        ("arena", "programme", "competence"): 2 * (1 + 2),
        ("arena", "programme", "internationalisation"): 2 * (4 + 8 + 16),
        ("arena", "programme", "innovation"): 2 * (32 + 64 + 128),
        ("arena", "other", "competence"): 2 * 256,
        ("arena", "other", "internationalisation"): 2 * 512,
        ("arena", "other", "innovation"): 2 * 1024,
        ("arena", "other", "custom"): 2 * 2048,
        ("moden", "programme", "competence"): 0,
        ("moden", "programme", "internationalisation"): 0,
        ("moden", "programme", "innovation"): 0,
        ("moden", "other", "competence"): 0,
        ("moden", "other", "internationalisation"): 0,
        ("moden", "other", "innovation"): 0,
        ("moden", "other", "custom"): 3,
    }
    # Groups in sorted order, and without grouping one row per financing and category for all.
    assert list(dict.fromkeys(metrics.project_categories(rows.iloc[::-1], ["level"])["level"])) == ["arena", "moden"]
    overall = metrics.project_categories(rows, [])
    assert list(overall.columns) == ["financing", "category", "projects"]
    assert overall["projects"].tolist() == [6, 56, 448, 512, 1024, 2048, 4096 + 3]


def test_level_medians_with_every_cluster_left_out_has_the_columns_and_no_rows():
    reports = pd.DataFrame([{"cluster_id": 1, "report_year": 2024, "level": "arena", "members_total": 30}])
    medians = metrics.level_medians(reports, ["members_total"], exclude=(1,))
    assert medians.empty and list(medians.columns) == ["report_year", "level", "members_total", "n_members_total"]


def test_level_medians_of_three_peers_and_of_two():
    """The median needs three reports with a value: 10, 20, 40 gives 20 (n 3); a level with
    two, or with three of which one has no value, has none."""
    reports = pd.DataFrame([
        {"cluster_id": i, "report_year": 2024, "level": level, "members_total": value}
        for i, (level, value) in enumerate([("arena", 10), ("arena", 40), ("arena", 20), ("moden", 5), ("moden", 7),
                                            ("moden", None)])
    ])
    medians = metrics.level_medians(reports, ["members_total"]).set_index("level")
    assert (medians.loc["arena", "members_total"], medians.loc["arena", "n_members_total"]) == (20, 3)
    assert math.isnan(medians.loc["moden", "members_total"]) and medians.loc["moden", "n_members_total"] == 2


def test_level_moves_count_only_promotions_between_programme_levels():
    """Worked by hand: c1 and c7 move Arena -> Arena Pro, c2 Tidligfase -> Moden (two steps at
    once); c3 moves down, c4 comes in from outside, c6 leaves it, c8 stays, c5 reports one
    year only."""
    moves = [("c1", "arena", "arena_pro"), ("c2", "tidligfase", "moden"), ("c3", "arena_pro", "arena"),
             ("c4", "utenfor", "arena"), ("c5", None, "arena"), ("c6", "arena", "utenfor"), ("c7", "arena", "arena_pro"),
             ("c8", "moden", "moden")]
    rows = [(cluster, year, level) for cluster, before, after in moves
            for year, level in ((2023, before), (2024, after)) if level is not None]
    reports = pd.DataFrame(rows, columns=["cluster_id", "report_year", "level"])
    moved = metrics.level_moves(reports, 2024)
    assert list(moved.index) == ["tidligfase", "arena", "arena_pro", "moden"] and moved.index.name == "level"
    assert moved["moved_up"].tolist() == [1, 2, 0, 0]
    assert moved["moved_in"].tolist() == [0, 0, 2, 1]
    assert metrics.level_moves(reports, 2030)["moved_up"].tolist() == [0, 0, 0, 0]
    # The changes themselves: every cluster with a report in both years and another level, moves up first.
    changes = metrics.level_changes(reports, 2024)
    assert list(changes.columns) == ["from", "to", "up"]
    assert [(cid, *row) for cid, row in zip(changes.index, changes.values.tolist())] == [
        ("c1", "arena", "arena_pro", True), ("c2", "tidligfase", "moden", True), ("c7", "arena", "arena_pro", True),
        ("c3", "arena_pro", "arena", False), ("c4", "utenfor", "arena", False), ("c6", "arena", "utenfor", False)]
    # No change at all: the same columns, `up` still a yes/no column, indexed by cluster.
    none = metrics.level_changes(reports, 2030)
    assert none.empty and list(none.columns) == ["from", "to", "up"]
    assert none["up"].dtype == bool and none.index.name == "cluster_id"


def test_level_changes_name_the_clusters_and_order_them_by_name_then_id():
    """With names: moves up first, then by name, then by id (two clusters share a name)."""
    rows = [(3, "Beta", 2023, "arena"), (3, "Beta", 2024, "arena_pro"), (1, "Alfa", 2023, "arena"), (1, "Alfa", 2024, "moden"),
            (7, "Alfa", 2023, "moden"), (7, "Alfa", 2024, "arena"), (2, "Alfa", 2023, "arena_pro"), (2, "Alfa", 2024, "arena"),
            (5, "Gamma", 2023, "arena"), (5, "Gamma", 2024, "arena")]
    reports = pd.DataFrame(rows, columns=["cluster_id", "cluster", "report_year", "level"])
    changes = metrics.level_changes(reports, 2024)
    assert list(changes.columns) == ["cluster", "from", "to", "up"]
    assert changes.reset_index().values.tolist() == [
        [1, "Alfa", "arena", "moden", True], [3, "Beta", "arena", "arena_pro", True],
        [2, "Alfa", "arena_pro", "arena", False], [7, "Alfa", "moden", "arena", False]]


def test_group_comparison_by_hand_with_gaps_an_odd_and_an_even_group_and_a_ratio():
    reports = pd.DataFrame({
        "region": ["Oslo", "Oslo", "Oslo", "Agder", "Agder", "Agder", "Agder", None, "Troms"],
        "value": [5.0, 1.0, 3.0, 10.0, 2.0, 4.0, None, 100.0, None],
        "above": [1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 2.0, 9.0, 1.0],
        "below": [1.0, 1.0, 2.0, 1.0, 1.0, 1.0, 1.0, 9.0, None],
    })
    frame = metrics.group_comparison(reports, "value", "region")
    # Sorted by the group; the row without a county is in none.
    assert frame["region"].tolist() == ["Agder", "Oslo", "Troms"]
    assert frame["clusters"].tolist() == [4, 3, 1] and frame["n"].tolist() == [3, 3, 0]
    # Counts stay whole numbers (a table writes 4, not 4,0), figures are floats.
    assert frame.dtypes.astype(str).tolist()[1:] == ["int64", "int64", "float64", "float64"]
    # Agder: 2, 4, 10 -> 4; Oslo: 1, 3, 5 -> 3; Troms: no value, so no median and no sum (not 0).
    assert frame["median"].tolist()[:2] == [4.0, 3.0] and math.isnan(frame["median"].iloc[2])
    assert frame["total"].tolist()[:2] == [16.0, 9.0] and math.isnan(frame["total"].iloc[2])
    # An even group: the mean of the middle two (1, 3, 5, 7 -> 4).
    even = pd.DataFrame({"region": ["Oslo"] * 4, "value": [7.0, 1.0, 5.0, 3.0]})
    assert metrics.group_comparison(even, "value", "region")["median"].tolist() == [4.0]
    # Fewer than MIN_PEERS values: no median, but the sum.
    two = metrics.group_comparison(reports.iloc[:2], "value", "region")
    assert math.isnan(two["median"].iloc[0]) and two["total"].iloc[0] == 6.0
    # A ratio: the numerators' sum over the denominators' (Oslo 3 / 4, Agder 8 / 4); Troms has a
    # denominator not set, so no figure.
    ratio = metrics.group_comparison(reports, "value", "region", ("above", "below")).set_index("region")["total"]
    assert ratio["Oslo"] == 0.75 and ratio["Agder"] == 2.0 and math.isnan(ratio["Troms"])
    zero = pd.DataFrame({"region": ["Oslo"], "value": [1.0], "above": [1.0], "below": [0.0]})
    assert math.isnan(metrics.group_comparison(zero, "value", "region", ("above", "below"))["total"].iloc[0])


def test_group_comparison_of_no_reports_of_no_values_and_of_a_single_value():
    empty = metrics.group_comparison(pd.DataFrame({"level": [], "value": []}), "value", "level")
    assert list(empty.columns) == ["level", "clusters", "n", "median", "total"] and empty.empty
    # No report has the figure: every group is there, with no median and no sum.
    none = metrics.group_comparison(pd.DataFrame({"level": ["arena", "moden"], "value": [None, None]}), "value", "level")
    assert none["clusters"].tolist() == [1, 1] and none["n"].tolist() == [0, 0]
    assert none["median"].isna().all() and none["total"].isna().all()
    # One value is a sum (of one), not a gap.
    one = metrics.group_comparison(pd.DataFrame({"level": ["arena", "arena"], "value": [7.0, None]}), "value", "level")
    assert one["total"].tolist() == [7.0] and one["n"].tolist() == [1]
    # A ratio where one of a group's denominators is not set has no figure, even beside set ones.
    ratio = pd.DataFrame({"level": ["arena"] * 3, "value": [1.0] * 3, "above": [1.0, 2.0, 3.0], "below": [1.0, None, 2.0]})
    assert math.isnan(metrics.group_comparison(ratio, "value", "level", ("above", "below"))["total"].iloc[0])


def test_counts_summed_from_whole_numbers_stay_whole_numbers():
    """Projects and collaborations are sums of counts: integers when the reports' counts are
    (a table or chart shows "3", never "3.0"), floats only where a figure can be missing."""
    derived = metrics.with_derived(frame(report(**PROJECTS, members_total=10)), DEFAULT_RULES)
    for name in ("prog_projects", "other_projects", "projects_total", "competence_projects", "projects_asked",
                 "with_international_partners", "cluster_collaborations"):
        assert derived[name].dtype == "int64", name
    assert derived.loc[10, "projects_total"] == 4095 and derived.loc[10, "projects_asked"] == 4095 - 2048
    with_gap = metrics.with_derived(frame(report(**PROJECTS), report(prog_intl_fairs=None)), DEFAULT_RULES)
    assert with_gap["prog_projects"].dtype == "float64" and math.isnan(with_gap.loc[11, "prog_projects"])


def test_level_comparison_of_nothing_and_of_two_years():
    empty = metrics.level_comparison(pd.DataFrame(columns=["level", "report_year", "value"]), "value")
    assert empty.empty and list(empty.columns) == ["level", "clusters", "n", "median", "total"]
    two_years = pd.DataFrame({"level": ["arena", "arena"], "report_year": [2023, 2024], "value": [1, 2]})
    with pytest.raises(ValueError, match="compares the reports of one year"):
        metrics.level_comparison(two_years, "value")


def test_levels_the_programme_does_not_know_come_after_its_own_in_the_order_of_their_codes():
    reports = pd.DataFrame({"level": ["zz", "arena", "aa", "tidligfase", "zz"], "report_year": 2024,
                            "value": [1.0, 2.0, 3.0, 4.0, 5.0]})
    comparison = metrics.level_comparison(reports, "value")
    assert comparison["level"].tolist() == ["tidligfase", "arena", "aa", "zz", metrics.WHOLE_PROGRAMME]
    assert comparison["clusters"].tolist() == [1, 1, 1, 2, 5] and comparison["total"].tolist() == [4.0, 2.0, 3.0, 6.0, 15.0]


def test_derived_figures_of_object_and_nullable_columns_are_floats():
    """A column of Python objects (Decimals, as a NUMERIC column read without conversion gives
    them, or None wherever nothing was read) and pandas' nullable integers: the derived figures
    are floats, missing where a part is missing (a None in a sum was a TypeError). 30 participants over 4 activities is 7.5; 3 of 4 board members women, 0.75; 2 + 1
    projects with international partners, 3."""
    frame_ = pd.DataFrame({"activities_unique_participants": [Decimal("30"), Decimal("9")],
                           "activities_organised": pd.array([4, None], dtype="Int64"),
                           "steering_women": pd.array([3, 1], dtype="Int64"), "steering_members": [Decimal("4"), None],
                           "prog_with_international_partners": [Decimal("2"), None],
                           "other_with_international_partners": pd.array([1, None], dtype="Int64")})
    derived = metrics.with_derived(frame_, None, ("participants_per_activity", "steering_women_share",
                                                  "with_international_partners"))
    for figure, expected in (("participants_per_activity", 7.5), ("steering_women_share", 0.75),
                             ("with_international_partners", 3.0)):
        assert derived[figure].dtype == float, figure
        assert derived[figure].iloc[0] == expected and math.isnan(derived[figure].iloc[1]), figure
    nothing = metrics.with_derived(pd.DataFrame({"prog_with_international_partners": [None, None],
                                                 "other_with_international_partners": [1, 2]}),
                                   None, ("with_international_partners",))
    assert nothing["with_international_partners"].isna().all() and nothing["with_international_partners"].dtype == float

"""The key figures of a small hand-made programme (tests/factories.py, `hand_made`), checked
against values worked out by hand here, not against the code that computes them: money,
programme money under the rules, leverage, shares, medians without the cluster itself,
qualification outcomes and the findings the rules give. On SQLite and PostgreSQL."""

from __future__ import annotations

import math

import pytest

from klynge import metrics, quality, queries
from klynge import qualification as q
from klynge.queries import Filter
from klynge.store.importer import import_paths
from klynge.summary import level_figures, records
from tests.factories import hand_made


@pytest.fixture
def hand(engine, tmp_path):
    import_paths(engine, [hand_made(tmp_path / "hand")])
    return engine


def by_level(engine, year: int) -> dict[str, dict]:
    return {row["level"]: row for row in records(level_figures(engine, Filter(years=(year, year))))}


def test_triggered_money_programme_money_and_leverage_per_level(hand):
    figures = by_level(hand, 2024)
    assert set(figures) == {"tidligfase", "arena", "arena_pro", "moden", "utenfor"}
    # Arena 2024: Delta 3,0 + 0, Epsilon 5,5 + 1,0, Theta 4,0 + 0,5 MNOK; 3 clusters x 2 MNOK operating support.
    arena = figures["arena"]
    assert (arena["clusters"], arena["members_total"]) == (3, 94)
    assert (arena["funding_national_mnok"], arena["funding_eu_mnok"], arena["funding_triggered_mnok"]) == (12.5, 1.5, 14.0)
    assert (arena["programme_money_mnok"], arena["leverage"]) == (6.0, 2.333)
    # Arena Pro 2024: Alfa (first year) and Beta (sixth year of a five-year level: no programme money).
    pro = figures["arena_pro"]
    assert (pro["clusters"], pro["clusters_beyond_limit"], pro["funding_triggered_mnok"]) == (2, 1, 32.5)
    assert (pro["programme_money_mnok"], pro["leverage"]) == (6.0, 5.417)  # 3 + 3 MNOK for Alfa alone
    # Mature clusters: the description names no amount, so neither programme money nor leverage.
    assert (figures["moden"]["funding_triggered_mnok"], figures["moden"]["programme_money_mnok"], figures["moden"]["leverage"]) \
        == (35.0, None, None)
    # Early stage and outside the programme: no money, so no leverage (not infinite, not zero).
    for level, triggered in (("tidligfase", 0.2), ("utenfor", 1.0)):
        assert (figures[level]["funding_triggered_mnok"], figures[level]["programme_money_mnok"], figures[level]["leverage"]) \
            == (triggered, 0.0, None)


def test_the_year_before_with_four_arena_clusters(hand):
    arena = by_level(hand, 2023)["arena"]
    # Alfa 4,0, Delta 2,0, Epsilon 3,0 + 1,0, Theta 2,5 + 0,5; 4 x 2 MNOK.
    assert (arena["clusters"], arena["funding_triggered_mnok"], arena["programme_money_mnok"], arena["leverage"]) \
        == (4, 13.0, 8.0, 1.625)
    assert arena["members_total"] == 35 + 18 + 25 + 50


def test_members_per_level_are_the_reported_totals_everywhere(hand):
    """One definition: members are the reports' `members_total`, summed (Arena 2024: 20 + 30 + 44)."""
    assert by_level(hand, 2024)["arena"]["members_total"] == 94
    reports = queries.reports(hand, Filter(years=(2024, 2024), levels=("arena",)))
    assert int(reports["members_total"].sum()) == 94
    key = metrics.key_figures(level_figures(hand, Filter(years=(2023, 2024))), 2024)
    arena = key[(key["level"] == "arena") & (key["figure"] == "members_total")].iloc[0]
    assert (arena["value"], arena["previous"], arena["change"]) == (94, 128, -34)


def test_project_shares_leave_out_the_custom_projects_the_report_asks_nothing_about(hand):
    rules = queries.rules(hand)
    gamma = metrics.with_derived(queries.reports(hand, Filter(clusters=(3,), years=(2024, 2024))), rules).iloc[0]
    # 4 + 2 projects asked about (the 4 custom ones are not): 3 with R&D, 1 + 1 with international partners.
    assert (gamma["projects_total"], gamma["projects_asked"]) == (10, 6)
    assert gamma["rnd_share"] == pytest.approx(3 / 6)
    assert gamma["international_partner_share"] == pytest.approx(2 / 6)
    # projects per 10 members: 10 projects, 100 members
    assert gamma["projects_per_10_members"] == pytest.approx(1.0)


def test_a_report_past_its_level_time_limit_gets_no_programme_money(hand):
    rules = queries.rules(hand)
    per_report = metrics.with_derived(queries.reports(hand, Filter(years=(2024, 2024), levels=("arena_pro",))), rules)
    money = dict(zip(per_report["cluster"], per_report["programme_money_mnok"]))
    assert money == {"Alfa": 6.0, "Beta": 0.0}
    assert dict(zip(per_report["cluster"], per_report["years_in_level"])) == {"Alfa": 1, "Beta": 6}


def test_medians_leave_the_cluster_out_and_need_three_peers(hand):
    reports = queries.reports(hand, Filter(years=(2023, 2024), levels=("arena",)))
    medians = metrics.level_medians(reports, ["members_total"], exclude=(1,))  # Alfa's peers
    row = medians[(medians["report_year"] == 2023) & (medians["level"] == "arena")].iloc[0]
    assert (row["members_total"], row["n_members_total"]) == (25, 3)  # Delta 18, Epsilon 25, Theta 50
    everyone = metrics.level_medians(reports, ["members_total"])
    row = everyone[(everyone["report_year"] == 2023)].iloc[0]
    assert (row["members_total"], row["n_members_total"]) == (30, 4)  # (25 + 35) / 2
    without_delta = metrics.level_medians(reports, ["members_total"], exclude=(4,))
    row = without_delta[without_delta["report_year"] == 2024].iloc[0]
    assert math.isnan(row["members_total"]) and row["n_members_total"] == 2  # Epsilon and Theta: too few


def assessed(engine, year: int):
    flt = Filter(years=(year, year))
    facts = q.cluster_facts(queries.register_counts(engine, flt, q.BESIDE_REGISTER))
    return q.assess(facts, queries.rules(engine), year)


def test_qualification_outcomes_against_the_next_level(hand):
    chosen = q.for_next_level(assessed(hand, 2024)).set_index("cluster")
    outcome = {name: (row["target"], row["outcome"], row["missed"], row["unknown"]) for name, row in chosen.iterrows()}
    assert outcome == {
        # 20 core companies, 3 R&D, 1 innovation company, 3 partners: every judged criterion of Arena Pro met
        "Delta": ("arena_pro", "ready", [], []),
        # 12 core companies (20 needed), 1 R&D actor (3 needed)
        "Epsilon": ("arena_pro", "not_ready", ["core_companies", "rnd_actors"], []),
        # no register: nothing known of the register's criteria, never "met"
        "Theta": ("arena_pro", "check", [], ["core_companies", "rnd_actors", "entrepreneurship_actors"]),
        # all five points, gold label of 2023 still valid in 2024
        "Alfa": ("nce", "ready", [], []),
        # gold label of 2020 expired (valid two years): unknown, so only "check"
        "Beta": ("nce", "check", [], ["esca_gold"]),
        # 1 partner (2 needed)
        "Zeta": ("arena", "not_ready", ["other_partners"], []),
        # outside the programme, no register
        "Eta": ("arena", "check", [], ["core_companies", "rnd_actors", "entrepreneurship_actors"]),
    }
    assert set(chosen.loc["Delta", "not_judged"]) == {"investors_named", "completed_projects", "planned_projects"}
    assert set(chosen.loc["Alfa", "not_judged"]) == {"national_resource_base"}
    gap = assessed(hand, 2024).set_index(["cluster", "target", "criterion"])
    assert gap.loc[("Epsilon", "arena_pro", "core_companies"), "gap"] == 8
    assert gap.loc[("Epsilon", "arena_pro", "rnd_actors"), "gap"] == 2


def test_an_esca_label_does_not_count_before_it_was_awarded(hand):
    before = assessed(hand, 2022).set_index(["cluster", "target", "criterion"])
    assert before.loc[("Alfa", "nce", "esca_gold"), "status"] == q.UNKNOWN  # awarded 2023
    assert before.loc[("Gamma", "nce", "esca_gold"), "status"] == q.UNKNOWN  # silver, awarded 2024
    later = assessed(hand, 2024).set_index(["cluster", "target", "criterion"])
    assert later.loc[("Gamma", "nce", "esca_gold"), "status"] == q.MISSED  # silver, valid in 2024


def test_findings_for_the_rules(hand):
    found = quality.findings(hand)
    rules = found[found["kind"] == "rules"]
    assert sorted(zip(rules["cluster"], rules["report_year"], rules["code"])) == [
        ("Beta", 2024, "period_too_long"),  # 2019-2025 is seven years; Arena Pro allows five, so 2024 is the first too many
        ("Eta", 2024, "report_outside_period"),
    ]
    too_long = rules[rules["code"] == "period_too_long"].iloc[0]["params"]
    assert too_long == {"first_year": 2019, "last_year": 2025, "years": 7, "max_years": 5}
    missing = found[found["kind"] == "missing_report"]
    # Delta's period starts in 2022, but the database has no reports before 2023: expected only from then
    assert sorted(zip(missing["cluster"], missing["report_year"])) == [("Beta", 2023)]

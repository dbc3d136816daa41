"""The threshold logic, with clusters just above and just below each threshold, and what
the assessment says of what it does not know."""

from __future__ import annotations

import pandas as pd
import pytest

from klynge import qualification as q
from klynge.domain import FIVE_POINT_MODEL
from klynge.rules import DEFAULT_RULES, PROGRAMME_2019, Rule, Rules

YEAR = 2024
# A cluster that meets every judgeable criterion of every target by exactly the minimum.
AT_MINIMUM = {
    "arena": {"core_companies": 10, "rnd_actors": 2, "entrepreneurship_actors": 1, "other_partners": 2},
    "arena_pro": {"core_companies": 20, "rnd_actors": 3, "entrepreneurship_actors": 1, "other_partners": 3},
    "nce": {"five_point_model": len(FIVE_POINT_MODEL)},
    "moden": {"five_point_model": len(FIVE_POINT_MODEL), "ongoing_activity": 1},
}
NUMERIC_CASES = [(target, key, minimum) for target, facts in AT_MINIMUM.items() for key, minimum in facts.items()]


def facts_row(**values) -> pd.DataFrame:
    row = {"cluster_id": 1, "cluster": "Testklyngen", "level": "arena", "brand": None, "esca_label": "gold", "esca_year": YEAR,
           "core_companies": 20, "rnd_actors": 3, "entrepreneurship_actors": 1, "other_partners": 3,
           "five_point_model": 5, "ongoing_activity": 12, "investors": 1}
    row.update(values)
    return pd.DataFrame([row])


def assess(facts: pd.DataFrame, rules: Rules = DEFAULT_RULES, year: int = YEAR) -> pd.DataFrame:
    return q.assess(facts, rules, year)


def status_of(assessment: pd.DataFrame, target: str, criterion: str) -> pd.Series:
    return assessment[(assessment["target"] == target) & (assessment["criterion"] == criterion)].iloc[0]


@pytest.mark.parametrize(("target", "criterion", "minimum"), NUMERIC_CASES)
def test_just_at_the_threshold_is_met(target, criterion, minimum):
    row = status_of(assess(facts_row(**{criterion: minimum})), target, criterion)
    assert (row["status"], row["actual"], row["gap"], row["minimum"]) == (q.MET, minimum, 0, minimum)


@pytest.mark.parametrize(("target", "criterion", "minimum"), NUMERIC_CASES)
def test_just_below_the_threshold_is_missed_by_one(target, criterion, minimum):
    row = status_of(assess(facts_row(**{criterion: minimum - 1})), target, criterion)
    assert (row["status"], row["actual"], row["gap"]) == (q.MISSED, minimum - 1, 1)


def test_thresholds_come_from_the_rules_in_force_in_the_year():
    stricter = Rules([*PROGRAMME_2019, Rule("min_core_companies", "arena", 2025, 12, "a later decision")])
    facts = facts_row(core_companies=11)
    assert status_of(assess(facts, stricter, 2024), "arena", "core_companies")["status"] == q.MET
    later = status_of(assess(facts, stricter, 2025), "arena", "core_companies")
    assert (later["status"], later["minimum"], later["gap"]) == (q.MISSED, 12, 1)


def test_a_threshold_with_no_rule_in_force_is_not_judged():
    row = status_of(assess(facts_row(core_companies=0), DEFAULT_RULES, 2018), "arena", "core_companies")
    assert row["status"] == q.NOT_JUDGED and pd.isna(row["minimum"])


def test_criteria_the_data_cannot_show_are_not_judged_never_guessed():
    assessment = assess(facts_row())
    not_judged = set(assessment[assessment["status"] == q.NOT_JUDGED]["criterion"])
    assert not_judged == {"investors_named", "completed_projects", "planned_projects", "self_financing", "national_resource_base"}
    assert set(assessment[assessment["status"] == q.UNKNOWN]["criterion"]) == set()


@pytest.mark.parametrize(("label", "awarded", "status"), [
    ("gold", YEAR, q.MET), ("gold", YEAR - 1, q.MET),  # valid for two years from the year awarded
    ("gold", YEAR - 2, q.UNKNOWN),  # expired: says nothing of this year
    ("gold", YEAR + 1, q.UNKNOWN),  # not yet awarded
    ("gold", None, q.UNKNOWN),  # no year: cannot tell
    ("silver", YEAR, q.MISSED), (None, None, q.UNKNOWN), ("", YEAR, q.UNKNOWN),
])
def test_an_esca_label_counts_from_its_year_for_its_validity(label, awarded, status):
    assert status_of(assess(facts_row(esca_label=label, esca_year=awarded)), "nce", "esca_gold")["status"] == status


def test_a_cluster_without_register_or_report_is_unknown_not_missed_nor_met():
    assessment = assess(facts_row(core_companies=float("nan"), rnd_actors=None, entrepreneurship_actors=None,
                                  other_partners=None))
    for criterion in ("core_companies", "rnd_actors", "entrepreneurship_actors", "other_partners"):
        assert status_of(assessment, "arena", criterion)["status"] == q.UNKNOWN
    outcome = q.outcomes(assessment).set_index("target").loc["arena"]
    assert (outcome["met"], outcome["missed"], outcome["outcome"]) == ([], [], q.CHECK)
    assert outcome["unknown"] == ["core_companies", "rnd_actors", "entrepreneurship_actors", "other_partners"]


@pytest.mark.parametrize(
    ("level", "brand", "expected"),
    [(None, None, "arena"), ("tidligfase", None, "arena"), ("arena", None, "arena_pro"),
     ("arena_pro", None, "nce"), ("arena_pro", "NCE", "moden"), ("moden", "NCE", None)],
)
def test_next_target(level, brand, expected):
    assert q.next_target(level, brand) == expected


def test_ready_needs_every_judged_criterion_met_and_none_unknown():
    facts = pd.concat([
        facts_row(cluster_id=1, cluster="Klar", level="arena", core_companies=20),
        facts_row(cluster_id=2, cluster="Nesten", level="arena", core_companies=19),
        facts_row(cluster_id=3, cluster="Tidlig", level="tidligfase", core_companies=10, rnd_actors=2, other_partners=2),
        facts_row(cluster_id=4, cluster="Uten gull", level="arena_pro", esca_label="silver"),
        facts_row(cluster_id=5, cluster="Uten merke", level="arena_pro", esca_label=None, esca_year=None),
        facts_row(cluster_id=6, cluster="Uten register", level="arena", core_companies=None, rnd_actors=None,
                  entrepreneurship_actors=None),
        facts_row(cluster_id=7, cluster="Ingenting kjent", level="tidligfase", core_companies=None, rnd_actors=None,
                  entrepreneurship_actors=None, other_partners=None),
    ], ignore_index=True)
    assessment = assess(facts)
    ready = q.ready_for_next_level(assessment)
    assert list(zip(ready["cluster"], ready["target"])) == [("Klar", "arena_pro"), ("Tidlig", "arena")]
    check = q.to_check(assessment)
    assert list(zip(check["cluster"], check["target"], check["unknown"])) == [
        ("Uten merke", "nce", ["esca_gold"]),
        ("Uten register", "arena_pro", ["core_companies", "rnd_actors", "entrepreneurship_actors"]),
        ("Ingenting kjent", "arena", ["core_companies", "rnd_actors", "entrepreneurship_actors", "other_partners"]),
    ]
    outcome = q.for_next_level(assessment).set_index("cluster")["outcome"].to_dict()
    assert outcome == {"Klar": q.READY, "Nesten": q.NOT_READY, "Tidlig": q.READY, "Uten gull": q.NOT_READY,
                       "Uten merke": q.CHECK, "Uten register": q.CHECK, "Ingenting kjent": q.CHECK}


def test_cluster_facts_read_the_register_reports_and_master_data():
    register = pd.DataFrame([{
        "cluster_id": 7, "cluster": "K", "level": "arena", "members_total": 30, "core_companies": 12,
        "members_rnd": 2, "members_innovation_company": 0, "members_investor": 1, "members_established": 20,
        "members_startup": 5, "members_public": 2,
        # beside the counts: the year's report and the master data
        "partners_total": 4, "activities_organised": 9, "brand": None, "esca_label": "silver", "esca_year": 2023,
    }])
    facts = q.cluster_facts(register).iloc[0]
    assert (facts["core_companies"], facts["rnd_actors"], facts["entrepreneurship_actors"]) == (12, 2, 0)
    assert facts["five_point_model"] == 5
    assert (facts["other_partners"], facts["ongoing_activity"], facts["esca_label"], facts["esca_year"]) == (4, 9, "silver", 2023)
    arena = assess(pd.DataFrame([facts]))
    assert status_of(arena, "arena", "entrepreneurship_actors")["gap"] == 1


def test_an_empty_register_is_no_register():
    register = pd.DataFrame([{
        "cluster_id": 7, "cluster": "K", "level": "arena", "members_total": 0, "core_companies": 0, "members_rnd": 0,
        "members_innovation_company": 0, "members_investor": 0, "members_established": 0, "members_startup": 0,
        "members_public": 0, **{name: None for name in q.BESIDE_REGISTER},
    }])
    facts = q.cluster_facts(register)
    statuses = assess(facts).set_index(["target", "criterion"])["status"]
    assert statuses[("arena", "core_companies")] == q.UNKNOWN
    assert statuses[("nce", "five_point_model")] == q.UNKNOWN

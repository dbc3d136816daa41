"""The threshold logic, with clusters just above and just below each threshold."""

from __future__ import annotations

import pandas as pd
import pytest

from klynge import qualification as q
from klynge.domain import FIVE_POINT_MODEL

# A cluster that meets every judgeable criterion of every target by exactly the minimum.
AT_MINIMUM = {
    "arena": {"core_companies": 10, "rnd_actors": 2, "entrepreneurship_actors": 1, "other_partners": 2},
    "arena_pro": {"core_companies": 20, "rnd_actors": 3, "entrepreneurship_actors": 1, "other_partners": 3},
    "nce": {"five_point_model": len(FIVE_POINT_MODEL)},
    "moden": {"five_point_model": len(FIVE_POINT_MODEL), "ongoing_activity": 1},
}
NUMERIC_CASES = [(target, key, minimum) for target, facts in AT_MINIMUM.items() for key, minimum in facts.items()]


def facts_row(**values) -> pd.DataFrame:
    row = {"cluster_id": 1, "cluster": "Testklyngen", "level": "arena", "brand": None, "esca_label": "gold",
           "core_companies": 20, "rnd_actors": 3, "entrepreneurship_actors": 1, "other_partners": 3,
           "five_point_model": 5, "ongoing_activity": 12, "investors": 1}
    row.update(values)
    return pd.DataFrame([row])


def status_of(assessment: pd.DataFrame, target: str, criterion: str) -> pd.Series:
    return assessment[(assessment["target"] == target) & (assessment["criterion"] == criterion)].iloc[0]


@pytest.mark.parametrize(("target", "criterion", "minimum"), NUMERIC_CASES)
def test_just_at_the_threshold_is_met(target, criterion, minimum):
    row = status_of(q.assess(facts_row(**{criterion: minimum})), target, criterion)
    assert (row["status"], row["actual"], row["gap"]) == (q.MET, minimum, 0)


@pytest.mark.parametrize(("target", "criterion", "minimum"), NUMERIC_CASES)
def test_just_below_the_threshold_is_missed_by_one(target, criterion, minimum):
    row = status_of(q.assess(facts_row(**{criterion: minimum - 1})), target, criterion)
    assert (row["status"], row["actual"], row["gap"]) == (q.MISSED, minimum - 1, 1)


def test_the_thresholds_are_those_of_the_programme():
    minimum = {target: {c.key: c.minimum for c in criteria if c.source} for target, criteria in q.THRESHOLDS.items()}
    assert minimum["arena"] == {"core_companies": 10, "rnd_actors": 2, "entrepreneurship_actors": 1, "other_partners": 2}
    assert minimum["arena_pro"] == {"core_companies": 20, "rnd_actors": 3, "entrepreneurship_actors": 1, "other_partners": 3}
    assert "kap. 5" in q.SOURCE


def test_criteria_the_data_cannot_show_are_unknown_not_guessed():
    assessment = q.assess(facts_row())
    unknown = set(assessment[assessment["status"] == q.UNKNOWN]["criterion"])
    assert unknown == {"investors_named", "completed_projects", "planned_projects", "self_financing"}


def test_esca_gold_is_judged_from_master_data_when_known():
    assert status_of(q.assess(facts_row(esca_label="gold")), "nce", "esca_gold")["status"] == q.MET
    assert status_of(q.assess(facts_row(esca_label="silver")), "nce", "esca_gold")["status"] == q.MISSED
    assert status_of(q.assess(facts_row(esca_label=None)), "nce", "esca_gold")["status"] == q.UNKNOWN


def test_a_cluster_without_register_or_report_is_unknown_not_missed():
    assessment = q.assess(facts_row(core_companies=float("nan"), other_partners=None))
    assert status_of(assessment, "arena", "core_companies")["status"] == q.UNKNOWN
    assert status_of(assessment, "arena", "other_partners")["status"] == q.UNKNOWN


@pytest.mark.parametrize(
    ("level", "brand", "expected"),
    [(None, None, "arena"), ("tidligfase", None, "arena"), ("arena", None, "arena_pro"),
     ("arena_pro", None, "nce"), ("arena_pro", "NCE", "moden"), ("moden", "NCE", None)],
)
def test_next_target(level, brand, expected):
    assert q.next_target(level, brand) == expected


def test_ready_for_next_level_lists_only_clusters_that_meet_their_next_target():
    facts = pd.concat([
        facts_row(cluster_id=1, cluster="Klar", level="arena", core_companies=20),
        facts_row(cluster_id=2, cluster="Nesten", level="arena", core_companies=19),
        facts_row(cluster_id=3, cluster="Tidlig", level="tidligfase", core_companies=10, rnd_actors=2, other_partners=2),
        facts_row(cluster_id=4, cluster="Uten gull", level="arena_pro", esca_label="silver"),
    ], ignore_index=True)
    ready = q.ready_for_next_level(q.assess(facts))
    assert list(zip(ready["cluster"], ready["target"])) == [("Klar", "arena_pro"), ("Tidlig", "arena")]


def test_cluster_facts_read_the_register_reports_and_master_data():
    register = pd.DataFrame([{
        "cluster_id": 7, "cluster": "K", "level": "arena", "members_total": 30, "core_companies": 12,
        "members_rnd": 2, "members_innovation_company": 0, "members_investor": 1, "members_established": 20,
        "members_startup": 5, "members_public": 2,
    }])
    reports = pd.DataFrame([{"cluster_id": 7, "partners_total": 4, "activities_organised": 9}])
    clusters = pd.DataFrame([{"cluster_id": 7, "brand": None, "esca_label": "silver"}])
    facts = q.cluster_facts(register, reports, clusters).iloc[0]
    assert (facts["core_companies"], facts["rnd_actors"], facts["entrepreneurship_actors"]) == (12, 2, 0)
    assert facts["five_point_model"] == 5
    assert (facts["other_partners"], facts["ongoing_activity"], facts["esca_label"]) == (4, 9, "silver")
    arena = q.assess(pd.DataFrame([facts]))
    assert status_of(arena, "arena", "entrepreneurship_actors")["gap"] == 1

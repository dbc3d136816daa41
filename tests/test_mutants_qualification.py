"""The qualification logic of `klynge.qualification` at the edges the mutation run found
untested: facts with columns missing, a register of one member, an NCE brand, a rule that is
not set, and the exact shape of every result. Values are worked out by hand from the rules of
2019 (`klynge.rules.PROGRAMME_2019`), not taken from the code."""

from __future__ import annotations

import itertools
import math

import pandas as pd
import pytest

from klynge import qualification as q
from klynge.rules import DEFAULT_RULES, PROGRAMME_2019, Rule, Rules

YEAR = 2024


def facts_row(**values) -> dict:
    # Meets every judged criterion of every target (Arena Pro needs 20 core companies, 3 R&D
    # actors, 1 innovation company, 3 other partners; NCE all five points; moden an activity).
    row = {"cluster_id": 1, "cluster": "Testklyngen", "level": "arena", "brand": None, "esca_label": "gold",
           "esca_year": YEAR, "core_companies": 20, "rnd_actors": 3, "entrepreneurship_actors": 1, "other_partners": 3,
           "five_point_model": 5, "ongoing_activity": 12}
    row.update(values)
    return row


def row_of(assessment: pd.DataFrame, target: str, criterion: str, cluster_id: int = 1) -> pd.Series:
    chosen = assessment[(assessment["target"] == target) & (assessment["criterion"] == criterion)
                        & (assessment["cluster_id"] == cluster_id)]
    assert len(chosen) == 1
    return chosen.iloc[0]


def test_assessment_columns_and_index_are_exactly_the_promised_ones():
    """One row per cluster, target and criterion: 5 + 7 + 3 + 5 = 20 for one cluster, indexed 0..19,
    with no column beyond `ASSESSMENT_COLUMNS` (whatever the index of the facts)."""
    facts = pd.DataFrame([facts_row()], index=[42])
    assessment = q.assess(facts, DEFAULT_RULES, YEAR)
    assert list(assessment.columns) == q.ASSESSMENT_COLUMNS
    assert list(assessment.index) == list(range(20))
    # Every actual value and gap is a number, missing where nothing is measured.
    assert assessment["actual"].dtype == float and assessment["gap"].dtype == float
    assert math.isnan(row_of(assessment, "arena", "investors_named")["actual"])
    assert math.isnan(row_of(assessment, "arena", "investors_named")["gap"])


@pytest.mark.parametrize("facts", [pd.DataFrame(columns=list(facts_row())), pd.DataFrame([facts_row()]),
                                   pd.DataFrame([facts_row()]).iloc[0:0]])
def test_nothing_to_assess_gives_the_columns_and_no_rows(facts):
    """No cluster, or no target: an empty frame that still has every column (also when the
    empty facts have typed columns: a text column of ESCA labels once failed the check of
    the labels)."""
    targets = q.TARGETS if facts.empty else ()
    assessment = q.assess(facts, DEFAULT_RULES, YEAR, targets)
    assert assessment.empty and list(assessment.columns) == q.ASSESSMENT_COLUMNS
    assert list(q.outcomes(assessment).columns) == q.OUTCOME_COLUMNS and q.outcomes(assessment).empty
    assert list(q.for_next_level(assessment).columns) == q.OUTCOME_COLUMNS and q.for_next_level(assessment).empty


def test_the_brand_is_carried_and_an_nce_cluster_aims_at_moden():
    """An Arena Pro cluster with the NCE brand aims at `moden`; without the brand at `nce`.
    Facts without a brand column have no brand."""
    facts = pd.DataFrame([facts_row(cluster_id=1, level="arena_pro", brand="NCE"),
                          facts_row(cluster_id=2, level="arena_pro", brand=None)])
    assessment = q.assess(facts, DEFAULT_RULES, YEAR)
    assert set(assessment[assessment["cluster_id"] == 1]["brand"]) == {"NCE"}
    chosen = q.for_next_level(assessment)
    assert list(zip(chosen["cluster_id"], chosen["target"])) == [(1, "moden"), (2, "nce")]
    assert list(chosen.columns) == q.OUTCOME_COLUMNS and list(chosen.index) == [0, 1]
    # moden: the five points, a valid gold label and an activity are met; self-financing and a
    # national resource base the data cannot show
    assert (chosen.loc[0, "outcome"], chosen.loc[0, "met"]) == (q.READY, ["five_point_model", "esca_gold", "ongoing_activity"])
    unbranded = q.assess(pd.DataFrame([facts_row(level="arena_pro")]).drop(columns=["brand"]), DEFAULT_RULES, YEAR)
    assert unbranded["brand"].isna().all()
    assert q.for_next_level(unbranded)["target"].tolist() == ["nce"]


def test_the_next_level_is_looked_at_alone_and_judged_as_among_every_target():
    """Each cluster's outcome for its next level (and the rows it rests on, `next_level_rows`)
    is the one `outcomes` gives it among every
    target: a cluster at each level and brand (NCE, none, an empty one, a missing level), a
    mature one with none above it, in an order that is not the clusters' ids. By hand: 1 has
    2 R&D actors of Arena Pro's 3, 8 four points of NCE's five; 6 lacks its other partners."""
    facts = pd.DataFrame([facts_row(cluster_id=7, level="moden"), facts_row(cluster_id=3, level="arena_pro", brand="NCE"),
                          facts_row(cluster_id=5, level="arena_pro", brand="", core_companies=None),
                          facts_row(cluster_id=1, level="arena", rnd_actors=2), facts_row(cluster_id=4, level="tidligfase"),
                          facts_row(cluster_id=6, level="utenfor", other_partners=None), facts_row(cluster_id=2, level=None),
                          facts_row(cluster_id=8, level="arena_pro", brand=None, five_point_model=4)])
    assessment = q.assess(facts, DEFAULT_RULES, YEAR)
    every = q.outcomes(assessment)
    # A missing level (the database says `utenfor` for a cluster outside the programme) has
    # no next level, nor has a mature cluster.
    aims = {7: None, 3: "moden", 5: "nce", 1: "arena_pro", 4: "arena", 6: "arena", 2: None, 8: "nce"}
    expected = every[[aims[cid] == target for cid, target in zip(every["cluster_id"], every["target"])]].reset_index(drop=True)
    chosen = q.for_next_level(assessment)
    pd.testing.assert_frame_equal(chosen, expected)
    assert chosen["cluster_id"].tolist() == [3, 5, 1, 4, 6, 8]
    # The rows behind them: each cluster's criteria of its next level, in the assessment's order.
    rows = q.next_level_rows(assessment)
    pd.testing.assert_frame_equal(rows, assessment[[aims[cid] == target for cid, target in zip(
        assessment["cluster_id"], assessment["target"])]].reset_index(drop=True))
    assert rows.groupby("cluster_id", sort=False)["target"].first().to_dict() == {3: "moden", 5: "nce", 1: "arena_pro",
                                                                                  4: "arena", 6: "arena", 8: "nce"}
    assert chosen["outcome"].tolist() == [q.READY, q.READY, q.NOT_READY, q.READY, q.CHECK, q.NOT_READY]



@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_each_level_and_brand_has_its_own_next_level_whatever_comes_first(order):
    """`next_level_rows` tells every pair of level and brand apart, in whichever order they
    first appear: an Arena Pro cluster with the NCE brand aims at `moden`, a Tidligfase one at
    `arena`, an Arena one without a brand at `arena_pro`. (With Arena Pro and NCE first and
    Arena without a brand third, an encoding of the pairs that divided by the number of brands
    took the last two for one pair, and gave the Arena cluster the criteria of `moden`.)"""
    clusters = [facts_row(cluster_id=1, level="arena_pro", brand="NCE"), facts_row(cluster_id=2, level="tidligfase"),
                facts_row(cluster_id=3, level="arena", brand=None)]
    assessment = q.assess(pd.DataFrame([clusters[i] for i in order]), DEFAULT_RULES, YEAR)
    rows = q.next_level_rows(assessment)
    aims = {1: "moden", 2: "arena", 3: "arena_pro"}
    assert set(zip(rows["cluster_id"], rows["target"])) == set(aims.items())
    # every criterion of that level, and nothing else: moden 5, arena 5, arena_pro 7
    assert rows["cluster_id"].value_counts().to_dict() == {1: 5, 2: 5, 3: 7}

def test_ready_and_to_check_have_the_outcome_columns_and_a_fresh_index():
    """Two clusters aim at Arena Pro: the first misses a core company (19 of 20), the second
    is ready, the third has no register (unknown, so to check)."""
    facts = pd.DataFrame([facts_row(cluster_id=1, core_companies=19), facts_row(cluster_id=2),
                          facts_row(cluster_id=3, core_companies=None, rnd_actors=None, entrepreneurship_actors=None)])
    assessment = q.assess(facts, DEFAULT_RULES, YEAR)
    ready, check = q.ready_for_next_level(assessment), q.to_check(assessment)
    assert (list(ready.columns), list(ready.index), ready["cluster_id"].tolist()) == (q.OUTCOME_COLUMNS, [0], [2])
    assert (list(check.columns), list(check.index), check["cluster_id"].tolist()) == (q.OUTCOME_COLUMNS, [0], [3])


def test_a_yes_no_criterion_never_gets_a_threshold_even_from_a_stray_rule():
    """The ESCA label is yes or no: a rule named like a threshold for it is not one."""
    rules = Rules([*PROGRAMME_2019, Rule("min_esca_gold", "nce", 2019, 7, "a stray rule")])
    row = row_of(q.assess(pd.DataFrame([facts_row()]), rules, YEAR), "nce", "esca_gold")
    assert math.isnan(row["minimum"]) and row["status"] == q.MET


@pytest.mark.parametrize(("label", "awarded", "status", "actual"), [
    ("gold", YEAR, q.MET, 1.0), ("silver", YEAR - 1, q.MISSED, 0.0),  # awarded this year or last: valid
    ("gold", YEAR - 2, q.UNKNOWN, None),  # two years on: expired
])
def test_the_esca_label_actual_is_one_for_gold_zero_for_another_label_and_missing_otherwise(label, awarded, status, actual):
    row = row_of(q.assess(pd.DataFrame([facts_row(esca_label=label, esca_year=awarded)]), DEFAULT_RULES, YEAR),
                 "nce", "esca_gold")
    assert row["status"] == status
    assert math.isnan(row["actual"]) if actual is None else row["actual"] == actual
    assert math.isnan(row["gap"])


def test_without_a_validity_rule_no_esca_label_is_known_to_be_valid():
    """No `esca_valid_years` in force: a gold label of the year itself says nothing."""
    rules = Rules([rule for rule in PROGRAMME_2019 if rule.key != "esca_valid_years"])
    assert row_of(q.assess(pd.DataFrame([facts_row()]), rules, YEAR), "nce", "esca_gold")["status"] == q.UNKNOWN


@pytest.mark.parametrize("missing", [["esca_label"], ["esca_year"], ["esca_label", "esca_year"]])
def test_facts_without_master_data_leave_the_esca_label_unknown(missing):
    facts = pd.DataFrame([facts_row(), facts_row(cluster_id=2)]).drop(columns=missing)
    assessment = q.assess(facts, DEFAULT_RULES, YEAR)
    for cluster_id in (1, 2):
        assert row_of(assessment, "nce", "esca_gold", cluster_id)["status"] == q.UNKNOWN


def test_facts_without_report_columns_leave_the_report_criteria_unknown():
    facts = pd.DataFrame([facts_row()]).drop(columns=["other_partners", "ongoing_activity"])
    assessment = q.assess(facts, DEFAULT_RULES, YEAR)
    assert row_of(assessment, "arena", "other_partners")["status"] == q.UNKNOWN
    assert row_of(assessment, "moden", "ongoing_activity")["status"] == q.UNKNOWN


def test_a_value_that_is_not_a_number_is_unknown():
    """A year or a count that is text (a hand-edited master file) is not a number: unknown."""
    facts = pd.DataFrame([facts_row(esca_year="ukjent", other_partners="mange")])
    assessment = q.assess(facts, DEFAULT_RULES, YEAR)
    assert row_of(assessment, "nce", "esca_gold")["status"] == q.UNKNOWN
    assert row_of(assessment, "arena", "other_partners")["status"] == q.UNKNOWN


def _register(cluster_id: int, **counts) -> dict:
    row = {"cluster_id": cluster_id, "cluster": f"K{cluster_id}", "level": "arena", "core_companies": 0,
           **{f"members_{code}": 0 for code in ("established", "startup", "investor", "rnd", "public",
                                                "innovation_company")}}
    row.update(counts)
    row["members_total"] = sum(value for key, value in row.items() if key.startswith("members_"))
    return row


def test_cluster_facts_of_a_one_member_register_and_of_points_not_covered():
    """A register of one R&D actor is a register (1 of five points, no core companies); one
    of 10 established companies, 2 investors and 3 R&D actors covers 3 points; the investors
    are carried as a fact."""
    register = pd.DataFrame([_register(1, members_rnd=1),
                             _register(2, core_companies=10, members_established=10, members_investor=2, members_rnd=3)])
    register = register.assign(**{name: None for name in q.BESIDE_REGISTER})  # no report, no master data
    facts = q.cluster_facts(register).set_index("cluster_id")
    assert (facts.loc[1, "core_companies"], facts.loc[1, "rnd_actors"], facts.loc[1, "five_point_model"]) == (0, 1, 1)
    assert (facts.loc[2, "five_point_model"], facts.loc[2, "investors"], facts.loc[2, "rnd_actors"]) == (3, 2, 3)
    assert facts.loc[1, "investors"] == 0


def test_the_assessment_has_one_type_per_column():
    """Numbers as floats (missing as NaN), codes and statuses as text, whatever the facts hold."""
    facts = pd.DataFrame([facts_row(cluster_id=1), facts_row(cluster_id=2, core_companies=None, brand="NCE")])
    assessment = q.assess(facts, DEFAULT_RULES, YEAR)
    types = assessment.dtypes.astype(str).to_dict()
    assert types["cluster_id"] == "int64"
    assert {types[c] for c in ("minimum", "actual", "gap")} == {"float64"}
    assert {types[c] for c in ("target", "criterion", "status")} == {"str"}
    assert row_of(assessment, "arena", "core_companies")["minimum"] == 10.0  # Arena: ten core companies


def test_facts_in_nullable_integer_columns_are_judged_as_plain_numbers():
    """A register or master table read with nullable integers (a gap as pd.NA) gives the
    same assessment as one with floats: cluster 2 has no count of core companies and no
    year for its label, so both are unknown, never met."""
    plain = pd.DataFrame([facts_row(cluster_id=1), facts_row(cluster_id=2, core_companies=None, esca_year=None)])
    typed = plain.astype({"core_companies": "Int64", "rnd_actors": "Int64", "esca_year": "Int64"})
    assessment = q.assess(typed, DEFAULT_RULES, YEAR)
    pd.testing.assert_frame_equal(assessment, q.assess(plain, DEFAULT_RULES, YEAR))
    assert row_of(assessment, "arena", "core_companies", 2)["status"] == q.UNKNOWN
    assert row_of(assessment, "nce", "esca_gold", 2)["status"] == q.UNKNOWN
    assert row_of(assessment, "nce", "esca_gold", 1)["status"] == q.MET


def test_a_row_without_a_cluster_has_no_outcome():
    """Rows whose cluster, level or target is missing belong to no cluster: `outcomes` leaves
    them out rather than listing a cluster with no criterion judged, which would read as
    ready (nothing unknown is ever met). The other cluster keeps its outcome."""
    facts = pd.DataFrame([facts_row(cluster_id=1, level=None), facts_row(cluster_id=2, rnd_actors=2)])
    assessment = q.assess(facts, DEFAULT_RULES, YEAR)
    assert assessment["level"].isna().sum() == 20  # cluster 1's rows: 5 + 7 + 3 + 5
    every = q.outcomes(assessment)
    assert every["cluster_id"].tolist() == [2, 2, 2, 2]
    assert every.set_index("target")["outcome"].to_dict() == {
        "arena": q.READY, "arena_pro": q.NOT_READY, "nce": q.READY, "moden": q.READY}
    assert list(every.index) == [0, 1, 2, 3]
    nameless = assessment.assign(cluster=assessment["cluster"].where(assessment["cluster_id"] != 2))
    assert q.outcomes(nameless).empty and list(q.outcomes(nameless).columns) == q.OUTCOME_COLUMNS

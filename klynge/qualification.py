"""Each cluster against the programme's qualification criteria, and what can be said of it.

The criteria per target level are here; their thresholds are rules (`klynge.rules`: the
application criteria of Arena and Arena Pro, chapter 5, and the description's chapters 4.3
and 4.4 for NCE and mature clusters), so the thresholds in force in the assessed year apply.
Each criterion ends in one of four statuses:

- `met` / `missed`: the data show it (and by how much it falls short);
- `unknown`: the data could show it but do not for this cluster and year (no member
  register, no annual report, no valid ESCA label recorded);
- `not_judged`: the data cannot show it at all (projects described in an application, a
  self-financing business model, a national resource base), or no threshold is in force.

A cluster is `ready` for a target when every criterion the data can judge is met and none
is unknown; `check` when none is missed but some are unknown (it would be ready if they
were met); `not_ready` when any is missed. Nothing unknown ever counts as met.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from klynge.domain import FIVE_POINT_MODEL
from klynge.rules import Rules

MET, MISSED, UNKNOWN, NOT_JUDGED = "met", "missed", "unknown", "not_judged"
READY, CHECK, NOT_READY = "ready", "check", "not_ready"

# The targets a cluster can qualify for, in order. NCE is a brand beside Arena Pro or a
# mature cluster; "moden" needs what NCE needs and more.
TARGETS: tuple[str, ...] = ("arena", "arena_pro", "nce", "moden")


@dataclass(frozen=True)
class Criterion:
    key: str
    # What the data can say: "register" (member register), "report" (annual report),
    # "master" (cluster master data), or None when the data cannot show it.
    source: str | None
    # Whether a threshold (the rule `min_<key>`) applies; otherwise the criterion is a yes/no.
    counted: bool = True
    # Where a yes/no criterion comes from (a counted one's threshold names its own source).
    basis: str = ""


_ARENA_52 = "Søknadskriterier Arena og Arena Pro 2019, krav 5.2: «Mulige investorer (offentlig og/eller private)»"
_NATIONAL = "Programbeskrivelsen 2019, kap. 4.3: «et nasjonalt ressursgrunnlag som reflekterer alle fem aktørene»"
_ESCA_GOLD = "Programbeskrivelsen 2019, kap. 4.3: «gullsertifisering i ESCA modellen»"
_SELF_FINANCING = "Programbeskrivelsen 2019, kap. 4.4: «Ha en selvfinansierende forretningsmodell for klyngens driftsaktivitet»"


THRESHOLDS: dict[str, tuple[Criterion, ...]] = {
    "arena": (
        Criterion("core_companies", "register"),
        Criterion("rnd_actors", "register"),
        Criterion("entrepreneurship_actors", "register"),
        Criterion("investors_named", None, counted=False, basis=_ARENA_52),
        Criterion("other_partners", "report"),
    ),
    "arena_pro": (
        Criterion("core_companies", "register"),
        Criterion("rnd_actors", "register"),
        Criterion("entrepreneurship_actors", "register"),
        Criterion("investors_named", None, counted=False, basis=_ARENA_52),
        Criterion("other_partners", "report"),
        Criterion("completed_projects", None),
        Criterion("planned_projects", None),
    ),
    "nce": (
        Criterion("five_point_model", "register"),
        Criterion("national_resource_base", None, counted=False, basis=_NATIONAL),
        Criterion("esca_gold", "master", counted=False, basis=_ESCA_GOLD),
    ),
    "moden": (
        Criterion("five_point_model", "register"),
        Criterion("national_resource_base", None, counted=False, basis=_NATIONAL),
        Criterion("esca_gold", "master", counted=False, basis=_ESCA_GOLD),
        Criterion("self_financing", None, counted=False, basis=_SELF_FINANCING),
        Criterion("ongoing_activity", "report"),
    ),
}

ASSESSMENT_COLUMNS = ["cluster_id", "cluster", "level", "brand", "target", "criterion", "minimum", "actual", "status", "gap"]
OUTCOME_COLUMNS = ["cluster_id", "cluster", "level", "brand", "target", "met", "missed", "unknown", "not_judged", "outcome"]


def minimum(rules: Rules, target: str, criterion: Criterion, year: int) -> float | None:
    """The threshold of a counted criterion in force in `year` (None: not set or not counted)."""
    return rules.value(f"min_{criterion.key}", target, year) if criterion.counted else None


def next_target(level: str | None, brand: str | None) -> str | None:
    """The level (or brand) a cluster would apply for next."""
    if level in (None, "utenfor", "tidligfase"):
        return "arena"
    if level == "arena":
        return "arena_pro"
    if level == "arena_pro":
        return "moden" if brand == "NCE" else "nce"
    return None


# The statuses as `_judge` gives them, by their place here: small integers, which `assess`
# turns into the statuses' texts a whole column at a time.
STATUSES: tuple[str, ...] = (MET, MISSED, UNKNOWN, NOT_JUDGED)
_MET, _MISSED, _UNKNOWN, _NOT_JUDGED = range(len(STATUSES))


def _statuses(met: np.ndarray, missed: np.ndarray) -> np.ndarray:
    """Each row's status (its place in `STATUSES`): met, missed, else unknown."""
    return np.where(met, _MET, np.where(missed, _MISSED, _UNKNOWN)).astype(np.int8)


def _judge(criterion: Criterion, threshold: float | None, facts: pd.DataFrame, year: int,
           esca_valid_years: float | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(actual value, status, gap) of one criterion for every cluster in `facts`, as arrays
    in the order of its rows; the status as its place in `STATUSES`."""
    rows = len(facts)
    nothing = np.full(rows, np.nan)
    if criterion.source is None or (criterion.counted and threshold is None):
        return nothing, np.full(rows, _NOT_JUDGED, dtype=np.int8), nothing
    if criterion.key == "esca_gold":
        labels = facts["esca_label"].tolist() if "esca_label" in facts else [None] * rows
        awarded = pd.to_numeric(facts["esca_year"], errors="coerce").to_numpy(float) if "esca_year" in facts else nothing
        # A label counts from the year it was awarded for as long as it is valid; a label
        # from a later year, an expired one, or one without a year says nothing of `year`.
        valid = np.array([isinstance(label, str) and bool(label) for label in labels], dtype=bool) & (awarded <= year)
        valid &= (awarded + esca_valid_years > year) if esca_valid_years is not None else False
        gold = np.array([label == "gold" for label in labels], dtype=bool)
        actual = np.where(valid, gold.astype(float), np.nan)
        return actual, _statuses(valid & gold, valid & ~gold), nothing
    # no value: no register or no report for the year
    actual = pd.to_numeric(facts[criterion.key], errors="coerce").to_numpy(float) if criterion.key in facts else nothing
    known = ~np.isnan(actual)
    met = known & (actual >= threshold)
    missed = known & ~met
    gap = np.where(missed, float(threshold) - actual, np.where(known, 0.0, np.nan))
    return actual, _statuses(met, missed), gap


# What `cluster_facts` reads beside the register's counts: two fields of the year's report,
# the brand of the cluster's programme period, its ESCA label (`queries.register_counts`
# reads them with the counts, as `extra`).
REPORT_FIELDS: tuple[str, ...] = ("partners_total", "activities_organised")
BESIDE_REGISTER: tuple[str, ...] = (*REPORT_FIELDS, "brand", "esca_label", "esca_year")


def cluster_facts(register_counts: pd.DataFrame) -> pd.DataFrame:
    """One row per cluster with what the criteria look at, for one year: from the register's
    counts, with the year's report and the cluster's master data beside them
    (`BESIDE_REGISTER`). A cluster with no register has missing register facts; one with no
    report that year, missing report facts."""
    facts = register_counts[["cluster_id", "cluster", "level", "members_total", "core_companies",
                             "members_rnd", "members_innovation_company", "members_investor"]].copy()
    has_register = facts["members_total"] > 0
    facts["rnd_actors"] = facts["members_rnd"].where(has_register)
    facts["entrepreneurship_actors"] = facts["members_innovation_company"].where(has_register)
    facts["investors"] = facts["members_investor"].where(has_register)
    facts["core_companies"] = facts["core_companies"].where(has_register)
    points = [register_counts[f"members_{code}"] > 0 for code, _ in FIVE_POINT_MODEL]
    facts["five_point_model"] = sum(p.astype(int) for p in points).where(has_register)
    return facts.assign(other_partners=register_counts["partners_total"], ongoing_activity=register_counts["activities_organised"],
                        **{name: register_counts[name] for name in ("brand", "esca_label", "esca_year")})


def assess(facts: pd.DataFrame, rules: Rules, year: int, targets: tuple[str, ...] = TARGETS) -> pd.DataFrame:
    """Every criterion of every target for every cluster, under the rules in force in
    `year`: its threshold, the cluster's actual value, the status (met, missed, unknown,
    not judged), and by how much it falls short. Ordered by cluster (as in `facts`), then
    target and criterion."""
    facts = facts.reset_index(drop=True)
    brand = facts["brand"] if "brand" in facts else pd.Series(None, index=facts.index, dtype=object)
    esca_valid_years = rules.value("esca_valid_years", "programme", year)
    parts = [(target, criterion, minimum(rules, target, criterion, year))
             for target in targets for criterion in THRESHOLDS[target]]
    if not parts or facts.empty:
        return pd.DataFrame(columns=ASSESSMENT_COLUMNS)
    judged = [_judge(criterion, threshold, facts, year, esca_valid_years) for _, criterion, threshold in parts]
    # Cluster by cluster, as the criteria were listed: row i of every criterion, then row
    # i + 1. Each column is made whole (a frame per criterion cost more than the judging):
    # the clusters' columns repeated and the criteria's tiled by taking rows (texts stay in
    # Arrow: made anew from Python strings, 100,000 of them cost 4 ms a column), the
    # judgements stacked side by side and read row by row.
    count = len(parts)
    repeated, tiled = np.repeat(np.arange(len(facts)), count), np.tile(np.arange(count), len(facts))

    def each_cluster(values: pd.Series) -> pd.Series:
        return values.take(repeated).reset_index(drop=True)

    def each_criterion(values: list, dtype) -> pd.Series:
        return pd.Series(values, dtype=dtype).take(tiled).reset_index(drop=True)

    def stacked(position: int) -> np.ndarray:
        return np.column_stack([judgement[position] for judgement in judged]).ravel()

    return pd.DataFrame({
        "cluster_id": each_cluster(facts["cluster_id"]), "cluster": each_cluster(facts["cluster"]),
        "level": each_cluster(facts["level"]), "brand": each_cluster(brand),
        "target": each_criterion([target for target, _, _ in parts], "str"),
        "criterion": each_criterion([criterion.key for _, criterion, _ in parts], "str"),
        "minimum": each_criterion([np.nan if threshold is None else float(threshold) for *_, threshold in parts], float),
        "actual": stacked(0), "status": pd.Series(STATUSES, dtype="str").take(stacked(1)).reset_index(drop=True),
        "gap": stacked(2),
    })[ASSESSMENT_COLUMNS]


def outcomes(assessment: pd.DataFrame) -> pd.DataFrame:
    """Per cluster and target: the criteria met, missed, unknown and not judged (lists of
    criterion codes, in the criteria's order) and the outcome: `ready`, `check` or `not_ready`."""
    if assessment.empty:
        return pd.DataFrame(columns=OUTCOME_COLUMNS)
    keys = ["cluster_id", "cluster", "level", "target"]
    # One pass over the rows, in their order (pandas' groupby(...).agg(list) makes a list per
    # group in Python too, but 30 times slower: 2.6 s for 5,000 clusters). A row with a
    # missing key belongs to no cluster, as groupby would leave it out: it has no outcome
    # (with no criterion judged, it would read as ready).
    lists: dict[str, dict[tuple, list[str]]] = {status: {} for status in (MET, MISSED, UNKNOWN, NOT_JUDGED)}
    complete = assessment[keys].notna().all(axis=1).tolist()
    firsts: dict[tuple, int] = {}  # each key's first row, in the rows' order
    rows = zip(complete, *(assessment[key].tolist() for key in keys), assessment["status"].tolist(),
               assessment["criterion"].tolist())
    for position, (whole, *key, status, criterion) in enumerate(rows):
        if whole:
            key = tuple(key)
            firsts.setdefault(key, position)
            if status in lists:
                lists[status].setdefault(key, []).append(criterion)
    frame = assessment[[*keys, "brand"]].take(list(firsts.values())).reset_index(drop=True)
    for status, criteria in lists.items():
        frame[status] = [criteria.get(key, []) for key in firsts]
    frame["outcome"] = [NOT_READY if missed else CHECK if unknown else READY
                        for missed, unknown in zip(frame[MISSED], frame[UNKNOWN])]
    return frame[OUTCOME_COLUMNS]


def next_level_rows(assessment: pd.DataFrame) -> pd.DataFrame:
    """The rows of `assess` that judge each cluster against its next level (`next_target`
    of its level and brand), in their order; clusters with no level above them have none."""
    # The next level is worked out once per level and brand (as the first row of each pair
    # holds them) and spread to the rows by numpy: a merge on the two columns, or a Python
    # loop over 80,000 rows, cost more than the rest of `for_next_level`.
    level_codes, _ = pd.factorize(assessment["level"])
    brand_codes, brands = pd.factorize(assessment["brand"])
    pairs = (level_codes + 1) * (len(brands) + 1) + brand_codes + 1
    _, firsts, inverse = np.unique(pairs, return_index=True, return_inverse=True)
    # The targets compared by their codes too (-2 for none: no row's code).
    target_codes, targets = pd.factorize(assessment["target"])
    code_of = {target: code for code, target in enumerate(targets.tolist())}
    levels, brand_of = assessment["level"], assessment["brand"]
    wanted = np.full(len(firsts), -2)
    for pair, row in enumerate(firsts.tolist()):
        brand = brand_of.iloc[row]
        wanted[pair] = code_of.get(next_target(levels.iloc[row], brand if isinstance(brand, str) else None), -2)
    chosen = target_codes == wanted[inverse.reshape(-1)]
    return assessment[chosen].reset_index(drop=True)


def for_next_level(assessment: pd.DataFrame) -> pd.DataFrame:
    """`outcomes` against each cluster's next level (clusters with none above them left out)."""
    if assessment.empty:
        return outcomes(assessment)
    return outcomes(next_level_rows(assessment))


def ready_for_next_level(assessment: pd.DataFrame) -> pd.DataFrame:
    """The clusters that meet every criterion the data can judge for their next level, with
    none unknown."""
    chosen = for_next_level(assessment)
    return chosen[chosen["outcome"] == READY].reset_index(drop=True)


def to_check(assessment: pd.DataFrame) -> pd.DataFrame:
    """The clusters that miss nothing for their next level but have criteria without data:
    ready if those were met, which someone has to check."""
    chosen = for_next_level(assessment)
    return chosen[chosen["outcome"] == CHECK].reset_index(drop=True)

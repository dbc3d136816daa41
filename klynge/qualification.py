"""The programme's qualification thresholds, in one place, and the check of each cluster
against them.

Source: the programme's application criteria (programme description, section 5 "Klyngens
ressursgrunnlag" for Arena and Arena Pro; sections 2.2–2.3 for NCE and mature clusters),
summarised in DOMAIN.md. A criterion the data cannot show (projects described in an
application, a self-financing business model) is reported as `unknown`, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from klynge.domain import FIVE_POINT_MODEL

SOURCE = "Klyngeprogrammets søknadskriterier, kap. 5 «Klyngens ressursgrunnlag» (Arena, Arena Pro) og kap. 2.2–2.3 (NCE, modne klynger)"

MET, MISSED, UNKNOWN = "met", "missed", "unknown"

# The targets a cluster can qualify for, in order. NCE is a brand beside Arena Pro or a
# mature cluster; "moden" needs what NCE needs and more.
TARGETS: tuple[str, ...] = ("arena", "arena_pro", "nce", "moden")


@dataclass(frozen=True)
class Criterion:
    key: str
    # What the data can say: "register" (member register), "report" (annual report),
    # "master" (cluster master data), or None when the data cannot show it.
    source: str | None
    minimum: int | None = None  # None: no number (named, all of, or not judged)


THRESHOLDS: dict[str, tuple[Criterion, ...]] = {
    "arena": (
        Criterion("core_companies", "register", 10),
        Criterion("rnd_actors", "register", 2),
        Criterion("entrepreneurship_actors", "register", 1),
        Criterion("investors_named", None),
        Criterion("other_partners", "report", 2),
    ),
    "arena_pro": (
        Criterion("core_companies", "register", 20),
        Criterion("rnd_actors", "register", 3),
        Criterion("entrepreneurship_actors", "register", 1),
        Criterion("investors_named", None),
        Criterion("other_partners", "report", 3),
        Criterion("completed_projects", None, 5),
        Criterion("planned_projects", None, 3),
    ),
    "nce": (
        Criterion("five_point_model", "register", len(FIVE_POINT_MODEL)),
        Criterion("esca_gold", "master"),
    ),
    "moden": (
        Criterion("five_point_model", "register", len(FIVE_POINT_MODEL)),
        Criterion("esca_gold", "master"),
        Criterion("self_financing", None),
        Criterion("ongoing_activity", "report", 1),
    ),
}

ASSESSMENT_COLUMNS = ["cluster_id", "cluster", "level", "brand", "target", "criterion", "minimum", "actual", "status", "gap"]


def next_target(level: str | None, brand: str | None) -> str | None:
    """The level (or brand) a cluster would apply for next."""
    if level in (None, "utenfor", "tidligfase"):
        return "arena"
    if level == "arena":
        return "arena_pro"
    if level == "arena_pro":
        return "moden" if brand == "NCE" else "nce"
    return None


def _judge(criterion: Criterion, facts: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(actual value, status, gap) of one criterion for every cluster in `facts`."""
    unknown = pd.Series(UNKNOWN, index=facts.index, dtype=object)
    nothing = pd.Series(np.nan, index=facts.index, dtype=float)
    if criterion.source is None:
        return nothing, unknown, nothing
    if criterion.key == "esca_gold":
        label = facts["esca_label"] if "esca_label" in facts else pd.Series(None, index=facts.index, dtype=object)
        known = label.map(lambda value: isinstance(value, str) and bool(value))
        gold = label == "gold"
        actual = gold.astype(float).where(known)
        return actual, unknown.mask(known & gold, MET).mask(known & ~gold, MISSED), nothing
    # no value: no register or no report for the year
    actual = pd.to_numeric(facts[criterion.key], errors="coerce").astype(float) if criterion.key in facts else nothing
    met = actual >= criterion.minimum
    missed = actual.notna() & ~met
    gap = (float(criterion.minimum) - actual).where(missed, 0.0).where(actual.notna())
    return actual, unknown.mask(met, MET).mask(missed, MISSED), gap


# What `cluster_facts` reads from the reports.
REPORT_FIELDS: tuple[str, ...] = ("partners_total", "activities_organised")


def cluster_facts(register_counts: pd.DataFrame, reports: pd.DataFrame, clusters: pd.DataFrame) -> pd.DataFrame:
    """One row per cluster with what the criteria look at, for one year: from the register
    (`register_counts`), that year's reports and the clusters' master data. A cluster with no
    register has missing register facts; one with no report that year, missing report facts."""
    facts = register_counts[["cluster_id", "cluster", "level", "members_total", "core_companies",
                             "members_rnd", "members_innovation_company", "members_investor"]].copy()
    has_register = facts["members_total"] > 0
    facts["rnd_actors"] = facts["members_rnd"].where(has_register)
    facts["entrepreneurship_actors"] = facts["members_innovation_company"].where(has_register)
    facts["investors"] = facts["members_investor"].where(has_register)
    facts["core_companies"] = facts["core_companies"].where(has_register)
    points = [register_counts[f"members_{code}"] > 0 for code, _ in FIVE_POINT_MODEL]
    facts["five_point_model"] = sum(p.astype(int) for p in points).where(has_register)
    report_facts = reports[["cluster_id", *REPORT_FIELDS]].rename(
        columns={"partners_total": "other_partners", "activities_organised": "ongoing_activity"})
    facts = facts.merge(report_facts, on="cluster_id", how="left")
    facts = facts.merge(clusters[["cluster_id", "brand", "esca_label"]], on="cluster_id", how="left")
    return facts


def assess(facts: pd.DataFrame, targets: tuple[str, ...] = TARGETS) -> pd.DataFrame:
    """Every criterion of every target for every cluster: its minimum, the cluster's actual
    value, met / missed / unknown, and by how much it falls short. Ordered by cluster (as in
    `facts`), then target and criterion."""
    facts = facts.reset_index(drop=True)
    brand = facts["brand"] if "brand" in facts else pd.Series(None, index=facts.index, dtype=object)
    parts = []
    for target in targets:
        for criterion in THRESHOLDS[target]:  # one criterion for every cluster at once
            actual, status, gap = _judge(criterion, facts)
            parts.append(pd.DataFrame({
                "cluster_id": facts["cluster_id"], "cluster": facts["cluster"], "level": facts["level"], "brand": brand,
                "target": target, "criterion": criterion.key,
                "minimum": np.nan if criterion.minimum is None else float(criterion.minimum),
                "actual": actual, "status": status, "gap": gap,
            }))
    if not parts or facts.empty:
        return pd.DataFrame(columns=ASSESSMENT_COLUMNS)
    # cluster by cluster, as the criteria were listed
    frame = pd.concat(parts, keys=range(len(parts)), names=["part", "row"]).reset_index()
    frame = frame.sort_values(["row", "part"], kind="stable").assign(status=lambda f: f["status"].astype("str"))
    return frame[ASSESSMENT_COLUMNS].reset_index(drop=True)


def summary(assessment: pd.DataFrame) -> pd.DataFrame:
    """Per cluster and target: criteria met, missed and unknown, and whether every criterion
    the data can judge is met."""
    if assessment.empty:
        return pd.DataFrame(columns=["cluster_id", "cluster", "level", "brand", "target", "met", "missed", "unknown", "qualifies"])
    counts = assessment.pivot_table(index=["cluster_id", "cluster", "level", "target"], columns="status",
                                    values="criterion", aggfunc="count", fill_value=0).reset_index()
    for status in (MET, MISSED, UNKNOWN):
        if status not in counts:
            counts[status] = 0
    brands = assessment.drop_duplicates("cluster_id").set_index("cluster_id")["brand"]
    counts["brand"] = counts["cluster_id"].map(brands)
    counts["qualifies"] = counts[MISSED] == 0
    counts.columns.name = None
    return counts[["cluster_id", "cluster", "level", "brand", "target", MET, MISSED, UNKNOWN, "qualifies"]]


def ready_for_next_level(assessment: pd.DataFrame) -> pd.DataFrame:
    """The clusters that meet every criterion the data can judge for their next level."""
    overview = summary(assessment)
    if overview.empty:
        return overview
    wanted = pd.Series([next_target(level, brand if isinstance(brand, str) else None)
                        for level, brand in zip(overview["level"], overview["brand"])], index=overview.index, dtype=object)
    ready = overview[(overview["target"] == wanted) & overview["qualifies"]]
    return ready.reset_index(drop=True)

"""Derived figures: pure functions over the read API's DataFrames.

Nothing here touches the database or Streamlit; each function promises a tidy frame.
"""

from __future__ import annotations

import pandas as pd

from klynge.domain import FIVE_POINT_MODEL, LEVEL_BY_CODE, MEMBER_TYPES

# The key figures of the overview, in display order.
KEY_FIGURES: tuple[str, ...] = (
    "clusters",
    "members_total",
    "activities_unique_participants",
    "funding_triggered_mnok",
    "international_activities_new",
)

PROG_CATEGORIES = {
    "competence": ("prog_competence_training", "prog_competence_education"),
    "internationalisation": ("prog_intl_fairs", "prog_intl_training", "prog_intl_market_positions"),
    "innovation": ("prog_innovation_collaboration", "prog_innovation_prestudy", "prog_innovation_investment"),
}
OTHER_CATEGORIES = {
    "competence": ("other_competence_projects",),
    "internationalisation": ("other_intl_projects",),
    "innovation": ("other_innovation_projects",),
    "custom": ("custom_type_projects",),
}


def _divide(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator, missing (not infinite) where the denominator is 0."""
    denominator = denominator.astype(float)
    return numerator.astype(float) / denominator.where(denominator != 0)


# What `participants_per_activity` reads.
ACTIVITY_FIELDS: tuple[str, ...] = ("activities_organised", "activities_unique_participants")


def participants_per_activity(frame: pd.DataFrame) -> pd.Series:
    """Unique participants per activity organised (of `ACTIVITY_FIELDS`)."""
    return _divide(frame["activities_unique_participants"], frame["activities_organised"])


# What `women_shares` reads.
GENDER_FIELDS: tuple[str, ...] = ("steering_members", "steering_women", "mgmt_paid_persons", "mgmt_paid_women")


def women_shares(frame: pd.DataFrame) -> dict[str, pd.Series]:
    """Women's shares of the steering group and of the paid management (of `GENDER_FIELDS`)."""
    return {"steering_women_share": _divide(frame["steering_women"], frame["steering_members"]),
            "mgmt_women_share": _divide(frame["mgmt_paid_women"], frame["mgmt_paid_persons"])}


def with_derived(frame: pd.DataFrame) -> pd.DataFrame:
    """Adds the derived figures to a frame of reports or of per-level sums: triggered money,
    participants per activity, women's shares, project totals, programme money and leverage.
    (Made as plain Series and added in one step: a column at a time costs more than the sums.)"""
    column = frame.__getitem__
    new: dict[str, pd.Series] = {}
    new["funding_triggered_mnok"] = (column("funding_national_mnok").astype(float)
                                     + column("funding_eu_mnok").astype(float)).round(3)
    new["participants_per_activity"] = participants_per_activity(frame)
    new.update(women_shares(frame))
    new["prog_projects"] = sum(column(name) for names in PROG_CATEGORIES.values() for name in names)
    new["other_projects"] = sum(column(name) for names in OTHER_CATEGORIES.values() for name in names)
    new["projects_total"] = new["prog_projects"] + new["other_projects"]
    new["projects_per_10_members"] = _divide(10 * new["projects_total"], column("members_total"))
    for category in ("competence", "internationalisation", "innovation"):
        names = PROG_CATEGORIES[category] + OTHER_CATEGORIES[category]
        new[f"{category}_projects"] = sum(column(name) for name in names)
    new["intl_projects"] = new["internationalisation_projects"]
    new["with_international_partners"] = column("prog_with_international_partners") + column("other_with_international_partners")
    new["projects_with_rnd"] = column("prog_with_rnd") + column("other_with_rnd")
    new["rnd_share"] = _divide(new["projects_with_rnd"], new["projects_total"])
    new["international_partner_share"] = _divide(new["with_international_partners"], new["projects_total"])
    new["cluster_collaborations"] = column("prog_new_cluster_collaborations") + column("other_new_cluster_collaborations")
    new["international_cluster_collaborations"] = (column("prog_new_cluster_collaborations_international")
                                                   + column("other_new_cluster_collaborations_international"))
    clusters = column("clusters") if "clusters" in frame else 1
    money = {code: float(level.programme_money_mnok) for code, level in LEVEL_BY_CODE.items()}
    new["programme_money_mnok"] = column("level").map(money).fillna(0.0).astype(float) * clusters
    new["leverage"] = _divide(new["funding_triggered_mnok"], new["programme_money_mnok"])
    return pd.concat([frame.drop(columns=[name for name in new if name in frame]), pd.DataFrame(new, index=frame.index)], axis=1)


def key_figures(summary: pd.DataFrame, year: int) -> pd.DataFrame:
    """Per level: each key figure in `year`, the year before, and the change."""
    derived = with_derived(summary) if not summary.empty else summary
    rows = []
    levels = sorted(set(derived["level"]) if not derived.empty else (), key=level_order)
    for level in levels:
        this = derived[(derived["level"] == level) & (derived["report_year"] == year)]
        before = derived[(derived["level"] == level) & (derived["report_year"] == year - 1)]
        for figure in KEY_FIGURES:
            value = float(this[figure].sum()) if not this.empty else None
            previous = float(before[figure].sum()) if not before.empty else None
            change = value - previous if value is not None and previous is not None else None
            rows.append((level, figure, value, previous, change))
    return pd.DataFrame(rows, columns=["level", "figure", "value", "previous", "change"])


def totals(summary: pd.DataFrame) -> pd.DataFrame:
    """The per-level sums added up over the levels, per year."""
    if summary.empty:
        return summary
    numeric = summary.drop(columns=["level"]).groupby("report_year", as_index=False).sum(numeric_only=True)
    return numeric.assign(level="alle")


def level_order(code: str) -> int:
    level = LEVEL_BY_CODE.get(code)
    return level.order if level else 99


def member_composition(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Members by type in long form (one row per group and type) with counts and shares
    within the group. `frame` holds `members_<type>` columns (reports or register counts)."""
    columns = [t.report_field for t in MEMBER_TYPES]
    # summed per group before it is made long: a row per group and type, not per report and type
    sums = frame.groupby(by, sort=False)[columns].sum().reset_index()
    long = sums.melt(id_vars=by, value_vars=columns, var_name="field", value_name="members")
    by_field = {t.report_field: t.code for t in MEMBER_TYPES}
    long["member_type"] = long["field"].map(by_field)
    group_total = long.groupby(by)["members"].transform("sum")
    long["share"] = _divide(long["members"], group_total)
    return long.drop(columns=["field"])


def five_point_coverage(register_counts: pd.DataFrame) -> pd.DataFrame:
    """Per cluster: whether each point of the five-point model is covered by at least one
    member, how many points are covered, and the names of the missing ones."""
    out = register_counts[["cluster_id", "cluster", "level"]].copy()
    fields = {t.code: t.report_field for t in MEMBER_TYPES}
    for code, _label in FIVE_POINT_MODEL:
        out[code] = register_counts[fields[code]] > 0
    points = [code for code, _ in FIVE_POINT_MODEL]
    out["covered"] = out[points].sum(axis=1)
    out["missing"] = [[code for code, covered in zip(points, row) if not covered] for row in out[points].to_numpy()]
    return out


def project_categories(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """New projects in long form: one row per group, financing (`programme` or `other`) and
    category (competence, internationalisation, innovation, custom)."""
    rows = []
    grouped = frame.groupby(by, sort=True) if by else [((), frame)]
    for key, group in grouped:
        key = key if isinstance(key, tuple) else (key,)
        for financing, categories in (("programme", PROG_CATEGORIES), ("other", OTHER_CATEGORIES)):
            for category, names in categories.items():
                rows.append((*key, financing, category, int(sum(group[name].sum() for name in names))))
    return pd.DataFrame(rows, columns=[*by, "financing", "category", "projects"])


def level_medians(reports: pd.DataFrame, figures: list[str]) -> pd.DataFrame:
    """Per year and level: the median of each figure over the reports of that level."""
    if reports.empty:
        return pd.DataFrame(columns=["report_year", "level", *figures])
    return reports.groupby(["report_year", "level"], as_index=False)[figures].median()

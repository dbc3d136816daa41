"""Derived figures: pure functions over the read API's DataFrames.

Nothing here touches the database or Streamlit; each function promises a tidy frame.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import numpy as np
import pandas as pd

from klynge.domain import FIVE_POINT_MODEL, LEVEL_BY_CODE, LEVEL_CODES, MEMBER_TYPES
from klynge.rules import Rules

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


def _divide(numerator, denominator) -> np.ndarray:
    """numerator / denominator (columns or arrays of one length), as floats, missing (not
    infinite) where the denominator is 0."""
    above = np.asarray(numerator, dtype=float)
    below = np.asarray(denominator, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(below != 0, above / below, np.nan)


def _values(frame: pd.DataFrame, name: str) -> np.ndarray:
    """A column as a numpy array: as it is for a column of numpy numbers (a sum of counts
    stays a whole number), as floats with NaN for a gap otherwise (a column of Python objects,
    such as None wherever nothing was read, or pandas' nullable numbers)."""
    column = frame[name]
    if isinstance(column.dtype, np.dtype) and column.dtype.kind in "biuf":
        return column.to_numpy()
    return column.to_numpy(dtype=float, na_value=np.nan)


# A derived figure's definition: what it reads, and its formula over those (a dict of arrays;
# None for programme money, which the rules give).
Formula = tuple[tuple[str, ...], Callable[[dict], np.ndarray] | None]


def _sum(*names: str) -> Formula:
    """The sum of `names`."""
    return names, lambda v: sum(v[name] for name in names)


def _ratio(numerator: str, denominator: str) -> Formula:
    """numerator / denominator, missing where the denominator is 0."""
    return (numerator, denominator), lambda v: _divide(v[numerator], v[denominator])


_PROG_FIELDS = tuple(name for names in PROG_CATEGORIES.values() for name in names)
_OTHER_FIELDS = tuple(name for names in OTHER_CATEGORIES.values() for name in names)
_CATEGORY_FIELDS = {category: PROG_CATEGORIES[category] + OTHER_CATEGORIES[category]
                    for category in ("competence", "internationalisation", "innovation")}

# Every derived figure: what it reads (report fields, or derived figures above it) and its
# formula over those, as numpy arrays. One definition per figure: `fields_for` tells a page
# which report fields to read for the figures it shows, and `with_derived` makes them.
# Programme money reads no field but each row's level, year, and years in its level (a
# report) or clusters funded (per-level sums), under the programme's rules (`programme_money`).
DERIVED: dict[str, Formula] = {
    "funding_triggered_mnok": (("funding_national_mnok", "funding_eu_mnok"), lambda v: np.round(
        v["funding_national_mnok"].astype(float) + v["funding_eu_mnok"].astype(float), 3)),
    "participants_per_activity": _ratio("activities_unique_participants", "activities_organised"),
    "steering_women_share": _ratio("steering_women", "steering_members"),
    "mgmt_women_share": _ratio("mgmt_paid_women", "mgmt_paid_persons"),
    "prog_projects": _sum(*_PROG_FIELDS),
    "other_projects": _sum(*_OTHER_FIELDS),
    "projects_total": _sum("prog_projects", "other_projects"),
    "projects_per_10_members": (("projects_total", "members_total"),
                                lambda v: _divide(10 * v["projects_total"], v["members_total"])),
    **{f"{category}_projects": _sum(*names) for category, names in _CATEGORY_FIELDS.items()},
    "intl_projects": (("internationalisation_projects",), lambda v: v["internationalisation_projects"]),
    "with_international_partners": _sum("prog_with_international_partners", "other_with_international_partners"),
    "projects_with_rnd": _sum("prog_with_rnd", "other_with_rnd"),
    # The report asks about R&D and international partners for every category of project
    # but the custom ones ("Egendefinert"): those are not in the denominator.
    "projects_asked": (("projects_total", "custom_type_projects"), lambda v: v["projects_total"] - v["custom_type_projects"]),
    "rnd_share": _ratio("projects_with_rnd", "projects_asked"),
    "international_partner_share": _ratio("with_international_partners", "projects_asked"),
    "cluster_collaborations": _sum("prog_new_cluster_collaborations", "other_new_cluster_collaborations"),
    "international_cluster_collaborations": _sum("prog_new_cluster_collaborations_international",
                                                 "other_new_cluster_collaborations_international"),
    "programme_money_mnok": ((), None),
    "leverage": _ratio("funding_triggered_mnok", "programme_money_mnok"),
}


def derived_for(figures) -> list[str]:
    """`figures` and the derived figures they read, in `DERIVED`'s order (each after what it reads)."""
    wanted: set[str] = set()
    stack = [figure for figure in figures if figure in DERIVED]
    while stack:
        figure = stack.pop()
        if figure not in wanted:
            wanted.add(figure)
            stack.extend(name for name in DERIVED[figure][0] if name in DERIVED)
    return [figure for figure in DERIVED if figure in wanted]


def fields_for(figures) -> tuple[str, ...]:
    """The report fields to read for `figures` (report fields and derived figures), each once:
    a report field stands for itself, a derived figure for the fields its formula reads,
    in the order it reads them (a ratio's numerator before its denominator)."""
    fields: list[str] = []

    def visit(name: str) -> None:
        if name in DERIVED:
            for read in DERIVED[name][0]:
                visit(read)
        else:
            fields.append(name)

    for figure in figures:
        visit(figure)
    return tuple(dict.fromkeys(fields))


def with_derived(frame: pd.DataFrame, rules: Rules | None, figures=None) -> pd.DataFrame:
    """Adds the derived figures (`DERIVED`) to a frame of reports or of per-level sums:
    triggered money, participants per activity, women's shares, project totals and shares,
    programme money and leverage (from `rules`, the programme's rules in force in each row's
    year; None will do for figures that do not read programme money). With `figures`, only
    those and what they read: the frame needs only `fields_for(figures)`.
    (Made as numpy arrays and added in one step: a pandas step per figure costs more than
    the sums.)"""
    values: dict[str, np.ndarray] = {}
    new: dict[str, np.ndarray] = {}
    for figure in derived_for(DERIVED if figures is None else figures):
        reads, formula = DERIVED[figure]
        for name in reads:  # a derived figure read is made above it, in `values` already
            if name not in values:
                values[name] = _values(frame, name)
        new[figure] = programme_money(frame, rules).to_numpy() if formula is None else formula(values)
        values[figure] = new[figure]
    replaced = [name for name in new if name in frame]
    return pd.concat([frame.drop(columns=replaced) if replaced else frame, pd.DataFrame(new, index=frame.index)], axis=1)


def funded_clusters(frame: pd.DataFrame, rules: Rules) -> pd.Series:
    """How many of a row's clusters the programme can fund in the row's year: for per-level
    sums, the reporting clusters less those past their level's time limit
    (`clusters_beyond_limit`); for a report, 1 unless its cluster is past the limit
    (`years_in_level`, the year of the period the report falls in, beyond the level's
    `max_years`)."""
    if "clusters" in frame:
        beyond = frame["clusters_beyond_limit"] if "clusters_beyond_limit" in frame else 0
        return (frame["clusters"] - beyond).astype(float)
    limits = _per_level_year(frame, lambda level, year: rules.max_years(level, year))
    years_in = frame["years_in_level"].astype(float) if "years_in_level" in frame else pd.Series(float("nan"), index=frame.index)
    beyond = years_in.notna() & limits.notna() & (years_in > limits)
    return (~beyond).astype(float)


def programme_money(frame: pd.DataFrame, rules: Rules) -> pd.Series:
    """The most programme money (MNOK) the row's clusters can get in its year under `rules`:
    the level's operating and development support times the clusters it can fund; missing
    where a rule it needs is not set."""
    per_cluster = _per_level_year(frame, rules.annual_money)
    return per_cluster * funded_clusters(frame, rules)


def _per_level_year(frame: pd.DataFrame, lookup) -> pd.Series:
    """`lookup(level, year)` for every row (asked once per level and year), as floats, missing for None."""
    keys = list(zip(frame["level"], frame["report_year"]))
    found = {key: lookup(key[0], int(key[1])) for key in set(keys)}
    return pd.Series([found[key] for key in keys], index=frame.index, dtype=float)


def key_figures(derived: pd.DataFrame, year: int) -> pd.DataFrame:
    """Per level: each key figure in `year`, the year before, and the change (from per-level
    sums with their derived figures, as `with_derived` gives them). A level with no row in a
    year has None there; a row whose figure is empty counts it as 0, as a sum does.

    One pass over the rows of the two years (a few per level), not a filter per level and
    year: the overview asks for these on every filter change."""
    levels = sorted(set(derived["level"]) if not derived.empty else (), key=level_order)
    sums: dict[tuple[str, int], list[float]] = {}
    wanted = derived.loc[derived["report_year"].isin((year, year - 1)), ["level", "report_year", *KEY_FIGURES]] \
        if not derived.empty else derived
    for level, report_year, *values in wanted.itertuples(index=False, name=None):
        total = sums.setdefault((level, int(report_year)), [0.0] * len(KEY_FIGURES))
        for index, value in enumerate(values):
            if value is not None and value == value:  # NaN is skipped, as a sum skips it
                total[index] += float(value)
    rows = []
    for level in levels:
        this, before = sums.get((level, year)), sums.get((level, year - 1))
        for index, figure in enumerate(KEY_FIGURES):
            value = this[index] if this is not None else None
            previous = before[index] if before is not None else None
            change = value - previous if value is not None and previous is not None else None
            rows.append((level, figure, value, previous, change))
    return pd.DataFrame(rows, columns=["level", "figure", "value", "previous", "change"])


def level_changes(reports: pd.DataFrame, year: int) -> pd.DataFrame:
    """The clusters whose level in `year` differs from their level in `year - 1`, among those
    with a report in both years: indexed by `cluster_id`, with `cluster` (where `reports` names
    them), `from`, `to` and `up`, a move up the programme's levels (from one of them to a
    higher one: "outside the programme" is no level to move up from or to). Moves up first,
    then by cluster (name, then id). `reports` has `cluster_id`, `report_year` and `level` for both years."""
    rank = {code: index for index, code in enumerate(LEVEL_CODES)}
    named = "cluster" in reports
    # Paired as lists, not by joining frames: the overview asks for this on every filter
    # change, and pandas' steps cost more than the few clusters that changed level.
    ids, years, levels = (reports[column].tolist() for column in ("cluster_id", "report_year", "level"))
    names = reports["cluster"].tolist() if named else [None] * len(ids)
    before: dict = {}
    for cluster_id, report_year, level in zip(ids, years, levels):
        if report_year == year - 1:
            before.setdefault(cluster_id, []).append(level)
    rows = [(cluster_id, name, then, now, then in rank and now in rank and rank[now] > rank[then])
            for cluster_id, report_year, name, now in zip(ids, years, names, levels) if report_year == year
            for then in before.get(cluster_id, ()) if then != now]
    # Moves up first, then by name and id (a stable sort).
    rows.sort(key=lambda row: (not row[4], *((row[1],) if named else ()), row[0]))
    columns = {"cluster": (1, reports["cluster"].dtype)} if named else {}
    columns |= {"from": (2, reports["level"].dtype), "to": (3, reports["level"].dtype), "up": (4, bool)}
    index = pd.Index([row[0] for row in rows], dtype=reports["cluster_id"].dtype, name="cluster_id")
    return pd.DataFrame({name: pd.Series([row[place] for row in rows], dtype=dtype, index=index)
                         for name, (place, dtype) in columns.items()}, index=index)


def level_moves(reports: pd.DataFrame, year: int) -> pd.DataFrame:
    """Per level, the clusters that moved up the programme's levels between `year - 1` and
    `year` (`level_changes`): `moved_up`, those that reported at the level in `year - 1` and at
    a higher level in `year` (they leave the level by a promotion, not a loss); `moved_in`,
    those that report at the level in `year` and reported at a lower level in `year - 1`."""
    changes = level_changes(reports, year)
    promoted = [(then, now) for then, now, up in zip(changes["from"], changes["to"], changes["up"]) if up]
    moved_up, moved_in = Counter(then for then, _ in promoted), Counter(now for _, now in promoted)
    return pd.DataFrame({"moved_up": [moved_up[code] for code in LEVEL_CODES], "moved_in": [moved_in[code] for code in LEVEL_CODES]},
                        index=pd.Index(LEVEL_CODES, name="level"))


def totals(summary: pd.DataFrame) -> pd.DataFrame:
    """The per-level sums added up over the levels, per year."""
    if summary.empty:
        return summary
    # Every column but the level as numbers: PostgreSQL's sums of integers arrive as Decimals
    # (an object column), which `sum(numeric_only=True)` would drop.
    numbers = summary.drop(columns=["level"])
    # (only the columns that are not numbers already: a conversion per column costs 1-2 ms)
    numbers = numbers.assign(**{name: pd.to_numeric(numbers[name], errors="coerce") for name in numbers
                                if not pd.api.types.is_numeric_dtype(numbers[name])})
    return numbers.groupby("report_year", as_index=False).sum(min_count=1).assign(level="alle")


def level_order(code: str) -> int:
    level = LEVEL_BY_CODE.get(code)
    return level.order if level else 99


def member_composition(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Members by type in long form (one row per group and type) with counts and shares
    within the group. `frame` holds `members_<type>` columns (reports or register counts)."""
    columns = [t.report_field for t in MEMBER_TYPES]
    # summed per group before it is made long: a row per group and type, not per report and type
    sums = frame.groupby(by, sort=False)[columns].sum()
    # Made long in numpy, in a melt's order (every group of the first type, then of the next
    # ...): a melt and a grouped sum of the long rows cost more than a chart's few groups.
    values = sums.to_numpy()
    members = values.T.reshape(-1)
    group = np.tile(np.arange(len(sums)), len(columns))  # each long row's group
    return pd.DataFrame({**{name: sums.index.get_level_values(name).take(group) for name in by}, "members": members,
                         "member_type": pd.array([t.code for t in MEMBER_TYPES for _ in range(len(sums))], dtype="str"),
                         "share": _divide(members, values.sum(axis=1)[group])})


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


# A median over fewer clusters than this says more about those clusters than about a level.
MIN_PEERS = 3


def level_medians(reports: pd.DataFrame, figures: list[str], exclude: tuple[int, ...] = ()) -> pd.DataFrame:
    """Per year and level: the median of each figure over the reports of that level, leaving
    out the clusters in `exclude` (a cluster is compared with its peers, not with itself),
    and beside each figure its count `n_<figure>` (the reports with a value). Where fewer
    than `MIN_PEERS` reports have a value, the median is missing ("too few to compare")."""
    columns = ["report_year", "level", *figures, *(f"n_{figure}" for figure in figures)]
    peers = reports[~reports["cluster_id"].isin(exclude)] if exclude else reports
    if peers.empty:
        return pd.DataFrame(columns=columns)
    grouped = peers.groupby(["report_year", "level"])[figures]
    medians, counts = grouped.median(), grouped.count()
    medians = medians.where(counts >= MIN_PEERS)
    counts.columns = [f"n_{figure}" for figure in figures]
    return pd.concat([medians, counts], axis=1).reset_index()[columns]


# The theme pages' comparison of the levels: every cluster, the level's median and its total.
# The row of the whole programme in `level_comparison` (the same code as `totals`).
WHOLE_PROGRAMME = "alle"


def cluster_values(reports: pd.DataFrame, figure: str) -> pd.DataFrame:
    """The clusters with a value of `figure` in `reports` (one year's), one row each:
    `cluster_id`, `cluster`, `level` and `value`, the levels in order and the clusters by
    value within a level. A cluster without a value (the field not reported, or a ratio whose
    denominator is 0 or not set by the rules) is left out: it is not a zero."""
    # Sorted in numpy (a stable sort, as pandas' sort by several columns is): the level's
    # order looked up once per level, not per cluster (5,000 clusters: 6.4 -> 2 ms).
    keys = ("cluster_id", "cluster", "level")
    values = reports[figure].to_numpy(dtype=float, na_value=np.nan)
    codes, levels = pd.factorize(reports["level"])
    ranks = np.array([level_order(level) for level in levels] + [level_order(None)], dtype="int64")[codes]  # -1: none
    present = np.flatnonzero(~np.isnan(values))
    names = np.array(reports["cluster"].tolist(), dtype=str)
    taken = present[np.lexsort((names[present], values[present], ranks[present]))]
    columns = {key: reports[key].take(taken).reset_index(drop=True) for key in keys}
    return pd.DataFrame({**columns, "value": pd.Series(values[taken], dtype=float)})


def group_comparison(reports: pd.DataFrame, figure: str, by: str, ratio_of: tuple[str, str] | None = None) -> pd.DataFrame:
    """Per value of the column `by` in `reports` (sorted by it): `clusters`, the reports;
    `n`, those with a value of `figure`; `median`, the median over those n (missing where
    n < `MIN_PEERS`, as `level_medians` takes it); and `total`, the figure of the group as
    a whole: the sum over its clusters (missing where none has a value) or, for a ratio
    (`ratio_of` = its numerator and denominator columns), the sum of the numerators over the
    sum of the denominators, as the per-level summary computes it (missing where the sum is
    0 or a denominator is not set, as programme money where the rules set no amount).

    The one definition of a group's figures: the theme pages' levels (`level_comparison`)
    and the explorer's breakdowns by county, sector, year or cluster."""
    columns = [by, "clusters", "n", "median", "total"]
    if reports.empty:
        return pd.DataFrame(columns=columns)
    # In numpy over the groups' codes: pandas' grouped statistics cost about a millisecond
    # each, and a theme page asks for these on every filter change (a row without a group,
    # `by` missing, is in none, as pandas' groupby leaves it out).
    codes, groups = pd.factorize(reports[by], sort=True)
    size, n, median, total = _group_figures(codes, len(groups), reports, figure, ratio_of)
    return pd.DataFrame({by: groups, "clusters": size, "n": n, "median": median, "total": total})


def _group_figures(codes: np.ndarray, k: int, reports: pd.DataFrame, figure: str,
                   ratio_of: tuple[str, str] | None) -> tuple[np.ndarray, ...]:
    """`group_comparison`'s clusters, n, median and total of each of `k` groups, the rows of
    `reports` in the group of their code (-1: in none)."""
    inside = codes >= 0
    codes = codes[inside]
    values = reports[figure].to_numpy(dtype=float, na_value=np.nan)[inside]
    valid = ~np.isnan(values)
    size = np.bincount(codes, minlength=k)
    n = np.bincount(codes[valid], minlength=k)
    # The median of each group: its values sorted within the group, the middle one or the
    # mean of the middle two.
    order = np.lexsort((values[valid], codes[valid]))
    ranked = values[valid][order]
    starts = np.concatenate(([0], np.cumsum(n)[:-1]))
    middle = np.clip(np.stack([starts + (n - 1) // 2, starts + n // 2]), 0, max(len(ranked) - 1, 0))
    median = (ranked[middle].mean(axis=0) if len(ranked) else np.full(k, np.nan))
    median = np.where(n >= MIN_PEERS, median, np.nan)
    if ratio_of is None:
        total = np.where(n > 0, np.bincount(codes[valid], weights=values[valid], minlength=k), np.nan)
    else:
        above, below = (reports[column].to_numpy(dtype=float, na_value=np.nan)[inside] for column in ratio_of)
        above_sum = np.bincount(codes, weights=np.nan_to_num(above), minlength=k)
        below_sum = np.bincount(codes, weights=np.nan_to_num(below), minlength=k)
        unset = np.bincount(codes, weights=np.isnan(below), minlength=k) > 0  # a denominator not set
        with np.errstate(divide="ignore", invalid="ignore"):
            total = np.where((below_sum != 0) & ~unset, above_sum / below_sum, np.nan)
    return size.astype("int64"), n.astype("int64"), median.astype(float), total.astype(float)


def level_comparison(reports: pd.DataFrame, figure: str, ratio_of: tuple[str, str] | None = None) -> pd.DataFrame:
    """Per level in `reports` (the reports of one year; levels in order), then for the whole
    programme (`level` = `WHOLE_PROGRAMME`): `group_comparison` by level, and of all the
    reports as one group."""
    columns = ["level", "clusters", "n", "median", "total"]
    if reports.empty:
        return pd.DataFrame(columns=columns)
    if reports["report_year"].nunique() > 1:
        raise ValueError("level_comparison compares the reports of one year")
    # The levels (in the programme's order), then every report as one group, made as one
    # frame: the pandas steps of two frames and their concatenation cost more than the figures.
    codes, groups = pd.factorize(reports["level"], sort=True)
    by_level = _group_figures(codes, len(groups), reports, figure, ratio_of)
    whole = _group_figures(np.zeros(len(reports), dtype="int64"), 1, reports, figure, ratio_of)
    order = sorted(range(len(groups)), key=lambda group: level_order(groups[group]))  # stable
    figures = [np.concatenate([ours[order], all_of]) for ours, all_of in zip(by_level, whole)]
    return pd.DataFrame(dict(zip(columns, [[*groups[order], WHOLE_PROGRAMME], *figures])))

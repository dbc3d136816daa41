"""The programme's targets, and whether each is met or on track.

A target is a value an indicator (klynge.indicators) should reach by a year, for one level
or for the whole programme (the four levels together; clusters outside the programme are
not in it), with the decision it comes from. It may name the first year of its period
(`from_year`); without one, its period is every year with a figure up to the target year.
Targets are imported from a table (`python -m klynge import targets.csv`); a database starts
with none, and the demo data ship synthetic ones.

Every target is read as "at least": the programme's indicators are all better higher.

`judge` says where a target stands in a year (`as_of`, the last year the reader looks at):

- the target year is reached (`as_of` >= target year): **met** when the figure of the target
  year is at least the target, **missed** when it is below; unknown when that year has no figure;
- before the target year: the **trend** is the straight line fitted (least squares) through
  the figures of the period up to `as_of`, and its value in the target year is the
  projection: **on track** when the projection is at least the target, **off track** when it
  is below; unknown with fewer than two years of figures (no line can be drawn).

Nothing is judged where no target is set (**no target**), and a target is never judged on a
part of what it is set for (a county or sector of the programme, some of its levels): the
figures of a part are not the figures the target names. Unknown is never met.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Engine, select

from klynge import metrics
from klynge.domain import LEVEL_CODES
from klynge.indicators import GOALS
from klynge.queries import Filter
from klynge.rules import Rules
from klynge.store import schema

PROGRAMME = "programme"
SCOPES: tuple[str, ...] = (*LEVEL_CODES, PROGRAMME)

# A judgement's status, and why one is unknown.
MET, MISSED, ON_TRACK, OFF_TRACK, UNKNOWN, NO_TARGET = "met", "missed", "on_track", "off_track", "unknown", "no_target"
STATUSES: tuple[str, ...] = (MET, ON_TRACK, OFF_TRACK, MISSED, UNKNOWN, NO_TARGET)
NO_FIGURE = "no_figure"  # no figure in the period up to the year looked at
NO_FIGURE_IN_TARGET_YEAR = "no_figure_in_target_year"
TOO_FEW_YEARS = "too_few_years"  # one year of figures: no trend
PART_OF_SCOPE = "part_of_scope"  # the filter selects a part of what the target is set for
REASONS: tuple[str, ...] = (NO_FIGURE, NO_FIGURE_IN_TARGET_YEAR, TOO_FEW_YEARS, PART_OF_SCOPE)


@dataclass(frozen=True)
class Target:
    indicator: str
    scope: str  # a level code, or "programme"
    target_year: int
    value: float
    source: str  # the decision it comes from
    from_year: int | None = None  # the first year of the period; None: every year before
    note: str = ""


@dataclass(frozen=True)
class Judgement:
    status: str
    latest_year: int | None = None  # the last year of the period with a figure (up to `as_of`)
    latest: float | None = None
    gap: float | None = None  # target less the latest figure: what is still to go (below 0: past it)
    projected: float | None = None  # the trend's value in the target year
    years: int = 0  # the years of figures the judgement rests on (n)
    reason: str | None = None  # why the status is unknown


def judge(figures: pd.Series, target: Target, as_of: int) -> Judgement:
    """Where `target` stands in `as_of`, from `figures` (the indicator's figure per year, for
    what the target is set for; a missing year is NaN or absent)."""
    last = min(as_of, target.target_year)
    first = target.from_year if target.from_year is not None else -math.inf
    known = figures.dropna()
    known = known[(known.index >= first) & (known.index <= last)].sort_index()
    if known.empty:
        return Judgement(UNKNOWN, reason=NO_FIGURE)
    latest_year, latest = int(known.index[-1]), float(known.iloc[-1])
    gap = target.value - latest
    if as_of >= target.target_year:
        if latest_year != target.target_year:
            return Judgement(UNKNOWN, latest_year, latest, gap, years=len(known), reason=NO_FIGURE_IN_TARGET_YEAR)
        return Judgement(MET if latest >= target.value else MISSED, latest_year, latest, gap, years=1)
    if len(known) < 2:
        return Judgement(UNKNOWN, latest_year, latest, gap, years=1, reason=TOO_FEW_YEARS)
    years = known.index.to_numpy(dtype=float)
    slope, intercept = np.polyfit(years, known.to_numpy(dtype=float), 1)
    # Rounded past floating-point noise: a line that reaches the target exactly is on track.
    projected = round(float(intercept + slope * target.target_year), 9)
    return Judgement(ON_TRACK if projected >= target.value else OFF_TRACK, latest_year, latest, gap, projected, len(known))


def covers(flt: Filter, scope: str) -> bool:
    """Whether the filter selects the whole of what a target of `scope` is set for (it may
    leave out clusters outside the programme and, for a level, the other levels)."""
    if flt.regions or flt.sectors or flt.clusters:
        return False
    if scope == PROGRAMME:
        return not flt.levels or set(flt.levels) >= set(LEVEL_CODES)
    return not flt.levels or scope in flt.levels


def shown_scopes(flt: Filter) -> list[str]:
    """The scopes whose targets a page with `flt` shows: the programme, and the levels it selects."""
    return [scope for scope in SCOPES if scope == PROGRAMME or not flt.levels or scope in flt.levels]


def programme_figures(summary: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """Per year, the programme as a whole (the four levels, not the clusters outside it): the
    sums over its levels and every figure derived from those sums. Programme money is the sum
    of the levels' (unknown when any level's is); leverage follows from it."""
    inside = summary[summary["level"].isin(LEVEL_CODES)]
    if inside.empty:
        return inside
    whole = metrics.with_derived(metrics.totals(inside).assign(level=PROGRAMME), rules)
    years = inside["report_year"]
    money = inside["programme_money_mnok"].astype(float)
    summed = money.groupby(years).sum().where(~money.isna().groupby(years).any())  # unknown when a level's is
    whole["programme_money_mnok"] = whole["report_year"].map(summed).astype(float)
    triggered = whole["funding_triggered_mnok"].astype(float)
    whole["leverage"] = triggered / whole["programme_money_mnok"].where(whole["programme_money_mnok"] != 0)
    return whole


_NONE = pd.Series(dtype=float)


def _figures(summary: pd.DataFrame, rules: Rules, targets: list[Target]) -> dict[tuple[str, str], pd.Series]:
    """Per scope and indicator of `targets`, the figure per year: a level's from `summary`,
    the programme's from `programme_figures` (worked out only when a target needs it)."""
    if summary.empty or not targets:
        return {}
    frames = {}
    for scope in {target.scope for target in targets}:
        rows = programme_figures(summary, rules) if scope == PROGRAMME else summary[summary["level"] == scope]
        frames[scope] = rows.set_index("report_year")
    return {(target.scope, target.indicator): frames[target.scope][target.indicator].astype(float) for target in targets}


def attainment(summary: pd.DataFrame, rules: Rules, targets: Iterable[Target], flt: Filter, as_of: int,
               indicators: Iterable[str] | None = None) -> pd.DataFrame:
    """One row per target of `indicators` (default: every goal's) for the scopes `flt` shows,
    judged in `as_of` from `summary` (the per-level sums with their derived figures, as
    `level_figures` gives them, for `flt`); and one row `no_target` for each indicator with
    no such target. Columns: goal, indicator, scope, target_year, from_year, target, source,
    note, status, reason, latest_year, latest, gap, projected, years."""
    wanted = list(indicators) if indicators is not None else [key for goal in GOALS for key in goal.indicators]
    goal_of = {key: goal.key for goal in GOALS for key in goal.indicators}
    scopes = shown_scopes(flt)
    chosen = sorted((target for target in targets if target.indicator in wanted and target.scope in scopes),
                    key=lambda target: (wanted.index(target.indicator), SCOPES.index(target.scope), target.target_year))
    judged = [target for target in chosen if covers(flt, target.scope)]
    figures = _figures(summary, rules, judged)
    rows = []
    for target in chosen:
        if target in judged:
            judgement = judge(figures.get((target.scope, target.indicator), _NONE), target, as_of)
        else:
            judgement = Judgement(UNKNOWN, reason=PART_OF_SCOPE)
        rows.append({"goal": goal_of.get(target.indicator), "indicator": target.indicator, "scope": target.scope,
                     "target_year": target.target_year, "from_year": target.from_year, "target": target.value,
                     "source": target.source, "note": target.note, **judgement.__dict__})
    targeted = {row["indicator"] for row in rows}
    for key in wanted:
        if key not in targeted:
            rows.append({"goal": goal_of.get(key), "indicator": key, **Judgement(NO_TARGET).__dict__})  # the rest empty
    columns = ["goal", "indicator", "scope", "target_year", "from_year", "target", "source", "note", "status", "reason",
               "latest_year", "latest", "gap", "projected", "years"]
    frame = pd.DataFrame(rows, columns=columns)
    order = {key: index for index, key in enumerate(wanted)}
    return frame.sort_values("indicator", key=lambda keys: keys.map(order), kind="stable").reset_index(drop=True)


# The columns of a targets table, as imported and exported (`python -m klynge targets -o`).
COLUMNS: tuple[str, ...] = ("indicator", "scope", "from_year", "target_year", "target", "source", "note")


def read(engine: Engine) -> tuple[Target, ...]:
    """Every target the database holds."""
    g = schema.programme_targets.c
    with engine.connect() as conn:
        rows = conn.execute(select(g.indicator, g.scope, g.target_year, g.value, g.source, g.from_year, g.note)).all()
    return tuple(Target(row.indicator, row.scope, int(row.target_year), float(row.value), row.source,
                        None if row.from_year is None else int(row.from_year), row.note) for row in rows)


def frame(targets: Iterable[Target]) -> pd.DataFrame:
    """Targets as the table `python -m klynge import` reads (COLUMNS), in indicator, scope and year order."""
    ordered = sorted(targets, key=lambda target: (target.indicator, SCOPES.index(target.scope) if target.scope in SCOPES
                                                  else len(SCOPES), target.target_year))
    rows = [(t.indicator, t.scope, t.from_year, t.target_year, t.value, t.source, t.note) for t in ordered]
    # A first year or nothing: Int64, so that a year stays a whole number beside an empty cell.
    return pd.DataFrame(rows, columns=list(COLUMNS)).astype({"from_year": "Int64", "target_year": "int64"})


def revisions(engine: Engine) -> pd.DataFrame:
    """Every earlier version of a target, oldest replacement first, with when and by which
    import it was replaced."""
    g = schema.target_revisions.c
    query = select(g.indicator, g.scope, g.from_year, g.target_year, g.value.label("target"), g.source, g.note, g.imported_at,
                   g.import_id, g.replaced_at, g.replaced_by_import).order_by(g.replaced_at, g.id)
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(query).all(), columns=[*COLUMNS, "imported_at", "import_id", "replaced_at",
                                                                 "replaced_by_import"])

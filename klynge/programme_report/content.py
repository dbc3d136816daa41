"""What the programme report says, before it is laid out as pages or slides: its sections of
paragraphs, tables and charts, every text in the report's language and every number in that
language's format. The figures are the dashboard's (klynge.summary, klynge.metrics,
klynge.targets, klynge.quality) and the charts are the dashboard's own builders, exported
as images by `charts.png` (Altair's own exporter, vl-convert)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine

from klynge import metrics, queries, quality
from klynge import targets as tg
from klynge.domain import LEVEL_CODES, OUTSIDE_LEVEL
from klynge.programme_report.charts import png
from klynge.queries import Filter
from klynge.store.engine import is_demo
from klynge.summary import level_figures
from klynge.ui import charts, goal_targets
from klynge.ui import format as fmt
from klynge.ui.level_charts import member_shares_by_level
from klynge.ui.texts import figure_label, level_label, sector_label, speaking, t


@dataclass(frozen=True)
class Paragraph:
    text: str
    kind: str = "body"  # body, note (smaller, grey) or banner (the demo's warning)


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]  # a column of numbers (set right)
    total_rows: int = 0  # the last rows are totals (set bold)


@dataclass(frozen=True)
class Chart:
    title: str
    image: bytes  # PNG
    width: int  # pixels
    height: int
    note: str = ""


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple[Paragraph | Table | Chart, ...]
    starts_page: bool = False  # in the PDF (a section with a chart always does)


@dataclass(frozen=True)
class Report:
    title: str
    subtitle: str  # the year and the filter
    made: str  # when, in the report's language
    lang: str
    banner: str | None  # the demo's warning, when the data are synthetic
    sections: tuple[Section, ...] = field(default=())
    empty: bool = False
    year: int = 0

    @property
    def charts(self) -> list[Chart]:
        return [block for section in self.sections for block in section.blocks if isinstance(block, Chart)]


# The key figures of the report, per level and for the programme: the overview's, and the
# money under the programme's rules (as `python -m klynge summary` gives them).
KEY_FIGURES: tuple[tuple[str, str], ...] = (
    ("clusters", "count"), ("members_total", "count"), ("activities_unique_participants", "count"),
    ("funding_triggered_mnok", "mnok"), ("international_activities_new", "count"), ("programme_money_mnok", "mnok"),
    ("leverage", "ratio"),
)
# The four themes: the figures of each per level in the year, and its chart.
THEMES: dict[str, tuple[tuple[str, str], ...]] = {
    "members": (("members_total", "count"), ("partners_total", "count"), ("members_rnd", "count"),
                ("members_innovation_company", "count")),
    "activities": (("activities_organised", "count"), ("activities_unique_participants", "count"),
                   ("participants_per_activity", "ratio")),
    "funding": (("funding_national_mnok", "mnok"), ("funding_eu_mnok", "mnok"), ("funding_triggered_mnok", "mnok"),
                ("programme_money_mnok", "mnok"), ("leverage", "ratio")),
    "international": (("international_activities_new", "count"), ("intl_projects", "count"),
                      ("with_international_partners", "count"), ("international_cluster_collaborations", "count")),
}


def printable(text: str) -> str:
    """`text` with its control and format characters (C0, C1, zero-width and direction marks)
    written as escapes (as the CLI writes them): the database can hold them in a name or a
    source, a PDF would draw them as boxes or nothing, and python-pptx turns them into codes
    such as `_x001B_`. Spaces, no-break ones included, stay."""
    return "".join(char.encode("unicode_escape").decode("ascii") if unicodedata.category(char) in ("Cc", "Cf", "Cs")
                   else char for char in text)


def share_widths(least: list[float], most: list[float], room: float) -> list[float]:
    """Column widths in `room`: each column as wide as its longest text (`most`) where the
    room allows; else every column at least as wide as its longest word (`least`) and the room
    left shared in proportion to what each would need more (the automatic layout of HTML tables)."""
    most = [max(low, high) for low, high in zip(least, most)]
    if sum(most) <= room:
        return most
    spare = max(room - sum(least), 0)
    wanted = sum(high - low for high, low in zip(most, least)) or 1
    return [low + spare * (high - low) / wanted for high, low in zip(most, least)]


def cell(amount, unit: str) -> str:
    """A figure in a table of the report: money with one decimal (no unit: the column says
    MNOK), a ratio with two, a count whole; "–" where there is none."""
    if amount is None or pd.isna(amount):
        return fmt.GAP
    if unit == "mnok":
        return fmt.number(amount, 1)
    if unit == "ratio":
        return fmt.number(amount, 2)
    if unit == "percent":
        return fmt.percent(amount)
    return fmt.integer(amount)


def _header(key: str, unit: str) -> str:
    return figure_label(key) + (" (MNOK)" if unit == "mnok" else "")


def describe(flt: Filter, cluster_names: list[str] = ()) -> str:
    """The filter in words: the levels, counties and sectors chosen, or all of them, and the
    clusters it is narrowed to, if any (`cluster_names`)."""
    levels = ", ".join(level_label(code) for code in flt.levels) if flt.levels else t("report.all_levels")
    regions = ", ".join(flt.regions) if flt.regions else t("report.all_regions")
    sectors = ", ".join(sector_label(name) for name in flt.sectors) if flt.sectors else t("report.all_sectors")
    text = t("report.selection", levels=levels, regions=regions, sectors=sectors)
    if flt.clusters:
        text += " " + t("report.selection_clusters", clusters=", ".join(cluster_names))
    return text


def build(engine: Engine, year: int, flt: Filter = Filter(), lang: str = "nb", today: dt.date | None = None) -> Report:
    """The report on `year` for the clusters `flt` selects, in `lang`. The trends run from the
    first year of `flt` (or of the database) to `year`."""
    with speaking(lang):
        return _build(engine, year, flt, lang, today or dt.date.today())


def _build(engine: Engine, year: int, flt: Filter, lang: str, today: dt.date) -> Report:
    if flt.years is not None:  # the trends start where the filter does
        first = flt.years[0]
    else:
        span = queries.report_year_span(engine)
        first = span[0] if span else year
    flt = flt.with_(years=(min(first, year), year))
    title = t("report.title", year=year)
    names = queries.clusters(engine, Filter(clusters=flt.clusters))["cluster"].tolist() if flt.clusters else []
    subtitle = describe(flt, names)
    made = t("report.made", date=fmt.date(today))
    banner = t("report.demo_banner") if is_demo(engine) else None
    summary = level_figures(engine, flt)
    this_year = summary[summary["report_year"] == year] if not summary.empty else summary
    if this_year.empty:
        empty = Section(t("report.empty_title"), (Paragraph(t("report.empty", year=year, selection=subtitle)),))
        return Report(title, subtitle, made, lang, banner, (empty,), empty=True, year=year)
    rules = queries.rules(engine)
    summary = summary.sort_values(["report_year", "level"], key=lambda c: c.map(metrics.level_order) if c.name == "level" else c)
    reports = queries.reports(engine, flt.with_(years=(year - 1, year)))
    sections = [
        _key_figures(summary, rules, year, flt),
        _members(summary, reports[reports["report_year"] == year], year),
        _theme("activities", summary, year, charts.level_trend(summary, "activities_unique_participants",
                                                               figure_label("activities_unique_participants"))),
        _theme("funding", summary, year, charts.level_year_bars(summary, "funding_triggered_mnok",
                                                                _header("funding_triggered_mnok", "mnok"), "mnok")),
        _theme("international", summary, year, charts.level_trend(summary, "intl_projects", figure_label("intl_projects"))),
        _goals(summary, rules, tg.read(engine), flt, year),
        _level_changes(engine, flt, year),
        _caveats(engine, flt, year, this_year),
    ]
    return Report(title, subtitle, made, lang, banner, tuple(sections), year=year)


def _per_level_table(summary: pd.DataFrame, rules, year: int, figures: tuple[tuple[str, str], ...],
                     total: str | None = None) -> Table:
    """One row per level in `year`, and under them, named `total`, the row of the four
    levels together."""
    rows = []
    for record in summary[summary["report_year"] == year].to_dict("records"):
        rows.append((level_label(record["level"]), *(cell(record[key], unit) for key, unit in figures)))
    totals = 0
    if total:
        whole = tg.programme_figures(summary[summary["report_year"] == year], rules)
        levels_in = set(summary.loc[summary["report_year"] == year, "level"]) & set(LEVEL_CODES)
        if len(levels_in) > 1:
            record = whole.iloc[0]
            rows.append((total, *(cell(record[key], unit) for key, unit in figures)))
            totals = 1
    numeric = (False, *(True for _ in figures))
    return Table((t("col.level"), *(_header(key, unit) for key, unit in figures)), tuple(rows), numeric, totals)


def _unset_money_note(summary: pd.DataFrame, year: int) -> list[Paragraph]:
    """Why programme money and leverage show "–", where they do: the programme sets no
    amount for the level, or the level gets none (no leverage without programme money)."""
    rows = summary[summary["report_year"] == year]
    notes = []
    for unknown, key in ((rows["programme_money_mnok"].isna(), "report.money_not_set"),
                         (rows["programme_money_mnok"].eq(0), "report.no_money")):
        if unknown.any():
            levels = ", ".join(level_label(code) for code in rows.loc[unknown, "level"])
            notes.append(Paragraph(t(key, levels=levels), "note"))
    return notes


def _key_figures(summary: pd.DataFrame, rules, year: int, flt: Filter) -> Section:
    this = summary[summary["report_year"] == year]
    before = summary[summary["report_year"] == year - 1]
    inside = this[this["level"].isin(LEVEL_CODES)]
    # The programme's own figures, or a part of them (a county, a sector, some levels).
    whole = tg.covers(flt, tg.PROGRAMME)
    intro = t("report.key_intro" if whole else "report.key_intro_part", year=year, clusters=fmt.integer(inside["clusters"].sum()),
              members=fmt.integer(inside["members_total"].sum()),
              triggered=fmt.mnok(inside["funding_triggered_mnok"].sum()))
    if not before.empty:
        earlier = before[before["level"].isin(LEVEL_CODES)]
        intro += " " + t("report.key_before", previous=year - 1, clusters=fmt.integer(earlier["clusters"].sum()))
    total = t("report.total" if whole else "report.total_part")
    blocks: list = [Paragraph(intro), _per_level_table(summary, rules, year, KEY_FIGURES, total)]
    if (this["level"] == OUTSIDE_LEVEL).any():
        blocks.append(Paragraph(t("report.outside_note", total=total), "note"))
    blocks += _unset_money_note(summary, year)
    blocks.append(Paragraph(t("report.definitions"), "note"))
    return Section(t("report.key_figures", year=year), tuple(blocks))


def _members(summary: pd.DataFrame, reports: pd.DataFrame, year: int) -> Section:
    by_level, order = member_shares_by_level(reports)
    chart = charts.composition(by_level, "level", t("chart.level"), "share", order=order)
    blocks = (Paragraph(t("report.theme.members.intro", year=year)),
              _per_level_table(summary, None, year, THEMES["members"]),
              Chart(t("report.theme.members.chart", year=year), *png(chart)))
    return Section(t("report.theme.members"), blocks)


def _theme(theme: str, summary: pd.DataFrame, year: int, chart) -> Section:
    first = int(summary["report_year"].min())
    title = t(f"report.theme.{theme}.chart", first=first, year=year)
    blocks = [Paragraph(t(f"report.theme.{theme}.intro", year=year)),
              _per_level_table(summary, None, year, THEMES[theme])]
    if theme == "funding":
        blocks += _unset_money_note(summary, year)
    # Hollow points (a figure of fewer than three clusters) are drawn by the lines, not the bars.
    note = charts.few_clusters_note(summary) if theme != "funding" else None
    blocks.append(Chart(title, *png(chart), note=note or ""))
    return Section(t(f"report.theme.{theme}"), tuple(blocks))


def _goals(summary: pd.DataFrame, rules, held, flt: Filter, year: int) -> Section:
    if not held:
        return Section(t("goals.targets"), (Paragraph(t("report.no_targets")),))
    attainment = tg.attainment(summary, rules, held, flt, year)
    shown, labels = goal_targets.table(attainment)
    blocks: list = [Paragraph(goal_targets.counts(attainment)), Paragraph(t("goals.targets_caption", year=year), "note")]
    if not all(tg.covers(flt, scope) for scope in tg.shown_scopes(flt)):
        blocks.append(Paragraph(t("goals.targets_part"), "note"))
    if not shown.empty:
        columns = [name for name in shown.columns if name != "source"]  # the sources under the table: long, and alike
        blocks.append(Table(tuple(labels[name] for name in columns), tuple(map(tuple, shown[columns].values.tolist())),
                            tuple(name in ("target", "latest", "gap", "projected") for name in columns)))
        sources = sorted(set(shown["source"]))
        blocks.append(Paragraph(t("report.target_sources", sources="; ".join(sources)), "note"))
    return Section(t("goals.targets"), tuple(blocks), starts_page=True)


def _level_changes(engine: Engine, flt: Filter, year: int) -> Section:
    # Every level of the two years: a cluster that moved out of the chosen levels moved too.
    reports = queries.level_change_reports(engine, flt, year)
    if flt.levels:
        chosen = reports[(reports["report_year"] == year) & reports["level"].isin(flt.levels)]["cluster_id"]
        earlier = reports[(reports["report_year"] == year - 1) & reports["level"].isin(flt.levels)]["cluster_id"]
        reports = reports[reports["cluster_id"].isin(set(chosen) | set(earlier))]
    changes = metrics.level_changes(reports, year)
    title = t("report.changes", previous=year - 1, year=year)
    if changes.empty:
        return Section(title, (Paragraph(t("report.no_changes", previous=year - 1, year=year)),))
    def direction(then: str, up: bool) -> str:
        return t("report.up") if up else t("report.in") if then == OUTSIDE_LEVEL else t("report.down")

    rows = tuple((name, level_label(then), level_label(now), direction(then, up))
                 for name, then, now, up in changes.itertuples(index=False, name=None))
    table = Table((t("col.cluster"), t("report.col.from", previous=year - 1), t("report.col.to", year=year),
                   t("report.col.direction")), rows, (False, False, False, False))
    moved_up = int(changes["up"].sum())
    return Section(title, (Paragraph(t("report.changes_intro", up=moved_up, other=len(changes) - moved_up)), table))


def _caveats(engine: Engine, flt: Filter, year: int, this_year: pd.DataFrame) -> Section:
    found = quality.findings(engine, flt.with_(years=(year, year)))
    blocks: list = []
    missing = found[found["kind"] == "missing_report"]
    if missing.empty:
        blocks.append(Paragraph(t("report.no_missing", year=year)))
    else:
        names = ", ".join(sorted(set(missing["cluster"])))
        blocks.append(Paragraph(t("report.missing", count=len(missing), year=year, clusters=names)))
    counts = found[found["kind"] != "missing_report"]["kind"].value_counts()
    if len(counts):
        parts = ", ".join(f"{t(f'quality.kind.{kind}').lower()}: {fmt.integer(count)}" for kind, count in counts.items())
        blocks.append(Paragraph(t("report.findings", year=year, parts=parts)))
    few = charts.few_clusters_note(this_year)
    if few:
        blocks.append(Paragraph(few))
    beyond = int(this_year["clusters_beyond_limit"].sum())
    if beyond:
        blocks.append(Paragraph(t("report.beyond_limit", count=beyond)))
    blocks.append(Paragraph(t("report.quality_where"), "note"))
    return Section(t("report.caveats"), tuple(blocks))

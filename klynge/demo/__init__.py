"""The deterministic generator of the synthetic demo data in `sample_data/`.

`generate` writes fictional clusters, their programme periods, member registers and annual
reports (as one table, and a few as text exports), with a handful of deliberate data-quality
cases for the dashboard to find. The same arguments always give the same bytes: all chance
comes from `random.Random` instances seeded from `seed`, and nothing depends on the clock or
on the order of a dict or set.

The module scales to benchmark sizes (thousands of clusters over twenty years): clusters are
planned in memory, but members and reports are streamed to the CSV writers cluster by cluster.
`PRESETS` names the sizes the benchmark (`bench/run.py`) uses.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from klynge.demo import plan as planning
from klynge.demo.figures import apply_case, new_state, report_values
from klynge.demo.register import build_register
from klynge.demo.texts import README
from klynge.domain import MEMBER_TYPE_CODES
from klynge.indicators import INDICATOR_BY_KEY
from klynge.reports.fields import FIELD_BY_NAME, FIELD_NAMES

CLUSTER_COLUMNS = ("cluster_id", "name", "former_names", "region", "sector", "orgnr", "website", "esca_label", "esca_year")
PERIOD_COLUMNS = ("cluster_id", "level", "first_year", "last_year", "brand")
MEMBER_COLUMNS = ("cluster_id", "orgnr", "name", "member_type", "core_member", "joined", "left")
REPORT_COLUMNS = ("cluster_id", *FIELD_NAMES)
EXPORT_FOLDER = "reports"
TARGET_COLUMNS = ("indicator", "scope", "from_year", "target_year", "target", "source", "note")
TARGET_SOURCE = "SYNTETISK demomål, ikke vedtatt av programmet / SYNTHETIC demo target, not a decision of the programme"
# Synthetic targets, set to show every status on the demo data: (indicator, scope, first year
# of the period and target year as years before/after the last year (None: no first year),
# value for 45 clusters (a share as it is)).
DEMO_TARGETS: tuple[tuple[str, str, int | None, int, float], ...] = (
    ("new_jobs", "programme", -2, 2, 400),  # on track
    ("new_startups_assisted", "programme", -2, 0, 100),  # met
    ("rnd_share", "programme", -2, 0, 0.55),  # missed
    ("innovation_projects", "arena_pro", -3, 1, 90),  # on track
    ("funding_triggered_mnok", "programme", -2, 2, 600),  # off track
    ("leverage", "programme", None, 2, 1.5),  # unknown: the programme money of mature clusters is not set
    ("members_rnd", "moden", -2, 1, 200),  # off track
    ("intl_projects", "programme", 0, 2, 180),  # unknown: one year of figures in its period
)
# Clusters (per 45) that end a few core members short of their level's threshold.
SHORT_OF_CORE_PER_45 = 3

# Named sizes: keyword arguments for `generate`. "national" is the committed sample_data/.
# "europe" is 5,000 clusters over 20 years that mostly report every year (few enter late,
# few leave) with registers of about 100: about 96,000 reports and 505,000 memberships.
PRESETS: dict[str, dict[str, Any]] = {
    "national": {},
    "europe": {"n_clusters": 5000, "first_year": 2006, "last_year": 2025, "members_scale": 0.48,
               "late_share": 0.05, "leaving": 0.1, "n_export_files": 0},
}


@dataclass(frozen=True)
class DemoSummary:
    clusters: int
    periods: int
    members: int
    reports: int  # rows of reports.csv
    export_files: int
    years: int
    first_year: int
    last_year: int
    missing_reports: int
    inconsistent_reports: int
    mismatched_reports: int
    implausible_jumps: int

    def __str__(self) -> str:
        return (f"{self.clusters:,} clusters, {self.first_year}–{self.last_year} ({self.years} years): "
                f"{self.periods:,} programme periods, {self.members:,} memberships, {self.reports:,} reports in "
                f"reports.csv and {self.export_files} as text exports; deliberately {self.missing_reports} missing, "
                f"{self.inconsistent_reports} inconsistent and {self.mismatched_reports} register-mismatched reports "
                f"and {self.implausible_jumps} implausible jump(s)")


def _text(value: Any) -> str:
    return str(value)


def _decimal(value: Decimal) -> str:
    return format(value, "f")


def _list(value: list[str]) -> str:
    return "; ".join(value)


def _date(value: dt.date) -> str:
    return value.isoformat()


_CELL = {"int": _text, "text": _text, "decimal": _decimal, "date": _date, "list": _list}
_REPORT_CELLS = tuple((name, _CELL[FIELD_BY_NAME[name].type]) for name in FIELD_NAMES)


def _writer(handle):
    return csv.writer(handle, lineterminator="\n")


def _open(path: Path):
    return path.open("w", encoding="utf-8", newline="")


def _check(n_clusters: int, first_year: int, last_year: int, members_scale: float, n_export_files: int,
           late_share: float, leaving: float) -> None:
    if n_clusters < 1:
        raise ValueError(f"n_clusters must be at least 1, got {n_clusters}")
    if not 1990 < first_year <= last_year <= 2100:
        raise ValueError(f"the years must satisfy 1990 < first_year <= last_year <= 2100, got {first_year}–{last_year}")
    if not 0 < members_scale <= 20:
        raise ValueError(f"members_scale must be above 0 and at most 20, got {members_scale}")
    if n_export_files < 0:
        raise ValueError(f"n_export_files must not be negative, got {n_export_files}")
    if not 0 <= late_share <= 1:
        raise ValueError(f"late_share must be between 0 and 1, got {late_share}")
    if not 0 <= leaving <= 10:
        raise ValueError(f"leaving must be between 0 and 10, got {leaving}")


def generate(out_dir: Path, *, n_clusters: int = 45, first_year: int = 2019, last_year: int = 2025,
             members_scale: float = 1.0, n_export_files: int = 6, seed: int = 20240601,
             late_share: float = planning.LATE_SHARE, leaving: float = 1.0) -> DemoSummary:
    """Write the demo data set into `out_dir` (created if needed; our files are overwritten,
    and earlier text exports in `out_dir/reports/` removed) and say what was written.

    `late_share` caps the share of clusters that enter during the years and `leaving` scales
    how often a cluster leaves the programme (1 = as the demo); with less of either, clusters
    report in more of the years."""
    _check(n_clusters, first_year, last_year, members_scale, n_export_files, late_share, leaving)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    plans = planning.plan_ladders(rng, n_clusters, first_year, last_year, late_share=late_share, leaving=leaving)
    planning.name_clusters(rng, plans)
    cases = planning.pick_cases(rng, plans, last_year, n_export_files)
    short_of_core = _pick_short_of_core(rng, plans, last_year)

    with _open(out_dir / "clusters.csv") as handle:
        writer = _writer(handle)
        writer.writerow(CLUSTER_COLUMNS)
        for p in plans:
            writer.writerow((p.cluster_id, p.name, "; ".join(name for name, _ in p.former_names), p.region, p.sector,
                             p.orgnr, f"https://{p.slug}.example.no", p.esca_label, p.esca_year or ""))
    periods = 0
    with _open(out_dir / "programme_periods.csv") as handle:
        writer = _writer(handle)
        writer.writerow(PERIOD_COLUMNS)
        for p in plans:
            for period in p.written_periods(first_year):
                writer.writerow((p.cluster_id, period.level, period.first_year, period.last_year, period.brand))
                periods += 1

    members, reports, exports = _write_registers_and_reports(out_dir, plans, cases, short_of_core, first_year,
                                                             members_scale, seed)
    folder = out_dir / EXPORT_FOLDER
    if folder.is_dir():
        for stale in sorted(folder.glob("*.txt")):
            stale.unlink()
    if exports:
        from klynge.demo.export import write_exports

        write_exports(folder, exports, seed)

    with _open(out_dir / "targets.csv") as handle:
        writer = _writer(handle)
        writer.writerow(TARGET_COLUMNS)
        for indicator, scope, start, end, value in DEMO_TARGETS:
            summed = INDICATOR_BY_KEY[indicator].unit in ("count", "mnok")  # a ratio or share does not grow with the clusters
            scaled = round(value * n_clusters / 45) if summed else value
            writer.writerow((indicator, scope, "" if start is None else last_year + start, last_year + end, scaled,
                             TARGET_SOURCE, ""))

    summary = DemoSummary(
        clusters=len(plans), periods=periods, members=members, reports=reports, export_files=len(exports),
        years=last_year - first_year + 1, first_year=first_year, last_year=last_year,
        missing_reports=cases.count(planning.MISSING), inconsistent_reports=cases.count(planning.INCONSISTENT),
        mismatched_reports=cases.count(planning.MISMATCH), implausible_jumps=cases.count(planning.JUMP),
    )
    (out_dir / "README.md").write_text(README.format(
        seed=seed, clusters=summary.clusters, periods=summary.periods, members=summary.members,
        reports=summary.reports, exports=summary.export_files, first_year=first_year, last_year=last_year,
        missing=summary.missing_reports, inconsistent=summary.inconsistent_reports,
        mismatched=summary.mismatched_reports, jumps=summary.implausible_jumps, targets=len(DEMO_TARGETS),
    ), encoding="utf-8", newline="\n")
    return summary


def _pick_short_of_core(rng: random.Random, plans: list[planning.ClusterPlan], last_year: int) -> dict[int, int]:
    """A few Arena and Arena Pro clusters that end 1–3 core members short of their threshold."""
    candidates = [p.cluster_id for p in plans
                  if p.report_years[-1] == last_year and p.level_in(last_year) in ("arena", "arena_pro")]
    wanted = max(1, round(len(plans) * SHORT_OF_CORE_PER_45 / 45))
    return {cluster_id: rng.randint(1, 3) for cluster_id in rng.sample(candidates, min(wanted, len(candidates)))}


def _write_registers_and_reports(out_dir: Path, plans: list[planning.ClusterPlan], cases: planning.Cases,
                                 short_of_core: dict[int, int], first_year: int, members_scale: float,
                                 seed: int) -> tuple[int, int, list[tuple[str, dict[str, Any]]]]:
    """Stream members.csv and reports.csv, one cluster at a time; return the row counts and
    the reports meant for text exports."""
    other_clusters = [(p.name, p.orgnr) for p in plans]
    iso: dict[int, str] = {}

    def day(ordinal: int | None) -> str:
        if ordinal is None:
            return ""
        text = iso.get(ordinal)
        if text is None:
            text = iso[ordinal] = dt.date.fromordinal(ordinal).isoformat()
        return text

    member_rows = report_rows = 0
    exports: list[tuple[str, dict[str, Any]]] = []
    with _open(out_dir / "members.csv") as members_file, _open(out_dir / "reports.csv") as reports_file:
        members_out, reports_out = _writer(members_file), _writer(reports_file)
        members_out.writerow(MEMBER_COLUMNS)
        reports_out.writerow(REPORT_COLUMNS)
        for p in plans:
            rng = random.Random(f"{seed}/cluster/{p.cluster_id}")
            register = build_register(rng, p, members_scale, other_clusters, short_of_core.get(p.cluster_id, 0))
            members_out.writerows(
                (p.cluster_id, number, name, MEMBER_TYPE_CODES[kind], "true" if core else "false", day(joined), day(left))
                for number, name, kind, core, joined, left in register.members
            )
            member_rows += len(register.members)
            state = new_state(rng)
            for year in p.report_years:
                values = report_values(rng, p, state, year, first_year, register.counts[year])
                key = (p.cluster_id, year)
                role = cases.roles.get(key)
                if role == planning.MISSING:
                    continue
                if role == planning.EXPORT:
                    exports.append((f"{p.slug}-{year}", values))
                    continue
                apply_case(rng, values, role, cases.inconsistency.get(key))
                reports_out.writerow((p.cluster_id, *(cell(values[name]) for name, cell in _REPORT_CELLS)))
                report_rows += 1
    return member_rows, report_rows, exports

"""Data-quality findings: missing reports, the warnings stored at import, cluster and
member names garbled by a wrong text encoding, reports whose members by type differ from the
register, year-over-year jumps, and what breaks the programme's rules (periods longer than
their level allows, reports outside any period).

The checks are pure functions over the read API's DataFrames; `findings` gathers them."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from klynge import encoding, queries
from klynge.domain import JUMP_FIELDS, MEMBER_COUNT_FIELDS, MEMBER_TYPES, OUTSIDE_LEVEL, REGIONS
from klynge.rules import Rules

# `message` is English (for the CLI); `code` and `params` let the dashboard word a finding in
# its reader's language.
FINDING_COLUMNS = ["kind", "cluster_id", "cluster", "report_year", "level", "field", "message", "code", "params"]


def missing_reports(periods: pd.DataFrame, keys: pd.DataFrame, first_year: int | None, last_year: int | None) -> pd.DataFrame:
    """Cluster-years inside a programme period, from `first_year` to `last_year` (the years
    the database has reports for), with no report."""
    if periods.empty or first_year is None or last_year is None:
        return pd.DataFrame(columns=FINDING_COLUMNS)
    expected = [
        (row.cluster_id, row.cluster, year, row.level)
        for row in periods.itertuples()
        for year in range(max(row.first_year, first_year), min(row.last_year, last_year) + 1)
    ]
    frame = pd.DataFrame(expected, columns=["cluster_id", "cluster", "report_year", "level"])
    filed = set(zip(keys["cluster_id"], keys["report_year"])) if not keys.empty else set()
    frame = frame[[key not in filed for key in zip(frame["cluster_id"], frame["report_year"])]]
    frame = frame.assign(kind="missing_report", field=None, message="no annual report for this year",
                         code="missing_report", params=[{} for _ in range(len(frame))])
    return frame[FINDING_COLUMNS].reset_index(drop=True)


def stored_warnings(warnings: pd.DataFrame) -> pd.DataFrame:
    return warnings.assign(kind="warning")[FINDING_COLUMNS].reset_index(drop=True)


def garbled_names(clusters: pd.DataFrame, members: pd.DataFrame, year: int) -> pd.DataFrame:
    """Cluster names (`queries.clusters`) and member names (`queries.member_register`) that
    hold UTF-8 read as Windows-1252 (`SÃ¸lvtindberg`), as a file decoded wrongly leaves
    them. Dated to `year`, the register's year those frames are read for."""
    rows = []
    pattern = encoding.mojibake_pattern()
    if not clusters.empty:
        for row in clusters[clusters["cluster"].str.contains(pattern, regex=True, na=False)].itertuples():
            sequence, meant = encoding.mojibake(row.cluster)
            rows.append(("warning", row.cluster_id, row.cluster, year, row.level, "cluster_name",
                         f"the cluster name {row.cluster!r} looks garbled by a wrong text encoding "
                         f"({sequence!r} was probably {meant!r})", "mojibake_cluster",
                         {"name": row.cluster, "sequence": sequence, "meant": meant}))
    if not members.empty:
        garbled = members[members["name"].str.contains(pattern, regex=True, na=False)]
        for row in garbled.drop_duplicates(["cluster_id", "orgnr", "name"]).itertuples():
            sequence, meant = encoding.mojibake(row.name)
            rows.append(("warning", row.cluster_id, row.cluster, year, row.level, None,
                         f"the member name {row.name!r} (organisation number {row.orgnr}) looks garbled by a wrong "
                         f"text encoding ({sequence!r} was probably {meant!r})", "mojibake_member",
                         {"name": row.name, "orgnr": row.orgnr, "sequence": sequence, "meant": meant}))
    return pd.DataFrame(rows, columns=FINDING_COLUMNS)


def unknown_counties(clusters: pd.DataFrame, year: int) -> pd.DataFrame:
    """Clusters (`queries.clusters`) whose county is not one of `domain.REGIONS`, Norway's
    counties from 2024, or is not given: the county map and the county filter leave them
    out. Dated to `year`, the register's year the frame is read for."""
    rows = []
    for row in clusters[~clusters["region"].isin(REGIONS)].itertuples():
        county = row.region if isinstance(row.region, str) else ""
        message = (f"the county {county!r} is not one of Norway's {len(REGIONS)} counties from 2024" if county
                   else "no county is given")
        rows.append(("warning", row.cluster_id, row.cluster, year, row.level, "region",
                     message + "; the county map leaves the cluster out", "unknown_county" if county else "no_county",
                     {"county": county, "counties": len(REGIONS)}))
    return pd.DataFrame(rows, columns=FINDING_COLUMNS)


def register_mismatches(reports: pd.DataFrame, register: pd.DataFrame) -> pd.DataFrame:
    """Reports whose members by type differ from the register in that year (`register` as
    `queries.register_by_report` gives it; clusters with no register are left out)."""
    if reports.empty or register.empty:
        return pd.DataFrame(columns=FINDING_COLUMNS)
    codes = [member_type.code for member_type in MEMBER_TYPES]
    fields = [member_type.report_field for member_type in MEMBER_TYPES]

    def by_key(frame: pd.DataFrame, columns: list[str]) -> dict:
        """(cluster_id, report_year) -> the row's `columns` (the few reports that differ, as lists)."""
        keys = zip(frame["cluster_id"].tolist(), frame["report_year"].tolist())
        return dict(zip(keys, zip(*(frame[column].tolist() for column in columns))))

    reported, registered = by_key(reports, [*fields, "cluster", "level"]), by_key(register, fields)
    rows = []
    for key in sorted(reported.keys() & registered.keys()):
        counts = [(code, int(reported[key][i]), int(registered[key][i])) for i, code in enumerate(codes)]
        differences = [[code, in_report, in_register] for code, in_report, in_register in counts if in_report != in_register]
        if not differences:
            continue
        cluster, level = reported[key][len(fields):]
        text = ", ".join(f"{code} {in_report} (register {in_register})" for code, in_report, in_register in differences)
        rows.append(("register_mismatch", key[0], cluster, key[1], level, "members_total",
                     "members by type differ from the register: " + text, "register_mismatch",
                     {"differences": differences}))
    return pd.DataFrame(rows, columns=FINDING_COLUMNS)


def jumps(reports: pd.DataFrame, factor: float) -> pd.DataFrame:
    """Figures that changed by more than `factor` (up or down) from a cluster's report the
    year before (when both years have a report, and the larger of the two figures is at
    least the field's floor in `JUMP_FIELDS`)."""
    if reports.empty:
        return pd.DataFrame(columns=FINDING_COLUMNS)
    ordered = reports.sort_values(["cluster_id", "report_year"])
    # In numpy, field by field (a pandas step per field cost more than the comparisons): each
    # row beside the row before it, where that is the same cluster's report of the year before.
    clusters, years = ordered["cluster_id"].tolist(), ordered["report_year"].tolist()
    follows = np.array([False] + [cluster == earlier_cluster and year - earlier_year == 1 for cluster, earlier_cluster,
                                  year, earlier_year in zip(clusters[1:], clusters, years[1:], years)], dtype=bool)
    names, levels = ordered["cluster"].tolist(), ordered["level"].tolist()
    rows = []
    for name, floor in JUMP_FIELDS.items():
        now = ordered[name].to_numpy(dtype=float, na_value=np.nan)
        before = np.concatenate([[np.nan], now[:-1]])
        with np.errstate(invalid="ignore"):
            big = np.fmax(now, before) >= floor  # the larger of the two; a gap is not a figure
            ratio = np.maximum(now, 1e-9) / np.maximum(before, 1e-9)
            flagged = follows & big & ((ratio > factor) | (ratio < 1 / factor))
        for row in np.flatnonzero(flagged).tolist():
            rows.append(("jump", clusters[row], names[row], years[row], levels[row], name,
                         f"{_number(before[row])} → {_number(now[row])} from the year before", "jump",
                         {"before": float(before[row]), "after": float(now[row])}))
    return pd.DataFrame(rows, columns=FINDING_COLUMNS)


def periods_too_long(periods: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """Programme periods longer than their level allows (`max_years` in force in the
    period's first year), dated to the first year past the limit."""
    rows = []
    for row in periods.itertuples():
        limit = rules.max_years(row.level, int(row.first_year))
        years = int(row.last_year) - int(row.first_year) + 1
        if limit is not None and years > limit:
            rows.append(("rules", row.cluster_id, row.cluster, int(row.first_year) + limit, row.level, "last_year",
                         f"the period {row.first_year}–{row.last_year} is {years} years; the level allows {limit}",
                         "period_too_long", {"first_year": int(row.first_year), "last_year": int(row.last_year),
                                             "years": years, "max_years": limit}))
    return pd.DataFrame(rows, columns=FINDING_COLUMNS)


def reports_outside_periods(keys: pd.DataFrame) -> pd.DataFrame:
    """Reports (as `queries.reports_outside_programme` gives them) in a year their cluster
    had no programme period: counted as outside the programme, which may be a period missing."""
    outside = keys[keys["level"] == OUTSIDE_LEVEL]
    return pd.DataFrame({
        "kind": "rules", "cluster_id": outside["cluster_id"], "cluster": outside["cluster"],
        "report_year": outside["report_year"], "level": outside["level"], "field": "report_year",
        "message": "a report for a year with no programme period", "code": "report_outside_period",
        "params": [{} for _ in range(len(outside))]}, columns=FINDING_COLUMNS).reset_index(drop=True)


def _number(value: float) -> str:
    return f"{value:g}"


def jumps_among(candidates: pd.DataFrame, factor: float) -> pd.DataFrame:
    """The jumps of the candidate reports (as `queries.jump_candidates` gives them, with the
    reports of the year before)."""
    found = jumps(candidates, factor)
    chosen = set(zip(candidates["cluster_id"], candidates["report_year"], candidates["candidate"].astype(bool)))
    return found[[(cid, year, True) in chosen for cid, year in zip(found["cluster_id"], found["report_year"])]]


def findings(engine: Engine, flt: queries.Filter = queries.Filter(), jump_factor: float = 3.0) -> pd.DataFrame:
    """Every data-quality finding for the filter, ordered by year and cluster. The database
    picks the few reports that can be a finding; the checks above decide on those."""
    # Reports are expected for the years the database covers at all, within the filter.
    span = queries.report_year_span(engine)
    first_year, last_year = span if span else (None, None)
    if flt.years is not None and span:
        first_year, last_year = max(first_year, flt.years[0]), min(last_year, flt.years[1])
    differences = queries.register_differences(engine, flt)
    register = differences.drop(columns=list(MEMBER_COUNT_FIELDS)).rename(
        columns={f"register_{field}": field for field in MEMBER_COUNT_FIELDS})
    missing = pd.DataFrame(columns=FINDING_COLUMNS)
    if first_year is not None and first_year <= last_year:
        gaps = queries.periods_with_gaps(engine, flt, first_year, last_year)
        if not gaps.empty:
            filed = queries.report_keys(engine, queries.Filter(clusters=tuple(int(c) for c in gaps["cluster_id"].unique()),
                                                               years=(first_year, last_year)))
            missing = missing_reports(gaps, filed, first_year, last_year)
    # The register's year, as `queries.member_register` and `queries.clusters` read it.
    register_year = flt.years[1] if flt.years is not None else (last_year if span else dt.date.today().year)
    parts = [
        missing,
        periods_too_long(queries.periods(engine, flt), queries.rules(engine)),
        reports_outside_periods(queries.reports_outside_programme(engine, flt)),
        stored_warnings(queries.warnings(engine, flt)),
        # The database picks the few names with a lead character of a misreading; the check decides.
        garbled_names(queries.clusters(engine, flt, name_contains=tuple(encoding.MOJIBAKE_LEADS)),
                      queries.member_register(engine, flt, suspect_names=True), register_year),
        unknown_counties(queries.clusters(engine, flt, region_outside=REGIONS), register_year),
        register_mismatches(differences, register),
        jumps_among(queries.jump_candidates(engine, flt, JUMP_FIELDS, jump_factor), jump_factor),
    ]
    parts = [part for part in parts if not part.empty]
    if not parts:
        return pd.DataFrame(columns=FINDING_COLUMNS)
    return pd.concat(parts, ignore_index=True).sort_values(["report_year", "cluster", "kind"], kind="stable").reset_index(drop=True)

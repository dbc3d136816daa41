"""Reading a set of input files and planning what they would write, without writing.

`load_files` reads and validates every file on its own; `Batch` then checks the files
against each other and against the clusters already stored (unknown clusters, the same
report twice, overlapping programme periods) and holds what the importer is to write.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import stat
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from klynge.masterdata import (
    ClusterRow,
    MembersFile,
    PeriodRow,
    RuleRow,
    TargetRow,
    check_members,
    reports_from_table,
    table_kind,
    validate_rows,
)
from klynge.reports.model import Problem, RejectedInput, Report
from klynge.tables import TABLE_SUFFIXES, read_table

REPORT_SUFFIXES = (".txt",)
SOURCE_SUFFIXES = REPORT_SUFFIXES + TABLE_SUFFIXES


def name_key(name: str) -> str:
    """The form under which cluster names are compared: case and spacing do not matter."""
    return " ".join(name.split()).casefold()


def jsonable(values: dict[str, Any]) -> dict[str, Any]:
    """A report's values in a canonical JSON-ready form (stable for hashing)."""
    out = {}
    for name, value in values.items():
        if isinstance(value, Decimal):
            value = float(value)
        elif isinstance(value, float) and value.is_integer():
            value = float(value)
        elif isinstance(value, dt.date):
            value = value.isoformat()
        out[name] = value
    return out


def report_hash(values: dict[str, Any]) -> str:
    canonical = json.dumps(jsonable(values), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass
class LoadedFile:
    path: str
    kind: str  # "report" (text export), "reports", "clusters", "periods", "members", "rules" or "targets"
    # (line, report, cluster_id given in the row or None)
    reports: list[tuple[int | None, Report, int | None]] = field(default_factory=list)
    rows: list[tuple[int, BaseModel]] = field(default_factory=list)
    members: MembersFile | None = None  # a members table
    # Problems of rows left out above; the file as a whole is rejected when there are any.
    problems: list[Problem] = field(default_factory=list)


def not_a_regular_file(path: Path, folder_allowed: bool = False) -> str | None:
    """Why `path` cannot be read as an input file, or None when it is a regular file (or a
    folder, when allowed). Told from stat alone: opening a named pipe would wait forever."""
    from klynge.store.engine import file_kind

    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "no such file or folder" if folder_allowed else "no such file"
    except OSError as error:
        return f"cannot be read: {error.strerror}"
    if stat.S_ISREG(mode) or (folder_allowed and stat.S_ISDIR(mode)):
        return None
    return f"is {file_kind(mode)}, not a regular file"


def expand_paths(paths: list[str | Path]) -> tuple[list[Path], list[Problem]]:
    """The input files named by `paths`: files as given, folders searched for known kinds.
    Anything else (a named pipe, a device) is a problem, and is never opened."""
    files: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        if (why := not_a_regular_file(path, folder_allowed=True)) is not None:
            problems.append(Problem(str(path), None, None, why))
        elif path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SOURCE_SUFFIXES
                           and not any(part.startswith(".") for part in p.relative_to(path).parts))
            if not found:
                problems.append(Problem(str(path), None, None, "the folder holds no .txt, .csv or .xlsx files"))
            files += found
        elif path.suffix.lower() in SOURCE_SUFFIXES:
            files.append(path)
        else:
            problems.append(Problem(str(path), None, None, "unsupported kind of file; use .txt (report export), .csv or .xlsx"))
    unique = list(dict.fromkeys(files))
    return unique, problems


def load_file(path: Path) -> LoadedFile:
    """Read and validate one file on its own. A file that cannot be read at all raises
    RejectedInput; a table keeps its valid rows (for the checks across files) beside the
    problems of the others."""
    if (why := not_a_regular_file(path)) is not None:
        raise RejectedInput([Problem(str(path), None, None, why)])
    if path.suffix.lower() in REPORT_SUFFIXES:
        from klynge.reports.export import parse_report_file

        report = parse_report_file(path)
        return LoadedFile(str(path), "report", reports=[(report.line_of("cluster_name"), report, None)])
    table = read_table(path)
    kind = table_kind(table)
    if kind.name == "reports":
        reports, problems = reports_from_table(table)
        return LoadedFile(table.file, "reports", reports=reports, problems=problems)
    if kind.name == "members":  # registers can be large: checked and written a row at a time
        members, problems = check_members(table)
        return LoadedFile(table.file, kind.name, members=members, problems=problems)
    rows, problems = validate_rows(table, kind.model)
    return LoadedFile(table.file, kind.name, rows=rows, problems=problems)


def load_files(paths: list[str | Path]) -> tuple[list[LoadedFile], list[Problem]]:
    """Every file named by `paths`, read and checked on its own; and every problem found."""
    files, problems = expand_paths(paths)
    loaded = []
    for path in files:
        try:
            item = load_file(path)
        except RejectedInput as error:
            problems += error.problems
            continue
        loaded.append(item)
        problems += item.problems
    return loaded, problems


class Batch:
    """What a set of loaded files would write, checked against itself and the store."""

    def __init__(self, loaded: list[LoadedFile], existing_names: dict[str, tuple[int, str]], existing_ids: set[int],
                 create_missing: str | None):
        self.problems: list[Problem] = []
        self.clusters: dict[int, ClusterRow] = {}
        self.new_names: dict[str, tuple[int, str]] = {}
        self.periods: dict[int, list[PeriodRow]] = defaultdict(list)
        self.member_files: list[MembersFile] = []
        self.member_clusters: set[int] = set()  # the clusters whose registers the batch replaces
        self.reports: dict[tuple[int, int], Report] = {}
        self.rules: dict[tuple[str, str, int], RuleRow] = {}
        self.targets: dict[tuple[str, str, int], TargetRow] = {}
        self._first_lines: dict[str, dict[tuple, tuple[str, int]]] = {}  # per kind, the file and line of each key
        self.created_clusters: dict[int, str] = {}
        self.created_periods: list[dict[str, Any]] = []
        self._names = {key: cluster_id for key, (cluster_id, _) in existing_names.items()}
        self._display = {key: name for key, (_, name) in existing_names.items()}
        self._ids = set(existing_ids)
        self._create_missing = create_missing
        by_kind = defaultdict(list)
        for item in loaded:
            by_kind[item.kind].append(item)
        for item in by_kind["rules"]:
            self._add_keyed(item, self.rules, lambda row: (row.rule, row.scope, row.valid_from), "valid_from",
                            lambda row: f"{row.rule} for {row.scope} from {row.valid_from}")
        for item in by_kind["targets"]:
            self._add_keyed(item, self.targets, lambda row: (row.indicator, row.scope, row.target_year), "target_year",
                            lambda row: f"a target for {row.indicator} ({row.scope}) in {row.target_year}")
        for item in by_kind["clusters"]:
            self._add_clusters(item)
        for item in by_kind["periods"]:
            self._add_periods(item)
        for item in by_kind["members"]:
            self._add_members(item)
        self._report_origin: dict[tuple[int, int], Report] = {}
        for item in by_kind["report"] + by_kind["reports"]:
            self._add_reports(item)
        self._add_created_periods()

    def _problem(self, file: str, line: int | None, field_name: str | None, message: str) -> None:
        self.problems.append(Problem(file, line, field_name, message))

    def _add_clusters(self, item: LoadedFile) -> None:
        first_line: dict[int, int] = {}
        for line, row in item.rows:
            if row.cluster_id in first_line:
                self._problem(item.path, line, "cluster_id", f"cluster {row.cluster_id} is already on line {first_line[row.cluster_id]}")
                continue
            first_line[row.cluster_id] = line
            for name in [row.name, *row.former_names]:
                key = name_key(name)
                owner = self._names.get(key)
                if owner is not None and owner != row.cluster_id:
                    self._problem(item.path, line, "name", f"the name {name!r} already belongs to cluster {owner}")
                    continue
                self._names[key] = row.cluster_id
                self._display[key] = name
                self.new_names[key] = (row.cluster_id, name)
            self.clusters[row.cluster_id] = row
            self._ids.add(row.cluster_id)

    def _add_keyed(self, item: LoadedFile, kept: dict, key_of, field_name: str, what) -> None:
        """The rows of a rules or targets file into `kept` by their key; a key given a second
        time, in this file or another of the batch, is a problem at its line."""
        first_line = self._first_lines.setdefault(item.kind, {})
        for line, row in item.rows:
            key = key_of(row)
            if key in first_line:
                file, at = first_line[key]
                self._problem(item.path, line, field_name, f"{what(row)} is already given in {file}, line {at}")
                continue
            first_line[key] = (item.path, line)
            kept[key] = row

    def _known_cluster(self, item: LoadedFile, line: int, cluster_id: int) -> bool:
        if cluster_id in self._ids:
            return True
        self._problem(item.path, line, "cluster_id", f"unknown cluster {cluster_id}; import it in a clusters file first or in the same batch")
        return False

    def _add_periods(self, item: LoadedFile) -> None:
        mine: dict[int, list[tuple[int, PeriodRow]]] = defaultdict(list)
        for line, row in item.rows:
            if self._known_cluster(item, line, row.cluster_id):
                mine[row.cluster_id].append((line, row))
        for cluster_id, rows in mine.items():
            if cluster_id in self.periods:
                self._problem(item.path, rows[0][0], "cluster_id", f"the periods of cluster {cluster_id} are given in two files")
                continue
            rows.sort(key=lambda lr: lr[1].first_year)
            for (_, before), (line, after) in zip(rows, rows[1:]):
                if after.first_year <= before.last_year:
                    self._problem(item.path, line, "first_year",
                                  f"the period {after.first_year}–{after.last_year} overlaps {before.first_year}–{before.last_year} of cluster {cluster_id}")
            self.periods[cluster_id] = [row for _, row in rows]

    def _add_members(self, item: LoadedFile) -> None:
        known = [self._known_cluster(item, line, cluster_id) for cluster_id, line in item.members.cluster_lines.items()]
        if all(known):
            self.member_files.append(item.members)
            self.member_clusters |= set(item.members.cluster_lines)

    def _resolve(self, item: LoadedFile, line: int | None, report: Report, cluster_id: int | None) -> int | None:
        if cluster_id is not None:
            return cluster_id if self._known_cluster(item, line, cluster_id) else None
        key = name_key(report.cluster_name)
        if key in self._names:
            return self._names[key]
        if self._create_missing is not None:
            new_id = max(self._ids, default=0) + 1
            self._ids.add(new_id)
            self._names[key] = new_id
            self._display[key] = report.cluster_name
            self.created_clusters[new_id] = report.cluster_name
            return new_id
        close = difflib.get_close_matches(key, list(self._names), n=1, cutoff=0.75)
        hint = f" Did you mean {self._display[close[0]]!r}?" if close else ""
        self._problem(item.path, line, "cluster_name",
                      f"unknown cluster {report.cluster_name!r}.{hint} Add it to the clusters file, "
                      "or import with --create-missing LEVEL to create it.")
        return None

    def _add_reports(self, item: LoadedFile) -> None:
        for line, report, given_id in item.reports:
            cluster_id = self._resolve(item, line, report, given_id)
            if cluster_id is None:
                continue
            key = (cluster_id, report.year)
            earlier = self.reports.get(key)
            if earlier is not None:
                if report_hash(earlier.values) != report_hash(report.values):
                    where = earlier.source if earlier.fallback_line is None else f"{earlier.source}, line {earlier.fallback_line}"
                    self._problem(item.path, line, "report_year",
                                  f"another, different report for {report.cluster_name} {report.year} is in {where}")
                continue
            self.reports[key] = report

    def _add_created_periods(self) -> None:
        years: dict[int, list[int]] = defaultdict(list)
        for cluster_id, year in self.reports:
            if cluster_id in self.created_clusters:
                years[cluster_id].append(year)
        for cluster_id, cluster_years in years.items():
            runs: list[list[int]] = []
            for year in sorted(cluster_years):
                if runs and year == runs[-1][-1] + 1:
                    runs[-1].append(year)
                else:
                    runs.append([year])
            self.created_periods += [
                {"cluster_id": cluster_id, "level": self._create_missing, "first_year": run[0], "last_year": run[-1], "brand": None}
                for run in runs
            ]

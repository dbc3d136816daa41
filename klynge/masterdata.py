"""Master data read from tables: clusters, programme periods and member registers, plus
annual reports given as table rows. Each row is validated with pydantic; every problem names
the file, line and column. Texts, numbers and years are checked against what the database's
columns hold (klynge/store/schema.py), so that every engine refuses the same rows before
anything is written."""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError
from stdnum.exceptions import ValidationError as OrgnrError
from stdnum.no import orgnr as orgnr_lib

from klynge.domain import BRANDS, ESCA_LABELS, LEVEL_BY_CODE, MEMBER_TYPE_BY_CODE
from klynge.reports.model import (
    Problem,
    RejectedInput,
    Report,
    text_limit_problem,
    to_amount,
    to_count,
    to_date,
    validate_report,
)
from klynge.indicators import INDICATOR_BY_KEY
from klynge.rules import FIRST_YEAR, LAST_YEAR, RULE_UNITS, SCOPES
from klynge.store import schema
from klynge.targets import SCOPES as TARGET_SCOPES
from klynge.tables import Table


def _blank_to_none(value: Any) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and value != value:  # NaN from a spreadsheet
        return None
    return value


def _required_text(value: Any) -> str:
    value = _blank_to_none(value)
    if value is None:
        raise ValueError("value is missing")
    return " ".join(str(value).split())


def _optional_text(value: Any) -> str | None:
    value = _blank_to_none(value)
    return None if value is None else " ".join(str(value).split())


def _fits(converter, column, *, folded: bool = False):
    """`converter`, then a check that its text fits `column` (a String column of the schema).
    `folded`: a cluster name, also stored case-folded for matching."""
    def convert(value: Any):
        text = converter(value)
        if text is not None and (problem := text_limit_problem(text, column.type.length, folded=folded)) is not None:
            raise ValueError(problem)
        return text
    return convert


def _former_names(value: Any) -> list[str]:
    names = [n.strip() for n in str(_blank_to_none(value) or "").split(";") if n.strip()]
    for name in names:
        if (problem := text_limit_problem(name, schema.cluster_names.c.name.type.length, folded=True)) is not None:
            raise ValueError(f"the former name {name[:40]!r}... {problem}")
    return names


def _optional(converter):
    def convert(value: Any):
        value = _blank_to_none(value)
        return None if value is None else converter(value)
    return convert


def _required(converter):
    def convert(value: Any):
        value = _blank_to_none(value)
        if value is None:
            raise ValueError("value is missing")
        return converter(value)
    return convert


def to_orgnr(value: Any) -> str:
    text = str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    try:
        return orgnr_lib.validate(text)
    except OrgnrError:
        raise ValueError(f"{text!r} is not a valid Norwegian organisation number") from None


def _choice(options: dict[str, str], what: str):
    def convert(value: Any) -> str:
        key = " ".join(str(value).split()).casefold()
        if key not in options:
            raise ValueError(f"unknown {what} {str(value)!r}; use one of: {', '.join(sorted(set(options.values())))}")
        return options[key]
    return convert


_LEVELS = {code: code for code in LEVEL_BY_CODE} | {level.label.casefold(): code for code, level in LEVEL_BY_CODE.items()}
_MEMBER_TYPES = {code: code for code in MEMBER_TYPE_BY_CODE} | {t.label.casefold(): code for code, t in MEMBER_TYPE_BY_CODE.items()}
_BRANDS = {brand.casefold(): brand for brand in BRANDS}
_ESCA = {label: label for label in ESCA_LABELS} | {"gull": "gold", "sølv": "silver"}
_BOOLEANS = {"true": True, "false": False, "ja": True, "nei": False, "yes": True, "no": False, "1": True, "0": False}


def to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    key = str(value).strip().casefold()
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if key not in _BOOLEANS:
        raise ValueError(f"expected true or false, got {str(value)!r}")
    return _BOOLEANS[key]


def to_year(value: Any) -> int:
    """A year the programme's data can be about (a typo such as 20019 or 1850 is refused)."""
    year = to_count(value)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"expected a year from {FIRST_YEAR} to {LAST_YEAR}, got {year}")
    return year


Count = Annotated[int, BeforeValidator(_required(to_count))]
Year = Annotated[int, BeforeValidator(_required(to_year))]
_cluster = schema.clusters.c


class ClusterRow(BaseModel):
    model_config = ConfigDict(extra="ignore")
    cluster_id: Count
    name: Annotated[str, BeforeValidator(_fits(_required_text, _cluster.name, folded=True))]
    former_names: Annotated[list[str], BeforeValidator(_former_names)] = []
    region: Annotated[str | None, BeforeValidator(_fits(_optional_text, _cluster.region))] = None
    sector: Annotated[str | None, BeforeValidator(_fits(_optional_text, _cluster.sector))] = None
    orgnr: Annotated[str | None, BeforeValidator(_optional(to_orgnr))] = None
    website: Annotated[str | None, BeforeValidator(_fits(_optional_text, _cluster.website))] = None
    esca_label: Annotated[str | None, BeforeValidator(_optional(_choice(_ESCA, "ESCA label")))] = None
    esca_year: Annotated[int | None, BeforeValidator(_optional(to_year))] = None


class PeriodRow(BaseModel):
    model_config = ConfigDict(extra="ignore")
    cluster_id: Count
    level: Annotated[str, BeforeValidator(_required(_choice(_LEVELS, "level")))]
    first_year: Year
    last_year: Year
    brand: Annotated[str | None, BeforeValidator(_optional(_choice(_BRANDS, "brand")))] = None


class MemberRow(BaseModel):
    model_config = ConfigDict(extra="ignore")
    cluster_id: Count
    orgnr: Annotated[str, BeforeValidator(_required(to_orgnr))]
    name: Annotated[str, BeforeValidator(_fits(_required_text, schema.members.c.name))]
    member_type: Annotated[str, BeforeValidator(_required(_choice(_MEMBER_TYPES, "member type")))]
    core_member: Annotated[bool, BeforeValidator(_required(to_bool))]
    joined: Annotated[dt.date, BeforeValidator(_required(to_date))]
    left: Annotated[dt.date | None, BeforeValidator(_optional(to_date))] = None


class RuleRow(BaseModel):
    """A version of one of the programme's rules (klynge.rules); an empty value is "not set"."""

    model_config = ConfigDict(extra="ignore")
    rule: Annotated[str, BeforeValidator(_required(_choice({key: key for key in RULE_UNITS}, "rule")))]
    scope: Annotated[str, BeforeValidator(_required(_choice({scope: scope for scope in SCOPES}, "scope")))]
    valid_from: Year
    value: Annotated[float | None, BeforeValidator(_optional(lambda v: float(to_amount(v))))] = None
    source: Annotated[str, BeforeValidator(_required_text)]
    note: Annotated[str, BeforeValidator(lambda v: _optional_text(v) or "")] = ""


def _target_value(value: Any) -> float:
    """An amount, or a share written as `55 %` (0.55); checked against the indicator's unit
    in `_row_rules`."""
    if isinstance(value, str) and value.strip().endswith("%"):
        return float(to_amount(value.strip()[:-1])) / 100
    return float(to_amount(value))


class TargetRow(BaseModel):
    """A target of the programme (klynge.targets): at least `target` for `indicator` by
    `target_year`, for a level or the whole programme, from the decision in `source`."""

    model_config = ConfigDict(extra="ignore")
    indicator: Annotated[str, BeforeValidator(_required(_choice({key: key for key in INDICATOR_BY_KEY}, "indicator")))]
    scope: Annotated[str, BeforeValidator(_required(_choice(_LEVELS | {"programme": "programme", "programmet": "programme"},
                                                            "scope")))]
    from_year: Annotated[int | None, BeforeValidator(_optional(to_year))] = None
    target_year: Year
    target: Annotated[float, BeforeValidator(_required(_target_value))]
    source: Annotated[str, BeforeValidator(_required_text)]
    note: Annotated[str, BeforeValidator(lambda v: _optional_text(v) or "")] = ""


@dataclass(frozen=True)
class TableKind:
    name: str
    model: type[BaseModel] | None
    required_columns: frozenset[str]


# Most specific first: a members table also has the columns of a clusters table.
TABLE_KINDS = (
    TableKind("rules", RuleRow, frozenset({"rule", "scope", "valid_from", "value", "source"})),
    TableKind("targets", TargetRow, frozenset({"indicator", "scope", "target_year", "target", "source"})),
    TableKind("reports", None, frozenset({"report_year", "cluster_name"})),
    TableKind("members", MemberRow, frozenset({"cluster_id", "orgnr", "member_type"})),
    TableKind("periods", PeriodRow, frozenset({"cluster_id", "level", "first_year", "last_year"})),
    TableKind("clusters", ClusterRow, frozenset({"cluster_id", "name"})),
)


def table_kind(table: Table) -> TableKind:
    """What a table holds, told by its columns."""
    columns = set(table.header)
    for kind in TABLE_KINDS:
        if kind.required_columns <= columns:
            return kind
    expected = "; ".join(f"{k.name}: {', '.join(sorted(k.required_columns))}" for k in TABLE_KINDS)
    raise RejectedInput([Problem(table.file, 1, None, f"unknown kind of table; the columns needed are {expected}")])


def _row_problems(file: str, line: int, error: ValidationError) -> list[Problem]:
    problems = []
    for detail in error.errors():
        column = str(detail["loc"][0]) if detail["loc"] else None
        message = "column is missing" if detail["type"] == "missing" else detail["msg"].removeprefix("Value error, ")
        problems.append(Problem(file, line, column, message))
    return problems


def validate_rows(table: Table, model: type[BaseModel]) -> tuple[list[tuple[int, BaseModel]], list[Problem]]:
    """The valid rows of `table` as `model`, and every problem of the others."""
    records, problems = [], []
    for line, row in table.rows:
        try:
            records.append((line, model.model_validate(row)))
        except ValidationError as error:
            problems += _row_problems(table.file, line, error)
    broken = _row_rules(table.file, records)
    broken_lines = {problem.line for problem in broken}
    return [(line, r) for line, r in records if line not in broken_lines], problems + broken


@dataclass
class MembersFile:
    """A members table, checked row by row without keeping its rows: a register of a million
    members is read twice (checked, then written in chunks), never held whole."""

    table: Table
    cluster_lines: dict[int, int]  # each cluster in the file, and the first line it is on
    rows_checked: int

    def rows(self) -> Iterator[MemberRow]:
        """Every row as a MemberRow (all valid: `check_members` found no problem in them)."""
        for _line, row in self.table.rows:
            yield MemberRow.model_validate(row)


def check_members(table: Table) -> tuple[MembersFile, list[Problem]]:
    """Every problem of a members table (a row's fields, a membership listed twice), and the
    file for writing. Per row, only an 8-byte hash of its membership is kept: the rows whose
    hashes meet are looked at again to find the real duplicates (rare, and few)."""
    problems: list[Problem] = []
    hashes = array("q")  # per valid row, the hash of (cluster, organisation, start)
    lines = array("l")  # and its line
    clusters: dict[int, int] = {}
    for line, row in table.rows:
        try:
            record = MemberRow.model_validate(row)
        except ValidationError as error:
            problems += _row_problems(table.file, line, error)
            continue
        broken = _row_rules(table.file, [(line, record)])
        if broken:
            problems += broken
            continue
        hashes.append(hash((record.cluster_id, record.orgnr, record.joined)))
        lines.append(line)
        clusters.setdefault(record.cluster_id, line)
    problems += _duplicates(table, hashes, lines)
    return MembersFile(table, clusters, len(hashes)), problems


def _duplicates(table: Table, hashes: array, lines: array) -> list[Problem]:
    """The memberships listed a second time, each named at its line with the line of the first."""
    import numpy as np

    keys = np.frombuffer(hashes, dtype=np.int64)
    ordered = np.sort(keys)
    shared = set(ordered[1:][ordered[1:] == ordered[:-1]].tolist())
    if not shared:
        return []
    suspects = {int(line) for key, line in zip(keys.tolist(), lines) if key in shared}
    first: dict[tuple, int] = {}
    problems = []
    for line, row in table.rows:
        if line in suspects:
            record = MemberRow.model_validate(row)
            key = (record.cluster_id, record.orgnr, record.joined)
            if key in first:
                problems.append(Problem(table.file, line, "orgnr", f"this membership is already on line {first[key]}"))
            else:
                first[key] = line
    return problems


def _row_rules(file: str, records: list[tuple[int, BaseModel]]) -> list[Problem]:
    problems = []
    for line, record in records:
        if isinstance(record, PeriodRow) and record.first_year > record.last_year:
            problems.append(Problem(file, line, "last_year", f"{record.last_year} is before first_year {record.first_year}"))
        if isinstance(record, MemberRow) and record.left is not None and record.left < record.joined:
            problems.append(Problem(file, line, "left", f"{record.left} is before joined {record.joined}"))
        if isinstance(record, TargetRow):
            problems += _target_problems(file, line, record)
    return problems


def _target_problems(file: str, line: int, record: TargetRow) -> list[Problem]:
    problems = []
    if record.from_year is not None and record.from_year > record.target_year:
        problems.append(Problem(file, line, "from_year", f"{record.from_year} is after target_year {record.target_year}"))
    if record.scope not in TARGET_SCOPES:
        problems.append(Problem(file, line, "scope", f"a target is set for a level or the programme, not {record.scope!r}"))
    if INDICATOR_BY_KEY[record.indicator].unit == "percent" and record.target > 1:
        problems.append(Problem(file, line, "target", f"{record.indicator} is a share: write it as 0.55 or 55 %, "
                                                      f"not {record.target:g}"))
    return problems


def reports_from_table(table: Table) -> tuple[list[tuple[int, Report, int | None]], list[Problem]]:
    """The valid rows as reports, each with its line and its `cluster_id` when the table has
    one; and every problem of the other rows."""
    results, problems = [], []
    for line, row in table.rows:
        try:
            report = validate_report(row, {}, table.file, fallback_line=line)
        except RejectedInput as error:
            problems.extend(error.problems)
            continue
        cluster_id = None
        if _blank_to_none(row.get("cluster_id")) is not None:
            try:
                cluster_id = to_count(row["cluster_id"])
            except ValueError as error:
                problems.append(Problem(table.file, line, "cluster_id", str(error)))
                continue
        results.append((line, report, cluster_id))
    return results, problems

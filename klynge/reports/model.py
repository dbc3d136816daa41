"""A validated annual report, and the problems that stop a file from becoming one.

Both readers (the text export and CSV/Excel rows) collect raw values per canonical field,
each with the line it came from, and hand them to `validate_report`. Typing is done by a
pydantic model built from the field list, with converters that understand the export's
formats (`4,5 MNOK`, `dd.mm.yyyy`, `1 234`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, ConfigDict, ValidationError, create_model

from klynge.domain import PLAUSIBLE_YEARS
from klynge.reports.fields import FIELD_NAMES, FIELDS, MONEY_FIELDS


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong in an input file, located as precisely as the input allows."""

    file: str
    line: int | None
    field: str | None
    message: str
    # For consistency warnings: the kind of check and its figures, so that the dashboard can
    # word the warning in its own language.
    code: str | None = field(default=None, compare=False)
    params: dict[str, Any] | None = field(default=None, compare=False, hash=False)

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}, line {self.line}"
        what = f"{self.field}: " if self.field else ""
        return f"{where}: {what}{self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "field": self.field, "message": self.message}


class RejectedInput(Exception):
    """Raised when an input cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0, p.field or ""))
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class Report:
    """One cluster's annual report, typed, under the canonical field names."""

    values: dict[str, Any]
    source: str
    warnings: list[Problem] = field(default_factory=list)
    # Where each field's value came from; `fallback_line` (a table's row) for the rest.
    lines: dict[str, int] = field(default_factory=dict)
    fallback_line: int | None = None

    def line_of(self, name: str) -> int | None:
        return self.lines.get(name, self.fallback_line)

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    @property
    def cluster_name(self) -> str:
        return self.values["cluster_name"]

    @property
    def year(self) -> int:
        return self.values["report_year"]


# ---------------------------------------------------------------- value converters
# Each converter accepts what a text export, a CSV cell or an Excel cell can hold, and
# raises ValueError with a message meant for the person who wrote the file.

# Spaces group digits ("1 234"). Python also counts line, paragraph and record separators
# (\n, \x1c-\x1f, \x85, \u2028 ...) as whitespace, but one inside a number is damage:
# "5<separator>4" must not become 54.
_SPACES = re.compile(r"[^\S\n\r\x0b\x0c\x1c-\x1f\x85\u2028\u2029]+")
_INT = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
_MNOK = re.compile(r"\s*MNOK\s*$", re.IGNORECASE)
_DMY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


# What the database's columns hold (klynge/store/schema.py), checked before anything is
# written so that every engine refuses the same values: SQLite would take any of them.
# tests/test_faults.py checks that these agree with the schema.
INTEGER_MAX = 2**31 - 1  # an Integer column (PostgreSQL's integer)
AMOUNT_MAX = Decimal("1e9")  # plausible MNOK, and far below what NUMERIC(14, 3) holds (1e11)
CLUSTER_NAME_MAX = 200  # clusters.name and cluster_names.name_key
FIRST_YEAR, LAST_YEAR = PLAUSIBLE_YEARS


def text_limit_problem(text: str, limit: int, *, folded: bool = False) -> str | None:
    """Why `text` does not fit a column of `limit` characters, or None when it does.
    `folded`: the text is also stored case-folded (a cluster name, for matching), which can
    be longer: 'ß' becomes 'ss'."""
    if len(text) > limit:
        return f"is {len(text):,} characters long; the database holds at most {limit:,}"
    if folded and len(text.casefold()) > limit:
        return f"is {len(text.casefold()):,} characters long when compared without case; the database holds at most {limit:,}"
    return None


def _is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _short(value: Any) -> str:
    text = str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _whole(digits: str) -> int:
    # Python refuses to convert more than 4,300 digits, with a message meant for programmers.
    if len(digits.lstrip("+-0")) > len(str(INTEGER_MAX)):
        if digits.startswith("-"):
            raise ValueError(f"must not be negative, got {_short(digits)}")
        raise ValueError(f"is {_short(digits)}; the database holds whole numbers up to {INTEGER_MAX:,}")
    return int(digits)


def to_count(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(f"expected a whole number, got {_short(value)}")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, Decimal) and value == value.to_integral_value():
        number = int(value)
    elif isinstance(value, str) and value.isascii() and value.isdigit():
        number = _whole(value)  # the common case, without the regular expressions
    elif isinstance(value, str) and _INT.fullmatch(digits := _SPACES.sub("", value.strip())):
        number = _whole(digits)
    else:
        raise ValueError(f"expected a whole number, got {_short(value)}")
    if number < 0:
        raise ValueError(f"must not be negative, got {number}")
    if number > INTEGER_MAX:
        raise ValueError(f"is {number:,}; the database holds whole numbers up to {INTEGER_MAX:,}")
    return number


def to_amount(value: Any, unit_allowed: bool = False) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {_short(value)}")
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"expected a number, got {_short(value)}")
        number = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip()
        if unit_allowed:
            text = _MNOK.sub("", text)
        text = _SPACES.sub("", text)
        if not _DECIMAL.fullmatch(text):
            unit = " such as '4,5 MNOK'" if unit_allowed else " such as '1,6'"
            raise ValueError(f"expected an amount{unit}, got {_short(value)}")
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the regex already rules this out
            raise ValueError(f"expected an amount, got {_short(value)}") from None
    else:
        raise ValueError(f"expected a number, got {_short(value)}")
    if number < 0:
        raise ValueError(f"must not be negative, got {value}")
    if number > AMOUNT_MAX:
        raise ValueError(f"is implausibly large: {_short(value)} (at most {AMOUNT_MAX:,f})")
    return number


def to_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if text[10:] in ("", " 00:00:00", "T00:00:00"):
            text = text[:10]
        if m := _DMY.fullmatch(text):
            day, month, year = (int(g) for g in m.groups())
        elif m := _ISO.fullmatch(text):
            year, month, day = (int(g) for g in m.groups())
        else:
            raise ValueError(f"expected a date as dd.mm.yyyy, got {_short(value)}")
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise ValueError(f"is not a real date: {_short(value)}") from None
    raise ValueError(f"expected a date as dd.mm.yyyy, got {_short(value)}")


def to_text(value: Any) -> str:
    if not isinstance(value, str):
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            return str(value)
        raise ValueError(f"expected text, got {_short(value)}")
    lines = [line.rstrip() for line in value.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def to_list(value: Any) -> list[str]:
    if isinstance(value, str):
        items = re.split(r"[\r\n;]+", value)
    elif isinstance(value, (list, tuple)):
        items = [str(item) for item in value]
    else:
        raise ValueError(f"expected a list of lines, got {_short(value)}")
    return [item.strip() for item in items if item.strip()]


_CONVERTERS = {
    "int": (int, to_count),
    "decimal": (Decimal, to_amount),
    "date": (dt.date, to_date),
    "text": (str, to_text),
    "list": (list[str], to_list),
}


def _model():
    definitions: dict[str, Any] = {}
    for spec in FIELDS:
        python_type, converter = _CONVERTERS[spec.type]
        if spec.name in MONEY_FIELDS:
            converter = lambda v: to_amount(v, unit_allowed=True)  # noqa: E731
        definitions[spec.name] = (Annotated[python_type, BeforeValidator(converter)], ...)
    return create_model(
        "AnnualReportValues",
        __config__=ConfigDict(extra="ignore", frozen=True),
        **definitions,
    )


AnnualReportValues = _model()


def validate_report(raw: dict[str, Any], lines: dict[str, int], file: str, fallback_line: int | None = None) -> Report:
    """Type the raw values of one report, or raise RejectedInput with every problem.

    `lines` maps a field to the line its value came from; a problem with a field that was
    never seen is put on `fallback_line` (the row, for a table).
    """
    problems: list[Problem] = []
    present = {}
    for name in FIELD_NAMES:
        if name not in raw:
            problems.append(Problem(file, fallback_line, name, "field is missing"))
        elif _is_blank(raw[name]) or (isinstance(raw[name], (list, tuple)) and not raw[name]):
            problems.append(Problem(file, lines.get(name, fallback_line), name, "value is missing"))
        else:
            present[name] = raw[name]
    try:
        model = AnnualReportValues.model_validate(present)
    except ValidationError as error:
        for detail in error.errors():
            name = str(detail["loc"][0]) if detail["loc"] else None
            if detail["type"] == "missing":
                continue  # already reported above
            message = detail["msg"].removeprefix("Value error, ")
            problems.append(Problem(file, lines.get(name or "", fallback_line), name, message))
        raise RejectedInput(problems) from None
    if problems:
        raise RejectedInput(problems)
    values = {name: getattr(model, name) for name in FIELD_NAMES}
    for name in ("cluster_name", "leader_name"):
        values[name] = " ".join(values[name].split())
    limits = []
    if not FIRST_YEAR <= values["report_year"] <= LAST_YEAR:
        plausible = f"{FIRST_YEAR} to {LAST_YEAR}"
        limits.append(("report_year", f"is not a plausible year: {values['report_year']} (expected {plausible})"))
    if (too_long := text_limit_problem(values["cluster_name"], CLUSTER_NAME_MAX, folded=True)) is not None:
        limits.append(("cluster_name", too_long))
    if limits:
        raise RejectedInput([Problem(file, lines.get(name, fallback_line), name, message) for name, message in limits])
    report = Report(values=values, source=file, lines=dict(lines), fallback_line=fallback_line)
    report.warnings = [
        Problem(file, lines.get(check.field, fallback_line), check.field, check.message, check.code, check.params)
        for check in consistency_checks(values)
    ]
    return report


# ---------------------------------------------------------------- consistency checks

_PROG_PROJECTS = (
    "prog_competence_training", "prog_competence_education", "prog_intl_fairs", "prog_intl_training",
    "prog_intl_market_positions", "prog_innovation_collaboration", "prog_innovation_prestudy",
    "prog_innovation_investment",
)
_OTHER_PROJECTS = ("other_competence_projects", "other_intl_projects", "other_innovation_projects")
_MEMBER_FIELDS = (
    "members_cluster", "members_public", "members_rnd", "members_innovation_company", "members_startup",
    "members_investor", "members_association", "members_established",
)


# English messages of the consistency checks (the CLI's language); the dashboard words them
# from its catalogue (`warning.<code>`) with the same parameters.
WARNING_MESSAGES: dict[str, str] = {
    "members_sum": "members by type add up to {by_type}, not to the total of {total}",
    "exceeds": "{part} ({part_value}) exceeds {whole} ({whole_value})",
    "fte_without_paid": "{fte} FTE reported with no paid persons in the management",
    "projects_exceed": "{part} ({part_value}) exceeds the {financing} projects ({total})",
    "period_order": "the period ends ({end}) before it starts ({start})",
    "period_outside_year": "the period {start}–{end} lies outside the report year {year}",
    "money_in_kroner": "{value:.0f} MNOK looks like kroner, not millions: did the report mean {suggested:g} MNOK?",
}

# Money fields (MONEY_FIELDS) are in millions of kroner. A cluster's triggered money in a
# year is tens of MNOK; a value of a thousand MNOK (a billion kroner) or more is far likelier
# kroner typed into an MNOK field ("4 500 000" for 4,5 MNOK).
KRONER_SUSPECT_MNOK = 1000


@dataclass(frozen=True)
class Check:
    """A consistency warning: the field it is about, its kind and the figures involved."""

    field: str
    code: str
    params: dict[str, Any]

    @property
    def message(self) -> str:
        return WARNING_MESSAGES[self.code].format(**self.params)


def consistency_checks(v: dict[str, Any]) -> list[Check]:
    """The checks of DOMAIN.md that one report can fail while still being usable."""
    found: list[Check] = []

    def at_most(part: str, whole: str) -> None:
        if v[part] > v[whole]:
            found.append(Check(part, "exceeds", {"part": part, "part_value": v[part], "whole": whole, "whole_value": v[whole]}))

    by_type = sum(v[name] for name in _MEMBER_FIELDS)
    if by_type != v["members_total"]:
        found.append(Check("members_total", "members_sum", {"by_type": by_type, "total": v["members_total"]}))
    at_most("steering_business_reps", "steering_members")
    at_most("steering_women", "steering_members")
    at_most("mgmt_paid_women", "mgmt_paid_persons")
    if v["mgmt_paid_persons"] == 0 and v["mgmt_fte"] > 0:
        found.append(Check("mgmt_fte", "fte_without_paid", {"fte": float(v["mgmt_fte"])}))
    at_most("prog_new_cluster_collaborations_international", "prog_new_cluster_collaborations")
    at_most("other_new_cluster_collaborations_international", "other_new_cluster_collaborations")
    totals = {"programme": sum(v[name] for name in _PROG_PROJECTS), "other": sum(v[name] for name in _OTHER_PROJECTS)}
    for financing, prefix in (("programme", "prog"), ("other", "other")):
        for name in (f"{prefix}_with_international_partners", f"{prefix}_with_rnd"):
            if v[name] > totals[financing]:
                found.append(Check(name, "projects_exceed", {"part": name, "part_value": v[name], "financing": financing,
                                                             "total": totals[financing]}))
    for name in MONEY_FIELDS:
        if v[name] >= KRONER_SUSPECT_MNOK:
            found.append(Check(name, "money_in_kroner", {"value": float(v[name]), "suggested": float(v[name]) / 1_000_000}))
    start, end = v["period_start"].isoformat(), v["period_end"].isoformat()
    if v["period_start"] > v["period_end"]:
        found.append(Check("period_end", "period_order", {"start": start, "end": end}))
    if v["period_start"].year != v["report_year"] and v["period_end"].year != v["report_year"]:
        found.append(Check("period_start", "period_outside_year", {"start": start, "end": end, "year": v["report_year"]}))
    return found


def consistency_warnings(v: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, English message) of each consistency check the report fails."""
    return [(check.field, check.message) for check in consistency_checks(v)]

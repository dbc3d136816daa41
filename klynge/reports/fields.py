"""The canonical fields of the annual report, read from `report_fields.csv` (a copy of the
programme's field list kept inside the package, so that Klynge runs without ../shared)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

FIELD_TYPES = ("int", "decimal", "date", "text", "list")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    section: str
    label: str
    type: str
    meaning: str

    @property
    def is_number(self) -> bool:
        return self.type in ("int", "decimal")


def _load() -> tuple[FieldSpec, ...]:
    path = Path(__file__).with_name("report_fields.csv")
    # The meaning is the last column and the programme's file does not quote it, so a comma
    # in it ("decimal comma possible: '1,6'") makes more columns: they are the meaning's rest.
    with path.open(encoding="utf-8", newline="") as handle:
        specs = tuple(
            FieldSpec(row["field"], row["section"], row["label_in_export"], row["type"],
                      ",".join([row["meaning"], *row.get(None, [])]))
            for row in csv.DictReader(handle)
        )
    unknown = {spec.type for spec in specs} - set(FIELD_TYPES)
    if unknown:
        raise RuntimeError(f"report_fields.csv has unknown field types: {sorted(unknown)}")
    return specs


FIELDS: tuple[FieldSpec, ...] = _load()
FIELD_NAMES: tuple[str, ...] = tuple(spec.name for spec in FIELDS)
FIELD_BY_NAME: dict[str, FieldSpec] = {spec.name: spec for spec in FIELDS}
INT_FIELDS: tuple[str, ...] = tuple(s.name for s in FIELDS if s.type == "int")
DECIMAL_FIELDS: tuple[str, ...] = tuple(s.name for s in FIELDS if s.type == "decimal")
NUMBER_FIELDS: tuple[str, ...] = tuple(s.name for s in FIELDS if s.is_number)
# The figures summed per level and year: every count and amount of the report.
SUMMED_FIELDS: tuple[str, ...] = tuple(name for name in NUMBER_FIELDS if name != "report_year")
TEXT_FIELDS: tuple[str, ...] = tuple(s.name for s in FIELDS if s.type == "text")
MONEY_FIELDS: tuple[str, ...] = ("funding_national_mnok", "funding_eu_mnok")

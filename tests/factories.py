"""Small hand-made inputs for the tests: report values, master-data tables, report tables."""

from __future__ import annotations

import csv
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from stdnum.no import orgnr

from klynge.reports.fields import FIELD_NAMES, FIELD_BY_NAME

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def example_values(**overrides: Any) -> dict[str, Any]:
    """The typed values of the programme's example report (Arena Kystmat 2023)."""
    expected = json.loads((FIXTURES / "example-report-arena-kystmat-2023.expected.json").read_text(encoding="utf-8"))
    values: dict[str, Any] = {}
    for name in FIELD_NAMES:
        kind = FIELD_BY_NAME[name].type
        if name in expected:
            value = expected[name]
            if kind == "decimal":
                value = Decimal(str(value))
            elif kind == "date":
                value = dt.date.fromisoformat(value)
            values[name] = value
    values["international_activities_description"] = "Klyngen har hatt aktiviteter mot Danmark.\n\nFelles stand på sjømatmesse."
    values["story_societal"] = "Felles returordning for isopor.\nTo kommuner vurderer ordningen."
    values["story_effect"] = "Tre gründerbedrifter fikk sin første eksportavtale."
    values.update(overrides)
    return values


def valid_orgnr(seed: int) -> str:
    """The first valid organisation number at or after 910000000 + 100 * seed."""
    number = 910_000_000 + 100 * seed
    while not orgnr.is_valid(str(number)):
        number += 1
    return str(number)


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join(value)
    if isinstance(value, (dt.date, Decimal)):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def write_csv(path: Path, rows: list[dict[str, Any]], columns: list[str] | None = None) -> Path:
    columns = columns or list(rows[0])
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(column)) for column in columns])
    return path


def write_reports_csv(path: Path, reports: list[dict[str, Any]]) -> Path:
    return write_csv(path, reports, list(FIELD_NAMES))


def master_data(folder: Path) -> Path:
    """Two clusters, their periods and small registers, as three CSV files in `folder`.

    Cluster 1 "Arena Kystmat" (Vestland, Sjømat; formerly "Kystmat Nettverk"): tidligfase
    2020, arena 2021-2023, arena_pro 2024-. Cluster 2 "Fjellhelse" (Innlandet, Helse):
    arena_pro with NCE 2022-2025.
    """
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder / "clusters.csv", [
        {"cluster_id": 1, "name": "Arena Kystmat", "former_names": "Kystmat Nettverk", "region": "Vestland",
         "sector": "Sjømat", "orgnr": valid_orgnr(1), "website": "https://kystmat.example.no", "esca_label": "silver", "esca_year": 2022},
        {"cluster_id": 2, "name": "Fjellhelse", "former_names": "", "region": "Innlandet", "sector": "Helse",
         "orgnr": valid_orgnr(2), "website": "", "esca_label": "gold", "esca_year": 2023},
    ])
    write_csv(folder / "periods.csv", [
        {"cluster_id": 1, "level": "tidligfase", "first_year": 2020, "last_year": 2020, "brand": ""},
        {"cluster_id": 1, "level": "arena", "first_year": 2021, "last_year": 2023, "brand": ""},
        {"cluster_id": 1, "level": "arena_pro", "first_year": 2024, "last_year": 2028, "brand": ""},
        {"cluster_id": 2, "level": "arena_pro", "first_year": 2022, "last_year": 2025, "brand": "NCE"},
    ])
    members = []
    types = ["established"] * 6 + ["startup"] * 2 + ["rnd", "public"]
    for cluster_id in (1, 2):
        for index, member_type in enumerate(types):
            members.append({
                "cluster_id": cluster_id, "orgnr": valid_orgnr(100 * cluster_id + index),
                "name": f"Medlem {cluster_id}-{index} AS", "member_type": member_type,
                "core_member": member_type == "established", "joined": dt.date(2021, 1, 1) if index < 8 else dt.date(2023, 6, 1),
                "left": dt.date(2022, 12, 31) if index == 0 else None,
            })
    write_csv(folder / "members.csv", members)
    return folder

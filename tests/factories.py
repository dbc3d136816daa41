"""Small hand-made inputs for the tests: report values, master-data tables, report tables."""

from __future__ import annotations

import csv
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from stdnum.no import orgnr

from klynge.reports.fields import FIELD_BY_NAME, FIELD_NAMES

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


# The hand-made programme of `hand_made`: (id, name, region, sector, ESCA label, its year).
HAND_CLUSTERS = [
    (1, "Alfa", "Vestland", "Sjømat", "gold", 2023),
    (2, "Beta", "Vestland", "Helse", "gold", 2020),
    (3, "Gamma", "Oslo", "IKT", "silver", 2024),
    (4, "Delta", "Oslo", "Sjømat", None, None),
    (5, "Epsilon", "Agder", "Energi", None, None),
    (6, "Zeta", "Agder", "Helse", None, None),
    (7, "Eta", "Troms", "IKT", None, None),
    (8, "Theta", "Troms", "Sjømat", None, None),
]
# (cluster id, level, first year, last year)
HAND_PERIODS = [
    (1, "arena", 2021, 2023), (1, "arena_pro", 2024, 2028),
    (2, "arena_pro", 2019, 2025),  # seven years at a level of five
    (3, "moden", 2020, 2030),
    (4, "arena", 2022, 2024),
    (5, "arena", 2023, 2025),
    (6, "tidligfase", 2024, 2024),
    (8, "arena", 2023, 2025),
    # Eta (7) has no period: its report is outside the programme
]
# (cluster id, year): members, partners, national MNOK, EU MNOK, participants, activities
HAND_REPORTS = {
    (1, 2023): (35, 4, 4.0, 0.0, 100, 10),
    (3, 2023): (90, 8, 25.0, 5.0, 400, 20),
    (4, 2023): (18, 2, 2.0, 0.0, 60, 6),
    (5, 2023): (25, 3, 3.0, 1.0, 90, 9),
    (8, 2023): (50, 5, 2.5, 0.5, 150, 12),
    (1, 2024): (40, 4, 10.0, 2.0, 120, 12),
    (2, 2024): (60, 6, 20.0, 0.5, 200, 15),  # Beta filed nothing for 2023: a gap
    (3, 2024): (100, 9, 30.0, 5.0, 450, 22),
    (4, 2024): (20, 3, 3.0, 0.0, 70, 7),
    (5, 2024): (30, 3, 5.5, 1.0, 95, 8),
    (6, 2024): (8, 1, 0.2, 0.0, 20, 2),
    (7, 2024): (12, 5, 1.0, 0.0, 30, 3),
    (8, 2024): (44, 4, 4.0, 0.5, 140, 11),
}
# The projects of Gamma's 2024 report; every other report has none.
HAND_GAMMA_PROJECTS = {"prog_competence_training": 4, "other_innovation_projects": 2, "custom_type_projects": 4,
                       "prog_with_rnd": 3, "prog_with_international_partners": 1, "other_with_international_partners": 1}
# Each register in 2024 by member type: (core established companies, R&D, innovation companies,
# investors, public actors, start-ups (not core members)). Theta (8) and Eta (7) have none.
HAND_REGISTERS = {
    1: (22, 3, 1, 1, 1, 1),
    2: (25, 4, 1, 1, 1, 2),
    3: (30, 5, 2, 2, 2, 3),
    4: (20, 3, 1, 1, 1, 0),
    5: (12, 1, 1, 0, 1, 0),
    6: (10, 2, 1, 0, 0, 0),
}

_PROJECT_FIELDS = [name for name in FIELD_NAMES if name.startswith(("prog_", "other_")) or name == "custom_type_projects"]


def hand_made(folder: Path) -> Path:
    """A small programme with figures easy to work out by hand (see HAND_*): eight clusters
    in 2023 and 2024 at every level, one of them promoted from Arena to Arena Pro, one past
    its level's time limit with a gap in its reports, one outside the programme."""
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder / "clusters.csv", [
        {"cluster_id": cid, "name": name, "region": region, "sector": sector, "orgnr": valid_orgnr(500 + cid),
         "esca_label": label, "esca_year": year} for cid, name, region, sector, label, year in HAND_CLUSTERS],
        ["cluster_id", "name", "region", "sector", "orgnr", "esca_label", "esca_year"])
    write_csv(folder / "periods.csv", [
        {"cluster_id": cid, "level": level, "first_year": first, "last_year": last, "brand": ""}
        for cid, level, first, last in HAND_PERIODS])
    members = []
    for cid, counts in HAND_REGISTERS.items():
        types = ["established"] * counts[0] + ["rnd"] * counts[1] + ["innovation_company"] * counts[2] + \
            ["investor"] * counts[3] + ["public"] * counts[4] + ["startup"] * counts[5]
        members += [{"cluster_id": cid, "orgnr": valid_orgnr(10_000 + 100 * cid + index), "name": f"Medlem {cid}-{index}",
                     "member_type": member_type, "core_member": member_type == "established",
                     "joined": dt.date(2020, 1, 1), "left": None} for index, member_type in enumerate(types)]
    write_csv(folder / "members.csv", members)
    names = {cid: name for cid, name, *_ in HAND_CLUSTERS}
    reports = []
    for (cid, year), (members_total, partners, national, eu, participants, activities) in HAND_REPORTS.items():
        values = example_values(
            cluster_name=names[cid], report_year=year, period_start=dt.date(year, 1, 1), period_end=dt.date(year, 12, 31),
            members_total=members_total, partners_total=partners, funding_national_mnok=Decimal(str(national)),
            funding_eu_mnok=Decimal(str(eu)), activities_unique_participants=participants, activities_organised=activities,
            **{f"members_{t}": 0 for t in ("cluster", "public", "rnd", "innovation_company", "startup", "investor", "association")},
            members_established=members_total, **{name: 0 for name in _PROJECT_FIELDS})
        if (cid, year) == (3, 2024):
            values.update(HAND_GAMMA_PROJECTS)
        reports.append(values)
    write_reports_csv(folder / "reports.csv", reports)
    return folder

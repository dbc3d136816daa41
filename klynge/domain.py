"""The programme's vocabulary: levels, brands, member types, the five-point model, regions,
sectors and the funding rules. One source of truth for every other module.

See DOMAIN.md (section "Maturity levels") for where these come from.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Level:
    code: str
    label: str
    order: int
    # Programme money a cluster at this level receives per year, in MNOK, under the funding
    # rules of the programme description: operating support (driftsstøtte) plus the maximum
    # development support (utviklingsstøtte).
    operating_support_mnok: Decimal
    development_support_mnok: Decimal
    max_years: int | None

    @property
    def programme_money_mnok(self) -> Decimal:
        return self.operating_support_mnok + self.development_support_mnok


LEVELS: tuple[Level, ...] = (
    Level("tidligfase", "Tidligfase", 1, Decimal("0"), Decimal("0"), None),
    Level("arena", "Arena", 2, Decimal("2"), Decimal("0"), 3),
    Level("arena_pro", "Arena Pro", 3, Decimal("3"), Decimal("3"), 5),
    # Mature clusters get no operating support; development support is planned as project
    # money of up to 3 MNOK a year over three years.
    Level("moden", "Moden klynge", 4, Decimal("0"), Decimal("3"), None),
)
LEVEL_CODES: tuple[str, ...] = tuple(level.code for level in LEVELS)
LEVEL_BY_CODE: dict[str, Level] = {level.code: level for level in LEVELS}

# A report whose cluster had no programme period in the report's year.
OUTSIDE_LEVEL = "utenfor"
OUTSIDE_LABEL = "Utenfor programmet"

BRANDS: tuple[str, ...] = ("NCE", "GCE")

ESCA_LABELS: tuple[str, ...] = ("bronze", "silver", "gold")


@dataclass(frozen=True)
class MemberType:
    code: str
    label: str
    report_field: str


# The eight member types of the annual report, in the report's order.
MEMBER_TYPES: tuple[MemberType, ...] = (
    MemberType("cluster", "Klynge", "members_cluster"),
    MemberType("public", "Offentlig aktør", "members_public"),
    MemberType("rnd", "FoU-institusjon", "members_rnd"),
    MemberType("innovation_company", "Innovasjonsselskap", "members_innovation_company"),
    MemberType("startup", "Gründer", "members_startup"),
    MemberType("investor", "Investor", "members_investor"),
    MemberType("association", "Forening/fagforening", "members_association"),
    MemberType("established", "Etablert bedrift", "members_established"),
)
MEMBER_TYPE_CODES: tuple[str, ...] = tuple(t.code for t in MEMBER_TYPES)
MEMBER_TYPE_BY_CODE: dict[str, MemberType] = {t.code: t for t in MEMBER_TYPES}
MEMBER_COUNT_FIELDS: tuple[str, ...] = tuple(t.report_field for t in MEMBER_TYPES)
# Member types that are companies, for the core-member thresholds.
COMPANY_TYPES: tuple[str, ...] = ("established", "startup")

# The five-point model (femkantmodellen): the actor types an innovation ecosystem needs.
# Each point is covered by one member type of the register.
FIVE_POINT_MODEL: tuple[tuple[str, str], ...] = (
    ("established", "Etablerte bedrifter"),
    ("startup", "Gründere"),
    ("investor", "Kapital"),
    ("rnd", "FoU"),
    ("public", "Offentlige aktører"),
)

# The years any figure of the programme can belong to (reports, periods, rules, labels): a
# year outside them is a typo (20019) or a wrong column, refused before it is written.
PLAUSIBLE_YEARS: tuple[int, int] = (1990, 2100)

# Norway's counties from 1 January 2024.
REGIONS: tuple[str, ...] = (
    "Agder",
    "Akershus",
    "Buskerud",
    "Finnmark",
    "Innlandet",
    "Møre og Romsdal",
    "Nordland",
    "Oslo",
    "Rogaland",
    "Telemark",
    "Troms",
    "Trøndelag",
    "Vestfold",
    "Vestland",
    "Østfold",
)

SECTORS: tuple[str, ...] = (
    "Sjømat",
    "Havteknologi",
    "Energi",
    "Helse",
    "IKT",
    "Reiseliv",
    "Industri",
    "Mat",
    "Tre",
)

# Figures watched for implausible jumps from one year to the next, and the smallest value (in
# either year) for which a jump means anything (klynge.quality.jumps).
JUMP_FIELDS: dict[str, float] = {
    "members_total": 10,
    "partners_total": 10,
    "activities_organised": 5,
    "activities_unique_participants": 50,
    "funding_national_mnok": 1.0,
    "funding_eu_mnok": 1.0,
    "international_activities_new": 5,
    "new_jobs": 10,
}
# The importer keeps every change from one year to the next of at least this factor
# (`year_changes`); a search for jumps of a smaller factor reads the reports instead.
KEPT_JUMP_FACTOR = 2.0

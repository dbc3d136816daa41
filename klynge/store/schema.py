"""The database schema (SQLAlchemy Core). Every other module reads and writes through these
tables; the indexes are chosen for the read API in `klynge.queries`.

This is the schema at the head of the migrations in `migrations/versions/`: a change here
goes with a new migration (`python -m klynge.store.migrate revision "what changes"`), and
tests/test_migrations.py checks that the two agree."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from klynge.domain import LEVEL_CODES, MEMBER_COUNT_FIELDS, MEMBER_TYPE_CODES
from klynge.reports.fields import FIELDS, SUMMED_FIELDS

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

clusters = Table(
    "clusters",
    metadata,
    # A stable id, apart from the name: names change, the id does not.
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("name", String(200), nullable=False),
    Column("region", String(100)),
    Column("sector", String(100)),
    Column("orgnr", String(9)),
    Column("website", String(300)),
    Column("esca_label", String(20)),
    Column("esca_year", Integer),
    Index("ix_clusters_region", "region"),
    Index("ix_clusters_sector", "sector"),
)

# Every name a cluster has had (its current one included), so that an old report that uses a
# former name still finds its cluster.
cluster_names = Table(
    "cluster_names",
    metadata,
    Column("name_key", String(200), primary_key=True),
    Column("cluster_id", Integer, ForeignKey("clusters.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(200), nullable=False),
    Index("ix_cluster_names_cluster_id", "cluster_id"),
)

programme_periods = Table(
    "programme_periods",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("cluster_id", Integer, ForeignKey("clusters.id", ondelete="CASCADE"), nullable=False),
    Column("level", String(20), nullable=False),
    Column("first_year", Integer, nullable=False),
    Column("last_year", Integer, nullable=False),
    Column("brand", String(10)),
    CheckConstraint(_in("level", LEVEL_CODES), name="level"),
    CheckConstraint("first_year <= last_year", name="years"),
    Index("ix_programme_periods_lookup", "cluster_id", "first_year", "last_year", "level"),
)

members = Table(
    "members",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("cluster_id", Integer, ForeignKey("clusters.id", ondelete="CASCADE"), nullable=False),
    Column("orgnr", String(9), nullable=False),
    Column("name", String(300), nullable=False),
    Column("member_type", String(30), nullable=False),
    Column("core_member", Boolean, nullable=False),
    Column("joined", Date, nullable=False),
    Column("left", Date),
    CheckConstraint(_in("member_type", MEMBER_TYPE_CODES), name="member_type"),
    # Everything a register count reads (queries.register_counts, register_by_report): the
    # counts come from the index alone, not from the rows with their names.
    Index("ix_members_register", "cluster_id", "joined", "left", "member_type", "core_member"),
    # One membership per organisation and start date in a register: a duplicate is impossible.
    Index("uq_members_membership", "cluster_id", "orgnr", "joined", unique=True),
)

_FIELD_TYPES = {
    "int": lambda: Integer(),
    "decimal": lambda: Numeric(14, 3, asdecimal=False),
    "date": lambda: Date(),
    "text": lambda: Text(),
    "list": lambda: JSON(),
}


def _report_columns() -> list[Column]:
    return [
        Column(spec.name, _FIELD_TYPES[spec.type](), nullable=False)
        for spec in FIELDS
    ]


import_log = Table(
    "import_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("status", String(20), nullable=False),  # ok, partial, rejected
    Column("files", JSON, nullable=False),
    Column("reports_new", Integer, nullable=False, default=0),
    Column("reports_replaced", Integer, nullable=False, default=0),
    Column("reports_unchanged", Integer, nullable=False, default=0),
    Column("files_rejected", Integer, nullable=False, default=0),
    Column("message", Text),
)

# The current version of each cluster's report for a year.
annual_reports = Table(
    "annual_reports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("cluster_id", Integer, ForeignKey("clusters.id", ondelete="CASCADE"), nullable=False),
    *_report_columns(),
    Column("source_file", Text, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    Column("import_id", Integer, ForeignKey("import_log.id")),
    UniqueConstraint("cluster_id", "report_year", name="uq_annual_reports_cluster_year"),
    Index("ix_annual_reports_year", "report_year", "cluster_id"),
)

# Every earlier version of a report: what it said, where it came from, and when and by
# which file it was replaced.
report_revisions = Table(
    "report_revisions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("cluster_id", Integer, ForeignKey("clusters.id", ondelete="CASCADE"), nullable=False),
    Column("report_year", Integer, nullable=False),
    Column("report_values", JSON, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("source_file", Text, nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    Column("replaced_at", DateTime(timezone=True), nullable=False),
    Column("replaced_by_file", Text, nullable=False),
    # The import that wrote this version (as annual_reports.import_id); NULL for revisions
    # kept before migration 0002.
    Column("import_id", Integer, ForeignKey("import_log.id")),
    Index("ix_report_revisions_cluster_year", "cluster_id", "report_year"),
)

# Consistency warnings found when a report was imported; they go with that version.
report_warnings = Table(
    "report_warnings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("cluster_id", Integer, ForeignKey("clusters.id", ondelete="CASCADE"), nullable=False),
    Column("report_year", Integer, nullable=False),
    Column("field", String(64)),
    Column("line", Integer),
    Column("message", Text, nullable=False),
    # The kind of check and its figures (klynge.reports.model.Check), for wording it in the UI.
    Column("code", String(40)),
    Column("params", JSON),
    Column("source_file", Text, nullable=False),
    Index("ix_report_warnings_cluster_year", "cluster_id", "report_year"),
)

# Derived from `members`: each cluster's member register counted in every year the reports
# cover (from the first report year to the last, stored in `meta` as `register_years`):
# members by type (one column a type, named as the report's field), core members and core
# member companies. A year in which the cluster had no members has no row. The pages read a
# year's registers, and the data-quality check each report's, from here; counting them from
# `members` reads every membership (0.3 s for one year of 5,000 registers, seconds for the
# reports of many years). Written only by `klynge.store.derived.refresh`, which the importer
# calls in the same transaction as the rows it derives from.
register_years = Table(
    "register_years",
    metadata,
    Column("cluster_id", Integer, ForeignKey("clusters.id", ondelete="CASCADE"), primary_key=True),
    Column("year", Integer, primary_key=True),
    *[Column(field, Integer, nullable=False) for field in MEMBER_COUNT_FIELDS],
    Column("core_members", Integer, nullable=False),
    Column("core_companies", Integer, nullable=False),
    Index("ix_register_years_year", "year"),
)

# Derived from `annual_reports`, `clusters` and `programme_periods`: per year, level (the
# cluster's level that year, `utenfor` when none), county and sector, the clusters that
# reported and the sum of every figure. The overview's sums for any filter of levels,
# years, counties and sectors add up these few thousand rows instead of every report.
# Written only by `klynge.store.derived.refresh`, at the end of every import.
_SPEC = {spec.name: spec for spec in FIELDS}
level_sums = Table(
    "level_sums",
    metadata,
    Column("report_year", Integer, primary_key=True),
    Column("level", String(20), primary_key=True),
    Column("region", String(100), primary_key=True),  # "" for clusters with none
    Column("sector", String(100), primary_key=True),  # "" for clusters with none
    Column("clusters", Integer, nullable=False),
    # Sums of counts as 64-bit integers: each report's count fits an integer column, their
    # sum over many reports need not (PostgreSQL's integer stops at 2,147,483,647).
    *[Column(name, BigInteger if _SPEC[name].type == "int" else _FIELD_TYPES[_SPEC[name].type](), nullable=False)
      for name in SUMMED_FIELDS],
)

# Derived from `annual_reports`: each report's figures (of `domain.JUMP_FIELDS`) that changed
# from the cluster's report of the year before by at least `domain.KEPT_JUMP_FACTOR`, up or
# down, where either year's value reaches the figure's least value that counts. `change` is
# the larger value over the smaller (a zero counts as 1e-9). The data-quality page's search
# for jumps reads these few rows instead of joining every report to the year before.
# Written only by `klynge.store.derived.refresh`, at the end of every import.
year_changes = Table(
    "year_changes",
    metadata,
    Column("report_id", Integer, ForeignKey("annual_reports.id", ondelete="CASCADE"), primary_key=True),
    Column("field", String(40), primary_key=True),
    Column("before_id", Integer, ForeignKey("annual_reports.id", ondelete="CASCADE"), nullable=False),
    Column("change", Float, nullable=False),
    Index("ix_year_changes_change", "change"),
)

# Derived from `annual_reports` and `register_years`: the reports whose members by type
# differ from their cluster's register in the report's year (a data-quality finding). The
# data-quality page reads these few rows instead of comparing every report with its register.
# Written only by `klynge.store.derived.refresh`, at the end of every import.
register_mismatches = Table(
    "register_mismatches",
    metadata,
    Column("report_id", Integer, ForeignKey("annual_reports.id", ondelete="CASCADE"), primary_key=True),
)

# Derived from `members`: the members whose name holds a lead character of UTF-8 read as
# Windows-1252 (`klynge.encoding.MOJIBAKE_LEADS`), from which the data-quality check picks the
# garbled names. Searching every member's name on each visit reads the whole register.
# Written only by `klynge.store.derived.refresh`, for the clusters an import touches.
suspect_member_names = Table(
    "suspect_member_names",
    metadata,
    Column("member_id", Integer, ForeignKey("members.id", ondelete="CASCADE"), primary_key=True),
    Column("cluster_id", Integer, ForeignKey("clusters.id", ondelete="CASCADE"), nullable=False),
    Index("ix_suspect_member_names_cluster_id", "cluster_id"),
)

# Derived from the reports and the programme's rules: per year, level and figure of
# `klynge.peer_medians.KEPT_FIGURES` (derived figures too), the middle of the reports' order
# by that figure (value, then cluster id): the `WIDTH` positions each side of the median, with
# the count `n` of reports with a value. A cluster's peers' median, the median without that
# cluster or a few more, lies in that middle, so the profile and the comparison read these
# few thousand rows instead of every report of every year. Written only by
# `klynge.peer_medians.refresh`, at the end of every import.
level_middles = Table(
    "level_middles",
    metadata,
    Column("figure", String(40), primary_key=True),
    Column("report_year", Integer, primary_key=True),
    Column("level", String(20), primary_key=True),
    Column("position", Integer, primary_key=True),  # 0 for the lowest value
    Column("cluster_id", Integer, ForeignKey("clusters.id", ondelete="CASCADE"), nullable=False),
    Column("value", Float, nullable=False),
    Column("n", Integer, nullable=False),
)

# The programme's rules (klynge.rules): money per level and year, the levels' time limits,
# the qualification thresholds and the ESCA label's validity, each with its source. A rule
# holds from `valid_from` until a later version of the same key and scope; a NULL value is
# "not set" (the source names none). Seeded with the programme description of 2019 by
# migration 0007; `python -m klynge import rules.csv` adds or replaces versions.
programme_rules = Table(
    "programme_rules",
    metadata,
    Column("rule", String(40), primary_key=True),
    Column("scope", String(20), primary_key=True),
    Column("valid_from", Integer, primary_key=True),
    Column("value", Numeric(14, 3, asdecimal=False)),
    Column("source", Text, nullable=False),
    Column("note", Text, nullable=False, default=""),
)

# The programme's targets (klynge.targets): the value an indicator should reach by a year,
# for a level or the whole programme, with the decision it comes from. A database starts
# with none; `python -m klynge import targets.csv` adds them, and a target given again for
# the same indicator, scope and year replaces it, the old version kept in target_revisions.
def _target(key: bool) -> list[Column]:
    """A target's columns; `key`: its indicator, scope and year are the primary key."""
    return [
        Column("indicator", String(40), primary_key=key, nullable=False),
        Column("scope", String(20), primary_key=key, nullable=False),
        Column("target_year", Integer, primary_key=key, nullable=False),
        Column("from_year", Integer),
        Column("value", Numeric(14, 3, asdecimal=False), nullable=False),
        Column("source", Text, nullable=False),
        Column("note", Text, nullable=False, default=""),
        Column("imported_at", DateTime(timezone=True), nullable=False),
        Column("import_id", Integer, ForeignKey("import_log.id")),
    ]


programme_targets = Table("programme_targets", metadata, *_target(key=True))

# Every earlier version of a target, and when and by which import it was replaced.
target_revisions = Table(
    "target_revisions",
    metadata,
    Column("id", Integer, primary_key=True),
    *_target(key=False),
    Column("replaced_at", DateTime(timezone=True), nullable=False),
    Column("replaced_by_import", Integer, ForeignKey("import_log.id")),
    Index("ix_target_revisions_target", "indicator", "scope", "target_year"),
)

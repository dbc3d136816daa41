"""Atomic imports: every file is read and checked before anything is written, and all that
is written goes in one transaction.

A report for a cluster and year already in the database replaces the current version, which
is kept as a revision; a report equal to the current version changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from klynge import peer_medians
from klynge.domain import LEVEL_CODES
from klynge.masterdata import ClusterRow, PeriodRow
from klynge.reports.model import Problem, RejectedInput, Report
from klynge.store import derived, schema
from klynge.store.batch import Batch, jsonable, load_files, name_key, report_hash

log = logging.getLogger(__name__)


@dataclass
class ImportResult:
    files: list[str]
    rejected: list[Problem] = field(default_factory=list)
    rejected_files: list[str] = field(default_factory=list)
    reports_new: int = 0
    reports_replaced: int = 0
    reports_unchanged: int = 0
    clusters_written: int = 0
    clusters_created: list[str] = field(default_factory=list)
    periods_written: int = 0
    members_written: int = 0
    rules_written: int = 0
    targets_new: int = 0
    targets_replaced: int = 0
    targets_unchanged: int = 0
    warnings: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        parts = [
            f"{len(self.files) - len(self.rejected_files)} file(s) imported",
            f"reports: {self.reports_new} new, {self.reports_replaced} replaced, {self.reports_unchanged} unchanged",
        ]
        if self.clusters_written or self.periods_written or self.members_written:
            parts.append(f"master data: {self.clusters_written} clusters, {self.periods_written} periods, {self.members_written} members")
        if self.rules_written:
            parts.append(f"programme rules: {self.rules_written} written")
        if self.targets_new or self.targets_replaced or self.targets_unchanged:
            parts.append(f"targets: {self.targets_new} new, {self.targets_replaced} replaced, {self.targets_unchanged} unchanged")
        if self.clusters_created:
            parts.append(f"clusters created: {', '.join(self.clusters_created)}")
        if self.warnings:
            parts.append(f"{len(self.warnings)} consistency warning(s)")
        if self.rejected_files:
            parts.append(f"{len(self.rejected_files)} file(s) skipped as invalid")
        return "; ".join(parts)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def import_paths(
    engine: Engine,
    paths: list[str | Path],
    *,
    skip_invalid: bool = False,
    create_missing: str | None = None,
    mark_dataset: str | None = None,
) -> ImportResult:
    """Import report files, folders of them, and CSV/Excel tables of reports or master data.

    Raises RejectedInput, having written nothing, when any file has a problem (unless
    `skip_invalid`, which imports the good files and returns the others' problems).
    `create_missing` (a level code) creates unknown clusters instead of rejecting their reports.
    """
    if create_missing is not None and create_missing not in LEVEL_CODES:
        raise ValueError(f"unknown level {create_missing!r}; use one of {', '.join(LEVEL_CODES)}")
    loaded, problems = load_files(paths)
    result = ImportResult(files=sorted({f.path for f in loaded} | {p.file for p in problems}))
    # One import at a time, from reading what the database holds to the commit: a second
    # import waits and then checks its files against what the first wrote.
    with _one_import_at_a_time(engine) as conn:
        n = schema.cluster_names.c
        existing_names = {row.name_key: (row.cluster_id, row.name) for row in conn.execute(select(n.name_key, n.cluster_id, n.name))}
        existing_ids = set(conn.execute(select(schema.clusters.c.id)).scalars())
        while True:
            batch = Batch(loaded, existing_names, existing_ids, create_missing)
            problems += batch.problems
            bad_files = {p.file for p in problems}
            if not problems:
                break
            if not skip_invalid:
                raise RejectedInput(problems)
            result.rejected.extend(problems)
            loaded = [f for f in loaded if f.path not in bad_files]
            problems = []
        result.rejected_files = sorted({p.file for p in result.rejected})
        import_id = conn.execute(
            insert(schema.import_log).values(
                started_at=_now(), status="running", files=[f.path for f in loaded],
                reports_new=0, reports_replaced=0, reports_unchanged=0, files_rejected=len(result.rejected_files),
            )
        ).inserted_primary_key[0]
        _write_rules(conn, batch, result)
        _write_targets(conn, batch, result, import_id)
        _write_clusters(conn, batch, result)
        _write_periods(conn, batch, result)
        _write_members(conn, batch, result)
        _write_reports(conn, batch, result, import_id)
        # The derived tables follow the rows just written (the registers of the clusters whose members changed).
        derived.refresh(conn, batch.member_clusters)
        # The peers' middles move with a year's reports; levels (periods) and the rules
        # (leverage) move every year's.
        whole = bool(batch.rules or batch.periods or batch.created_periods)
        peer_medians.refresh(conn, None if whole else {year for _, year in batch.reports})
        if mark_dataset is not None:
            conn.execute(delete(schema.meta).where(schema.meta.c.key == "dataset"))
            conn.execute(insert(schema.meta).values(key="dataset", value=mark_dataset))
        conn.execute(
            update(schema.import_log).where(schema.import_log.c.id == import_id).values(
                finished_at=_now(), status="partial" if result.rejected_files else "ok",
                reports_new=result.reports_new, reports_replaced=result.reports_replaced,
                reports_unchanged=result.reports_unchanged, message=result.summary(),
            )
        )
    log.info("import %s: %s", import_id, result.summary())
    return result


# Memberships written per INSERT: a few MB of rows at a time, whatever the register's size.
MEMBER_CHUNK = 10_000

# pg_advisory_xact_lock key of imports: "klynge-i".
IMPORT_LOCK = 0x6B6C796E67652D69


@contextmanager
def _one_import_at_a_time(engine: Engine) -> Iterator[Connection]:
    """One transaction that no other import enters until it ends: on PostgreSQL under a
    transaction-level advisory lock, on SQLite an immediate transaction (the write lock
    from the start, not from the first write). Committed at the end, rolled back on any
    error, so nothing of a failed import remains."""
    with engine.connect() as conn:
        if conn.dialect.name != "sqlite":
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(select(func.pg_advisory_xact_lock(IMPORT_LOCK)))
                yield conn
            return
        # pysqlite would begin the transaction at the first write; BEGIN IMMEDIATE by hand
        # takes the write lock before the database is read. (SQLAlchemy's commit and
        # rollback reach the DBAPI connection, which ends it.)
        conn.execution_options(isolation_level="AUTOCOMMIT")
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.rollback()
            raise
        conn.commit()


def _write_rules(conn: Connection, batch: Batch, result: ImportResult) -> None:
    """Each rule version replaces the one of the same rule, scope and first year, if any."""
    g = schema.programme_rules
    for (rule, scope, valid_from), row in batch.rules.items():
        conn.execute(delete(g).where(g.c.rule == rule, g.c.scope == scope, g.c.valid_from == valid_from))
        conn.execute(insert(g).values(rule=rule, scope=scope, valid_from=valid_from, value=row.value, source=row.source,
                                      note=row.note))
    result.rules_written += len(batch.rules)


def _write_targets(conn: Connection, batch: Batch, result: ImportResult, import_id: int) -> None:
    """Each target replaces the one of the same indicator, scope and year, which is kept in
    target_revisions; a target equal to the one held changes nothing."""
    g, kept = schema.programme_targets, schema.target_revisions
    now = _now()
    for (indicator, scope, year), row in batch.targets.items():
        where = (g.c.indicator == indicator, g.c.scope == scope, g.c.target_year == year)
        held = conn.execute(select(g).where(*where)).mappings().first()
        values = {"from_year": row.from_year, "value": row.target, "source": row.source, "note": row.note}
        if held is not None and all(held[name] == value for name, value in values.items()):
            result.targets_unchanged += 1
            continue
        if held is not None:
            conn.execute(insert(kept).values(**dict(held), replaced_at=now, replaced_by_import=import_id))
            conn.execute(delete(g).where(*where))
            result.targets_replaced += 1
        else:
            result.targets_new += 1
        conn.execute(insert(g).values(indicator=indicator, scope=scope, target_year=year, **values, imported_at=now,
                                      import_id=import_id))


def _write_clusters(conn: Connection, batch: Batch, result: ImportResult) -> None:
    created = batch.created_clusters
    if created:
        conn.execute(insert(schema.clusters), [{"id": cid, "name": name} for cid, name in created.items()])
        _write_names(conn, {name_key(name): (cid, name) for cid, name in created.items()})
        result.clusters_created = [f"{name} (id {cid})" for cid, name in sorted(created.items())]
    rows: list[ClusterRow] = list(batch.clusters.values())
    if not rows:
        return
    ids = [row.cluster_id for row in rows]
    present = set()
    for chunk in _chunks(ids, 500):
        present |= set(conn.execute(select(schema.clusters.c.id).where(schema.clusters.c.id.in_(chunk))).scalars())
    columns = ("name", "region", "sector", "orgnr", "website", "esca_label", "esca_year")
    new = [{"id": r.cluster_id, **{c: getattr(r, c) for c in columns}} for r in rows if r.cluster_id not in present]
    if new:
        conn.execute(insert(schema.clusters), new)
    for row in rows:
        if row.cluster_id in present:
            conn.execute(update(schema.clusters).where(schema.clusters.c.id == row.cluster_id)
                         .values(**{c: getattr(row, c) for c in columns}))
    result.clusters_written += len(rows)
    _write_names(conn, batch.new_names)


def _write_names(conn: Connection, names: dict[str, tuple[int, str]]) -> None:
    if not names:
        return
    keys = list(names)
    present = set()
    for chunk in _chunks(keys, 500):
        present |= set(conn.execute(select(schema.cluster_names.c.name_key).where(schema.cluster_names.c.name_key.in_(chunk))).scalars())
    rows = [{"name_key": k, "cluster_id": cid, "name": name} for k, (cid, name) in names.items() if k not in present]
    if rows:
        conn.execute(insert(schema.cluster_names), rows)


def _write_periods(conn: Connection, batch: Batch, result: ImportResult) -> None:
    periods: dict[int, list[PeriodRow]] = batch.periods
    for chunk in _chunks(list(periods), 500):
        conn.execute(delete(schema.programme_periods).where(schema.programme_periods.c.cluster_id.in_(chunk)))
    rows = [row.model_dump() for cluster_rows in periods.values() for row in cluster_rows]
    rows += batch.created_periods
    if rows:
        conn.execute(insert(schema.programme_periods), rows)
    result.periods_written = len(rows)


def _write_members(conn: Connection, batch: Batch, result: ImportResult) -> None:
    """The registers of the batch's clusters replaced, written in chunks as the files are
    read again (never every row at once)."""
    for chunk in _chunks(sorted(batch.member_clusters), 500):
        conn.execute(delete(schema.members).where(schema.members.c.cluster_id.in_(chunk)))
    written = 0
    for members in batch.member_files:
        for chunk in _batches((row.model_dump() for row in members.rows()), MEMBER_CHUNK):
            conn.execute(insert(schema.members), chunk)
            written += len(chunk)
    result.members_written = written


def _write_reports(conn: Connection, batch: Batch, result: ImportResult, import_id: int) -> None:
    reports: dict[tuple[int, int], Report] = batch.reports
    if not reports:
        return
    t = schema.annual_reports
    current: dict[tuple[int, int], tuple[int, str]] = {}
    cluster_ids = sorted({cid for cid, _ in reports})
    for chunk in _chunks(cluster_ids, 500):
        for row in conn.execute(select(t.c.cluster_id, t.c.report_year, t.c.id, t.c.content_hash).where(t.c.cluster_id.in_(chunk))):
            current[(row.cluster_id, row.report_year)] = (row.id, row.content_hash)
    now = _now()
    new_rows, warning_rows, replaced = [], [], []
    for key, report in reports.items():
        digest = report_hash(report.values)
        row = {**report.values, "cluster_id": key[0], "source_file": report.source,
               "content_hash": digest, "imported_at": now, "import_id": import_id}
        if key not in current:
            new_rows.append(row)
        elif current[key][1] == digest:
            result.reports_unchanged += 1
            continue
        else:
            replaced.append((current[key][0], row))
        warning_rows += [{"cluster_id": key[0], "report_year": key[1], "field": w.field, "line": w.line,
                          "message": w.message, "code": w.code, "params": w.params, "source_file": w.file}
                         for w in report.warnings]
        result.warnings += report.warnings
    for old_id, row in replaced:
        _keep_revision(conn, old_id, row["source_file"], now)
        conn.execute(delete(schema.report_warnings).where(
            (schema.report_warnings.c.cluster_id == row["cluster_id"]) & (schema.report_warnings.c.report_year == row["report_year"])))
        conn.execute(update(t).where(t.c.id == old_id).values(**row))
    # A year's reports are written together, whatever order the files gave them in: the pages
    # read a year or a few at a time, and a year's rows side by side on disk are read in a few
    # large steps (a year's reports at europe scale, the file not in memory: 442 ms spread
    # over every cluster's rows, 81 ms together; `python -m bench.cold_reads`). A year's new
    # reports come in together anyway.
    new_rows.sort(key=lambda row: (row["report_year"], row["cluster_id"]))
    for chunk in _chunks(new_rows, 5_000):
        conn.execute(insert(t), chunk)
    for chunk in _chunks(warning_rows, 5_000):
        conn.execute(insert(schema.report_warnings), chunk)
    result.reports_new += len(new_rows)
    result.reports_replaced += len(replaced)


def _keep_revision(conn: Connection, report_id: int, replaced_by: str, now: dt.datetime) -> None:
    from klynge.reports.fields import FIELD_NAMES

    t = schema.annual_reports
    old = conn.execute(select(t).where(t.c.id == report_id)).one()._mapping
    conn.execute(insert(schema.report_revisions).values(
        cluster_id=old["cluster_id"], report_year=old["report_year"],
        report_values=jsonable({name: old[name] for name in FIELD_NAMES}),
        content_hash=old["content_hash"], source_file=old["source_file"], imported_at=old["imported_at"],
        replaced_at=now, replaced_by_file=replaced_by, import_id=old["import_id"],
    ))


def _batches(items: Iterable, size: int) -> Iterator[list]:
    """Lists of `size` items from `items` (the last shorter), taken as they come."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def load_demo(engine: Engine, sample_dir: Path | None = None) -> ImportResult:
    """Fill the database from `sample_data/` and mark it as holding the synthetic demo data."""
    from klynge.store.engine import SAMPLE_DATA_DIR

    return import_paths(engine, [sample_dir or SAMPLE_DATA_DIR], mark_dataset="demo")


def count_rows(engine: Engine) -> dict[str, int]:
    """How many rows each main table holds."""
    tables = (schema.clusters, schema.programme_periods, schema.members, schema.annual_reports,
              schema.report_revisions, schema.report_warnings, schema.import_log)
    with engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in tables}

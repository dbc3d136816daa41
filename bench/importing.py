"""Bulk import: `import_paths` of the master data and reports.csv into an empty database.

The import runs in a child process (`python -m bench.importing URL CSV...`), so that its
memory is not counted as the dashboard's. Its database is a scratch one; when the scale's
cached database is missing or out of date, the scratch database becomes the cache.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench import scales
from bench.rss import peak_rss_mb


def _child(url: str, paths: list[str]) -> None:
    from klynge.store.engine import ensure_schema, make_engine
    from klynge.store.importer import import_paths

    engine = make_engine(url)
    ensure_schema(engine)
    start = time.perf_counter()
    result = import_paths(engine, paths, mark_dataset="demo")
    seconds = time.perf_counter() - start
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    else:
        # The state autovacuum leaves tables in soon after a bulk load (PostgreSQL 13 and later
        # vacuum after inserts too): statistics, and the visibility map that lets an index
        # alone answer a query (an index-only scan). Without VACUUM the pages' reads would be
        # timed against the minute after an import, until autovacuum has run.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM (ANALYZE)")
    engine.dispose()
    print(json.dumps({"seconds": seconds, "summary": result.summary(), "peak_rss_mb": peak_rss_mb()}))


def _admin(sql: str) -> None:
    from sqlalchemy import create_engine

    admin = create_engine(scales.POSTGRES_URL)
    try:
        with admin.begin() as conn:
            conn.exec_driver_sql(sql)
    finally:
        admin.dispose()


def _scratch(scale: str, engine: str) -> tuple[str, str]:
    """A new, empty database for the import: (its URL, its SQLite path or PostgreSQL schema)."""
    if engine == "sqlite":
        path = scales.scale_dir(scale) / f"import-{os.getpid()}.db"
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            stale.unlink(missing_ok=True)
        return f"sqlite:///{path}", str(path)
    schema = f"bench_import_{scale}_{os.getpid()}"
    _admin(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE; CREATE SCHEMA "{schema}"')
    return scales.postgres_url(schema), schema


def _drop(engine: str, where: str) -> None:
    if engine == "sqlite":
        for path in (Path(where), Path(f"{where}-wal"), Path(f"{where}-shm")):
            path.unlink(missing_ok=True)
    else:
        _admin(f'DROP SCHEMA IF EXISTS "{where}" CASCADE')


def _promote(scale: str, engine: str, where: str) -> None:
    """Make the scratch database the scale's cached one."""
    if engine == "sqlite":
        target = scales.scale_dir(scale) / "klynge.db"
        for stale in (Path(f"{target}-wal"), Path(f"{target}-shm")):
            stale.unlink(missing_ok=True)
        os.replace(where, target)
        for stale in (Path(f"{where}-wal"), Path(f"{where}-shm")):
            stale.unlink(missing_ok=True)
    else:
        _admin(f'DROP SCHEMA IF EXISTS "bench_{scale}" CASCADE; ALTER SCHEMA "{where}" RENAME TO "bench_{scale}"')


def measure(scale: str, engine: str, data: Path, log=print) -> dict:
    """Import the scale's CSV tables into an empty database; rows per second, and whether the
    result became the cached database."""
    paths = scales.csv_paths(data)
    rows = scales.csv_rows(paths)
    scales.scale_dir(scale).mkdir(parents=True, exist_ok=True)
    url, where = _scratch(scale, engine)
    log(f"importing {rows:,} CSV rows into an empty {engine} database ...")
    promoted = False
    try:
        done = subprocess.run([sys.executable, "-m", "bench.importing", url, *map(str, paths)], cwd=scales.ROOT,
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"the import failed:\n{done.stderr[-3000:]}")
        child = json.loads(done.stdout.strip().splitlines()[-1])
        if not scales.database_is_current(scale, engine, data):
            _promote(scale, engine, where)
            scales.mark_current(scale, engine, data)
            promoted = True
    finally:
        if not promoted:
            _drop(engine, where)
    return {"rows": rows, "seconds": child["seconds"], "rows_per_s": rows / child["seconds"],
            "peak_rss_mb": child["peak_rss_mb"], "summary": child["summary"], "became_cache": promoted}


def ensure_database(scale: str, engine: str, data: Path, log=print) -> str:
    """The URL of the scale's built database, importing it first when the cache is stale."""
    if not scales.database_is_current(scale, engine, data):
        log(f"building the {scale} database on {engine} (cached for later runs) ...")
        measure(scale, engine, data, log)
    url, _ = scales.cached_database(scale, engine)
    return url


if __name__ == "__main__":
    _child(sys.argv[1], sys.argv[2:])

"""Which database, and how to connect to it.

The default is a SQLite file, `klynge.db` at the repository root, built from `sample_data/`
the first time anything needs it. `KLYNGE_DATABASE_URL` (or `--database` on the CLI) selects
any SQLAlchemy URL instead.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, select
from sqlalchemy.engine import make_url

from klynge.store import migrate, schema

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SQLITE_PATH = REPO_ROOT / "klynge.db"
SAMPLE_DATA_DIR = REPO_ROOT / "sample_data"
ENV_VAR = "KLYNGE_DATABASE_URL"


def database_url(explicit: str | None = None) -> str:
    """The URL in force: the explicit one, else the environment's, else the default file."""
    return explicit or os.environ.get(ENV_VAR) or f"sqlite:///{DEFAULT_SQLITE_PATH}"


def describe_url(url: str) -> str:
    """The URL without its password, fit for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)


# SQLite's lower() knows only ASCII; searches call this one (Python's, for Æ, Ø, Å and the
# rest), see `klynge.queries.lowered`.
SQLITE_LOWER = "klynge_lower"


def _lower(text: str | None) -> str | None:
    return None if text is None else text.lower()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    dbapi_connection.create_function(SQLITE_LOWER, 1, _lower, deterministic=True)
    cursor = dbapi_connection.cursor()
    # WAL lets dashboards read while an import writes; readers see the last commit.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for `url`, set up for this app (SQLite: WAL, foreign keys, busy timeout, and
    a lower() for any alphabet)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    return engine


def has_schema(engine: Engine) -> bool:
    return inspect(engine).has_table(schema.annual_reports.name)


def ensure_schema(engine: Engine) -> None:
    """Bring the schema to the head of the migrations, keeping every row: an empty database
    gets the whole schema, one made before Alembic is recognised and upgraded. At head
    already, this only reads the version."""
    if migrate.current_revision(engine) != migrate.head_revision():
        migrate.upgrade(engine)


def is_demo(engine: Engine) -> bool:
    """Whether the database holds the synthetic demo data."""
    with engine.connect() as conn:
        value = conn.execute(select(schema.meta.c.value).where(schema.meta.c.key == "dataset")).scalar()
    return value == "demo"


def _default_sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    path = Path(parsed.database).resolve()
    return path if path == DEFAULT_SQLITE_PATH else None


def build_demo_file(path: Path) -> None:
    """Build a complete demo database at `path`, atomically: it is written beside the
    target and renamed into place, so no reader ever sees half a database."""
    from klynge.store.importer import load_demo

    tmp = path.with_name(f"{path.name}.building-{os.getpid()}")
    for stale in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        stale.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{tmp}")
    try:
        ensure_schema(engine)
        load_demo(engine)
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.exec_driver_sql("PRAGMA journal_mode=DELETE")
    finally:
        engine.dispose()
    os.replace(tmp, path)
    for stale in (Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        stale.unlink(missing_ok=True)


def open_database(url: str | None = None) -> Engine:
    """An engine on a database with the schema in place.

    The default SQLite file is built from `sample_data/` when it does not exist yet; any
    other database gets the empty schema, to be filled with `python -m klynge init` or
    `import`.
    """
    url = database_url(url)
    default_file = _default_sqlite_file(url)
    if default_file is not None and not default_file.exists():
        log.info("building the demo database at %s", default_file)
        build_demo_file(default_file)
    engine = make_engine(url)
    ensure_schema(engine)
    return engine

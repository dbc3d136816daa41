"""Which database, how to connect to it, and what went wrong when it fails.

The default is a SQLite file, `klynge.db` at the repository root, built from `sample_data/`
the first time anything needs it. `KLYNGE_DATABASE_URL` (or `--database` on the CLI) selects
any SQLAlchemy URL instead.

An operational fault (the server down, the file locked by another writer, a read-only or
full disk, a value too large for its column) is told from the driver's exception types and
error codes by `database_fault`, as a `DatabaseFault` whose message says what happened and
what to do.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, event, exc, func, inspect, select
from sqlalchemy.engine import URL, make_url

from klynge.store import migrate, schema

try:
    import psycopg
    from psycopg import errors as pg_errors
except ImportError:  # pragma: no cover - a deployment on SQLite alone need not install it
    psycopg = pg_errors = None

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SQLITE_PATH = REPO_ROOT / "klynge.db"
SAMPLE_DATA_DIR = REPO_ROOT / "sample_data"
ENV_VAR = "KLYNGE_DATABASE_URL"
# How long a command waits for SQLite's write lock held by another writer, and for a
# database server to accept the connection (seconds).
BUSY_TIMEOUT_VAR, DEFAULT_BUSY_TIMEOUT = "KLYNGE_BUSY_TIMEOUT", 10.0
CONNECT_TIMEOUT_VAR, DEFAULT_CONNECT_TIMEOUT = "KLYNGE_CONNECT_TIMEOUT", 10.0


class DatabaseFault(Exception):
    """An operational fault, worded for the person who runs the command. `kind` is one of
    `FAULT_KINDS`; the message says what happened and what to do."""

    def __init__(self, kind: str, message: str):
        assert kind in FAULT_KINDS, kind
        self.kind = kind
        super().__init__(message)

    @property
    def message(self) -> str:
        return str(self)


FAULT_KINDS = (
    "config",  # a database URL or setting that cannot be used
    "unavailable",  # the database cannot be reached or opened
    "busy",  # locked by another writer, or it did not answer in time: try again later
    "read_only",  # a read-only database, transaction or file system
    "permission",  # the database or the file system refuses the user
    "disk_full",  # no space left where the database writes
    "io",  # an input/output error of the disk
    "data",  # a value does not fit its column
)


def database_url(explicit: str | None = None) -> str:
    """The URL in force: the explicit one, else the environment's, else the default file."""
    return explicit or os.environ.get(ENV_VAR) or f"sqlite:///{DEFAULT_SQLITE_PATH}"


def describe_url(url: str) -> str:
    """The URL without its password, fit for messages and logs."""
    return parse_url(url).render_as_string(hide_password=True)


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
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def seconds_from_env(name: str, default: float) -> float:
    """A number of seconds from the environment variable `name`, else `default`."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 86_400:
        raise DatabaseFault("config", f"{name} must be a number of seconds from 0 to 86400, got {raw[:40]!r}")
    return seconds


def busy_timeout() -> float:
    """How long SQLite waits for another writer's lock ($KLYNGE_BUSY_TIMEOUT, default 10 s)."""
    return seconds_from_env(BUSY_TIMEOUT_VAR, DEFAULT_BUSY_TIMEOUT)


def parse_url(url: str) -> URL:
    """`url` parsed; a DatabaseFault that does not repeat it (it may hold a password) when it
    is not a database URL."""
    try:
        return make_url(url)
    except (exc.ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise DatabaseFault("config", f"the database URL (--database or ${ENV_VAR}) is not a SQLAlchemy URL such as "
                                      "sqlite:///klynge.db or postgresql+psycopg://user@host:5432/klynge") from None


def make_engine(url: str, timeout: float | None = None) -> Engine:
    """An engine for `url`, set up for this app (SQLite: WAL, foreign keys, busy timeout, and
    a lower() for any alphabet; a server: a connect timeout). `timeout` is how many seconds
    to wait for SQLite's lock or for the server's connection (default: $KLYNGE_BUSY_TIMEOUT
    and $KLYNGE_CONNECT_TIMEOUT)."""
    parsed = parse_url(url)
    try:
        if parsed.get_backend_name() == "sqlite":
            wait = busy_timeout() if timeout is None else timeout
            engine = create_engine(parsed, connect_args={"timeout": wait})
            event.listen(engine, "connect", _sqlite_pragmas)
            return engine
        connect_args = {}
        if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
            wait = seconds_from_env(CONNECT_TIMEOUT_VAR, DEFAULT_CONNECT_TIMEOUT) if timeout is None else timeout
            connect_args["connect_timeout"] = max(1, round(wait))  # libpq counts whole seconds, 0 is forever
        return create_engine(parsed, pool_pre_ping=True, connect_args=connect_args)
    except (exc.NoSuchModuleError, ModuleNotFoundError):
        raise DatabaseFault("config", f"the database URL names {parsed.drivername!r}, which Klynge cannot use; "
                                      "use sqlite:/// or postgresql+psycopg://") from None


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
    parsed = parse_url(url)
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


# ---------------------------------------------------------------- readiness


def ping(url: str, timeout: float = 3.0) -> str:
    """Read the database at `url` as the dashboard would, waiting at most about `timeout`
    seconds for it, and say what was read ("schema 0008, 12 clusters, 340 reports"). Writes
    nothing and creates nothing: a SQLite file must exist. Raises DatabaseFault (or the
    driver's error, see `database_fault`) when the database cannot be read."""
    path = sqlite_path(url)
    if path is not None:
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            raise DatabaseFault("unavailable", f"the database file {path} does not exist; create it with "
                                               "`python -m klynge init`") from None
        if not stat.S_ISREG(mode):
            raise DatabaseFault("unavailable", f"{path} is {file_kind(mode)}, not a database file")
    engine = make_engine(url, timeout=timeout)
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql(f"SET statement_timeout = {max(1, round(timeout * 1000))}")
            revision = MigrationContext.configure(conn).get_current_revision()
            head = migrate.head_revision()
            if revision is None:
                raise DatabaseFault("unavailable", "the database holds no Klynge schema; create it with "
                                                   "`python -m klynge init --empty`")
            if revision != head:
                raise DatabaseFault("unavailable", f"the schema is at revision {revision}, this Klynge needs {head}; "
                                                   "upgrade it with `python -m klynge init --empty` (or deploy the "
                                                   "Klynge that made it)")
            clusters = conn.execute(select(func.count()).select_from(schema.clusters)).scalar_one()
            reports = conn.execute(select(func.count()).select_from(schema.annual_reports)).scalar_one()
    finally:
        engine.dispose()
    return f"schema {revision}, {clusters} clusters, {reports} reports"


# ---------------------------------------------------------------- faults


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for another engine, or a database in memory)."""
    parsed = parse_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    name = parsed.database
    if parsed.query.get("uri") == "true":  # sqlite:///file:/path?mode=ro&uri=true
        name = name.removeprefix("file:").split("?")[0]
    return Path(name)


def server_address(url: str) -> str:
    """host:port of a database server's URL (never the user or password)."""
    parsed = parse_url(url)
    host = parsed.host or parsed.query.get("host")
    if not host:
        return "the local socket"
    port = parsed.port or parsed.query.get("port") or {"postgresql": 5432}.get(parsed.get_backend_name())
    return f"{host}:{port}" if port else str(host)


def database_fault(error: BaseException, url: str) -> DatabaseFault | None:
    """`error` told as an operational fault of the database at `url`, or None when it is not
    one (a bug: the caller logs it with its traceback)."""
    if isinstance(error, DatabaseFault):
        return error
    original = error.orig if isinstance(error, exc.DBAPIError) else error
    try:
        if isinstance(original, sqlite3.Error):
            return _sqlite_fault(original, url)
        if psycopg is not None and isinstance(original, psycopg.Error):
            return _postgres_fault(original, url)
    except DatabaseFault as fault:  # the URL itself cannot be parsed
        return fault
    if isinstance(error, exc.DataError):
        return DatabaseFault("data", f"a value does not fit the database: {_first_line(original)}; nothing was written")
    if isinstance(error, exc.TimeoutError):  # the connection pool: every connection is in use
        return DatabaseFault("busy", "no database connection became free in time; run the command again")
    return None


def _first_line(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


def file_kind(mode: int) -> str:
    """What a file of `mode` (from stat) is, for a message: "a folder", "a named pipe", ..."""
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
             (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def _no_space_left(folder: Path) -> bool:
    try:
        usage = os.statvfs(folder)
    except OSError:
        return False
    return usage.f_bavail * usage.f_frsize < 64 * 1024


def _read_only_file_system(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _sqlite_fault(error: sqlite3.Error, url: str) -> DatabaseFault | None:
    code = getattr(error, "sqlite_errorcode", None)
    if code is None:
        return None
    primary = code & 0xFF  # the extended codes keep the primary one in their low byte
    path = sqlite_path(url)
    where = str(path) if path is not None else "the in-memory database"
    folder = (path if path is not None else Path.cwd()).parent
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return DatabaseFault("busy", f"the database {where} is locked by another writer; gave up after waiting "
                                     f"{busy_timeout():g} s, nothing was written. Run the command again when the other "
                                     f"has finished (${BUSY_TIMEOUT_VAR} sets the wait)")
    if primary == sqlite3.SQLITE_READONLY:
        return DatabaseFault("read_only", f"the database {where} is read-only (the file, its folder, its file system "
                                          "or mode=ro in the URL); nothing was written")
    if primary == sqlite3.SQLITE_FULL or (primary == sqlite3.SQLITE_IOERR and _no_space_left(folder)):
        return DatabaseFault("disk_full", f"the disk that holds {where} is full; nothing was written. Free some space "
                                          "and run the command again")
    if primary == sqlite3.SQLITE_IOERR:
        return DatabaseFault("io", f"an input/output error on {where} (a failing disk or network file system?); "
                                   "nothing was written")
    if primary == sqlite3.SQLITE_CANTOPEN:
        return _cannot_open(path)
    if primary in (sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH):
        return DatabaseFault("permission", f"permission to use {where} is denied")
    if primary in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
        return DatabaseFault("unavailable", f"{where} is not a SQLite database, or it is damaged; check --database "
                                            f"or ${ENV_VAR}")
    if primary == sqlite3.SQLITE_TOOBIG:
        return DatabaseFault("data", "a value is too large for the database; nothing was written")
    return None


def _cannot_open(path: Path | None) -> DatabaseFault:
    check = f"check --database or ${ENV_VAR}"
    if path is None:
        return DatabaseFault("unavailable", "SQLite cannot open the database")
    try:
        mode = path.stat().st_mode
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        return DatabaseFault("unavailable", f"{path} is {file_kind(mode)}, not a database file; {check}")
    if not path.parent.is_dir():
        return DatabaseFault("unavailable", f"the folder {path.parent} does not exist; create it, or {check}")
    if _read_only_file_system(path.parent):
        return DatabaseFault("read_only", f"{path} is on a read-only file system, and SQLite must write beside the "
                                          "database (its -wal and -shm files), even to read it")
    if mode is None:
        return DatabaseFault("unavailable", f"the database file {path} cannot be created in {path.parent}; {check}")
    return DatabaseFault("permission", f"the database file {path} cannot be opened (permissions?); {check}")


def _postgres_fault(error: psycopg.Error, url: str) -> DatabaseFault | None:
    server = server_address(url)
    e = pg_errors
    if isinstance(error, (e.LockNotAvailable, e.DeadlockDetected)):
        return DatabaseFault("busy", f"the database at {server} is locked by another writer ({_first_line(error)}); "
                                     "nothing was written. Run the command again when the other has finished")
    if isinstance(error, e.QueryCanceled):
        return DatabaseFault("busy", f"the database at {server} did not answer in time ({_first_line(error)}); "
                                     "nothing was written")
    if isinstance(error, e.ReadOnlySqlTransaction):
        return DatabaseFault("read_only", f"the database at {server} is read-only (a standby, or "
                                          "default_transaction_read_only); nothing was written. Use the primary's URL")
    if isinstance(error, e.DiskFull):
        return DatabaseFault("disk_full", f"the disk of the database server {server} is full; nothing was written")
    if isinstance(error, e.InsufficientPrivilege):
        return DatabaseFault("permission", f"the database at {server} refuses this user: {_first_line(error)}; "
                                           "nothing was written")
    if isinstance(error, (e.InvalidAuthorizationSpecification, e.InvalidPassword)):
        return DatabaseFault("permission", f"the database at {server} refused the login of {parse_url(url).username!r}")
    if isinstance(error, e.InvalidCatalogName):
        return DatabaseFault("unavailable", f"the database {parse_url(url).database!r} does not exist at {server}")
    if isinstance(error, psycopg.DataError):
        return DatabaseFault("data", f"a value does not fit the database: {_first_line(error)}; nothing was written")
    connection_lost = (e.ConnectionException, e.ConnectionDoesNotExist, e.ConnectionFailure,
                       e.SqlclientUnableToEstablishSqlconnection, e.SqlserverRejectedEstablishmentOfSqlconnection,
                       e.AdminShutdown, e.CrashShutdown, e.CannotConnectNow, e.TooManyConnections)
    if isinstance(error, connection_lost) or (isinstance(error, psycopg.OperationalError) and error.sqlstate is None):
        # psycopg raises a bare OperationalError, without a SQLSTATE, when no connection is made.
        # libpq's "connection to server at "host", port 5432 failed: <reason>"
        reason = _first_line(error).rsplit(" failed: ", 1)[-1].removeprefix("FATAL:").strip()
        return DatabaseFault("unavailable", f"cannot connect to the database at {server} ({reason}); check that it "
                                            f"is running and that --database or ${ENV_VAR} is right")
    return None

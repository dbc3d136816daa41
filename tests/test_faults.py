"""Faults, each with a name: values too large for the database's columns are refused before
anything is written (on every engine alike); the database down, locked by another writer,
read-only or on a full disk, and an output folder that does not exist, each end in one line
that says what happened, an exit code of its own and no traceback, with the database
unchanged. `parse` and `import` refuse what is not a regular file without opening it; `ping`
tells an orchestrator whether the database can be read; and no name reaches the terminal
with its control characters.

The faults are real where the machine allows: a PostgreSQL URL on a closed port, a SQLite
file held by another connection's BEGIN IMMEDIATE, a SQLite URL with mode=ro, and (as root
with mount rights) a small tmpfs filled to the last byte or remounted read-only. The rest
run `klynge.cli.main` in this process with the operating system's error put in."""

from __future__ import annotations

import csv
import errno
import hashlib
import io
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import exc

from klynge import cli, rules
from klynge.reports import model
from klynge.reports.model import RejectedInput, validate_report
from klynge.store import migrate, schema
from klynge.store.engine import database_fault, make_engine
from klynge.store.importer import count_rows
from tests.conftest import FIXTURES, POSTGRES_URL, REPO_ROOT, postgres_schema_url, require_postgres
from tests.factories import example_values, master_data, write_csv, write_reports_csv

EXAMPLE = FIXTURES / "example-report-arena-kystmat-2023.txt"
HOSTILE = "Fjell\x1b]0;pwned\x07helse\x1b[31m"  # sets the window title, then turns the text red
HOSTILE_SHOWN = "Fjell\\x1b]0;pwned\\x07helse\\x1b[31m"


def run(*args: str, database: str | None = None, tmp_path: Path, env: dict[str, str] | None = None,
        timeout: float = 120) -> subprocess.CompletedProcess:
    """`python -m klynge ARGS` as a user runs it."""
    environ = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "KLYNGE_LOG_FILE": str(tmp_path / "klynge.log"), **(env or {})}
    environ.pop("KLYNGE_DATABASE_URL", None)
    command = [sys.executable, "-m", "klynge", *args]
    if database is not None:
        command += ["--database", database]
    return subprocess.run(command, capture_output=True, text=True, env=environ, cwd=tmp_path, timeout=timeout, check=False)


def one_line(result: subprocess.CompletedProcess) -> str:
    """The fault's one line on stderr, having checked that there is no traceback."""
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def rows(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        return count_rows(engine)
    finally:
        engine.dispose()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def filled(tmp_path, database_url):
    """A database (SQLite and PostgreSQL in turn) holding the master data and two reports."""
    assert run("init", "--empty", database=database_url, tmp_path=tmp_path).returncode == 0
    master_data(tmp_path / "master")
    write_reports_csv(tmp_path / "reports.csv", [example_values(), example_values(report_year=2024)])
    imported = run("import", str(tmp_path / "master"), str(tmp_path / "reports.csv"), database=database_url, tmp_path=tmp_path)
    assert imported.returncode == 0, imported.stderr
    return database_url


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ------------------------------------------------------------------ limits, before writing

def test_the_limits_are_the_schemas():
    assert model.INTEGER_MAX == 2**31 - 1  # SQLAlchemy's Integer is PostgreSQL's integer
    assert model.CLUSTER_NAME_MAX == schema.clusters.c.name.type.length == schema.cluster_names.c.name_key.type.length
    numeric = schema.annual_reports.c.funding_national_mnok.type
    assert model.AMOUNT_MAX < 10 ** (numeric.precision - numeric.scale)
    assert (model.FIRST_YEAR, model.LAST_YEAR) == (rules.FIRST_YEAR, rules.LAST_YEAR)


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"members_total": 2**31}, "members_total", "is 2,147,483,648; the database holds whole numbers up to 2,147,483,647"),
    ({"new_jobs": "9" * 5000}, "new_jobs", "the database holds whole numbers up to 2,147,483,647"),
    ({"cluster_name": "K" * 201}, "cluster_name", "is 201 characters long; the database holds at most 200"),
    ({"cluster_name": "ß" * 150}, "cluster_name", "is 300 characters long when compared without case; the database holds at most 200"),
    ({"report_year": 1850}, "report_year", "is not a plausible year: 1850 (expected 1990 to 2100)"),
    ({"funding_eu_mnok": "2000000000"}, "funding_eu_mnok", "is implausibly large"),
])
def test_a_report_beyond_the_columns_is_refused_with_its_field_and_limit(overrides, field, message):
    with pytest.raises(RejectedInput) as error:
        validate_report(example_values(**overrides), {}, "reports.csv", fallback_line=7)
    [problem] = error.value.problems
    assert (problem.file, problem.line, problem.field) == ("reports.csv", 7, field)
    assert message in problem.message


def test_the_limits_hold_exactly_at_the_edge():
    values = validate_report(example_values(members_total=2**31 - 1, cluster_name="K" * 200, report_year=2100), {}, "r.csv").values
    assert (values["members_total"], len(values["cluster_name"]), values["report_year"]) == (2**31 - 1, 200, 2100)


# Each: (file, column, value, the problem's message). The clusters are those of master_data.
MASTER_LIMITS = [
    ("clusters.csv", "name", "N" * 10_000, "name: is 10,000 characters long; the database holds at most 200"),
    ("clusters.csv", "former_names", "Gammel; " + "G" * 201, "former_names: the former name"),
    ("clusters.csv", "region", "R" * 101, "region: is 101 characters long; the database holds at most 100"),
    ("clusters.csv", "website", "https://" + "w" * 300, "website: is 308 characters long; the database holds at most 300"),
    ("clusters.csv", "esca_year", "1850", "esca_year: expected a year from 1990 to 2100, got 1850"),
    ("clusters.csv", "cluster_id", "99999999999", "cluster_id: is '99999999999'; the database holds whole numbers up to 2,147,483,647"),
    ("periods.csv", "first_year", "1850", "first_year: expected a year from 1990 to 2100, got 1850"),
    ("periods.csv", "last_year", "2999", "last_year: expected a year from 1990 to 2100, got 2999"),
    ("members.csv", "name", "M" * 301, "name: is 301 characters long; the database holds at most 300"),
]


def _break_master(folder: Path, file: str, column: str, value: str) -> None:
    path = folder / file
    with path.open(encoding="utf-8", newline="") as handle:
        table = list(csv.DictReader(handle))
    table[0][column] = value
    write_csv(path, table, list(table[0]))


@pytest.mark.parametrize(("file", "column", "value", "message"), MASTER_LIMITS)
def test_master_data_beyond_the_columns_is_refused_before_writing(file, column, value, message, tmp_path, database_url):
    assert run("init", "--empty", database=database_url, tmp_path=tmp_path).returncode == 0
    before = rows(database_url)
    _break_master(master_data(tmp_path / "master"), file, column, value)
    result = run("import", str(tmp_path / "master"), database=database_url, tmp_path=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{tmp_path / 'master' / file}, line 2: {message}" in result.stderr
    assert rows(database_url) == before


def test_a_count_too_large_for_its_column_is_refused_on_every_engine(tmp_path, filled):
    before = rows(filled)
    write_reports_csv(tmp_path / "big.csv", [example_values(report_year=2025, members_total=3_000_000_000)])
    result = run("import", str(tmp_path / "big.csv"), database=filled, tmp_path=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (f"{tmp_path / 'big.csv'}, line 2: members_total: is 3,000,000,000; the database holds whole numbers "
            "up to 2,147,483,647") in result.stderr
    assert rows(filled) == before


# ------------------------------------------------------------------ the database down, locked, read-only

def test_the_database_down_is_named_with_its_host_and_port_not_its_password(tmp_path):
    port = closed_port()
    url = f"postgresql+psycopg://klynge:hemmelig@127.0.0.1:{port}/klynge"
    for command in (["check"], ["import", str(master_data(tmp_path / "master"))], ["export", "-o", str(tmp_path / "x.csv")]):
        result = run(*command, database=url, tmp_path=tmp_path)
        line = one_line(result)
        assert result.returncode == 69, result.stderr
        assert line.startswith(f"klynge {command[0]}: cannot connect to the database at 127.0.0.1:{port} (Connection refused); "
                               "check that it is running")
        assert "hemmelig" not in result.stderr
    assert not (tmp_path / "x.csv").exists()


def test_a_database_locked_by_another_writer_waits_then_says_so(tmp_path):
    url = f"sqlite:///{tmp_path / 'k.db'}"
    assert run("init", "--empty", database=url, tmp_path=tmp_path).returncode == 0
    before = rows(url)
    holder = sqlite3.connect(tmp_path / "k.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer, in the middle of its work
    try:
        started = time.monotonic()
        result = run("import", str(master_data(tmp_path / "master")), database=url, tmp_path=tmp_path,
                     env={"KLYNGE_BUSY_TIMEOUT": "0.5"})
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    line = one_line(result)
    assert result.returncode == 75
    assert line.startswith(f"klynge import: the database {tmp_path / 'k.db'} is locked by another writer; gave up after "
                           "waiting 0.5 s, nothing was written. Run the command again when the other has finished")
    assert waited < 30
    assert rows(url) == before


def test_a_read_only_sqlite_database_is_named(tmp_path):
    # Tests run as root, where chmod 0444 stops no write: the URL's mode=ro makes SQLite itself refuse.
    path = tmp_path / "k.db"
    assert run("init", "--empty", database=f"sqlite:///{path}", tmp_path=tmp_path).returncode == 0
    before = rows(f"sqlite:///{path}")
    result = run("import", str(master_data(tmp_path / "master")), database=f"sqlite:///file:{path}?mode=ro&uri=true",
                 tmp_path=tmp_path)
    line = one_line(result)
    assert result.returncode == 77
    assert line.startswith(f"klynge import: the database {path} is read-only")
    assert "nothing was written" in line
    assert rows(f"sqlite:///{path}") == before


def test_a_read_only_postgresql_transaction_is_named(tmp_path):
    require_postgres()
    from sqlalchemy import create_engine, text

    name = f"t_ro_{os.getpid()}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    try:
        url = postgres_schema_url(name)
        assert run("init", "--empty", database=url, tmp_path=tmp_path).returncode == 0
        before = rows(url)
        read_only = f"{url}%20-cdefault_transaction_read_only%3Don"
        result = run("import", str(master_data(tmp_path / "master")), database=read_only, tmp_path=tmp_path)
        line = one_line(result)
        assert result.returncode == 77
        assert line.startswith("klynge import: the database at 127.0.0.1:5432 is read-only (a standby, or "
                               "default_transaction_read_only); nothing was written")
        assert rows(url) == before
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()


def test_a_sqlite_path_that_is_a_folder_or_in_a_missing_folder_is_named(tmp_path):
    (tmp_path / "a-folder").mkdir()
    folder = run("check", database=f"sqlite:///{tmp_path / 'a-folder'}", tmp_path=tmp_path)
    assert folder.returncode == 69
    assert one_line(folder).startswith(f"klynge check: {tmp_path / 'a-folder'} is a folder, not a database file")
    missing = run("check", database=f"sqlite:///{tmp_path / 'nowhere' / 'k.db'}", tmp_path=tmp_path)
    assert missing.returncode == 69
    assert one_line(missing).startswith(f"klynge check: the folder {tmp_path / 'nowhere'} does not exist")


@pytest.mark.parametrize(("setting", "value"), [("--database", "klynge:hemmelig@db/klynge"),
                                                ("--database", "postgresql+psycopg://klynge:hemmelig@db:port/klynge"),
                                                ("--database", "oracle://klynge:hemmelig@db/x"),
                                                ("KLYNGE_BUSY_TIMEOUT", "ti sekunder")])
def test_a_setting_that_cannot_be_used_is_named_without_repeating_a_password(setting, value, tmp_path):
    if setting == "--database":
        result = run("check", database=value, tmp_path=tmp_path)
    else:
        result = run("check", database=f"sqlite:///{tmp_path / 'k.db'}", tmp_path=tmp_path, env={setting: value})
    line = one_line(result)
    assert result.returncode == 78
    assert "hemmelig" not in line
    assert ("database URL" in line) if setting == "--database" else line.startswith("klynge check: KLYNGE_BUSY_TIMEOUT must be")


# ------------------------------------------------------------------ the output file

def test_export_to_a_folder_that_does_not_exist_says_which(tmp_path):
    url = f"sqlite:///{tmp_path / 'k.db'}"
    run("init", "--empty", database=url, tmp_path=tmp_path)
    result = run("export", "-o", "/nonexistent/dir/x.csv", database=url, tmp_path=tmp_path)
    assert result.returncode == 73
    assert one_line(result) == ("klynge export: cannot write /nonexistent/dir/x.csv: the folder /nonexistent/dir does not "
                                "exist; create it, or write elsewhere")
    folder = run("export", "-o", str(tmp_path), database=url, tmp_path=tmp_path)
    assert folder.returncode == 73
    assert one_line(folder).startswith(f"klynge export: {tmp_path} is a folder; give the name of a file")


@pytest.fixture
def in_process(tmp_path, monkeypatch):
    """`klynge.cli.main` in this process, logging to tmp_path."""
    monkeypatch.setattr(cli, "LOG_FILE", tmp_path / "klynge.log")
    monkeypatch.delenv("KLYNGE_DATABASE_URL", raising=False)
    url = f"sqlite:///{tmp_path / 'k.db'}"
    assert cli.main(["init", "--empty", "--database", url]) == 0
    return url


def _raise(error: OSError):
    def fail(*_args, **_kwargs):
        raise error
    return fail


@pytest.mark.parametrize(("where", "error", "code", "message"), [
    ("fsync", OSError(errno.ENOSPC, "No space left on device"), 74,
     "the disk is full: cannot write {out}. Free some space and run the command again"),
    ("replace", PermissionError(errno.EACCES, "Permission denied"), 77, "permission denied: {out}"),
    ("fsync", OSError(errno.EROFS, "Read-only file system"), 77, "cannot write {out}: the file system is read-only"),
    ("fsync", OSError(errno.EIO, "Input/output error"), 74, "an input/output error on {out}"),
])
def test_an_export_that_cannot_be_written_leaves_no_half_file(where, error, code, message, in_process, tmp_path, monkeypatch,
                                                              capsys):
    out = tmp_path / "out" / "reports.csv"
    out.parent.mkdir()
    capsys.readouterr()
    monkeypatch.setattr(cli.os, where, _raise(error))
    assert cli.main(["export", "-o", str(out), "--database", in_process]) == code
    monkeypatch.undo()
    stderr = capsys.readouterr().err
    assert stderr.splitlines() == [f"klynge export: {message.format(out=out)} (details: {tmp_path / 'klynge.log'})"]
    assert list(out.parent.iterdir()) == []  # neither the file nor a partial one


def test_a_value_the_database_refuses_is_named(in_process, monkeypatch, capsys):
    from klynge.store import importer

    refused = exc.DataError("INSERT INTO level_sums ...", {}, psycopg.errors.NumericValueOutOfRange("integer out of range"))
    monkeypatch.setattr(importer, "import_paths", _raise(refused))
    capsys.readouterr()
    assert cli.main(["import", "whatever.csv", "--database", in_process]) == 65
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("klynge import: a value does not fit the database: integer out of range; nothing was written")


def test_anything_unexpected_is_logged_with_its_traceback(in_process, tmp_path, monkeypatch, capsys):
    from klynge import quality

    monkeypatch.setattr(quality, "findings", _raise(RuntimeError("a bug")))
    capsys.readouterr()
    assert cli.main(["check", "--database", in_process]) == 70
    assert capsys.readouterr().err.splitlines() == [f"klynge check failed unexpectedly. The details are in {tmp_path / 'klynge.log'}."]
    assert "Traceback" in (tmp_path / "klynge.log").read_text(encoding="utf-8")


@pytest.mark.parametrize(("code", "kind"), [(sqlite3.SQLITE_BUSY, "busy"), (sqlite3.SQLITE_READONLY, "read_only"),
                                            (sqlite3.SQLITE_FULL, "disk_full"), (sqlite3.SQLITE_NOTADB, "unavailable"),
                                            (sqlite3.SQLITE_READONLY | (3 << 8), "read_only")])  # an extended code
def test_sqlite_faults_are_told_by_their_error_code(code, kind, tmp_path):
    error = sqlite3.OperationalError("whatever the text says")
    error.sqlite_errorcode = code
    wrapped = exc.OperationalError("INSERT ...", {}, error)
    assert database_fault(wrapped, f"sqlite:///{tmp_path / 'k.db'}").kind == kind


@pytest.mark.parametrize(("error", "kind"), [
    (psycopg.errors.LockNotAvailable("lock timeout"), "busy"),
    (psycopg.errors.ReadOnlySqlTransaction("read only"), "read_only"),
    (psycopg.errors.DiskFull("could not extend file"), "disk_full"),
    (psycopg.errors.InsufficientPrivilege("permission denied for table clusters"), "permission"),
    (psycopg.errors.StringDataRightTruncation("value too long for type character varying(200)"), "data"),
    (psycopg.errors.AdminShutdown("terminating connection"), "unavailable"),
    (psycopg.errors.UniqueViolation("duplicate key"), None),  # a bug, not a fault
])
def test_postgresql_faults_are_told_by_their_type(error, kind):
    fault = database_fault(exc.DBAPIError("SELECT 1", {}, error), "postgresql+psycopg://u:pw@db.example:6543/k")
    assert (fault.kind if fault else None) == kind
    assert fault is None or "pw" not in fault.message


# ------------------------------------------------------------------ a full or read-only disk, for real

@pytest.fixture
def small_disk(tmp_path):
    """A 2 MB tmpfs at tmp_path/disk (needs root and the right to mount)."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount_point)], capture_output=True, text=True,
                             check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip() or mounted.returncode}); the in-process tests "
                    "above cover the same faults")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(folder: Path) -> Path:
    """Fill the file system of `folder` to the last byte."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        for size in (1 << 16, 1 << 12, 1):
            try:
                while True:
                    os.write(fd, b"x" * size)
            except OSError as error:
                assert error.errno == errno.ENOSPC
    finally:
        os.close(fd)
    return filler


def test_a_full_disk_is_named_and_leaves_the_database_as_it_was(tmp_path, small_disk):
    path = small_disk / "k.db"
    url = f"sqlite:///{path}"
    assert run("init", "--empty", database=url, tmp_path=tmp_path).returncode == 0
    before = rows(url)
    master = master_data(tmp_path / "master")
    write_reports_csv(tmp_path / "reports.csv", [example_values()])
    filler = fill(small_disk)
    result = run("import", str(master), str(tmp_path / "reports.csv"), database=url, tmp_path=tmp_path)
    line = one_line(result)
    assert result.returncode == 74
    assert line.startswith(f"klynge import: the disk that holds {path} is full; nothing was written. Free some space")

    exported = run("export", "-o", str(small_disk / "reports.csv"), database=f"sqlite:///{tmp_path / 'elsewhere.db'}",
                   tmp_path=tmp_path)
    assert exported.returncode == 74
    assert one_line(exported).startswith(f"klynge export: the disk is full: cannot write {small_disk / 'reports.csv'}")
    assert sorted(p.name for p in small_disk.iterdir() if not p.name.startswith("k.db")) == ["filler"]  # no half file

    filler.unlink()
    assert rows(url) == before
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_read_only_file_system_is_named(tmp_path, small_disk):
    path = small_disk / "k.db"
    url = f"sqlite:///{path}"
    assert run("init", "--empty", database=url, tmp_path=tmp_path).returncode == 0
    before = digest(path)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    result = run("import", str(master_data(tmp_path / "master")), database=url, tmp_path=tmp_path)
    assert result.returncode == 77
    assert one_line(result).startswith(f"klynge import: {path} is on a read-only file system")
    exported = run("export", "-o", str(small_disk / "x.csv"), database=f"sqlite:///{tmp_path / 'elsewhere.db'}",
                   tmp_path=tmp_path)
    assert exported.returncode == 77
    assert one_line(exported) == f"klynge export: cannot write {small_disk / 'x.csv'}: {small_disk} is on a read-only file system"
    assert digest(path) == before


# ------------------------------------------------------------------ readiness

def test_ping_reads_the_database(tmp_path, filled):
    result = run("ping", database=filled, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    assert line.startswith("ok: ") and line.endswith(f": schema {migrate.head_revision()}, 2 clusters, 2 reports")


def test_ping_fails_when_the_server_is_down(tmp_path):
    port = closed_port()
    started = time.monotonic()
    result = run("ping", "--timeout", "2", database=f"postgresql+psycopg://u:hemmelig@127.0.0.1:{port}/k", tmp_path=tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    assert one_line(result).startswith(f"not ready: cannot connect to the database at 127.0.0.1:{port} (Connection refused)")
    assert "hemmelig" not in result.stderr
    assert time.monotonic() - started < 30


def test_ping_fails_on_a_folder_a_missing_file_and_a_database_without_schema(tmp_path):
    (tmp_path / "a-folder").mkdir()
    folder = run("ping", database=f"sqlite:///{tmp_path / 'a-folder'}", tmp_path=tmp_path)
    assert folder.returncode == 1
    assert one_line(folder) == f"not ready: {tmp_path / 'a-folder'} is a folder, not a database file"
    missing = run("ping", database=f"sqlite:///{tmp_path / 'missing.db'}", tmp_path=tmp_path)
    assert missing.returncode == 1 and "does not exist" in one_line(missing)
    assert not (tmp_path / "missing.db").exists()  # a probe creates nothing
    sqlite3.connect(tmp_path / "empty.db").close()
    empty = run("ping", database=f"sqlite:///{tmp_path / 'empty.db'}", tmp_path=tmp_path)
    assert empty.returncode == 1
    assert one_line(empty) == "not ready: the database holds no Klynge schema; create it with `python -m klynge init --empty`"


# ------------------------------------------------------------------ what is not a regular file

def test_parse_and_import_refuse_a_named_pipe_without_opening_it(tmp_path):
    fifo = tmp_path / "rapport.txt"
    os.mkfifo(fifo)  # opening it for reading would wait for a writer forever
    parsed = run("parse", str(fifo), tmp_path=tmp_path, timeout=60)
    assert parsed.returncode == 1 and "Traceback" not in parsed.stderr
    assert f"  {fifo}: is a named pipe, not a regular file" in parsed.stderr.splitlines()
    url = f"sqlite:///{tmp_path / 'k.db'}"
    run("init", "--empty", database=url, tmp_path=tmp_path)
    imported = run("import", str(fifo), database=url, tmp_path=tmp_path, timeout=60)
    assert imported.returncode == 1
    assert f"  {fifo}: is a named pipe, not a regular file" in imported.stderr.splitlines()
    assert set(rows(url).values()) == {0}


@pytest.mark.parametrize(("path", "kind"), [("{tmp}", "a folder"), ("/dev/null", "a device")])
def test_parse_refuses_a_folder_and_a_device(path, kind, tmp_path):
    path = path.format(tmp=tmp_path)
    result = run("parse", path, tmp_path=tmp_path, timeout=60)
    assert result.returncode == 1
    assert f"  {path}: is {kind}, not a regular file" in result.stderr.splitlines()


# ------------------------------------------------------------------ nothing steers the terminal

def assert_escaped(*outputs: str) -> None:
    for output in outputs:
        assert "\x1b" not in output and "\x07" not in output, output


def test_names_with_control_characters_are_escaped_in_every_command(tmp_path):
    url = f"sqlite:///{tmp_path / 'k.db'}"
    run("init", "--empty", database=url, tmp_path=tmp_path)
    master = master_data(tmp_path / "master")
    clusters = (master / "clusters.csv").read_text(encoding="utf-8")
    (master / "clusters.csv").write_text(clusters.replace("Fjellhelse", HOSTILE), encoding="utf-8")
    imported = run("import", str(master), database=url, tmp_path=tmp_path)
    assert imported.returncode == 0, imported.stderr

    # A file name that steers the terminal, in the import's problems and its warnings.
    hostile_file = tmp_path / "rapporter\x1b[2J.csv"
    write_reports_csv(hostile_file, [example_values(members_total=99, cluster_name=HOSTILE),
                                     example_values(report_year=2024, new_jobs="-1")])
    rejected = run("import", str(hostile_file), database=url, tmp_path=tmp_path)
    assert rejected.returncode == 1 and "rapporter\\x1b[2J.csv, line 6: new_jobs: must not be negative" in rejected.stderr
    write_reports_csv(hostile_file, [example_values(members_total=99, cluster_name=HOSTILE),
                                     example_values(cluster_name="Ny\x1b[5mklynge")])
    warned = run("import", str(hostile_file), "--create-missing", "arena", database=url, tmp_path=tmp_path)
    assert warned.returncode == 0, warned.stderr
    assert "warning: " in warned.stdout and "rapporter\\x1b[2J.csv, line 2: members_total" in warned.stdout
    assert "clusters created: Ny\\x1b[5mklynge (id 3)" in warned.stdout

    checked = run("check", database=url, tmp_path=tmp_path)
    assert HOSTILE_SHOWN in checked.stdout
    qualified = run("qualify", "--year", "2023", database=url, tmp_path=tmp_path)
    assert HOSTILE_SHOWN in qualified.stdout
    as_json = run("qualify", "--year", "2023", "--json", database=url, tmp_path=tmp_path)
    assert HOSTILE in {row["cluster"] for row in json.loads(as_json.stdout)}  # the same data, written safely
    usage = run("check", "\x1b]0;pwned\x07", tmp_path=tmp_path)
    assert usage.returncode == 2
    assert_escaped(imported.stdout, rejected.stderr, warned.stdout, warned.stderr, checked.stdout, qualified.stdout,
                   as_json.stdout, usage.stderr)


def test_parse_escapes_the_names_it_prints(tmp_path):
    report = tmp_path / "kystmat\x1b[2J.txt"
    text = EXAMPLE.read_text(encoding="utf-8").replace("Navn:\nArena Kystmat", f"Navn:\n{HOSTILE}")
    report.write_text(text.replace("Totalt antall medlemmer:\n54", "Totalt antall medlemmer:\n55"), encoding="utf-8")
    plain = run("parse", str(report), tmp_path=tmp_path)
    assert plain.returncode == 0, plain.stderr
    assert HOSTILE_SHOWN in plain.stdout and "kystmat\\x1b[2J.txt" in plain.stdout  # the name, and the warning's file
    as_json = run("parse", str(report), "--json", tmp_path=tmp_path)
    assert json.loads(as_json.stdout)["cluster_name"] == HOSTILE
    broken = tmp_path / "broken\x1b[2J.txt"
    broken.write_text(text.replace("Totalt antall medlemmer:\n54", "Totalt antall medlemmer:\nfemti"), encoding="utf-8")
    rejected = run("parse", str(broken), tmp_path=tmp_path)
    assert rejected.returncode == 1 and "broken\\x1b[2J.txt" in rejected.stderr
    assert_escaped(plain.stdout, as_json.stdout, rejected.stderr)


def test_safe_json_escapes_what_json_dumps_leaves_raw():
    value = {"name": "a\x1bb\x9bc\u2028d\U000e0041e æøå"}
    text = cli.safe_json(value)
    assert all(char.isprintable() or char in "\n " for char in text)
    assert "æøå" in text and json.loads(text) == value


def test_an_export_to_a_terminal_is_escaped(in_process, tmp_path, monkeypatch):
    master = master_data(tmp_path / "master")
    clusters = (master / "clusters.csv").read_text(encoding="utf-8")
    (master / "clusters.csv").write_text(clusters.replace("Fjellhelse", HOSTILE), encoding="utf-8")
    write_reports_csv(tmp_path / "r.csv", [example_values(cluster_name=HOSTILE)])
    assert cli.main(["import", str(master), str(tmp_path / "r.csv"), "--database", in_process]) == 0

    class Terminal(io.TextIOWrapper):
        def isatty(self):
            return True

    terminal = Terminal(io.BytesIO(), encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", terminal)
    assert cli.main(["export", "--database", in_process]) == 0
    terminal.flush()
    shown = terminal.buffer.getvalue().decode("utf-8")
    assert HOSTILE_SHOWN in shown
    assert_escaped(shown)


def test_the_exit_codes_are_in_the_help():
    result = subprocess.run([sys.executable, "-m", "klynge", "--help"], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO_ROOT)}, timeout=60, check=False)
    assert "exit codes:" in result.stdout
    for code in sorted(set(cli.EXIT_CODES.values())):
        assert f"\n  {code} " in result.stdout, code

"""Shared fixtures. Database tests run on SQLite and on PostgreSQL; without a reachable
PostgreSQL they are skipped, except in CI (CI=true), where that is a failure."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from klynge.store.engine import ensure_schema, make_engine

REPO_ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
POSTGRES_URL = os.environ.get("KLYNGE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() == "true"
# Every chart a test draws is checked against the Vega-Lite schema (klynge/ui/drawing.py).
os.environ.setdefault("KLYNGE_CHECK_CHARTS", "1")

_postgres_state: dict[str, str | None] = {}


def _postgres_unavailable() -> str | None:
    """Why PostgreSQL cannot be used, or None when it can (asked once per run)."""
    if "reason" not in _postgres_state:
        try:
            engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 5})
            with engine.connect() as conn:
                conn.execute(text("select 1"))
            engine.dispose()
            _postgres_state["reason"] = None
        except Exception as error:  # noqa: BLE001 - any failure means "not reachable"
            _postgres_state["reason"] = f"PostgreSQL at {POSTGRES_URL} is not reachable: {error.__class__.__name__}: {error}"
    return _postgres_state["reason"]


def require_postgres() -> None:
    reason = _postgres_unavailable()
    if reason is not None:
        if IN_CI:
            pytest.fail(f"{reason} (CI=true: PostgreSQL tests must run, not skip)")
        pytest.skip(reason)


def postgres_schema_url(schema_name: str) -> str:
    return f"{POSTGRES_URL}?options=-csearch_path%3D{schema_name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """The URL of a new, empty database with the schema, on each engine in turn."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    require_postgres()
    schema_name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema_name}"'))
    try:
        yield postgres_schema_url(schema_name)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema_name}" CASCADE'))
        admin.dispose()


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    ensure_schema(engine)
    yield engine
    engine.dispose()

"""The Alembic environment of Klynge's schema. It runs only through `klynge.store.migrate`,
which passes the connection (already in a transaction) in `config.attributes["connection"]`."""

from __future__ import annotations

from alembic import context

from klynge.store.schema import metadata

if context.is_offline_mode():
    raise RuntimeError("Klynge's migrations run against a database, not as SQL scripts")

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run Klynge's migrations through klynge.store.migrate, which passes the connection")

context.configure(
    connection=connection,
    target_metadata=metadata,
    # SQLite can alter little in place; batch mode copies the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()

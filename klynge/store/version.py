"""The version of the data in a database: a small value for cache keys that changes with
every import.

Every write of data goes through `klynge.store.importer.import_paths`, which logs the import
in `import_log` in the same transaction as the rows it writes. So the import log, read in
one cheap query, tells whether the data have changed since it was last read.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import Engine, func, select

from klynge.store import schema

# How many of the newest import ids the version looks at. An import that commits after later
# ones (concurrent imports on PostgreSQL) still changes it, unless this many imports started
# after it, all while it was running.
WINDOW = 1000


class DataVersion(NamedTuple):
    last_import: int  # the highest import id; 0 before the first import
    imports: int  # how many imports are logged among the `WINDOW` newest ids
    finished_at: str  # when the last of those to finish did, ISO 8601; "" before the first


def data_version(engine: Engine) -> DataVersion:
    """The version of the committed data: equal on two reads only if no import was committed
    between them (`import_paths`, `load_demo`, `--skip-invalid` imports alike).

    - An import that commits changes it, whatever it wrote (even nothing new: an import of
      unchanged reports, or a `--skip-invalid` import whose every file was rejected, still
      logs itself). An import rejected as a whole (`RejectedInput`) writes nothing and leaves
      it as it was.
    - Two imports committing out of the order of their ids (PostgreSQL hands ids out at the
      start of the transaction) change it each: the count moves even when the highest id
      does not (see `WINDOW`).
    - A database built again from scratch (the demo file deleted and rebuilt: ids start at
      1 again) gets a version of its own, as the time of its import differs.
    - Changes made outside the importer (SQL by hand, a data migration) do not change it.

    One aggregate over the last `WINDOW` ids of `import_log`, read through its primary key:
    as cheap with a million imports logged as with ten.
    """
    log = schema.import_log.c
    newest = select(func.max(log.id)).scalar_subquery()
    query = select(func.max(log.id), func.count(), func.max(log.finished_at)).where(log.id > newest - WINDOW)
    with engine.connect() as conn:
        last, count, finished = conn.execute(query).one()
    return DataVersion(last or 0, count, "" if finished is None else _iso(finished))


def _iso(value) -> str:
    # PostgreSQL returns a datetime; SQLite may hand back its stored text instead.
    return value if isinstance(value, str) else value.isoformat()

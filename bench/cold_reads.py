"""A year's reads from a database file the OS no longer holds in memory, against the same
reads once it does, on a scale's SQLite database.

    python -m bench.cold_reads [--scale europe] [--database sqlite:///path/klynge.db]

The warm reruns of `bench/run.py` read each filter's years for the first time, and on a
machine that gives back file pages it has not used for a while (this one: `kdamond`, the
kernel's reclaim of cold memory, keeps a few hundred MB of files cached), a first read
goes to the disk. How far it goes depends on where a year's rows lie in the file
(`klynge.store.importer` writes a year's reports together). For each of the last four
years, this asks the kernel to drop the file from its cache (`posix_fadvise`, DONTNEED),
then times a year's reports with Medlemmer's fields and a year's register counts
(Kvalifisering's read) cold, and again at once warm; medians over the years.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from sqlalchemy import make_url

from bench import importing, scales
from klynge import metrics, qualification, queries
from klynge.domain import MEMBER_COUNT_FIELDS
from klynge.queries import Filter
from klynge.store.engine import make_engine


def _forget_file(path: str) -> None:
    """Ask the kernel to drop `path` (and SQLite's side files) from its page cache."""
    for name in (path, f"{path}-wal", f"{path}-shm"):
        if os.path.exists(name):
            descriptor = os.open(name, os.O_RDONLY)
            try:
                os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(descriptor)


def _ms(call) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=scales.SCALES, default="europe")
    parser.add_argument("--database", help="a SQLite URL (default: the scale's benchmark database)")
    args = parser.parse_args()
    url = args.database or importing.ensure_database(args.scale, "sqlite", scales.ensure_data(args.scale, print), print)
    path = make_url(url).database
    if make_url(url).get_backend_name() != "sqlite" or not path:
        raise SystemExit("bench.cold_reads needs a SQLite database file")
    engine = make_engine(url)
    last = queries.report_year_span(engine)[1]
    # What Medlemmer's first section reads (pages/medlemmer.py, FIGURES).
    fields = tuple(metrics.fields_for((*MEMBER_COUNT_FIELDS, "members_total", "partners_total", "steering_women_share",
                                       "mgmt_women_share")))
    reads = {
        "a year's reports, Medlemmer's fields": lambda year: queries.reports(engine, Filter(years=(year, year)), columns=fields),
        "a year's register counts, Kvalifisering's": lambda year: queries.register_counts(
            engine, Filter(years=(year, year)), extra=qualification.BESIDE_REGISTER),
    }
    print(f"{url}: medians over {last - 3}-{last}, ms")
    print(f"{'read':45} {'cold':>6} {'warm':>6}")
    for name, read in reads.items():
        cold, warm = [], []
        for year in range(last - 3, last + 1):
            engine.dispose()  # a new connection: SQLite's own page cache is empty too
            _forget_file(path)
            cold.append(_ms(lambda read=read, year=year: read(year)))
            warm.append(_ms(lambda read=read, year=year: read(year)))
        print(f"{name:45} {statistics.median(cold):6.0f} {statistics.median(warm):6.0f}")


if __name__ == "__main__":
    main()

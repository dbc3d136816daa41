"""The data-quality searches that the importer keeps (year_changes, register_mismatches,
suspect_member_names) against the same searches through every row, on a scale's database.

    python -m bench.quality_sql [--scale europe] [--engine sqlite|postgresql]

Prints, for each search, the median of 3 calls of the query function (SQL and the frame it
gives), kept and full scan, measured one after the other in the same process.
"""

from __future__ import annotations

import argparse
import statistics
import time

from bench import importing, scales
from klynge import encoding, queries
from klynge.domain import JUMP_FIELDS
from klynge.queries import Filter
from klynge.store.engine import make_engine


def _ms(call, runs: int = 3) -> float:
    call()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=scales.SCALES, default="europe")
    parser.add_argument("--engine", choices=scales.ENGINES, default="sqlite")
    args = parser.parse_args()
    url = importing.ensure_database(args.scale, args.engine, scales.ensure_data(args.scale, print), print)
    engine = make_engine(url)
    span = queries.report_year_span(engine)
    flt = Filter(years=(span[1] - 3, span[1]))
    searches = {
        "jumps (factor 3)": (lambda: queries.jump_candidates(engine, flt, JUMP_FIELDS, 3.0),
                             lambda: queries.jump_candidates_from_reports(engine, flt, JUMP_FIELDS, 3.0)),
        "register differences": (lambda: queries.register_differences(engine, flt),
                                 lambda: queries.register_differences(engine, flt, kept=False)),
        "garbled member names": (lambda: queries.member_register(engine, flt, suspect_names=True),
                                 lambda: queries.member_register(engine, flt, name_contains=tuple(encoding.MOJIBAKE_LEADS))),
    }
    print(f"{args.scale}, {args.engine}, years {flt.years[0]}-{flt.years[1]}")
    for name, (kept, scan) in searches.items():
        print(f"{name:<24} kept {_ms(kept):7.0f} ms   full scan {_ms(scan):7.0f} ms")


if __name__ == "__main__":
    main()

"""The reads that the importer keeps ready against the same reads through every row, on a
scale's database: the data-quality searches (year_changes, register_mismatches,
suspect_member_names) and the peers' medians of the cluster profile and the comparison
(level_middles, `klynge.peer_medians`).

    python -m bench.quality_sql [--scale europe] [--engine sqlite|postgresql]

Prints, for each read, the median of 3 calls of the query function (SQL and the frame it
gives), kept and full scan, measured one after the other in the same process; the
descriptions Internasjonalt opens on; and what keeping one year's middles again costs an
import of that year's reports.
"""

from __future__ import annotations

import argparse
import statistics
import time

from bench import importing, scales
from klynge import encoding, peer_medians, queries
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
    # The profile's and the comparison's defaults: the largest cluster of the last year, and it
    # with three more; their medians over every year.
    last = queries.reports(engine, Filter(years=(span[1], span[1])), columns=("members_total",))
    largest = tuple(int(c) for c in last.sort_values("members_total", ascending=False)["cluster_id"].head(4))
    for name, figures, exclude in (("peers' medians, profile", peer_medians.PROFILE_FIGURES, largest[:1]),
                                   ("peers' medians, compare", peer_medians.COMPARE_FIGURES, largest)):
        searches[name] = (lambda f=figures, e=exclude: peer_medians.level_medians(engine, span, f, e),
                          lambda f=figures, e=exclude: peer_medians.from_reports(engine, span, f, e))
    print(f"{args.scale}, {args.engine}, searches over {flt.years[0]}-{flt.years[1]}, medians over {span[0]}-{span[1]}")
    for name, (kept, scan) in searches.items():
        print(f"{name:<24} kept {_ms(kept):7.0f} ms   full scan {_ms(scan):7.0f} ms")
    texts = ("international_activities_new", "international_activities_description")
    print(f"descriptions, the newest 20 of {flt.years[0]}-{flt.years[1]} and their count: "
          f"{_ms(lambda: queries.report_texts(engine, flt, *texts, '', 20)):.0f} ms")
    print(f"keeping {span[1]}'s middles again (an import of its reports): {_ms(lambda: _refresh(engine, span[1])):.0f} ms")


def _refresh(engine, year: int) -> None:
    with engine.connect() as conn, conn.begin() as transaction:
        peer_medians.refresh(conn, {year})
        transaction.rollback()


if __name__ == "__main__":
    main()

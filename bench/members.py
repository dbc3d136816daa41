"""A members register of N rows imported into an empty database: rows per second and the
import's peak memory, at 100,000 and 1,000,000 rows, so that a growing peak shows.

    python -m bench.members [--rows 100000 1000000] [--engine sqlite|postgresql]

The file (one CSV, 200 clusters, valid organisation numbers) is made once per size in
bench/data/members-<rows>.csv. Each import runs in a child process of its own
(`python -m bench.members --child URL CSV`), whose peak resident memory is the figure.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import time
from pathlib import Path

from bench import scales
from bench.rss import peak_rss_mb

CLUSTERS = 200
TYPES = ("established", "startup", "rnd", "public", "investor", "innovation_company", "association", "cluster")


def _orgnr(n: int) -> str:
    """The n-th valid Norwegian organisation number from 800000000 (mod 11 check digit)."""
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    base = 80_000_000 + n
    while True:
        digits = [int(d) for d in str(base)]
        remainder = sum(w * d for w, d in zip(weights, digits)) % 11
        check = (11 - remainder) % 11
        if check != 10:
            return f"{base}{check}"
        base += 1_000_000  # a number whose check digit would be 10 is not issued: take another


def members_csv(rows: int) -> Path:
    """The CSV of `rows` memberships over CLUSTERS clusters (made once)."""
    path = scales.ROOT / "bench" / "data" / f"members-{rows}.csv"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["cluster_id", "orgnr", "name", "member_type", "core_member", "joined", "left"])
        for n in range(rows):
            member_type = TYPES[n % len(TYPES)]
            writer.writerow([1 + n % CLUSTERS, _orgnr(n), f"Medlem {n} AS", member_type,
                             "true" if member_type == "established" else "false",
                             f"{2010 + n % 15}-0{1 + n % 9}-1{n % 9}", "" if n % 7 else f"{2026}-01-01"])
    tmp.replace(path)
    return path


def clusters_csv() -> Path:
    path = scales.ROOT / "bench" / "data" / "members-clusters.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["cluster_id", "name"])
        writer.writerows([cid, f"Benchklynge {cid}"] for cid in range(1, CLUSTERS + 1))
    return path


def _child(url: str, clusters: str, members: str) -> None:
    from klynge.store.engine import ensure_schema, make_engine
    from klynge.store.importer import import_paths

    engine = make_engine(url)
    ensure_schema(engine)
    import_paths(engine, [clusters])
    start = time.perf_counter()
    result = import_paths(engine, [members])
    seconds = time.perf_counter() - start
    engine.dispose()
    print(json.dumps({"seconds": seconds, "members": result.members_written,
                      "peak_rss_mb": peak_rss_mb()}))


def measure(rows: int, engine: str, log=print) -> dict:
    """Import `rows` memberships into an empty database of `engine`; rows/s and peak memory."""
    members, clusters = members_csv(rows), clusters_csv()
    if engine == "sqlite":
        path = scales.ROOT / "bench" / "data" / f"members-{rows}.db"
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            stale.unlink(missing_ok=True)
        url, cleanup = f"sqlite:///{path}", lambda: [p.unlink(missing_ok=True) for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"))]
    else:
        from sqlalchemy import create_engine

        schema = f"bench_members_{rows}"
        admin = create_engine(scales.POSTGRES_URL)
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE; CREATE SCHEMA "{schema}"')

        def cleanup():
            with admin.begin() as conn:
                conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            admin.dispose()
        url = scales.postgres_url(schema)
    log(f"importing {rows:,} memberships into an empty {engine} database ...")
    try:
        done = subprocess.run([sys.executable, "-m", "bench.members", "--child", url, str(clusters), str(members)],
                              cwd=scales.ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"the import failed:\n{done.stderr[-3000:]}")
        child = json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        cleanup()
    return {"rows": rows, "members_written": child["members"], "seconds": round(child["seconds"], 2),
            "rows_per_s": round(rows / child["seconds"]), "peak_rss_mb": round(child["peak_rss_mb"])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--engine", choices=scales.ENGINES, default="sqlite")
    parser.add_argument("--child", nargs=3, metavar=("URL", "CLUSTERS", "MEMBERS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(*args.child)
        return 0
    results = [measure(rows, args.engine, lambda m: print(m, file=sys.stderr)) for rows in args.rows]
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Medians over several runs of the benchmark, as Markdown tables.

    for i in 1 2 3; do for e in sqlite postgresql; do
        python bench/run.py --scale europe --engine $e --json > runs/$e-$i.json; done; done
    python -m bench.summary runs/*.json

Per engine: each page's warm rerun, SQL floor, render floor, again and bare floors (medians
over the runs), the ratio of the warm rerun to the SQL floor plus the bare floor in each run,
and whether the median meets issue 15's targets at europe scale (at most 1.5 × (SQL floor +
bare floor), a SQL floor of at most 100 ms). Then the run-wide figures.
"""

from __future__ import annotations

import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path

SQL_BARE_TARGET = 1.5
SQL_FLOOR_TARGET_MS = 100


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _ms(value: float) -> str:
    return f"{value:,.0f}"


def tables(runs: list[dict]) -> str:
    by_engine: dict[str, list[dict]] = defaultdict(list)
    for run in runs:
        by_engine[f"{run['scale']}, {run['engine']}"].append(run)
    out = []
    for name, engine_runs in by_engine.items():
        pages: dict[str, list[dict]] = defaultdict(list)
        for run in engine_runs:
            for row in run["pages"]:
                pages[row["page"]].append(row)
        out += [f"#### {name} ({len(engine_runs)} runs; medians)", "",
                "| page | warm ms | SQL floor | render floor | again | bare | × (SQL + bare), each run | median | targets |",
                "| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |"]
        for page, rows in pages.items():
            ratios = [row["sql_bare_ratio"] for row in rows]
            sql = _median([row["floor_sql_ms"] for row in rows])
            ratio = _median(ratios)
            met = [f"≤ {SQL_BARE_TARGET} ×" if ratio <= SQL_BARE_TARGET else "",
                   f"SQL ≤ {SQL_FLOOR_TARGET_MS} ms" if sql <= SQL_FLOOR_TARGET_MS else f"SQL over {SQL_FLOOR_TARGET_MS} ms"]
            out.append(f"| {page} | {_ms(_median([row['warm_ms'] for row in rows]))} | {_ms(sql)} "
                       f"| {_ms(_median([row['floor_render_ms'] for row in rows]))} "
                       f"| {_ms(_median([row['again_ms'] for row in rows]))} | {_ms(_median([row['bare_ms'] for row in rows]))} "
                       f"| {', '.join(f'{r:.2f}' for r in ratios)} | {ratio:.2f} | {'; '.join(m for m in met if m)} |")
        out += ["", "| figure | median | each run |", "| --- | ---: | --- |"]
        for key, label in (("hello_ms", "hello_ms"), ("cold_start_s", "cold start, s"), ("peak_rss_mb", "peak memory, MB"),
                           ("speedup_vs_naive", "speed-up over read_sql + pandas")):
            values = [run[key] for run in engine_runs if run.get(key) is not None]
            if values:
                out.append(f"| {label} | {_median(values):,.2f} | {', '.join(f'{v:,.2f}' for v in values)} |")
        out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    paths = [Path(arg) for arg in (sys.argv[1:] if argv is None else argv)]
    if not paths:
        print(__doc__, file=sys.stderr)
        return 2
    print(tables([json.loads(path.read_text(encoding="utf-8")) for path in paths]))
    return 0


if __name__ == "__main__":
    sys.exit(main())

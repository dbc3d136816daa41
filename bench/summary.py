"""Medians over several runs of the benchmark, as Markdown tables.

    for i in 1 2 3; do for e in sqlite postgresql; do
        python bench/run.py --scale europe --engine $e --json > runs/$e-$i.json; done; done
    python -m bench.summary runs/*.json

Per scale and engine: each page's warm rerun, SQL floor, render floor, again and bare floors
(medians over the runs); its ratio to the floor of issue 15's target in each run (at national
scale × bare, with the largest × hello beside it; at europe scale × (SQL floor + bare floor))
and their median; the bound (bench/targets.py: SQL floor + again, over the same floor, the
median over the runs); and which targets the medians meet. Then the run-wide figures.
"""

from __future__ import annotations

import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path

from bench.targets import bound, checks


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _ms(value: float) -> str:
    return f"{value:,.0f}"


def _verdicts(rows: list[dict], scale: str) -> str:
    """Which of the targets the medians of a page's runs meet, and which they miss."""
    verdicts = []
    for label, key, most, unit in checks(scale):
        median = _median([row[key] for row in rows])
        verdicts.append(f"{label} {'≤' if median <= most else 'over'} {most}{unit}")
    return "; ".join(verdicts)


def tables(runs: list[dict]) -> str:
    by_engine: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for run in runs:
        by_engine[run["scale"], run["engine"]].append(run)
    out = []
    for (scale, engine), engine_runs in by_engine.items():
        national = scale == "national"
        ratio_key, ratio_name = ("bare_ratio", "× bare") if national else ("sql_bare_ratio", "× (SQL + bare)")
        pages: dict[str, list[dict]] = defaultdict(list)
        for run in engine_runs:
            for row in run["pages"]:
                if row.get("warm_ms") is not None:
                    pages[row["page"]].append(row)
        out += [f"#### {scale}, {engine} ({len(engine_runs)} runs; medians)", "",
                "| page | warm ms | SQL floor | render floor | again | bare | "
                + ("largest × hello | " if national else "")
                + f"{ratio_name}, each run | median | bound | targets |",
                "| --- | ---: | ---: | ---: | ---: | ---: | " + ("---: | " if national else "") + "--- | ---: | ---: | --- |"]
        for page, rows in pages.items():
            ratios = [row[ratio_key] for row in rows]
            medians = " | ".join(_ms(_median([row[key] for row in rows]))
                                 for key in ("warm_ms", "floor_sql_ms", "floor_render_ms", "again_ms", "bare_ms"))
            hello = f"{max(row['hello_ratio'] for row in rows):.1f} | " if national else ""
            out.append(f"| {page} | {medians} | {hello}{', '.join(f'{r:.2f}' for r in ratios)} | {_median(ratios):.2f} "
                       f"| {_median([bound(row, scale) for row in rows]):.2f} | {_verdicts(rows, scale)} |")
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

"""Where a page's warm rerun spends its time above Streamlit's own floor, in parts that add up:
`python -m bench.breakdown [--scale S] [--engine E] [--reruns N] [--pages a,b]`.

Each page (and each of its sections) is opened, then rerun after each of N of the benchmark's
filter changes, as `bench/run.py` times its warm reruns (the data cache is new to the filter,
nothing kept from drawing). Timers around the layers of the dashboard split each rerun's time,
each part without the parts inside it:

- `sql`: SQLAlchemy's `Connection.execute`: building the statement's SQL and the database's
  answer (at most what the benchmark's SQL floor measures, plus compiling);
- `layer`: the data layer's Python around it (`klynge.ui.data.QUERIES`: frames from rows,
  derived figures);
- `cache`: `st.cache_data` around the data layer (hashing the arguments, storing the answer);
- `version`: reading the data's version, once a rerun;
- `charts`: building chart specs (`klynge.ui.drawing`), `tables`: tables' texts and widths
  (`klynge.ui.components._layout`);
- `rest`: everything else: the page's own pandas and formatting, and Streamlit sending the
  elements. `bare` (bench/bare.py) is what Streamlit needs to send them; `own` = rest - bare.

Then the chart builders and the data-layer functions, by the time they took in all. The
timers cost a few microseconds a call; compare parts within one run. No profiler is involved,
so these are the times the code takes (pyinstrument overstates code of many small calls).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable

from bench import app, bare, warm

PARTS = ("sql", "layer", "cache", "version", "charts", "tables")


class Timers:
    """Exclusive time per part, per page, from wrappers that may nest."""

    def __init__(self):
        self.page = "?"
        self.seconds: dict[tuple[str, str], float] = defaultdict(float)
        self.calls: dict[tuple[str, str], list] = defaultdict(lambda: [0, 0.0])  # (part, name): [calls, seconds]
        self._stack: list[list[float]] = []  # per open timer: the time of the timers inside it

    def wrap(self, part: str, function: Callable, name: Callable[..., str] | None = None) -> Callable:
        def timed(*args, **kwargs):
            self._stack.append([0.0])
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent = time.perf_counter() - start
                inner = self._stack.pop()[0]
                self.seconds[(self.page, part)] += spent - inner
                if self._stack:
                    self._stack[-1][0] += spent
                if name is not None:
                    counted = self.calls[(part, name(*args, **kwargs))]
                    counted[0] += 1
                    counted[1] += spent - inner

        return timed


def install(timers: Timers) -> None:
    """Put the timers around the dashboard's layers (for the life of the process)."""
    from sqlalchemy.engine import Connection

    from klynge.ui import components, data, drawing

    Connection.execute = timers.wrap("sql", Connection.execute)
    data._cached = timers.wrap("cache", data._cached)
    data._version = timers.wrap("version", data._version)
    for key, function in list(data.QUERIES.items()):
        data.QUERIES[key] = timers.wrap("layer", function, name=lambda *args, _key=key, **kwargs: _key)
    drawing._spec = timers.wrap("charts", drawing._spec, name=lambda name, *args, **kwargs: name.rsplit(".", 1)[-1])
    components._layout = timers.wrap("tables", components._layout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    app.database_arguments(parser)
    parser.add_argument("--reruns", type=int, default=3, help="filter changes per page (1-10)")
    parser.add_argument("--pages", default="", help="url paths, comma-separated (default: every page)")
    args = parser.parse_args()
    url = app.serve_bench_database(args.scale, args.engine)
    import streamlit as st

    from klynge import queries
    from klynge.store.engine import make_engine
    from klynge.ui.kept import forget
    from klynge.ui.pages import PAGES

    timers = Timers()
    install(timers)
    options = queries.filter_options(make_engine(url))
    wanted = {page for page in args.pages.split(",") if page}
    at = app.new_app()
    at.run()
    rows = []
    for spec in PAGES:
        if wanted and spec.url_path not in wanted:
            continue
        sections: list | None = None
        while True:
            section = sections.pop(0) if sections else None
            own, changes = app.changes_for(spec.url_path, options, args.reruns)
            st.cache_data.clear()
            errors = app.open_page(at, spec, options, own) + (warm.open_section(at, spec, section[1]) if section else [])
            name = spec.url_path + (f"/{section[0]}" if section else "")
            totals = []
            timers.page = name
            for change in changes:
                change.apply(at)
                forget()
                start = time.perf_counter()
                at.run()
                totals.append(time.perf_counter() - start)
                errors += app.errors(at)
            timers.page = "?"
            if errors:
                sys.exit(f"{name}: {'; '.join(sorted(set(errors)))}")
            bare_ms, _ = bare.bare_ms(at, args.reruns)
            parts = {part: timers.seconds[(name, part)] / len(changes) * 1000 for part in PARTS}
            warm_ms = sum(totals) / len(totals) * 1000
            rest = warm_ms - sum(parts.values())
            rows.append({"page": name, **parts, "rest": rest, "bare": bare_ms, "own": rest - bare_ms, "warm": warm_ms,
                         "median": statistics.median(totals) * 1000})
            print(f"  {name}: {warm_ms:.0f} ms", file=sys.stderr, flush=True)
            if sections is None:
                sections = warm.sections_of(at, spec)
            if not sections:
                break
    print_table(rows, timers, args)


def print_table(rows: list[dict], timers: Timers, args) -> None:
    columns = (*PARTS, "rest", "bare", "own", "warm")
    print(f"Warm reruns at {args.scale} scale on {args.engine}, mean ms of {args.reruns} filter changes per page")
    print(f"{'page':<30}" + "".join(f"{column:>9}" for column in columns))
    for row in rows:
        print(f"{row['page']:<30}" + "".join(f"{row[column]:>9.1f}" for column in columns))
    print(f"{'all pages':<30}" + "".join(f"{sum(row[column] for row in rows):>9.1f}" for column in columns))
    for part, title in (("charts", "chart builders"), ("layer", "data-layer functions")):
        print(f"\n{title} (every call, the pages' openings included): calls, ms a call, ms in all")
        found = sorted(((name, calls, seconds) for (kind, name), (calls, seconds) in timers.calls.items() if kind == part),
                       key=lambda item: -item[2])
        for name, calls, seconds in found:
            print(f"  {name:<40}{calls:>6}{seconds / calls * 1000:>9.2f}{seconds * 1000:>10.1f}")


if __name__ == "__main__":
    main()

"""The warm process: every page's filter changes beside their two floors, the dashboard's
peak memory, and the naive approach.

Run by bench/run.py as a child process (`python -m bench.warm URL RERUNS`), with
KLYNGE_DATABASE_URL set; prints one JSON object. Two AppTest sessions run side by side, each
as one browser session would: `warm` on the real data layer, `floor` on precomputed answers.
For each page in PAGES the data cache is cleared and both sessions open the page with every
filter at its default (untimed). Then, for each of the page's filter changes, back to back
(so that the three figures see the same load on a shared machine):

1. warm: the change, one timed rerun of `warm`. Meanwhile the SQL statements the data layer
   sends (a `before_cursor_execute` listener) are recorded, and so are the calls the pages
   make into `klynge.ui.data`, with their answers.
2. floor SQL: those statements, executed raw on a DBAPI connection of the same engine,
   every row fetched.
3. floor render: the same change, one timed rerun of `floor`, in which `klynge.ui.data`'s
   functions return the answers recorded in 1 (precomputed) instead of asking the database,
   and nothing is kept from the warm rerun's drawing (`klynge.ui.kept.forget`, called before
   the warm rerun too): both build the page's charts and tables from the data.
4. again: `floor` once more, unchanged: the same view seen again, its charts and tables kept
   (a second reader of the view, a return to it, a widget that leaves the data as they were).

Beside them, the floors of Streamlit itself (bench/bare.py): before each page, `hello_ms`, a
page of one chart and one 100-row table; after its reruns, `bare_ms`, the page's last rerun's
elements sent again from specs and frames built in advance.

The peak resident memory is read when every page has run: the dashboard's working set, plus
at most one rerun's answers held for its floor.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from dataclasses import dataclass, field

from sqlalchemy import Engine, event

from bench import app, bare
from bench.naive import compare
from bench.rss import peak_rss_mb


def _key(name: str, args: tuple, kwargs: dict):
    key = (name, args, tuple(sorted(kwargs.items())))
    try:
        hash(key)
        return key
    except TypeError:
        return repr(key)


class DataLayer:
    """Wraps the public functions of klynge.ui.data: records the calls a page makes (not
    the calls those functions make to each other) with their answers, or answers them from
    a table."""

    def __init__(self):
        from klynge.ui import data

        self.originals = {name: value for name, value in vars(data).items()
                          if not name.startswith("_") and callable(value) and not isinstance(value, type)
                          and getattr(value, "__module__", None) == data.__name__}
        self.depth = 0
        self.recording = False
        self.recorded: dict = {}
        self.answers: dict | None = None
        self.unanswered = 0
        for name in self.originals:
            setattr(data, name, self._wrap(name))

    def _wrap(self, name: str):
        original = self.originals[name]

        def call(*args, **kwargs):
            key = _key(name, args, kwargs) if self.depth == 0 else None
            if key is not None and self.answers is not None:
                if key in self.answers:
                    return self.answers[key]
                self.unanswered += 1
            self.depth += 1
            try:
                answer = original(*args, **kwargs)
            finally:
                self.depth -= 1
            if key is not None and self.recording:
                self.recorded[key] = answer
            return answer

        return call

    def record(self) -> None:
        self.recorded, self.recording = {}, True

    def take(self) -> dict:
        self.recording = False
        taken, self.recorded = self.recorded, {}
        return taken


class Statements:
    """Records the SQL statements every engine sends while `on`."""

    def __init__(self):
        self.on = False
        self.engine: Engine | None = None
        self.recorded: list = []
        event.listen(Engine, "before_cursor_execute", self._seen)

    def _seen(self, conn, cursor, statement, parameters, context, executemany):
        if self.on:
            self.engine = self.engine or conn.engine
            self.recorded.append((statement, parameters, executemany))

    def record(self) -> None:
        self.recorded, self.on = [], True

    def take(self) -> list:
        self.on = False
        taken, self.recorded = self.recorded, []
        return taken

    def time_raw(self, statements: list) -> float:
        """Seconds to execute `statements` straight on a DBAPI connection, fetching every row."""
        if not statements or self.engine is None:
            return 0.0
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            start = time.perf_counter()
            for statement, parameters, many in statements:
                if many:
                    cursor.executemany(statement, parameters)
                else:
                    cursor.execute(statement, parameters)
                if cursor.description is not None:
                    cursor.fetchall()
            seconds = time.perf_counter() - start
            cursor.close()
            raw.rollback()
            return seconds
        finally:
            raw.close()


@dataclass
class Rerun:
    change: app.Change
    warm: float
    floor_sql: float
    floor_render: float
    again: float
    statements: int
    data_calls: int
    unanswered: int


@dataclass
class PageRuns:
    spec: object
    section: str | None = None  # the code of the section (tab) measured, after the page's first
    reruns: list[Rerun] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    hello: float | None = None  # ms, measured just before the page's reruns
    bare: float | None = None  # ms, its last rerun's elements sent again (bench/bare.py)
    not_replayed: list[str] = field(default_factory=list)


def _timed(at) -> float:
    start = time.perf_counter()
    at.run()
    return time.perf_counter() - start


def sections_of(at, spec) -> list[tuple[str, str]]:
    """(code, label) of each section (tab) of the page of `spec` after the one it opens on, as
    the page `at` shows now has them (bokmål, the benchmark's language)."""
    from klynge.ui.catalogue_nb import NB

    codes = {text: key.removeprefix("tab.") for key, text in NB.items() if key.startswith("tab.")}
    return [(codes[tab.label], tab.label) for tab in list(at.tabs)[1:]]


def open_section(at, spec, label: str) -> list[str]:
    """Open the section `label` of the page `at` shows, as a click on its tab (untimed)."""
    from klynge.ui.components import sections_key

    at.session_state[sections_key(spec.url_path)] = label
    at.run()
    return app.errors(at)


def measure_page(spec, options, reruns: int, warm_at, floor_at, layer: DataLayer, statements: Statements,
                 section: tuple[str, str] | None = None) -> PageRuns:
    """The page's filter changes; on a page with sections, with `section` (code, label) open,
    else the one it opens on."""
    import streamlit as st

    from klynge.ui.kept import forget

    runs = PageRuns(spec, section[0] if section else None, hello=bare.hello_ms(5))
    if not app.page_exists(spec.path):
        runs.errors.append(f"{spec.path} does not exist")
        return runs
    own_baseline, changes = app.changes_for(spec.url_path, options, reruns)
    st.cache_data.clear()
    try:
        runs.errors += app.open_page(warm_at, spec, options, own_baseline) + app.open_page(floor_at, spec, options, own_baseline)
        if section is not None:
            runs.errors += open_section(warm_at, spec, section[1]) + open_section(floor_at, spec, section[1])
    except Exception as error:  # noqa: BLE001 - a broken page is reported, the others still run
        runs.errors.append(f"opening the page: {error!r}")
        return runs
    for change in changes:
        change.apply(warm_at)
        forget()  # both the warm rerun and its floor draw the page from its data, nothing kept
        layer.record()
        statements.record()
        warm = _timed(warm_at)
        sent, answers = statements.take(), layer.take()
        runs.errors += app.errors(warm_at)
        floor_sql = statements.time_raw(sent)
        change.apply(floor_at)
        layer.answers, layer.unanswered = answers, 0
        try:
            forget()
            floor_render = _timed(floor_at)
            again = _timed(floor_at)  # the same view once more: its charts and tables kept
        finally:
            layer.answers = None
        runs.errors += app.errors(floor_at)
        runs.reruns.append(Rerun(change, warm, floor_sql, floor_render, again, len(sent), len(answers), layer.unanswered))
    if runs.reruns:
        runs.bare, runs.not_replayed = bare.bare_ms(warm_at, len(runs.reruns))
    return runs


def _ms(values) -> float:
    return statistics.median(values) * 1000


def summarise(runs: PageRuns) -> dict:
    name = runs.spec.url_path + (f"/{runs.section}" if runs.section else "")
    out: dict = {"page": name, "path": runs.spec.path, "section": runs.section}
    if runs.reruns:
        warm, sql, render, again = (_ms(getattr(r, name) for r in runs.reruns)
                                    for name in ("warm", "floor_sql", "floor_render", "again"))
        out.update(warm_ms=warm, floor_sql_ms=sql, floor_render_ms=render, ratio=warm / (sql + render), again_ms=again,
                   hello_ms=runs.hello, bare_ms=runs.bare, not_replayed=sorted(set(runs.not_replayed)),
                   hello_ratio=warm / runs.hello, bare_ratio=warm / runs.bare, sql_bare_ratio=warm / (sql + runs.bare),
                   warm_max_ms=max(r.warm for r in runs.reruns) * 1000,
                   reruns=[{"change": r.change.label, "warm_ms": r.warm * 1000, "floor_sql_ms": r.floor_sql * 1000,
                            "floor_render_ms": r.floor_render * 1000, "again_ms": r.again * 1000, "statements": r.statements,
                            "data_calls": r.data_calls, "unanswered_calls": r.unanswered} for r in runs.reruns])
    if runs.errors:
        out["errors"] = sorted(set(runs.errors))
    return out


def naive_filters(options) -> list:
    """The filters of the ten sidebar changes, for the overview's per-level sums."""
    from klynge.queries import Filter

    out = []
    for change in app.sidebar_changes(options):
        values = {key: value for _, key, value in change.widgets}
        out.append(Filter(levels=tuple(values["niva"]), years=(values["fra"], values["til"]), regions=tuple(values["fylke"])))
    return out


def main(url: str, reruns: int) -> None:
    app.like_a_server()
    app.quiet_streamlit()
    from klynge import queries
    from klynge.store.engine import make_engine
    from klynge.ui.pages import PAGES

    engine = make_engine(url)
    options = queries.filter_options(engine)
    layer, statements = DataLayer(), Statements()
    warm_at, floor_at = app.new_app(), app.new_app()
    warm_at.run()
    floor_at.run()
    pages = []
    for spec in PAGES:
        # The view a page opens on, then each of its other sections (tabs drawn only when open).
        sections = None
        while True:
            section = sections.pop(0) if sections else None
            runs = measure_page(spec, options, reruns, warm_at, floor_at, layer, statements, section)
            pages.append(summarise(runs))
            shown = f"{pages[-1]['warm_ms']:.0f} ms, ratio {pages[-1]['ratio']:.2f}" if runs.reruns else "; ".join(runs.errors)
            print(f"  {pages[-1]['page']}: {shown}", file=sys.stderr, flush=True)
            if sections is None:
                sections = sections_of(warm_at, spec)
            if not sections:
                break
    peak = peak_rss_mb()
    naive = compare(engine, naive_filters(options))
    print(json.dumps({"peak_rss_mb": peak, "pages": pages, "naive": naive}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))

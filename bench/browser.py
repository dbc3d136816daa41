"""A new visitor's first page in Chromium, beside a bare Streamlit app's, in one run.

Two servers run side by side: the dashboard on the scale's database, and a bare Streamlit
app of one Altair chart (bench/bare.py's hello page). For each of `ROUNDS` rounds, taken in
turn so that both see the same load, a fresh browser context (a new visitor: no cookies,
no cache, a new Streamlit session) opens:

- the dashboard's overview, timed from navigation until its key figures are drawn (the
  tiles' values are in the page); then until every chart is drawn;
- the bare app, timed from navigation until its chart is drawn.

The medians and their ratio (target: dashboard key figures <= 2 x the bare app's chart) are
the figures; the servers are started once and warmed by one untimed visit each, as a server
that has run a while is (its first visitor pays for imports, not the visitors after).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from klynge.devtools import CHARTS_DRAWN, launch_chromium, streamlit_server

ROUNDS = 5
TIMEOUT_MS = 120_000
BARE_APP = """
import sys
sys.path.insert(0, {root!r})
import altair as alt
import streamlit as st
from bench.bare import hello_frame

st.title("Bare")
frame = hello_frame()
st.altair_chart(alt.Chart(frame).mark_bar().encode(x="category:N", y="value:Q"), width="stretch")
"""
KEY_FIGURES = "[data-testid=stMetricValue]"


def _visit(browser, url: str, ready: str, function: bool = False) -> float:
    """Seconds from navigation in a new context until `ready` (a selector, or with
    `function` a JavaScript predicate) holds."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
        if function:
            page.wait_for_function(ready, timeout=TIMEOUT_MS)
        else:
            page.wait_for_selector(ready, timeout=TIMEOUT_MS)
        return time.perf_counter() - start
    finally:
        context.close()


CHART_DRAWN = "() => document.querySelector('[data-testid=stVegaLiteChart] svg.marks, [data-testid=stVegaLiteChart] canvas.marks')"
ALL_DRAWN = f"() => document.querySelector('{KEY_FIGURES}') && ({CHARTS_DRAWN})()"


def measure(url: str, root: Path, log=print) -> dict:
    """The first-page figures of the dashboard on the database at `url`."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "bare_app.py"
        script.write_text(BARE_APP.format(root=str(root)), encoding="utf-8")
        with streamlit_server(env={"KLYNGE_DATABASE_URL": url}) as dashboard, streamlit_server(script=script) as bare, \
                sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            _visit(browser, dashboard.url, KEY_FIGURES)  # untimed: the server's first session imports
            _visit(browser, bare.url, CHART_DRAWN, function=True)
            figures, drawn, bare_times = [], [], []
            for round_ in range(ROUNDS):
                figures.append(_visit(browser, dashboard.url, KEY_FIGURES))
                drawn.append(_visit(browser, dashboard.url, ALL_DRAWN, function=True))
                bare_times.append(_visit(browser, bare.url, CHART_DRAWN, function=True))
                log(f"  round {round_ + 1}: key figures {figures[-1] * 1000:.0f} ms, all drawn {drawn[-1] * 1000:.0f} ms, "
                    f"bare app {bare_times[-1] * 1000:.0f} ms")
            browser.close()
    key_ms, all_ms, bare_ms = (statistics.median(values) * 1000 for values in (figures, drawn, bare_times))
    return {"key_figures_ms": key_ms, "all_drawn_ms": all_ms, "bare_app_ms": bare_ms, "ratio": key_ms / bare_ms,
            "rounds": ROUNDS}

"""The programme report's build time (issue 14): `python -m klynge report` at the run's scale,
the whole programme at national scale and one level (Arena Pro) at europe scale, as a PDF and
as slides, three builds each in one process after a first that warms the imports.

    python -m bench.report URL SCALE    (prints one JSON object; bench/run.py runs it)
"""

from __future__ import annotations

import json
import statistics
import sys
import time

ROUNDS = 3
EUROPE_LEVEL = "arena_pro"


def measure(url: str, scale: str) -> dict:
    from streamlit import logger as streamlit_logger

    streamlit_logger.set_log_level("error")
    from klynge import queries
    from klynge.programme_report import render
    from klynge.queries import Filter
    from klynge.store.engine import make_engine

    engine = make_engine(url)
    year = queries.report_year_span(engine)[1]
    flt = Filter(levels=(EUROPE_LEVEL,)) if scale == "europe" else Filter()
    render.report(engine, year, flt, "nb", "pdf")  # the imports, the fonts, vl-convert's engine
    result: dict = {"year": year, "levels": list(flt.levels) or "all"}
    for kind in ("pdf", "pptx"):
        times, size = [], 0
        for _ in range(ROUNDS):
            started = time.perf_counter()
            report, data = render.report(engine, year, flt, "nb", kind)
            times.append(time.perf_counter() - started)
            size = len(data)
        result[f"{kind}_s"] = round(statistics.median(times), 2)
        result[f"{kind}_kb"] = round(size / 1024)
        result["charts"] = len(report.charts)
    engine.dispose()
    return result


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1], sys.argv[2])))

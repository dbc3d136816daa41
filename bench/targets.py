"""Issue 15's targets for a page's warm rerun, against Streamlit's own floors (bench/bare.py),
measured as ratios in one run; read by bench/run.py and bench/summary.py."""

HELLO_TARGET = 20  # national scale: at most 20 hello pages
BARE_TARGET = 2.0  # national scale: at most 2 bare replays of the page's own elements
SQL_BARE_TARGET = 1.5  # europe scale: at most 1.5 x (SQL floor + bare floor)
SQL_FLOOR_TARGET_MS = 100  # europe scale, either engine
BROWSER_TARGET = 2.0  # a new visitor's key figures against a bare app's chart


def floor_ms(page: dict, scale: str) -> float:
    """The floor the page's warm rerun is held to: its bare replay at national scale, its SQL
    floor plus its bare replay at europe scale."""
    return page["bare_ms"] if scale == "national" else page["floor_sql_ms"] + page["bare_ms"]


def bound(page: dict, scale: str) -> float:
    """The least multiple of the floor the page could reach while its own shaping of the data
    stays as it is: its SQL run raw (reading rows into frames and caching them free) plus its
    `again` rerun (the data given, every chart and table kept, so only the page's own work
    on its frames and Streamlit's sending are left), over the floor. Above the target, no
    speed-up of the data layer, the chart specs or the table layouts meets it alone."""
    return (page["floor_sql_ms"] + page["again_ms"]) / floor_ms(page, scale)


def checks(scale: str) -> tuple[tuple[str, str, float, str], ...]:
    """The targets of a page at `scale`: (what is held, the page's figure, its most, unit)."""
    if scale == "national":
        return ("× hello", "hello_ratio", HELLO_TARGET, ""), ("× bare", "bare_ratio", BARE_TARGET, "")
    return ("× (SQL + bare)", "sql_bare_ratio", SQL_BARE_TARGET, ""), ("SQL", "floor_sql_ms", SQL_FLOOR_TARGET_MS, " ms")


def met(page: dict, scale: str) -> bool:
    return all(page[key] <= most for _, key, most, _ in checks(scale))

"""Tables and links in Chromium: a number column with gaps sorts by value when its header is
clicked (the gap first going up, last going down); a table cut off at the page's edge says
that it scrolls, and says nothing once the window is wide enough; a profile link follows a
filter changed on the same page, the language included."""

from __future__ import annotations

import math
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from klynge import queries
from klynge.devtools import APP_READY, open_section, page_url
from klynge.store.engine import make_engine
from klynge.ui.catalogue_en import EN
from klynge.ui.catalogue_nb import NB
from klynge.ui.components import slug
from klynge.ui.pages import PAGES
from tests.browser.conftest import open_app, screenshot

MEMBERS = next(spec for spec in PAGES if spec.url_path == "medlemmer")
OVERVIEW = next(spec for spec in PAGES if spec.url_path == "oversikt")
HEADER_Y = 18  # the middle of a grid's header row, from its top
SECTOR = "Havteknologi"
FROM_YEAR = "2020"


@pytest.fixture(scope="module")
def last_year(demo_database) -> int:
    engine = make_engine(demo_database)
    try:
        return queries.filter_options(engine).years[-1]
    finally:
        engine.dispose()


def grid_after(page, key: str):
    """The cue with `key` and the dataframe right after it."""
    cue = page.locator(f".st-key-{key}")
    return cue, cue.locator("xpath=following::*[@data-testid='stDataFrame'][1]")


def header_tooltip(page) -> str:
    tips = page.locator("[data-testid=stDataFrameTooltipContent]")
    return tips.first.inner_text().strip() if tips.count() else ""


def click_header(page, grid, label: str) -> None:
    """Click the header of the column named `label` (its help tooltip names it), scrolling the
    grid sideways to reach it: the grid draws on a canvas, so the header is found by pointing
    at it, from the right (the figures are the last columns)."""
    for left in (100_000, 0):  # scrolled to the far right, then as the page shows it
        scroll(page, grid, left=left, top=0)
        box = grid.bounding_box()
        inside = header_span(page, box, label)
        if inside:
            # The middle of the header: its right end holds the column's menu.
            x = (min(inside) + max(inside)) / 2
            # away first, so that the click comes before the tooltip, which would take it
            page.mouse.move(box["x"] + x, box["y"] - 60)
            page.wait_for_timeout(300)
            page.mouse.click(box["x"] + x, box["y"] + HEADER_Y)
            page.wait_for_timeout(600)
            return
    raise AssertionError(f"no header named {label!r}")


def header_span(page, box, label: str) -> list[int]:
    """Where along the header (pixels from the grid's left edge, every 30) the pointer is over
    the column `label`, pointing from the right edge leftwards and no further than its left end."""
    inside = []
    for x in range(int(box["width"]) - 10, 10, -30):
        if pointing_at(page, box, x) == label:
            inside.append(x)
        elif inside:
            break
    return inside


def pointing_at(page, box, x: float) -> str:
    """The header under the pointer at `x` pixels from the grid's left edge."""
    page.mouse.move(box["x"] + x, box["y"] + HEADER_Y)
    page.wait_for_timeout(750)  # the grid's tooltip delay
    return header_tooltip(page)


def scroll(page, grid, left: int | None = None, top: int | None = None, down: int = 0) -> None:
    """Scroll the grid itself (a wheel at its edge would scroll the page instead)."""
    grid.locator(".dvn-scroller").evaluate("""(scroller, [left, top, down]) => {
        if (left !== null) scroller.scrollLeft = left;
        if (top !== null) scroller.scrollTop = top;
        scroller.scrollTop += down;
    }""", [left, top, down])
    page.wait_for_timeout(300)


def column_values(page, grid, label: str) -> list[str]:
    """The values of the column `label`, row by row as the grid orders them, read from the
    grid's accessible table (the data's values, not the shown texts), scrolling it down."""
    scroll(page, grid, left=100_000, top=0)  # the column is the last but one
    rows: dict[int, str] = {}
    for _ in range(40):
        found = grid.evaluate("""(grid, label) => {
            const headers = [...grid.querySelectorAll('table[role=grid] th')];
            const header = headers.find(th => th.textContent.trim().endsWith(label));  // after a sort, an arrow first
            if (!header) return null;
            const column = header.getAttribute('aria-colindex');
            const total = Number(grid.querySelector('table[role=grid]').getAttribute('aria-rowcount')) - 1;
            const cells = [...grid.querySelectorAll(`table[role=grid] tbody tr`)].map(tr => [
                Number(tr.getAttribute('aria-rowindex')),
                (tr.querySelector(`td[aria-colindex="${column}"]`) || {textContent: null}).textContent]);
            return {total, cells};
        }""", label)
        assert found is not None, f"the grid shows no column {label!r}"
        rows.update({index: text for index, text in found["cells"] if text is not None})
        if len(rows) >= found["total"]:
            break
        scroll(page, grid, down=200)
    return [rows[index] for index in sorted(rows)]


def as_numbers(values: list[str]) -> list[float]:
    """The values as numbers, a gap as NaN (the grid holds it as -inf, or as nothing)."""
    numbers = [math.nan if value.strip() == "" else float(value) for value in values]
    return [math.nan if number == -math.inf else number for number in numbers]


def test_a_number_column_with_gaps_sorts_by_value_and_a_cut_off_table_says_it_scrolls(page, demo_server, last_year):
    open_app(page, page_url(demo_server.url, MEMBERS))
    open_section(page, NB["tab.partners_gender"])
    label = NB["figure.mgmt_women_share"]
    cue, grid = grid_after(page, f"scroll-{slug(NB['members.gender_file'].format(year=last_year))}")
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    # The table is cut off at the page's edge, and says so.
    assert grid.locator(".dvn-scroller").evaluate("scroller => scroller.scrollWidth > scroller.clientWidth + 20")
    assert cue.is_visible() and cue.inner_text().strip() == NB["table.scroll"]

    before = as_numbers(column_values(page, grid, label))
    assert any(math.isnan(value) for value in before) and len(before) > 10
    click_header(page, grid, label)
    rising = as_numbers(column_values(page, grid, label))
    screenshot(page, "tables-sorted-up")
    click_header(page, grid, label)
    falling = as_numbers(column_values(page, grid, label))
    screenshot(page, "tables-sorted-down")

    numbers = sorted(value for value in before if not math.isnan(value))
    gaps = len(before) - len(numbers)
    # By value, not as text, with the gaps together at one end.
    for order, expected in ((rising, numbers), (falling, numbers[::-1])):
        present = [value for value in order if not math.isnan(value)]
        assert present == expected
        missing = [index for index, value in enumerate(order) if math.isnan(value)]
        assert missing in (list(range(gaps)), list(range(len(order) - gaps, len(order))))

    # Wide enough for the table, the window shows no cue.
    page.set_viewport_size({"width": 2600, "height": 900})
    page.wait_for_timeout(500)
    assert not cue.is_visible()


def profile_query(page) -> dict[str, list[str]]:
    """The query of the first profile link the page's tables hold, read from the grid's
    accessible table (which holds the addresses, for the columns in view)."""
    page.wait_for_selector("[data-testid=stDataFrame] table[role=grid] td", state="attached")
    link = None
    for _ in range(10):  # the grids draw after the script has run
        for grid in page.locator("[data-testid=stDataFrame]").all():
            grid.scroll_into_view_if_needed()
            scroll(page, grid, left=100_000, top=0)  # the links are the last column
            link = link or grid.evaluate("""grid => {
                const cell = [...grid.querySelectorAll('table[role=grid] td')].find(td => td.textContent.startsWith('klyngeprofil?'));
                return cell ? cell.textContent : null;
            }""")
        if link:
            break
        page.wait_for_timeout(500)
    assert link, "no profile link on the page"
    parts = urlsplit(link)
    assert parts.path == "klyngeprofil"
    return parse_qs(parts.query)


def sector_filter(page):
    return page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").filter(
        has_text=re.compile(f"^({EN['filters.sectors']}|{NB['filters.sectors']})"))


def test_a_profile_link_follows_a_filter_changed_on_the_same_page(page, demo_server):
    open_app(page, page_url(demo_server.url, OVERVIEW, "lang=en"))
    open_section(page, EN["tab.clusters"])
    first = profile_query(page)
    assert first.get("lang") == ["en"] and "sektor" not in first, first
    sectors = sector_filter(page)
    sectors.locator("input").click()
    sectors.locator("input").fill(EN[f"sector.{SECTOR}"][:5])
    page.get_by_role("option").filter(has_text=EN[f"sector.{SECTOR}"]).first.wait_for()  # in English
    page.keyboard.press("Escape")

    # In bokmål (a filter changed on a page in English loses the language: see the report of
    # the tables helper), a sector picked on the page reaches the links at once.
    open_app(page, page_url(demo_server.url, OVERVIEW, f"fra={FROM_YEAR}"))
    open_section(page, NB["tab.clusters"])  # the section stays open when the filter changes
    sectors = sector_filter(page)
    sectors.locator("input").click()
    sectors.locator("input").fill(NB[f"sector.{SECTOR}"])
    page.get_by_role("option").filter(has_text=NB[f"sector.{SECTOR}"]).first.click()
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(rf"[?&]sektor={SECTOR}(&|$)"))  # the URL keeps the stored name
    page.wait_for_selector(APP_READY)
    page.wait_for_timeout(800)
    query = profile_query(page)
    assert query.get("sektor") == [SECTOR] and query.get("fra") == [FROM_YEAR], query
    # and the link opens the same view
    open_app(page, page_url(demo_server.url, OVERVIEW, f"lang=en&sektor={SECTOR}"))
    assert EN[f"sector.{SECTOR}"] in sector_filter(page).locator("[data-testid=stMultiSelectTagsContainer]").inner_text()


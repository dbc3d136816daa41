"""Drill-down in Chromium: a click on a median, a dot or a bar lists the reports behind it,
and the list's download holds exactly the data layer's rows for that level, year or
cluster; "clear" takes the list away. The marks are found by what a screen reader is told
of them (their ARIA labels), as a reader would point at them."""

from __future__ import annotations

import csv
import io
import math
import re

import pytest

from klynge import metrics, queries
from klynge.devtools import open_section, page_url, wait_for_app, wait_for_charts
from klynge.queries import Filter
from klynge.ui import filters
from klynge.ui.components import slug
from klynge.ui.pages import PAGES
from klynge.ui.texts import CATALOGUES, DEFAULT_LANGUAGE
from tests.browser.conftest import open_app, screenshot
from tests.browser.test_accessibility import AXE, BLOCKING, NOT_SCANNED, describe
from tests.browser.test_dashboard import key_figures
from tests.browser.test_safe_downloads import download

TEXTS = CATALOGUES[DEFAULT_LANGUAGE]
PAGE = {spec.url_path: spec for spec in PAGES}
LEVEL = "arena"
LEVEL_LABEL = TEXTS[f"level.{LEVEL}"]
CHART = "[data-testid=stVegaLiteChart] svg.marks"
PANEL_HEADING = f"[data-testid=stMain] [data-testid=stMarkdownContainer]:has-text('{TEXTS['drill.heading']}')"


@pytest.fixture(scope="module")
def last_year(engine) -> int:
    return queries.filter_options(engine).years[-1]


def click_mark(page, selector: str, picked: str) -> str:
    """Click the first mark of a chart that `selector` (attributes of an SVG path) finds,
    wait until the list under the charts names `picked`, and return the mark's ARIA label."""
    mark = page.locator(f"{CHART} path{selector}").first
    mark.wait_for(state="attached")
    label = mark.get_attribute("aria-label")
    mark.scroll_into_view_if_needed()
    mark.click(force=True)  # a dot can sit under its neighbour's white edge
    page.locator(PANEL_HEADING, has_text=picked).wait_for()
    wait_for_app(page, settle_ms=300)
    return label


def rows_of(file: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(file.decode("utf-8-sig"))))


def test_a_median_and_then_a_dot_list_their_reports_and_clear_takes_the_list_away(page, demo_server, engine, last_year):
    from axe_playwright_python.base import AXE_SCRIPT  # axe-core, as the package ships it

    open_app(page, page_url(demo_server.url, PAGE["medlemmer"]))
    wait_for_charts(page)
    file = TEXTS["drill.file"].format(topic=TEXTS["page.members"])

    # The level's median: every report of the level in the page's year.
    click_mark(page, f'[aria-label^="{LEVEL_LABEL}: median "]', LEVEL_LABEL)
    expected = queries.reports(engine, Filter(levels=(LEVEL,), years=(last_year, last_year)), columns=("members_total",))
    rows = rows_of(download(page, "csv", file))
    assert len(rows) == len(expected) >= metrics.MIN_PEERS
    assert sorted((row[TEXTS["col.cluster"]], row[TEXTS["col.level"]], int(row[TEXTS["col.year"]]),
                   int(row[TEXTS["figure.members_total"]])) for row in rows) == sorted(
        zip(expected["cluster"], [LEVEL_LABEL] * len(expected), expected["report_year"], expected["members_total"]))

    # A dot: that cluster alone.
    chosen = expected.sort_values("cluster").iloc[0]
    label = click_mark(page, f'[aria-label^="{chosen["cluster"]}, {LEVEL_LABEL}: "]', chosen["cluster"])
    assert label.endswith(f" {int(chosen['members_total'])}")
    rows = rows_of(download(page, "csv", file))
    assert [(row[TEXTS["col.cluster"]], int(row[TEXTS["figure.members_total"]])) for row in rows] == [
        (chosen["cluster"], int(chosen["members_total"]))]
    screenshot(page, "drill-medlemmer-dot")
    # The list under the charts passes axe-core as the pages do.
    page.evaluate(AXE_SCRIPT)
    blocking = [v for v in page.evaluate(AXE, [NOT_SCANNED]) if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)

    page.get_by_role("button", name=TEXTS["drill.clear"]).click()
    page.wait_for_selector(PANEL_HEADING, state="detached")
    wait_for_app(page, settle_ms=0)
    assert page.locator(f".st-key-csv-{slug(file)} button").count() == 0


def test_a_bar_lists_the_reports_whose_sum_it_is(page, demo_server, engine, last_year):
    level, year = "moden", last_year - 1
    label_of_level = TEXTS[f"level.{level}"]
    open_app(page, page_url(demo_server.url, PAGE["finansiering"]))
    open_section(page, TEXTS["tab.years"])
    # The first chart: national funding triggered, a bar per level and year.
    label = click_mark(page, f'[aria-roledescription=bar][aria-label*="{TEXTS["chart.year"]}: {year};"]'
                             f'[aria-label*="{TEXTS["chart.level"]}: {label_of_level};"]', f"{label_of_level} {year}")
    bar_value = float(label.split("MNOK: ")[1].split(";")[0].replace("\u00a0", "").replace(" ", "").replace(",", "."))

    named = f"{TEXTS['page.funding']}, {TEXTS['figure.funding_national_mnok']}, {TEXTS['figure.funding_eu_mnok']}"
    rows = rows_of(download(page, "csv", TEXTS["drill.file"].format(topic=named)))
    expected = queries.reports(engine, Filter(levels=(level,), years=(year, year)),
                               columns=("funding_national_mnok", "funding_eu_mnok"))
    national = TEXTS["figure.funding_national_mnok"] + " (MNOK)"
    eu = TEXTS["figure.funding_eu_mnok"] + " (MNOK)"
    assert sorted((row[TEXTS["col.cluster"]], int(row[TEXTS["col.year"]]), float(row[national]), float(row[eu]))
                  for row in rows) == sorted(zip(expected["cluster"], expected["report_year"],
                                                 expected["funding_national_mnok"].astype(float),
                                                 expected["funding_eu_mnok"].astype(float)))
    # The bar is the sum of its rows, as the chart's label writes it (one decimal).
    assert math.isclose(sum(float(row[national]) for row in rows), bar_value, abs_tol=0.05)
    screenshot(page, "drill-finansiering-bar")


def test_a_click_on_a_county_filters_to_it(page, demo_server, engine, last_year):
    county = "Vestland"
    members = TEXTS["figure.members_total"]
    open_app(page, page_url(demo_server.url, PAGE["oversikt"], f"kart={members}"))  # a link to the map, by members
    wait_for_charts(page)
    expected = queries.reports(engine, Filter(regions=(county,), years=(last_year, last_year)), columns=("members_total",))
    mark = page.locator(f'{CHART} path[aria-label^="{county}: "]').first
    mark.wait_for(state="attached")
    # What a screen reader hears of the county: its members summed over its clusters.
    assert re.sub(r"\D", "", mark.get_attribute("aria-label")) == str(int(expected["members_total"].sum()))
    mark.scroll_into_view_if_needed()
    mark.click(force=True)
    page.wait_for_url(re.compile(rf"[?&]{filters.KEY_REGIONS}={county}(&|$)"))
    wait_for_app(page, settle_ms=0)
    tiles = dict(key_figures(page, count=len(metrics.KEY_FIGURES)))
    assert tiles[TEXTS["metric.clusters"]] == str(len(expected)) and len(expected) > 0
    assert tiles[TEXTS["metric.members_total"]].replace("\u00a0", "").replace(" ", "") == str(int(expected["members_total"].sum()))
    screenshot(page, "drill-oversikt-county")


def test_the_explorers_choices_are_in_its_link_and_the_link_draws_the_same_in_a_new_browser(page, new_page, demo_server, engine,
                                                                                          last_year):
    open_app(page, page_url(demo_server.url, PAGE["utforsk"]))
    wait_for_charts(page)
    main = page.locator("[data-testid=stMain]")
    main.get_by_text(TEXTS["explore.by.sector"], exact=True).first.click()
    page.wait_for_url(re.compile(r"[?&]etter="))
    main.get_by_text(TEXTS["explore.measure.median"], exact=True).first.click()
    page.wait_for_url(re.compile(r"[?&]beregning="))
    wait_for_app(page, settle_ms=0)
    heading = TEXTS["explore.heading"].format(
        title=TEXTS["explore.title.median"].format(figure=TEXTS["figure.members_total"]),
        by=TEXTS["explore.by.sector"].lower(), years=last_year)
    page.get_by_role("heading", name=heading).wait_for()
    link = page.url

    other = new_page()
    open_app(other, link)
    other.get_by_role("heading", name=heading).wait_for()
    wait_for_charts(other)
    # The bars are labelled with the medians the data layer's reports give, sector by sector.
    reports = queries.reports(engine, Filter(years=(last_year, last_year)), columns=("members_total",))
    medians = reports.groupby("sector")["members_total"].agg(["median", "count"])
    other.locator(f"{CHART} path[aria-roledescription=bar][aria-label]").first.wait_for(state="attached")  # drawn after the run
    labels = other.eval_on_selector_all(f"{CHART} path[aria-label]", "marks => marks.map(m => m.getAttribute('aria-label'))")
    for sector, row in medians.iterrows():
        if row["count"] >= metrics.MIN_PEERS:
            assert f"{TEXTS[f'sector.{sector}']}: {row['median']:g}".replace(".", ",") in labels, (sector, labels)
    screenshot(other, "utforsk-link")


def test_a_goals_point_lists_the_reports_of_that_level_that_year(page, demo_server, engine, last_year):
    from klynge.indicators import GOALS

    goal = GOALS[0]
    year = last_year - 2
    open_app(page, page_url(demo_server.url, PAGE["maloppnaelse"]))
    wait_for_charts(page)
    label = click_mark(page, f'[aria-roledescription=point][aria-label*="{TEXTS["chart.year"]}: {year};"]'
                             f'[aria-label*="{TEXTS["chart.level"]}: {LEVEL_LABEL};"]', f"{LEVEL_LABEL} {year}")
    assert f"{TEXTS['chart.level']}: {LEVEL_LABEL};" in label
    rows = rows_of(download(page, "csv", TEXTS["drill.file"].format(topic=TEXTS[f"goal.{goal.key}"])))
    expected = data_layer_reports(engine, LEVEL, year)
    first = TEXTS[f"figure.{goal.indicators[0]}"]
    assert sorted((row[TEXTS["col.cluster"]], float(row[first])) for row in rows) == sorted(
        zip(expected["cluster"], expected[goal.indicators[0]].astype(float)))
    # The chart's point is the sum of its rows.
    value = float(label.split(f"{first}: ")[1].split(";")[0].replace("\u00a0", "").replace(" ", "").replace(",", "."))
    assert math.isclose(sum(float(row[first]) for row in rows), value)


def data_layer_reports(engine, level: str, year: int):
    """The reports of `level` in `year` with the derived figures, as the data layer gives them."""
    return metrics.with_derived(queries.reports(engine, Filter(levels=(level,), years=(year, year)), columns=queries.SUMMED_FIELDS),
                                queries.rules(engine))

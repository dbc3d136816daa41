"""The dashboard as a user meets it, in Chromium: every page loads, a filter changes the link
and the figures, the link reproduces the view, and a download holds the rows shown."""

from __future__ import annotations

import csv
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from klynge import metrics, queries
from klynge.devtools import open_section, page_url, section_labels, wait_for_app, wait_for_charts
from klynge.queries import Filter
from klynge.summary import level_figures
from klynge.ui import format as fmt
from klynge.ui.components import slug
from klynge.ui.pages import PAGES
from klynge.ui.texts import CATALOGUES, DEFAULT_LANGUAGE
from tests.browser.conftest import TIMEOUT_MS, open_app, screenshot

TEXTS = CATALOGUES[DEFAULT_LANGUAGE]
LEVEL = "arena"
LEVEL_LABEL = TEXTS[f"level.{LEVEL}"]
OVERVIEW = next(spec for spec in PAGES if spec.url_path == "oversikt")


@pytest.fixture(scope="module")
def options(engine):
    return queries.filter_options(engine)


def key_figures(page, count: int | None = None) -> list[tuple[str, str]]:
    """The key-figure tiles, as (label, value) in the order shown, once `count` tiles (or,
    without `count`, some) are drawn and two readings in a row agree."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    previous = None
    while True:
        labels = page.locator("[data-testid=stMain] [data-testid=stMetricLabel]").all_inner_texts()
        values = page.locator("[data-testid=stMain] [data-testid=stMetricValue]").all_inner_texts()
        reading = [(label.strip(), value.strip()) for label, value in zip(labels, values)]
        complete = len(labels) == len(values) and (len(reading) == count if count is not None else len(reading) > 0)
        if complete and reading == previous:
            return reading
        if time.monotonic() > deadline:
            raise AssertionError(f"the key figures did not settle: {reading}")
        previous = reading if complete else None
        page.wait_for_timeout(250)


def sidebar_filters(page) -> dict[str, str]:
    """What the sidebar's filter widgets show, by label: the chosen tags of each multiselect,
    the chosen option of each selectbox."""
    sidebar = page.locator("[data-testid=stSidebar]")
    shown = {}
    for widget in sidebar.locator("[data-testid=stMultiSelect]").all():
        label = widget.locator("[data-testid=stWidgetLabel]").inner_text().strip()
        shown[label] = widget.locator("[data-testid=stMultiSelectTagsContainer]").inner_text().strip()
    for widget in sidebar.locator("[data-testid=stSelectbox]").all():
        label = widget.locator("[data-testid=stWidgetLabel]").inner_text().strip()
        shown[label] = widget.locator("input[role=combobox]").input_value()
    return shown


def choose_level(page, label: str) -> None:
    """Pick `label` in the sidebar's level filter, as a user does, and wait for the rerun."""
    levels = page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").filter(has_text=TEXTS["filters.levels"])
    levels.locator("input").click()
    page.get_by_role("option", name=label, exact=True).click()
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(rf"[?&]niva={re.escape(label)}(&|$)"))
    key_figures(page, count=len(metrics.KEY_FIGURES))
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]")


@pytest.mark.parametrize("spec", PAGES, ids=[spec.url_path for spec in PAGES])
def test_every_page_loads_with_its_title_and_no_exception(spec, page, demo_server):
    open_app(page, page_url(demo_server.url, spec))
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.locator("[role=dialog]").count() == 0  # e.g. Streamlit's "Page not found"
    assert page.locator("[data-testid=stMain] h1").first.inner_text().strip() == TEXTS[spec.title_key]
    screenshot(page, spec.url_path)


@pytest.fixture(scope="module")
def filtered_overview(chromium, demo_server):
    """Oversikt before and after a user picks a level in the sidebar: the key figures, the
    filters shown and the link."""
    context = chromium.new_context(viewport={"width": 1440, "height": 900}, locale="nb-NO")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        open_app(page, page_url(demo_server.url, OVERVIEW))
        before = key_figures(page)
        choose_level(page, LEVEL_LABEL)
        after = {"url": page.url, "figures": key_figures(page, count=len(metrics.KEY_FIGURES)),
                 "filters": sidebar_filters(page)}
        screenshot(page, "oversikt-filtered")
    finally:
        context.close()
    return {"before": before, **after}


def test_choosing_a_level_puts_it_in_the_link_and_changes_the_key_figures(filtered_overview, engine, options):
    query = parse_qs(urlsplit(filtered_overview["url"]).query)
    assert query["niva"] == [LEVEL_LABEL]
    assert filtered_overview["figures"] != filtered_overview["before"]
    # Five tiles for the one level, with the data layer's numbers.
    year = options.years[-1]
    expected = metrics.key_figures(level_figures(engine, Filter(levels=(LEVEL,), years=(year - 1, year))), year)
    expected = expected[expected["level"] == LEVEL].set_index("figure")
    shown = dict(filtered_overview["figures"])
    assert len(filtered_overview["figures"]) == len(metrics.KEY_FIGURES)
    assert shown[TEXTS["metric.clusters"]] == fmt.integer(expected.loc["clusters", "value"])
    assert shown[TEXTS["metric.members_total"]] == fmt.integer(expected.loc["members_total", "value"])
    assert filtered_overview["filters"][TEXTS["filters.levels"]] == LEVEL_LABEL


def test_the_link_reproduces_the_view_in_a_new_browser(filtered_overview, new_page):
    page = new_page()  # a new context: no cookies, no session, only the link
    open_app(page, filtered_overview["url"])
    assert key_figures(page, count=len(filtered_overview["figures"])) == filtered_overview["figures"]
    assert sidebar_filters(page) == filtered_overview["filters"]
    assert page.url == filtered_overview["url"]


def test_english_stays_when_a_filter_changes(page, demo_server):
    """Streamlit's front end sends the language switch back empty after a widget bound to
    the URL changes; the page must stay English and keep `lang=en` in its link."""
    english = CATALOGUES["en"]
    open_app(page, page_url(demo_server.url, OVERVIEW, "lang=en"))
    levels = page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").filter(has_text=english["filters.levels"])
    levels.locator("input").click()
    page.get_by_role("option", name=english["level.arena"], exact=True).click()
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r"[?&]niva=Arena(&|$)"))
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]")
    key_figures(page, count=len(metrics.KEY_FIGURES))
    assert page.locator("[data-testid=stMain] h1").first.inner_text().strip() == english["page.overview"]
    assert parse_qs(urlsplit(page.url).query).get("lang") == ["en"]


def charts_drawn(page, count: int) -> None:
    """Wait until the main area holds `count` charts, each drawn."""
    page.wait_for_function("count => document.querySelectorAll('[data-testid=stMain] [data-testid=stVegaLiteChart]').length "
                           "=== count", arg=count, timeout=TIMEOUT_MS)
    wait_for_charts(page)


def test_a_section_draws_when_opened_and_stays_open_in_the_other_language(page, demo_server):
    """Aktiviteter opens on its levels (two distributions); "over the years" draws its three
    charts when clicked; the language switch keeps that section open, in English."""
    activities = next(spec for spec in PAGES if spec.url_path == "aktiviteter")
    charts = page.locator("[data-testid=stMain] [data-testid=stVegaLiteChart]")
    open_app(page, page_url(demo_server.url, activities))
    charts_drawn(page, 2)  # (the elements can still be arriving when the script has run)
    assert section_labels(page) == [TEXTS["tab.levels"], TEXTS["tab.years"], TEXTS["tab.ranking"]]
    open_section(page, TEXTS["tab.years"])
    charts_drawn(page, 3)
    english = CATALOGUES["en"]
    page.locator("[data-testid=stSidebar]").get_by_text("English", exact=True).click()
    page.locator("[data-testid=stMain] h1", has_text=english["page.activities"]).wait_for()
    wait_for_app(page, settle_ms=300)
    charts_drawn(page, 3)
    assert section_labels(page) == [english["tab.levels"], english["tab.years"], english["tab.ranking"]]
    selected = page.locator("[data-testid=stMain] [role=tab][aria-selected=true]")
    assert selected.inner_text().strip() == english["tab.years"]
    assert charts.count() == 3
    screenshot(page, "sections-english-years")


def test_a_goals_details_are_drawn_when_opened(page, demo_server):
    """Måloppnåelse draws a goal's definitions and table only when its expander is opened."""
    goals = next(spec for spec in PAGES if spec.url_path == "maloppnaelse")
    open_app(page, page_url(demo_server.url, goals))
    main = page.locator("[data-testid=stMain]")
    assert main.locator("[data-testid=stDataFrame]").count() == 0
    main.locator("[data-testid=stExpander] summary").filter(has_text=TEXTS["goals.details"]).first.click()
    main.locator("[data-testid=stDataFrame]").first.wait_for()
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]")
    assert main.locator("[data-testid=stDataFrame]").count() == 1
    assert page.locator("[data-testid=stException]").count() == 0


def test_the_csv_download_holds_exactly_the_rows_of_the_table(page, demo_server, engine, options):
    first, last = options.years[0], options.years[-1]
    open_app(page, page_url(demo_server.url, OVERVIEW, f"niva={LEVEL_LABEL}"))
    open_section(page, TEXTS["tab.clusters"])
    buttons = page.locator("[data-testid=stDownloadButton] button", has_text=TEXTS["download.csv"])
    buttons.nth(1).wait_for()  # the elements below the charts can take a moment to draw
    assert buttons.count() == 2  # the key figures per level, then the clusters
    button = buttons.last
    with page.expect_download() as download:
        button.click()
    with open(download.value.path(), encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))

    flt = Filter(levels=(LEVEL,), years=(first, last))  # the sidebar's years: all of them
    expected = queries.register_counts(engine, flt)
    reported = set(queries.reports(engine, flt.with_(years=(last, last)))["cluster_id"])
    assert len(rows) == len(expected) > 0
    assert [row[TEXTS["col.cluster"]] for row in rows] == list(expected["cluster"])
    assert [row[TEXTS["col.level"]] for row in rows] == [LEVEL_LABEL] * len(expected)
    assert [row[TEXTS["col.region"]] for row in rows] == list(expected["region"])
    assert [int(row[TEXTS["col.register_members"]]) for row in rows] == list(expected["members_total"])
    assert [int(row[TEXTS["col.core_members"]]) for row in rows] == list(expected["core_members"])
    reported_column = TEXTS["col.reported"].format(year=last)
    assert [row[reported_column] for row in rows] == [
        TEXTS["common.yes"] if cluster_id in reported else TEXTS["common.no"] for cluster_id in expected["cluster_id"]]
    assert download.value.suggested_filename.endswith(".csv")


def test_the_searched_descriptions_download_holds_every_match(page, demo_server, engine, options):
    # The page shows the newest 30 matches; the file, made when clicked, holds them all.
    international = next(spec for spec in PAGES if spec.url_path == "internasjonalt")
    first, last = options.years[0], options.years[-1]
    expected = queries.report_texts(engine, Filter(years=(first, last)), "international_activities_new",
                                    "international_activities_description", "messe")
    assert len(expected) > 30
    open_app(page, page_url(demo_server.url, international, "sok=MESSE"))
    # The descriptions' own button (the page has the level tables' downloads too), by its key.
    button = page.locator(f".st-key-csv-{slug(TEXTS['international.descriptions_file'])} button")
    button.wait_for()
    assert page.locator("[data-testid=stExpander]").count() == 30
    with page.expect_download() as download:
        button.click()
    with open(download.value.path(), encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(row[TEXTS["col.cluster"]], int(row[TEXTS["col.year"]])) for row in rows] == list(
        zip(expected["cluster"], expected["report_year"]))
    assert all("messe" in row[TEXTS["col.description"]].lower() or "messe" in row[TEXTS["col.cluster"]].lower() for row in rows)
    assert {row[TEXTS["col.level"]] for row in rows} <= {TEXTS[f"level.{code}"] for code in
                                                         ("tidligfase", "arena", "arena_pro", "moden", "utenfor")}

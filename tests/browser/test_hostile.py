"""Hostile input in Chromium: data holding HTML, script and Markdown is shown as the plain
text it is; a tampered link gets a short notice, never an exception; a database that fails
shows a Norwegian message and keeps the details in the server log."""

from __future__ import annotations

import re
import sqlite3
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import pytest
from sqlalchemy import select, update

from klynge.devtools import REPO_ROOT, open_section, page_url, streamlit_server
from klynge.store import schema
from klynge.store.engine import make_engine
from klynge.ui.pages import PAGES
from klynge.ui.texts import CATALOGUES, DEFAULT_LANGUAGE
from tests.browser.conftest import TIMEOUT_MS, build_demo_database, open_app, screenshot

TEXTS = CATALOGUES[DEFAULT_LANGUAGE]
PAGE = {spec.url_path: spec for spec in PAGES}

NAME = '<img src=x onerror="window.__xss=1">Klynge <b>fet</b>'
DESCRIPTION = ("Messe i Köln <script>window.__xss=2</script> [klikk](javascript:alert(1)) "
               "![x](http://127.0.0.1:1/x.png) **fet** :red[rød] :material/warning: :smile: $x^2$ &amp; <i>kursiv</i>")
STORY_SOCIETAL = "# Overskrift\n<script>window.__xss=3</script>\n- punkt\n1. nummer\n> sitat"
STORY_EFFECT = ('<iframe src="javascript:window.__xss=4"></iframe> `kode` ~~strek~~ '
                '<a href="javascript:window.__xss=5">lenke</a>')
GOAL = "[mål](javascript:window.__xss=6) :blue[blå]"
WEBSITE = "javascript:window.__xss=7"
# Text Streamlit's Markdown rewrites after it has read the escapes (see the xfail test).
REWRITTEN = "Fra 2019 -> 2024 :streamlit:"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The demo data with one cluster's name, website, and latest report's description and
    stories replaced by hostile text, and the next cluster's name by REWRITTEN. Written
    straight into the store: what matters here is what the pages do with whatever the store
    holds. Returns (URL, cluster id, year)."""
    url = build_demo_database(tmp_path_factory.mktemp("browser-hostile") / "hostile.db")
    R, C = schema.annual_reports, schema.clusters
    engine = make_engine(url)
    with engine.begin() as conn:
        year = conn.execute(select(R.c.report_year).order_by(R.c.report_year.desc()).limit(1)).scalar_one()
        cluster_id = conn.execute(
            select(R.c.cluster_id).where(R.c.report_year == year).order_by(R.c.cluster_id).limit(1)).scalar_one()
        conn.execute(update(C).where(C.c.id == cluster_id).values(name=NAME, website=WEBSITE))
        other_id = conn.execute(select(C.c.id).where(C.c.id != cluster_id).order_by(C.c.id).limit(1)).scalar_one()
        conn.execute(update(C).where(C.c.id == other_id).values(name=REWRITTEN))
        conn.execute(update(R).where(R.c.cluster_id == cluster_id, R.c.report_year == year).values(
            international_activities_description=DESCRIPTION, story_societal=STORY_SOCIETAL, story_effect=STORY_EFFECT,
            story_societal_goals=[GOAL]))
    engine.dispose()
    return url, cluster_id, year


@pytest.fixture(scope="module")
def hostile_server(hostile, tmp_path_factory):
    log = tmp_path_factory.mktemp("browser-logs") / "hostile-server.log"
    with streamlit_server(env={"KLYNGE_DATABASE_URL": hostile[0]}, log=log) as server:
        yield server


@pytest.fixture
def watched_page(page):
    """A page that records every request it makes."""
    page.requests_made = []
    page.on("request", lambda request: page.requests_made.append(request.url))
    return page


def assert_inert(page) -> None:
    """Nothing from the data ran, loaded or became markup."""
    page.wait_for_timeout(300)  # an onerror handler would run once the image failed to load
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("[data-testid=stException]").count() == 0
    injected = page.evaluate("""() => ({
        scripts: [...document.scripts].filter(s => s.textContent.includes('__xss')).length,
        images: document.querySelectorAll('img[onerror], img[src="x"], img[src*="127.0.0.1:1"]').length,
        frames: document.querySelectorAll('iframe[src^="javascript:" i]').length,
        links: [...document.querySelectorAll('a[href]')].filter(a => /^\\s*javascript:/i.test(a.getAttribute('href'))).length,
        bold: [...document.querySelectorAll('b, strong')].filter(e => e.textContent === 'fet').length,
        italic: [...document.querySelectorAll('i, em')].filter(e => e.textContent === 'kursiv').length,
        headings: [...document.querySelectorAll('h1, h2, h3')].filter(e => e.textContent.includes('Overskrift')).length,
    })""")
    assert injected == {"scripts": 0, "images": 0, "frames": 0, "links": 0, "bold": 0, "italic": 0, "headings": 0}
    assert not [url for url in getattr(page, "requests_made", []) if "127.0.0.1:1/" in url]


def markdown_texts(page, waiting_for: str | None = None) -> list[str]:
    """The texts of the main area's Markdown, captions and plain text, once one holds `waiting_for`."""
    if waiting_for is not None:
        page.locator("[data-testid=stMain] :is(p, li, [data-testid=stText])", has_text=waiting_for).first.wait_for()
    texts = page.locator("[data-testid=stMain] :is([data-testid=stMarkdownContainer], [data-testid=stCaptionContainer], "
                         "[data-testid=stText])")
    return [text.strip() for text in texts.all_inner_texts()]


def test_a_hostile_cluster_name_is_plain_text_on_the_overview(watched_page, hostile_server):
    page = watched_page
    open_app(page, page_url(hostile_server.url, PAGE["oversikt"], urlencode({"klynge": NAME})))
    tags = page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").filter(has_text=TEXTS["filters.clusters"])
    assert tags.locator("[data-testid=stMultiSelectTagsContainer]").inner_text().strip() == NAME
    metrics = page.locator("[data-testid=stMain] [data-testid=stMetric]")
    metrics.first.wait_for(timeout=TIMEOUT_MS)  # the tiles can still be drawing when the script has run
    assert metrics.count() > 0  # the filter took effect
    assert_inert(page)
    screenshot(page, "hostile-oversikt")


def test_hostile_descriptions_found_by_search_are_plain_text(watched_page, hostile, hostile_server):
    page = watched_page
    _, _, year = hostile
    open_app(page, page_url(hostile_server.url, PAGE["internasjonalt"]))
    open_section(page, TEXTS["tab.descriptions"])
    search = page.get_by_label(TEXTS["international.search"])
    search.fill("<script>")
    search.press("Enter")
    page.wait_for_url(re.compile(r"[?&]sok=%3Cscript%3E"))
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]")
    expanders = page.locator("[data-testid=stExpander]")
    page.wait_for_function("document.querySelectorAll('[data-testid=stExpander]').length === 1", timeout=TIMEOUT_MS)
    label = expanders.locator("summary [data-testid=stMarkdownContainer]").inner_text().strip()
    assert label.startswith(f"{NAME} · {year} · ")
    assert DESCRIPTION in markdown_texts(page, waiting_for="Messe i Köln")
    assert_inert(page)
    screenshot(page, "hostile-internasjonalt")


def test_a_hostile_cluster_profile_is_plain_text(watched_page, hostile_server):
    page = watched_page
    open_app(page, page_url(hostile_server.url, PAGE["klyngeprofil"], f"profil={quote(NAME)}"))
    assert page.locator("[data-testid=stMain] h2").first.inner_text().strip() == NAME  # waits for the header
    texts = markdown_texts(page, waiting_for="javascript:window.__xss=6")
    for text in (DESCRIPTION, STORY_SOCIETAL, STORY_EFFECT, WEBSITE):
        assert text in texts, text
    assert f"• {GOAL}" in texts  # the goals, one per line, as plain text
    assert_inert(page)
    screenshot(page, "hostile-klyngeprofil")


@pytest.mark.xfail(strict=True, reason="st.markdown rewrites text nodes after reading the escapes of plain(): ' -> ' "
                   "becomes an arrow and ':streamlit:' the Streamlit logo. Harmless, but not the text as written; "
                   "st.text would show it exactly, where a heading or label is not needed.")
def test_text_that_streamlit_rewrites_is_shown_as_written(page, hostile_server):
    open_app(page, page_url(hostile_server.url, PAGE["klyngeprofil"], f"profil={quote(REWRITTEN)}"))
    header = page.locator("[data-testid=stMain] h2").first
    assert header.locator("img").count() == 0
    assert header.inner_text().strip() == REWRITTEN


@pytest.mark.parametrize("spec", PAGES, ids=[spec.url_path for spec in PAGES])
def test_no_page_runs_or_loads_anything_from_hostile_data(spec, watched_page, hostile_server):
    open_app(watched_page, page_url(hostile_server.url, spec, urlencode({"klynge": NAME, "profil": NAME})))
    assert_inert(watched_page)


# ------------------------------------------------------------------ tampered links

def toasts(page, count: int) -> list[str]:
    page.wait_for_function(f"document.querySelectorAll('[data-testid=stToast]').length >= {count}", timeout=TIMEOUT_MS)
    return page.locator("[data-testid=stToast]").all_inner_texts()


def test_a_tampered_link_gets_a_notice_naming_each_ignored_parameter(page, demo_server):
    query = urlencode({"niva": "<script>window.__xss=8</script>", "fra": "abc", "ukjent": "1"})
    open_app(page, page_url(demo_server.url, PAGE["oversikt"], query))
    shown = " ".join(toasts(page, 3))
    for name in ("niva", "fra", "ukjent"):
        assert f"«{name}»" in shown
    assert "«<script>window.__xss=8</script>»" in shown  # as text, escaped for Markdown, not as markup
    assert_inert(page)
    # The link keeps only what the app uses; the filters are as if the rest were not there.
    page.wait_for_function("!/niva=|fra=|ukjent=/.test(location.search)", timeout=TIMEOUT_MS)
    assert parse_qs(urlsplit(page.url).query) == {}
    screenshot(page, "tampered-link")


def test_a_very_long_value_is_cut_short_in_the_notice(page, demo_server):
    open_app(page, page_url(demo_server.url, PAGE["oversikt"], urlencode({"fylke": "x" * 10_000})))
    [notice] = toasts(page, 1)
    assert "«fylke»" in notice and "x" * 100 not in notice
    assert len(notice) < 250
    assert_inert(page)


# ------------------------------------------------------------------ errors

SECRETS = ("secret-password", "user:", "127.0.0.1:1/", "nowhere", "postgresql", "psycopg", "Traceback", "OperationalError",
           str(REPO_ROOT), "dashboard.py")


def test_a_failing_database_shows_a_norwegian_message_and_no_details(page, tmp_path):
    url = "postgresql+psycopg://user:secret-password@127.0.0.1:1/nowhere"
    with streamlit_server(env={"KLYNGE_DATABASE_URL": url}, log=tmp_path / "server.log") as server:
        open_app(page, server.url)
        error = page.locator("[data-testid=stAlert]").filter(has_text=TEXTS["app.database_error"].split(".")[0])
        error.wait_for()
        assert error.count() == 1
        assert page.locator("[data-testid=stException]").count() == 0
        html = page.content()
        for secret in SECRETS:
            assert secret not in html, secret
        screenshot(page, "failing-database")
        log = server.log_text()
    assert "the database could not be read" in log
    assert "Traceback" in log and "127.0.0.1" in log and "port 1" in log


def test_an_unexpected_error_shows_no_details_in_the_browser(page, tmp_path):
    """client.showErrorDetails = "none": an uncaught exception (here a column missing from
    the store) shows Streamlit's generic message; its type, text and traceback are in the log."""
    path = tmp_path / "broken.db"
    build_demo_database(path)
    with sqlite3.connect(path) as conn:
        conn.execute("ALTER TABLE level_sums RENAME COLUMN new_jobs TO new_jobs_gone")  # the overview reads it
    with streamlit_server(env={"KLYNGE_DATABASE_URL": f"sqlite:///{path}"}, log=tmp_path / "server.log") as server:
        open_app(page, server.url)
        exception = page.locator("[data-testid=stException]")
        exception.wait_for()
        assert exception.count() == 1
        shown = exception.inner_text()
        html = page.content()
        for detail in ("new_jobs", "no such column", "OperationalError", "sqlite", "Traceback", str(tmp_path), str(REPO_ROOT)):
            assert detail not in html, detail
        screenshot(page, "unexpected-error")
        log = server.log_text()
    assert shown.strip()
    assert "no such column" in log and "new_jobs" in log

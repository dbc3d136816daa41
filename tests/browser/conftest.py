"""The dashboard in headless Chromium: one `streamlit run dashboard.py` per test session on
its own demo database, one Chromium, a fresh browser context per test.

Without the Playwright package or Debian's Chromium the browser tests are skipped, except in
CI (CI=true), where that is a failure. `pytest -m "not browser"` leaves them out.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from klynge.devtools import CHROMIUM, REPO_ROOT, launch_chromium, streamlit_server, wait_for_app
from klynge.store.engine import ensure_schema, make_engine
from klynge.store.importer import load_demo
from tests.conftest import IN_CI

SCREENSHOTS = REPO_ROOT / "screenshots" / "browser-tests"  # /screenshots/ is ignored by git
TIMEOUT_MS = 30_000
HERE = Path(__file__).resolve().parent


def _browser_unavailable() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if importlib.util.find_spec("playwright") is None:
        return "the Playwright Python package is not installed (pip install -r requirements-dev.txt)"
    if not Path(CHROMIUM).is_file():
        return f"Chromium is not at {CHROMIUM} (apt-get install chromium; bash scripts/test.sh does it as root)"
    return None


def require_browser() -> None:
    reason = _browser_unavailable()
    if reason is not None:
        if IN_CI:
            pytest.fail(f"{reason} (CI=true: the browser tests must run, not skip)")
        pytest.skip(reason)


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives the dashboard in headless Chromium (tests/browser)")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in item.path.resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.test_failed = report.failed
    return report


def build_demo_database(path: Path) -> str:
    """A SQLite file with the demo data at `path`; returns its URL."""
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    ensure_schema(engine)
    load_demo(engine)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory) -> str:
    return build_demo_database(tmp_path_factory.mktemp("browser-demo") / "demo.db")


@pytest.fixture(scope="session")
def playwright_session():
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def chromium(playwright_session):
    browser = launch_chromium(playwright_session)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def demo_server(demo_database, tmp_path_factory):
    """The dashboard on the demo data; never on the repository's klynge.db."""
    require_browser()
    log = tmp_path_factory.mktemp("browser-logs") / "demo-server.log"
    with streamlit_server(env={"KLYNGE_DATABASE_URL": demo_database}, log=log) as server:
        yield server


@pytest.fixture
def new_page(chromium, request):
    """Opens a page in a new browser context (its own cookies, storage and session); each
    one is screenshotted to screenshots/browser-tests/ when the test fails."""
    contexts = []

    def open_page():
        context = chromium.new_context(viewport={"width": 1440, "height": 900}, locale="nb-NO", accept_downloads=True)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for index, context in enumerate(contexts):
        if getattr(request.node, "test_failed", False):
            for page in context.pages:
                screenshot(page, f"FAILED-{request.node.name}-{index}")
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def screenshot(page, name: str) -> Path:
    """A PNG of what `page` shows, under screenshots/browser-tests/ (ignored by git)."""
    page.wait_for_timeout(300)  # the charts draw after the script has run
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path))
    return path


def open_app(page, url: str) -> None:
    """Go to `url` and wait until the script has run. Elements can still be drawing: a test
    waits for what it reads."""
    page.goto(url)
    wait_for_app(page, timeout_ms=60_000, settle_ms=0)

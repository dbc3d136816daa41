"""The dashboard in headless Chromium: one `streamlit run dashboard.py` per test session on
its own demo database, one Chromium, a fresh browser context per test.

No request leaves the dashboard's own origin: every context the tests open (through the
`chromium` fixture) aborts any request to another origin, and the test during which one was
made fails at teardown with the list (see `OutsideRequests`).

Without the Playwright package or Debian's Chromium the browser tests are skipped, except in
CI (CI=true), where that is a failure. `pytest -m "not browser"` leaves them out.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from urllib.parse import urlsplit

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
def engine(demo_database):
    """The demo database the browser tests' server reads, for the tests to read it too (in
    place of tests/conftest.py's empty database of each test)."""
    engine = make_engine(demo_database)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def playwright_session():
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


LOOPBACK = {"127.0.0.1", "localhost", "::1"}  # where streamlit_server runs the dashboard


def origin(url: str) -> str:
    """scheme://host:port of `url`, with a WebSocket's scheme as its page's (ws -> http)."""
    parts = urlsplit(url)
    scheme = {"ws": "http", "wss": "https"}.get(parts.scheme, parts.scheme)
    port = parts.port or {"http": 80, "https": 443}.get(scheme)
    return f"{scheme}://{parts.hostname}:{port}"


class OutsideRequests:
    """Watches browser contexts: a context's own origins are those of the dashboard pages its
    tabs open (a main-frame navigation to a server on this machine); any other request is
    recorded, and aborted so that nothing waits on a network that is not there (a WebSocket
    to another origin is recorded). `take()` hands over what was recorded since the last
    call."""

    def __init__(self) -> None:
        self.urls: list[str] = []
        self._taken = 0

    def watch(self, context) -> None:
        own: set[str] = set()

        def route(route, request):
            if request.is_navigation_request() and urlsplit(request.url).hostname in LOOPBACK and _in_main_frame(request):
                own.add(origin(request.url))
            if origin(request.url) in own:
                route.continue_()
            else:
                self.urls.append(request.url)
                route.abort("blockedbyclient")

        def watch_page(page):
            page.on("websocket", lambda socket: origin(socket.url) in own or self.urls.append(socket.url))

        context.route("**/*", route)
        context.on("page", watch_page)
        for page in context.pages:
            watch_page(page)

    def take(self) -> list[str]:
        new, self._taken = self.urls[self._taken:], len(self.urls)
        return new


def _in_main_frame(request) -> bool:
    try:
        return request.frame.parent_frame is None
    except Exception:  # noqa: BLE001 - Playwright has no frame for some navigations (e.g. a popup's first)
        return False


OUTSIDE_REQUESTS = OutsideRequests()


class WatchedBrowser:
    """The browser, with every context it opens watched by OUTSIDE_REQUESTS."""

    def __init__(self, browser) -> None:
        self._browser = browser

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        OUTSIDE_REQUESTS.watch(context)
        return context

    def new_page(self, **options):
        """A page in a new watched context (closed with the browser)."""
        return self.new_context(**options).new_page()

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture
def outside_requests() -> OutsideRequests:
    """The record of outside requests, for a test that checks the guard itself."""
    return OUTSIDE_REQUESTS


@pytest.fixture(autouse=True)
def no_outside_requests():
    """Fails the test when a request left the dashboard's origin while it ran (or while the
    fixtures it uses were set up)."""
    yield
    outside = OUTSIDE_REQUESTS.take()
    if outside:
        pytest.fail(f"{len(outside)} request(s) left the dashboard's origin (aborted): " + ", ".join(sorted(set(outside))[:10]),
                    pytrace=False)


@pytest.fixture(scope="session")
def chromium(playwright_session):
    browser = launch_chromium(playwright_session)
    yield WatchedBrowser(browser)
    browser.close()
    outside = OUTSIDE_REQUESTS.take()  # made after the last test's teardown
    assert not outside, f"requests left the dashboard's origin (aborted): {sorted(set(outside))[:10]}"


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

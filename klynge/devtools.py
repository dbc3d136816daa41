"""The dashboard in a real browser, for the screenshot script and the browser tests.

`streamlit_server` starts `streamlit run dashboard.py` on a free port and waits until it
answers; `launch_chromium` starts Debian's Chromium through Playwright (never a browser
Playwright downloads). `draw_favicon` redraws the app's favicon. Nothing in the product
imports this module.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DASHBOARD = REPO_ROOT / "dashboard.py"
FAVICON = REPO_ROOT / "klynge" / "ui" / "assets" / "favicon.png"  # dashboard.py's page_icon
NAVY = "#27476e"  # the theme's primaryColor

CHROMIUM = os.environ.get("KLYNGE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]

# The app has finished a script run (the attribute is "running" while a run is under way).
APP_READY = "[data-testid=stApp][data-test-script-state=notRunning]"


@dataclass(frozen=True)
class Server:
    url: str  # e.g. http://127.0.0.1:40123, without a trailing slash
    log: Path  # the streamlit process's stdout and stderr
    process: subprocess.Popen

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextmanager
def streamlit_server(env: dict[str, str] | None = None, timeout: float = 60, log: Path | None = None,
                     script: Path = DASHBOARD) -> Iterator[Server]:
    """A running `streamlit run dashboard.py` (or another `script`) on a free port of
    127.0.0.1, with `env` added to this process's environment; its output goes to `log` (a
    temporary file when not given). Raises RuntimeError, with the end of the log, when it
    does not answer within `timeout`."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
               "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
               # Others may edit the source while a server runs; no watcher, no reruns, less CPU.
               "--server.fileWatcherType", "none"]
    own_log = log is None
    if log is None:
        handle, name = tempfile.mkstemp(prefix="klynge-streamlit-", suffix=".log")
        os.close(handle)
        log = Path(name)
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=REPO_ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
                                   stdout=output, stderr=subprocess.STDOUT)
    server = Server(url, log, process)
    try:
        deadline = time.monotonic() + timeout
        while not _healthy(url):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start within {timeout:.0f} s:\n{server.log_text()[-4000:]}")
            time.sleep(0.3)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        if own_log:
            log.unlink(missing_ok=True)


def page_url(base: str, spec, query: str = "") -> str:
    """The address of a page (a klynge.ui.pages.PageSpec) on the server at `base`. The
    default page lives at the root: Streamlit ignores its url_path, and answers
    /<url_path> with "Page not found"."""
    path = "" if spec.default else spec.url_path
    return f"{base}/{path}" + (f"?{query}" if query else "")


def launch_chromium(playwright, **options):
    """Debian's Chromium, headless, driven by `playwright` (a started sync_playwright())."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, **options)


def wait_for_app(page, timeout_ms: int = 60_000, settle_ms: int = 800) -> None:
    """Wait until the script has finished running, then `settle_ms` for the charts, which
    draw after the script ends."""
    page.wait_for_selector(APP_READY, timeout=timeout_ms)
    if settle_ms:
        page.wait_for_timeout(settle_ms)


SECTION_TABS = "[data-testid=stMain] [role=tab]"  # a page's sections (components.sections)


def section_labels(page) -> list[str]:
    """The labels of the page's sections (its tabs), in order; none on a page without."""
    return [label.strip() for label in page.locator(SECTION_TABS).all_inner_texts()]


def open_section(page, label: str, timeout_ms: int = 60_000) -> None:
    """Click the section (tab) named `label`, and wait until the rerun that draws it has
    ended and its charts are drawn."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    tab = page.locator(SECTION_TABS).filter(has_text=label).first
    tab.click()
    page.wait_for_function("tab => tab.getAttribute('aria-selected') === 'true'", arg=tab.element_handle(),
                           timeout=timeout_ms)
    try:  # the rerun may be over before it is seen
        page.wait_for_selector("[data-testid=stApp][data-test-script-state=running]", timeout=2_000)
    except PlaywrightTimeout:
        pass
    wait_for_app(page, timeout_ms, settle_ms=300)
    wait_for_charts(page, timeout_ms)


# Every chart has been drawn (Vega-Lite draws into an SVG or a canvas after the script ends).
CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-testid=stVegaLiteChart]')]
    .every(chart => chart.querySelector('svg.marks, canvas.marks'))"""


def wait_for_charts(page, timeout_ms: int = 30_000) -> None:
    """Wait until every chart on the page has been drawn."""
    page.wait_for_function(CHARTS_DRAWN, timeout=timeout_ms)


def draw_favicon(path: Path = FAVICON, size: int = 64) -> Path:
    """The app's favicon: a hub (a node joined to five around it) in navy on a transparent
    square, as a PNG the app serves itself (a `:material/...` page icon makes every page
    load fetch it from an outside font host). Drawn four times larger and scaled down, for
    smooth edges. Run `python -c "from klynge.devtools import draw_favicon; draw_favicon()"`
    after changing it."""
    import math

    from PIL import Image, ImageDraw

    scale = 4
    side = size * scale
    image = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    centre = side / 2
    orbit, node, hub, spoke = side * 0.36, side * 0.105, side * 0.165, round(side * 0.055)
    nodes = [(centre + orbit * math.cos(math.radians(a)), centre + orbit * math.sin(math.radians(a)))
             for a in range(-90, 270, 72)]
    for x, y in nodes:
        draw.line([(centre, centre), (x, y)], fill=NAVY, width=spoke)
    for (x, y), radius in [*((xy, node) for xy in nodes), ((centre, centre), hub)]:
        draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=NAVY)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.resize((size, size), Image.Resampling.LANCZOS).save(path, optimize=True)
    return path

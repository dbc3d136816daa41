"""Screenshots of every page in headless Chromium, for looking at the app as a user does.

    python scripts/screenshots.py [--out screenshots] [--query "niva=Arena&fra=2023&til=2023"]

Starts `streamlit run dashboard.py` on a free port, waits for /_stcore/health, opens each
page at 1440x900 and saves a full-page PNG per page.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from klynge.ui.pages import PAGES  # noqa: E402

CHROMIUM = os.environ.get("KLYNGE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def streamlit_server(env: dict[str, str] | None = None, timeout: float = 60):
    """A running `streamlit run dashboard.py`; yields its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(REPO_ROOT / "dashboard.py"), "--server.headless", "true",
               "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
    process = subprocess.Popen(command, cwd=REPO_ROOT, env={**os.environ, **(env or {})},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read().decode(errors="replace") if process.stdout else ""
                raise RuntimeError(f"streamlit did not start:\n{output}")
            time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_for_app(page, timeout_ms: int = 60_000) -> None:
    """Wait until the script has finished running and the page has settled."""
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=timeout_ms)
    page.wait_for_timeout(800)  # charts draw after the script ends


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(REPO_ROOT / "screenshots"))
    parser.add_argument("--query", default="", help="query string added to every page's URL")
    parser.add_argument("--prefix", default="")
    parser.add_argument("--full", action="store_true", help="the whole page, not just the first 900 pixels")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with streamlit_server() as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        for spec in PAGES:
            query = f"?{args.query}" if args.query else ""
            page.goto(f"{base}/{spec.url_path}{query}")
            wait_for_app(page)
            if args.full:
                # The app scrolls inside its main section, so grow the window to the content.
                height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
                page.set_viewport_size({"width": 1440, "height": min(max(900, height), 12000)})
                page.wait_for_timeout(1500)
            target = out / f"{args.prefix}{spec.url_path}.png"
            page.screenshot(path=str(target))
            page.set_viewport_size({"width": 1440, "height": 900})
            print(target)
        browser.close()


if __name__ == "__main__":
    main()

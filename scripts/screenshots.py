"""Screenshots of every page in headless Chromium, for looking at the app as a user does.

    python scripts/screenshots.py [--out screenshots] [--query "niva=Arena&fra=2023&til=2023"]

Starts `streamlit run dashboard.py` on a free port, waits for /_stcore/health, opens each
page at 1440x900 and saves a full-page PNG per page.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from klynge.devtools import launch_chromium, page_url, streamlit_server, wait_for_app  # noqa: E402
from klynge.ui.pages import PAGES  # noqa: E402


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
    with streamlit_server() as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        for spec in PAGES:
            page.goto(page_url(server.url, spec, args.query))
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

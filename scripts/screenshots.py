"""Screenshots of every page in headless Chromium, for looking at the app as a user does.

    python scripts/screenshots.py [--out screenshots] [--query "niva=Arena&fra=2023&til=2023"]
                                  [--width 390] [--pages oversikt,medlemmer] [--full]

Starts `streamlit run dashboard.py` on a free port, waits for /_stcore/health, opens each
page (or those named by their URL path) at the given width (1440 px unless told) and saves a
PNG per page: the first screen, or with --full the whole page. A page with sections (tabs
drawn only when open) gets one PNG per section, named `<page>-<n>.png` from the second on.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from klynge.devtools import (  # noqa: E402
    launch_chromium, open_section, page_url, section_labels, streamlit_server, wait_for_app, wait_for_charts,
)
from klynge.ui.pages import PAGES  # noqa: E402


def shoot(page, target: Path, width: int, full: bool) -> None:
    """A PNG of the page as it is: the first screen, or with `full` the whole page."""
    height = None
    if full:
        # The app scrolls inside its main section, so grow the window to the content.
        height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
        page.set_viewport_size({"width": width, "height": min(max(900, height), 12000)})
        page.wait_for_timeout(1500)
    page.screenshot(path=str(target))
    page.set_viewport_size({"width": width, "height": 900})
    print(target, f"{height} px high" if full else "")


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(REPO_ROOT / "screenshots"))
    parser.add_argument("--query", default="", help="query string added to every page's URL")
    parser.add_argument("--prefix", default="")
    parser.add_argument("--full", action="store_true", help="the whole page, not just the first 900 pixels")
    parser.add_argument("--width", type=int, default=1440, help="the window's width in pixels (390 for a phone)")
    parser.add_argument("--pages", default="", help="comma-separated URL paths of the pages (default: every page)")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with streamlit_server() as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        width = args.width
        page = browser.new_page(viewport={"width": width, "height": 900})
        wanted = {name.strip() for name in args.pages.split(",") if name.strip()}
        for spec in (spec for spec in PAGES if not wanted or spec.url_path in wanted):
            page.goto(page_url(server.url, spec, args.query))
            wait_for_app(page)
            wait_for_charts(page)
            wait_for_app(page)  # a page may rerun once more (e.g. after putting the language in the link)
            shoot(page, out / f"{args.prefix}{spec.url_path}.png", width, args.full)
            for number, label in enumerate(section_labels(page)[1:], start=2):
                open_section(page, label)
                shoot(page, out / f"{args.prefix}{spec.url_path}-{number}.png", width, args.full)
        browser.close()


if __name__ == "__main__":
    main()

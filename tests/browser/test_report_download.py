"""The overview's "Last ned rapport" in Chromium: the file a user gets is the programme report
of the page's own filter, year and language, holding the same figures as
`python -m klynge summary --json` for that filter."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from pptx import Presentation
from pypdf import PdfReader

from klynge import cli
from klynge.devtools import page_url
from klynge.ui.pages import PAGES
from tests.browser.conftest import open_app, screenshot
from tests.test_programme_report import LABELS, expected_row

OVERVIEW = next(spec for spec in PAGES if spec.url_path == "oversikt")


def download(page, kind: str) -> bytes:
    button = page.locator(f"[class*='st-key-rapport-{kind}'] button").first  # (its help icon is a button too)
    button.wait_for()
    with page.expect_download(timeout=120_000) as made:  # the report is made when clicked: a few seconds
        button.click()
    assert made.value.suggested_filename.endswith(f"2024.{kind}")
    return Path(made.value.path()).read_bytes()


def test_the_overview_s_report_is_that_of_its_filter(page, demo_server, demo_database, capsys):
    open_app(page, page_url(demo_server.url, OVERVIEW, "lang=en&niva=Arena&niva=Arena%20Pro&fra=2021&til=2024"))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(download(page, "pdf"))).pages))
    assert cli.main(["summary", "--database", demo_database, "--year", "2024", "--level", "arena", "--level", "arena_pro",
                     "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [row["level"] for row in rows] == ["arena", "arena_pro"]
    for row in rows:
        assert expected_row(LABELS["en"][row["level"]], row, "en") in text
    assert "Selection: Arena, Arena Pro; all counties; all sectors." in text
    assert "per level, 2021–2024" in text  # the trends start where the filter does

    deck = Presentation(io.BytesIO(download(page, "pptx")))
    titles = [next(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame) for slide in deck.slides]
    assert titles[:2] == ["The cluster programme 2024: results and goal attainment", "Key figures 2024"]
    assert sum(shape.shape_type == 13 for slide in deck.slides for shape in slide.shapes) == 4
    screenshot(page, "report-download")

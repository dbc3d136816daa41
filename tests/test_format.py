"""Numbers as the reader writes them: a table's columns, formatted a column at a time, read
exactly as the same numbers formatted one by one, in both languages; and a table shows those
texts while its data stay numbers, gaps included."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from klynge.ui import format as fmt

NBSP = "\u00a0"
VALUES = [0, 1, 7, 999, 1000, 1234, -1234, 12345.678, 1_234_567, 0.5, 1.5, 2.5, -0.5, 0.05, 0.15, 0.25,
          -0.04, 2.345, 99.95, 1e9 + 0.5, math.nan, None]
SHARES = [0, 0.005, 0.015, 0.234, 0.235, 0.5, 1, 1.2, 0.9999, -0.1, math.nan, None]


@pytest.fixture(params=["nb", "en"])
def language(request, monkeypatch):
    monkeypatch.setattr(fmt, "language", lambda: request.param)
    return request.param


@pytest.mark.parametrize("unit, one", [("count", fmt.integer), ("mnok", fmt.mnok), ("ratio", fmt.ratio),
                                        ("decimal", lambda v: fmt.number(v, 1))])
@pytest.mark.parametrize("dtype", ["float64", "object"])
def test_a_column_reads_as_its_numbers_one_by_one(language, unit, one, dtype):
    values = pd.Series(VALUES, dtype=dtype)
    assert fmt.column(values, unit).tolist() == [one(v) for v in VALUES]


def test_integer_columns_with_gaps(language):
    values = pd.Series([3, None, 4500], dtype="Int64")
    assert fmt.column(values, "count").tolist() == [fmt.integer(3), "–", fmt.integer(4500)]


def test_percent_columns(language):
    assert fmt.column(pd.Series(SHARES, dtype="float64"), "percent").tolist() == [fmt.percent(s) for s in SHARES]


def test_date_columns(language):
    days = [dt.date(2023, 7, 3), None]
    assert fmt.column(pd.Series(days, dtype="object"), "date").tolist() == [fmt.date(d) for d in days]


def test_the_texts_themselves(language):
    texts = fmt.column(pd.Series([1234567, 2.5, None]), "count").tolist()
    assert texts == ([f"1{NBSP}234{NBSP}567", "2", "–"] if language == "nb" else ["1,234,567", "2", "–"])
    assert fmt.column(pd.Series([4.55]), "mnok").tolist() == [f"4,5{NBSP}MNOK" if language == "nb" else f"4.5{NBSP}MNOK"]
    assert fmt.column(pd.Series([0.234]), "percent").tolist() == [f"23{NBSP}%" if language == "nb" else "23%"]


def test_empty_and_all_missing_columns(language):
    assert fmt.column(pd.Series([], dtype="float64"), "count").tolist() == []
    assert fmt.column(pd.Series([None, None], dtype="object"), "mnok").tolist() == ["–", "–"]


def test_an_unknown_unit_is_an_error():
    with pytest.raises(ValueError, match="unknown unit"):
        fmt.column(pd.Series([1]), "kroner")


def _table_app():
    import pandas as pd

    from klynge.ui import components

    frame = pd.DataFrame({"cluster": ["Alfa", None, "Gamma"], "members": [1234, None, 7],
                          "share": [0.234, 0.5, None], "funding": [4.55, 0.0, 12.25]})
    components.table(components.with_profile_links(frame.fillna({"cluster": "Beta"})), "Tabell",
                     units={"members": "count", "share": "percent", "funding": "mnok", "absent": "count"},
                     labels={"cluster": "Klynge", "members": "Medlemmer", "share": "Andel", "funding": "Midler"})


def _display_values(element) -> pd.DataFrame:
    return pa.ipc.open_stream(element.proto.arrow_data.styler.display_values).read_pandas()


def test_a_table_shows_the_formatted_texts_and_keeps_the_numbers():
    at = AppTest.from_function(_table_app).run()
    assert not at.exception
    element = at.dataframe[0]
    shown = _display_values(element)
    assert list(shown.columns) == ["Klynge", "Medlemmer", "Andel", "Midler", "profile_link"]
    assert shown["Medlemmer"].tolist() == [f"1{NBSP}234", "–", "7"]
    assert shown["Andel"].tolist() == [f"23{NBSP}%", f"50{NBSP}%", "–"]
    assert shown["Midler"].tolist() == [f"4,5{NBSP}MNOK", f"0,0{NBSP}MNOK", f"12,2{NBSP}MNOK"]
    assert shown["Klynge"].tolist() == ["Alfa", "Beta", "Gamma"]
    # the grid sorts by the data, which stay numbers, gaps included (sent as -inf, which the
    # grid sorts at one end, and shown as "–")
    data = element.value
    assert data["Midler"].tolist() == [4.55, 0.0, 12.25]
    assert data["Medlemmer"].tolist() == [1234, -math.inf, 7]
    assert data["Andel"].tolist() == [0.234, 0.5, -math.inf]
    assert element.proto.placeholder == "–"


def test_a_table_follows_the_language():
    at = AppTest.from_function(_table_app)
    at.session_state["_klynge_language"] = "en"
    at.run()
    shown = _display_values(at.dataframe[0])
    assert shown["Medlemmer"].tolist() == ["1,234", "–", "7"]
    assert shown["Midler"].tolist()[0] == f"4.5{NBSP}MNOK"


def _streamlit_display_values(frame: pd.DataFrame, texts: dict[str, pd.Series]) -> bytes:
    """What Streamlit makes of a Styler whose body holds `texts` cell by cell, as pandas'
    `_translate` shapes it (what `components.shown_as` handed it before `display_values`)."""
    from streamlit import dataframe_util
    from streamlit.elements.lib.pandas_styler_utils import _use_display_values

    positions = {column: index for index, column in enumerate(frame.columns)}
    body = [[{"id": f"row{row}_col{positions[column]}", "display_value": text} for row, text in enumerate(values.tolist())]
            for column, values in texts.items()]
    return dataframe_util.convert_pandas_df_to_arrow_bytes(_use_display_values(frame, {"body": body}))


@pytest.mark.parametrize("rows", [0, 1, 3, 250])
def test_display_values_are_those_streamlit_makes_from_a_styler_cell_by_cell(rows, language):
    from klynge.ui import components

    base = pd.DataFrame({
        "Klynge": ["Alfa", None, "Gåmma «x»", "=SUM(A1)"],
        "Medlemmer": [1234.0, -math.inf, 7.0, 0.0],
        "Andel": [0.234, 0.5, -math.inf, 1.0],
        "Antall": pd.array([3, None, 5, 0], dtype="Int64"),
        "Dato": [dt.date(2024, 1, 31), None, dt.date(2025, 12, 1), dt.date(2020, 2, 29)],
        "Fylke": pd.Series(["Oslo", "Agder", None, "Troms"], dtype="str"),
        "Ja": [True, False, True, False],
    })
    # Rows picked at random, their index kept (a filtered table's), or none.
    frame = base.sample(rows, replace=True, random_state=rows) if rows else base.iloc[:0]
    units = {"Medlemmer": "count", "Andel": "percent", "Antall": "count", "Dato": "date"}
    texts = {column: fmt.column(frame[column].replace(-math.inf, math.nan) if column != "Dato" else frame[column], unit)
             for column, unit in units.items()}
    ours = components.display_values(frame, texts)
    assert ours == _streamlit_display_values(frame, texts)
    shown = pa.ipc.open_stream(ours).read_pandas()
    assert shown.shape == frame.shape
    assert shown["Medlemmer"].tolist() == texts["Medlemmer"].tolist()


def test_a_table_hands_streamlit_its_display_values_made_in_advance(monkeypatch):
    """The element carries the display values `display_values` made, not Streamlit's own
    cell-by-cell ones (which would also be right, only slower)."""
    from streamlit.elements.lib import pandas_styler_utils

    from klynge.ui import components

    assert pandas_styler_utils._marshall_display_values is components._marshall_display_values

    def cell_by_cell(*args):
        raise AssertionError("Streamlit made a table's display values cell by cell")

    monkeypatch.setattr(components, "_streamlit_display_values", cell_by_cell)
    at = AppTest.from_function(_table_app).run()
    assert not at.exception
    assert _display_values(at.dataframe[0])["Medlemmer"].tolist() == [f"1{NBSP}234", "–", "7"]

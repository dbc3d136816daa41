"""Reports and tables as files: CSV, Excel and JSON, exactly as filtered.

The CLI's `export` and the dashboard's download buttons both go through here, so a file
downloaded from a page and one exported on the command line have the same shape, and the
same protection against formula injection (`neutralise_formula`).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
from decimal import Decimal

import pandas as pd
from sqlalchemy import Engine

from klynge import queries
from klynge.formulas import neutralise_formula, restore_formula_text
from klynge.reports.fields import FIELD_NAMES

EXPORT_COLUMNS: tuple[str, ...] = (*FIELD_NAMES, "level", "region", "sector")
FORMATS = ("csv", "xlsx", "json")



def export_reports(engine: Engine, flt: queries.Filter) -> pd.DataFrame:
    """One row per report: the canonical fields plus the level, region and sector of that
    cluster in that year."""
    frame = queries.reports(engine, flt)
    return frame[list(EXPORT_COLUMNS)].reset_index(drop=True)


def _cell(value):
    """A value as it goes into a flat file: lists joined, dates ISO, missing as empty."""
    if isinstance(value, (list, tuple)):
        return "; ".join(str(item) for item in value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if value is pd.NaT or value is pd.NA:
        return None
    return value


def _sheet_cell(value):
    """A value as it goes into a CSV or Excel file: `_cell`, and text never a formula."""
    value = _cell(value)
    return neutralise_formula(value) if isinstance(value, str) else value


def _json_value(value):
    if isinstance(value, (list, tuple)):
        return list(value)
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # numpy scalar
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if value is pd.NaT or value is pd.NA:
        return None
    return value


def write_frame(frame: pd.DataFrame, fmt: str) -> bytes:
    """`frame` as the bytes of a CSV (UTF-8), Excel or JSON (an array of objects) file.

    In CSV and Excel, every text (headers included) that a spreadsheet could read as a
    formula has a leading apostrophe (`neutralise_formula`). In Excel every text cell is
    stored as a string, never as a formula, and a marked one also has Excel's own mark of
    text (quotePrefix).
    Numbers, dates and gaps are never marked. JSON is left as it is: it is data for
    programs, not a spreadsheet, and a program reads "=1" as the text it is.
    """
    if fmt == "json":
        records = [{name: _json_value(value) for name, value in zip(frame.columns, row)}
                   for row in frame.itertuples(index=False, name=None)]
        return (json.dumps(records, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    # Cell by cell into object columns: `map` would infer a type again, and a column of whole
    # numbers with a gap (Int64) would come out as floats ("2023.0").
    flat = frame.apply(lambda column: pd.Series([_sheet_cell(value) for value in column], index=column.index, dtype=object)
                       ) if len(frame) else frame
    flat = flat.rename(columns=lambda name: neutralise_formula(name) if isinstance(name, str) else name)
    if fmt == "csv":
        return _csv_text(flat).encode("utf-8")
    if fmt == "xlsx":
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            flat.to_excel(writer, index=False)
            _text_as_text(writer.book.worksheets[0])
        return buffer.getvalue()
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _csv_text(flat: pd.DataFrame) -> str:
    r"""`flat` as CSV text, rows ending in "\n", every field that holds a line break quoted.

    Python's csv module quotes a field for a line break only if the break is in its line
    terminator: with "\n" it would leave a lone "\r" bare, a spreadsheet would end the row
    there, and "x\r=1+1" would begin a cell with a formula. Written with "\r\n", every such
    field is quoted; the rows' own "\r\n" are then the only ones outside quotes (a quote in
    a field is doubled, so splitting on quotes alternates outside and inside)."""
    parts = flat.to_csv(index=False, lineterminator="\r\n").split('"')
    parts[::2] = [part.replace("\r\n", "\n") for part in parts[::2]]
    return '"'.join(parts)


def _text_as_text(sheet) -> None:
    """Every text cell of an openpyxl `sheet` stored as a string, never as a formula (openpyxl
    makes one of any text that starts with "="); a marked one also gets Excel's quotePrefix,
    so that editing it in Excel keeps it text."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
                if restore_formula_text(cell.value) != cell.value:  # marked by neutralise_formula
                    cell.quotePrefix = True

"""Reports and tables as files: CSV, Excel and JSON, exactly as filtered.

The CLI's `export` and the dashboard's download buttons both go through here, so a file
downloaded from a page and one exported on the command line have the same shape.
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
    if value is pd.NaT:
        return None
    return value


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
    if value is pd.NaT:
        return None
    return value


def write_frame(frame: pd.DataFrame, fmt: str) -> bytes:
    """`frame` as the bytes of a CSV (UTF-8), Excel or JSON (an array of objects) file."""
    if fmt == "json":
        records = [{name: _json_value(value) for name, value in zip(frame.columns, row)}
                   for row in frame.itertuples(index=False, name=None)]
        return (json.dumps(records, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    flat = frame.apply(lambda column: column.map(_cell)) if len(frame) else frame
    if fmt == "csv":
        return flat.to_csv(index=False, lineterminator="\n").encode("utf-8")
    if fmt == "xlsx":
        buffer = io.BytesIO()
        flat.to_excel(buffer, index=False, engine="openpyxl")
        return buffer.getvalue()
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")

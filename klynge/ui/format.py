"""Numbers as the reader writes them: `1 234`, `4,5 MNOK`, `23 %` in bokmål, and
`1,234`, `4.5 MNOK`, `23%` in English.

The Norwegian thousands separator is a no-break space, so a number never wraps.
"""

from __future__ import annotations

import math

import pandas as pd

from klynge.ui.texts import language

NBSP = "\u00a0"
GAP = "–"  # a missing value, in text and in tables
# (thousands separator, decimal mark, space before %) per language
_STYLE = {"nb": (NBSP, ",", NBSP), "en": (",", ".", "")}


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value, decimals: int = 0) -> str:
    """`1234.5` -> `1 234,5` (with `decimals=1`)."""
    if _is_missing(value):
        return "–"
    text = f"{float(value):,.{decimals}f}" if decimals else f"{round(float(value)):,d}"
    thousands, decimal, _ = _STYLE[language()]
    return text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)


def integer(value) -> str:
    return number(value, 0)


def mnok(value, decimals: int = 1) -> str:
    """Millions of kroner: `4.5` -> `4,5 MNOK`."""
    if _is_missing(value):
        return "–"
    return f"{number(value, decimals)}{NBSP}MNOK"


def percent(share, decimals: int = 0) -> str:
    """A share between 0 and 1: `0.23` -> `23 %`."""
    if _is_missing(share):
        return "–"
    return f"{number(100 * float(share), decimals)}{_STYLE[language()][2]}%"


def ratio(value, decimals: int = 1) -> str:
    """A plain ratio: `2.345` -> `2,3`."""
    return number(value, decimals)


def signed(value, decimals: int = 0, unit: str = "") -> str:
    """A change from the year before: `+12`, `−3,5 MNOK` (with a real minus sign)."""
    if _is_missing(value):
        return "–"
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    body = number(abs(value), decimals)
    return f"{sign}{body}{NBSP + unit if unit else ''}"


def date(value) -> str:
    """A date: `03.07.2023` in bokmål, `2023-07-03` in English."""
    if _is_missing(value) or value is pd.NaT:
        return "–"
    return value.strftime("%d.%m.%Y") if language() == "nb" else value.isoformat()


def metric_delta(value, decimals: int = 0, unit: str = "") -> str | None:
    """A change for `st.metric`, which colours and points its arrow by the leading sign
    (an ASCII hyphen for a fall); no change and no earlier year show no delta."""
    if _is_missing(value) or round(float(value), decimals) == 0:
        return None
    sign = "+" if value > 0 else "-"
    return f"{sign}{number(abs(value), decimals)}{NBSP + unit if unit else ''}"


# pandas' default text (what its constructors and `astype(str)` make), held in Arrow.
TEXT = pd.StringDtype(na_value=math.nan)


def is_text(values: pd.Series) -> bool:
    """Whether `values` are pandas' default text (`TEXT`), held in Arrow already."""
    return values.dtype == TEXT and values.dtype.storage == TEXT.storage


# Whole columns at once, for tables: the same text as the functions above give cell by cell
# (`tests/test_format.py` holds them to it), at a fraction of the cost for thousands of rows.

def _texts(values: pd.Series, decimals: int, suffix: str = "", scale: float = 1.0) -> pd.Series:
    """`values` (numbers, with gaps) as `number(scale * value, decimals)` writes each, then
    `suffix`: rounded as Python rounds, grouped by thousands, in the reader's language; a
    gap is "–". A list at a time: the pandas steps it replaces cost more than the texts
    themselves at any size of table."""
    thousands, decimal, _ = _STYLE[language()]
    marks = str.maketrans({",": thousands, ".": decimal})
    pattern = f"{{:,.{decimals}f}}"
    texts = [GAP if gap else (pattern.format(scale * float(value)) if decimals
                              else f"{round(scale * float(value)):,d}").translate(marks) + suffix
             for value, gap in zip(values.tolist(), values.isna().tolist())]
    return pd.Series(texts, index=values.index, dtype=object)


def numbers(values: pd.Series, decimals: int = 0) -> pd.Series:
    """`number` for a whole column."""
    return _texts(values, decimals)


def mnok_column(values: pd.Series, decimals: int = 1) -> pd.Series:
    """`mnok` for a whole column."""
    return _texts(values, decimals, f"{NBSP}MNOK")


def percent_column(shares: pd.Series, decimals: int = 0) -> pd.Series:
    """`percent` for a whole column of shares."""
    return _texts(shares, decimals, f"{_STYLE[language()][2]}%", scale=100.0)


def date_column(values: pd.Series) -> pd.Series:
    """`date` for a whole column."""
    return values.map(date)


def column(values: pd.Series, unit: str) -> pd.Series:
    """A table column's values as text in the reader's language; `unit` is count, mnok,
    percent, ratio, decimal or date."""
    if unit == "count":
        return numbers(values, 0)
    if unit in ("ratio", "decimal"):
        return numbers(values, 1)
    if unit == "mnok":
        return mnok_column(values)
    if unit == "percent":
        return percent_column(values)
    if unit == "date":
        return date_column(values)
    raise ValueError(f"unknown unit {unit!r}")


def vega_locale() -> dict:
    """The d3-format locale for charts (Vega-Lite `config.locale`) in the reader's language."""
    thousands, decimal, space = _STYLE[language()]
    return {"number": {"decimal": decimal, "thousands": thousands, "grouping": [3], "currency": ["", " kr"],
                       "percent": f"{space}%"}}

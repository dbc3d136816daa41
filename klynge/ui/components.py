"""Pieces every page uses: the demo banner, empty states, key-figure tiles, tables with
Norwegian number formats, and CSV/Excel downloads of exactly what a table shows."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import quote

from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from klynge.exporting import write_frame
from klynge.ui import format as fmt
from klynge.ui.texts import t

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler

PROFILE_PAGE = "klyngeprofil"
PROFILE_KEY = "profil"


def demo_banner() -> None:
    st.warning(t("app.demo_banner"), icon=":material/science:")


def empty_database() -> None:
    st.info(t("app.empty_database"), icon=":material/database:")


def empty_selection() -> None:
    st.info(t("app.empty_selection"), icon=":material/filter_alt_off:")


@lru_cache(maxsize=50_000)  # the same names on every rerun; quoting costs 7 µs a name
def profile_link(name: str) -> str:
    """A link to a cluster's profile page (relative to the app's root)."""
    return f"{PROFILE_PAGE}?{PROFILE_KEY}={quote(name)}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "tabell"


def downloads(frame: pd.DataFrame | Callable[[], pd.DataFrame], name: str) -> None:
    """CSV and Excel buttons for `frame`, as shown, or for the frame a function gives (for
    rows the page does not read until they are asked for). The file is made when clicked,
    outside the script run: such a function must not read the session (labels included)."""
    def rows() -> pd.DataFrame:
        return frame() if callable(frame) else frame

    left, right, _ = st.columns([1, 1, 4])
    slug = _slug(name)
    left.download_button(
        t("download.csv"), data=lambda: write_frame(rows(), "csv"), file_name=f"{slug}.csv", mime="text/csv",
        key=f"csv-{slug}", on_click="ignore", icon=":material/download:",
    )
    right.download_button(
        t("download.xlsx"), data=lambda: write_frame(rows(), "xlsx"), file_name=f"{slug}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"xlsx-{slug}", on_click="ignore", icon=":material/download:",
    )


LINK_COLUMN = "profile_link"


def with_profile_links(frame: pd.DataFrame, name_column: str = "cluster") -> pd.DataFrame:
    """`frame` with a column of links to each row's cluster profile."""
    return frame.assign(**{LINK_COLUMN: frame[name_column].map(profile_link)})


def table(frame: pd.DataFrame, name: str, units: dict[str, str] | None = None,
          labels: dict[str, str] | None = None, height: int | str = "auto") -> None:
    """A table with Norwegian number formats (`units` maps a column to count, mnok,
    percent, ratio, decimal or date) and headers (`labels`), a link to the cluster's profile
    when the frame has one (`with_profile_links`), and its download buttons. The numbers stay
    numbers, so a column sorts by value, except in a column with gaps; the files hold the
    same rows and columns as the table, under the same headers."""
    units = {column: unit for column, unit in (units or {}).items() if column in frame}
    labels = labels or {}
    texts = {column: fmt.column(frame[column], unit) for column, unit in units.items()}
    # Streamlit's grid draws a missing value as "None", whatever text it is given to show:
    # a column with gaps is shown as its texts ("–" for a gap), and a text column with "–".
    gaps = [column for column in frame.columns if column != LINK_COLUMN and frame[column].isna().any()]
    shown = frame.assign(**{column: texts[column] if column in texts else frame[column].fillna("–") for column in gaps})
    display = {labels.get(column, column): text for column, text in texts.items() if column not in gaps}
    config = {}
    if LINK_COLUMN in frame:
        config[LINK_COLUMN] = st.column_config.LinkColumn(t("table.profile"), display_text=t("table.open_profile"), width="small")
    st.dataframe(shown_as(shown.rename(columns=labels), display), hide_index=True, column_config=config,
                 height=height, width="stretch")
    downloads(frame.rename(columns=labels).drop(columns=[LINK_COLUMN], errors="ignore"), name)


def shown_as(frame: pd.DataFrame, display: dict[str, pd.Series]) -> Styler:
    """`frame` for `st.dataframe`, its columns in `display` shown as the given texts (one per
    row, in order) while the grid still sorts them by value.

    Streamlit shows a pandas Styler's display values in place of its data. pandas makes
    them one cell at a time in `Styler._translate`, about 15 µs a cell: 0.7 s for a table of
    5,000 clusters, more than the rest of the page. The texts here are made a column at a
    time (`format.column`) and handed over in the shape `_translate` gives, the only part
    of a Styler Streamlit reads besides its data and uuid (`marshall_styler` in
    `streamlit/elements/lib/pandas_styler_utils.py`, Streamlit as pinned in
    requirements.txt). `tests/test_components.py` checks what reaches the browser.
    """
    positions = {column: index for index, column in enumerate(frame.columns)}
    body = [[{"id": f"row{row}_col{positions[column]}", "display_value": text}
             for row, text in enumerate(texts.tolist())]
            for column, texts in display.items()]
    translated = {"body": body, "cellstyle": [], "table_styles": []}
    styler = frame.style
    styler._compute = lambda: styler  # no cell styles to compute
    styler._translate = lambda *args, **kwargs: translated
    return styler


def indicator_heading(key: str, suffix: str = "") -> None:
    """A chart's heading: the indicator's name, with its definition and a link to the
    glossary in the help tooltip."""
    st.markdown(f"**{t(f'figure.{key}')}**{suffix}", help=f"{t(f'definition.{key}')}\n\n{t('glossary.see')}")

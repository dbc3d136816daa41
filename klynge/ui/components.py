"""Pieces every page uses: the demo banner, empty states, key-figure tiles, tables with
Norwegian number formats, and CSV/Excel downloads of exactly what a table shows."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote

import pandas as pd
import streamlit as st

from klynge.exporting import write_frame
from klynge.ui import format as fmt
from klynge.ui.texts import t

PROFILE_PAGE = "klyngeprofil"
PROFILE_KEY = "profil"


def demo_banner() -> None:
    st.warning(t("app.demo_banner"), icon=":material/science:")


def empty_database() -> None:
    st.info(t("app.empty_database"), icon=":material/database:")


def empty_selection() -> None:
    st.info(t("app.empty_selection"), icon=":material/filter_alt_off:")


def profile_link(name: str) -> str:
    """A link to a cluster's profile page (relative to the app's root)."""
    return f"{PROFILE_PAGE}?{PROFILE_KEY}={quote(name)}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "tabell"


def downloads(frame: pd.DataFrame, name: str) -> None:
    """CSV and Excel buttons for `frame`, as shown (the file is made when clicked)."""
    left, right, _ = st.columns([1, 1, 4])
    slug = _slug(name)
    left.download_button(
        t("download.csv"), data=lambda: write_frame(frame, "csv"), file_name=f"{slug}.csv", mime="text/csv",
        key=f"csv-{slug}", on_click="ignore", icon=":material/download:",
    )
    right.download_button(
        t("download.xlsx"), data=lambda: write_frame(frame, "xlsx"), file_name=f"{slug}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"xlsx-{slug}", on_click="ignore", icon=":material/download:",
    )


Formatter = Callable[[object], str]
FORMATTERS: dict[str, Formatter] = {
    "count": fmt.integer,
    "mnok": fmt.mnok,
    "percent": fmt.percent,
    "ratio": fmt.ratio,
    "decimal": lambda v: fmt.number(v, 1),
    "date": fmt.date,
}


LINK_COLUMN = "profile_link"


def with_profile_links(frame: pd.DataFrame, name_column: str = "cluster") -> pd.DataFrame:
    """`frame` with a column of links to each row's cluster profile."""
    return frame.assign(**{LINK_COLUMN: frame[name_column].map(profile_link)})


def table(frame: pd.DataFrame, name: str, units: dict[str, str] | None = None,
          labels: dict[str, str] | None = None, height: int | str = "auto") -> None:
    """A table with Norwegian number formats (`units` maps a column to count, mnok,
    percent, ratio or decimal) and headers (`labels`), a link to the cluster's profile when
    the frame has one (`with_profile_links`), and its download buttons. The files hold the
    same rows and columns as the table, under the same headers."""
    units = units or {}
    labels = labels or {}
    # Streamlit writes a missing value as "None"; a column with gaps (and every date column)
    # is shown as formatted text instead, with "–" for the gaps.
    gaps = {column: FORMATTERS[unit] for column, unit in units.items()
            if column in frame and (unit == "date" or frame[column].isna().any())}
    display = frame.assign(**{column: frame[column].map(formatter) for column, formatter in gaps.items()})
    display = display.assign(**{column: display[column].fillna("–") for column in display.columns
                                if column not in units and column != LINK_COLUMN and display[column].isna().any()})
    shown = display.rename(columns=labels)
    formats = {labels.get(column, column): FORMATTERS[unit] for column, unit in units.items() if column in frame and column not in gaps}
    config = {}
    if LINK_COLUMN in frame:
        config[LINK_COLUMN] = st.column_config.LinkColumn(t("table.profile"), display_text=t("table.open_profile"), width="small")
    st.dataframe(shown.style.format(formats, na_rep="–"), hide_index=True, column_config=config, height=height, width="stretch")
    downloads(frame.rename(columns=labels).drop(columns=[LINK_COLUMN], errors="ignore"), name)


def indicator_heading(key: str, suffix: str = "") -> None:
    """A chart's heading: the indicator's name, with its definition and a link to the
    glossary in the help tooltip."""
    st.markdown(f"**{t(f'figure.{key}')}**{suffix}", help=f"{t(f'definition.{key}')}\n\n{t('glossary.see')}")

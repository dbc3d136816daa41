"""Pieces every page uses: the demo banner, empty states, key-figure tiles, tables with
Norwegian number formats, CSV/Excel downloads of exactly what a table shows, and links
inside the app that keep the reader's language and filters."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

import pandas as pd
import streamlit as st
from streamlit import dataframe_util

from klynge.exporting import write_frame
from klynge.ui import filters
from klynge.ui import format as fmt
from klynge.ui.kept import keep
from klynge.ui.texts import CATALOGUES, DEFAULT_LANGUAGE, LANGUAGE_KEY, language, t

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler
    from streamlit.elements.lib.mutable_tab_container import TabContainer

PROFILE_PAGE = "klyngeprofil"
PROFILE_KEY = "profil"
GLOSSARY_PAGE = "ordliste"
SECTIONS_KEY = "fane"  # with the page's url path: the open section (tab) of a page, kept while the page is open


def demo_banner() -> None:
    st.warning(t("app.demo_banner"), icon=":material/science:")


def empty_database() -> None:
    st.info(t("app.empty_database"), icon=":material/database:")


def empty_selection() -> None:
    st.info(t("app.empty_selection"), icon=":material/filter_alt_off:")


def view_query() -> str:
    """The query string that keeps this view in a link to another page: the language (when
    not bokmål) and the sidebar's filters, as they stand in this page's URL."""
    parameters = list(filters.link_parameters())
    if language() != DEFAULT_LANGUAGE:
        parameters.insert(0, (LANGUAGE_KEY, language()))
    return urlencode(parameters, quote_via=quote)


def _with_view(path: str, query: str) -> str:
    view = view_query()
    return f"{path}?{'&'.join(part for part in (query, view) if part)}" if query or view else path


@lru_cache(maxsize=50_000)  # the same names on every rerun; quoting costs 7 µs a name
def _quoted(name: str) -> str:
    return quote(name, safe="")


def profile_link(name: str) -> str:
    """A link to a cluster's profile page (relative to the app's root) in the same language
    and with the same filters as the page it is on."""
    return _with_view(PROFILE_PAGE, f"{PROFILE_KEY}={_quoted(name)}")


def glossary_link() -> str:
    """A link to the glossary in the same language and with the same filters."""
    return _with_view(GLOSSARY_PAGE, "")


def see_glossary() -> str:
    """The help texts' closing line, "see the glossary", its link keeping the view."""
    return t("links.see_glossary", link=glossary_link())


def slug(text: str) -> str:
    """`text` as a file name or a widget key: lower-case letters, digits and hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "tabell"



def downloads(frame: pd.DataFrame | Callable[[], pd.DataFrame], name: str) -> None:
    """CSV and Excel buttons for `frame`, as shown, or for the frame a function gives (for
    rows the page does not read until they are asked for). The file is made when clicked,
    outside the script run: such a function must not read the session (labels included)."""
    def rows() -> pd.DataFrame:
        return frame() if callable(frame) else frame

    left, right, _ = st.columns([1, 1, 4])
    name_slug = slug(name)
    left.download_button(
        t("download.csv"), data=lambda: write_frame(rows(), "csv"), file_name=f"{name_slug}.csv", mime="text/csv",
        key=f"csv-{name_slug}", on_click="ignore", icon=":material/download:",
    )
    right.download_button(
        t("download.xlsx"), data=lambda: write_frame(rows(), "xlsx"), file_name=f"{name_slug}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"xlsx-{name_slug}", on_click="ignore", icon=":material/download:",
    )


LINK_COLUMN = "profile_link"


def with_profile_links(frame: pd.DataFrame, name_column: str = "cluster") -> pd.DataFrame:
    """`frame` with a column of links to each row's cluster profile, each as `profile_link`
    makes it; the view's query string is made once for the whole column."""
    view = view_query()
    links = f"{PROFILE_PAGE}?{PROFILE_KEY}=" + frame[name_column].map(_quoted)
    return frame.assign(**{LINK_COLUMN: links + f"&{view}" if view else links})


# Column widths, in pixels, estimated from the number of characters: the grid sizes a column
# by its first rows only, which cuts longer texts further down, and long headers.
CHARACTER_PX = 6.8  # the grid's 14 px Source Sans: a little more than its average letter
CELL_PADDING_PX = 24
HEADER_EXTRA_PX = 40  # the sort arrow and the column menu beside a header
NARROWEST_PX = 60
WIDEST_PX = 400  # Streamlit's "large"; a longer text wraps
NARROWEST_WRAPPED_PX = 240  # a long text column may be narrowed to this for the table to fit
LINE_PX, MOST_LINES = 20, 4  # a row shows up to 4 lines of a long text; the grid wraps above 64 px
PAGE_PX = 980  # the main column at 1440 px with the sidebar open: a wider table scrolls
# Beside the main column: the sidebar and margins on a wide screen, the margins on a phone
# (where the sidebar is folded away, below 768 px).
WIDE_SIDES_PX, PHONE_SIDES_PX, PHONE_PX = 470, 32, 768
NUMBER_UNITS = ("count", "mnok", "percent", "ratio", "decimal")


def _width(values: pd.Series) -> int:
    """The pixels the longest of `values` (gaps left out) needs on one line, written as
    pandas writes them (`astype(str)`); texts are measured a list at a time."""
    if values.dtype == object or pd.api.types.is_string_dtype(values):
        present = [value for value, gap in zip(values.tolist(), values.isna().tolist()) if not gap]
        longest = max(map(len, map(str, present)), default=0)
    else:
        texts = values.dropna().astype(str)
        longest = texts.str.len().max() if len(texts) else 0
    return round(CHARACTER_PX * longest)


def _numbers(values: pd.Series) -> pd.Series:
    """A number column as numbers, gaps as NaN."""
    return values if pd.api.types.is_numeric_dtype(values) else pd.to_numeric(values, errors="coerce")


# The grid sorts a missing number as if it were 0, among the zeros (`a_` and `r_` in
# streamlit/static/static/js/DataFrame.*.js, Streamlit 1.67: null becomes "", and "" == 0).
# A gap in a number column is sent as -inf instead, shown as "–" like any gap, so that it
# sorts first going up and last going down. tests/browser/test_tables.py checks the order.
SORTABLE_GAP = -math.inf


def _sortable(values: pd.Series) -> pd.Series:
    return values.astype("float64").fillna(SORTABLE_GAP) if values.isna().any() else values


def column_widths(headers: dict[str, str], contents: dict[str, int], texts: set[str]) -> tuple[dict[str, int], int | None]:
    """Each column's width: room for its header (`headers`) and its longest value (`contents`,
    in pixels on one line), up to WIDEST_PX. A text column (`texts`) longer than that wraps,
    and so may any text wider than NARROWEST_WRAPPED_PX: when the table is wider than the
    page, those columns give up room in proportion, down to that width or their header's.
    Returns the widths and the row height that shows the wrapped texts in full (up to
    MOST_LINES lines), or None when nothing wraps."""
    header_px = {column: round(len(header) * CHARACTER_PX + HEADER_EXTRA_PX) for column, header in headers.items()}
    widths = {column: min(max(header_px[column], contents[column] + CELL_PADDING_PX, NARROWEST_PX), WIDEST_PX)
              for column in headers}
    long = {column for column in texts if contents[column] + CELL_PADDING_PX > WIDEST_PX}
    # Once the rows are tall for a long text, any text wider than NARROWEST_WRAPPED_PX may wrap too.
    wrapping = {column for column in texts if contents[column] + CELL_PADDING_PX > NARROWEST_WRAPPED_PX} if long else set()
    excess = sum(widths.values()) - PAGE_PX
    room = {column: widths[column] - max(NARROWEST_WRAPPED_PX, min(header_px[column], WIDEST_PX)) for column in wrapping}
    room = {column: spare for column, spare in room.items() if spare > 0}
    if excess > 0 and room:
        share = min(1.0, excess / sum(room.values()))
        widths |= {column: round(widths[column] - share * spare) for column, spare in room.items()}
    if not long:
        return widths, None
    lines = max(math.ceil(contents[column] / (widths[column] - CELL_PADDING_PX)) for column in wrapping)
    return widths, max(66, 16 + LINE_PX * min(lines, MOST_LINES))


_SAFE_KEY = re.compile(r"[a-z0-9-]+")


def scroll_cue(width: int, key: str) -> None:
    """A caption saying that a table `width` pixels wide scrolls sideways, shown only while
    the window is too narrow for the table: CSS media queries on the caption's container
    (`key`, which Streamlit gives it as the class `st-key-<key>`) hide it otherwise. The
    HTML holds only `key` (letters, digits and hyphens, as `slug` makes it) and numbers:
    no data reaches it."""
    if not _SAFE_KEY.fullmatch(key):
        raise ValueError(f"not a safe key for the scroll cue's style: {key!r}")
    with st.container(key=key):
        st.caption(t("table.scroll"))
    st.html(f"<style>.st-key-{key} {{ display: none; }} "
            f"@media (max-width: {PHONE_PX - 1}px) and (max-width: {width + PHONE_SIDES_PX - 1}px) "
            f"{{ .st-key-{key} {{ display: flex; }} }} "
            f"@media (min-width: {PHONE_PX}px) and (max-width: {width + WIDE_SIDES_PX - 1}px) "
            f"{{ .st-key-{key} {{ display: flex; }} }}</style>")


def table(frame: pd.DataFrame, name: str, units: dict[str, str] | None = None,
          labels: dict[str, str] | None = None, height: int | str = "auto") -> None:
    """A table with Norwegian number formats (`units` maps a column to count, mnok,
    percent, ratio, decimal or date) and headers (`labels`), a link to the cluster's profile
    when the frame has one (`with_profile_links`), and its download buttons.

    Numbers and dates stay what they are, so a column sorts by value, and numbers are
    right-aligned; they are shown as `format.column` writes them, a gap as "–" (a gap in a
    number column is sent as SORTABLE_GAP, so that it sorts at one end). Every column is
    wide enough for its header and its longest value, a long text wraps (`column_widths`),
    and a header's help names its column in full. A table wider than the window says above
    it that it scrolls sideways (`scroll_cue`). The files hold the same rows and columns as
    the table, under the same headers."""
    units = {column: unit for column, unit in (units or {}).items() if column in frame}
    labels = {column: (labels or {}).get(column, column) for column in frame.columns}
    shown, display, headers, widths, row_height = _layout(frame, units, labels, language(), t("table.profile"),
                                                           t("table.open_profile"))
    config = {}
    for column in frame.columns:
        header, width = headers[column], widths[column]
        if column == LINK_COLUMN:
            config[column] = st.column_config.LinkColumn(header, display_text=t("table.open_profile"), width=width,
                                                         help=t("table.open_profile_help"))
        elif units.get(column) in NUMBER_UNITS:
            # No `format`: it would replace the texts, and printf cannot write 1 234,5 or 23 %.
            config[labels[column]] = st.column_config.NumberColumn(header, width=width, help=header)
        else:
            config[labels[column]] = st.column_config.Column(header, width=width, help=header)
    scroll_cue(sum(widths.values()), f"scroll-{slug(name)}")
    st.dataframe(shown_as(shown, display), hide_index=True, column_config=config,
                 height=height, width="stretch", placeholder=fmt.GAP, row_height=row_height)
    downloads(lambda: frame.rename(columns=labels).drop(columns=[LINK_COLUMN], errors="ignore"), name)


@keep
def _layout(frame: pd.DataFrame, units: dict[str, str], labels: dict[str, str], lang: str, profile_header: str,
            open_profile: str) -> tuple[pd.DataFrame, bytes, dict[str, str], dict[str, int], int | None]:
    """What `table` shows, kept per table and language (`lang`, which the number formats
    follow): the frame under its headers with numbers as numbers (gaps as SORTABLE_GAP), its
    display values (`display_values`), the headers, the column widths and the row height."""
    numbers = {column: _numbers(frame[column]) for column, unit in units.items() if unit in NUMBER_UNITS}
    texts = {column: fmt.column(numbers[column] if column in numbers else frame[column], unit) for column, unit in units.items()}
    headers = {column: profile_header if column == LINK_COLUMN else str(labels[column]) for column in frame.columns}
    # A text made here has no gap ("–" stands for one): measured as a plain list.
    contents = {column: round(CHARACTER_PX * len(open_profile)) if column == LINK_COLUMN
                else _text_width(texts[column].tolist()) if column in texts else _width(frame[column])
                for column in frame.columns}
    widths, row_height = column_widths(headers, contents, {c for c in frame.columns if c != LINK_COLUMN and c not in units})
    # The frame under its headers, numbers as numbers, made in one step (not replaced, then
    # renamed: each a copy of the whole frame); two columns under one header stay two, as a
    # rename leaves them.
    values = {column: _sortable(numbers[column]) if column in numbers else frame[column] for column in frame.columns}
    if frame.columns.is_unique and len(set(labels.values())) == len(frame.columns):
        shown = pd.DataFrame({labels[column]: values[column] for column in frame.columns}, index=frame.index)
        shown.columns.name = frame.columns.name
    else:
        shown = frame.assign(**{column: values[column] for column in numbers}).rename(columns=labels)
    return shown, display_values(shown, {labels[column]: text for column, text in texts.items()}), headers, widths, row_height


def _text_width(texts: list[str]) -> int:
    """`_width` of texts without gaps."""
    return round(CHARACTER_PX * max(map(len, texts), default=0))


def display_values(frame: pd.DataFrame, texts: dict[str, pd.Series]) -> bytes:
    """The texts the grid shows for `frame`, as Arrow bytes: its columns in `texts` as those
    texts (one per row, in order), every other value as `str` writes it.

    This is what Streamlit makes of a pandas Styler's display values (`_use_display_values`
    in `streamlit/elements/lib/pandas_styler_utils.py`, Streamlit as pinned in
    requirements.txt): the frame `astype(str)`, then each cell of the Styler's body put in
    place, one at a time, and the result converted to Arrow (5,000 rows: 38 ms; about 8 %
    of the pages' reruns at national scale). Here it is done a column at a time (3 ms), once
    per table (`_layout` is kept). `tests/test_format.py` holds the two to the same bytes."""
    columns = {}
    for column in frame.columns:
        if column in texts:
            columns[column] = pd.array([str(value) for value in texts[column].tolist()], dtype=str)
        else:  # a text column is its own `str` (and keeps its gaps, as `astype(str)` does)
            values = frame[column]
            columns[column] = (values if fmt.is_text(values) else values.astype(str)).array
    return dataframe_util.convert_pandas_df_to_arrow_bytes(pd.DataFrame(columns, index=frame.index))



# The key under which `shown_as` hands its display values to `_marshall_display_values`.
DISPLAY_VALUES_KEY = "klynge_display_values"


def _marshall_display_values(proto, frame: pd.DataFrame, styles) -> None:
    """Streamlit's `_marshall_display_values`, given the display values `shown_as` made in
    advance (`display_values`), where it would make them cell by cell."""
    made = styles.get(DISPLAY_VALUES_KEY)
    if made is None:
        _streamlit_display_values(proto, frame, styles)
    else:
        proto.styler.display_values = made


def _take_over_display_values() -> Callable:
    """Put `_marshall_display_values` in Streamlit's place (once, however often this module
    is loaded); return Streamlit's own."""
    from streamlit.elements.lib import pandas_styler_utils

    own = getattr(pandas_styler_utils._marshall_display_values, "streamlit_own", pandas_styler_utils._marshall_display_values)
    _marshall_display_values.streamlit_own = own
    pandas_styler_utils._marshall_display_values = _marshall_display_values
    return own


_streamlit_display_values = _take_over_display_values()


def shown_as(frame: pd.DataFrame, display: bytes) -> Styler:
    """`frame` for `st.dataframe`, shown as the texts of `display` (`display_values`) while
    the grid still sorts its columns by value.

    Streamlit shows a pandas Styler's display values in place of its data. pandas makes
    them one cell at a time in `Styler._translate`, about 15 µs a cell: 0.7 s for a table of
    5,000 clusters, more than the rest of the page. Here no cell is styled and the display
    values are made in advance, a column at a time: the Styler's `_translate` hands them
    over (`DISPLAY_VALUES_KEY`) beside the two parts of a translated Styler Streamlit reads
    besides its data and uuid (`marshall_styler` in
    `streamlit/elements/lib/pandas_styler_utils.py`). `tests/test_format.py` and
    `tests/test_tables_and_links.py` check what reaches the browser,
    `tests/browser/test_tables.py` how the browser sorts it.

    The grid draws a missing value as the dataframe's `placeholder`, whatever text it is
    given, and uses these texts only for a column whose column_config has no `format`.
    """
    translated = {"body": [], "cellstyle": [], "table_styles": [], DISPLAY_VALUES_KEY: display}
    styler = frame.style
    styler._compute = lambda: styler  # no cell styles to compute
    styler._translate = lambda *args, **kwargs: translated
    return styler


def indicator_heading(key: str, suffix: str = "") -> None:
    """A chart's heading: the indicator's name, with its definition and a link to the
    glossary in the help tooltip."""
    st.markdown(f"**{t(f'figure.{key}')}**{suffix}", help=f"{t(f'definition.{key}')}\n\n{see_glossary()}")


def sections_key(page: str) -> str:
    """The state key of the sections of the page at url path `page` (one per page: a page
    another page's section names would open on the first of its own)."""
    return f"{SECTIONS_KEY}-{page}"


def sections(page: str, names: Sequence[str], opens_on: str | None = None) -> dict[str, TabContainer]:
    """A page's sections after its opening comparison, as tabs that draw only when open: a
    filter change reruns the charts and tables of the open section, not of all of them.
    `page` is the page's url path; `names` are the sections' codes (their labels are
    `t("tab.<name>")`). The first opens, unless the reader chose another while on the page,
    or `opens_on` names one (a link that searches the descriptions opens on them).

    The choice is kept by code, not by label, so a language switch keeps the open section:
    the tabs' state holds the label of the language it was chosen in, which is translated
    back here before the tabs are made (Streamlit would otherwise fall back to the first)."""
    labels = {name: t(f"tab.{name}") for name in names}
    known = {catalogue[f"tab.{name}"]: name for catalogue in CATALOGUES.values() for name in names}
    key = sections_key(page)
    held = st.session_state.get(key)
    chosen = known.get(held, opens_on if opens_on in labels else names[0])
    if held is not None and held not in labels.values():
        del st.session_state[key]  # the other language's label: the default below is the same section
    tabs = st.tabs(list(labels.values()), key=key, default=labels[chosen], on_change="rerun")
    return dict(zip(names, tabs, strict=True))

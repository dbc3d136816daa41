"""Tables and links inside the app: a profile or glossary link keeps the reader's language
and filters; the sector filter speaks the
reader's language while the URL keeps the stored names; a number column with gaps reaches
the browser as numbers, configured as a number column (right-aligned, sorted by value) that
shows "–" for a gap; every column is wide enough for its header. How Chromium sorts such a
column, and links after a filter changes on the same page: tests/browser/test_tables.py."""

from __future__ import annotations

import json
import math
import re
import time
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pyarrow as pa
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from klynge import queries
from klynge.domain import LEVEL_CODES
from klynge.store.engine import make_engine
from klynge.ui import components
from klynge.ui.catalogue_en import EN
from klynge.ui.catalogue_nb import NB
from klynge.ui.components import LINK_COLUMN
from klynge.ui.pages import PAGES
from klynge.ui.texts import speaking
from tests.test_pages import DASHBOARD, demo_url, open_section  # noqa: F401 - the demo database is shared

MEMBERS = "pages/medlemmer.py"
SECTOR = "Havteknologi"
SECTOR_EN = EN["sector.Havteknologi"]


@pytest.fixture(autouse=True)
def clear_caches():
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(scope="module")
def options(demo_url):  # noqa: F811
    engine = make_engine(demo_url)
    yield queries.filter_options(engine)
    engine.dispose()


def open_app(demo_url, monkeypatch, page: str | None = None, **params) -> AppTest:  # noqa: F811
    """The app at `page` (the overview when None), opened from a link with `params`. AppTest
    (Streamlit 1.67) loses the sidebar from its tree on a second run, so a filter changed on
    the page is tested in Chromium (tests/browser/test_tables.py)."""
    monkeypatch.setenv("KLYNGE_DATABASE_URL", demo_url)
    at = AppTest.from_file(DASHBOARD, default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page is not None:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def query(link: str) -> tuple[str, dict[str, list[str]]]:
    parts = urlsplit(link)
    assert not parts.scheme and not parts.netloc, link  # relative to the app
    return parts.path, parse_qs(parts.query)


def profile_links(at: AppTest) -> list[str]:
    links = [link for frame in at.dataframe if LINK_COLUMN in frame.value for link in frame.value[LINK_COLUMN]]
    assert links, "the page shows no profile links"
    return links


def glossary_links(at: AppTest) -> list[str]:
    """The glossary links in the help of the page's indicator headings
    (`components.indicator_heading`)."""
    headings = {f"**{EN[key]}**" for key in EN if key.startswith("figure.")} | {f"**{NB[key]}**" for key in NB if key.startswith("figure.")}
    helps = [element.proto.help for element in at.markdown if element.proto.help and element.value in headings]
    found = [part.split(")")[0] for text in helps for part in text.split("](")[1:] if part.startswith("ordliste")]
    assert found, "no indicator heading links to the glossary"
    return found


LEVELS_EN = [EN[f"level.{code}"] for code in LEVEL_CODES]


def test_links_keep_the_language_and_the_filters_of_the_url(demo_url, options, monkeypatch):  # noqa: F811
    first_year = str(options.years[1])
    at = open_app(demo_url, monkeypatch, MEMBERS, lang="en", niva=LEVELS_EN, fra=first_year, sektor=SECTOR)
    open_section(at, MEMBERS, "partners_gender")  # its table of clusters links to their profiles
    expected = {"lang": ["en"], "niva": LEVELS_EN, "fra": [first_year], "sektor": [SECTOR]}
    names = {name for _, name in options.clusters}
    for link in profile_links(at):
        path, params = query(link)
        assert path == components.PROFILE_PAGE
        assert params.pop(components.PROFILE_KEY)[0] in names
        assert params == expected
    for link in glossary_links(at):
        path, params = query(link)
        assert path == components.GLOSSARY_PAGE and params == expected
    assert components.GLOSSARY_PAGE in {page.url_path for page in PAGES}
    assert components.PROFILE_PAGE in {page.url_path for page in PAGES}


def test_a_cluster_name_is_quoted_whole_in_its_link(demo_url, options, monkeypatch):  # noqa: F811
    at = open_app(demo_url, monkeypatch, MEMBERS, lang="en")
    open_section(at, MEMBERS, "partners_gender")
    for link in profile_links(at):
        path, params = query(link)
        assert set(params) == {"profil", "lang"} and params["lang"] == ["en"]
    # & = # + / in a name survive the round trip; in bokmål with no filter, nothing is added
    frame = pd.DataFrame({"cluster": ["A & B = C #1 + D/E"]})
    link = components.with_profile_links(frame)[LINK_COLUMN].iloc[0]
    assert query(link) == (components.PROFILE_PAGE, {"profil": ["A & B = C #1 + D/E"]})
    assert link == components.profile_link("A & B = C #1 + D/E")


def test_the_sector_filter_speaks_english_and_the_url_keeps_the_stored_name(demo_url, monkeypatch):  # noqa: F811
    at = open_app(demo_url, monkeypatch, lang="en", sektor=SECTOR)
    sectors = at.multiselect(key="sektor")
    assert sectors.value == [SECTOR]
    assert SECTOR_EN in sectors.options and SECTOR not in sectors.options
    assert at.query_params["sektor"] in ([SECTOR], SECTOR)
    # the same link in bokmål selects the same sector, under its own name
    at = open_app(demo_url, monkeypatch, sektor=SECTOR)
    assert at.multiselect(key="sektor").value == [SECTOR] and SECTOR in at.multiselect(key="sektor").options
    # an unknown sector is dropped from the filter and from the URL (urlstate names it)
    at = open_app(demo_url, monkeypatch, sektor=["Finnes ikke", SECTOR])
    assert at.multiselect(key="sektor").value == [SECTOR]
    assert at.query_params["sektor"] in ([SECTOR], SECTOR)


def test_profile_links_for_many_rows_are_quick():
    frame = pd.DataFrame({"cluster": [f"Klynge {i} Æøå & co" for i in range(5000)]})
    components.with_profile_links(frame)  # the names' quoting is cached
    started = time.perf_counter()
    links = components.with_profile_links(frame)[LINK_COLUMN]
    assert time.perf_counter() - started < 0.2
    assert links.iloc[7] == components.profile_link("Klynge 7 Æøå & co")


# ------------------------------------------------------------------ numbers with gaps

def _gaps_app():
    import pandas as pd

    from klynge.ui import components

    frame = pd.DataFrame({"cluster": ["Alfa", "Beta", "Gamma", "Delta"],
                          "leverage": pd.Series([2.5, None, 10.25, 0.5], dtype="float64"),
                          "members": pd.Series([1234, None, 7, 80], dtype="object"),
                          "message": ["kort", None, "en svært lang tekst " * 12, "x"]})
    components.table(components.with_profile_links(frame), "Gap",
                     units={"leverage": "ratio", "members": "count"},
                     labels={"cluster": "Klynge", "leverage": "Utløst per programkrone (samlet for alle år)",
                             "members": "Medlemmer", "message": "Funn"})


def _columns(element) -> dict:
    return json.loads(element.proto.columns)


def test_a_number_column_with_gaps_reaches_the_browser_as_numbers():
    at = AppTest.from_function(_gaps_app).run()
    assert not at.exception
    element = at.dataframe[0]
    data = pa.ipc.open_stream(element.proto.arrow_data.data).read_all()
    header = "Utløst per programkrone (samlet for alle år)"
    for name in (header, "Medlemmer"):
        assert pa.types.is_floating(data.schema.field(name).type)
    # a gap is sent as -inf: the grid would sort a missing number among the zeros
    assert data.column("Medlemmer").to_pylist() == [1234, -math.inf, 7, 80]
    assert data.column(header).to_pylist() == [2.5, -math.inf, 10.25, 0.5]
    assert data.column("Funn").null_count == 1 and element.proto.placeholder == "–"
    columns = _columns(element)
    for name in (header, "Medlemmer"):
        config = columns[name]
        assert config["type_config"]["type"] == "number"
        assert "format" not in config["type_config"]  # a format would replace the Norwegian texts
        assert config.get("alignment") in (None, "right")  # numbers are right-aligned by default
        assert config["help"] == name
    display = pa.ipc.open_stream(element.proto.arrow_data.styler.display_values).read_pandas()
    assert display[header].tolist() == ["2,5", "–", "10,2", "0,5"]
    assert display["Medlemmer"].tolist() == ["1\u00a0234", "–", "7", "80"]


def _numbers_app():
    import pandas as pd

    from klynge.ui import components

    frame = pd.DataFrame({"members": [1234, 7], "leverage": [2.5, 10.25]})
    components.table(frame, "Tall", units={"members": "count", "leverage": "ratio"})


def test_a_table_kept_in_one_language_is_formatted_again_in_the_other():
    """The table's texts are kept per table (klynge/ui/kept.py): the language is part of the key."""
    at = AppTest.from_function(_numbers_app).run()
    display = pa.ipc.open_stream(at.dataframe[0].proto.arrow_data.styler.display_values).read_pandas()
    assert display.to_dict("list") == {"members": ["1\u00a0234", "7"], "leverage": ["2,5", "10,2"]}
    at.session_state["_klynge_language"] = "en"
    at.run()
    assert not at.exception
    display = pa.ipc.open_stream(at.dataframe[0].proto.arrow_data.styler.display_values).read_pandas()
    assert display.to_dict("list") == {"members": ["1,234", "7"], "leverage": ["2.5", "10.2"]}


def test_every_column_is_wide_enough_for_its_header_and_a_long_text_wraps():
    at = AppTest.from_function(_gaps_app).run()
    element = at.dataframe[0]
    columns = _columns(element)
    header = "Utløst per programkrone (samlet for alle år)"
    assert columns[header]["width"] >= len(header) * components.CHARACTER_PX + components.HEADER_EXTRA_PX - 1
    assert columns["Klynge"]["help"] == "Klynge"
    assert columns[LINK_COLUMN]["label"] == NB["table.profile"]
    # the long message wraps: rows taller than 64 px, the grid's threshold for wrapping
    assert element.proto.row_height > 64
    assert columns["Funn"]["width"] <= components.WIDEST_PX


def test_column_widths_give_up_room_only_in_long_texts():
    headers = {"cluster": "Klynge", "year": "År", "message": "Funn", "other": "Annet"}
    contents = {"cluster": 200, "year": 30, "message": 2000, "other": 900}
    widths, row_height = components.column_widths(headers, contents, {"cluster", "message", "other"})
    assert widths["year"] >= components.NARROWEST_PX
    assert widths["cluster"] == 200 + components.CELL_PADDING_PX  # not long: kept whole
    assert components.NARROWEST_WRAPPED_PX <= widths["message"] <= components.WIDEST_PX
    assert row_height is not None and row_height > 64
    widths, row_height = components.column_widths({"a": "A"}, {"a": 50}, {"a"})
    assert row_height is None and widths["a"] == max(components.NARROWEST_PX, 50 + components.CELL_PADDING_PX,
                                                     round(components.CHARACTER_PX + components.HEADER_EXTRA_PX))


def test_a_wide_table_says_it_scrolls():
    at = AppTest.from_function(_gaps_app).run()
    assert [caption.value for caption in at.caption] == [NB["table.scroll"]]
    styles = [element.proto.body for element in at.get("html")]
    assert any(".st-key-scroll-gap" in style and "@media" in style for style in styles)


def test_the_scroll_cues_style_holds_no_data():
    """The only HTML the app writes (the scroll cue's style) is made from the table's name
    through `slug`: a hostile name leaves letters, digits and hyphens only."""
    from klynge.ui.components import slug, scroll_cue

    hostile = '</style><script>alert("x")</script> «Sjø» {display:block}'
    assert re.fullmatch(r"[a-z0-9-]+", f"scroll-{slug(hostile)}")
    with pytest.raises(ValueError):
        scroll_cue(900, "scroll-</style>")


def test_a_tables_frame_is_made_in_one_step_as_renaming_would_make_it():
    """What `_layout` shows: the columns under their headers in order, numbers as numbers (a
    gap as SORTABLE_GAP), the frame's index and the name of its columns (a pivot's) kept; two
    columns under one header stay two, as a rename leaves them."""
    frame = pd.DataFrame({"level": ["Arena", "NCE"], "a": [1, 2], "b": [3.5, None]}, index=[4, 7])
    frame.columns.name = "figure"
    layout = components._layout.__wrapped__
    with speaking("nb"):
        shown, *_ = layout(frame, {"a": "count", "b": "mnok"}, {"level": "Nivå", "a": "Antall", "b": "Penger"},
                           "nb", "Profil", "Åpne")
        assert list(shown.columns) == ["Nivå", "Antall", "Penger"] and shown.columns.name == "figure"
        assert list(shown.index) == [4, 7] and shown["Nivå"].tolist() == ["Arena", "NCE"]
        assert shown["Antall"].tolist() == [1, 2] and shown["Penger"].tolist() == [3.5, components.SORTABLE_GAP]
        twice, *_ = layout(frame, {"a": "count", "b": "mnok"}, {"level": "Nivå", "a": "Tall", "b": "Tall"},
                           "nb", "Profil", "Åpne")
    assert list(twice.columns) == ["Nivå", "Tall", "Tall"]
    assert twice.iloc[:, 2].tolist() == [3.5, components.SORTABLE_GAP]

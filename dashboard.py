"""Klynge: the monitoring dashboard of Norway's cluster programme.

Run with `streamlit run dashboard.py`. This entry point sets the page up, draws the shared
filters once (bound to the URL), shows the demo banner, and runs the chosen page.
"""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from klynge.ui import data, filters, memory, urlstate
from klynge.ui.pages import PAGES, store_filter
from klynge.ui.texts import language_switch, t

log = logging.getLogger("klynge.dashboard")
# Served by the app itself (a ":material/..." icon would be fetched from an outside font host
# on every page load); klynge.devtools.draw_favicon draws it.
FAVICON = Path(__file__).resolve().parent / "klynge" / "ui" / "assets" / "favicon.png"

# The language comes first: every text after it, the page titles included, is in it.
language_switch()
st.set_page_config(page_title=t("app.title"), page_icon=str(FAVICON), layout="wide")

sections: dict[str, list] = {}
for page in PAGES:
    sections.setdefault(t(page.section_key), []).append(
        st.Page(page.path, title=t(page.title_key), icon=page.icon, url_path=page.url_path, default=page.default))
navigation = st.navigation(sections)

try:
    options = data.filter_options()
    demo = data.holds_demo_data()
except Exception:  # noqa: BLE001 - the user gets a message, the log gets the details
    log.exception("the database could not be read")
    st.error(t("app.database_error"), icon=":material/error:")
    st.stop()

urlstate.notice_ignored_parameters(options)  # before the widgets read the link
store_filter(filters.sidebar(options), options, demo)
with st.sidebar:
    st.caption(t("app.sidebar_note"))
memory.freeze_imports()  # once per process: what it imported lives as long as it
navigation.run()

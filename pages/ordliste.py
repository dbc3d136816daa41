"""Ordliste: every indicator with its definition, source fields and unit; the goals they
measure; and the programme's terms."""

import pandas as pd
import streamlit as st

from klynge.indicators import GOALS, INDICATORS
from klynge.ui import components
from klynge.ui.pages import start
from klynge.ui.texts import field_label, figure_label, t

start("page.glossary")
st.caption(t("glossary.caption"))
query = st.text_input(t("glossary.search"), key="ord", bind="query-params", placeholder=t("glossary.search_placeholder"))

goals_of = {key: [t(f"goal.{goal.key}") for goal in GOALS if key in goal.indicators] for key in (i.key for i in INDICATORS)}
rows = [{
    "indicator": figure_label(indicator.key),
    "definition": t(f"definition.{indicator.key}"),
    "sources": ", ".join(indicator.sources) if indicator.sources else t("glossary.no_field"),
    "source_labels": "; ".join(field_label(name) for name in indicator.sources) or "–",
    "unit": t(f"unit.{indicator.unit}"),
    "goals": "; ".join(goals_of[indicator.key]) or "–",
} for indicator in INDICATORS]
glossary = pd.DataFrame(rows)
if query:
    hits = glossary.apply(lambda row: row.str.contains(query, case=False, regex=False)).any(axis=1)
    glossary = glossary[hits]
st.subheader(t("glossary.indicators"))
if glossary.empty:
    st.info(t("glossary.no_match"))
for row in glossary.itertuples():
    with st.container(border=True):
        st.markdown(f"**{row.indicator}** · {row.unit}")
        st.markdown(row.definition)
        sources = f"`{row.sources.replace(', ', '`, `')}`" if row.sources != t("glossary.no_field") else row.sources
        st.caption(t("glossary.entry", sources=sources, goals=row.goals))
components.downloads(glossary.rename(columns={
    "indicator": t("glossary.indicator"), "definition": t("glossary.definition"), "sources": t("glossary.sources"),
    "source_labels": t("glossary.source_labels"), "unit": t("glossary.unit"), "goals": t("glossary.goals")}), t("glossary.file"))

st.subheader(t("glossary.terms"))
for term in ("levels", "nce", "esca", "five_point", "core_members", "report", "triggered", "leverage_rules"):
    st.markdown(f"**{t(f'term.{term}')}**")
    st.markdown(t(f"term.{term}.text"))

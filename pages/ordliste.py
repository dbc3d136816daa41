"""Ordliste: every indicator with its definition, source fields and unit; the goals they
measure; and the programme's terms."""

import pandas as pd
import streamlit as st

from klynge.domain import LEVEL_CODES
from klynge.indicators import GOALS, INDICATORS
from klynge.rules import RULE_UNITS
from klynge.ui import components, data
from klynge.ui import format as fmt
from klynge.ui.pages import start
from klynge.ui.texts import field_label, figure_label, level_label, source_text, t

start("page.glossary")
st.caption(t("glossary.caption"))


def scope_label(scope: str) -> str:
    return t(f"rule.scope.{scope}") if scope in ("nce", "programme") else level_label(scope)


def unit_label(unit: str) -> str:
    return t("rule.unit.years") if unit == "years" else t(f"unit.{unit}")


# Three sections, as tabs drawn only when open: the indicators (with their search), the
# programme's terms, its rules.
sections = components.sections("ordliste", ["indicators", "terms", "rules"])
if sections["indicators"].open:
    with sections["indicators"]:
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

if sections["terms"].open:
    with sections["terms"]:
        st.subheader(t("glossary.terms"))
        for term in ("levels", "nce", "esca", "five_point", "core_members", "report", "triggered", "leverage_rules", "median", "sum_share", "targets"):
            st.markdown(f"**{t(f'term.{term}')}**")
            st.markdown(t(f"term.{term}.text"))

if sections["rules"].open:
    with sections["rules"]:
        st.subheader(t("glossary.rules"))
        st.caption(t("glossary.rules_caption"))
        rules = data.rules().frame()
        if not rules.empty:
            # In the order a reader looks for them: money and time limits per level, then thresholds.
            rule_rank = {key: rank for rank, key in enumerate(RULE_UNITS)}
            scope_rank = {scope: rank for rank, scope in enumerate((*LEVEL_CODES, "nce", "programme"))}
            rules = rules.assign(rule_rank=rules["rule"].map(rule_rank), scope_rank=rules["scope"].map(scope_rank)).sort_values(
                ["rule_rank", "scope_rank", "valid_from"])
            values = [t("rule.not_set") if pd.isna(value)
                      else f"{fmt.number(value, 0 if float(value).is_integer() else 1)} {unit_label(unit)}"
                      for value, unit in zip(rules["value"], rules["unit"])]
            shown = rules.assign(rule=rules["rule"].map(lambda key: t(f"rule.{key}")), scope=rules["scope"].map(scope_label),
                                 value=values, source=rules["source"].map(source_text),
                                 note=rules["note"].map(source_text).replace("", "–"))
            components.table(shown[["rule", "scope", "valid_from", "value", "source", "note"]], t("glossary.rules_file"),
                             height="content", labels={name: t(f"glossary.rules_{name}") for name in
                                                       ("rule", "scope", "valid_from", "value", "source", "note")})

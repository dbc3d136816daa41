"""Datakvalitet: missing reports, the warnings stored at import, year-over-year jumps
beyond a factor the user sets, reports whose members by type differ from the register, and
what breaks the programme's rules (periods too long, reports outside any period)."""

import streamlit as st

from klynge.ui import components, data
from klynge.ui import format as fmt
from klynge.ui.pages import require_year, start
from klynge.ui.texts import field_label, finding_message, level_label, t

flt, options = start("page.quality")
require_year(flt, options)
st.caption(t("quality.caption"))
# Whole factors only, so that a shared link (`?faktor=5`) reads the same in every language.
FACTORS = (2, 3, 4, 5, 10)
factor = st.select_slider(t("quality.factor"), FACTORS, value=3, format_func=str, key="faktor", bind="query-params",
                          help=t("quality.factor_help"))
findings = data.findings(flt, float(factor))
KINDS = ("missing_report", "warning", "jump", "register_mismatch", "rules")
for column, kind in zip(st.columns(len(KINDS)), KINDS):
    column.metric(t(f"quality.kind.{kind}"), fmt.integer(int((findings["kind"] == kind).sum())), help=t(f"quality.help.{kind}"))
if findings.empty:
    st.success(t("quality.none"), icon=":material/check_circle:")
    st.stop()

LABELS = {"cluster": t("col.cluster"), "report_year": t("col.year"), "level": t("col.level"), "field": t("quality.field"),
          "message": t("quality.message"), "kind": t("quality.kind")}


def worded(frame):
    """Findings with labels and messages in the reader's language."""
    return frame.assign(
        level=frame["level"].map(level_label), field=frame["field"].map(field_label),
        message=[finding_message(*row) for row in zip(frame["kind"], frame["code"], frame["params"], frame["message"])],
    )


# Worded once for every finding, then taken a kind at a time (and whole for the download).
shown = worded(findings)


def listing(kind: str):
    return shown[findings["kind"] == kind]


st.subheader(t("quality.missing"))
missing = listing("missing_report")
if missing.empty:
    st.caption(t("quality.none_of_kind"))
else:
    per_cluster = missing.groupby(["cluster"], as_index=False).agg(
        level=("level", "last"), years=("report_year", lambda years: ", ".join(str(y) for y in sorted(years))),
        count=("report_year", "size"))
    components.table(components.with_profile_links(per_cluster), t("quality.missing_file"), units={"count": "count"},
                     labels={**LABELS, "years": t("quality.missing_years"), "count": t("quality.count")})

for kind, title_key in (("warning", "quality.warnings"), ("jump", "quality.jumps"), ("register_mismatch", "quality.mismatches"),
                        ("rules", "quality.rules")):
    st.subheader(t(title_key))
    part = listing(kind)
    if part.empty:
        st.caption(t("quality.none_of_kind"))
        continue
    components.table(components.with_profile_links(part[["cluster", "report_year", "level", "field", "message"]]),
                     t(f"{title_key}_file"), labels=LABELS)

st.subheader(t("quality.all"))
everything = shown.assign(kind=findings["kind"].map(lambda k: t(f"quality.kind.{k}")))
components.downloads(everything[["kind", "cluster", "report_year", "level", "field", "message"]].rename(columns=LABELS),
                     t("quality.all_file"))

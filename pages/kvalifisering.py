"""Kvalifisering: each cluster against the thresholds of Arena, Arena Pro, NCE and mature
clusters; which it meets, which it misses and by how much; the clusters ready for the
next level."""

import pandas as pd
import streamlit as st

from klynge import qualification as q
from klynge.ui import components, data
from klynge.ui import format as fmt
from klynge.ui.pages import require_rows, require_year, start
from klynge.ui.texts import level_label, t

flt, options = start("page.qualification")
year = require_year(flt, options)
this_year = flt.with_(years=(year, year))
register = require_rows(data.register_counts(this_year))
facts = q.cluster_facts(register, data.reports(this_year, columns=q.REPORT_FIELDS), data.clusters(this_year))
assessment = q.assess(facts)
st.caption(t("qualification.caption", year=year))


def target_label(target: str) -> str:
    return t(f"target.{target}")


def criterion_label(key: str) -> str:
    return t(f"criterion.{key}")


st.subheader(t("qualification.thresholds"))
criteria = list(dict.fromkeys(c.key for target in q.TARGETS for c in q.THRESHOLDS[target]))
sources = {c.key: c.source for target in q.TARGETS for c in q.THRESHOLDS[target]}
minimums = {(target, c.key): c.minimum for target in q.TARGETS for c in q.THRESHOLDS[target]}


def requirement(target: str, key: str) -> str:
    if (target, key) not in minimums:
        return "–"
    minimum = minimums[(target, key)]
    return t("qualification.at_least", minimum=minimum) if minimum is not None else t("qualification.required")


rows = [{"criterion": criterion_label(key), **{target: requirement(target, key) for target in q.TARGETS},
         "judged": t(f"qualification.source.{sources[key] or 'none'}")} for key in criteria]
thresholds = pd.DataFrame(rows)
components.table(thresholds, t("qualification.thresholds_file"), height="content",
                 labels={"criterion": t("qualification.criterion"), "judged": t("qualification.judged_from"),
                         **{target: target_label(target) for target in q.TARGETS}})
st.caption(t("qualification.source", source=q.SOURCE))

st.subheader(t("qualification.ready", year=year))
ready = q.ready_for_next_level(assessment)
if ready.empty:
    st.info(t("qualification.none_ready"))
else:
    shown = ready.assign(level=ready["level"].map(level_label), target=ready["target"].map(target_label))[
        ["cluster", "level", "target", "met", "unknown"]]
    components.table(components.with_profile_links(shown), t("qualification.ready_file", year=year),
                     units={"met": "count", "unknown": "count"},
                     labels={"cluster": t("col.cluster"), "level": t("col.level"), "target": t("qualification.next_level"),
                             "met": t("qualification.met_count"), "unknown": t("qualification.unknown_count")})
    st.caption(t("qualification.ready_caption"))

st.subheader(t("qualification.per_cluster"))
choice = st.segmented_control(t("qualification.against"), ["next", *q.TARGETS], default="next",
                              format_func=lambda c: t("qualification.next_level") if c == "next" else target_label(c),
                              key="mot", bind="query-params") or "next"
if choice == "next":
    wanted = [q.next_target(level, brand if isinstance(brand, str) else None) for level, brand in zip(facts["level"], facts["brand"])]
    chosen = assessment.merge(pd.DataFrame({"cluster_id": facts["cluster_id"], "target": wanted}), on=["cluster_id", "target"])
else:
    chosen = assessment[assessment["target"] == choice]


def cells(chosen: pd.DataFrame) -> list[str]:
    """Each criterion's cell: ✓ or ✗ with the cluster's figure and, when missed, by how much."""
    unknown = t("qualification.cell_unknown")
    texts = []
    for status, criterion, actual, gap in zip(chosen["status"], chosen["criterion"], fmt.numbers(chosen["actual"]),
                                              fmt.numbers(chosen["gap"])):
        if status == q.UNKNOWN:
            texts.append(unknown)
        elif criterion == "esca_gold":
            texts.append("✓" if status == q.MET else "✗")
        elif status == q.MET:
            texts.append(f"✓ {actual}")
        else:
            texts.append(f"✗ {actual} ({t('qualification.short_by', gap=gap)})")
    return texts


if chosen.empty:
    st.info(t("qualification.no_target"))
else:
    chosen = chosen.assign(cell=cells(chosen), criterion_label=chosen["criterion"].map(criterion_label))
    matrix = chosen.pivot_table(index=["cluster_id", "cluster", "level", "target"], columns="criterion_label", values="cell",
                                aggfunc="first", sort=False).reset_index()
    missed = chosen[chosen["status"] == q.MISSED].groupby("cluster_id").size()
    matrix["missed"] = matrix["cluster_id"].map(missed).fillna(0).astype(int)
    matrix = matrix.sort_values(["missed", "cluster"])
    matrix = matrix.assign(level=matrix["level"].map(level_label), target=matrix["target"].map(target_label))
    order = [criterion_label(k) for k in criteria if criterion_label(k) in matrix.columns]
    shown = matrix[["cluster", "level", "target", "missed", *order]].fillna("–")
    components.table(components.with_profile_links(shown), t("qualification.matrix_file", year=year),
                     units={"missed": "count"},
                     labels={"cluster": t("col.cluster"), "level": t("col.level"), "target": t("qualification.target"),
                             "missed": t("qualification.missed_count")})
    st.caption(t("qualification.matrix_caption"))

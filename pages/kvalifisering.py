"""Kvalifisering: each cluster against the criteria of Arena, Arena Pro, NCE and mature
clusters under the rules in force in the year; which it meets, misses (and by how much),
which lack data, and which the data cannot show. Ready for the next level only when every
criterion the data can judge is met and none lacks data; those that lack data are listed
apart, to be checked."""

import pandas as pd
import streamlit as st

from klynge import qualification as q
from klynge.ui import components, data
from klynge.ui import format as fmt
from klynge.ui.pages import require_rows, require_year, start
from klynge.ui.texts import level_label, source_text, t

flt, options = start("page.qualification")
year = require_year(flt, options)
this_year = flt.with_(years=(year, year))
# The register's counts with the year's report and the master data beside them, in one statement.
register = require_rows(data.register_counts(this_year, q.BESIDE_REGISTER))
rules = data.rules()
facts = q.cluster_facts(register)
assessment = q.assess(facts, rules, year)
st.caption(t("qualification.caption", year=year))


def target_label(target: str) -> str:
    return t(f"target.{target}")


def criterion_label(key: str) -> str:
    return t(f"criterion.{key}")


def criteria_text(keys: list[str]) -> str:
    return ", ".join(criterion_label(key) for key in keys) or "–"


st.subheader(t("qualification.thresholds", year=year))
criteria = list(dict.fromkeys(c.key for target in q.TARGETS for c in q.THRESHOLDS[target]))
kinds = {c.key: c.source for target in q.TARGETS for c in q.THRESHOLDS[target]}
by_target = {(target, c.key): c for target in q.TARGETS for c in q.THRESHOLDS[target]}


def requirement(target: str, key: str) -> str:
    """The cell of one criterion and target: its threshold in force, "not set" when the rules
    name none, or "required" for a yes/no criterion."""
    criterion = by_target.get((target, key))
    if criterion is None:
        return "–"
    if not criterion.counted:
        return t("qualification.required")
    threshold = q.minimum(rules, target, criterion, year)
    return t("qualification.not_set") if threshold is None else t("qualification.at_least", minimum=fmt.integer(threshold))


def sources(key: str) -> str:
    """Where a criterion comes from: its thresholds' rules in force in the year, or its basis."""
    found = {rules.rule(f"min_{key}", target, year) for target in q.TARGETS if (target, key) in by_target}
    texts = sorted({source_text(rule.source) for rule in found if rule is not None}
                   | {source_text(c.basis) for (_, k), c in by_target.items() if k == key and c.basis})
    return "; ".join(texts) or "–"


rows = [{"criterion": criterion_label(key), **{target: requirement(target, key) for target in q.TARGETS},
         "judged": t(f"qualification.source.{kinds[key] or 'none'}"), "source": sources(key)} for key in criteria]
components.table(pd.DataFrame(rows), t("qualification.thresholds_file", year=year), height="content",
                 labels={"criterion": t("qualification.criterion"), "judged": t("qualification.judged_from"),
                         "source": t("qualification.rule_source"), **{target: target_label(target) for target in q.TARGETS}})
validity = rules.value("esca_valid_years", "programme", year)
st.caption(t("qualification.esca_rule", years="–" if validity is None else fmt.integer(validity)))

# The rows that judge each cluster against its next level, and the outcomes they give.
next_rows = q.next_level_rows(assessment)
next_level = q.outcomes(next_rows)
LABELS = {"cluster": t("col.cluster"), "level": t("col.level"), "target": t("qualification.next_level"),
          "met": t("qualification.met_count"), "unknown": t("qualification.unknown"), "not_judged": t("qualification.not_judged"),
          "missed": t("qualification.missed")}


def listing(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    shown = frame.assign(level=frame["level"].map(level_label), target=frame["target"].map(target_label),
                         met=frame["met"].map(len), unknown=frame["unknown"].map(criteria_text),
                         not_judged=frame["not_judged"].map(criteria_text), missed=frame["missed"].map(criteria_text))
    return components.with_profile_links(shown[columns])


st.subheader(t("qualification.ready", year=year))
ready = next_level[next_level["outcome"] == q.READY]
if ready.empty:
    st.info(t("qualification.none_ready"))
else:
    components.table(listing(ready, ["cluster", "level", "target", "met", "not_judged"]),
                     t("qualification.ready_file", year=year), units={"met": "count"}, labels=LABELS)
st.caption(t("qualification.ready_caption"))

st.subheader(t("qualification.check", year=year))
check = next_level[next_level["outcome"] == q.CHECK]
if check.empty:
    st.caption(t("qualification.none_to_check"))
else:
    components.table(listing(check, ["cluster", "level", "target", "met", "unknown"]),
                     t("qualification.check_file", year=year), units={"met": "count"}, labels=LABELS)
    st.caption(t("qualification.check_caption"))

st.subheader(t("qualification.per_cluster"))
choice = st.segmented_control(t("qualification.against"), ["next", *q.TARGETS], default="next",
                              format_func=lambda c: t("qualification.next_level") if c == "next" else target_label(c),
                              key="mot", bind="query-params") or "next"
if choice == "next":
    chosen = next_rows
else:
    chosen = assessment[assessment["target"] == choice]


def cells(chosen: pd.DataFrame) -> list[str]:
    """Each criterion's cell: ✓ or ✗ with the cluster's figure and, when missed, by how much;
    ? when the data lack it; – when the data cannot show it."""
    # The fixed texts looked up once, not once a cell (5,000 clusters have 40,000 cells).
    unknown, not_judged, short_by = t("qualification.cell_unknown"), t("qualification.cell_not_judged"), t("qualification.short_by")
    texts = []
    for status, criterion, actual, gap in zip(chosen["status"].tolist(), chosen["criterion"].tolist(),
                                              fmt.numbers(chosen["actual"]).tolist(), fmt.numbers(chosen["gap"]).tolist()):
        if status == q.UNKNOWN:
            texts.append(unknown)
        elif status == q.NOT_JUDGED:
            texts.append(not_judged)
        elif criterion == "esca_gold":
            texts.append("✓" if status == q.MET else "✗")
        elif status == q.MET:
            texts.append(f"✓ {actual}")
        else:
            texts.append(f"✗ {actual} ({short_by.format(gap=gap)})")
    return texts


if chosen.empty:
    st.info(t("qualification.no_target"))
else:
    # A row per cluster and target, in the order of the assessment, a column per criterion
    # (a row with a key missing belongs to no cluster, as in `q.outcomes`).
    keys = ["cluster_id", "cluster", "level", "target"]
    rows: dict[tuple, dict[str, str]] = {}
    complete = chosen[keys].notna().all(axis=1).tolist()
    headers = {key: criterion_label(key) for key in criteria}  # once per criterion, not per cell
    for whole, *key, criterion, cell in zip(complete, *(chosen[k].tolist() for k in keys), chosen["criterion"].tolist(),
                                            cells(chosen)):
        if whole:
            rows.setdefault(tuple(key), {}).setdefault(headers[criterion], cell)
    matrix = pd.DataFrame([dict(zip(keys, key)) | row for key, row in rows.items()], columns=None if rows else keys)
    # Against the next level, the outcomes are those worked out above.
    judged = next_level if choice == "next" else q.outcomes(chosen)
    # Each cluster's outcome against its target (one row each there), looked up in a dict:
    # a pandas lookup a row cost 5,000 of them at europe scale.
    outcome = dict(zip(zip(judged["cluster_id"].tolist(), judged["target"].tolist()), judged["outcome"].tolist()))
    matrix["outcome"] = [outcome.get(key) for key in zip(matrix["cluster_id"].tolist(), matrix["target"].tolist())]
    # Ready first, then those to check, then those that miss something; by name within each.
    rank = {q.READY: 0, q.CHECK: 1, q.NOT_READY: 2}
    matrix = matrix.sort_values(["outcome", "cluster"], key=lambda c: c.map(rank) if c.name == "outcome" else c)
    matrix = matrix.assign(level=matrix["level"].map(level_label), target=matrix["target"].map(target_label),
                           outcome=matrix["outcome"].map(lambda o: t(f"qualification.outcome.{o}")))
    order = [headers[k] for k in criteria if headers[k] in matrix.columns]
    # A criterion of another target than the row's is left empty ("–" means "not judged").
    shown = matrix[["cluster", "level", "target", "outcome", *order]].fillna("")
    components.table(components.with_profile_links(shown), t("qualification.matrix_file", year=year),
                     labels={"cluster": t("col.cluster"), "level": t("col.level"), "target": t("qualification.target"),
                             "outcome": t("qualification.outcome")})
    st.caption(t("qualification.matrix_caption"))

"""The programme's targets as the reader sees them: each judgement (klynge.targets) as a
status with its sentence, in the reader's language. Måloppnåelse and the programme report
both word them here."""

from __future__ import annotations

import pandas as pd

from klynge import targets as tg
from klynge.indicators import INDICATOR_BY_KEY
from klynge.queries import Filter
from klynge.rules import Rules
from klynge.ui import format as fmt
from klynge.ui.kept import keep
from klynge.ui.texts import figure_label, level_label, t

# Streamlit's badge colour and a sign per status: the word says it, the colour only repeats it.
BADGE = {tg.MET: ("green", "✓"), tg.ON_TRACK: ("green", "↗"), tg.OFF_TRACK: ("orange", "↘"), tg.MISSED: ("red", "✗"),
         tg.UNKNOWN: ("gray", "–"), tg.NO_TARGET: ("gray", "–")}
# The order of the statuses in a count: the good news last is no news; the ones to act on first.
COUNTED = (tg.MISSED, tg.OFF_TRACK, tg.UNKNOWN, tg.ON_TRACK, tg.MET)


@keep
def attainment(summary: pd.DataFrame, _rules: Rules, held: tuple[tg.Target, ...], flt: Filter, as_of: int) -> pd.DataFrame:
    """`targets.attainment`, judged once per data answer, targets, filter and year rather
    than on every rerun. The rules are not part of the key (Streamlit cannot hash them, and
    they need not be): they reach the judgements only through `summary`'s programme money."""
    return tg.attainment(summary, _rules, held, flt, as_of)


def status_label(status: str) -> str:
    return t(f"target.status.{status}")


def badge(status: str) -> str:
    """The status as a Streamlit Markdown badge (text from the catalogue only)."""
    colour, sign = BADGE[status]
    return f":{colour}-badge[{sign} {status_label(status)}]"


def scope_label(scope: str, in_sentence: bool = False) -> str:
    """What a target is set for: a level, or the whole programme (lower case within a sentence)."""
    if scope == tg.PROGRAMME:
        return t("target.programme_in_sentence" if in_sentence else "target.programme")
    return level_label(scope)


def heading(row) -> str:
    """A target's indicator and what it is set for, as Markdown (texts of the catalogue only)."""
    return f"**{figure_label(row['indicator'])}** ({scope_label(row['scope'], in_sentence=True)})"


def value(amount, unit: str, whole: bool = False) -> str:
    """A target, a figure or a projection in the indicator's unit; `whole`: a count rounded
    to a whole number (a projection)."""
    if pd.isna(amount):
        return fmt.GAP
    if unit == "mnok":
        return fmt.mnok(amount, 0 if float(amount).is_integer() else 1)
    if unit == "ratio":
        return fmt.ratio(amount, 2)
    if unit == "percent":
        return fmt.percent(amount, 1)
    return fmt.number(amount, 0 if whole or float(amount).is_integer() else 1)


def gap(amount, unit: str) -> str:
    """What is still to go to a target, a share in percentage points."""
    if pd.isna(amount):
        return fmt.GAP
    if unit == "percent":
        return t("target.points", points=fmt.number(100 * float(amount), 1))
    return value(amount, unit)


def to_go_text(amount, unit: str) -> str:
    """What is still to go, or how far past the target a figure is."""
    if pd.isna(amount) or float(amount) > 0:
        return gap(amount, unit)
    return t("target.over", gap=gap(-float(amount), unit))


def sentence(row) -> str:
    """One judgement (a row of `targets.attainment`) in words, without its status or what it
    is set for (`heading`): the target, where it stands and why it is not judged. Plain text from the catalogue and
    numbers; no text from the data."""
    unit = INDICATOR_BY_KEY[row["indicator"]].unit
    target = t("target.what", value=value(row["target"], unit), year=int(row["target_year"]))
    if not pd.isna(row["from_year"]):
        target += " " + t("target.period", first=int(row["from_year"]))
    parts = [target + "."]
    if not pd.isna(row["latest"]):
        where = t("target.latest", value=value(row["latest"], unit), year=int(row["latest_year"]))
        if float(row["gap"]) > 0:
            where += " " + t("target.to_go", gap=gap(row["gap"], unit))
        else:
            where += f" ({to_go_text(row['gap'], unit)})"
        parts.append(where + ".")
    if row["status"] in (tg.ON_TRACK, tg.OFF_TRACK):
        parts.append(t("target.trend", value=value(row["projected"], unit, whole=True), year=int(row["target_year"]),
                       years=int(row["years"])) + ".")
    if row["status"] == tg.UNKNOWN:
        reason = t(f"target.reason.{row['reason']}")
        parts.append(reason[:1].upper() + reason[1:] + ".")
    return " ".join(parts)


def counts(attainment: pd.DataFrame) -> str:
    """How many targets have each status, as a sentence ("2 missed, 1 on track ..."), and the
    indicators with no target."""
    found = attainment["status"].value_counts()
    parts = [f"{int(found[status])} {status_label(status).lower()}" for status in COUNTED if found.get(status, 0)]
    untargeted = int(found.get(tg.NO_TARGET, 0))
    text = t("target.counts", counts=", ".join(parts)) if parts else t("target.none_set")
    if untargeted:
        text += " " + t("target.untargeted", count=untargeted)
    return text


def table(attainment: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """The targets (not the indicators without one) as a table of texts in the reader's
    language, with its column labels: indicator, scope, period, target, status, latest,
    gap, projection, source."""
    rows = []
    for row in attainment[attainment["status"] != tg.NO_TARGET].to_dict("records"):
        unit = INDICATOR_BY_KEY[row["indicator"]].unit
        period = (f"{int(row['from_year'])}–{int(row['target_year'])}" if not pd.isna(row["from_year"])
                  else str(int(row["target_year"])))
        status = status_label(row["status"])
        if row["status"] == tg.UNKNOWN:
            reason = row["reason"]
            status += " (" + t(f"target.reason.{reason}") + ")"
        rows.append({
            "indicator": figure_label(row["indicator"]), "scope": scope_label(row["scope"]), "period": period,
            "target": value(row["target"], unit), "status": status,
            "latest": value(row["latest"], unit) + (f" ({int(row['latest_year'])})" if not pd.isna(row["latest_year"]) else ""),
            "gap": to_go_text(row["gap"], unit), "projected": value(row["projected"], unit, whole=True), "source": row["source"],
        })
    columns = ["indicator", "scope", "period", "target", "status", "latest", "gap", "projected", "source"]
    return pd.DataFrame(rows, columns=columns), {name: t(f"target.col.{name}") for name in columns}

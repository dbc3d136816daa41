"""The programme's targets: each status worked out by hand, the programme's own figures, the
filter that covers only a part, the import with its errors and revisions, the export and
the CLI, the synthetic demo targets, and Måloppnåelse showing them."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from klynge import cli
from klynge import targets as tg
from klynge.reports.model import RejectedInput
from klynge.rules import DEFAULT_RULES, Rule, Rules
from klynge.store.importer import import_paths
from klynge.targets import Filter, Target, judge
from tests.factories import hand_made, write_csv
from tests.test_pages import demo_url, open_page  # noqa: F401 - the demo database is shared

COLUMNS = ["indicator", "scope", "from_year", "target_year", "target", "source", "note"]


def target(value: float, year: int, first: int | None = None, indicator: str = "new_jobs", scope: str = "programme") -> Target:
    return Target(indicator, scope, year, value, "Tildelingsbrev", first)


def figures(**by_year: float) -> pd.Series:
    return pd.Series({int(year.removeprefix("y")): value for year, value in by_year.items()}, dtype=float)


# ------------------------------------------------------------------ judging, by hand

JOBS = figures(y2023=277, y2024=317, y2025=340)


def test_before_the_target_year_the_trend_decides():
    """Least squares through (2023, 277), (2024, 317), (2025, 340): the mean is 311 1/3 in 2024
    and the slope (340 - 277) / 2 = 31.5 a year, so 2027 gives 311 1/3 + 3 x 31.5 = 405 5/6."""
    on = judge(JOBS, target(400, 2027, 2023), as_of=2025)
    assert on == tg.Judgement(tg.ON_TRACK, 2025, 340, 60, pytest.approx(405 + 5 / 6), 3)
    off = judge(JOBS, target(406, 2027, 2023), as_of=2025)
    assert off == tg.Judgement(tg.OFF_TRACK, 2025, 340, 66, pytest.approx(405 + 5 / 6), 3)


def test_a_projection_equal_to_the_target_is_on_track():
    """(2023, 10) and (2024, 20): 10 a year, so 40 in 2026."""
    judgement = judge(figures(y2023=10, y2024=20), target(40, 2026), as_of=2024)
    assert judgement == tg.Judgement(tg.ON_TRACK, 2024, 20, 20, 40, 2)


def test_once_the_target_year_has_come_its_own_figure_decides():
    assert judge(JOBS, target(340, 2025), as_of=2025) == tg.Judgement(tg.MET, 2025, 340, 0, None, 1)  # equal is met: "at least"
    assert judge(JOBS, target(341, 2025), as_of=2025) == tg.Judgement(tg.MISSED, 2025, 340, 1, None, 1)
    # Looked at from a later year, a target of 2024 is judged by 2024's figure, not by a later one.
    assert judge(JOBS, target(320, 2024), as_of=2025).status == tg.MISSED
    assert judge(JOBS, target(317, 2024), as_of=2025).status == tg.MET


def test_what_cannot_be_judged_is_unknown_never_met():
    assert judge(pd.Series(dtype=float), target(1, 2027), as_of=2025) == tg.Judgement(tg.UNKNOWN, reason=tg.NO_FIGURE)
    one = judge(figures(y2025=500), target(400, 2027, 2025), as_of=2025)  # above the target, but one year is no trend
    assert one == tg.Judgement(tg.UNKNOWN, 2025, 500, -100, None, 1, tg.TOO_FEW_YEARS)
    gap_year = judge(figures(y2023=700, y2024=900, y2025=math.nan), target(100, 2025), as_of=2025)
    assert gap_year == tg.Judgement(tg.UNKNOWN, 2024, 900, -800, None, 2, tg.NO_FIGURE_IN_TARGET_YEAR)


def test_only_the_period_and_the_years_looked_at_count():
    early = figures(y2019=1000, y2023=10, y2024=20)
    assert judge(early, target(40, 2026, 2023), as_of=2024).status == tg.ON_TRACK
    # Without a first year, 2019's 1,000 pulls the line down: slope over (2019, 1000), (2023, 10), (2024, 20) is negative.
    assert judge(early, target(40, 2026), as_of=2024).status == tg.OFF_TRACK
    # As of 2024, 2025's figure is not known yet.
    assert judge(figures(y2023=10, y2024=20, y2025=0), target(40, 2026), as_of=2024).status == tg.ON_TRACK


# ------------------------------------------------------------------ the programme's figures and the filter

def _summary(rules: Rules = DEFAULT_RULES) -> pd.DataFrame:
    """Two levels and the clusters outside the programme in one year, with only the columns
    the derived figures need set (the rest 0)."""
    from klynge.reports.fields import SUMMED_FIELDS

    rows = []
    for level, clusters, jobs, national, eu in (("arena", 2, 10, 3.0, 1.0), ("arena_pro", 3, 20, 9.0, 0.0), ("utenfor", 1, 500, 50.0, 0.0)):
        row = {name: 0 for name in SUMMED_FIELDS} | {"report_year": 2024, "level": level, "clusters": clusters,
                                                    "clusters_beyond_limit": 0, "new_jobs": jobs,
                                                    "funding_national_mnok": national, "funding_eu_mnok": eu}
        rows.append(row)
    from klynge import metrics

    return metrics.with_derived(pd.DataFrame(rows), rules)


def test_the_programme_is_its_four_levels_and_its_money_the_sum_of_theirs():
    """Arena: 2 clusters x 2 MNOK; Arena Pro: 3 x (3 + 3) MNOK; outside: left out.
    New jobs 10 + 20; triggered (3 + 1) + 9 = 13 MNOK; leverage 13 / (4 + 18)."""
    whole = tg.programme_figures(_summary(), DEFAULT_RULES).iloc[0]
    assert (whole["level"], whole["new_jobs"], whole["funding_triggered_mnok"], whole["programme_money_mnok"]) == (
        "programme", 30, 13, 22)
    assert whole["leverage"] == pytest.approx(13 / 22)


def test_the_programme_s_leverage_is_unknown_without_programme_money_not_infinite():
    """Early-phase clusters get no programme money: 0 MNOK, so no leverage (not 3 / 0)."""
    from klynge import metrics

    summary = _summary()
    early = metrics.with_derived(summary[summary["level"] == "arena"].assign(level="tidligfase"), DEFAULT_RULES)
    whole = tg.programme_figures(early, DEFAULT_RULES).iloc[0]
    assert whole["programme_money_mnok"] == 0 and math.isnan(whole["leverage"])
    # One MNOK of programme money is a figure like any other.
    one = tg.programme_figures(summary[summary["level"] == "arena"].assign(programme_money_mnok=1.0), DEFAULT_RULES).iloc[0]
    assert one["leverage"] == 4


def test_the_programme_money_is_unknown_when_a_level_s_is():
    rules = Rules([*DEFAULT_RULES.all, Rule("development_support_mnok", "arena", 2024, None, "not set")])
    whole = tg.programme_figures(_summary(rules), rules).iloc[0]
    assert math.isnan(whole["programme_money_mnok"]) and math.isnan(whole["leverage"])


@pytest.mark.parametrize(("flt", "programme", "arena"), [
    (Filter(), True, True),
    (Filter(levels=("tidligfase", "arena", "arena_pro", "moden", "utenfor")), True, True),
    (Filter(levels=("tidligfase", "arena", "arena_pro", "moden")), True, True),
    (Filter(levels=("arena",)), False, True),
    (Filter(levels=("arena_pro",)), False, False),
    (Filter(regions=("Rogaland",)), False, False),
    (Filter(sectors=("Helse",)), False, False),
    (Filter(clusters=(1,)), False, False),
    (Filter(years=(2020, 2021)), True, True),
])
def test_a_target_is_judged_only_on_the_whole_it_is_set_for(flt, programme, arena):
    assert (tg.covers(flt, "programme"), tg.covers(flt, "arena")) == (programme, arena)


def test_attainment_judges_each_target_and_names_the_indicators_without_one():
    """In 2024: Arena 10 new jobs, Arena Pro 20, the programme 30 (outside: not counted)."""
    summary = _summary()
    held = [target(25, 2024), Target("new_jobs", "arena", 2024, 11, "Vedtak A", 2020, "note"),
            target(99, 2024, scope="moden")]
    found = tg.attainment(summary, DEFAULT_RULES, held, Filter(), 2024, indicators=["new_jobs", "new_startups_assisted"])
    goal = "value_creation"
    rows = [dict(row) for row in found.astype(object).where(found.notna(), None).to_dict("records")]
    assert rows == [
        {"goal": goal, "indicator": "new_jobs", "scope": "arena", "target_year": 2024, "from_year": 2020, "target": 11,
         "source": "Vedtak A", "note": "note", "status": tg.MISSED, "reason": None, "latest_year": 2024, "latest": 10,
         "gap": 1, "projected": None, "years": 1},
        {"goal": goal, "indicator": "new_jobs", "scope": "moden", "target_year": 2024, "from_year": None, "target": 99,
         "source": "Tildelingsbrev", "note": "", "status": tg.UNKNOWN, "reason": tg.NO_FIGURE, "latest_year": None,
         "latest": None, "gap": None, "projected": None, "years": 0},
        {"goal": goal, "indicator": "new_jobs", "scope": "programme", "target_year": 2024, "from_year": None, "target": 25,
         "source": "Tildelingsbrev", "note": "", "status": tg.MET, "reason": None, "latest_year": 2024, "latest": 30,
         "gap": -5, "projected": None, "years": 1},
        {"goal": goal, "indicator": "new_startups_assisted", "scope": None, "target_year": None, "from_year": None,
         "target": None, "source": None, "note": None, "status": tg.NO_TARGET, "reason": None, "latest_year": None,
         "latest": None, "gap": None, "projected": None, "years": 0},
    ]
    # One level chosen: its own target is judged, the programme's is not, the other levels' are not shown.
    arena = tg.attainment(summary, DEFAULT_RULES, held, Filter(levels=("arena",)), 2024, ["new_jobs"])
    assert arena[["scope", "status", "reason"]].astype(object).where(arena.notna(), None).values.tolist() == [
        ["arena", tg.MISSED, None], ["programme", tg.UNKNOWN, tg.PART_OF_SCOPE]]
    # A county's figures are not the programme's: nothing is judged.
    part = tg.attainment(summary, DEFAULT_RULES, held, Filter(levels=("arena",), regions=("Agder",)), 2024, ["new_jobs"])
    assert part[["scope", "status", "reason"]].values.tolist() == [["arena", tg.UNKNOWN, tg.PART_OF_SCOPE],
                                                                   ["programme", tg.UNKNOWN, tg.PART_OF_SCOPE]]


def test_attainment_covers_every_goal_s_indicators_and_a_selection_without_reports():
    from klynge.indicators import GOALS

    every = [key for goal in GOALS for key in goal.indicators]
    found = tg.attainment(pd.DataFrame(), DEFAULT_RULES, [target(1, 2024)], Filter(), 2024)
    assert found["indicator"].tolist() == every
    assert found.loc[0, ["status", "reason"]].tolist() == [tg.UNKNOWN, tg.NO_FIGURE]
    assert set(found.loc[1:, "status"]) == {tg.NO_TARGET}
    # A database with no targets: every indicator without one, in a frame of every column.
    none = tg.attainment(_summary(), DEFAULT_RULES, [], Filter(), 2024)
    assert list(none.columns) == ["goal", "indicator", "scope", "target_year", "from_year", "target", "source", "note", "status",
                                  "reason", "latest_year", "latest", "gap", "projected", "years"]
    assert none["indicator"].tolist() == every and set(none["status"]) == {tg.NO_TARGET} and none["scope"].isna().all()


# ------------------------------------------------------------------ import, revisions, export

def _targets_file(path, rows):
    return write_csv(path, rows, COLUMNS)


def test_targets_are_imported_replaced_with_a_revision_kept_and_exported_again(engine, tmp_path):
    first = _targets_file(tmp_path / "mål.csv", [
        {"indicator": "new_jobs", "scope": "programme", "from_year": 2023, "target_year": 2027, "target": 400,
         "source": "Styringsmøte 2023", "note": ""},
        {"indicator": "rnd_share", "scope": "Arena Pro", "from_year": "", "target_year": 2026, "target": "55 %",
         "source": "=HYPERLINK(\"http://x\")", "note": "andel"},
    ])
    result = import_paths(engine, [first])
    assert (result.targets_new, result.targets_replaced) == (2, 0)
    held = {(t.indicator, t.scope): t for t in tg.read(engine)}
    assert held["rnd_share", "arena_pro"] == Target("rnd_share", "arena_pro", 2026, 0.55, "=HYPERLINK(\"http://x\")", None, "andel")
    assert held["new_jobs", "programme"].from_year == 2023
    assert tg.revisions(engine).empty

    again = import_paths(engine, [first])
    assert (again.targets_new, again.targets_replaced, again.targets_unchanged) == (0, 0, 2)
    changed = _targets_file(tmp_path / "mål2.csv", [
        {"indicator": "new_jobs", "scope": "programme", "from_year": 2023, "target_year": 2027, "target": 420,
         "source": "Styringsmøte 2024", "note": ""}])
    result = import_paths(engine, [changed])
    assert (result.targets_new, result.targets_replaced) == (0, 1)
    assert "targets: 0 new, 1 replaced, 0 unchanged" in result.summary()
    assert {(t.indicator, t.value, t.source) for t in tg.read(engine)} >= {("new_jobs", 420, "Styringsmøte 2024")}
    kept = tg.revisions(engine)
    assert kept[["indicator", "target", "source"]].values.tolist() == [["new_jobs", 400, "Styringsmøte 2023"]]

    # Exported as the import reads it: the formula is only text, and importing it back changes nothing.
    out = tmp_path / "ut.csv"
    assert cli.main(["targets", "--database", engine.url.render_as_string(hide_password=False), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(COLUMNS)
    assert "'=HYPERLINK" in text
    back = import_paths(engine, [out])
    assert (back.targets_new, back.targets_replaced, back.targets_unchanged) == (0, 0, 2)


def test_a_bad_targets_file_names_line_and_field_and_writes_nothing(engine, tmp_path):
    good = _targets_file(tmp_path / "a.csv", [
        {"indicator": "new_jobs", "scope": "programme", "target_year": 2027, "target": 400, "source": "x"}])
    bad = _targets_file(tmp_path / "b.csv", [
        {"indicator": "new_jobz", "scope": "programme", "target_year": 2027, "target": 1, "source": "x"},
        {"indicator": "rnd_share", "scope": "arena", "target_year": 2027, "target": 55, "source": "x"},
        {"indicator": "new_jobs", "scope": "utenfor", "target_year": 20027, "target": -5, "source": ""},
        {"indicator": "new_jobs", "scope": "arena", "from_year": 2028, "target_year": 2027, "target": 5, "source": "x"},
        {"indicator": "new_jobs", "scope": "programme", "target_year": 2027, "target": 500, "source": "y"},
    ])
    with pytest.raises(RejectedInput) as error:
        import_paths(engine, [good, bad])
    found = {(p.file.rsplit("/", 1)[-1], p.line, p.field) for p in error.value.problems}
    assert found == {("b.csv", 2, "indicator"), ("b.csv", 3, "target"), ("b.csv", 4, "scope"), ("b.csv", 4, "target_year"),
                     ("b.csv", 4, "target"), ("b.csv", 4, "source"), ("b.csv", 5, "from_year"), ("b.csv", 6, "target_year")}
    share = next(p for p in error.value.problems if p.line == 3)
    assert "0.55 or 55 %" in share.message
    twice = next(p for p in error.value.problems if p.line == 6)
    assert "a.csv, line 2" in twice.message
    assert tg.read(engine) == ()


def test_the_cli_lists_the_targets_and_their_history(engine, tmp_path, capsys):
    url = engine.url.render_as_string(hide_password=False)
    assert cli.main(["targets", "--database", url]) == 0
    assert "No targets" in capsys.readouterr().out
    for value in (400, 450):
        import_paths(engine, [_targets_file(tmp_path / f"m{value}.csv", [
            {"indicator": "new_jobs", "scope": "programme", "target_year": 2027, "target": value, "source": "Vedtak\x1b[31m"}])])
    assert cli.main(["targets", "--database", url, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(row["indicator"], row["target"], row["from_year"]) for row in listed] == [("new_jobs", 450, None)]
    assert cli.main(["targets", "--database", url, "--history"]) == 0
    shown = capsys.readouterr().out
    assert "new_jobs (programme) 2027: 400" in shown and "\x1b" not in shown and "1 earlier version" in shown
    assert cli.main(["targets", "--database", url, "-o", str(tmp_path / "mål.pdf")]) == cli.EXIT_CODES["usage"]


# ------------------------------------------------------------------ the demo's targets and a new database

def test_the_demo_targets_are_labelled_synthetic_and_a_new_database_has_none(tmp_path, engine):
    from klynge.demo import generate

    generate(tmp_path / "demo")
    demo = pd.read_csv(tmp_path / "demo" / "targets.csv")
    assert len(demo) >= 6 and demo["source"].str.startswith("SYNTETISK").all()
    assert "SYNTETISKE mål" in (tmp_path / "demo" / "README.md").read_text(encoding="utf-8")
    assert tg.read(engine) == ()


# ------------------------------------------------------------------ Måloppnåelse

def _goals_page(url: str, monkeypatch, **params) -> AppTest:
    return open_page(url, "pages/maloppnaelse.py", monkeypatch, **params)


def test_the_goals_page_shows_each_demo_target_with_its_status(demo_url, monkeypatch):
    at = _goals_page(demo_url, monkeypatch)
    lines = [m.value for m in at.markdown if "-badge[" in m.value]
    assert len(lines) == 8
    on_track = next(line for line in lines if "**Nye arbeidsplasser**" in line)
    assert on_track.startswith(":green-badge[↗ I rute]")
    assert "340 i 2025 (60 igjen)" in on_track and "Trenden gir 406 i 2027 (n = 3 år)" in on_track
    unknown = next(line for line in lines if "**Utløst per programkrone**" in line)
    assert unknown.startswith(":gray-badge[") and "Ingen tall i perioden" in unknown
    counts = next(m.value for m in at.markdown if m.value.startswith("Status:"))
    assert counts == "Status: 1 ikke nådd, 2 ikke i rute, 2 kan ikke vurderes, 2 i rute, 1 nådd. 11 indikatorer uten mål."


def test_the_goals_page_judges_nothing_on_a_county(demo_url, monkeypatch):
    at = _goals_page(demo_url, monkeypatch, fylke="Rogaland", lang="en")
    lines = [m.value for m in at.markdown if "-badge[" in m.value]
    assert lines and all(line.startswith(":gray-badge[– Cannot be judged]") for line in lines)
    assert any("only some levels" in c.value for c in at.caption)


def test_the_goals_page_of_a_database_without_targets_says_so(monkeypatch, tmp_path):
    from klynge.store.engine import ensure_schema, make_engine

    url = f"sqlite:///{tmp_path / 'hand.db'}"
    engine = make_engine(url)
    ensure_schema(engine)
    import_paths(engine, [hand_made(tmp_path / "hand")])
    engine.dispose()
    at = _goals_page(url, monkeypatch)
    assert any("ingen mål" in i.value for i in at.info)
    assert not [m.value for m in at.markdown if "-badge[" in m.value]


def test_every_target_with_its_source_is_in_a_table_drawn_when_opened(demo_url, monkeypatch):  # noqa: F811
    at = _goals_page(demo_url, monkeypatch, lang="en")
    tables = len(at.dataframe)
    at.session_state["all-targets"] = True
    at.run()
    assert len(at.dataframe) == tables + 1
    shown = at.dataframe[-1].value
    assert len(shown) == 8
    row = shown[shown["Indicator"] == "New jobs"].iloc[0]
    assert (row["For"], row["Period"], row["Target (at least)"], row["Status"]) == ("The whole programme", "2023–2027", "400", "On track")
    assert (row["Latest figure"], row["To go"], row["Trend in the target year"]) == ("340 (2025)", "60", "406")
    assert shown["Source or decision"].str.startswith("SYNTETISK").all()
    unknown = shown[shown["Indicator"] == "Internationalisation projects"].iloc[0]
    assert unknown["Status"] == "Cannot be judged (a trend needs figures from at least two years)"

"""The peers' medians read from the middles kept at import (`klynge.peer_medians`) are the
medians of the definition (`metrics.level_medians`): worked out by hand on a small level,
against the definition on random reports, and on the demo data and after imports on both
engines."""

from __future__ import annotations

import ast
import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, Engine, func, select

from klynge import metrics, peer_medians, queries
from klynge.peer_medians import NotInMiddle, from_middles, middles
from klynge.queries import Filter
from klynge.reports.fields import FIELD_NAMES
from klynge.store import schema
from klynge.store.importer import import_paths, load_demo
from tests.factories import write_csv, write_reports_csv

NAN = math.nan


def _reports(rows: list[tuple[int, int, str, float]]) -> pd.DataFrame:
    """Reports of (cluster_id, report_year, level, members_total)."""
    return pd.DataFrame(rows, columns=["cluster_id", "report_year", "level", "members_total"])


def _medians(reports: pd.DataFrame, figures: list[str], exclude: tuple[int, ...], width: int) -> pd.DataFrame:
    kept = middles(reports, figures, width).itertuples(index=False)
    groups = reports.groupby(["report_year", "level"]).size().reset_index().itertuples(index=False)
    return from_middles(kept, groups, reports[reports["cluster_id"].isin(exclude)], figures)


# Arena in 2023: five clusters with 10, 20, 30, 40 and 1,000 members and one with none
# reported; Arena Pro: one cluster with 50.
SMALL = _reports([(1, 2023, "arena", 10), (2, 2023, "arena", 20), (3, 2023, "arena", 30), (4, 2023, "arena", 40),
                  (5, 2023, "arena", 1000), (6, 2023, "arena", NAN), (7, 2023, "arena_pro", 50)])


def test_the_middle_kept_is_width_places_each_side_of_the_median():
    kept = middles(SMALL, ["members_total"], width=1)
    # Arena: n = 5, the median at place 2, so places 1 to 3; Arena Pro: its one value.
    assert kept.values.tolist() == [["members_total", 2023, "arena", 1, 2, 20.0, 5],
                                    ["members_total", 2023, "arena", 2, 3, 30.0, 5],
                                    ["members_total", 2023, "arena", 3, 4, 40.0, 5],
                                    ["members_total", 2023, "arena_pro", 0, 7, 50.0, 1]]


@pytest.mark.parametrize(("exclude", "arena", "pro"), [
    ((), (30.0, 5), (NAN, 1)),  # 10 20 [30] 40 1000; Arena Pro: one cluster, too few
    ((3,), (30.0, 4), (NAN, 1)),  # 10 [20 40] 1000: (20 + 40) / 2
    ((1,), (35.0, 4), (NAN, 1)),  # 20 [30 40] 1000, struck below the kept places
    ((5,), (25.0, 4), (NAN, 1)),  # 10 [20 30] 40, struck above them
    ((6,), (30.0, 5), (NAN, 1)),  # no value: nothing moves
    ((1, 5), (30.0, 3), (NAN, 1)),  # 20 [30] 40
    ((1, 2), (40.0, 3), (NAN, 1)),  # 30 [40] 1000
    ((1, 2, 3), (NAN, 2), (NAN, 1)),  # two left: fewer than MIN_PEERS
    ((7,), (30.0, 5), None),  # no Arena Pro report left: no row
])
def test_medians_without_clusters_worked_out_by_hand(exclude, arena, pro):
    width = 1 if len(exclude) <= 1 else 2
    got = _medians(SMALL, ["members_total"], exclude, width)
    expected = [[2023, "arena", *arena]] + ([[2023, "arena_pro", *pro]] if pro else [])
    assert got.columns.tolist() == ["report_year", "level", "members_total", "n_members_total"]
    assert len(got) == len(expected)
    for row, wanted in zip(got.values.tolist(), expected):
        assert row[:2] == wanted[:2] and row[3] == wanted[3]
        assert (math.isnan(row[2]) and math.isnan(wanted[2])) or row[2] == wanted[2]


@pytest.mark.parametrize(("values", "left_out", "median"), [
    # (cluster id, members) in order; width 1 keeps places 1 to 3 of 5.
    # Below the kept places with the value of the first kept, a higher id than the second's:
    ([(5, 20), (9, 20), (2, 30), (3, 40), (4, 50)], 5, 35.0),  # 20 30 40 50
    # Below them with the value of the first two kept, whose last has a lower id:
    ([(3, 20), (5, 20), (9, 20), (2, 30), (4, 40)], 3, 25.0),  # 20 20 30 40
    # Above them with the value of the last kept, an id between the last two's:
    ([(7, 5), (1, 10), (9, 20), (2, 30), (5, 30)], 5, 15.0),  # 5 10 20 30
])
def test_ties_at_the_edges_of_the_kept_places_are_placed_by_cluster_id(values, left_out, median):
    reports = _reports([(cluster_id, 2023, "arena", float(value)) for cluster_id, value in values])
    got = _medians(reports, ["members_total"], (left_out,), width=1)
    assert got[["members_total", "n_members_total"]].values.tolist() == [[median, 4]]


def test_every_left_out_cluster_counts_whichever_comes_first():
    # Cluster 1 (1,000 members) lies above the kept places and comes first; cluster 2 (10) below.
    reports = _reports([(1, 2023, "arena", 1000.0), *((i, 2023, "arena", 10.0 * (i - 1)) for i in range(2, 8))])
    got = _medians(reports, ["members_total"], (1, 2), width=2)
    assert got[["members_total", "n_members_total"]].values.tolist() == [[40.0, 5]]  # 20 30 [40] 50 60


def test_a_left_out_value_where_nothing_is_kept_is_refused():
    left_out = SMALL[SMALL["cluster_id"] == 1]
    with pytest.raises(NotInMiddle):
        from_middles([], [(2023, "arena", 6)], left_out, ["members_total"])


def test_a_left_out_value_inside_the_kept_range_but_not_kept_is_refused():
    window = [(1, 20.0, 2), (2, 30.0, 3), (3, 40.0, 4)]
    with pytest.raises(NotInMiddle):
        peer_medians._median_without(window, 5, [(25.0, 9)])


@st.composite
def level_reports(draw):
    """Reports of up to 40 clusters over two years and two levels, with ties (values from a
    few) and gaps (no value), and a set of clusters to leave out."""
    width = draw(st.sampled_from([1, 2, 4]))
    clusters = draw(st.integers(min_value=0, max_value=40))
    values = st.one_of(st.none(), st.sampled_from([0.0, 1.0, 2.5, 3.0, 7.0]), st.floats(0, 1e6, allow_nan=False))
    rows = []
    for cluster_id in range(1, clusters + 1):
        for year in draw(st.sets(st.sampled_from([2022, 2023]), min_size=1)):
            rows.append((cluster_id, year, draw(st.sampled_from(["arena", "moden"])), draw(values), draw(values)))
    reports = pd.DataFrame(rows, columns=["cluster_id", "report_year", "level", "members_total", "leverage"])
    reports = reports.astype({"members_total": float, "leverage": float})
    exclude = tuple(sorted(draw(st.sets(st.integers(1, max(1, clusters)), max_size=2 * width - 1))))
    return reports, exclude, width


@settings(max_examples=300, deadline=None)
@given(level_reports())
def test_medians_from_the_middles_are_the_definitions(case):
    reports, exclude, width = case
    figures = ["members_total", "leverage"]
    got = _medians(reports, figures, exclude, width)
    expected = metrics.level_medians(reports, figures, exclude)
    if expected.empty:
        assert got.empty
        return
    pd.testing.assert_frame_equal(got, expected.astype(got.dtypes.to_dict()), check_exact=True)


def test_more_clusters_left_out_than_kept_places_allow_fails_loudly_not_wrongly():
    # Width 1 keeps three places of ten; leaving out four low values moves the median past them.
    reports = _reports([(cluster_id, 2023, "arena", float(cluster_id)) for cluster_id in range(1, 11)])
    with pytest.raises(NotInMiddle):
        _medians(reports, ["members_total"], (1, 2, 3, 4), width=1)


# On the database: the demo data, and the tables following imports.

@pytest.fixture
def demo(engine):
    load_demo(engine)
    return engine


def assert_middles_kept(engine) -> None:
    """`level_middles` holds `middles` of the reports as the definition reads them, and is
    marked filled for this definition."""
    with engine.connect() as conn:
        assert peer_medians.is_filled(conn)
        kept = pd.DataFrame(conn.execute(select(*peer_medians.T.c[*peer_medians.COLUMNS])).all(), columns=peer_medians.COLUMNS)
    reports = queries.reports(engine, Filter(), columns=queries.SUMMED_FIELDS)
    live = middles(metrics.with_derived(reports, queries.rules(engine)), peer_medians.KEPT_FIGURES) if len(reports) \
        else pd.DataFrame(columns=peer_medians.COLUMNS)
    order = ["figure", "report_year", "level", "position"]
    pd.testing.assert_frame_equal(kept.sort_values(order).reset_index(drop=True),
                                  live.sort_values(order).reset_index(drop=True), check_dtype=False)


EXCLUSIONS = [(), (1,), (2, 7), (1, 2, 3, 4, 5, 6), tuple(range(1, 9))]


def test_the_demo_peers_medians_are_read_from_the_middles(demo, monkeypatch):
    assert_middles_kept(demo)
    expected = {(figures, exclude): peer_medians.from_reports(demo, (2015, 2030), figures, exclude)
                for figures in (peer_medians.PROFILE_FIGURES, peer_medians.COMPARE_FIGURES) for exclude in EXCLUSIONS}
    # Up to MAX_LEFT_OUT clusters left out, nothing is read from the reports.
    reads = []
    monkeypatch.setattr(peer_medians, "from_reports", lambda *args: reads.append(args) or expected.get((args[2], args[3])))
    for (figures, exclude), wanted in expected.items():
        got = peer_medians.level_medians(demo, (2015, 2030), figures, exclude)
        pd.testing.assert_frame_equal(got, wanted, check_dtype=False, obj=f"{exclude}")
        assert wanted["n_members_total"].sum() > 100
    assert [args[3] for args in reads] == [tuple(range(1, 9))] * 2
    # A figure not kept is read from the reports.
    peer_medians.level_medians(demo, (2015, 2030), ("rnd_share",), (1,))
    assert reads[-1][2] == ("rnd_share",)


def test_a_table_not_filled_for_this_definition_is_not_read(demo, monkeypatch):
    wanted = peer_medians.from_reports(demo, (2021, 2023), peer_medians.COMPARE_FIGURES, (3,))
    with demo.begin() as conn:
        conn.execute(schema.meta.update().where(schema.meta.c.key == peer_medians.META_KEY).values(value="width 1: members_total"))
        conn.execute(peer_medians.T.delete())
    got = peer_medians.level_medians(demo, (2021, 2023), peer_medians.COMPARE_FIGURES, (3,))  # a few of the years
    pd.testing.assert_frame_equal(got, wanted)
    with demo.begin() as conn:
        peer_medians.fill_if_missing(conn)
    assert_middles_kept(demo)


def test_the_middles_follow_the_rules_imported(demo, tmp_path):
    """Leverage is triggered money over programme money, which the rules set: new rules move
    the kept middles of leverage."""
    before = peer_medians.level_medians(demo, (2023, 2023), ("leverage",), (1,))
    path = write_csv(tmp_path / "regler.csv", [
        {"rule": "operating_support_mnok", "scope": "arena", "valid_from": 2023, "value": "10", "source": "Et tenkt vedtak"},
    ], ["rule", "scope", "valid_from", "value", "source", "note"])
    import_paths(demo, [path])
    assert_middles_kept(demo)
    after = peer_medians.level_medians(demo, (2023, 2023), ("leverage",), (1,))
    pd.testing.assert_frame_equal(after, peer_medians.from_reports(demo, (2023, 2023), ("leverage",), (1,)), check_dtype=False)
    before, after = before.set_index("level"), after.set_index("level")
    assert after.drop("arena").equals(before.drop("arena"))
    assert after.loc["arena", "leverage"] < before.loc["arena", "leverage"]


def test_an_import_of_reports_keeps_the_middles_of_their_years_again_and_no_others(demo, tmp_path, monkeypatch):
    read = []
    reading = peer_medians.reports_with_derived
    monkeypatch.setattr(peer_medians, "reports_with_derived", lambda bind, flt: read.append(flt.years) or reading(bind, flt))
    row = queries.reports(demo, Filter(years=(2024, 2024), levels=("arena",))).iloc[0]
    values = {name: row[name] for name in FIELD_NAMES
              if name in row and row[name] is not None and not (isinstance(row[name], float) and math.isnan(row[name]))}
    import_paths(demo, [write_reports_csv(tmp_path / "reports.csv", [{**values, "members_total": 5_000}])])
    assert read == [(2024, 2024)]
    assert_middles_kept(demo)
    with demo.connect() as conn:
        assert conn.execute(select(func.max(peer_medians.T.c.value)).where(
            peer_medians.T.c.figure == "members_total", peer_medians.T.c.report_year == 2024,
            peer_medians.T.c.level == "arena")).scalar() < 5_000  # the highest is not in the middle


def test_an_empty_database_keeps_no_middles_and_has_no_medians(engine):
    with engine.begin() as conn:
        peer_medians.fill_if_missing(conn)
        assert conn.execute(select(func.count()).select_from(peer_medians.T)).scalar() == 0
    assert peer_medians.level_medians(engine, (2020, 2025), peer_medians.PROFILE_FIGURES, (1,)).empty


def test_the_kept_places_cover_the_most_clusters_the_comparison_leaves_out():
    tree = ast.parse((Path(__file__).resolve().parents[1] / "pages" / "sammenlign.py").read_text(encoding="utf-8"))
    most = next(node.value.value for node in tree.body if isinstance(node, ast.Assign)
                and [target.id for target in node.targets] == ["MAX_CLUSTERS"])
    assert most <= peer_medians.MAX_LEFT_OUT


def test_where_the_middles_cannot_answer_the_reports_are_read_for_the_same_question(demo, monkeypatch):
    """More clusters left out than `MAX_LEFT_OUT`, a figure that is not kept, or a middle that
    no longer holds the median (the rows changed between two reads): each is answered from
    the reports, for the same years, figures and clusters left out, on the engine or the
    connection of the reads. `MAX_LEFT_OUT` clusters, with every kept figure at once and a
    few of the years, are answered from the middles, as the reports would answer."""
    years, most = (2021, 2023), tuple(range(1, peer_medians.MAX_LEFT_OUT + 1))
    expected = peer_medians.from_reports(demo, years, peer_medians.KEPT_FIGURES, most)
    asked = []

    def from_reports(bind, years, figures, exclude):
        assert isinstance(bind, (Engine, Connection))
        asked.append((years, figures, exclude))
        return "from the reports"

    monkeypatch.setattr(peer_medians, "from_reports", from_reports)
    got = peer_medians.level_medians(demo, years, peer_medians.KEPT_FIGURES, most)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    assert asked == []
    too_many = tuple(range(1, peer_medians.MAX_LEFT_OUT + 2))
    assert peer_medians.level_medians(demo, years, ("members_total",), too_many) == "from the reports"
    assert peer_medians.level_medians(demo, years, ("rnd_share",), (1,)) == "from the reports"

    def moved(*args):
        raise NotInMiddle("the rows changed between the reads")

    monkeypatch.setattr(peer_medians, "from_middles", moved)
    assert peer_medians.level_medians(demo, years, ("members_total",), (2, 1, 2)) == "from the reports"
    assert asked == [(years, ("members_total",), too_many), (years, ("rnd_share",), (1,)), (years, ("members_total",), (1, 2))]

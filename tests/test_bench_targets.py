"""Issue 15's targets and the bound beside them (bench/targets.py, bench/summary.py), on
figures worked out by hand."""

from bench import summary
from bench.targets import bound, floor_ms, met

# A national page: 40 ms warm, 1 ms of SQL, 25 ms again, 10 ms bare, 8 ms hello.
NATIONAL = {"page": "p", "warm_ms": 40.0, "floor_sql_ms": 1.0, "floor_render_ms": 30.0, "again_ms": 25.0,
            "bare_ms": 10.0, "hello_ratio": 5.0, "bare_ratio": 4.0, "sql_bare_ratio": 40 / 11}
# A europe page: 60 ms warm, 20 ms SQL, 15 ms again, 10 ms bare.
EUROPE = {"page": "p", "warm_ms": 60.0, "floor_sql_ms": 20.0, "floor_render_ms": 30.0, "again_ms": 15.0,
          "bare_ms": 10.0, "hello_ratio": 6.0, "bare_ratio": 6.0, "sql_bare_ratio": 2.0}


def test_the_floor_is_bare_at_national_scale_and_sql_plus_bare_at_europe_scale():
    assert floor_ms(NATIONAL, "national") == 10.0
    assert floor_ms(EUROPE, "europe") == 30.0


def test_the_bound_is_sql_plus_again_over_the_floor():
    assert bound(NATIONAL, "national") == 2.6  # (1 + 25) / 10
    assert abs(bound(EUROPE, "europe") - 35 / 30) < 1e-12  # (20 + 15) / (20 + 10)


def test_a_page_meets_its_targets_only_within_every_one():
    assert not met(NATIONAL, "national")  # 4 x bare
    assert met({**NATIONAL, "bare_ratio": 2.0}, "national")
    assert not met({**NATIONAL, "bare_ratio": 2.0, "hello_ratio": 20.5}, "national")
    assert not met(EUROPE, "europe")  # 2 x (SQL + bare)
    assert met({**EUROPE, "sql_bare_ratio": 1.5}, "europe")
    assert not met({**EUROPE, "sql_bare_ratio": 1.5, "floor_sql_ms": 101.0}, "europe")


def test_the_summary_gives_each_runs_ratio_their_median_and_the_median_bound():
    runs = [{"scale": "national", "engine": "sqlite", "hello_ms": 8.0, "pages": [{**NATIONAL, "bare_ratio": ratio, "again_ms": again}]}
            for ratio, again in ((4.0, 25.0), (3.0, 15.0), (5.0, 35.0))]
    table = summary.tables(runs)
    # warm 40, SQL 1, render 30, again 25 (median of 25, 15, 35), bare 10; largest x hello 5.0;
    # the bounds 2.6, 1.6, 3.6, median 2.6.
    assert "| p | 40 | 1 | 30 | 25 | 10 | 5.0 | 4.00, 3.00, 5.00 | 4.00 | 2.60 | × hello ≤ 20; × bare over 2.0 |" in table
    assert "| hello_ms | 8.00 | 8.00, 8.00, 8.00 |" in table

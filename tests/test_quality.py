"""The data-quality findings: the database picks the few reports that can be findings
(`queries.register_differences`, `queries.jump_candidates`), and the result is exactly what
the checks give when they read every report, on SQLite and PostgreSQL."""

from __future__ import annotations

import pandas as pd
import pytest

from klynge import quality, queries
from klynge.domain import MEMBER_COUNT_FIELDS
from klynge.queries import Filter
from klynge.store import derived
from klynge.store.importer import import_paths, load_demo
from tests.factories import example_values, master_data, write_reports_csv


@pytest.fixture
def demo(engine):
    load_demo(engine)
    return engine


def every_report(engine) -> pd.DataFrame:
    return queries.reports(engine, columns=(*MEMBER_COUNT_FIELDS, *quality.JUMP_FIELDS))


def reference(engine, flt: Filter, factor: float) -> pd.DataFrame:
    """The findings as the checks give them over every report (no help from SQL): a report
    in the filter is compared with its register, and with its cluster's report the year
    before, whatever the filter."""
    everything = every_report(engine)
    keys = set(zip(*queries.report_keys(engine, flt).to_dict("list").values()))
    in_filter = everything[[key in keys for key in zip(everything["cluster_id"], everything["report_year"])]]
    options = queries.filter_options(engine).years
    with engine.connect() as conn:
        counted = pd.DataFrame(conn.execute(derived.counted(options[0], options[-1])).mappings().all())
    counted = counted.rename(columns={"year": "report_year"})
    first, last = options[0], options[-1]
    if flt.years:
        first, last = max(first, flt.years[0]), min(last, flt.years[1])
    jumped = quality.jumps(everything, factor)
    outside = in_filter[in_filter["level"] == "utenfor"][["cluster_id", "cluster", "report_year", "level"]]
    parts = [
        quality.missing_reports(queries.periods(engine, flt), in_filter, first, last),
        quality.periods_too_long(queries.periods(engine, flt), queries.rules(engine)),
        quality.reports_outside_periods(outside),
        quality.stored_warnings(queries.warnings(engine, flt)),
        quality.register_mismatches(in_filter, counted),
        jumped[[key in keys for key in zip(jumped["cluster_id"], jumped["report_year"])]],
    ]
    parts = [part for part in parts if not part.empty]
    if not parts:
        return pd.DataFrame(columns=quality.FINDING_COLUMNS)
    frame = pd.concat(parts, ignore_index=True)
    return frame.sort_values(["report_year", "cluster", "kind"], kind="stable").reset_index(drop=True)


def comparable(frame: pd.DataFrame) -> list[tuple]:
    return sorted((row.kind, int(row.cluster_id), row.cluster, int(row.report_year), row.level, row.field, row.message,
                   row.code, repr(row.params)) for row in frame.itertuples())


FILTERS = [Filter(), Filter(years=(2021, 2023)), Filter(levels=("arena",)), Filter(levels=("arena_pro", "moden"), years=(2020, 2024)),
           Filter(regions=("Vestland",)), Filter(years=(2025, 2025))]


@pytest.mark.parametrize("flt", FILTERS, ids=repr)
@pytest.mark.parametrize("factor", [1.5, 2.0, 3.0, 10.0])
def test_findings_are_those_of_the_checks_over_every_report(demo, flt, factor):
    found = quality.findings(demo, flt, factor)
    assert comparable(found) == comparable(reference(demo, flt, factor))


def test_the_demo_data_have_findings_of_every_kind(demo):
    # What the generator puts in on purpose (see klynge.demo): 4 missing, 4 inconsistent and 4
    # register-mismatched reports and 1 implausible jump; and 6 reports of clusters between
    # or after their periods. At a factor of 1.5 many more figures jump, so the comparison
    # above means something.
    counts = quality.findings(demo, Filter(), 3.0)["kind"].value_counts().to_dict()
    assert counts == {"missing_report": 4, "warning": 4, "register_mismatch": 4, "jump": 1, "rules": 6}
    assert (quality.findings(demo, Filter(), 1.5)["kind"] == "jump").sum() > 100


def test_the_sql_picks_only_candidates(demo):
    # The register check reads only the reports that differ, the jump check only the
    # candidates and the year before them: a handful, not every report.
    assert len(queries.register_differences(demo)) == 4
    candidates = queries.jump_candidates(demo, Filter(), quality.JUMP_FIELDS, 3.0)
    assert 0 < len(candidates) < len(every_report(demo)) / 10
    assert candidates["candidate"].any() and not candidates["candidate"].all()


@pytest.fixture
def jumping(engine, tmp_path):
    """Cluster 1 reports 10 activities in 2022 and 40 in 2023: a jump by a factor of 4."""
    master_data(tmp_path / "master")
    write_reports_csv(tmp_path / "reports.csv", [
        example_values(report_year=2022, period_start="2022-01-01", period_end="2022-12-31", activities_organised=10),
        example_values(report_year=2023, activities_organised=40),
    ])
    import_paths(engine, [tmp_path / "master", tmp_path / "reports.csv"])
    return engine


def test_a_jump_is_found_from_the_year_before_the_filter(jumping):
    for flt in (Filter(), Filter(years=(2023, 2023)), Filter(levels=("arena",), years=(2023, 2025))):
        found = quality.findings(jumping, flt, 3.0)
        jump = found[found["kind"] == "jump"]
        assert jump[["report_year", "field", "code"]].values.tolist() == [[2023, "activities_organised", "jump"]]
        assert jump["params"].iloc[0] == {"before": 10.0, "after": 40.0}
    # more than the factor: 4 times is a jump beyond 3.99, not beyond 4 (which SQL lets through to the check)
    assert (quality.findings(jumping, Filter(), 3.99)["kind"] == "jump").sum() == 1
    assert (quality.findings(jumping, Filter(), 4.0)["kind"] == "jump").sum() == 0
    assert (quality.findings(jumping, Filter(years=(2022, 2022)), 3.0)["kind"] == "jump").sum() == 0


def test_a_county_not_among_the_2024_counties_is_reported_by_check(engine, tmp_path, capsys):
    # "Viken" was a county until 2024; cluster 2 gives none. The map leaves both out.
    folder = master_data(tmp_path / "master")
    clusters = pd.read_csv(folder / "clusters.csv", dtype=str, keep_default_na=False)
    clusters.loc[0, "region"], clusters.loc[1, "region"] = "Viken", ""
    clusters.to_csv(folder / "clusters.csv", index=False)
    write_reports_csv(tmp_path / "reports.csv", [example_values(report_year=2023)])
    import_paths(engine, [folder, tmp_path / "reports.csv"])

    found = quality.findings(engine)
    counties = found[found["field"] == "region"]
    assert counties[["kind", "cluster", "report_year", "code"]].values.tolist() == [
        ["warning", "Arena Kystmat", 2023, "unknown_county"], ["warning", "Fjellhelse", 2023, "no_county"]]
    assert counties["params"].tolist() == [{"county": "Viken", "counties": 15}, {"county": "", "counties": 15}]
    assert counties["message"].iloc[0] == ("the county 'Viken' is not one of Norway's 15 counties from 2024; "
                                           "the county map leaves the cluster out")
    # A county among the 15 is no finding; the filter's counties are the only ones looked at.
    assert quality.findings(engine, Filter(regions=("Viken",)))["field"].eq("region").sum() == 1

    from klynge.cli import main
    main(["check", "--database", str(engine.url.render_as_string(hide_password=False))])
    printed = capsys.readouterr().out
    assert "[warning] Arena Kystmat 2023: region: the county 'Viken' is not one of Norway's 15 counties" in printed
    assert "[warning] Fjellhelse 2023: region: no county is given" in printed

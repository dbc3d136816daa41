"""The demo-data generator: deterministic, valid, realistic, and with its deliberate
data-quality cases (and no others)."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import time
from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd
import pytest
from stdnum.no import orgnr

from klynge.demo import DemoSummary, generate
from klynge.domain import LEVEL_CODES, MEMBER_TYPES, REGIONS, SECTORS
from klynge.quality import jumps
from klynge.reports.fields import FIELD_NAMES
from klynge.reports.model import consistency_warnings, validate_report

SAMPLE_DATA = Path(__file__).parents[1] / "sample_data"
HAS_RENDER = importlib.util.find_spec("klynge.reports.render") is not None
DEFAULT_EXPORTS = 6 if HAS_RENDER else 0
CSV_FILES = ("clusters.csv", "programme_periods.csv", "members.csv", "reports.csv")
# Register sizes per level that the demo promises (Tidligfase smaller than Arena, Moden large).
SIZE_RANGES = {"tidligfase": (1, 40), "arena": (20, 80), "arena_pro": (60, 200), "moden": (80, 400)}
CORE_THRESHOLDS = {"arena": 10, "arena_pro": 20}
REAL_PLACES = ("Oslo", "Bergen", "Trondheim", "Stavanger", "Tromsø", "Bodø", "Ålesund", "Kristiansand", "Drammen",
               "Haugesund", "Molde", "Narvik", "Hamar", "Lillehammer", "Arendal", "Kongsberg", "Raufoss", "Horten")


def read(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class Data:
    """A generated data set, read back."""

    def __init__(self, folder: Path, summary: DemoSummary):
        self.folder, self.summary = folder, summary
        self.clusters = read(folder, "clusters.csv")
        self.periods = read(folder, "programme_periods.csv")
        self.members = read(folder, "members.csv")
        self.reports = read(folder, "reports.csv")
        self.years = range(summary.first_year, summary.last_year + 1)
        self.level = {(int(p["cluster_id"]), year): p["level"] for p in self.periods
                      for year in range(int(p["first_year"]), int(p["last_year"]) + 1)}

    def register(self) -> dict[tuple[int, int], Counter]:
        """Members per (cluster, year) and type, by the rule of the brief."""
        counts: dict[tuple[int, int], Counter] = defaultdict(Counter)
        for m in self.members:
            joined = dt.date.fromisoformat(m["joined"])
            left = dt.date.fromisoformat(m["left"]) if m["left"] else None
            for year in self.years:
                if joined <= dt.date(year, 12, 31) and (left is None or left >= dt.date(year, 1, 1)):
                    counts[(int(m["cluster_id"]), year)][m["member_type"]] += 1
        return counts


@pytest.fixture(scope="module")
def default(tmp_path_factory) -> Data:
    folder = tmp_path_factory.mktemp("demo-default")
    start = time.perf_counter()
    summary = generate(folder, n_export_files=DEFAULT_EXPORTS)
    elapsed = time.perf_counter() - start
    assert elapsed < 5, f"the default demo data took {elapsed:.1f} s"
    return Data(folder, summary)


def test_same_arguments_give_the_same_bytes(tmp_path):
    options = dict(n_clusters=8, first_year=2021, last_year=2023, n_export_files=2 if HAS_RENDER else 0)
    generate(tmp_path / "a", **options)
    generate(tmp_path / "b", **options)
    first, second = files_of(tmp_path / "a"), files_of(tmp_path / "b")
    assert set(first) >= {*CSV_FILES, "README.md"}
    assert first == second
    generate(tmp_path / "c", **options, seed=7)
    assert files_of(tmp_path / "c")["reports.csv"] != first["reports.csv"]


def test_regenerating_over_old_data_leaves_no_stale_exports(tmp_path):
    stale = tmp_path / "reports" / "old-cluster-2020.txt"
    stale.parent.mkdir()
    stale.write_text("old", encoding="utf-8")
    generate(tmp_path, n_clusters=8, first_year=2021, last_year=2023, n_export_files=0)
    assert not stale.exists()


@pytest.mark.skipif(not HAS_RENDER, reason="klynge.reports.render is not there yet")
def test_committed_sample_data_is_what_the_generator_writes(default):
    if not (SAMPLE_DATA / "clusters.csv").exists():
        pytest.skip("sample_data/ has not been generated yet (python -m klynge demo)")
    committed = {name: data for name, data in files_of(SAMPLE_DATA).items() if not name.startswith(".")}
    assert committed == files_of(default.folder)


def test_summary_counts_what_was_written(default):
    s = default.summary
    assert (s.clusters, s.periods, s.members, s.reports) == (
        len(default.clusters), len(default.periods), len(default.members), len(default.reports))
    assert s.export_files == len(list((default.folder / "reports").glob("*.txt"))) == DEFAULT_EXPORTS
    assert s.years == 7 and "45 clusters" in str(s)
    readme = (default.folder / "README.md").read_text(encoding="utf-8")
    assert "SYNTETISKE" in readme and "SYNTHETIC" in readme and "python -m klynge demo" in readme


def test_reports_table_has_every_canonical_field_and_every_row_validates(default):
    with (default.folder / "reports.csv").open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert header == ["cluster_id", *FIELD_NAMES]
    for line, row in enumerate(default.reports, start=2):
        report = validate_report(row, {}, "reports.csv", fallback_line=line)
        assert report.year in default.years
    assert len({(r["cluster_id"], r["report_year"]) for r in default.reports}) == len(default.reports)


def test_clusters_are_fictional_spread_and_valid(default):
    names = [c["name"] for c in default.clusters]
    former = [n.strip() for c in default.clusters for n in c["former_names"].split(";") if n.strip()]
    assert [int(c["cluster_id"]) for c in default.clusters] == list(range(1, 46))
    assert len({n.casefold() for n in names + former}) == len(names) + len(former)
    assert not [n for n in names + former if any(place in n for place in REAL_PLACES)]
    assert {c["sector"] for c in default.clusters} == set(SECTORS)
    assert {c["region"] for c in default.clusters} <= set(REGIONS)
    assert len({c["region"] for c in default.clusters}) >= 12
    assert all(orgnr.is_valid(c["orgnr"]) for c in default.clusters)
    assert all(c["website"].startswith("https://") and c["website"].endswith(".example.no") for c in default.clusters)
    assert 3 <= sum(1 for c in default.clusters if c["former_names"]) <= 6
    assert {c["esca_label"] for c in default.clusters} <= {"", "bronze", "silver", "gold"}


def test_renamed_clusters_report_under_their_former_names(default):
    names_used = defaultdict(set)
    for r in default.reports:
        names_used[r["cluster_id"]].add(r["cluster_name"])
    for c in default.clusters:
        former = [n.strip() for n in c["former_names"].split(";") if n.strip()]
        assert names_used[c["cluster_id"]] <= {c["name"], *former}
        if former:
            assert len(names_used[c["cluster_id"]]) >= 2, c["name"]


def test_periods_never_overlap_and_every_level_is_there_every_year(default):
    by_cluster = defaultdict(list)
    for p in default.periods:
        assert p["level"] in LEVEL_CODES and p["brand"] in ("", "NCE", "GCE")
        assert int(p["first_year"]) <= int(p["last_year"])
        by_cluster[p["cluster_id"]].append((int(p["first_year"]), int(p["last_year"]), p["level"]))
    for periods in by_cluster.values():
        periods.sort()
        for before, after in zip(periods, periods[1:]):
            assert before[1] < after[0]
            assert LEVEL_CODES.index(before[2]) <= LEVEL_CODES.index(after[2]), "a cluster only moves up"
    for year in default.years:
        assert {level for (_, y), level in default.level.items() if y == year} == set(LEVEL_CODES), year
    assert any(int(p["first_year"]) < default.summary.first_year for p in default.periods)
    assert {p["brand"] for p in default.periods} == {"", "NCE", "GCE"}
    outside = [r for r in default.reports if (int(r["cluster_id"]), int(r["report_year"])) not in default.level]
    assert outside, "some reports come from clusters outside the programme that year"


def test_member_register_is_valid_and_sized_by_level(default):
    seen = set()
    for m in default.members:
        assert orgnr.is_valid(m["orgnr"]) and m["orgnr"][0] in "89"
        assert (m["cluster_id"], m["orgnr"]) not in seen
        seen.add((m["cluster_id"], m["orgnr"]))
        assert m["member_type"] in {t.code for t in MEMBER_TYPES} and m["core_member"] in ("true", "false")
        assert not m["left"] or m["left"] >= m["joined"]
    types = Counter(m["member_type"] for m in default.members)
    assert types.most_common(2)[0][0] == "established" and types.most_common(2)[1][0] == "startup"
    assert set(types) == {t.code for t in MEMBER_TYPES}
    assert sum(1 for m in default.members if m["left"]) > 0.05 * len(default.members)
    register = default.register()
    for (cluster_id, year), level in default.level.items():
        if year in default.years and (cluster_id, year) in register:
            low, high = SIZE_RANGES[level]
            assert low <= sum(register[(cluster_id, year)].values()) <= high, (cluster_id, year, level)


def test_a_few_clusters_fall_just_short_of_the_core_member_threshold(default):
    last = default.summary.last_year
    core = Counter()
    for m in default.members:
        if m["core_member"] == "true" and m["joined"] <= f"{last}-12-31" and (not m["left"] or m["left"] >= f"{last}-01-01"):
            core[int(m["cluster_id"])] += 1
    short = []
    for (cluster_id, year), level in default.level.items():
        if year == last and level in CORE_THRESHOLDS and core[cluster_id] < CORE_THRESHOLDS[level]:
            short.append(CORE_THRESHOLDS[level] - core[cluster_id])
    at_levels = sum(1 for (_, y), level in default.level.items() if y == last and level in CORE_THRESHOLDS)
    assert 1 <= len(short) <= at_levels // 3 and max(short) <= 3


def test_reports_follow_the_register_but_for_a_few_mismatches(default):
    register = default.register()
    mismatched = [r for r in default.reports
                  if any(int(r[t.report_field]) != register[(int(r["cluster_id"]), int(r["report_year"]))][t.code]
                         for t in MEMBER_TYPES)]
    assert len(mismatched) == default.summary.mismatched_reports
    assert 3 <= len(mismatched) <= 6


def test_a_few_reports_are_inconsistent_and_the_rest_are_not(default):
    flagged = []
    for row in default.reports:
        report = validate_report(row, {}, "reports.csv")
        if consistency_warnings(report.values):
            flagged.append(report)
    assert len(flagged) == default.summary.inconsistent_reports
    assert 3 <= len(flagged) <= 6
    kinds = {problem.field for report in flagged for problem in report.warnings}
    assert "members_total" in kinds and len(kinds) >= 3


def test_a_few_reports_are_missing(default):
    filed = {(int(r["cluster_id"]), int(r["report_year"])) for r in default.reports}
    slugs = {c["website"].removeprefix("https://").removesuffix(".example.no"): int(c["cluster_id"]) for c in default.clusters}
    for path in (default.folder / "reports").glob("*.txt"):
        slug, year = path.stem.rsplit("-", 1)
        key = (slugs[slug], int(year))
        assert key not in filed, "a text export repeats a report of reports.csv"
        filed.add(key)
    expected = {key for key in default.level if key[1] in default.years}
    missing = expected - filed
    assert len(missing) == default.summary.missing_reports
    assert 3 <= len(missing) <= 6


def test_figures_grow_smoothly_but_for_one_implausible_jump(default):
    frame = pd.DataFrame(default.reports)
    frame = frame.assign(cluster=frame["cluster_name"], level="")
    for column in frame.columns:
        if column not in ("cluster", "cluster_name", "level", "leader_name") and frame[column].str.fullmatch(r"[\d.]+").all():
            frame[column] = pd.to_numeric(frame[column])
    found = jumps(frame, 3.0)
    assert list(found["field"]) == ["activities_unique_participants"]
    assert default.summary.implausible_jumps == 1
    # Membership grows over the years in most clusters.
    ordered = frame.sort_values(["cluster_id", "report_year"]).groupby("cluster_id")["members_total"]
    growth = (ordered.last() - ordered.first())[ordered.size() >= 3]
    assert (growth > 0).mean() > 0.7


def test_activity_figures_rise_with_the_level(default):
    by_level = defaultdict(list)
    for r in default.reports:
        level = default.level.get((int(r["cluster_id"]), int(r["report_year"])), "utenfor")
        by_level[level].append(r)

    def mean(level, field):
        rows = by_level[level]
        return sum(float(r[field]) for r in rows) / len(rows)

    for field in ("activities_organised", "funding_national_mnok", "international_activities_new", "members_total"):
        assert mean("tidligfase", field) < mean("arena", field) < mean("arena_pro", field), field
    assert 10 <= mean("arena", "activities_organised") <= 30
    assert 20 <= mean("arena_pro", "activities_organised") <= 50
    assert sum(float(r["funding_eu_mnok"]) == 0 for r in by_level["arena"]) > len(by_level["arena"]) / 3
    texts = [r["story_societal"] for r in default.reports]
    assert len(set(texts)) > 0.9 * len(texts) and all("\n" in t for t in texts)


def test_small_call_is_fast_and_complete(tmp_path):
    start = time.perf_counter()
    summary = generate(tmp_path, n_clusters=8, first_year=2021, last_year=2023, members_scale=0.5, n_export_files=0)
    assert time.perf_counter() - start < 2
    assert summary.clusters == 8 and summary.years == 3 and summary.reports > 0
    for row in read(tmp_path, "reports.csv"):
        validate_report(row, {}, "reports.csv")


@pytest.mark.skipif(not HAS_RENDER, reason="klynge.reports.render is not there yet")
def test_text_exports_have_their_quirks_and_parse_back(default):
    from klynge.reports.export import parse_report_file

    files = sorted((default.folder / "reports").glob("*.txt"))
    data = [p.read_bytes() for p in files]
    assert sum(d.startswith(b"\xef\xbb\xbf") for d in data) >= 1
    assert sum(b"\r\n" in d for d in data) >= 1
    assert sum(not d.startswith(b"\xef\xbb\xbf") and _not_utf8(d) for d in data) >= 1
    assert sum("\ufffd" in d.decode("utf-8", "replace") and not _not_utf8(d) for d in data) >= 1
    assert sum(any(line != line.rstrip() for line in d.decode("utf-8", "replace").splitlines()) for d in data) >= 1
    names = {c["name"] for c in default.clusters} | {n.strip() for c in default.clusters for n in c["former_names"].split(";")}
    for path in files:
        report = parse_report_file(path)
        assert report.cluster_name in names
        assert not report.warnings, (path.name, report.warnings)


def _not_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


@pytest.mark.skipif(not HAS_RENDER, reason="klynge.reports.render is not there yet")
def test_every_demo_report_round_trips_through_the_export_format(default):
    """A demo report rendered in the export format (with page breaks, trailing spaces, BOM
    and CRLF) and parsed again comes back equal, field by field."""
    from klynge.reports.export import parse_report_bytes
    from klynge.reports.render import encode_report, render_report

    for index, row in enumerate(default.reports):
        values = validate_report(row, {}, "reports.csv").values
        text = render_report(values, page_breaks=True, trailing_spaces=True, seed=index)
        encoding = "cp1252" if index % 3 == 0 else "utf-8"
        data = encode_report(text, encoding=encoding, bom=encoding == "utf-8" and index % 2 == 0, crlf=index % 2 == 1)
        assert parse_report_bytes(data, f"demo-{index}.txt").values == values, row["cluster_name"]

"""The command line, run as a user runs it: `python -m klynge ...` in a subprocess."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, REPO_ROOT
from tests.factories import example_values, hand_made, master_data, write_reports_csv

EXAMPLE = FIXTURES / "example-report-arena-kystmat-2023.txt"
COMMANDS = ("init", "parse", "import", "export", "check", "summary", "qualify", "rules", "demo")


def klynge(*args: str, database: str | None = None, tmp_path: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    env.pop("KLYNGE_DATABASE_URL", None)
    if tmp_path is not None:
        env["KLYNGE_LOG_FILE"] = str(tmp_path / "klynge.log")
    command = [sys.executable, "-m", "klynge", *args]
    if database is not None:
        command += ["--database", database]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path or REPO_ROOT, timeout=300)


def test_help_lists_every_command_and_each_has_its_own_help():
    result = klynge("--help")
    assert result.returncode == 0
    for command in COMMANDS:
        assert command in result.stdout
        sub = klynge(command, "--help")
        assert sub.returncode == 0 and "usage: python -m klynge " + command in sub.stdout


def test_parse_json_prints_the_canonical_fields(tmp_path):
    result = klynge("parse", str(EXAMPLE), "--json", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    expected = json.loads((FIXTURES / "example-report-arena-kystmat-2023.expected.json").read_text(encoding="utf-8"))
    assert {name: payload[name] for name in expected} == expected
    assert len(payload) == 53  # 52 fields and the warnings list
    assert payload["warnings"] == []


def test_parse_rejects_a_bad_file_on_stderr_with_a_non_zero_exit(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text(EXAMPLE.read_text(encoding="utf-8").replace("Totalt antall medlemmer:\n54", "Totalt antall medlemmer:\nfemti"), encoding="utf-8")
    result = klynge("parse", str(bad), "--json", tmp_path=tmp_path)
    assert result.returncode != 0
    assert result.stdout == ""
    assert "bad.txt" in result.stderr and "members_total" in result.stderr and "line" in result.stderr
    assert "Traceback" not in result.stderr


def test_init_import_export_check_on_a_database(tmp_path, database_url):
    url = database_url  # SQLite and PostgreSQL in turn
    assert klynge("init", "--empty", database=url, tmp_path=tmp_path).returncode == 0
    master_data(tmp_path / "master")
    write_reports_csv(tmp_path / "reports.csv", [example_values(), example_values(report_year=2024, new_jobs=9)])
    result = klynge("import", str(tmp_path / "master"), str(tmp_path / "reports.csv"), database=url, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "reports: 2 new, 0 replaced, 0 unchanged" in result.stdout

    exported = klynge("export", "--format", "json", "--year", "2024", database=url, tmp_path=tmp_path)
    assert exported.returncode == 0, exported.stderr
    rows = json.loads(exported.stdout)
    assert [(r["report_year"], r["new_jobs"], r["level"], r["region"], r["sector"]) for r in rows] == [(2024, 9, "arena_pro", "Vestland", "Sjømat")]

    csv_out = klynge("export", "--format", "csv", database=url, tmp_path=tmp_path)
    assert csv_out.stdout.splitlines()[0].startswith("report_year,cluster_name,leader_name")
    assert len(list(csv.reader(io.StringIO(csv_out.stdout)))) == 3  # header and two reports

    assert klynge("export", "--format", "xlsx", "-o", str(tmp_path / "r.xlsx"), database=url, tmp_path=tmp_path).returncode == 0
    assert (tmp_path / "r.xlsx").read_bytes()[:2] == b"PK"

    check = klynge("check", database=url, tmp_path=tmp_path)
    assert check.returncode == 0
    # Reports exist for 2023-2024; cluster 2 (arena_pro 2022-2025) filed none in those years.
    assert "[missing_report] Fjellhelse 2023" in check.stdout and "Fjellhelse 2022" not in check.stdout


def test_import_of_a_bad_batch_lists_every_problem_and_exits_non_zero(tmp_path, database_url):
    url = database_url
    klynge("init", "--empty", database=url, tmp_path=tmp_path)
    master_data(tmp_path / "master")
    write_reports_csv(tmp_path / "bad.csv", [example_values(new_jobs="-1"), example_values(report_year=2024, cluster_name="Ukjent")])
    result = klynge("import", str(tmp_path / "master"), str(tmp_path / "bad.csv"), database=url, tmp_path=tmp_path)
    assert result.returncode == 1
    assert "Nothing was imported" in result.stderr
    assert "bad.csv, line 2: new_jobs: must not be negative" in result.stderr
    # The first row spans lines 2-5 (its free text has line breaks), so the second starts on line 6.
    assert "bad.csv, line 6: cluster_name: unknown cluster 'Ukjent'" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unexpected_error_names_the_log_not_a_traceback(tmp_path):
    (tmp_path / "not-a-db").mkdir()
    result = klynge("check", database=f"sqlite:///{tmp_path / 'not-a-db'}", tmp_path=tmp_path)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert str(tmp_path / "klynge.log") in result.stderr
    assert "Traceback" in (tmp_path / "klynge.log").read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imports_back_unchanged(tmp_path, fmt):
    url = f"sqlite:///{tmp_path / 'k.db'}"
    klynge("init", "--empty", database=url, tmp_path=tmp_path)
    master_data(tmp_path / "master")
    write_reports_csv(tmp_path / "reports.csv", [example_values(), example_values(cluster_name="Fjellhelse")])
    klynge("import", str(tmp_path / "master"), str(tmp_path / "reports.csv"), database=url, tmp_path=tmp_path)
    out = tmp_path / f"export.{fmt}"
    assert klynge("export", "--format", fmt, "-o", str(out), database=url, tmp_path=tmp_path).returncode == 0
    again = klynge("import", str(out), database=url, tmp_path=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "reports: 0 new, 0 replaced, 2 unchanged" in again.stdout


@pytest.fixture
def hand_db(tmp_path, database_url):
    """The hand-made programme (tests/factories.py, `hand_made`), imported with the CLI."""
    assert klynge("init", "--empty", database=database_url, tmp_path=tmp_path).returncode == 0
    imported = klynge("import", str(hand_made(tmp_path / "hand")), database=database_url, tmp_path=tmp_path)
    assert imported.returncode == 0, imported.stderr
    return database_url


def test_summary_json_gives_the_key_figures_per_level_worked_out_by_hand(tmp_path, hand_db):
    result = klynge("summary", "--year", "2024", "--json", database=hand_db, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = {row["level"]: row for row in json.loads(result.stdout)}
    assert list(rows) == ["tidligfase", "arena", "arena_pro", "moden", "utenfor"]
    assert rows["arena"] == {
        "level": "arena", "year": 2024, "clusters": 3, "members_total": 94, "activities_unique_participants": 70 + 95 + 140,
        "funding_national_mnok": 12.5, "funding_eu_mnok": 1.5, "funding_triggered_mnok": 14.0,
        "international_activities_new": 9, "programme_money_mnok": 6.0, "leverage": 2.333, "clusters_beyond_limit": 0,
    }
    assert (rows["arena_pro"]["programme_money_mnok"], rows["arena_pro"]["leverage"]) == (6.0, 5.417)
    assert (rows["moden"]["programme_money_mnok"], rows["moden"]["leverage"]) == (None, None)
    filtered = json.loads(klynge("summary", "--year", "2023-2024", "--level", "arena", "--region", "Troms", "--json",
                                 database=hand_db, tmp_path=tmp_path).stdout)
    # Theta is the only Arena cluster in Troms: 2,5 + 0,5 MNOK in 2023 and 4,0 + 0,5 in 2024
    assert [(row["year"], row["clusters"], row["funding_triggered_mnok"]) for row in filtered] == [(2023, 1, 3.0), (2024, 1, 4.5)]


def test_qualify_json_says_ready_check_or_not_ready(tmp_path, hand_db):
    result = klynge("qualify", "--year", "2024", "--json", database=hand_db, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = {row["cluster"]: row for row in json.loads(result.stdout)}
    assert {name: row["outcome"] for name, row in rows.items()} == {
        "Alfa": "ready", "Beta": "check", "Delta": "ready", "Epsilon": "not_ready", "Eta": "check", "Theta": "check",
        "Zeta": "not_ready"}
    assert rows["Epsilon"] | {"not_judged": None} == {
        "cluster": "Epsilon", "cluster_id": 5, "level": "arena", "target_level": "arena_pro",
        "met": ["entrepreneurship_actors", "other_partners"], "missed": ["core_companies", "rnd_actors"], "unknown": [],
        "not_judged": None, "outcome": "not_ready"}
    assert rows["Beta"]["unknown"] == ["esca_gold"]


def test_check_fails_on_findings_only_when_asked(tmp_path, hand_db):
    plain = klynge("check", database=hand_db, tmp_path=tmp_path)
    assert plain.returncode == 0 and "[rules] Beta 2024: last_year: the period 2019–2025 is 7 years; the level allows 5" in plain.stdout
    assert klynge("check", "--fail-on-findings", database=hand_db, tmp_path=tmp_path).returncode == 1
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    klynge("init", "--empty", database=empty, tmp_path=tmp_path)
    clean = klynge("check", "--fail-on-findings", database=empty, tmp_path=tmp_path)
    assert (clean.returncode, clean.stdout.strip()) == (0, "No data-quality findings.")


def test_rules_lists_the_rules_in_force_with_their_sources(tmp_path):
    url = f"sqlite:///{tmp_path / 'k.db'}"
    klynge("init", "--empty", database=url, tmp_path=tmp_path)
    listed = klynge("rules", "--year", "2024", database=url, tmp_path=tmp_path)
    assert listed.returncode == 0
    assert "development_support_mnok     moden       from 2019: not set" in listed.stdout
    assert "max_years                    arena_pro   from 2019: 5 years" in listed.stdout
    rows = json.loads(klynge("rules", "--json", database=url, tmp_path=tmp_path).stdout)
    assert {(r["rule"], r["scope"], r["value"]) for r in rows} >= {("operating_support_mnok", "arena", 2), ("development_support_mnok", "moden", None)}
    assert json.loads(klynge("rules", "--year", "2018", "--json", database=url, tmp_path=tmp_path).stdout) == []


@pytest.mark.parametrize("year", ["1-999999999999", "2025-2020", "20x4", "1850"])
def test_year_ranges_are_checked_before_use(tmp_path, year):
    result = klynge("export", "--year", year, database=f"sqlite:///{tmp_path / 'k.db'}", tmp_path=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr and "--year" in result.stderr


def test_names_cannot_steer_the_terminal(tmp_path):
    url = f"sqlite:///{tmp_path / 'k.db'}"
    klynge("init", "--empty", database=url, tmp_path=tmp_path)
    master_data(tmp_path / "master")
    clusters = (tmp_path / "master" / "clusters.csv").read_text(encoding="utf-8")
    (tmp_path / "master" / "clusters.csv").write_text(clusters.replace("Fjellhelse", "Fjell\x1b]0;pwned\x07helse\x1b[31m"),
                                                      encoding="utf-8")
    assert klynge("import", str(tmp_path / "master"), database=url, tmp_path=tmp_path).returncode == 0
    listed = klynge("qualify", "--year", "2023", database=url, tmp_path=tmp_path)
    assert "\x1b" not in listed.stdout and "\x07" not in listed.stdout
    assert "Fjell\\x1b]0;pwned\\x07helse\\x1b[31m" in listed.stdout

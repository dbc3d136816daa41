"""The programme's rules as data: the rules of the 2019 description with their sources, the
version in force in a year, the database's copy, and rules imported from a CSV file."""

from __future__ import annotations

import importlib.util

import pytest

from klynge import queries
from klynge.reports.model import RejectedInput
from klynge.rules import PROGRAMME_2019, Rule, Rules
from klynge.store.importer import import_paths
from klynge.store.migrate import MIGRATIONS_DIR
from tests.factories import write_csv

DESCRIPTION = Rules(PROGRAMME_2019)


@pytest.mark.parametrize(("key", "scope", "value", "quoted"), [
    # (rule, level, value, the words of the source it rests on)
    ("operating_support_mnok", "arena", 2, "to millioner kroner"),
    ("development_support_mnok", "arena", 0, None),
    ("max_years", "arena", 3, "inntil tre år"),
    ("operating_support_mnok", "arena_pro", 3, "tre millioner i driftsstøtte"),
    ("development_support_mnok", "arena_pro", 3, "opptil tre millioner i utviklingsstøtte"),
    ("max_years", "arena_pro", 5, "fem år"),
    ("operating_support_mnok", "tidligfase", 0, "tilbyr ikke finansiering"),
    ("development_support_mnok", "tidligfase", 0, "tilbyr ikke finansiering"),
    ("operating_support_mnok", "moden", 0, "siste nivået"),
    ("min_core_companies", "arena", 10, "minimum 10"),
    ("min_core_companies", "arena_pro", 20, "minimum 20"),
    ("min_rnd_actors", "arena", 2, "(min 2)"),
    ("min_rnd_actors", "arena_pro", 3, "(min 3)"),
    ("min_entrepreneurship_actors", "arena", 1, "(min 1)"),
    ("min_entrepreneurship_actors", "arena_pro", 1, "(min 1)"),
    ("min_other_partners", "arena", 2, "(min 2)"),
    ("min_other_partners", "arena_pro", 3, "(min 3)"),
    ("min_completed_projects", "arena_pro", 5, "minimum fem"),
    ("min_planned_projects", "arena_pro", 3, "minimum tre"),
    ("min_five_point_model", "nce", 5, "alle fem"),
    ("esca_valid_years", "programme", 2, None),
])
def test_the_2019_rules_are_those_of_the_description(key, scope, value, quoted):
    rule = DESCRIPTION.rule(key, scope, 2019)
    assert rule.value == value
    assert rule.source
    if quoted:
        assert quoted in rule.source


def test_mature_clusters_project_money_is_not_set_and_neither_is_their_time_limit():
    """«3-årig prosjektstøtte» is three years of project support, not three million kroner."""
    money = DESCRIPTION.rule("development_support_mnok", "moden", 2024)
    assert money.value is None and "kap. 4.4" in money.source
    assert DESCRIPTION.annual_money("moden", 2024) is None
    assert DESCRIPTION.max_years("moden", 2024) is None


def test_annual_money_is_operating_plus_development_support():
    assert [DESCRIPTION.annual_money(level, 2022) for level in ("tidligfase", "arena", "arena_pro", "utenfor")] == [0, 2, 6, 0]


def test_no_rule_before_the_first_version():
    assert DESCRIPTION.rule("operating_support_mnok", "arena", 2018) is None
    assert DESCRIPTION.annual_money("arena", 2018) is None


def test_the_version_in_force_in_a_year_applies():
    rules = Rules([*PROGRAMME_2019, Rule("operating_support_mnok", "arena", 2023, 2.5, "a later decision")])
    assert [rules.value("operating_support_mnok", "arena", year) for year in (2019, 2022, 2023, 2030)] == [2, 2, 2.5, 2.5]
    spans = {(rule.valid_from, until) for rule, until in rules.spans("operating_support_mnok") if rule.scope == "arena"}
    assert spans == {(2019, 2022), (2023, None)}
    assert [r.valid_from for r in rules.in_force(2024) if (r.key, r.scope) == ("operating_support_mnok", "arena")] == [2023]


def test_the_migration_seeds_the_description_and_the_database_hands_it_back(engine):
    spec = importlib.util.spec_from_file_location("m0007", MIGRATIONS_DIR / "versions" / "0007_programme_rules.py")
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    frozen = sorted((key, scope, value, source, note) for key, scope, value, source, note in migration.RULES)
    assert frozen == sorted((r.key, r.scope, r.value, r.source, r.note) for r in PROGRAMME_2019)
    assert queries.rules(engine).all == DESCRIPTION.all


def test_rules_are_imported_from_a_csv_file_and_replace_the_same_version(engine, tmp_path):
    path = write_csv(tmp_path / "regler.csv", [
        {"rule": "development_support_mnok", "scope": "moden", "valid_from": 2024, "value": "2,5", "source": "Tildelingsbrev 2024"},
        {"rule": "max_years", "scope": "arena", "valid_from": 2019, "value": 4, "source": "Endret programbeskrivelse",
         "note": "fire år"},
    ], ["rule", "scope", "valid_from", "value", "source", "note"])
    result = import_paths(engine, [path])
    assert result.rules_written == 2 and "programme rules: 2 written" in result.summary()
    rules = queries.rules(engine)
    assert rules.annual_money("moden", 2023) is None
    assert rules.annual_money("moden", 2024) == 2.5
    replaced = rules.rule("max_years", "arena", 2019)
    assert (replaced.value, replaced.source, replaced.note) == (4, "Endret programbeskrivelse", "fire år")
    assert len(rules.all) == len(PROGRAMME_2019) + 1


def test_a_bad_rules_file_names_line_and_field_and_writes_nothing(engine, tmp_path):
    path = write_csv(tmp_path / "regler.csv", [
        {"rule": "max_yers", "scope": "arena", "valid_from": 2024, "value": 4, "source": "x"},
        {"rule": "max_years", "scope": "arena", "valid_from": 20024, "value": 4, "source": "x"},
        {"rule": "max_years", "scope": "nasjonal", "valid_from": 2024, "value": -1, "source": ""},
        {"rule": "max_years", "scope": "arena", "valid_from": 2025, "value": 4, "source": "x"},
        {"rule": "max_years", "scope": "arena", "valid_from": 2025, "value": 5, "source": "y"},
    ], ["rule", "scope", "valid_from", "value", "source"])
    with pytest.raises(RejectedInput) as error:
        import_paths(engine, [path])
    found = {(p.line, p.field) for p in error.value.problems}
    assert found == {(2, "rule"), (3, "valid_from"), (4, "scope"), (4, "value"), (4, "source"), (6, "valid_from")}
    assert queries.rules(engine).all == DESCRIPTION.all

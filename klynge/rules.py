"""The programme's rules as data: the money a cluster at each level gets in a year, how many
years a level lasts, the qualification thresholds and how long an ESCA label is valid, each
with the place in the source it comes from.

A rule has a key, a scope (a level code, `nce` for the NCE brand, or `programme`), the first
year it is in force and a value. It holds until a later version of the same key and scope
takes over, so the rules in force in a report's year are the ones that apply to it. A value
of None means *not set*: the source names no amount. Every figure that needs a rule that is
not set is itself unknown (shown as "–"), never a plausible guess.

`PROGRAMME_2019` is the programme description of 2019 (Innovasjon Norge, SIVA and
Forskningsrådet: «Klyngeprogrammet», with the application criteria for Arena and Arena Pro).
The database holds the rules in force (`programme_rules`, seeded with these by migration
0007); further rules are imported from a CSV file (`python -m klynge import rules.csv`).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from klynge.domain import LEVEL_CODES, OUTSIDE_LEVEL, PLAUSIBLE_YEARS

# Every rule a database may hold, and its unit.
RULE_UNITS: dict[str, str] = {
    "operating_support_mnok": "mnok",  # driftsstøtte per cluster and year
    "development_support_mnok": "mnok",  # the most utviklingsstøtte per cluster and year
    "max_years": "years",  # how many years a cluster may stay at the level
    "min_core_companies": "count",
    "min_rnd_actors": "count",
    "min_entrepreneurship_actors": "count",
    "min_other_partners": "count",
    "min_completed_projects": "count",
    "min_planned_projects": "count",
    "min_five_point_model": "count",
    "min_ongoing_activity": "count",
    "esca_valid_years": "years",  # how many years an ESCA label counts from the year it was awarded
}
SCOPES: tuple[str, ...] = (*LEVEL_CODES, "nce", "programme")
# The first year a rule can be in force from, and the last (a typo such as 20019 is refused):
# the years any figure of the programme can belong to.
FIRST_YEAR, LAST_YEAR = PLAUSIBLE_YEARS


@dataclass(frozen=True)
class Rule:
    key: str
    scope: str
    valid_from: int
    value: float | None  # None: not set, the source names no value
    source: str
    note: str = ""


_DESCRIPTION = "Programbeskrivelsen 2019"
_ARENA = "Søknadskriterier Arena 2019"
_ARENA_PRO = "Søknadskriterier Arena Pro 2019"
_ESCA = "ESCA (European Secretariat for Cluster Analysis), Cluster Management Excellence Label"


def _rule(key: str, scope: str, value: float | None, source: str, note: str = "") -> Rule:
    return Rule(key, scope, 2019, value, source, note)


PROGRAMME_2019: tuple[Rule, ...] = (
    _rule("operating_support_mnok", "tidligfase", 0, f"{_DESCRIPTION}, kap. 4.1: «tilbyr ikke finansiering i denne fasen»"),
    _rule("development_support_mnok", "tidligfase", 0, f"{_DESCRIPTION}, kap. 4.1: «tilbyr ikke finansiering i denne fasen»"),
    _rule("max_years", "tidligfase", None, f"{_DESCRIPTION}, kap. 4.1", "ingen periode er nevnt"),
    _rule("operating_support_mnok", "arena", 2, f"{_DESCRIPTION}, kap. 4.2: «årlig driftsstøtte på to millioner kroner»"),
    _rule("development_support_mnok", "arena", 0, f"{_DESCRIPTION}, kap. 4.2", "Arena får bare driftsstøtte"),
    _rule("max_years", "arena", 3, f"{_DESCRIPTION}, kap. 4.2: «i inntil tre år»"),
    _rule("operating_support_mnok", "arena_pro", 3, f"{_DESCRIPTION}, kap. 4.3: «tre millioner i driftsstøtte»"),
    _rule("development_support_mnok", "arena_pro", 3, f"{_DESCRIPTION}, kap. 4.3: «opptil tre millioner i utviklingsstøtte»"),
    _rule("max_years", "arena_pro", 5, f"{_DESCRIPTION}, kap. 4.3: «støtter Arena Pro-klynger i fem år»"),
    _rule("operating_support_mnok", "moden", 0,
          f"{_DESCRIPTION}, kap. 4.3: «Arena Pro nivået representerer det siste nivået hvor klyngen vil få tilgang til offentlig driftstøtte»"),
    _rule("development_support_mnok", "moden", None, f"{_DESCRIPTION}, kap. 4.4: «tentativt … 3-årig prosjektstøtte»",
          "beløpet er ikke fastsatt («3-årig» er tre år, ikke tre millioner)"),
    _rule("max_years", "moden", None, f"{_DESCRIPTION}, kap. 4.4: «ingen tidsbegrensning»", "ingen tidsgrense"),
    _rule("min_core_companies", "arena", 10, f"{_ARENA}, krav 5.1: «minimum 10 bedriftene som er kjernemedlemmer»"),
    _rule("min_rnd_actors", "arena", 2, f"{_ARENA}, krav 5.2: «Forsknings- og utviklingsaktører (min 2)»"),
    _rule("min_entrepreneurship_actors", "arena", 1, f"{_ARENA}, krav 5.2: «entreprenørskapstankegang … (min 1)»"),
    _rule("min_other_partners", "arena", 2, f"{_ARENA}, krav 5.2: «Andre samarbeidspartnere … (min 2)»"),
    _rule("min_core_companies", "arena_pro", 20, f"{_ARENA_PRO}, krav 5.1: «minimum 20 bedriftene som er kjernemedlemmer»"),
    _rule("min_rnd_actors", "arena_pro", 3, f"{_ARENA_PRO}, krav 5.2: «Forsknings- og utviklingsaktører (min 3)»"),
    _rule("min_entrepreneurship_actors", "arena_pro", 1, f"{_ARENA_PRO}, krav 5.2: «entreprenørskapstankegang … (min 1)»"),
    _rule("min_other_partners", "arena_pro", 3, f"{_ARENA_PRO}, krav 5.2: «Andre samarbeidspartnere … (min 3)»"),
    _rule("min_completed_projects", "arena_pro", 5, f"{_ARENA_PRO}, krav 1.4: «minimum fem gjennomførte samarbeidsprosjekter»"),
    _rule("min_planned_projects", "arena_pro", 3, f"{_ARENA_PRO}, krav 3.2: «minimum tre planlagte … utviklingsprosjekter»"),
    _rule("min_five_point_model", "nce", 5, f"{_DESCRIPTION}, kap. 4.3: «alle fem aktørene i fempunktsmodellen»"),
    _rule("min_five_point_model", "moden", 5, f"{_DESCRIPTION}, kap. 4.4: «Tilfredsstille kriteriene for å ta i bruk NCE-merkenavnet»"),
    _rule("min_ongoing_activity", "moden", 1, f"{_DESCRIPTION}, kap. 4.4: «Kunne vise at det er løpende aktivitet i klyngen»",
          "lest som minst én aktivitet arrangert i året"),
    _rule("esca_valid_years", "programme", 2, _ESCA, "et merke gjelder i to år fra året det ble tildelt"),
)


class Rules:
    """The rules a database holds, looked up by key, scope and year."""

    def __init__(self, rules: Iterable[Rule]):
        self.all: tuple[Rule, ...] = tuple(sorted(rules, key=lambda r: (r.key, r.scope, r.valid_from)))
        self._versions: dict[tuple[str, str], list[Rule]] = {}
        for rule in self.all:
            self._versions.setdefault((rule.key, rule.scope), []).append(rule)

    def rule(self, key: str, scope: str, year: int) -> Rule | None:
        """The version of the rule in force in `year` (None: no rule from that year or before)."""
        versions = self._versions.get((key, scope), [])
        index = bisect_right([rule.valid_from for rule in versions], year)
        return versions[index - 1] if index else None

    def in_force(self, year: int) -> list[Rule]:
        """Every rule in force in `year`, one version per key and scope."""
        found = (self.rule(key, scope, year) for key, scope in self._versions)
        return [rule for rule in found if rule is not None]

    def spans(self, key: str) -> list[tuple[Rule, int | None]]:
        """Every version of the rule `key`, each with the last year it is in force (None: still in force)."""
        spans = []
        for (rule_key, _scope), versions in self._versions.items():
            if rule_key == key:
                spans += [(rule, later.valid_from - 1) for rule, later in zip(versions, versions[1:])]
                spans.append((versions[-1], None))
        return spans

    def value(self, key: str, scope: str, year: int) -> float | None:
        """The rule's value in `year`; None when no rule is in force or it is not set."""
        rule = self.rule(key, scope, year)
        return None if rule is None else rule.value

    def annual_money(self, level: str, year: int) -> float | None:
        """The most programme money (operating plus development support, MNOK) a cluster at
        `level` can get in `year`; 0 outside the programme; None when either part is not set."""
        if level == OUTSIDE_LEVEL:
            return 0.0
        parts = [self.value(key, level, year) for key in ("operating_support_mnok", "development_support_mnok")]
        return None if any(part is None for part in parts) else float(sum(parts))

    def max_years(self, level: str, year: int) -> int | None:
        """How many years a cluster may stay at `level` under the rules of `year` (None: no limit set)."""
        value = self.value("max_years", level, year)
        return None if value is None else int(value)

    def frame(self) -> pd.DataFrame:
        """Every rule, one row each, with its unit."""
        return pd.DataFrame(
            [(r.key, r.scope, r.valid_from, r.value, RULE_UNITS.get(r.key, ""), r.source, r.note) for r in self.all],
            columns=["rule", "scope", "valid_from", "value", "unit", "source", "note"])


DEFAULT_RULES = Rules(PROGRAMME_2019)

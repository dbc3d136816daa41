"""programme_rules: the programme's rules as data, with their sources.

Money per level and year, the levels' time limits, the qualification thresholds and the
ESCA label's validity were constants in the code, and one of them (mature clusters' project
money) was a guess. They are now rows with the place in the programme description they come
from, and NULL where the description names no value; see klynge/rules.py. This migration
creates the table and fills it with the rules of the 2019 description as they were when it
was written (a frozen copy: later changes to klynge.rules must not change what it does).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_D = "Programbeskrivelsen 2019"
_A = "Søknadskriterier Arena 2019"
_P = "Søknadskriterier Arena Pro 2019"
# (rule, scope, value, source, note), all in force from 2019.
RULES = (
    ("operating_support_mnok", "tidligfase", 0, f"{_D}, kap. 4.1: «tilbyr ikke finansiering i denne fasen»", ""),
    ("development_support_mnok", "tidligfase", 0, f"{_D}, kap. 4.1: «tilbyr ikke finansiering i denne fasen»", ""),
    ("max_years", "tidligfase", None, f"{_D}, kap. 4.1", "ingen periode er nevnt"),
    ("operating_support_mnok", "arena", 2, f"{_D}, kap. 4.2: «årlig driftsstøtte på to millioner kroner»", ""),
    ("development_support_mnok", "arena", 0, f"{_D}, kap. 4.2", "Arena får bare driftsstøtte"),
    ("max_years", "arena", 3, f"{_D}, kap. 4.2: «i inntil tre år»", ""),
    ("operating_support_mnok", "arena_pro", 3, f"{_D}, kap. 4.3: «tre millioner i driftsstøtte»", ""),
    ("development_support_mnok", "arena_pro", 3, f"{_D}, kap. 4.3: «opptil tre millioner i utviklingsstøtte»", ""),
    ("max_years", "arena_pro", 5, f"{_D}, kap. 4.3: «støtter Arena Pro-klynger i fem år»", ""),
    ("operating_support_mnok", "moden", 0,
     f"{_D}, kap. 4.3: «Arena Pro nivået representerer det siste nivået hvor klyngen vil få tilgang til offentlig driftstøtte»", ""),
    ("development_support_mnok", "moden", None, f"{_D}, kap. 4.4: «tentativt … 3-årig prosjektstøtte»",
     "beløpet er ikke fastsatt («3-årig» er tre år, ikke tre millioner)"),
    ("max_years", "moden", None, f"{_D}, kap. 4.4: «ingen tidsbegrensning»", "ingen tidsgrense"),
    ("min_core_companies", "arena", 10, f"{_A}, krav 5.1: «minimum 10 bedriftene som er kjernemedlemmer»", ""),
    ("min_rnd_actors", "arena", 2, f"{_A}, krav 5.2: «Forsknings- og utviklingsaktører (min 2)»", ""),
    ("min_entrepreneurship_actors", "arena", 1, f"{_A}, krav 5.2: «entreprenørskapstankegang … (min 1)»", ""),
    ("min_other_partners", "arena", 2, f"{_A}, krav 5.2: «Andre samarbeidspartnere … (min 2)»", ""),
    ("min_core_companies", "arena_pro", 20, f"{_P}, krav 5.1: «minimum 20 bedriftene som er kjernemedlemmer»", ""),
    ("min_rnd_actors", "arena_pro", 3, f"{_P}, krav 5.2: «Forsknings- og utviklingsaktører (min 3)»", ""),
    ("min_entrepreneurship_actors", "arena_pro", 1, f"{_P}, krav 5.2: «entreprenørskapstankegang … (min 1)»", ""),
    ("min_other_partners", "arena_pro", 3, f"{_P}, krav 5.2: «Andre samarbeidspartnere … (min 3)»", ""),
    ("min_completed_projects", "arena_pro", 5, f"{_P}, krav 1.4: «minimum fem gjennomførte samarbeidsprosjekter»", ""),
    ("min_planned_projects", "arena_pro", 3, f"{_P}, krav 3.2: «minimum tre planlagte … utviklingsprosjekter»", ""),
    ("min_five_point_model", "nce", 5, f"{_D}, kap. 4.3: «alle fem aktørene i fempunktsmodellen»", ""),
    ("min_five_point_model", "moden", 5, f"{_D}, kap. 4.4: «Tilfredsstille kriteriene for å ta i bruk NCE-merkenavnet»", ""),
    ("min_ongoing_activity", "moden", 1, f"{_D}, kap. 4.4: «Kunne vise at det er løpende aktivitet i klyngen»",
     "lest som minst én aktivitet arrangert i året"),
    ("esca_valid_years", "programme", 2, "ESCA (European Secretariat for Cluster Analysis), Cluster Management Excellence Label",
     "et merke gjelder i to år fra året det ble tildelt"),
)


def upgrade() -> None:
    table = op.create_table(
        "programme_rules",
        sa.Column("rule", sa.String(length=40), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("valid_from", sa.Integer(), nullable=False),
        sa.Column("value", sa.Numeric(precision=14, scale=3, asdecimal=False), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("rule", "scope", "valid_from", name="pk_programme_rules"),
    )
    op.bulk_insert(table, [{"rule": rule, "scope": scope, "valid_from": 2019, "value": value, "source": source, "note": note}
                           for rule, scope, value, source, note in RULES])


def downgrade() -> None:
    op.drop_table("programme_rules")

"""The indicators the dashboard shows, and the programme goals they measure.

Each indicator is a column of the per-level summary (`queries.level_summary` with
`metrics.with_derived`): a report field summed over the clusters, or a figure derived from
those sums. Its name and definition are texts of the UI catalogue (`figure.<key>`,
`definition.<key>`); here are the facts that do not depend on the language.
"""

from __future__ import annotations

from dataclasses import dataclass

from klynge.metrics import fields_for

# Indicators counted from the reports, not computed from a field.
COUNTED: tuple[str, ...] = ("clusters",)


@dataclass(frozen=True)
class Indicator:
    key: str
    unit: str  # count, mnok, percent, ratio

    @property
    def sources(self) -> tuple[str, ...]:
        """The canonical report fields it is computed from, as its formula reads them
        (`metrics.fields_for`); empty for one counted from the reports, or set by the
        programme's funding rules alone."""
        return () if self.key in COUNTED else fields_for((self.key,))


INDICATORS: tuple[Indicator, ...] = (
    Indicator("clusters", "count"),
    Indicator("members_total", "count"),
    Indicator("partners_total", "count"),
    Indicator("members_rnd", "count"),
    Indicator("members_innovation_company", "count"),
    Indicator("activities_organised", "count"),
    Indicator("activities_unique_participants", "count"),
    Indicator("participants_per_activity", "ratio"),
    Indicator("funding_national_mnok", "mnok"),
    Indicator("funding_eu_mnok", "mnok"),
    Indicator("funding_triggered_mnok", "mnok"),
    Indicator("programme_money_mnok", "mnok"),
    Indicator("leverage", "ratio"),
    Indicator("international_activities_new", "count"),
    Indicator("intl_projects", "count"),
    Indicator("with_international_partners", "count"),
    Indicator("international_partner_share", "percent"),
    Indicator("cluster_collaborations", "count"),
    Indicator("international_cluster_collaborations", "count"),
    Indicator("competence_projects", "count"),
    Indicator("innovation_projects", "count"),
    Indicator("projects_total", "count"),
    Indicator("projects_per_10_members", "ratio"),
    Indicator("projects_with_rnd", "count"),
    Indicator("rnd_share", "percent"),
    Indicator("new_startups_assisted", "count"),
    Indicator("new_jobs", "count"),
    Indicator("steering_women_share", "percent"),
    Indicator("mgmt_women_share", "percent"),
)
INDICATOR_BY_KEY: dict[str, Indicator] = {indicator.key: indicator for indicator in INDICATORS}


@dataclass(frozen=True)
class Goal:
    key: str
    kind: str  # effect or result
    indicators: tuple[str, ...]


# The programme's goals (programme description, section 1.2) and the indicators that measure
# them. The reports do not measure value creation or facilities directly; the indicators
# chosen are the closest the annual report has, and their definitions say so.
GOALS: tuple[Goal, ...] = (
    Goal("value_creation", "effect", ("new_jobs", "new_startups_assisted")),
    Goal("innovation_capacity", "effect", ("innovation_projects", "projects_with_rnd", "rnd_share")),
    Goal("collaborative_development", "result", ("projects_total", "projects_per_10_members", "activities_unique_participants")),
    Goal("capital_and_competence", "result", ("funding_triggered_mnok", "leverage", "competence_projects")),
    Goal("visibility", "result", ("international_activities_new", "intl_projects", "with_international_partners")),
    Goal("facilities", "result", ("members_rnd", "members_innovation_company")),
    Goal("innovation_actors", "result", ("partners_total", "cluster_collaborations", "international_cluster_collaborations")),
)

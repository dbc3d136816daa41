"""The indicators the dashboard shows, and the programme goals they measure.

Each indicator is a column of the per-level summary (`queries.level_summary` with
`metrics.with_derived`): a report field summed over the clusters, or a figure derived from
those sums. Its name and definition are texts of the UI catalogue (`figure.<key>`,
`definition.<key>`); here are the facts that do not depend on the language.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Indicator:
    key: str
    unit: str  # count, mnok, percent, ratio
    # The canonical report fields it is computed from (empty: counted from the reports, or
    # from the programme's funding rules).
    sources: tuple[str, ...]


def _i(key: str, unit: str, *sources: str) -> Indicator:
    return Indicator(key, unit, sources)


INDICATORS: tuple[Indicator, ...] = (
    _i("clusters", "count"),
    _i("members_total", "count", "members_total"),
    _i("partners_total", "count", "partners_total"),
    _i("members_rnd", "count", "members_rnd"),
    _i("members_innovation_company", "count", "members_innovation_company"),
    _i("activities_organised", "count", "activities_organised"),
    _i("activities_unique_participants", "count", "activities_unique_participants"),
    _i("participants_per_activity", "ratio", "activities_unique_participants", "activities_organised"),
    _i("funding_national_mnok", "mnok", "funding_national_mnok"),
    _i("funding_eu_mnok", "mnok", "funding_eu_mnok"),
    _i("funding_triggered_mnok", "mnok", "funding_national_mnok", "funding_eu_mnok"),
    _i("programme_money_mnok", "mnok"),
    _i("leverage", "ratio", "funding_national_mnok", "funding_eu_mnok"),
    _i("international_activities_new", "count", "international_activities_new"),
    _i("intl_projects", "count", "prog_intl_fairs", "prog_intl_training", "prog_intl_market_positions", "other_intl_projects"),
    _i("with_international_partners", "count", "prog_with_international_partners", "other_with_international_partners"),
    _i("international_partner_share", "percent", "prog_with_international_partners", "other_with_international_partners"),
    _i("cluster_collaborations", "count", "prog_new_cluster_collaborations", "other_new_cluster_collaborations"),
    _i("international_cluster_collaborations", "count", "prog_new_cluster_collaborations_international",
       "other_new_cluster_collaborations_international"),
    _i("competence_projects", "count", "prog_competence_training", "prog_competence_education", "other_competence_projects"),
    _i("innovation_projects", "count", "prog_innovation_collaboration", "prog_innovation_prestudy",
       "prog_innovation_investment", "other_innovation_projects"),
    _i("projects_total", "count", "prog_competence_training", "prog_competence_education", "prog_intl_fairs",
       "prog_intl_training", "prog_intl_market_positions", "prog_innovation_collaboration", "prog_innovation_prestudy",
       "prog_innovation_investment", "other_competence_projects", "other_intl_projects", "other_innovation_projects",
       "custom_type_projects"),
    _i("projects_per_10_members", "ratio", "members_total"),
    _i("projects_with_rnd", "count", "prog_with_rnd", "other_with_rnd"),
    _i("rnd_share", "percent", "prog_with_rnd", "other_with_rnd"),
    _i("new_startups_assisted", "count", "new_startups_assisted"),
    _i("new_jobs", "count", "new_jobs"),
    _i("steering_women_share", "percent", "steering_women", "steering_members"),
    _i("mgmt_women_share", "percent", "mgmt_paid_women", "mgmt_paid_persons"),
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

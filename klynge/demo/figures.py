"""The figures of one demo cluster's annual reports, year after year.

Figures follow the register (members by type are its counts) and the level (activities,
money, international work and projects rise from Tidligfase to Moden), grow with the
cluster, and move smoothly from one year to the next: a figure never rises or falls by a
factor near the data-quality check's (klynge.quality.JUMP_FIELDS) except in the one
deliberate jump.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from klynge.demo import names, texts
from klynge.demo.plan import INCONSISTENT, JUMP, MISMATCH, ClusterPlan
from klynge.domain import MEMBER_COUNT_FIELDS

# Per level: activities per member and their (lowest, highest); funding per member (MNOK);
# the chance a cluster starts drawing EU money in a year; new international activities
# (lowest, highest); paid management persons (lowest, highest); programme-financed project
# counts per type (highest); start-ups assisted (highest).
LEVEL_FIGURES: dict[str | None, dict[str, Any]] = {
    "tidligfase": {"activities": (0.35, 5, 12), "national": 0.015, "eu_start": 0.02, "intl": (0, 1), "mgmt": (0, 1), "prog": 0, "startups": 1},
    "arena": {"activities": (0.40, 10, 30), "national": 0.06, "eu_start": 0.12, "intl": (0, 3), "mgmt": (1, 3), "prog": 1, "startups": 3},
    "arena_pro": {"activities": (0.36, 20, 50), "national": 0.10, "eu_start": 0.35, "intl": (2, 7), "mgmt": (2, 5), "prog": 2, "startups": 5},
    "moden": {"activities": (0.34, 25, 60), "national": 0.11, "eu_start": 0.5, "intl": (3, 9), "mgmt": (3, 7), "prog": 1, "startups": 6},
    None: {"activities": (0.20, 5, 20), "national": 0.03, "eu_start": 0.0, "intl": (0, 2), "mgmt": (0, 2), "prog": 0, "startups": 1},
}
PROG_FIELDS = ("prog_competence_training", "prog_competence_education", "prog_intl_fairs", "prog_intl_training",
               "prog_intl_market_positions", "prog_innovation_collaboration", "prog_innovation_prestudy",
               "prog_innovation_investment")
# A figure may change by at most these factors from one year to the next.
_MAX_RISE, _MAX_FALL = 2.0, 0.5
JUMP_FACTOR = 6


@dataclass
class ClusterState:
    """What carries over from one year's report to the next."""

    participants_per_activity: float
    funding_factor: float
    jobs_per_member: float
    partners_per_member: float
    leader: str
    steering: int
    mgmt: int | None = None
    eu_cents: int = 0
    previous: dict[str, Any] = field(default_factory=dict)


def new_state(rng: random.Random) -> ClusterState:
    return ClusterState(
        participants_per_activity=rng.uniform(6, 15), funding_factor=rng.uniform(0.75, 1.3),
        jobs_per_member=rng.uniform(0.04, 0.2), partners_per_member=rng.uniform(0.12, 0.3),
        leader=names.person(rng), steering=rng.randint(5, 8),
    )


def _smooth(value: float, previous: float | None, small: float) -> float:
    """`value`, kept within a plausible change from last year's (any change below `small`)."""
    if previous is None:
        return value
    return min(max(value, previous * _MAX_FALL), max(previous * _MAX_RISE, small))


def _money(cents: int) -> Decimal:
    """MNOK from hundredths of MNOK, without trailing zeros ('4.5', '12', '0.25')."""
    whole, part = divmod(cents, 100)
    return Decimal(f"{whole}.{part:02d}".rstrip("0").rstrip("."))


def report_values(rng: random.Random, plan: ClusterPlan, state: ClusterState, year: int, first_year: int,
                  counts: list[int]) -> dict[str, Any]:
    """The typed values of the cluster's report for `year` (with no deliberate problem yet)."""
    period = plan.period_in(year)
    level = period.level if period else None
    branded = bool(period and period.brand)
    spec = LEVEL_FIGURES[level]
    prev = state.previous
    members = sum(counts)

    if rng.random() < 0.08:
        state.leader = names.person(rng)
    if rng.random() < 0.2:
        state.steering = min(9, max(5, state.steering + rng.choice((-1, 1))))
    steering = state.steering
    low, high = spec["mgmt"]
    state.mgmt = rng.randint(low, high) if state.mgmt is None else min(high, max(low, state.mgmt + rng.choice((-1, 0, 0, 1))))
    paid = state.mgmt

    rate, act_low, act_high = spec["activities"]
    activities = min(act_high, max(act_low, round(members * rate * rng.uniform(0.75, 1.3))))
    activities = round(_smooth(activities, prev.get("activities_organised"), 4))
    participants = round(_smooth(activities * state.participants_per_activity * rng.uniform(0.92, 1.08),
                                 prev.get("activities_unique_participants"), 40))
    partners = round(_smooth(members * state.partners_per_member * rng.uniform(0.95, 1.05) + rng.randint(0, 2),
                             prev.get("partners_total"), 8))

    growth = 1.03 ** (year - first_year)
    national = max(5, round(members * spec["national"] * state.funding_factor * growth * rng.uniform(0.85, 1.15) * 100))
    national = round(_smooth(national, prev.get("national_cents"), 80))
    # EU money: once a cluster draws it, it keeps drawing it, changing smoothly; it starts small.
    if state.eu_cents == 0:
        if rng.random() < spec["eu_start"] * (1.5 if branded else 1):
            state.eu_cents = rng.randint(10, 90)
    elif state.eu_cents < 100 and rng.random() < 0.15:
        state.eu_cents = 0
    else:
        cap = max(100, round(members * spec["national"] * 60 * (1.5 if branded else 1)))
        state.eu_cents = min(max(round(state.eu_cents * rng.uniform(0.85, 1.4)), 10), max(cap, state.eu_cents))

    intl_low, intl_high = spec["intl"]
    if branded:
        intl_low, intl_high = intl_low + 1, intl_high + 3
    intl = prev.get("international_activities_new")
    intl = rng.randint(intl_low, intl_high) if intl is None else min(max(intl + rng.randint(-1, 2), intl_low), intl_high)
    intl = round(_smooth(intl, prev.get("international_activities_new"), 3))

    # Programme-financed projects are few, and most types have none in a given year.
    prog = {name: rng.randint(1, spec["prog"]) if spec["prog"] and rng.random() < 0.45 else 0 for name in PROG_FIELDS}
    prog_total = sum(prog.values())
    prog_collab = rng.randint(0, spec["prog"] + 1) if spec["prog"] else 0
    wide = level in ("arena_pro", "moden")
    other_competence, other_intl = rng.randint(0, 3), rng.randint(0, 3 if wide else 1)
    other_innovation = rng.randint(1, 8) if wide else rng.randint(0, 4)
    other_total = other_competence + other_intl + other_innovation
    other_collab = rng.randint(0, 3)
    jobs = round(_smooth(members * state.jobs_per_member * rng.uniform(0.85, 1.2), prev.get("new_jobs"), 6))

    values: dict[str, Any] = {
        "report_year": year,
        "cluster_name": plan.name_in(year),
        "leader_name": state.leader,
        "period_start": dt.date(year, 1, 1),
        "period_end": dt.date(year, 12, 31),
        "steering_members": steering,
        "steering_business_reps": steering - rng.randint(1, 3),
        "steering_women": rng.randint(max(1, round(steering * 0.25)), round(steering * 0.6)),
        "mgmt_paid_persons": paid,
        "mgmt_paid_women": rng.randint(0, paid),
        "mgmt_fte": Decimal(paid * rng.randint(5, 10)) / 10 if paid else Decimal(0),
        "members_total": members,
        "partners_total": partners,
        **dict(zip(MEMBER_COUNT_FIELDS, counts)),
        "activities_organised": activities,
        "activities_unique_participants": participants,
        "funding_national_mnok": _money(national),
        "funding_eu_mnok": _money(state.eu_cents),
        "international_activities_new": intl,
        "international_activities_description": texts.international_description(rng, year, intl, plan.sector),
        **prog,
        "prog_with_international_partners": rng.randint(0, min(prog_total, 1 + intl // 3)),
        "prog_with_rnd": rng.randint(0, prog_total),
        "prog_new_cluster_collaborations": prog_collab,
        "prog_new_cluster_collaborations_international": rng.randint(0, prog_collab),
        "other_competence_projects": other_competence,
        "other_intl_projects": other_intl,
        "other_innovation_projects": other_innovation,
        "other_with_international_partners": rng.randint(0, min(other_total, other_intl + 1)),
        "other_with_rnd": rng.randint(0, other_total),
        "other_new_cluster_collaborations": other_collab,
        "other_new_cluster_collaborations_international": rng.randint(0, other_collab),
        "custom_type_projects": rng.randint(0, 2),
        "new_startups_assisted": rng.randint(0, spec["startups"]),
        "new_jobs": jobs,
        "story_societal": texts.story_societal(rng, year, plan.sector, plan.place, plan.slug),
        "story_societal_goals": texts.story_goals(rng, plan.sector),
        "story_effect": texts.story_effect(rng, year),
    }
    state.previous = {name: values[name] for name in (
        "activities_organised", "activities_unique_participants", "partners_total", "international_activities_new", "new_jobs")}
    state.previous["national_cents"] = national
    return values


def apply_case(rng: random.Random, values: dict[str, Any], role: str | None, inconsistency: str | None) -> None:
    """Turn a report into one of the deliberate data-quality cases (in place)."""
    if role == JUMP:
        values["activities_unique_participants"] *= JUMP_FACTOR
    elif role == MISMATCH:
        # The report counts members the register does not (or no longer) hold.
        shift = rng.randint(2, 5)
        values["members_established"] += shift
        values["members_startup"] += 1
        values["members_total"] += shift + 1
    elif role == INCONSISTENT:
        if inconsistency == "members_sum":
            # The types stay the register's; the total does not add up to them.
            values["members_total"] += rng.randint(3, 9)
        elif inconsistency == "steering_women":
            values["steering_women"] = values["steering_members"] + rng.randint(1, 2)
        elif inconsistency == "intl_collaborations":
            values["prog_new_cluster_collaborations"] = rng.randint(0, 1)
            values["prog_new_cluster_collaborations_international"] = values["prog_new_cluster_collaborations"] + rng.randint(1, 2)
        elif inconsistency == "fte_without_persons":
            values["mgmt_paid_persons"], values["mgmt_paid_women"] = 0, 0
            values["mgmt_fte"] = Decimal("1.5")
        elif inconsistency == "rnd_projects":
            values["other_with_rnd"] = values["other_competence_projects"] + values["other_intl_projects"] + \
                values["other_innovation_projects"] + rng.randint(1, 3)

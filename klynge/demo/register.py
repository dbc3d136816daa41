"""One demo cluster's member register, simulated year by year.

Each year the register is topped up to a target size that suits the cluster's level, the
member types a level needs (R&D, public actors, an innovation company, investors) are filled
first, and some members leave at the end of the year. The register's counts per type and
year are exactly what the cluster's reports say (but for the deliberate mismatches).

A member counts in a year when it joined on or before 31 December and did not leave before
1 January of that year.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from bisect import bisect
from dataclasses import dataclass

from klynge.demo import names
from klynge.demo.plan import ClusterPlan
from klynge.domain import COMPANY_TYPES, MEMBER_TYPE_CODES

# Register size per level (before members_scale): (lowest, highest, first-year size range,
# yearly growth range). `None` is a year outside the programme.
SIZES: dict[str | None, tuple[int, int, tuple[int, int], tuple[float, float]]] = {
    "tidligfase": (8, 30, (8, 16), (0.05, 0.25)),
    "arena": (20, 80, (20, 38), (0.10, 0.22)),
    "arena_pro": (60, 200, (60, 95), (0.04, 0.10)),
    "moden": (80, 300, (90, 140), (0.01, 0.05)),
    None: (5, 320, (10, 30), (-0.02, 0.04)),
}
# Room left under a level's highest size for members joining to fill a needed type.
_HEADROOM = 5

# The fewest members of each type a cluster keeps at a level (DOMAIN.md, qualification
# thresholds: R&D, entrepreneurship actors, other partners; the five-point model for Moden).
NEEDS: dict[str | None, dict[str, int]] = {
    "tidligfase": {},
    "arena": {"rnd": 2, "innovation_company": 1, "public": 1, "investor": 1},
    "arena_pro": {"rnd": 3, "innovation_company": 1, "public": 2, "investor": 1},
    "moden": {"rnd": 4, "innovation_company": 1, "public": 2, "investor": 2, "startup": 3, "cluster": 1},
    None: {},
}
# Core members (kjernemedlemmer) a level asks for (DOMAIN.md, section 5 of the criteria).
CORE_THRESHOLDS: dict[str, int] = {"arena": 10, "arena_pro": 20, "moden": 20}

# Who joins, when no needed type is missing: established companies and start-ups dominate.
_TYPE_WEIGHTS = {"established": 48, "startup": 22, "rnd": 6, "public": 5, "innovation_company": 3,
                 "investor": 5, "association": 8, "cluster": 3}
_TYPES = MEMBER_TYPE_CODES
_CUMULATIVE = [sum(_TYPE_WEIGHTS[t] for t in _TYPES[:i + 1]) for i in range(len(_TYPES))]
_TYPE_INDEX = {code: i for i, code in enumerate(_TYPES)}
_CORE_SHARE = {"established": 0.72, "startup": 0.55, "rnd": 0.08, "innovation_company": 0.05, "investor": 0.04,
               "association": 0.03, "cluster": 0.05, "public": 0.0}
_COMPANY_INDEXES = frozenset(_TYPE_INDEX[t] for t in COMPANY_TYPES)


def scaled_range(level: str | None, scale: float) -> tuple[int, int]:
    low, high, _, _ = SIZES[level]
    return max(1, math.ceil(low * scale)), max(1, math.floor(high * scale))


def targets(rng: random.Random, plan: ClusterPlan, last_year: int, scale: float) -> dict[int, int]:
    """The register size the cluster aims at in each year from its entry to `last_year`."""
    result: dict[int, int] = {}
    size: float | None = None
    previous_level: str | None = "start"
    for year in range(plan.entry_year, last_year + 1):
        level = plan.level_in(year)
        low, high, (entry_low, entry_high), (grow_low, grow_high) = SIZES[level]
        if size is None:
            size = rng.uniform(entry_low, entry_high)
        elif level != previous_level:
            size = size * rng.uniform(1.05, 1.25)
        else:
            size = size * (1 + rng.uniform(grow_low, grow_high))
        size = min(max(size, low), high - _HEADROOM)
        low_scaled, high_scaled = scaled_range(level, scale)
        result[year] = min(max(round(size * scale), low_scaled), max(low_scaled, high_scaled - _HEADROOM))
        previous_level = level
    return result


@dataclass
class Register:
    # Each member: [orgnr, name, type index, core, joined ordinal, left ordinal or None]
    members: list[list]
    counts: dict[int, list[int]]  # year -> members per type, in MEMBER_TYPE_CODES order


def _year_start(year: int) -> int:
    return dt.date(year, 1, 1).toordinal()


def _year_days(year: int) -> int:
    return 366 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 365


class _Builder:
    def __init__(self, rng: random.Random, plan: ClusterPlan, other_clusters: list[tuple[str, str]]):
        self.rng = rng
        self.plan = plan
        self.other_clusters = other_clusters
        self.members: list[list] = []
        self.pool: list[int] = []  # indexes of members who have not left
        self.active = [0] * len(_TYPES)
        self.core_active = 0
        self.names: set[str] = set()
        self.orgnrs: set[str] = set()

    def add(self, type_index: int, joined: int) -> None:
        rng = self.rng
        code = _TYPES[type_index]
        if code == "cluster":
            for _ in range(5):
                name, number = self.other_clusters[rng.randrange(len(self.other_clusters))] if self.other_clusters else ("", "")
                if number and number not in self.orgnrs and number != self.plan.orgnr:
                    break
            else:
                type_index, code = _TYPE_INDEX["association"], "association"
        if code != "cluster":
            while (name := names.organisation(rng, code, self.plan.sector, self.plan.place)) in self.names:
                pass
            while (number := names.orgnr(rng)) in self.orgnrs:
                pass
        self.names.add(name)
        self.orgnrs.add(number)
        core = rng.random() < _CORE_SHARE[code]
        self.pool.append(len(self.members))
        self.members.append([number, name, type_index, core, joined, None])
        self.active[type_index] += 1
        self.core_active += core

    def random_type(self) -> int:
        return bisect(_CUMULATIVE, self.rng.random() * _CUMULATIVE[-1])

    def join(self, count: int, need: dict[str, int], joined_in: tuple[int, int], founding: int | None = None) -> None:
        """`count` members join (more if a needed type is missing), on days in `joined_in`."""
        start, days = joined_in
        forced = [_TYPE_INDEX[code] for code, least in need.items() for _ in range(least - self.active[_TYPE_INDEX[code]])]
        for type_index in forced + [self.random_type() for _ in range(count - len(forced))]:
            on = founding if founding is not None and self.rng.random() < 0.5 else start + self.rng.randrange(days)
            self.add(type_index, on)

    def set_core(self, wanted: int, promote: bool) -> None:
        """Promote active companies to core members (or demote core members) until `wanted`."""
        pool, members = self.pool, self.members
        offset = self.rng.randrange(len(pool)) if pool else 0
        for step in range(len(pool)):
            if (self.core_active >= wanted) if promote else (self.core_active <= wanted):
                return
            member = members[pool[(offset + step) % len(pool)]]
            if promote and not member[3] and member[2] in _COMPANY_INDEXES:
                member[3] = True
                self.core_active += 1
            elif not promote and member[3]:
                member[3] = False
                self.core_active -= 1

    def leave(self, count: int, year: int, keep: dict[str, int]) -> None:
        """`count` members (not those joined this year, nor the last of a needed type) leave in `year`."""
        rng, pool, members = self.rng, self.pool, self.members
        start, days = _year_start(year), _year_days(year)
        for _ in range(count * 4):
            if count <= 0 or not pool:
                return
            slot = rng.randrange(len(pool))
            member = members[pool[slot]]
            type_index = member[2]
            if member[4] >= start or self.active[type_index] <= keep.get(_TYPES[type_index], 0):
                continue
            member[5] = start + rng.randrange(days)
            pool[slot] = pool[-1]
            pool.pop()
            self.active[type_index] -= 1
            self.core_active -= member[3]
            count -= 1


def build_register(rng: random.Random, plan: ClusterPlan, scale: float,
                   other_clusters: list[tuple[str, str]], short_of_core: int = 0) -> Register:
    """Simulate the register from the cluster's entry to its last report year.

    `other_clusters` are (name, orgnr) of clusters that may join as members. With
    `short_of_core` > 0 the cluster ends that many core members short of its level's threshold
    in its last report year.
    """
    last = plan.report_years[-1]
    sizes = targets(rng, plan, last, scale)
    churn = rng.uniform(0.02, 0.05)
    builder = _Builder(rng, plan, other_clusters)
    founding = _year_start(plan.entry_year) + rng.randrange(_year_days(plan.entry_year))
    first = plan.report_years[0]
    if plan.entry_year < first:
        # The members who joined before the demo years, some of them on the founding day.
        before = plan.entry_year, first - 1
        need = NEEDS[plan.level_in(first - 1)]
        for index in range(sizes[first - 1]):
            year = plan.entry_year if index < sizes[first - 1] * 0.45 else rng.randint(*before)
            on = founding if year == plan.entry_year else _year_start(year) + rng.randrange(_year_days(year))
            builder.add(builder.random_type(), on)
        builder.join(0, need, (_year_start(first - 1), _year_days(first - 1)))
    counts: dict[int, list[int]] = {}
    for year in range(first, last + 1):
        level = plan.level_in(year)
        need = NEEDS[level]
        builder.join(max(0, sizes[year] - len(builder.pool)), need, (_year_start(year), _year_days(year)),
                     founding if year == plan.entry_year else None)
        threshold = CORE_THRESHOLDS.get(level or "")
        if threshold:
            builder.set_core(threshold, promote=True)
            if year == last and short_of_core:
                builder.set_core(threshold - short_of_core, promote=False)
        counts[year] = list(builder.active)
        if year < last:
            following = sizes[year + 1]
            keep = {code: max(need.get(code, 0), NEEDS[plan.level_in(year + 1)].get(code, 0)) for code in _TYPES}
            leaving = max(round(len(builder.pool) * churn), len(builder.pool) - following)
            builder.leave(leaving, year, keep)
    return Register(builder.members, counts)

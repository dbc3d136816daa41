"""The demo clusters' life stories: when each entered the programme, its programme periods,
the years it reports, its names, and which cluster-years carry a deliberate data-quality case.

A cluster follows the programme's ladder: some start in Tidligfase, then Arena (three years),
Arena Pro (five years) and Moden. Some leave the programme, most for good and some for a
gap of a year or two; while outside they keep reporting for a year or two (counted "outside
the programme"). Everything here is small (one record per cluster), so it is held in memory; the
big tables are streamed by the package's `generate`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from klynge.demo import names
from klynge.domain import LEVEL_CODES, REGIONS, SECTORS

# The oldest clusters entered this many years before the first demo year.
OLDEST_ENTRY = 12
ARENA_YEARS = 3
ARENA_PRO_YEARS = 5
# The largest share of clusters that enter after the first demo year.
LATE_SHARE = 0.35
# What becomes of a cluster, with its chance: it climbs on to Moden, or leaves at some step.
FATES = (("stay", 0.63), ("leave_after_arena", 0.15), ("gap_after_arena", 0.05),
         ("leave_after_pro", 0.12), ("leave_from_tidligfase", 0.05))
NCE_SHARE_ARENA_PRO = 0.12
NCE_SHARE_MODEN = 0.45
# Every level should have at least this share of the clusters (and at least one) in every year.
MIN_LEVEL_SHARE = {"tidligfase": 0.02, "arena": 0.09, "arena_pro": 0.1, "moden": 0.1}
# How many cluster ladders may be drawn in all while looking for a balanced draw.
PLAN_BUDGET = 20_000


@dataclass(frozen=True)
class Period:
    level: str
    first_year: int
    last_year: int
    brand: str = ""


@dataclass
class ClusterPlan:
    cluster_id: int
    sector: str
    region: str
    entry_year: int
    periods: list[Period]  # the whole ladder, also the part before the demo years
    report_years: list[int]  # the demo years it files a report for (or would, but for a missing one)
    name: str = ""
    former_names: list[tuple[str, int]] = field(default_factory=list)  # (name, used before this year), oldest first
    place: str = ""
    orgnr: str = ""
    slug: str = ""
    esca_label: str = ""
    esca_year: int | None = None

    def period_in(self, year: int) -> Period | None:
        for period in self.periods:
            if period.first_year <= year <= period.last_year:
                return period
        return None

    def level_in(self, year: int) -> str | None:
        period = self.period_in(year)
        return period.level if period else None

    def brand_in(self, year: int) -> str:
        period = self.period_in(year)
        return period.brand if period else ""

    def name_in(self, year: int) -> str:
        for old_name, until in self.former_names:
            if year < until:
                return old_name
        return self.name

    def written_periods(self, first_year: int) -> list[Period]:
        """The periods that reach into the demo years (they may start before them)."""
        return [p for p in self.periods if p.last_year >= first_year]


def _weighted(rng: random.Random, options: tuple[tuple[str, float], ...]) -> str:
    point = rng.random() * sum(weight for _, weight in options)
    for value, weight in options:
        point -= weight
        if point < 0:
            return value
    return options[-1][0]


def fates(leaving: float) -> tuple[tuple[str, float], ...]:
    """FATES with the chance of each way of leaving multiplied by `leaving` (1 = as FATES)."""
    return tuple((fate, weight if fate == "stay" else weight * leaving) for fate, weight in FATES)


def _ladder(rng: random.Random, first_year: int, last_year: int, late_share: float = LATE_SHARE,
            fate_weights: tuple[tuple[str, float], ...] = FATES) -> tuple[int, list[Period], int]:
    """One cluster's entry year, periods and last report year."""
    span = last_year - first_year + 1
    # Entry years are spread evenly from OLDEST_ENTRY years before the first demo year to the
    # last but one, except that at most `late_share` of the clusters enter during the demo years.
    late_share = min(late_share, (span - 1) / (span + OLDEST_ENTRY))
    if rng.random() < late_share:
        offset = rng.randint(1, span - 1)
    else:
        offset = rng.randint(-OLDEST_ENTRY, 0)
    entry = first_year + offset
    tidligfase_years = rng.choice((1, 1, 2, 2, 3, 4)) if rng.random() < (0.6 if offset > 0 else 0.35) else 0
    fate = _weighted(rng, fate_weights)
    if fate == "leave_from_tidligfase" and not tidligfase_years:
        fate = "stay"
    arena_years = ARENA_YEARS if rng.random() < 0.9 else ARENA_YEARS - 1
    nce_from_pro = rng.random() < NCE_SHARE_ARENA_PRO
    nce_moden = nce_from_pro or rng.random() < NCE_SHARE_MODEN
    gap = rng.randint(1, 2)
    after_leaving = rng.randint(1, 2)  # years a leaver still reports, outside the programme

    def build(fate: str) -> tuple[list[Period], int | None]:
        periods, year = [], entry
        if tidligfase_years:
            periods.append(Period("tidligfase", year, year + tidligfase_years - 1))
            year += tidligfase_years
            if fate == "leave_from_tidligfase":
                return periods, year
        periods.append(Period("arena", year, year + arena_years - 1))
        year += arena_years
        if fate == "leave_after_arena":
            return periods, year
        if fate == "gap_after_arena":
            year += gap
        periods.append(Period("arena_pro", year, year + ARENA_PRO_YEARS - 1, "NCE" if nce_from_pro else ""))
        year += ARENA_PRO_YEARS
        if fate == "leave_after_pro":
            return periods, year
        if year <= last_year:
            periods.append(Period("moden", year, last_year, "NCE" if nce_moden else ""))
        return periods, None

    periods, left_in = build(fate)
    if left_in is not None and left_in <= first_year:
        # It would have left before the demo years begin: let it stay instead.
        periods, left_in = build("stay")
    periods = [p for p in periods if p.first_year <= last_year]
    stop = last_year if left_in is None else min(last_year, left_in + after_leaving - 1)
    return entry, periods, stop


def level_balance(plans: list[ClusterPlan], first_year: int, last_year: int) -> tuple[int, int]:
    """(score, best score): how well every level is represented in every demo year.

    Each (year, level) adds the number of its clusters up to the level's minimum share of
    all clusters (at least one).
    """
    counts: dict[tuple[int, str], int] = {}
    for plan in plans:
        for p in plan.periods:
            for year in range(max(p.first_year, first_year), min(p.last_year, last_year) + 1):
                counts[(year, p.level)] = counts.get((year, p.level), 0) + 1
    least = {level: max(1, int(len(plans) * share)) for level, share in MIN_LEVEL_SHARE.items()}
    score = sum(min(counts.get((year, level), 0), least[level])
                for year in range(first_year, last_year + 1) for level in LEVEL_CODES)
    return score, (last_year - first_year + 1) * sum(least.values())


def plan_ladders(rng: random.Random, n_clusters: int, first_year: int, last_year: int, *,
                 late_share: float = LATE_SHARE, leaving: float = 1.0) -> list[ClusterPlan]:
    """Every cluster's ladder; drawn again until every level is well represented in every
    demo year (see `level_balance`), keeping the best draw when that cannot be had.

    `late_share` caps the share of clusters that enter during the demo years, and `leaving`
    scales the chance that a cluster leaves the programme (see `fates`): lower values give
    clusters that report in more of the years."""
    fate_weights = fates(leaving)
    sectors = [SECTORS[i % len(SECTORS)] for i in range(n_clusters)]
    regions = [REGIONS[i % len(REGIONS)] for i in range(n_clusters)]
    rng.shuffle(sectors)
    rng.shuffle(regions)
    best: list[ClusterPlan] = []
    best_score = -1
    for _ in range(max(1, PLAN_BUDGET // n_clusters)):
        plans = []
        for index in range(n_clusters):
            entry, periods, stop = _ladder(rng, first_year, last_year, late_share, fate_weights)
            years = list(range(max(entry, first_year), stop + 1))
            plans.append(ClusterPlan(index + 1, sectors[index], regions[index], entry, periods, years))
        score, full = level_balance(plans, first_year, last_year)
        if score > best_score:
            best, best_score = plans, score
        if score == full:
            break
    _add_gce(rng, best, first_year, last_year)
    return best


def _add_gce(rng: random.Random, plans: list[ClusterPlan], first_year: int, last_year: int) -> None:
    """Give one old mature cluster per ~40 the historical GCE brand for its first demo years."""
    if last_year - first_year < 2:
        return
    candidates = [plan for plan in plans
                  if plan.periods and plan.periods[-1].level == "moden" and plan.periods[-1].first_year <= first_year]
    for plan in rng.sample(candidates, min(len(candidates), max(1, len(plans) // 40))):
        moden = plan.periods.pop()
        plan.periods += [Period("moden", moden.first_year, first_year + 1, "GCE"),
                         Period("moden", first_year + 2, moden.last_year, "NCE")]


# ---------------------------------------------------------------- names, numbers, labels

def _style(rng: random.Random, plan: ClusterPlan, year: int) -> str:
    """The name style that suits the cluster as it was in `year`."""
    period = plan.period_in(year)
    if period and period.brand and rng.random() < 0.7:
        return "nce"
    if period and period.level == "arena" and rng.random() < 0.5:
        return "arena"
    if (period is None or period.level == "tidligfase") and rng.random() < 0.5:
        return "network"
    return rng.choice(("klynge", "klynge", "definite"))


def name_clusters(rng: random.Random, plans: list[ClusterPlan]) -> None:
    """Names (some with former names), organisation numbers, slugs and ESCA labels."""
    taken: set[str] = set()
    orgnrs: set[str] = set()
    renamed = _pick_renames(rng, plans)
    for plan in plans:
        last = plan.report_years[-1]
        change_years = renamed.get(plan.cluster_id, [])
        for attempt in range(50):
            home = names.place(rng)
            if attempt >= 20:
                home = f"{rng.choice(names.QUALIFIERS)} {home}"
            if change_years and plan.brand_in(last) and _nce_start(plan) in change_years:
                style = "nce"  # renamed when it became NCE
            else:
                style = _style(rng, plan, last)
                if style == "nce" and not plan.brand_in(plan.report_years[0]):
                    style = "klynge"  # an NCE name in reports from before it was NCE would be odd
            current = names.cluster_name(style, home, plan.sector)
            former = []
            for until in change_years:
                old_style = _style(rng, plan, until - 1)
                if old_style in (style, "nce"):
                    old_style = "arena" if style != "arena" else "klynge"
                old_place = home if rng.random() < 0.7 else names.place(rng)
                former.append((names.cluster_name(old_style, old_place, plan.sector), until))
            keys = [names.name_key(n) for n in [current, *(n for n, _ in former)]] + ["slug:" + names.slug(current)]
            if len(set(keys)) == len(keys) and not any(key in taken for key in keys):
                break
        taken.update(keys)
        plan.name, plan.former_names, plan.place, plan.slug = current, former, home, names.slug(current)
        while (number := names.orgnr(rng)) in orgnrs:
            pass
        orgnrs.add(number)
        plan.orgnr = number
        _esca(rng, plan)


def _nce_start(plan: ClusterPlan) -> int | None:
    years = [year for year in plan.report_years if plan.brand_in(year) == "NCE"]
    return years[0] if years else None


def _pick_renames(rng: random.Random, plans: list[ClusterPlan]) -> dict[int, list[int]]:
    """~4 renamed clusters per 45: cluster id -> the years a new name took over, oldest first.

    Clusters that became NCE during the demo years are renamed in that year first; one
    renamed cluster (with years enough) has had two earlier names.
    """
    wanted = max(1, round(len(plans) * 4 / 45))
    nce_in_span = [p for p in plans if (start := _nce_start(p)) is not None and start > p.report_years[0]]
    nce_ids = {p.cluster_id for p in nce_in_span}
    others = [p for p in plans if len(p.report_years) >= 2 and p.cluster_id not in nce_ids]
    chosen = rng.sample(nce_in_span, min(len(nce_in_span), wanted // 2))
    chosen += rng.sample(others, min(len(others), wanted - len(chosen)))
    renamed: dict[int, list[int]] = {}
    for index, plan in enumerate(sorted(chosen, key=lambda p: p.cluster_id)):
        start = _nce_start(plan)
        year = start if start is not None and start > plan.report_years[0] else rng.choice(plan.report_years[1:])
        years = [year]
        earlier = [y for y in plan.report_years[1:] if y < year]
        if index == 0 and earlier:
            years.insert(0, rng.choice(earlier))
        renamed[plan.cluster_id] = years
    return renamed


def _esca(rng: random.Random, plan: ClusterPlan) -> None:
    """The ESCA label: gold for every NCE/GCE cluster (the NCE criteria ask for it)."""
    last = plan.report_years[-1]
    branded = any(p.brand for p in plan.periods)
    level = plan.level_in(last)
    if branded:
        label = "gold"
    elif level in ("arena_pro", "moden"):
        label = rng.choice(("silver", "silver", "bronze", "bronze", ""))
    elif level == "arena":
        label = "bronze" if rng.random() < 0.25 else ""
    else:
        label = ""
    plan.esca_label = label
    plan.esca_year = rng.randint(max(plan.report_years[0], last - 4), last) if label else None


# ---------------------------------------------------------------- data-quality cases

MISSING, EXPORT, INCONSISTENT, MISMATCH, JUMP = "missing", "export", "inconsistent", "mismatch", "jump"
INCONSISTENCY_KINDS = ("members_sum", "steering_women", "intl_collaborations", "fte_without_persons", "rnd_projects")


@dataclass
class Cases:
    """Which cluster-years carry a deliberate data-quality case (or go to a text export)."""

    roles: dict[tuple[int, int], str]
    inconsistency: dict[tuple[int, int], str]  # kind of inconsistency per inconsistent report

    def count(self, role: str) -> int:
        return sum(1 for value in self.roles.values() if value == role)


def pick_cases(rng: random.Random, plans: list[ClusterPlan], last_year: int, n_export_files: int) -> Cases:
    """Choose the text exports, missing reports, inconsistent reports, register mismatches
    and the one implausible jump, each on its own cluster-year with a programme period."""
    per_case = min(6, max(3, round(len(plans) / 10)))
    candidates = [(plan.cluster_id, year) for plan in plans for year in plan.report_years if plan.period_in(year)]
    rng.shuffle(candidates)
    roles: dict[tuple[int, int], str] = {}
    recent = [key for key in candidates if key[1] >= last_year - 1]
    exported_clusters: set[int] = set()
    for key in recent + candidates:
        if sum(1 for r in roles.values() if r == EXPORT) >= n_export_files:
            break
        if key not in roles and key[0] not in exported_clusters:
            roles[key] = EXPORT
            exported_clusters.add(key[0])
    free = [key for key in candidates if key not in roles]
    for key in free[:per_case]:
        roles[key] = MISSING
    # The jump: a cluster's last report, after a normal report the year before, so that only
    # the rise (and not a fall back the year after) looks implausible.
    last_report = {plan.cluster_id: plan.report_years[-1] for plan in plans}
    with_period = set(candidates)
    kept_normal = set()
    for key in candidates:
        before = (key[0], key[1] - 1)
        if key not in roles and key[1] == last_report[key[0]] and before in with_period and before not in roles:
            roles[key] = JUMP
            kept_normal.add(before)
            break
    free = [key for key in candidates if key not in roles and key not in kept_normal]
    inconsistency = {}
    for index, key in enumerate(free[:per_case]):
        roles[key] = INCONSISTENT
        inconsistency[key] = INCONSISTENCY_KINDS[index % len(INCONSISTENCY_KINDS)]
    for key in free[per_case:2 * per_case]:
        roles[key] = MISMATCH
    return Cases(roles, inconsistency)

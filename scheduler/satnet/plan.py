"""Planning a SatNet week: the allocation model (CP-SAT), then large-neighbourhood improvement."""

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace

from scheduler.lns import LnsSettings, improve
from scheduler.model.objective import counted_seconds
from scheduler.problem import Problem, Track, Weights
from scheduler.satnet.convert import SATNET_PRIORITY, TIME_ONLY, to_entries, to_problem
from scheduler.satnet.solution import Entry
from scheduler.satnet.verify import metrics
from scheduler.satnet.week import Week
from scheduler.solve import SolverSettings, solve

FIRST_SOLVE_SHARE = 0.1  # of the time limit; the rest improves the schedule window by window
SECONDS_PER_ROUND = 2.0  # typical wall time of one improvement round on 2 cores
ROUND_TIME_S = 3.0
ROUND_MARGIN = 2.0
WINDOW_S = 20 * 3600
FAIRNESS = Weights(time=1.0, fairness=0.05, agency_balance=0.0)  # improvement also lowers U_MAX
LAGGING = 0.9  # missions with U at least this share of the worst U are favoured in each round


@dataclass(frozen=True)
class WeekPlan:
    week: Week
    problem: Problem
    tracks: tuple[Track, ...]
    entries: list[Entry]
    metrics: dict
    upper_bound_h: float
    status: str
    solve_s: float


def scheduled_hours(tracks: tuple[Track, ...], problem: Problem) -> float:
    got: dict[str, int] = defaultdict(int)
    for track in tracks:
        got[track.demand_id] += track.duration
    return sum(min(got[d.id], d.requested) for d in problem.demands) / 3600


def reachable_hours(problem: Problem) -> float:
    """A proven upper bound on T_S: each request capped by what its view periods could hold at
    all (the longest one for a single track; all those of at least min_segment for a split one),
    zero when that is under its minimum. CP-SAT's own bound on these weeks is no tighter."""
    total = 0
    for demand in problem.demands:
        lengths = [o.latest_end - o.earliest_start for o in demand.opportunities]
        if demand.min_segment:
            most = sum(n for n in lengths if n >= demand.min_segment)
        else:
            most = max(lengths, default=0) * demand.tracks
        total += min(demand.requested, most) if most >= demand.min_duration else 0
    return total / 3600


def favour_lagging(problem: Problem, tracks: tuple[Track, ...]) -> Problem:
    """Each round's problem: time alone, the missions furthest behind weighted a little higher
    (priority 1, others 2), so that the rounds that lower U_MAX are found."""
    counted = counted_seconds(problem, tracks)
    asked: dict[str, int] = defaultdict(int)
    got: dict[str, int] = defaultdict(int)
    for demand in problem.demands:
        asked[demand.mission] += demand.requested
        got[demand.mission] += counted[demand.id]
    unmet = {m: 1 - got[m] / asked[m] for m in asked if asked[m] > 0}
    worst = max(unmet.values(), default=0.0)
    lagging = {m for m, u in unmet.items() if worst > 0 and u >= LAGGING * worst}
    demands = tuple(replace(d, priority=SATNET_PRIORITY + (d.mission not in lagging)) for d in problem.demands)
    return replace(problem, demands=demands, weights=TIME_ONLY)


def plan_week(week: Week, settings: SolverSettings, progress: Callable[[str], None] = lambda _m: None) -> WeekPlan:
    began = time.perf_counter()
    problem = to_problem(week)
    progress(f"solving {len(problem.demands)} requests on {len(problem.antennas)} antennas")
    first_limit = settings.time_limit_s * FIRST_SOLVE_SHARE
    first = solve(problem, SolverSettings(first_limit, settings.workers, settings.seed))
    # a round may overrun the budget by its own length (and model building): keep that margin
    left = max(0.0, settings.time_limit_s - (time.perf_counter() - began) - ROUND_MARGIN * ROUND_TIME_S)
    lns = LnsSettings(
        rounds=int(left / SECONDS_PER_ROUND),
        window_s=WINDOW_S,
        round_time_s=ROUND_TIME_S,
        budget_s=left,
        workers=settings.workers,
        seed=settings.seed,
    )
    progress(f"first schedule {scheduled_hours(first.tracks, problem):.1f} h; improving for {lns.rounds} rounds")
    fair = replace(problem, weights=FAIRNESS)
    tracks = improve(fair, first.tracks, lns, progress=progress, sub_problem=favour_lagging)
    entries = to_entries(week, problem, tracks)
    return WeekPlan(
        week,
        problem,
        tracks,
        entries,
        metrics(week, entries),
        scheduled_hours(first.tracks, problem) if first.status == "OPTIMAL" else reachable_hours(problem),
        first.status,
        time.perf_counter() - began,
    )


def summary_facts(plan: WeekPlan) -> dict:
    """summary.json: the benchmark's metrics, the proven bound on T_S and the gap."""
    facts = plan.metrics
    bound = max(plan.upper_bound_h, facts["T_S"])
    return {
        "week": plan.week.name,
        "T_S": round(facts["T_S"], 3),
        "T_R": round(facts["T_R"], 3),
        "satisfied": facts["satisfied"],
        "requests": facts["requests"],
        "U_RMS": round(facts["U_RMS"], 4),
        "U_MAX": round(facts["U_MAX"], 4),
        "upper_bound": round(bound, 3),
        "gap": round((bound - facts["T_S"]) / bound, 4) if bound > 0 else 0.0,
        "solve_s": round(plan.solve_s, 2),
        "tracks": len(plan.entries),
    }

"""Planning a SatNet week: the allocation model (CP-SAT), then large-neighbourhood improvement."""

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from scheduler.lns import LnsSettings, improve
from scheduler.problem import Problem, Track
from scheduler.satnet.convert import to_entries, to_problem
from scheduler.satnet.solution import Entry
from scheduler.satnet.verify import metrics
from scheduler.satnet.week import Week
from scheduler.solve import Solution, SolverSettings, solve_cpsat

FIRST_SOLVE_SHARE = 0.3  # of the time limit; the rest improves the schedule window by window
SECONDS_PER_ROUND = 2.0  # typical wall time of one improvement round on 2 cores
ROUND_TIME_S = 5.0
WINDOW_S = 24 * 3600


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


def bound_hours(first: Solution, problem: Problem) -> float:
    """CP-SAT's proven bound on the objective, in hours of T_S (every demand weighs the same),
    and never above the requested total."""
    requested = sum(d.requested for d in problem.demands if d.opportunities) / 3600
    if first.objective <= 0 or not first.tracks:
        return requested
    per_hour = first.objective / scheduled_hours(first.tracks, problem)
    return min(requested, first.bound / per_hour)


def plan_week(week: Week, settings: SolverSettings, progress: Callable[[str], None] = lambda _m: None) -> WeekPlan:
    began = time.perf_counter()
    problem = to_problem(week)
    progress(f"solving {len(problem.demands)} requests on {len(problem.antennas)} antennas")
    first_limit = settings.time_limit_s * FIRST_SOLVE_SHARE
    first = solve_cpsat(problem, SolverSettings(first_limit, settings.workers, settings.seed))
    left = max(0.0, settings.time_limit_s - (time.perf_counter() - began))
    lns = LnsSettings(
        rounds=int(left / SECONDS_PER_ROUND),
        window_s=WINDOW_S,
        round_time_s=ROUND_TIME_S,
        budget_s=left,
        workers=settings.workers,
        seed=settings.seed,
    )
    progress(f"first schedule {scheduled_hours(first.tracks, problem):.1f} h; improving for {lns.rounds} rounds")
    tracks = improve(problem, first.tracks, lns, progress=progress)
    entries = to_entries(week, problem, tracks)
    return WeekPlan(
        week,
        problem,
        tracks,
        entries,
        metrics(week, entries),
        bound_hours(first, problem),
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

"""Planning a SatNet week through the one solver interface and its one search, like any scenario:
the week is a `Problem` (`scheduler.satnet.convert`) solved by `scheduler.solvers.solve`."""

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace

from scheduler.problem.types import Problem, Track, priority_weight
from scheduler.satnet.convert import SATNET_PRIORITY, to_entries, to_problem
from scheduler.satnet.solution import Entry
from scheduler.satnet.verify import metrics
from scheduler.satnet.week import Week
from scheduler.solvers import Solution, SolverSettings, solve
from scheduler.solvers.bound import METHOD as RELAXATION


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
    bound_method: str = ""
    stopped_by: str = "budget"
    solution: Solution | None = None  # the solver's own result (its relaxation, what the clock cut)


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


def plan_week(week: Week, settings: SolverSettings, progress: Callable[[str], None] = lambda _m: None) -> WeekPlan:
    """The week's best schedule within `settings`; the bound on T_S is the solver's bound on
    weighted time (every request has one priority), or each request's reachable time if lower."""
    began = time.perf_counter()
    problem = to_problem(week)
    progress(f"solving {len(problem.demands)} requests on {len(problem.antennas)} antennas")
    solution = solve(problem, replace(settings, window_s=0), progress)
    entries = to_entries(week, problem, solution.tracks)
    if solution.status == "OPTIMAL":
        bound, method = scheduled_hours(solution.tracks, problem), solution.bound_method
    else:
        relaxed = solution.time_bound / priority_weight(SATNET_PRIORITY) / 3600
        bound, method = min((relaxed, RELAXATION), (reachable_hours(problem), "reachable time per request"))
    return WeekPlan(
        week,
        problem,
        solution.tracks,
        entries,
        metrics(week, entries),
        bound,
        solution.status,
        time.perf_counter() - began,
        method,
        solution.stopped_by,
        solution,
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
        "bound_method": plan.bound_method,
        "solve_s": round(plan.solve_s, 2),
        "stopped_by": plan.stopped_by,
        "cut_by_clock": list(plan.solution.cut_by_clock) if plan.solution else [],
        "seeded_by": plan.solution.seeded_by if plan.solution else "greedy",
        "bound_file": "bound.json" if plan.solution and plan.solution.relaxation else None,
        "tracks": len(plan.entries),
    }

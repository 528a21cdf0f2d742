"""Large-neighbourhood improvement of a schedule over a `Problem`.

Each round frees the demands whose tracks all lie in one time window (and every demand not
scheduled yet), keeps every other track where it is — as downtime on its antennas — and
re-solves the freed demands inside the window. A round's result replaces the old tracks only
when it scores better on the whole problem's objective (`scheduler.model.objective.score`),
so the schedule never gets worse. Windows follow a seeded sequence: the same inputs and seed
give the same rounds (unless the wall-clock safety net `budget_s` cuts them short).
"""

import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace

from scheduler.model.objective import score
from scheduler.problem import Downtime, Opportunity, Problem, Track
from scheduler.solve import Solution, SolverSettings, solve_cpsat

Solver = Callable[[Problem, SolverSettings], Solution]


@dataclass(frozen=True)
class LnsSettings:
    rounds: int = 40
    window_s: int = 24 * 3600
    round_time_s: float = 5.0
    budget_s: float = 240.0  # wall-clock safety net; `rounds` normally ends the search
    workers: int = 2
    seed: int = 0


def improve(
    problem: Problem,
    tracks: tuple[Track, ...],
    settings: LnsSettings,
    solver: Solver = solve_cpsat,
    progress: Callable[[str], None] = lambda _m: None,
    sub_problem: Callable[[Problem, tuple[Track, ...]], Problem] = lambda p, _t: p,
) -> tuple[Track, ...]:
    """A schedule at least as good as `tracks`, re-solving one time window at a time.

    `sub_problem(problem, current_tracks)` may reshape each round's problem before it is cut to
    the window (e.g. to re-weight demands); acceptance always uses `problem`'s own objective."""
    began = time.perf_counter()
    chooser = random.Random(settings.seed)
    current = tuple(tracks)
    best = score(problem, current)
    for number in range(settings.rounds):
        if time.perf_counter() - began > settings.budget_s:
            break
        start = chooser.randrange(0, max(1, problem.horizon - settings.window_s // 2))
        sub, kept = neighbourhood(sub_problem(problem, current), current, (start, start + settings.window_s))
        if not sub.demands:
            continue
        found = solver(sub, SolverSettings(settings.round_time_s, settings.workers, settings.seed + number)).tracks
        candidate = tuple(sorted(kept + tuple(found), key=lambda t: (t.start, t.antennas, t.demand_id)))
        value = score(problem, candidate)
        if value > best:
            current, best = candidate, value
        progress(f"improving: round {number + 1}/{settings.rounds}")
    return current


def neighbourhood(problem: Problem, tracks: tuple[Track, ...], window: tuple[int, int]) -> tuple[Problem, tuple]:
    """The sub-problem of the demands free in `window`, and the tracks kept as they are."""
    a, b = window
    by_demand: dict[str, list[Track]] = defaultdict(list)
    for track in tracks:
        by_demand[track.demand_id].append(track)

    def inside(track: Track) -> bool:
        return a <= track.start - track.setup and track.end + track.teardown <= b

    free_ids = {d.id for d in problem.demands if all(inside(t) for t in by_demand[d.id])}
    kept = tuple(t for t in tracks if t.demand_id not in free_ids)
    blocked = tuple(Downtime(antenna, t.start - t.setup, t.end + t.teardown) for t in kept for antenna in t.antennas)
    demands = []
    for demand in problem.demands:
        if demand.id not in free_ids:
            continue
        clipped = (_clip(o, a, b, demand.shortest_piece) for o in demand.opportunities)
        opportunities = tuple(o for o in clipped if o is not None)
        if opportunities:
            demands.append(replace(demand, opportunities=opportunities))
    sub = replace(problem, demands=tuple(demands), downtime=problem.downtime + blocked, locked=(), previous=())
    return sub, kept


def _clip(opportunity: Opportunity, a: int, b: int, shortest: int) -> Opportunity | None:
    earliest = max(opportunity.earliest_start, a + opportunity.setup)
    latest_end = min(opportunity.latest_end, b - opportunity.teardown)
    latest_start = min(opportunity.latest_start, latest_end - shortest)
    if latest_start < earliest:
        return None
    return replace(opportunity, earliest_start=earliest, latest_start=latest_start, latest_end=latest_end)

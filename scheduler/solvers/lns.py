"""Large-neighbourhood improvement of a schedule over a `Problem`.

Each round frees the demands whose tracks all lie in one time window (and every demand not
scheduled yet), keeps every other track where it is — as downtime on its antennas — and
re-solves the freed demands inside the window. A round's result replaces the old tracks only
when it scores better on the whole problem's objective (`scheduler.problem.scoring.score`),
so the schedule never gets worse. Windows follow a seeded sequence: the same inputs and seed
give the same rounds (unless the wall-clock safety net `budget_s` cuts them short).
"""

import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace

from scheduler.problem.operations import after_links
from scheduler.problem.scoring import counted_seconds, score
from scheduler.problem.types import Downtime, Problem, Track
from scheduler.problem.windows import clip_opportunity, with_locked
from scheduler.solvers.interface import Progress, Solution, SolverSettings, no_progress

RoundSolver = Callable[[Problem, SolverSettings], Solution]
Reshape = Callable[[Problem, tuple[Track, ...]], Problem]


@dataclass(frozen=True)
class Rounds:
    """How many rounds, how wide, and what each may spend."""

    count: int
    window_s: int
    round_time_s: float
    budget_s: float  # wall-clock safety net; `count` normally ends the search
    workers: int = 2
    seed: int = 0


def improve(
    problem: Problem,
    tracks: tuple[Track, ...],
    rounds: Rounds,
    solver: RoundSolver,
    progress: Progress = no_progress,
    reshape: Reshape = lambda p, _t: p,
) -> tuple[Track, ...]:
    """A schedule at least as good as `tracks`, re-solving one time window at a time.

    `reshape(problem, current_tracks)` may change each round's problem before it is cut to the
    window (e.g. to re-weight demands); acceptance always uses `problem`'s own objective."""
    began = time.perf_counter()
    chooser = random.Random(rounds.seed)
    current = tuple(tracks)
    best = score(problem, current)
    for number in range(rounds.count):
        if time.perf_counter() - began > rounds.budget_s:
            break
        start = chooser.randrange(0, max(1, problem.horizon - rounds.window_s // 2))
        sub, kept = neighbourhood(reshape(problem, current), current, (start, start + rounds.window_s))
        if not sub.demands:
            continue
        found = solver(sub, SolverSettings(rounds.round_time_s, rounds.workers, rounds.seed + number)).tracks
        merged = {(t.demand_id, t.antennas, t.start, t.end): t for t in (*kept, *found)}  # kept may be locked in sub
        candidate = tuple(sorted(merged.values(), key=lambda t: (t.start, t.antennas, t.demand_id)))
        value = score(problem, candidate)
        if value > best and (not problem.has_operations or rules_hold(problem, candidate)):
            current, best = candidate, value
        progress(f"improving: round {number + 1}/{rounds.count}")
    return current


def neighbourhood(problem: Problem, tracks: tuple[Track, ...], window: tuple[int, int]) -> tuple[Problem, tuple]:
    """The sub-problem of the demands free in `window`, and the tracks kept as they are."""
    a, b = window
    by_demand: dict[str, list[Track]] = defaultdict(list)
    for track in tracks:
        by_demand[track.demand_id].append(track)

    def inside(track: Track) -> bool:
        return a <= track.start - track.setup and track.end + track.teardown <= b

    locked = {t.demand_id for t in problem.locked}
    free_ids = {d.id for d in problem.demands if d.id not in locked and all(inside(t) for t in by_demand[d.id])}
    kept = tuple(t for t in tracks if t.demand_id not in free_ids)
    if problem.has_operations:  # the rules must see the kept tracks: they stay, locked, with their demands
        return _with_kept(problem, free_ids, kept, window), kept
    blocked = tuple(Downtime(antenna, t.start - t.setup, t.end + t.teardown) for t in kept for antenna in t.antennas)
    demands = []
    for demand in problem.demands:
        if demand.id not in free_ids:
            continue
        clipped = (clip_opportunity(o, a, b, demand.shortest_piece) for o in demand.opportunities)
        opportunities = tuple(o for o in clipped if o is not None)
        if opportunities:
            demands.append(replace(demand, opportunities=opportunities))
    sub = replace(problem, demands=tuple(demands), downtime=problem.downtime + blocked, locked=(), previous=())
    return sub, kept


def _with_kept(problem: Problem, free_ids: set[str], kept: tuple[Track, ...], window: tuple[int, int]) -> Problem:
    """The sub-problem when operations rules apply: every demand stays, the free ones with their
    opportunities clipped to the window, the others with none and their tracks locked."""
    a, b = window
    demands = []
    for demand in problem.demands:
        clipped = (clip_opportunity(o, a, b, demand.shortest_piece) for o in demand.opportunities)
        opportunities = tuple(o for o in clipped if o is not None) if demand.id in free_ids else ()
        demands.append(replace(demand, opportunities=opportunities))
    return with_locked(replace(problem, demands=tuple(demands), previous=()), kept)


def rules_hold(problem: Problem, tracks: tuple[Track, ...]) -> bool:
    """A safety net for the one rule a round's result could break across its window's edge, should
    a round fall back on a greedy schedule that missed it: every `after` track follows a track.
    (The sub-problem holds the kept tracks, so spacing, links and interference hold; a lost
    critical demand costs more than any round gains.)"""
    return not after_links(problem, tracks)[1]


def favour_lagging(share: float) -> Reshape:
    """Each round's problem weighs time alone, every mission but those furthest behind (unsatisfied
    fraction at least `share` of the worst) one priority step lower, so that rounds which lower
    the worst mission's shortfall are found."""

    def reshape(problem: Problem, tracks: tuple[Track, ...]) -> Problem:
        counted = counted_seconds(problem, tracks)
        asked: dict[str, int] = defaultdict(int)
        got: dict[str, int] = defaultdict(int)
        for demand in problem.demands:
            asked[demand.mission] += demand.requested
            got[demand.mission] += counted[demand.id]
        unmet = {m: 1 - got[m] / asked[m] for m in asked if asked[m] > 0}
        worst = max(unmet.values(), default=0.0)
        lagging = {m for m, u in unmet.items() if worst > 0 and u >= share * worst}
        demands = tuple(replace(d, priority=min(10, d.priority + (d.mission not in lagging))) for d in problem.demands)
        return replace(problem, demands=demands, weights=replace(problem.weights, fairness=0.0, agency_balance=0.0))

    return reshape

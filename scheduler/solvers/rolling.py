"""Long horizons by rolling windows (README: Long horizons), over any solver.

A month-long model is too big to solve whole, so the horizon is planned in windows of
`length` seconds that overlap by `overlap`: window k+1 starts `overlap` before window k ends.
Tracks of earlier windows are locked (`Problem.locked`) except those that start in the overlap,
which window k+1 plans again, so that a track is never lost to a window edge. Locked tracks
count towards their demands, so each demand's remaining track count carries over.
"""

import math
from dataclasses import replace

from scheduler.errors import InputError
from scheduler.problem.scoring import SCALE, score
from scheduler.problem.types import Demand, Problem, Track
from scheduler.problem.windows import clip_opportunity, with_locked
from scheduler.settings import SETTING
from scheduler.solvers.interface import Progress, Solution, Solver, SolverSettings, no_progress
from scheduler.solvers.policy import MIN_WINDOW_TIME_S, ROLLING_OVERLAP_S, ROLLING_THRESHOLD_S, ROLLING_WINDOW_S
from scheduler.timeutil import DAY


def windows(horizon: int, length: int, overlap: int) -> list[tuple[int, int]]:
    """[start, end) of each window; the last one ends at the horizon."""
    if not 0 <= overlap < length:
        raise ValueError("the overlap must be shorter than the window")
    spans, start = [], 0
    while True:
        end = min(start + length, horizon)
        spans.append((start, end))
        if end >= horizon:
            return spans
        start = end - overlap


def settled(tracks: tuple[Track, ...], start: int) -> tuple[Track, ...]:
    """The tracks a window starting at `start` keeps: those begun before it (setup included);
    the segments of a split track or links of a chain stay or go together, with their first."""
    first: dict[str, int] = {}
    for track in tracks:
        if track.group:
            first[track.group] = min(first.get(track.group, track.start - track.setup), track.start - track.setup)
    return tuple(t for t in tracks if (first[t.group] if t.group else t.start - t.setup) < start)


def window_problem(problem: Problem, fixed: tuple[Track, ...], start: int, end: int) -> Problem:
    """What window [start, end) plans: `fixed` tracks locked (they count towards their demands),
    every new track (setup and teardown included) inside the window, and only the demands with a
    chance here or a locked track."""
    holding = {t.demand_id for t in (*problem.locked, *fixed)}
    demands = []
    for demand in problem.demands:
        found = (clip_opportunity(o, start, end, demand.shortest_piece) for o in demand.opportunities)
        clipped = tuple(o for o in found if o is not None)
        if clipped or demand.id in holding:
            demands.append(replace(demand, opportunities=clipped))
    name = f"{problem.name}[{start // 3600}h-{end // 3600}h]"
    return with_locked(replace(problem, name=name, demands=tuple(demands)), fixed)


def solve_rolling(
    problem: Problem,
    settings: SolverSettings,
    solver: Solver,
    length: int = ROLLING_WINDOW_S,
    overlap: int = ROLLING_OVERLAP_S,
    progress: Progress = no_progress,
) -> Solution:
    """A schedule of the whole horizon, window by window, each solved by `solver`;
    `settings.time_limit_s` is shared among the windows. Deterministic like `solver`."""
    spans = windows(problem.horizon, length, overlap)
    share = replace(settings, time_limit_s=max(MIN_WINDOW_TIME_S, settings.time_limit_s / len(spans)))
    tracks: tuple[Track, ...] = ()
    statuses, solve_s, clock, rounds = [], 0.0, False, 0
    for number, (start, end) in enumerate(spans, start=1):
        fixed = settled(tracks, start)
        progress(f"window {number}/{len(spans)}: days {start / DAY:g}-{end / DAY:g}")
        solution = solver(window_problem(problem, fixed, start, end), share, progress)
        tracks = solution.tracks  # the locked ones included
        statuses.append(solution.status)
        solve_s += solution.solve_s
        clock |= solution.stopped_by == "clock"
        rounds += solution.rounds
    found = all(s in ("OPTIMAL", "FEASIBLE") for s in statuses)
    return Solution(
        tuple(sorted(tracks, key=lambda t: (t.start, t.antennas, t.demand_id))),
        "FEASIBLE" if found else "UNKNOWN",
        score(problem, tracks) / SCALE,
        math.inf,  # rolling proves no bound for the whole horizon
        solve_s,
        f"{settings.solver}-rolling",
        stopped_by="clock" if clock else "budget",
        rounds=rounds,
    )


def rolling_length(horizon: int, window: int | None) -> int:
    """The window length a horizon is rolled with, 0 when it is solved whole (`window`: None
    automatic, 0 off, else seconds)."""
    length = (ROLLING_WINDOW_S if horizon > ROLLING_THRESHOLD_S else 0) if window is None else window
    return length if 0 < length < horizon else 0


def _footprint(demand: Demand) -> int:
    """The longest a track of `demand` holds an antenna: its longest time on target, setup and teardown."""
    turnaround = max((o.setup + o.teardown for o in demand.opportunities), default=0)
    return demand.max_duration + turnaround


def rolling_overlap(length: int) -> int:
    """How much consecutive windows of `length` overlap: a day, at most a quarter of a window."""
    return min(ROLLING_OVERLAP_S, length // 4)


def planned_windows(problem: Problem, window: int | None) -> list[Problem]:
    """The problems a solve will build (before any track is fixed): one per window. InputError for
    a window too short to hold the longest track with its setup and teardown."""
    length = rolling_length(problem.horizon, window)
    if not length:
        return [problem]
    longest = max(problem.demands, key=_footprint, default=None)
    if longest is not None and _footprint(longest) > length:
        raise InputError(
            SETTING,
            "window_s (--window)",
            f"a window of {length} s cannot hold a whole track of {longest.request_id} ({_footprint(longest)} s with "
            "setup and teardown)",
            f"give a window of at least {_footprint(longest)} s (e.g. --window 7d), or off",
        )
    return [window_problem(problem, (), a, b) for a, b in windows(problem.horizon, length, rolling_overlap(length))]

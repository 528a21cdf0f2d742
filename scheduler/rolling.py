"""Long horizons by rolling windows (README: Long horizons).

A month-long model is too big to solve whole, so the horizon is planned in windows of
`length` seconds that overlap by `overlap`: window k+1 starts `overlap` before window k ends.
Tracks of earlier windows are locked (`Problem.locked`) except those that start in the overlap,
which window k+1 plans again, so that a track is never lost to a window edge. Locked tracks
count towards their demands, so each demand's remaining track count carries over.
"""

import math
from collections.abc import Callable
from dataclasses import replace

from scheduler.model.objective import SCALE, score
from scheduler.problem import Problem, Track
from scheduler.solve import Solution, SolverSettings, solve

DAY = 86_400
WINDOW = 7 * DAY  # default window length
OVERLAP = DAY  # default overlap of consecutive windows
THRESHOLD = 8 * DAY  # `plan` rolls horizons longer than this
MIN_WINDOW_TIME_S = 2.0  # solver time each window gets at least

Progress = Callable[[str], None]


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


def with_locked(problem: Problem, tracks: tuple[Track, ...]) -> Problem:
    """`problem` with `tracks` locked as well, each once (segments of a split track share a group
    and count as one track of their demand)."""
    locked = tuple({(t.demand_id, t.antennas, t.start, t.end): t for t in (*problem.locked, *tracks)}.values())
    return replace(problem, locked=locked)


def window_problem(problem: Problem, fixed: tuple[Track, ...], start: int, end: int) -> Problem:
    """What window [start, end) plans: `fixed` tracks locked (they count towards their demands),
    every new track (setup and teardown included) inside the window, and only the demands with a
    chance here or a locked track."""
    holding = {t.demand_id for t in (*problem.locked, *fixed)}
    last = end >= problem.horizon
    demands = []
    for demand in problem.demands:
        clipped = []
        for o in demand.opportunities:
            latest_end = o.latest_end if last else min(o.latest_end, end - o.teardown)
            earliest = max(o.earliest_start, start + o.setup)
            latest_start = min(o.latest_start, latest_end - demand.shortest_piece)
            if earliest <= latest_start:
                clipped.append(replace(o, earliest_start=earliest, latest_start=latest_start, latest_end=latest_end))
        if clipped or demand.id in holding:
            demands.append(replace(demand, opportunities=tuple(clipped)))
    name = f"{problem.name}[{start // 3600}h-{end // 3600}h]"
    return with_locked(replace(problem, name=name, demands=tuple(demands)), fixed)


def solve_rolling(
    problem: Problem,
    settings: SolverSettings,
    length: int = WINDOW,
    overlap: int = OVERLAP,
    progress: Progress = lambda _: None,
) -> Solution:
    """A schedule of the whole horizon, window by window; `settings.time_limit_s` is shared
    among the windows. Deterministic like the solver it calls."""
    spans = windows(problem.horizon, length, overlap)
    share = replace(settings, time_limit_s=max(MIN_WINDOW_TIME_S, settings.time_limit_s / len(spans)))
    tracks: tuple[Track, ...] = ()
    statuses, solve_s = [], 0.0
    for number, (start, end) in enumerate(spans, start=1):
        fixed = settled(tracks, start)
        progress(f"window {number}/{len(spans)}: days {start / DAY:g}-{end / DAY:g}")
        solution = solve(window_problem(problem, fixed, start, end), share)
        tracks = solution.tracks  # the locked ones included
        statuses.append(solution.status)
        solve_s += solution.solve_s
    found = all(s in ("OPTIMAL", "FEASIBLE") for s in statuses)
    return Solution(
        tuple(sorted(tracks, key=lambda t: (t.start, t.antennas, t.demand_id))),
        "FEASIBLE" if found else "UNKNOWN",
        score(problem, tracks) / SCALE,
        math.inf,  # rolling proves no bound for the whole horizon
        solve_s,
        f"{settings.solver}-rolling",
    )


def solve_horizon(
    problem: Problem, settings: SolverSettings, window: int | None = None, progress: Progress = lambda _: None
) -> Solution:
    """`plan`'s solver: rolling windows of `window` seconds (0: off; None: on past THRESHOLD)."""
    length = rolling_length(problem.horizon, window)
    if length:
        return solve_rolling(problem, settings, length, min(OVERLAP, length // 4), progress)
    return solve(problem, settings)


def rolling_length(horizon: int, window: int | None) -> int:
    """The window length `solve_horizon` rolls with, 0 when it solves the horizon whole."""
    length = (WINDOW if horizon > THRESHOLD else 0) if window is None else window
    return length if 0 < length < horizon else 0


def planned_windows(problem: Problem, window: int | None) -> list[Problem]:
    """The problems `solve_horizon` will build (before any track is fixed): one per window."""
    length = rolling_length(problem.horizon, window)
    if not length:
        return [problem]
    return [window_problem(problem, (), a, b) for a, b in windows(problem.horizon, length, min(OVERLAP, length // 4))]

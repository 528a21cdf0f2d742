"""Columns from schedules: each antenna's part of a known schedule as a grid schedule (the map of
`steps`), a good start for the master and the restricted MIP's incumbent."""

from collections import defaultdict

from scheduler.problem.types import Problem, Track
from scheduler.solvers.bound.pricing import Placement
from scheduler.solvers.bound.steps import Grid, grid_piece


def schedule_columns(problem: Problem, grid: Grid, tracks: tuple[Track, ...]) -> dict[int, tuple[Placement, ...]]:
    """Per antenna (its index in `grid.antennas`), the placements of the schedule's own tracks of
    priced demands (locked tracks are the grid's blocked time, not columns)."""
    index = {d.id: i for i, d in enumerate(problem.demands)}
    antenna_of = {a: i for i, a in enumerate(grid.antennas)}
    locked = {(t.demand_id, t.antennas, t.start, t.end) for t in problem.locked}
    by_key: dict[tuple[int, int], list[int]] = defaultdict(list)  # (antenna, demand) -> job indices
    for a, jobs in enumerate(grid.jobs):
        for k, job in enumerate(jobs):
            by_key[(a, job.demand)].append(k)
    columns: dict[int, list[Placement]] = defaultdict(list)
    for track in tracks:
        if (track.demand_id, track.antennas, track.start, track.end) in locked:
            continue
        r = index[track.demand_id]
        opportunity = _opportunity_of(problem, r, track)
        if opportunity is None:
            continue
        start, end = grid_piece(track, grid.step)
        for antenna in track.antennas:
            a = antenna_of.get(antenna)
            if a is None:
                continue
            for k in by_key[(a, r)]:
                job = grid.jobs[a][k]
                if job.opportunity == opportunity and _fits(job, start, end):
                    columns[a].append((k, start, end))
                    break
    return {a: tuple(sorted(found)) for a, found in columns.items()}


def _opportunity_of(problem: Problem, demand: int, track: Track) -> int | None:
    for number, opportunity in enumerate(problem.demands[demand].opportunities):
        if opportunity.antennas == track.antennas and (
            opportunity.earliest_start <= track.start <= opportunity.latest_start
            and track.end <= opportunity.latest_end
        ):
            return number
    return None


def _fits(job, start: int, end: int) -> bool:
    return job.s_lo <= start <= job.s_hi and end <= job.e_hi and job.short <= end - start <= job.long

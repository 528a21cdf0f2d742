"""Moving the tracks an insertion removed: each, most important first, to the longest free place
(then the earliest) its own demand offers from `now` on, at most as long as it was, keeping every
rule the greedy board keeps and the mission rule; a split segment or a coverage link is not moved
alone (the repair that follows re-plans it)."""

from scheduler.problem.grid import units
from scheduler.problem.types import Problem, Track
from scheduler.problem.windows import clip_opportunity
from scheduler.solvers.greedy.board import board_with
from scheduler.solvers.greedy.placement import grids
from scheduler.solvers.insertion.local import Planned, free_pieces, mission_zones


def move_removed(problem: Problem, tracks: list[Track], removed: list[Planned], now: int) -> dict[int, Track | None]:
    """Each removed track's new place (None: dropped), around `tracks` (what stays)."""
    unit = problem.resolution
    board = board_with(problem, tuple(tracks))
    current = list(tracks)
    moved: dict[int, Track | None] = {}
    for item in removed:
        demand = item.demand
        moved[item.number] = None
        if demand.min_segment or demand.coverage is not None:
            continue
        shortest, most = units(demand, unit)
        most = min(most, item.track.duration // unit)
        clipped = (clip_opportunity(o, now, problem.horizon, demand.shortest_piece) for o in demand.opportunities)
        opportunities = tuple(o for o in clipped if o is not None)
        blocked = mission_zones(problem, demand, current, unit)
        best: tuple | None = None
        for opportunity, grid in grids(demand, opportunities, unit):
            for a, b in board.free(demand, opportunity, grid):
                for low, high in free_pieces(a, b, blocked):
                    latest = min(grid.latest_start, high - shortest)
                    start = board.first_start(demand, opportunity, grid, low, latest)
                    if start is None:
                        continue
                    end = min(high, start + most)
                    key = (end - start, -start)
                    if end - start >= shortest and (best is None or key > best[0]):
                        best = (key, opportunity, grid, start, end)
        if best is not None:
            _, opportunity, grid, start, end = best
            track = board.place(demand, opportunity.antennas, grid, start, end)
            current.append(track)
            moved[item.number] = track
    return moved

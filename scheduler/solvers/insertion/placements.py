"""Where the urgent track may go: its opportunities cut to what the board leaves free, from the
earliest start its rules allow to `slack` after it (README: Urgent insertion).

The board holds what may not give way (untouchable tracks and downtime, or every track for a
late-add); the mission's tracks on it are zones too. Within that window the cost of a placement
(the time others must give up) is piecewise linear in its start, so the starts worth trying
are where a neighbouring track stops colliding or stops being able to shrink, plus the window's
ends and an even spread between them.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from scheduler.problem.grid import Grid, units
from scheduler.problem.types import Demand, Opportunity, Track
from scheduler.solvers.greedy.board import Board
from scheduler.solvers.greedy.placement import grids
from scheduler.solvers.insertion.local import Planned, Zone, free_pieces, same_mission

SPREAD = 12  # evenly spaced starts tried in each free stretch besides the breakpoints


@dataclass(frozen=True)
class Stretch:
    """Free time (units) of one opportunity where the urgent track's time on target may lie."""

    opportunity: Opportunity
    grid: Grid
    low: int
    high: int  # time on target ends by this


@dataclass(frozen=True)
class Candidate:
    """One placement to try: time on target [start, end) in units."""

    stretch: Stretch
    start: int
    end: int

    def track(self, demand: Demand, unit: int) -> Track:
        grid = self.stretch.grid
        antennas = self.stretch.opportunity.antennas
        return Track(demand.id, antennas, self.start * unit, self.end * unit, grid.setup * unit, grid.teardown * unit)


def stretches(board: Board, demand: Demand, unit: int, now: int, blocked: list[Zone]) -> list[Stretch]:
    """Free stretches of every opportunity, setup starting at or after `now` (seconds), outside
    the `blocked` zones (units)."""
    shortest, _ = units(demand, unit)
    found = []
    for opportunity, grid in grids(demand, demand.opportunities, unit):
        low = max(grid.earliest, -(-now // unit) + grid.setup)
        for a, b in board.free(demand, opportunity, grid):
            for start, end in free_pieces(max(a, low), b, blocked):
                if min(grid.latest_start, end - shortest) >= start:
                    found.append(Stretch(opportunity, grid, start, end))
    return found


def earliest(board: Board, demand: Demand, unit: int, found: list[Stretch]) -> int | None:
    """The earliest start (units) the rules allow in any stretch."""
    shortest, _ = units(demand, unit)
    starts = [
        board.first_start(demand, s.opportunity, s.grid, s.low, min(s.grid.latest_start, s.high - shortest))
        for s in found
    ]
    return min((s for s in starts if s is not None), default=None)


def candidates(
    board: Board,
    demand: Demand,
    unit: int,
    found: list[Stretch],
    limit: int,
    near: dict[Stretch, list[Planned]],
    spacing: dict[str, int],
) -> Iterator[Candidate]:
    """Placements starting by `limit` (units), each as long as its stretch allows up to max_duration."""
    shortest, most = units(demand, unit)
    for stretch in found:
        grid, antennas = stretch.grid, stretch.opportunity.antennas
        high = min(grid.latest_start, stretch.high - shortest, limit)
        if high < stretch.low:
            continue
        points = {stretch.low, high}
        points |= {stretch.low + (high - stretch.low) * k // SPREAD for k in range(1, SPREAD)}
        points |= breakpoints(near.get(stretch, []), demand, grid, most, unit, spacing)
        tried = set()
        for point in sorted(p for p in points if stretch.low <= p <= high):
            start = board.first_start(demand, stretch.opportunity, grid, point, high)
            if start is None or start in tried:
                continue
            tried.add(start)
            if board.rules is None or board.rules.start_ok(demand, antennas, grid, start):
                yield Candidate(stretch, start, min(stretch.high, start + most))


def breakpoints(
    items: list[Planned], demand: Demand, grid: Grid, most: int, unit: int, spacing: dict[str, int]
) -> set[int]:
    """Starts (units) where a neighbouring track begins or stops colliding, or can or cannot shrink."""
    setup, teardown, length = grid.setup * unit, grid.teardown * unit, most * unit
    seconds: set[int] = set()
    for item in items:
        track, least = item.track, item.demand.shortest_piece
        seconds |= {
            item.busy_end + setup,  # right after its antenna time
            item.begin - teardown - length,  # ending right before its setup
            track.start + least + track.teardown + setup,  # it keeps its shortest from its start
            track.end - least - track.setup - teardown - length,  # it keeps its shortest to its end
        }
        for name in item.complexes:
            gap = spacing.get(name, 0)
            if gap:
                seconds |= {item.begin + gap + setup, item.begin - gap + setup}
        if same_mission(item.demand, demand):
            seconds |= {track.end, track.start - length, track.start + least, track.end - least - length}
    found = set()
    for second in seconds:
        found |= {second // unit, -(-second // unit)}
    return found

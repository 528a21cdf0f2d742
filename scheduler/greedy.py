"""Greedy baseline: locked and previous tracks first, then (when the objective weighs fairness)
one track for each mission, then demands in priority order, each track as long as it can be
and as early as possible.

Works on the same resolution grid as the CP-SAT model, so its schedule is a valid hint.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field

from scheduler.model.candidates import Grid, snap, units
from scheduler.model.readback import chain_groups, split_group
from scheduler.problem import Demand, Opportunity, Problem, Track


@dataclass(frozen=True)
class Placement:
    opportunity: Opportunity
    grid: Grid
    start: int  # units
    end: int


@dataclass
class Board:
    """What is taken so far, in resolution units."""

    unit: int
    busy: dict[str, list[tuple[int, int, str | None, str]]] = field(default_factory=lambda: defaultdict(list))
    on_target: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    tracks: list[Track] = field(default_factory=list)

    def zones(self, demand: Demand, opportunity: Opportunity, grid: Grid) -> list[tuple[int, int]]:
        """Where this demand's time on target may not lie in this opportunity."""
        found = []
        for antenna in opportunity.antennas:
            for start, end, tag, request in self.busy[antenna]:
                if demand.mspa is not None and tag == demand.mspa and request != demand.request_id:
                    continue  # MSPA partners share the aperture
                found.append((start - grid.teardown, end + grid.setup))
        if demand.coverage is None:
            gap = math.ceil(demand.min_gap / self.unit)
            found += [(a - gap, b + gap) for a, b in self.on_target[demand.request_id]]
        return sorted(found)

    def free(self, demand: Demand, opportunity: Opportunity, grid: Grid) -> list[tuple[int, int]]:
        """Free stretches of [earliest, latest_end) for time on target."""
        stretches, cursor = [], grid.earliest
        for start, end in self.zones(demand, opportunity, grid):
            if start > cursor:
                stretches.append((cursor, min(start, grid.latest_end)))
            cursor = max(cursor, end)
            if cursor >= grid.latest_end:
                break
        if cursor < grid.latest_end:
            stretches.append((cursor, grid.latest_end))
        return [(a, b) for a, b in stretches if b > a and a <= grid.latest_start]

    def fits(self, demand: Demand, opportunity: Opportunity, grid: Grid, start: int, end: int) -> bool:
        if not (grid.earliest <= start <= grid.latest_start and end <= grid.latest_end):
            return False
        return all(end <= a or start >= b for a, b in self.zones(demand, opportunity, grid))

    def place(
        self, demand: Demand, antennas: tuple[str, ...], grid: Grid, start: int, end: int, group: str = ""
    ) -> Track:
        for antenna in antennas:
            self.busy[antenna].append((start - grid.setup, end + grid.teardown, demand.mspa, demand.request_id))
        if demand.coverage is None:
            self.on_target[demand.request_id].append((start, end))
        unit = self.unit
        track = Track(demand.id, antennas, start * unit, end * unit, grid.setup * unit, grid.teardown * unit, group)
        self.tracks.append(track)
        return track

    def remove(self, demand: Demand, track: Track) -> None:
        unit = self.unit
        start, end = track.start // unit, track.end // unit
        busy = (start - track.setup // unit, end + track.teardown // unit, demand.mspa, demand.request_id)
        for antenna in track.antennas:
            self.busy[antenna].remove(busy)
        if demand.coverage is None:
            self.on_target[demand.request_id].remove((start, end))
        self.tracks.remove(track)


def solve_greedy_tracks(problem: Problem) -> tuple[Track, ...]:
    """The greedy schedule (tracks sorted by start)."""
    unit = problem.resolution
    board = Board(unit)
    for outage in problem.downtime:
        board.busy[outage.antenna].append((outage.start // unit, -(-outage.end // unit), None, ""))
    demands = {d.id: d for d in problem.demands}
    taken: dict[str, int] = defaultdict(int)
    for track in problem.locked:
        demand = demands[track.demand_id]
        setup = track.start // unit - (track.start - track.setup) // unit
        teardown = math.ceil((track.end + track.teardown) / unit) - math.ceil(track.end / unit)
        for antenna in track.antennas:
            board.busy[antenna].append(
                (track.start // unit - setup, math.ceil(track.end / unit) + teardown, demand.mspa, demand.request_id)
            )
        if demand.coverage is None:
            board.on_target[demand.request_id].append((track.start // unit, math.ceil(track.end / unit)))
        taken[demand.id] += 1
    kept = _keep_previous(problem, board, demands, taken)
    order = sorted(problem.demands, key=lambda d: (d.priority, len(d.opportunities), d.id))
    if problem.weights.fairness > 0:
        _first_track_each(board, order, taken)
    for demand in order:
        if demand.coverage is not None:
            if not kept[demand.id]:
                _cover(board, demand)
        elif demand.min_segment:
            _split(board, demand, demand.tracks - taken[demand.id])
        else:
            for _ in range(demand.tracks - taken[demand.id]):
                best = _longest(board, demand, demand.opportunities)
                if best is None:
                    break
                board.place(demand, best.opportunity.antennas, best.grid, best.start, best.end)
    placed = list(board.tracks)
    tracks = list(problem.locked)
    for demand in problem.demands:
        mine = [t for t in placed if t.demand_id == demand.id]
        tracks += chain_groups(demand, mine) if demand.coverage is not None else mine
    return tuple(sorted(tracks, key=lambda t: (t.start, t.antennas, t.demand_id)))


def _first_track_each(board: Board, order: list[Demand], taken: dict[str, int]) -> None:
    """Fairness first: one whole track for each mission that has none yet (its first demand in
    `order` that can place one), so no mission is left with nothing while others get all."""
    served = {d.mission for d in order if taken[d.id]}
    for demand in order:
        if demand.mission in served or demand.coverage is not None or demand.min_segment:
            continue
        if taken[demand.id] < demand.tracks and (best := _longest(board, demand, demand.opportunities)) is not None:
            board.place(demand, best.opportunity.antennas, best.grid, best.start, best.end)
            taken[demand.id] += 1
            served.add(demand.mission)


def _grids(demand: Demand, opportunities: tuple[Opportunity, ...], unit: int) -> list[tuple[Opportunity, Grid]]:
    shortest, _ = units(demand, unit)
    return [(o, g) for o in opportunities if (g := snap(o, shortest, unit)) is not None]


def _longest(
    board: Board, demand: Demand, opportunities: tuple[Opportunity, ...], cap: int | None = None
) -> Placement | None:
    """The longest free placement (then the earliest) among the opportunities."""
    shortest, longest = units(demand, board.unit)
    if cap is not None:
        longest = min(longest, cap)
    best: Placement | None = None
    for opportunity, grid in _grids(demand, opportunities, board.unit):
        for a, b in board.free(demand, opportunity, grid):
            end = min(b, a + longest)
            if end - a < shortest:
                continue
            if best is None or (end - a, -a) > (best.end - best.start, -best.start):
                best = Placement(opportunity, grid, a, end)
    return best


def _keep_previous(
    problem: Problem, board: Board, demands: dict[str, Demand], taken: dict[str, int]
) -> dict[str, bool]:
    """Put previous tracks back where they were when they still fit (whole split tracks and
    whole coverage chains only). Returns, per demand, whether any were kept."""
    kept: dict[str, bool] = defaultdict(bool)
    unit = board.unit
    by_group: dict[tuple[str, str], list[Track]] = defaultdict(list)
    for track in problem.previous:
        demand = demands[track.demand_id]
        key = track.group if (demand.min_segment or demand.coverage is not None) and track.group else str(id(track))
        if demand.coverage is not None:
            key = "chain"
        by_group[(demand.id, key)].append(track)
    for (demand_id, _), group in by_group.items():
        demand = demands[demand_id]
        if demand.coverage is None and taken[demand_id] >= demand.tracks:
            continue
        placed = []
        for track in sorted(group, key=lambda t: t.start):
            if track.start % unit or track.end % unit:
                break
            start, end = track.start // unit, track.end // unit
            shortest, longest = units(demand, unit)
            match = next(
                (
                    (o, g)
                    for o, g in _grids(demand, demand.opportunities, unit)
                    if o.antennas == track.antennas
                    and shortest <= end - start <= longest
                    and board.fits(demand, o, g, start, end)
                ),
                None,
            )
            if match is None:
                break
            placed.append(board.place(demand, match[0].antennas, match[1], start, end, track.group))
        if len(placed) < len(group):
            for track in placed:
                board.remove(demand, track)
            continue
        kept[demand_id] = True
        taken[demand_id] += 1
    return kept


def _split(board: Board, demand: Demand, tracks: int) -> None:
    """Split tracks: segments of at least min_segment, longest first, until max_duration."""
    unit = board.unit
    shortest_total = math.ceil(demand.min_duration / unit)
    longest_total = demand.max_duration // unit
    used = {t.group for t in board.tracks if t.demand_id == demand.id}
    number = 0
    for _ in range(tracks):
        while split_group(demand, number) in used:
            number += 1
        group = split_group(demand, number)
        segments: list[Track] = []
        total = 0
        remaining = list(demand.opportunities)
        while total < longest_total:
            best = _longest(board, demand, tuple(remaining), cap=longest_total - total)
            if best is None:
                break
            remaining.remove(best.opportunity)
            segments.append(board.place(demand, best.opportunity.antennas, best.grid, best.start, best.end, group))
            total += best.end - best.start
        if total < shortest_total:
            for track in segments:
                board.remove(demand, track)
            return
        used.add(group)


def _cover(board: Board, demand: Demand) -> None:
    """A coverage chain from the window's start: extend with the link that reaches furthest
    while overlapping by the handover; where none can, jump to the earliest next link."""
    assert demand.coverage is not None
    unit = board.unit
    shortest, longest = units(demand, unit)
    handover = math.ceil(demand.handover / unit)
    reach, last_start = math.ceil(demand.coverage[0] / unit), None
    window_end = demand.coverage[1] // unit
    unused = _grids(demand, demand.opportunities, unit)
    while reach < window_end and unused:
        best: tuple[int, int, int] | None = None  # (rank, start, end) with index
        choice = None
        for index, (opportunity, grid) in enumerate(unused):
            for a, b in board.free(demand, opportunity, grid):
                if last_start is not None:  # extend the chain: start handover before the reach
                    start = min(reach - handover, grid.latest_start)
                    if start >= a and start > last_start:
                        end = min(b, start + longest)
                        if end - start >= shortest and end > reach and (best is None or (0, -end) < best[:2]):
                            best, choice = (0, -end, start), (index, start, end)
                start = max(a, reach)  # or begin a new chain after a gap
                end = min(b, start + longest)
                fits = start <= grid.latest_start and end - start >= shortest
                if fits and (best is None or (1, start) < best[:2]):
                    best, choice = (1, start, end), (index, start, end)
        if choice is None:
            return
        index, start, end = choice
        opportunity, grid = unused.pop(index)
        board.place(demand, opportunity.antennas, grid, start, end)
        reach, last_start = end, start

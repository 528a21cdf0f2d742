"""The greedy baseline's board: what each antenna, request and mission holds so far, in resolution
units, and whether a track fits (MSPA partners share an antenna; own tracks keep min_gap apart; a
mission is on target with one antenna at a time, `concurrent` demands aside; the operations
rules, when the problem has any, in `rules_board`)."""

import itertools
import math
from collections import defaultdict
from dataclasses import dataclass, field

from scheduler.problem.grid import Grid
from scheduler.problem.operations import mission_overlaps
from scheduler.problem.types import Demand, Opportunity, Problem, Track
from scheduler.problem.volume import track_kbit
from scheduler.solvers.greedy.rules_board import Rules, with_fixed


@dataclass
class Board:
    """What is taken so far, in resolution units."""

    unit: int
    busy: dict[str, list[tuple[int, int, str | None, str]]] = field(default_factory=lambda: defaultdict(list))
    on_target: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    missions: dict[str, list[tuple[int, int, str]]] = field(default_factory=lambda: defaultdict(list))  # by mission
    tracks: list[Track] = field(default_factory=list)
    rules: Rules | None = None
    kbit: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # data per volume demand

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
        if not demand.concurrent:  # the mission rule: its other requests' tracks (a chain's own links hand over)
            found += [(a, b) for a, b, request in self.missions[demand.mission] if request != demand.request_id]
        if self.rules is not None:
            found += self.rules.zones(demand, opportunity.antennas, grid)
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
        if self.rules is not None and not self.rules.start_ok(demand, opportunity.antennas, grid, start):
            return False
        return all(end <= a or start >= b for a, b in self.zones(demand, opportunity, grid))

    def first_start(self, demand: Demand, opportunity: Opportunity, grid: Grid, low: int, high: int) -> int | None:
        """The earliest start in [low, high] the operations rules allow (None: none)."""
        if self.rules is None:
            return low if low <= high else None
        return self.rules.first_start(demand, opportunity.antennas, grid, low, high)

    def place(
        self, demand: Demand, antennas: tuple[str, ...], grid: Grid, start: int, end: int, group: str = ""
    ) -> Track:
        for antenna in antennas:
            self.busy[antenna].append((start - grid.setup, end + grid.teardown, demand.mspa, demand.request_id))
        if demand.coverage is None:
            self.on_target[demand.request_id].append((start, end))
        if not demand.concurrent:
            self.missions[demand.mission].append((start, end, demand.request_id))
        unit = self.unit
        track = Track(demand.id, antennas, start * unit, end * unit, grid.setup * unit, grid.teardown * unit, group)
        self.tracks.append(track)
        if self.rules is not None:
            self.rules.add(demand, track, grid.setup, grid.teardown, start, end)
        self.count_data(demand, track, 1)
        return track

    def count_data(self, demand: Demand, track: Track, sign: int) -> None:
        if demand.volume_bits is not None:
            self.kbit[demand.id] += sign * track_kbit(demand, track)

    def remove(self, demand: Demand, track: Track) -> None:
        unit = self.unit
        start, end = track.start // unit, track.end // unit
        busy = (start - track.setup // unit, end + track.teardown // unit, demand.mspa, demand.request_id)
        for antenna in track.antennas:
            self.busy[antenna].remove(busy)
        if demand.coverage is None:
            self.on_target[demand.request_id].remove((start, end))
        if not demand.concurrent:
            self.missions[demand.mission].remove((start, end, demand.request_id))
        self.tracks.remove(track)
        if self.rules is not None:
            self.rules.drop(demand, track.setup // unit, track.teardown // unit, track.antennas, start, end)
        self.count_data(demand, track, -1)


def board_with(problem: Problem, tracks: tuple[Track, ...] = (), downtime: bool = True) -> Board:
    """A board holding the downtime (unless `downtime` is false) and the given tracks."""
    unit = problem.resolution
    board = Board(unit, rules=Rules.of(problem) if problem.has_operations else None)
    if downtime:
        for outage in problem.downtime:
            board.busy[outage.antenna].append((outage.start // unit, -(-outage.end // unit), None, ""))
    for track in tracks:
        demand = problem.demand(track.demand_id)
        start, end = track.start // unit, math.ceil(track.end / unit)
        setup = start - (track.start - track.setup) // unit
        teardown = math.ceil((track.end + track.teardown) / unit) - end
        for antenna in track.antennas:
            board.busy[antenna].append((start - setup, end + teardown, demand.mspa, demand.request_id))
        if demand.coverage is None:
            board.on_target[demand.request_id].append((start, end))
        if not demand.concurrent:
            board.missions[demand.mission].append((start, end, demand.request_id))
        board.count_data(demand, track, 1)
    if board.rules is not None:
        with_fixed(board.rules, [(problem.demand(t.demand_id), t) for t in tracks])
    return board


def locked_conflict(problem: Problem) -> str:
    """The first clash among the problem's locked tracks (one antenna used twice outside MSPA
    sharing, downtime, a request's own tracks overlapping or closer than min_gap, two requests of
    one mission on target at once); "" when none."""
    uses: dict[str, list[tuple[int, int, str | None, str, str]]] = defaultdict(list)
    for outage in problem.downtime:
        uses[outage.antenna].append((outage.start, outage.end, None, "", "downtime"))
    on_target: dict[str, list[tuple[int, int, int, str]]] = defaultdict(list)
    for track in problem.locked:
        demand = problem.demand(track.demand_id)
        for antenna in track.antennas:
            uses[antenna].append(
                (track.start - track.setup, track.end + track.teardown, demand.mspa, demand.request_id, demand.id)
            )
        if demand.coverage is None:
            on_target[demand.request_id].append((track.start, track.end, demand.min_gap, demand.id))
    for antenna, found in uses.items():
        found.sort()
        for index, (_, end, tag, request, name) in enumerate(found):
            for other_start, _, other_tag, other_request, other in found[index + 1 :]:
                if other_start >= end:
                    break
                if tag is None or tag != other_tag or request == other_request:
                    return f"{name} and {other} on {antenna}"
    for found in on_target.values():
        found.sort()
        for (_, end, gap, name), (start, _, _, other) in itertools.pairwise(found):
            if start < end + gap:
                return f"{name} and {other} too close"
    clashes = mission_overlaps(problem, problem.locked)
    if clashes:
        first, second = clashes[0]
        return f"{first.demand_id} and {second.demand_id} of one mission on target at once"
    return ""

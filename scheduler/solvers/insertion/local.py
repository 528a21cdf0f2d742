"""What an urgent track placed somewhere collides with: the planned tracks it meets and what each
must give way to (README: Urgent insertion).

A planned track gives way when the urgent track uses its antenna (setup and teardown included;
MSPA partners share), belongs to the same mission (a mission's tracks are never on target at
once unless one of them is `concurrent`), interferes with it at a complex (RFI), or begins less
than the complex's start spacing from it. Each collision becomes forbidden *zones* for the
planned track's time on target and a *floor* for its new beginning (setup start); the complex's
`max_links` is checked afterwards over the whole neighbourhood. Times in seconds.
"""

import bisect
from collections import defaultdict
from dataclasses import dataclass

from scheduler.problem.types import Demand, Problem, Track

Zone = tuple[int, int]  # time on target may not meet [start, end)


@dataclass(frozen=True)
class Planned:
    """One planned track and what the insertion needs to know of it."""

    number: int
    track: Track
    demand: Demand
    complexes: frozenset[str]
    fixed: bool  # untouchable: running, an earlier emergency, locked or critical

    @property
    def begin(self) -> int:
        return self.track.start - self.track.setup

    @property
    def busy_end(self) -> int:
        return self.track.end + self.track.teardown


@dataclass(frozen=True)
class Urgent:
    """A placement of the urgent track."""

    demand: Demand
    track: Track
    complexes: frozenset[str]

    @property
    def begin(self) -> int:
        return self.track.start - self.track.setup


def mspa_partners(first: Demand, second: Demand) -> bool:
    """Different requests with one MSPA tag share an antenna."""
    return first.mspa is not None and first.mspa == second.mspa and first.request_id != second.request_id


def one_session(first: Demand, first_antennas: tuple[str, ...], second: Demand, second_antennas: tuple[str, ...]):
    """Tracks of one MSPA tag on one antenna are one activity (no start spacing between them)."""
    return (
        len(first_antennas) == 1
        and first_antennas == second_antennas
        and first.mspa is not None
        and (first.mspa == second.mspa)
    )


def same_mission(first: Demand, second: Demand) -> bool:
    """The mission rule applies: one mission, neither demand `concurrent`."""
    return first.mission == second.mission and not (first.concurrent or second.concurrent)


class Neighbourhood:
    """The planned tracks, indexed for the questions an insertion asks."""

    def __init__(self, problem: Problem, tracks: tuple[Track, ...], fixed: set[int]) -> None:
        self.problem = problem
        self.planned = tuple(
            Planned(n, t, problem.demand(t.demand_id), self.complexes(t.antennas), n in fixed)
            for n, t in enumerate(tracks)
        )
        self.spacing = {c.complex: c.start_spacing for c in problem.complex_limits if c.start_spacing}
        self.links = {c.complex: c.max_links for c in problem.complex_limits if c.max_links}
        self.leaders = {d.after.request_id for d in problem.demands if d.after is not None}
        self.by_begin = sorted(self.planned, key=lambda p: p.begin)
        self.begins = [p.begin for p in self.by_begin]
        self.widest = max((p.busy_end - p.begin for p in self.planned), default=0)
        self.reach = max(self.spacing.values(), default=0)
        by_complex: dict[str, list[Planned]] = defaultdict(list)
        for item in self.by_begin:
            for name in item.complexes:
                by_complex[name].append(item)
        self.at_complex = dict(by_complex)
        self.complex_begins = {name: [p.begin for p in items] for name, items in by_complex.items()}
        self.followers: dict[str, list[Planned]] = defaultdict(list)
        for item in self.planned:
            if item.demand.after is not None:
                self.followers[item.demand.after.request_id].append(item)

    def complexes(self, antennas: tuple[str, ...]) -> frozenset[str]:
        return frozenset(self.problem.complex_of(a) for a in antennas)

    def near(self, low: int, high: int) -> list[Planned]:
        """Tracks whose antenna time, widened by the longest start spacing, meets [low, high)."""
        first = bisect.bisect_left(self.begins, low - self.widest - self.reach)
        last = bisect.bisect_left(self.begins, high + self.reach)
        return [p for p in self.by_begin[first:last] if p.busy_end + self.reach > low]

    def rfi(self, urgent: Demand) -> dict[str, list[tuple[str, tuple[tuple[int, int], ...]]]]:
        """Per request: (complex, spans) where it and the urgent request may not be on target together."""
        found: dict[str, list[tuple[str, tuple[tuple[int, int], ...]]]] = defaultdict(list)
        for rule in self.problem.interference:
            if urgent.request_id in (rule.first, rule.second):
                other = rule.second if rule.first == urgent.request_id else rule.first
                found[other].append((rule.complex, rule.spans))
        return dict(found)


def relevant(items: list[Planned], urgent: Demand, complexes: frozenset[str]) -> list[Planned]:
    """The items a placement at these complexes may collide with: same complex or same mission."""
    return [p for p in items if p.complexes & complexes or same_mission(p.demand, urgent)]


def mission_zones(problem: Problem, demand: Demand, tracks: list[Track], unit: int) -> list[Zone]:
    """Where (in units) the demand's time on target may not lie: the mission's other tracks."""
    return sorted(
        (t.start // unit, -(-t.end // unit))
        for t in tracks
        if t.demand_id != demand.id and same_mission(problem.demand(t.demand_id), demand)
    )


def free_pieces(low: int, high: int, zones: list[Zone]) -> list[tuple[int, int]]:
    """The parts of [low, high) outside every zone."""
    pieces, cursor = [], low
    for start, end in sorted(zones):
        if start > cursor:
            pieces.append((cursor, min(start, high)))
        cursor = max(cursor, end)
        if cursor >= high:
            break
    if cursor < high:
        pieces.append((cursor, high))
    return [(a, b) for a, b in pieces if b > a]


def collision(
    item: Planned, urgent: Urgent, rfi: dict[str, list[tuple[str, tuple[tuple[int, int], ...]]]], spacing: dict
) -> tuple[list[Zone], int | None]:
    """The zones `item`'s time on target must leave and the floor of its new beginning (None: no
    floor) for the urgent placement; ([], None) when they do not collide."""
    track, place = item.track, urgent.track
    zones: list[Zone] = []
    if set(track.antennas) & set(place.antennas) and not mspa_partners(item.demand, urgent.demand):
        zones.append((place.start - place.setup - track.teardown, place.end + place.teardown + track.setup))
    if same_mission(item.demand, urgent.demand):
        zones.append((place.start, place.end))
    for name, spans in rfi.get(item.demand.request_id, ()):
        if name in item.complexes and name in urgent.complexes:
            zones += [
                (max(place.start, a), min(place.end, b)) for a, b in spans if max(place.start, a) < min(place.end, b)
            ]
    zones = [(a, b) for a, b in zones if a < track.end and track.start < b]
    floor = None
    for name in item.complexes & urgent.complexes:
        gap = spacing.get(name, 0)
        shared = one_session(item.demand, track.antennas, urgent.demand, place.antennas)
        if gap and not shared and abs(item.begin - urgent.begin) < gap:
            floor = max(floor or 0, urgent.begin + gap)
    return zones, floor

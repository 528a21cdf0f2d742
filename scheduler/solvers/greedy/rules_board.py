"""The operations rules on the greedy board (README: Request semantics): what each complex has
begun and holds, which requests interfere, and which earlier track each `after` track follows.
In resolution units, like the board; every placement the board allows keeps these rules."""

import math
from collections import defaultdict
from dataclasses import dataclass, field

from scheduler.problem.grid import Grid
from scheduler.problem.types import After, Demand, Problem, Track


@dataclass(frozen=True)
class Activity:
    """A track's beginning at a complex: setup start, and its antenna's MSPA session (if any)."""

    begin: int
    antennas: tuple[str, ...]
    tag: str | None
    request_id: str

    def shares(self, other: "Activity") -> bool:
        """Tracks of one MSPA tag on one antenna are one session: one activity."""
        return (
            len(self.antennas) == 1
            and self.antennas == other.antennas
            and self.tag is not None
            and self.tag == other.tag
        )


@dataclass
class Rules:
    """The rules of one problem and what the board holds that they concern."""

    unit: int
    complex_of: dict[str, str]
    spacing: dict[str, int]  # units, per complex
    links: dict[str, int]  # max_links per complex
    conflicts: dict[tuple[str, str], list[tuple[str, list[tuple[int, int]]]]]  # (request, complex) -> others, spans
    after: dict[str, After]  # by following request
    begun: dict[str, list[Activity]] = field(default_factory=lambda: defaultdict(list))
    held: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))  # busy per complex
    on_target: dict[str, list[tuple[int, int, frozenset[str]]]] = field(default_factory=lambda: defaultdict(list))
    ends: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))  # (end, start) units
    served: dict[tuple[str, int, str], int] = field(default_factory=dict)  # (request, start, follower) -> its start

    @classmethod
    def of(cls, problem: Problem) -> "Rules":
        unit = problem.resolution
        conflicts: dict = defaultdict(list)
        for rule in problem.interference:
            spans = [(a // unit, -(-b // unit)) for a, b in rule.spans]
            conflicts[(rule.first, rule.complex)].append((rule.second, spans))
            conflicts[(rule.second, rule.complex)].append((rule.first, spans))
        return cls(
            unit,
            dict(problem.complexes),
            {c.complex: -(-c.start_spacing // unit) for c in problem.complex_limits if c.start_spacing},
            {c.complex: c.max_links for c in problem.complex_limits if c.max_links},
            dict(conflicts),
            {d.request_id: d.after for d in problem.demands if d.after is not None},
        )

    def complexes(self, antennas: tuple[str, ...]) -> frozenset[str]:
        return frozenset(self.complex_of.get(a, a) for a in antennas)

    # What may not happen: zones where time on target may not lie, starts that may not be.

    def zones(self, demand: Demand, antennas: tuple[str, ...], grid: Grid) -> list[tuple[int, int]]:
        """Time on target that would exceed a complex's links or meet an interfering request."""
        found = []
        for name in self.complexes(antennas):
            for start, end in self.full(name):
                found.append((start - grid.teardown, end + grid.setup))
            for other, spans in self.conflicts.get((demand.request_id, name), ()):
                for start, end, where in self.on_target[other]:
                    if name in where:
                        found += [(max(start, a), min(end, b)) for a, b in spans if max(start, a) < min(end, b)]
        return found

    def full(self, name: str) -> list[tuple[int, int]]:
        """Stretches where the complex already holds max_links tracks."""
        limit = self.links.get(name)
        if not limit:
            return []
        events = sorted([(a, 1) for a, _ in self.held[name]] + [(b, -1) for _, b in self.held[name]])
        found, count, since = [], 0, 0
        for time, step in events:
            before, count = count, count + step
            if before < limit <= count:
                since = time
            elif count < limit <= before and time > since:
                found.append((since, time))
        return found

    def start_ok(self, demand: Demand, antennas: tuple[str, ...], grid: Grid, start: int) -> bool:
        """Start spacing at every complex of the antennas, and a free track to follow (`after`)."""
        mine = Activity(start - grid.setup, antennas, demand.mspa, demand.request_id)
        for name in self.complexes(antennas):
            spacing = self.spacing.get(name)
            if spacing and any(abs(mine.begin - a.begin) < spacing and not mine.shares(a) for a in self.begun[name]):
                return False
        return demand.after is None or self.leader(demand, start) is not None

    def first_start(self, demand: Demand, antennas: tuple[str, ...], grid: Grid, low: int, high: int) -> int | None:
        """The earliest start in [low, high] the rules allow."""
        points = {low}
        for name in self.complexes(antennas):
            spacing = self.spacing.get(name)
            if spacing:
                points |= {a.begin + grid.setup + d for a in self.begun[name] for d in (0, spacing)}
        if demand.after is not None:
            least = -(-demand.after.least // self.unit)
            points |= {end + least for end, _ in self.ends[demand.after.request_id]}
        for point in sorted(p for p in points if low <= p <= high):
            if self.start_ok(demand, antennas, grid, point):
                return point
        return None

    def leader(self, demand: Demand, start: int) -> tuple[int, int] | None:
        """The earliest-ending free track of the request `demand` follows that lets it start at `start`."""
        after = demand.after
        assert after is not None
        least, most = -(-after.least // self.unit), after.most // self.unit
        for end, begin in sorted(self.ends[after.request_id]):
            if least <= start - end <= most and (after.request_id, begin, demand.request_id) not in self.served:
                return end, begin
        return None

    def end_cap(self, demand: Demand, start: int) -> int | None:
        """The latest end a track may have without leaving the tracks that follow it too close."""
        caps = [
            begin - -(-self.after[follower].least // self.unit)
            for (request, first, follower), begin in self.served.items()
            if request == demand.request_id and first == start
        ]
        return min(caps) if caps else None

    # What the board holds.

    def add(self, demand: Demand, track: Track, grid_setup: int, grid_teardown: int, start: int, end: int) -> None:
        where = self.complexes(track.antennas)
        for name in where:
            self.begun[name].append(Activity(start - grid_setup, track.antennas, demand.mspa, demand.request_id))
            self.held[name].append((start - grid_setup, end + grid_teardown))
        self.on_target[demand.request_id].append((start, end, where))
        self.ends[demand.request_id].append((end, start))
        self.follow(demand, start)

    def follow(self, demand: Demand, start: int) -> bool:
        """Link a track of an `after` request at `start` to a free leader; False when it has none."""
        if demand.after is None:
            return True
        if any(k[2] == demand.request_id and v == start for k, v in self.served.items()):
            return True
        found = self.leader(demand, start)
        if found is not None:
            self.served[(demand.after.request_id, found[1], demand.request_id)] = start
        return found is not None

    def unled(self, demand: Demand) -> list[int]:
        """Starts of the demand's tracks that follow no track yet (locked ones placed before their leader)."""
        mine = [start for _, start in self.ends[demand.request_id]]
        led = {v for k, v in self.served.items() if k[2] == demand.request_id}
        return sorted(s for s in mine if s not in led)

    def drop(
        self, demand: Demand, grid_setup: int, grid_teardown: int, antennas: tuple[str, ...], start: int, end: int
    ):
        """Undo `add`; a track it follows is free again (the tracks following it keep their leader,
        which `add` at the same start restores)."""
        for name in self.complexes(antennas):
            self.begun[name].remove(Activity(start - grid_setup, antennas, demand.mspa, demand.request_id))
            self.held[name].remove((start - grid_setup, end + grid_teardown))
        self.on_target[demand.request_id].remove((start, end, self.complexes(antennas)))
        self.ends[demand.request_id].remove((end, start))
        if demand.after is not None:
            key = next((k for k, v in self.served.items() if k[2] == demand.request_id and v == start), None)
            if key is not None:
                del self.served[key]


def with_fixed(rules: Rules, tracks: list[tuple[Demand, Track]]) -> Rules:
    """`rules` holding tracks fixed in advance (locked), each `after` track linked to its leader in
    start order where one is free."""
    unit = rules.unit
    for demand, track in sorted(tracks, key=lambda pair: pair[1].start):
        start, end = track.start // unit, math.ceil(track.end / unit)
        setup = start - (track.start - track.setup) // unit
        teardown = math.ceil((track.end + track.teardown) / unit) - end
        rules.add(demand, track, setup, teardown, start, end)
    return rules

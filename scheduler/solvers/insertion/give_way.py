"""How the planned tracks give way to one placement of the urgent track, and what that costs.

Each colliding track keeps the longest piece of itself that leaves the urgent track's zones
(shortened, within its own min..max, one end moved), else it is removed (to be moved or dropped
afterwards). A piece may not move the start of an `after` track nor the end of a track others
follow, nor a start out of its period or into another activity's start spacing; a split
track's segments keep their group's minimum. Removing a track others follow removes those that
may follow it. The cost is the priority-weighted time on target displaced: the part cut off a
shortened track, the whole of a removed one.
"""

import bisect
from dataclasses import dataclass, field
from dataclasses import replace as with_times

from scheduler.problem.types import Track, priority_weight
from scheduler.solvers.insertion.local import (
    Neighbourhood,
    Planned,
    Urgent,
    Zone,
    collision,
    free_pieces,
    one_session,
)


@dataclass
class Outcome:
    """What one placement costs: each changed track's kept piece (None: removed)."""

    changes: dict[int, tuple[int, int] | None] = field(default_factory=dict)
    displaced: int = 0  # priority-weighted seconds
    removed: int = 0


class Evaluation:
    """One placement of the urgent track against the neighbourhood."""

    def __init__(self, hood: Neighbourhood, urgent: Urgent, rfi: dict) -> None:
        self.hood, self.urgent, self.rfi = hood, urgent, rfi
        self.outcome = Outcome()
        self.unit = hood.problem.resolution
        self.group_total: dict[str, int] = {}

    def run(self, items: list[Planned]) -> Outcome | None:
        """The outcome against `items` (the tracks it may meet, in order of beginning), or None when
        the placement would change an untouchable track."""
        for item in items:
            zones, floor = collision(item, self.urgent, self.rfi, self.hood.spacing)
            if (zones or floor is not None) and not self.give_way(item, zones, floor):
                return None
        return self.outcome if self.keep_links() else None

    def current(self, item: Planned) -> Track | None:
        if item.number not in self.outcome.changes:
            return item.track
        piece = self.outcome.changes[item.number]
        return None if piece is None else with_times(item.track, start=piece[0], end=piece[1])

    def give_way(self, item: Planned, zones: list[Zone], floor: int | None) -> bool:
        if item.fixed:
            return False
        track = self.current(item)
        if track is None:
            return True
        piece = self.piece(item, track, zones, floor)
        if piece is None:
            return self.remove(item)
        self.cost(item, track, piece[1] - piece[0])
        self.outcome.changes[item.number] = piece
        return True

    def cost(self, item: Planned, track: Track, kept: int) -> None:
        self.outcome.displaced += priority_weight(item.demand.priority) * (track.duration - kept)
        if item.demand.min_segment and track.group:
            self.group_total[track.group] = self.total(item) - (track.duration - kept)

    def total(self, item: Planned) -> int:
        group = item.track.group
        if group not in self.group_total:
            mine = [p for p in self.hood.planned if p.demand.id == item.demand.id and p.track.group == group]
            self.group_total[group] = sum(p.track.duration for p in mine)
        return self.group_total[group]

    def piece(self, item: Planned, track: Track, zones: list[Zone], floor: int | None) -> tuple[int, int] | None:
        """The longest piece of `track` that leaves the zones, starts its setup at or after `floor`
        and, when its start moves, at a time the complexes' start spacing allows."""
        demand, unit = item.demand, self.unit
        low = track.start if floor is None else max(track.start, floor + track.setup)
        shortest = demand.shortest_piece
        found = []
        for a, b in free_pieces(low, track.end, zones):
            a, b = -(-a // unit) * unit, b // unit * unit
            if a != track.start:
                a = self.spaced_start(item, track, a, b - shortest)
                if a is None or demand.after is not None or (demand.period and a >= demand.period[1]):
                    continue
            if b - a < shortest or (a, b) == (track.start, track.end):
                continue
            if b != track.end and demand.request_id in self.hood.leaders:
                continue
            if demand.min_segment and self.total(item) - (track.duration - (b - a)) < demand.min_duration:
                continue
            found.append((b - a, -a, a, b))
        return max(found)[2:] if found else None

    def spaced_start(self, item: Planned, track: Track, low: int, high: int) -> int | None:
        """The earliest start in [low, high] (on the grid) whose setup start keeps the spacing."""
        unit, hood = self.unit, self.hood
        points = {low}
        for name in item.complexes:
            gap = hood.spacing.get(name, 0)
            if not gap:
                continue
            points.add(self.urgent.begin + gap + track.setup)
            for other in hood.at_complex.get(name, []):
                held = self.current(other)
                if held is not None and low - gap <= held.start - held.setup + gap + track.setup <= high:
                    points.add(held.start - held.setup + gap + track.setup)
        for point in sorted(p for p in points if low <= p <= high):
            start = -(-point // unit) * unit
            if start <= high and self.spaced(item, start - track.setup):
                return start
        return None

    def spaced(self, item: Planned, begin: int) -> bool:
        """Whether a new beginning keeps the start spacing of the item's complexes."""
        hood = self.hood
        for name in item.complexes:
            gap = hood.spacing.get(name, 0)
            if not gap:
                continue
            if name in self.urgent.complexes and abs(begin - self.urgent.begin) < gap:
                shared = one_session(item.demand, item.track.antennas, self.urgent.demand, self.urgent.track.antennas)
                if not shared:
                    return False
            items = hood.at_complex.get(name, [])
            first = bisect.bisect_left(hood.complex_begins[name], begin - gap - hood.widest)
            for other in items[first:]:
                if other.begin >= begin + gap:
                    break
                held = self.current(other)
                if other is item or held is None:
                    continue
                if one_session(item.demand, item.track.antennas, other.demand, held.antennas):
                    continue
                if abs(held.start - held.setup - begin) < gap:
                    return False
        return True

    def remove(self, item: Planned) -> bool:
        """Remove a track (and what cannot stand without it); False when that touches an untouchable one."""
        if item.fixed:
            return False
        track = self.current(item)
        if track is None:
            return True
        self.cost(item, track, 0)
        self.outcome.changes[item.number] = None
        self.outcome.removed += 1
        demand = item.demand
        if demand.min_segment and self.group_total.get(track.group, 0) < demand.min_duration:
            for other in self.hood.planned:  # the rest of the split track cannot stand alone
                if other.demand.id == demand.id and other.track.group == track.group and not self.remove(other):
                    return False
        for follower in self.hood.followers.get(demand.request_id, ()):
            after = follower.demand.after
            assert after is not None
            if after.least <= follower.track.start - item.track.end <= after.most and not self.remove(follower):
                return False
        return True

    def keep_links(self) -> bool:
        """Each complex of the urgent track keeps its `max_links`: tracks give way until it does."""
        place = self.urgent.track
        low, high = place.start - place.setup, place.end + place.teardown
        for name in self.urgent.complexes:
            limit = self.hood.links.get(name)
            while limit:
                busiest = self.busiest(name, low, high)
                if busiest is None or len(busiest) < limit:
                    break
                if not self.clear_one(busiest, low, high):
                    return False
        return True

    def busiest(self, name: str, low: int, high: int) -> list[Planned] | None:
        """The tracks at the complex busy at the most crowded instant of [low, high)."""
        spans = []
        for item in self.hood.at_complex.get(name, []):
            track = self.current(item)
            if track is not None and track.start - track.setup < high and track.end + track.teardown > low:
                spans.append((max(low, track.start - track.setup), track.end + track.teardown, item))
        if not spans:
            return None
        best: list[Planned] = []
        for instant, _, _ in spans:
            busy = [item for a, b, item in spans if a <= instant < b]
            if len(busy) > len(best):
                best = busy
        return best

    def clear_one(self, busy: list[Planned], low: int, high: int) -> bool:
        """The cheapest change that takes one of `busy` out of [low, high)."""
        options = []
        for item in busy:
            track = self.current(item)
            if item.fixed or track is None:
                continue
            piece = self.piece(item, track, [(low - track.teardown, high + track.setup)], None)
            kept = 0 if piece is None else piece[1] - piece[0]
            options.append((priority_weight(item.demand.priority) * (track.duration - kept), item.number, item, piece))
        if not options:
            return False
        _, _, item, piece = min(options, key=lambda o: o[:2])
        if piece is None:
            return self.remove(item)
        track = self.current(item)
        assert track is not None
        self.cost(item, track, piece[1] - piece[0])
        self.outcome.changes[item.number] = piece
        return True


def removed_by_priority(hood: Neighbourhood, outcome: Outcome) -> list[Planned]:
    """Removed tracks, most important first, then earliest."""
    gone = [hood.planned[n] for n, piece in outcome.changes.items() if piece is None]
    return sorted(gone, key=lambda p: (p.demand.priority, p.track.start, p.number))

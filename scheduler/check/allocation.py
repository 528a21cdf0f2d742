"""Independent check of solver tracks against the allocation problem itself (no scenario).

For problems without a scenario (synthetic weeks, SatNet weeks), and as a second opinion on
any plan: every track lies in one of its demand's opportunities with the opportunity's setup
and teardown (locked tracks excepted: they stand as given, and must be there); whole tracks
last min..max duration, at most `tracks` of them; a split track's segments (one `group`) last
at least `min_segment` and min..max in total; links of a coverage chain (one `group`) hand
over with at least `handover` of overlap; a request's tracks are `min_gap` apart; no antenna
is used twice at once (except by different requests sharing an MSPA tag) or during downtime;
a mission is on target with one track at a time (a `concurrent` demand's tracks and the links of
one coverage chain excepted); and the operations rules (`allocation_rules`).
"""

from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise

from scheduler.check.allocation_rules import check_operations
from scheduler.check.violation import Violation
from scheduler.problem.types import Demand, Opportunity, Problem, Track


def track_name(track: Track) -> str:
    """How a violation names a solver track (allocation_rules names it alike)."""
    return f"{track.demand_id}@{'+'.join(track.antennas)}@{track.start}"


def _key(track: Track) -> tuple:
    return (track.demand_id, track.antennas, track.start, track.end)


def _fits(track: Track, opportunity: Opportunity) -> bool:
    return (
        track.antennas == opportunity.antennas
        and opportunity.earliest_start <= track.start <= opportunity.latest_start
        and track.end <= opportunity.latest_end
        and track.setup >= opportunity.setup
        and track.teardown >= opportunity.teardown
        and track.start - track.setup >= 0
    )


def _groups(tracks: list[Track]) -> list[list[Track]]:
    """Tracks of one group together, each ungrouped track alone; each list in start order."""
    by_group: dict[str, list[Track]] = defaultdict(list)
    for index, track in enumerate(tracks):
        by_group[track.group or f"#{index}"].append(track)
    return [sorted(members, key=lambda t: t.start) for members in by_group.values()]


def _durations(demand: Demand, tracks: list[Track]) -> list[Violation]:
    return [
        Violation(track_name(t), "duration", f"{t.duration} s outside {demand.min_duration}..{demand.max_duration} s")
        for t in tracks
        if not demand.min_duration <= t.duration <= demand.max_duration
    ]


def _whole(demand: Demand, tracks: list[Track]) -> list[Violation]:
    found = _durations(demand, tracks)
    if len(tracks) > demand.tracks:
        found.append(Violation(demand.id, "too many tracks", f"{len(tracks)} > {demand.tracks}"))
    return found


def _split(demand: Demand, tracks: list[Track]) -> list[Violation]:
    assert demand.min_segment is not None
    found = [
        Violation(track_name(t), "segment too short", f"{t.duration} s < {demand.min_segment} s")
        for t in tracks
        if t.duration < demand.min_segment
    ]
    groups = _groups(tracks)
    for members in groups:
        total = sum(t.duration for t in members)
        if not demand.min_duration <= total <= demand.max_duration:
            detail = f"segments total {total} s, outside {demand.min_duration}..{demand.max_duration} s"
            found.append(Violation(track_name(members[0]), "duration", detail))
    if len(groups) > demand.tracks:
        found.append(Violation(demand.id, "too many tracks", f"{len(groups)} > {demand.tracks}"))
    return found


def _coverage(demand: Demand, tracks: list[Track]) -> list[Violation]:
    found = _durations(demand, tracks)
    for members in _groups(tracks):
        found += [
            Violation(
                track_name(b), "handover", f"overlaps the link before by {a.end - b.start} s < {demand.handover} s"
            )
            for a, b in pairwise(members)
            if a.end - b.start < demand.handover
        ]
    return found


def _demand_rules(demand: Demand, tracks: list[Track], locked: set[tuple]) -> list[Violation]:
    found = [
        Violation(track_name(t), "outside opportunities", "")
        for t in tracks
        if _key(t) not in locked and not any(_fits(t, o) for o in demand.opportunities)
    ]
    if demand.coverage is not None:
        return found + _coverage(demand, tracks)
    if demand.min_segment is not None:
        return found + _split(demand, tracks)
    return found + _whole(demand, tracks)


def _spacing(problem: Problem, tracks: tuple[Track, ...]) -> list[Violation]:
    """A request's tracks (a split track's segments as one) `min_gap` apart; coverage exempt."""
    demands = {d.id: d for d in problem.demands}
    by_request: dict[str, list[Track]] = defaultdict(list)
    for track in tracks:
        demand = demands[track.demand_id]
        if demand.min_gap and demand.coverage is None:
            by_request[demand.request_id].append(track)
    found = []
    for own in by_request.values():
        spans = sorted((g[0].start, max(t.end for t in g), g[0]) for g in _groups(own))
        gap = demands[own[0].demand_id].min_gap
        found += [
            Violation(track_name(b[2]), "min gap", f"{b[0] - a[1]} s after the track before, needs {gap} s")
            for a, b in pairwise(spans)
            if b[0] - a[1] < gap
        ]
    return found


@dataclass(frozen=True)
class _Use:
    begin: int
    end: int
    name: str
    request_id: str = ""
    mspa: str | None = None

    def may_share(self, other: "_Use") -> bool:
        return self.mspa is not None and self.mspa == other.mspa and self.request_id != other.request_id


def _overlaps(problem: Problem, tracks: tuple[Track, ...]) -> list[Violation]:
    demands = {d.id: d for d in problem.demands}
    uses: dict[str, list[_Use]] = defaultdict(list)
    for track in tracks:
        demand = demands[track.demand_id]
        use = _Use(
            track.start - track.setup, track.end + track.teardown, track_name(track), demand.request_id, demand.mspa
        )
        for antenna in track.antennas:
            uses[antenna].append(use)
    for outage in problem.downtime:
        uses[outage.antenna].append(_Use(outage.start, outage.end, "downtime"))
    found = []
    for antenna, items in uses.items():
        items.sort(key=lambda u: (u.begin, u.end))
        active: list[_Use] = []
        for item in items:
            active = [a for a in active if a.end > item.begin]
            for other in active:
                if item.may_share(other) or item.name == other.name == "downtime":
                    continue
                culprit, partner = (item, other) if item.name != "downtime" else (other, item)
                found.append(Violation(culprit.name, "overlap", f"on {antenna} with {partner.name}"))
            active.append(item)
    return found


def _missions(problem: Problem, tracks: tuple[Track, ...]) -> list[Violation]:
    """The mission rule: no two tracks of one mission on target at once, unless one is of a
    `concurrent` demand or both are links of one coverage request."""
    demands = {d.id: d for d in problem.demands}
    by_mission: dict[str, list[tuple[int, int, str, Track]]] = defaultdict(list)
    for track in tracks:
        demand = demands[track.demand_id]
        if not demand.concurrent:
            chain = demand.request_id if demand.coverage is not None else track_name(track)
            by_mission[demand.mission].append((track.start, track.end, chain, track))
    found = []
    for mission, items in by_mission.items():
        items.sort(key=lambda item: (item[0], item[1], item[2]))
        for index, (_, end, chain, track) in enumerate(items):
            for other_start, _, other_chain, other in items[index + 1 :]:
                if other_start >= end:
                    break
                if other_chain != chain:
                    found.append(
                        Violation(track_name(other), "mission overlap", f"{mission} on target with {track_name(track)}")
                    )
    return found


def check_allocation(problem: Problem, tracks: tuple[Track, ...]) -> list[Violation]:
    """Every broken rule of the problem's own constraints."""
    demands = {d.id: d for d in problem.demands}
    known = tuple(t for t in tracks if t.demand_id in demands)
    found = [Violation(track_name(t), "unknown demand", t.demand_id) for t in tracks if t.demand_id not in demands]
    present = {_key(t) for t in known}
    found += [Violation(track_name(t), "locked track missing", "") for t in problem.locked if _key(t) not in present]
    by_demand: dict[str, list[Track]] = defaultdict(list)
    for track in known:
        by_demand[track.demand_id].append(track)
    locked = {_key(t) for t in problem.locked}
    for demand_id, own in by_demand.items():
        found += _demand_rules(demands[demand_id], own, locked)
    found += _spacing(problem, known) + _overlaps(problem, known) + _missions(problem, known)
    return found + check_operations(problem, known)

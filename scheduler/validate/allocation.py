"""Independent check of solver tracks against the allocation problem itself (no scenario).

For problems without a scenario (synthetic weeks, SatNet weeks): every track lies in one of
its demand's opportunities with the opportunity's setup and teardown, lasts min..max duration
(a split demand's segments at least `min_segment`, their total at most what was asked), a
demand gets at most its tracks, and no antenna is used twice at once or during its downtime.
"""

from collections import defaultdict

from scheduler.problem import Demand, Opportunity, Problem, Track
from scheduler.validate.violation import Violation


def _fits(track: Track, opportunity: Opportunity) -> bool:
    return (
        track.antennas == opportunity.antennas
        and opportunity.earliest_start <= track.start <= opportunity.latest_start
        and track.end <= opportunity.latest_end
        and track.setup >= opportunity.setup
        and track.teardown >= opportunity.teardown
        and track.start - track.setup >= 0
    )


def _name(track: Track) -> str:
    return f"{track.demand_id}@{'+'.join(track.antennas)}@{track.start}"


def _demand_rules(demand: Demand, tracks: list[Track]) -> list[Violation]:
    found = [
        Violation(_name(t), "outside opportunities", "")
        for t in tracks
        if not any(_fits(t, o) for o in demand.opportunities)
    ]
    if demand.min_segment is None:
        found += [
            Violation(_name(t), "duration", f"{t.duration} s outside {demand.min_duration}..{demand.max_duration} s")
            for t in tracks
            if not demand.min_duration <= t.duration <= demand.max_duration
        ]
        if len(tracks) > demand.tracks:
            found.append(Violation(demand.id, "too many tracks", f"{len(tracks)} > {demand.tracks}"))
    else:
        found += [
            Violation(_name(t), "segment too short", f"{t.duration} s < {demand.min_segment} s")
            for t in tracks
            if t.duration < demand.min_segment
        ]
        total = sum(t.duration for t in tracks)
        if total > demand.tracks * demand.max_duration:
            found.append(
                Violation(demand.id, "duration", f"segments total {total} s > {demand.tracks * demand.max_duration} s")
            )
    return found


def _overlaps(problem: Problem, tracks: tuple[Track, ...]) -> list[Violation]:
    busy: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for track in tracks:
        for antenna in track.antennas:
            busy[antenna].append((track.start - track.setup, track.end + track.teardown, _name(track)))
    for outage in problem.downtime:
        busy[outage.antenna].append((outage.start, outage.end, "downtime"))
    found = []
    for antenna, items in busy.items():
        items.sort()
        latest_end, latest = -1, ""
        for begin, end, name in items:
            if begin < latest_end and not name == latest == "downtime":
                culprit, other = (name, latest) if name != "downtime" else (latest, name)
                found.append(Violation(culprit, "overlap", f"on {antenna} with {other}"))
            if end > latest_end:
                latest_end, latest = end, name
    return found


def check_allocation(problem: Problem, tracks: tuple[Track, ...]) -> list[Violation]:
    """Every broken rule of the problem's own constraints."""
    demands = {d.id: d for d in problem.demands}
    by_demand: dict[str, list[Track]] = defaultdict(list)
    found = []
    for track in tracks:
        if track.demand_id in demands:
            by_demand[track.demand_id].append(track)
        else:
            found.append(Violation(_name(track), "unknown demand", track.demand_id))
    for demand_id, own in by_demand.items():
        found += _demand_rules(demands[demand_id], own)
    return found + _overlaps(problem, tracks)

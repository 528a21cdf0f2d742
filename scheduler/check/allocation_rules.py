"""The operations rules of an allocation problem, re-checked on solver tracks (no scenario): `after`
links, complexes' start spacing and links, interference spans, critical demands. Own code: it
shares nothing with the model, the greedy board or `scheduler.problem.operations`."""

from collections import defaultdict
from itertools import pairwise

from scheduler.check.violation import Violation
from scheduler.problem.types import Demand, Problem, Track


def _name(track: Track) -> str:
    return f"{track.demand_id}@{'+'.join(track.antennas)}@{track.start}"


def _request(demands: dict[str, Demand], track: Track) -> str:
    return demands[track.demand_id].request_id


def check_after(problem: Problem, tracks: tuple[Track, ...]) -> list[Violation]:
    """Each track of an `after` demand starts least..most after the end of its own leader track."""
    demands = {d.id: d for d in problem.demands}
    found = []
    following = {d.request_id: d.after for d in problem.demands if d.after is not None}
    for request_id, after in following.items():
        leaders = sorted((t for t in tracks if _request(demands, t) == after.request_id), key=lambda t: t.end)
        for track in sorted((t for t in tracks if _request(demands, t) == request_id), key=lambda t: t.start):
            lead = next((t for t in leaders if after.least <= track.start - t.end <= after.most), None)
            if lead is None:
                found.append(Violation(_name(track), "after", f"no free track of {after.request_id} to follow"))
            else:
                leaders.remove(lead)
    return found


def check_complex_limits(problem: Problem, tracks: tuple[Track, ...]) -> list[Violation]:
    """Start spacing (the tracks of one MSPA tag alone on one antenna are one session, not spaced
    from each other) and simultaneous links."""
    demands = {d.id: d for d in problem.demands}
    found = []
    for limits in problem.complex_limits:
        here = [t for t in tracks if any(problem.complex_of(a) == limits.complex for a in t.antennas)]
        starts = []
        for track in here:
            tag = demands[track.demand_id].mspa
            session = (track.antennas, tag) if tag is not None and len(track.antennas) == 1 else None
            starts.append((track.start - track.setup, _name(track), session))
        starts.sort(key=lambda item: (item[0], item[1]))
        for (first, _, one), (second, name, two) in pairwise(starts):
            if limits.start_spacing and second - first < limits.start_spacing and (one is None or one != two):
                found.append(Violation(name, "start spacing", f"{second - first} s after another at {limits.complex}"))
        if limits.max_links:
            busy = [(t.start - t.setup, t.end + t.teardown, _name(t)) for t in here]
            for begin, _, name in busy:
                held = sum(a <= begin < b for a, b, _ in busy)
                if held > limits.max_links:
                    found.append(Violation(name, "max links", f"{held} tracks at {limits.complex}"))
    return found


def check_interference(problem: Problem, tracks: tuple[Track, ...]) -> list[Violation]:
    """Interfering requests never on target together at the complex during the spans."""
    demands = {d.id: d for d in problem.demands}
    found = []
    for rule in problem.interference:
        at = [t for t in tracks if any(problem.complex_of(a) == rule.complex for a in t.antennas)]
        first = [t for t in at if _request(demands, t) == rule.first]
        second = [t for t in at if _request(demands, t) == rule.second]
        for a in first:
            for b in second:
                both = (max(a.start, b.start), min(a.end, b.end))
                if any(max(both[0], low) < min(both[1], high) for low, high in rule.spans):
                    found.append(Violation(_name(b), "rfi", f"on target with {_name(a)} at {rule.complex}"))
    return found


def check_critical(problem: Problem, tracks: tuple[Track, ...]) -> list[Violation]:
    """Critical demands with all their tracks (whole ones, at least min_duration); volume demands
    are judged by their data (`scheduler/check/volume.py`)."""
    demands = {d.id: d for d in problem.demands}
    counts: dict[str, int] = defaultdict(int)
    groups: dict[str, set[str]] = defaultdict(set)
    for track in tracks:
        demand = demands[track.demand_id]
        if demand.min_segment or demand.coverage is not None:
            groups[demand.id].add(track.group or _name(track))
        elif track.duration >= demand.min_duration:
            counts[demand.id] += 1
    return [
        Violation(d.id, "critical not met", f"{max(counts[d.id], len(groups[d.id]))} of {d.tracks} tracks")
        for d in problem.demands
        if d.critical
        and d.coverage is None
        and d.volume_bits is None
        and max(counts[d.id], len(groups[d.id])) < d.tracks
    ]


def check_operations(problem: Problem, tracks: tuple[Track, ...]) -> list[Violation]:
    """The hard placement rules. A critical demand left out is no broken rule of the tracks (a
    plan then exits 3; a sweep's variant may lose one): `check_critical` says so on its own."""
    return check_after(problem, tracks) + check_complex_limits(problem, tracks) + check_interference(problem, tracks)

"""How a set of tracks stands against the rules (README: Request semantics): the longest gap of a
request, the complexes of a period's tracks, which track each `after` track follows, whether a
critical demand is met, and which tracks of one mission are on target at once. Plain functions of
a `Problem` and tracks, shared by the greedy baseline, the objective, the search and the reasons
(the validator has its own, in `scheduler/check/`)."""

from collections import defaultdict
from dataclasses import dataclass

from scheduler.problem.types import Demand, Problem, Track


@dataclass(frozen=True)
class Gap:
    """The longest stretch of a window without a track on target."""

    length: int
    start: int
    end: int


def longest_gap(window: tuple[int, int], spans: list[tuple[int, int]]) -> Gap:
    """The longest part of `window` outside every span (from the window's start to the first
    span, between spans, from the last span to the window's end)."""
    low, high = window
    best, reach = Gap(0, low, low), low
    for start, end in sorted(spans):
        start, end = max(start, low), min(end, high)
        if end <= start:
            continue
        if start - reach > best.length:
            best = Gap(start - reach, reach, start)
        reach = max(reach, end)
    if high - reach > best.length:
        best = Gap(high - reach, reach, high)
    return best


def gap_window(problem: Problem, demand: Demand) -> tuple[int, int]:
    return demand.gap_window or (0, problem.horizon)


def by_request(problem: Problem, tracks: tuple[Track, ...]) -> dict[str, list[Track]]:
    found: dict[str, list[Track]] = defaultdict(list)
    for track in tracks:
        found[problem.demand(track.demand_id).request_id].append(track)
    return found


def gaps_too_long(problem: Problem, tracks: tuple[Track, ...]) -> dict[str, Gap]:
    """Requests whose `max_gap` is not met, with their longest gap."""
    found: dict[str, Gap] = {}
    if not any(d.max_gap for d in problem.demands):
        return found
    mine = by_request(problem, tracks)
    for demand in problem.demands:
        if demand.max_gap and demand.request_id not in found:
            gap = longest_gap(gap_window(problem, demand), [(t.start, t.end) for t in mine[demand.request_id]])
            if gap.length > demand.max_gap:
                found[demand.request_id] = gap
    return found


def track_complexes(problem: Problem, track: Track) -> set[str]:
    return {problem.complex_of(a) for a in track.antennas}


def spread_short(problem: Problem, tracks: tuple[Track, ...]) -> dict[str, int]:
    """Demands whose `spread` is not met, with how many complexes their tracks use."""
    used: dict[str, set[str]] = defaultdict(set)
    if not any(d.spread for d in problem.demands):
        return {}
    for track in tracks:
        used[track.demand_id] |= track_complexes(problem, track)
    return {d.id: len(used[d.id]) for d in problem.demands if d.spread and len(used[d.id]) < d.spread}


def after_links(problem: Problem, tracks: tuple[Track, ...]) -> tuple[dict[int, Track], list[Track]]:
    """Which earlier track each track of an `after` request follows (by `id` of the later track),
    and the tracks that follow none. Each earlier track serves at most one track of each
    following request; a track is matched to the one that can serve it and stops serving soonest
    (optimal for points matched to intervals)."""
    mine = by_request(problem, tracks)
    links: dict[int, Track] = {}
    unmatched: list[Track] = []
    demands = {d.id: d for d in problem.demands}
    for own in mine.values():
        after = demands[own[0].demand_id].after
        if after is None:
            continue
        free = sorted(mine.get(after.request_id, []), key=lambda t: t.end)
        for track in sorted(own, key=lambda t: t.start):
            match = next((t for t in free if after.least <= track.start - t.end <= after.most), None)
            if match is None:
                unmatched.append(track)
            else:
                free.remove(match)
                links[id(track)] = match
    return links, unmatched


def mission_overlaps(problem: Problem, tracks: tuple[Track, ...]) -> list[tuple[Track, Track]]:
    """Pairs of tracks the mission rule forbids: of one mission, on target at once, of two
    requests neither of which is `concurrent` (a request's own tracks keep apart by its spacing;
    a coverage chain's links hand over)."""
    by_mission: dict[str, list[tuple[Track, str]]] = defaultdict(list)
    for track in tracks:
        demand = problem.demand(track.demand_id)
        if not demand.concurrent:
            by_mission[demand.mission].append((track, demand.request_id))
    found = []
    for own in by_mission.values():
        own.sort(key=lambda item: (item[0].start, item[0].end))
        for index, (track, request) in enumerate(own):
            for other, other_request in own[index + 1 :]:
                if other.start >= track.end:
                    break
                if other_request != request:
                    found.append((track, other))
    return found

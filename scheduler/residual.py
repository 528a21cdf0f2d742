"""What is left to plan once some tracks are fixed: the residual problem.

Fixed tracks keep their antennas busy (they become downtime), use up their demand's track
count, and keep the rest of their request off their time on target (a request's tracks never
overlap). Any solver then plans the residual problem, and the fixed tracks plus its tracks
form a schedule of the whole problem. Repair and rolling-horizon planning both build on this.
"""

from collections import Counter, defaultdict
from dataclasses import replace

from scheduler.problem import Downtime, Opportunity, Problem, Track


def residual_problem(problem: Problem, fixed: tuple[Track, ...]) -> Problem:
    """`problem` with `fixed` tracks taken as given (demands with no track left are dropped)."""
    used = Counter(track.demand_id for track in fixed)
    request_of = {d.id: d.request_id for d in problem.demands}
    taken: dict[str, list[tuple[int, int]]] = defaultdict(list)  # on-target time per request
    for track in fixed:
        taken[request_of[track.demand_id]].append((track.start, track.end))
    demands = []
    for demand in problem.demands:
        left = demand.tracks - used[demand.id]
        if left <= 0:
            continue
        gap = getattr(demand, "min_gap", 0)
        busy = [(a - gap, b + gap) for a, b in taken[demand.request_id]]
        opportunities = tuple(piece for o in demand.opportunities for piece in _outside(o, busy, demand.min_duration))
        demands.append(replace(demand, tracks=left, opportunities=opportunities))
    blocked = tuple(
        Downtime(antenna, track.start - track.setup, track.end + track.teardown)
        for track in fixed
        for antenna in track.antennas
    )
    return replace(problem, demands=tuple(demands), downtime=(*problem.downtime, *blocked))


def _outside(opportunity: Opportunity, busy: list[tuple[int, int]], shortest: int) -> list[Opportunity]:
    """The parts of an opportunity whose tracks keep clear of every busy interval [a, b)."""
    pieces = [opportunity]
    for a, b in sorted(busy):
        cut = []
        for o in pieces:
            if b <= o.earliest_start or a >= o.latest_end:
                cut.append(o)
                continue
            before = replace(o, latest_start=min(o.latest_start, a - shortest), latest_end=min(o.latest_end, a))
            after = replace(o, earliest_start=max(o.earliest_start, b))
            cut.extend(p for p in (before, after) if p.earliest_start <= p.latest_start)
        pieces = cut
    return pieces

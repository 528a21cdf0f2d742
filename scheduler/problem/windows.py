"""A problem restricted to a time window: opportunities clipped so that a track's whole antenna
use (setup to teardown) lies inside, and the tracks a window keeps from an earlier plan."""

from dataclasses import replace

from scheduler.problem.types import Opportunity, Problem, Track


def clip_opportunity(opportunity: Opportunity, start: int, end: int, shortest: int) -> Opportunity | None:
    """The part of `opportunity` whose tracks of at least `shortest` seconds, setup and teardown
    included, lie in [start, end); None when no such track fits."""
    earliest = max(opportunity.earliest_start, start + opportunity.setup)
    latest_end = min(opportunity.latest_end, end - opportunity.teardown)
    latest_start = min(opportunity.latest_start, latest_end - shortest)
    if latest_start < earliest:
        return None
    return replace(opportunity, earliest_start=earliest, latest_start=latest_start, latest_end=latest_end)


def with_locked(problem: Problem, tracks: tuple[Track, ...]) -> Problem:
    """`problem` with `tracks` locked as well, each once (segments of a split track share a group
    and count as one track of their demand)."""
    locked = tuple({(t.demand_id, t.antennas, t.start, t.end): t for t in (*problem.locked, *tracks)}.values())
    return replace(problem, locked=locked)


def from_now(problem: Problem, now: int) -> Problem:
    """`problem` with every opportunity cut so that no new track's setup starts before `now`
    (seconds): what is past can only be kept, never planned."""
    if now <= 0:
        return problem
    demands = []
    for demand in problem.demands:
        cut = (clip_opportunity(o, now, problem.horizon, demand.shortest_piece) for o in demand.opportunities)
        left = tuple(o for o in cut if o is not None)
        gone = "no view period left after --now" if demand.opportunities and not left else demand.unreachable
        demands.append(replace(demand, opportunities=left, unreachable=gone))
    return replace(problem, demands=tuple(demands))

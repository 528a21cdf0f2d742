"""Frozen baseline tracks: the ones no proposal may move, and the check that the current requests
still allow them as they are (README: Proposals).

A baseline track is frozen when its activity (setup start) begins before now + `freeze_before`
(default 8 days): the stations have planned it. The frozen period is the baseline's: no other
track may begin there either. A request changed so that a frozen track no longer fits it is an
input error naming the track, never a silent move; the tracks of a withdrawn request are
dropped, frozen or not.
"""

from dataclasses import replace
from datetime import datetime, timedelta

import pandas as pd

from scheduler.check.allocation import check_allocation
from scheduler.errors import InputError
from scheduler.problem.types import Problem, Track
from scheduler.problem.windows import clip_opportunity
from scheduler.timeutil import format_time


def frozen_tracks(
    problem: Problem, tracks: tuple[Track, ...], now: datetime, freeze_before: timedelta, withdrawn: frozenset[str]
) -> tuple[Track, ...]:
    """The tracks whose activity begins before `now + freeze_before`, withdrawn requests' aside."""
    cutoff = (now + freeze_before - problem.epoch).total_seconds()
    return tuple(t for t in tracks if t.start - t.setup < cutoff and t.demand_id.split("#")[0] not in withdrawn)


def after_freeze(problem: Problem, cutoff: datetime) -> Problem:
    """`problem` with every opportunity cut so that a track's activity begins at `cutoff` or later;
    a demand left without one says so (unsatisfied.csv's reason)."""
    start = max(0, int((cutoff - problem.epoch).total_seconds()))
    if start <= 0:
        return problem
    why = f"frozen until {format_time(cutoff)} (negotiation.freeze_before), no room after it"
    demands = []
    for demand in problem.demands:
        clipped = (clip_opportunity(o, start, problem.horizon, demand.shortest_piece) for o in demand.opportunities)
        kept = tuple(o for o in clipped if o is not None)
        unreachable = why if demand.opportunities and not kept else demand.unreachable
        demands.append(replace(demand, opportunities=kept, unreachable=unreachable))
    return replace(problem, demands=tuple(demands))


def fits(problem: Problem, track: Track) -> bool:
    """Whether the track still lies in one of its demand's opportunities with a length it allows
    (a split track's segment: at least min_segment)."""
    demand = problem.demand(track.demand_id)
    shortest = demand.min_segment or demand.min_duration
    return shortest <= track.duration <= demand.max_duration and any(
        o.antennas == track.antennas and o.earliest_start <= track.start <= o.latest_start and track.end <= o.latest_end
        for o in demand.opportunities
    )


def check_frozen(problem: Problem, frozen: tuple[Track, ...], source: str, cutoff: datetime) -> None:
    """InputError naming the first frozen track the current requests no longer allow as it is."""
    epoch = pd.Timestamp(problem.epoch)
    demands = {d.id for d in problem.demands}
    locked = {(t.demand_id, t.antennas, t.start) for t in problem.locked}
    fix = (
        f"a baseline track whose activity begins before {format_time(cutoff)} is frozen "
        "(negotiation.freeze_before); change the request only where its tracks are not frozen, "
        "or withdraw it"
    )

    def named(track: Track) -> str:
        at = format_time(epoch + pd.Timedelta(seconds=track.start))
        return f"frozen track of {track.demand_id.split('#')[0]} on {'+'.join(track.antennas)} at {at}"

    for track in sorted(frozen, key=lambda t: (t.start, t.antennas)):
        if track.demand_id not in demands:
            raise InputError(source, named(track), "its request no longer asks for a track in that period", fix)
        if (track.demand_id, track.antennas, track.start) not in locked and not fits(problem, track):
            problem_text = "no longer fits its request (its stations, window or length changed)"
            raise InputError(source, named(track), problem_text, fix)
    extra = tuple(t for t in frozen if (t.demand_id, t.antennas, t.start) not in locked)
    violations = check_allocation(problem, problem.locked + extra)
    if violations:
        first = violations[0]
        raise InputError(source, "frozen tracks", f"{first.track_id}: {first.rule}: {first.detail}", fix)

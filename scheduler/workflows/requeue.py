"""The problem a feedback re-plan solves (README: Feedback): the scenario's problem from `--now`
on, what ran standing as history, what is missing asked for again.

History still holding an antenna at `--now`, coverage links and `after` leaders a later track may
follow are locked in the problem as they ran. The rest of history only changes the demands: its
tracks and data count (`tracks` and `volume` less what they hold), the request's `min_gap` and
`max_gap` count from its last pass that really ran, and no new activity begins at a complex within
the start spacing of the last one there. So what really ran, however far from the plan, never
contradicts the rules among itself in the model. Requests at the failure limit ask for nothing
more. The schedule's tracks not yet begun are the previous plan (each change costs
`change_penalty` times its weighted time): a minimal-change repair.
"""

from collections import defaultdict
from dataclasses import dataclass, replace

from scheduler.problem.track_groups import locked_groups
from scheduler.problem.types import Demand, Opportunity, Problem, Track
from scheduler.problem.volume import KBIT, delivered_kbit
from scheduler.problem.windows import from_now, with_locked


@dataclass(frozen=True)
class History:
    """What really ran before --now: per request, the end of its last pass; per complex, the last
    activity's beginning (setup start)."""

    passes: dict[str, int]
    activities: dict[str, int]


def requeue_problem(
    problem: Problem,
    recorded: tuple[Track, ...],
    history: History,
    now: int,
    limited: set[str],
    future: tuple[Track, ...],
    change_penalty: float,
) -> Problem:
    """`recorded`: history as the schedule keeps it; `history`: the last passes and activities that
    really ran; `limited`: requests at the failure limit; `future`: the plan not yet begun."""
    near = tuple(t for t in recorded if touches_future(problem, t, now))
    split = {(t.demand_id, t.group) for t in near if t.group and problem.demand(t.demand_id).min_segment}
    past: dict[str, list[Track]] = defaultdict(list)
    for track in recorded:  # a split track with a segment locked counts as that locked track
        if track not in near and (track.demand_id, track.group) not in split:
            past[track.demand_id].append(track)
    spacing = {c.complex: c.start_spacing for c in problem.complex_limits if c.start_spacing}
    begins = {name: begin + spacing[name] for name, begin in history.activities.items() if name in spacing}
    demands = []
    for demand in left_out(from_now(problem, now), limited).demands:
        if demand.request_id not in limited:
            demand = with_history(demand, past[demand.id], history.passes.get(demand.request_id))
            demand = spaced_from(problem, demand, begins)
        demands.append(demand)
    planned = replace(problem, demands=tuple(demands), previous=future, change_penalty=change_penalty)
    return with_locked(planned, near)


def left_out(problem: Problem, limited: set[str]) -> Problem:
    """`problem` with the demands of `limited` requests asking for nothing more (reason: failure limit)."""
    demands = tuple(
        replace(d, opportunities=(), unreachable="failure limit") if d.request_id in limited else d
        for d in problem.demands
    )
    return replace(problem, demands=demands)


def touches_future(problem: Problem, track: Track, now: int) -> bool:
    """Whether a track that began before `now` is locked in the re-plan: it still holds its
    antenna, links a coverage chain, or may lead a later track (`after`)."""
    demand = problem.demand(track.demand_id)
    follow = max(
        (d.after.most for d in problem.demands if d.after and d.after.request_id == demand.request_id), default=-1
    )
    return (
        track.end + track.teardown > now or demand.coverage is not None or (follow >= 0 and track.end + follow >= now)
    )


def spaced_from(problem: Problem, demand: Demand, begins: dict[str, int]) -> Demand:
    """The demand's opportunities with setups starting at or after `begins` (per complex)."""
    if not begins:
        return demand
    kept = []
    for opportunity in demand.opportunities:
        floor = max((begins.get(problem.complex_of(a), 0) for a in opportunity.antennas), default=0)
        cut = starting_after(opportunity, floor + opportunity.setup)
        if cut is not None:
            kept.append(cut)
    return replace(demand, opportunities=tuple(kept))


def with_history(demand: Demand, past: list[Track], last_pass: int | None) -> Demand:
    """The demand less what its older history holds; its gaps counted from `last_pass`."""
    held = len(locked_groups(past)) if demand.min_segment else len(past)
    changes: dict = {"tracks": max(0, demand.tracks - held)}
    if demand.volume_bits is not None:
        changes["volume_bits"] = max(0, demand.volume_bits - delivered_kbit(demand, past) * KBIT)
    if last_pass is not None and demand.coverage is None:
        if demand.min_gap:
            changes["opportunities"] = tuple(
                o for o in (starting_after(o, last_pass + demand.min_gap) for o in demand.opportunities) if o
            )
        if demand.max_gap and demand.gap_window is not None:
            low, high = demand.gap_window
            changes["gap_window"] = (min(max(low, last_pass), high), high)
    return replace(demand, **changes)


def starting_after(opportunity: Opportunity, earliest: int) -> Opportunity | None:
    """The part of the opportunity whose tracks start at or after `earliest`."""
    if earliest <= opportunity.earliest_start:
        return opportunity
    if earliest > opportunity.latest_start:
        return None
    return replace(opportunity, earliest_start=earliest)

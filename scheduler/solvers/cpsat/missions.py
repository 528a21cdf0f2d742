"""The mission rule in the model (README: Request semantics): a spacecraft is tracked by one
antenna at a time, so a mission's tracks are never on target at once.

An array or ΔDOR track is one candidate, one interval on target, whatever its antennas. Exempt:
a `concurrent` demand's tracks, and the links of one coverage chain among themselves (they hand
over). A request's own tracks are already apart (`semantics.request_spacing`).
"""

from collections import defaultdict

from scheduler.solvers.cpsat.candidates import Candidate
from scheduler.solvers.cpsat.context import ModelContext
from scheduler.solvers.cpsat.operations import bounds


def one_antenna_at_a_time(ctx: ModelContext) -> None:
    """Per mission, an `AddNoOverlap` of its tracks' time on target; a coverage chain's links, which
    overlap each other at their handovers, are kept apart from the mission's other tracks pair by
    pair, where their times can meet."""
    by_mission: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in ctx.candidates:
        if not candidate.demand.concurrent:
            by_mission[candidate.demand.mission].append(candidate)
    for candidates in by_mission.values():
        if len({c.demand.request_id for c in candidates}) < 2:
            continue  # one request: its own spacing, or its chain's handovers, rule already
        whole = [c for c in candidates if c.demand.coverage is None]
        if len(whole) > 1:
            ctx.model.AddNoOverlap([c.on_target for c in whole])
        links = [c for c in candidates if c.demand.coverage is not None]
        for index, link in enumerate(links):
            later = [c for c in links[index + 1 :] if c.demand.request_id != link.demand.request_id]
            for other in whole + later:
                if _may_meet(ctx, link, other):
                    ctx.model.AddNoOverlap([link.on_target, other.on_target])


def _may_meet(ctx: ModelContext, first: Candidate, second: Candidate) -> bool:
    """Whether the two candidates' times on target can overlap at all."""
    first_start, first_end = bounds(ctx.model, first.start)[0], bounds(ctx.model, first.end)[1]
    second_start, second_end = bounds(ctx.model, second.start)[0], bounds(ctx.model, second.end)[1]
    return first_start < second_end and second_start < first_end

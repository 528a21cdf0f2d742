"""Why a rule left a request unmet (README: Request semantics): the longest gap of a `max_gap`
request, the complexes a `spread` period used, an `after` track with nothing to follow, a track
kept out by a complex's start spacing or links or by interference, and by the mission's own
tracks (one antenna at a time)."""

from dataclasses import replace
from datetime import timedelta

from scheduler.problem.operations import gaps_too_long, spread_short
from scheduler.problem.scoring import demand_satisfied
from scheduler.problem.types import Demand, Problem, Track
from scheduler.solvers.greedy import board_with, fill
from scheduler.timeutil import format_duration, format_time


def rule_reasons(problem: Problem, tracks: tuple[Track, ...]) -> dict[str, list[str]]:
    """Per request id, the soft rules it misses: its longest gap over max_gap, periods short of spread."""
    found: dict[str, list[str]] = {}
    for request_id, gap in gaps_too_long(problem, tracks).items():
        demand = next(d for d in problem.demands if d.request_id == request_id)
        stamp = f"{_time(problem, gap.start)}..{_time(problem, gap.end)}"
        text = (
            f"max_gap {format_duration(demand.max_gap)} exceeded: {format_duration(gap.length)} without a track {stamp}"
        )
        found.setdefault(request_id, []).append(text)
    for demand_id, used in spread_short(problem, tracks).items():
        demand = problem.demand(demand_id)
        low, high = demand.period or (0, problem.horizon)
        stamp = f"{_time(problem, low)}..{_time(problem, high)}"
        text = f"spread: tracks on {used} of {demand.spread} complexes in {stamp}"
        found.setdefault(demand.request_id, []).append(text)
    return found


def _time(problem: Problem, seconds: int) -> str:
    return format_time(problem.epoch + timedelta(seconds=seconds))


def leaderless(problem: Problem, demand: Demand, tracks: tuple[Track, ...]) -> str | None:
    """For an `after` demand that would be met given its leader's tracks but cannot follow any of
    them, why (None when that is not what stops it)."""
    after = demand.after
    if after is None:
        return None
    leaders = tuple(t for t in tracks if problem.demand(t.demand_id).request_id == after.request_id)
    board = board_with(problem, leaders)
    if demand_satisfied(demand, fill(board, demand, demand.tracks)):
        return None
    window = f"{format_duration(after.least)}..{format_duration(after.most)}"
    return f"after {after.request_id}: no free track of it ends {window} before a start"


def rule_block(problem: Problem, demand: Demand, tracks: tuple[Track, ...]) -> str | None:
    """The complex rule or interference that keeps one more track of the demand out of the plan,
    when that is what does (another track would fit without it)."""
    if not (problem.complex_limits or problem.interference):
        return None
    others = tuple(t for t in tracks if t.demand_id != demand.id)
    mine = [t for t in tracks if t.demand_id == demand.id]
    room = max(1, demand.tracks - len(mine))

    def fits(changed: Problem) -> bool:
        return bool(fill(board_with(changed, (*others, *mine)), demand, room))

    if problem.interference and fits(replace(problem, interference=())):
        rivals = sorted({r.second if r.first == demand.request_id else r.first for r in _conflicts(problem, demand)})
        return "interference (rfi) with " + ", ".join(rivals[:3])
    if problem.complex_limits and fits(replace(problem, complex_limits=())):
        names = sorted({problem.complex_of(a) for o in demand.opportunities for a in o.antennas})
        limited = [c.complex for c in problem.complex_limits if c.complex in names]
        return "complex rules (start_spacing, max_links) at " + ", ".join(limited)
    return None


def _conflicts(problem: Problem, demand: Demand):
    return [r for r in problem.interference if demand.request_id in (r.first, r.second)]


MAX_NAMED = 3


def own_tracks(problem: Problem, demand: Demand, tracks: tuple[Track, ...], low: int, high: int) -> list[Track]:
    """The tracks of the demand's mission (other requests, none `concurrent`) on target in [low, high)."""
    if demand.concurrent:
        return []
    found = []
    for track in tracks:
        other = problem.demand(track.demand_id)
        mission = other.mission == demand.mission and other.request_id != demand.request_id and not other.concurrent
        if mission and track.start < high and track.end > low:
            found.append(track)
    return sorted(found, key=lambda t: (t.start, t.demand_id))


def mission_text(problem: Problem, demand: Demand, own: list[Track]) -> str:
    """The mission rule as a reason, naming the mission's tracks that hold the time."""
    named = ", ".join(
        f"{problem.demand(t.demand_id).request_id} {_time(problem, t.start)}..{_time(problem, t.end)}"
        for t in own[:MAX_NAMED]
    )
    more = f" and {len(own) - MAX_NAMED} more" if len(own) > MAX_NAMED else ""
    return (
        f"mission rule: {demand.mission} is on target with its own {named}{more} "
        "(one antenna at a time; `concurrent: true` exempts)"
    )


def mission_block(problem: Problem, demand: Demand, tracks: tuple[Track, ...]) -> str | None:
    """The mission's own tracks that keep one more track of the demand out, when they are what
    does: one more would fit were the demand `concurrent`."""
    spans = [(o.earliest_start, o.latest_end) for o in demand.opportunities]
    own = [t for low, high in spans for t in own_tracks(problem, demand, tracks, low, high)]
    if not own:
        return None
    others = tuple(t for t in tracks if t.demand_id != demand.id)
    mine = [t for t in tracks if t.demand_id == demand.id]
    board = board_with(problem, (*others, *mine))
    if not fill(board, replace(demand, concurrent=True), max(1, demand.tracks - len(mine))):
        return None
    return mission_text(problem, demand, sorted(set(own), key=lambda t: (t.start, t.demand_id)))

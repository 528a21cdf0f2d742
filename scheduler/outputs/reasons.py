"""Why a request is not (fully) met.

Each unmet demand is checked on its own first: against its view periods (none, or too short
for its window), then against downtime alone (blocked by downtime). A demand that would be
met alone lost to other requests: the mission's own tracks when they are what keeps it out
(one antenna at a time), else those holding the most antenna time where it could have run,
unless the solver stopped early while room was left (time limit).
"""

from collections import defaultdict
from dataclasses import replace
from datetime import timedelta

from scheduler.inputs.downlink import format_bits
from scheduler.outputs.rule_reasons import (
    MAX_NAMED,
    leaderless,
    mission_block,
    mission_text,
    own_tracks,
    rule_block,
    rule_reasons,
)
from scheduler.problem.scoring import demand_satisfied, union_length
from scheduler.problem.types import Demand, Problem, Track
from scheduler.problem.volume import KBIT, delivered_kbit
from scheduler.solvers.greedy import board_with, fill
from scheduler.timeutil import DAY, WEEK, format_duration, format_time

Busy = dict[str, list[tuple[int, int, str]]]


def request_reasons(problem: Problem, tracks: tuple[Track, ...], status: str, wanted: set[str]) -> dict[str, str]:
    """One reason per request id in `wanted`; several periods' reasons joined by '; '."""
    by_demand: dict[str, list[Track]] = defaultdict(list)
    for track in tracks:
        by_demand[track.demand_id].append(track)
    found: dict[str, list[str]] = defaultdict(list)
    rivals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    busy = busy_by_antenna(problem, tracks)
    for demand in problem.demands:
        if demand.request_id not in wanted or demand_satisfied(demand, by_demand[demand.id]):
            continue
        reason = _reason(problem, demand, tracks, by_demand[demand.id], status, busy)
        if isinstance(reason, dict):
            for rival, seconds in reason.items():
                rivals[demand.request_id][rival] += seconds
            reason = "outcompeted"
        if reason not in found[demand.request_id]:
            found[demand.request_id].append(reason)
    rules = rule_reasons(problem, tracks)
    out = {}
    for request_id in wanted:
        named = sorted(rivals[request_id].items(), key=lambda item: (-item[1], item[0]))[:MAX_NAMED]
        parts = [
            ("outcompeted by " + ", ".join(r for r, _ in named) if named else "outcompeted")
            if p == "outcompeted"
            else p
            for p in found[request_id]
        ]
        out[request_id] = "; ".join(parts + rules.get(request_id, [])) or "not fully met"
    return out


def short_of_view(problem: Problem, demand: Demand) -> str:
    """Why a demand that nothing competes with still cannot be met: its window, if it has one,
    else its view periods, hold too few tracks."""
    if demand.gap_window not in (None, (0, problem.horizon)):
        return "window too short"
    low, high = demand.period or (0, problem.horizon)
    per = {DAY: " a day", WEEK: " a week"}.get(high - low, "")
    tracks = f"{demand.tracks} tracks" if demand.tracks > 1 else "a track"
    return f"view periods too short: no room for {tracks} of {format_duration(demand.min_duration)}{per}"


def _reason(
    problem: Problem, demand: Demand, tracks: tuple[Track, ...], mine: list[Track], status: str, busy: Busy
) -> str | dict[str, int]:
    if not demand.opportunities:
        return demand.unreachable or "no view period"
    if demand.coverage is not None:
        return _coverage_gaps(problem, demand, tracks, mine, busy)
    alone = fill(board_with(problem, ()), replace(demand, after=None), demand.tracks)
    if not demand_satisfied(demand, alone):
        antennas = {a for o in demand.opportunities for a in o.antennas}
        low, high = demand.period or (0, problem.horizon)
        near = any(o.antenna in antennas and o.start < high and o.end > low for o in problem.downtime)
        if near:
            return "blocked by downtime"
        if demand.volume_bits is not None:
            most = format_bits(delivered_kbit(demand, alone) * KBIT)
            return f"link too weak: its passes return {most} of {format_bits(demand.volume_bits)} alone"
        return short_of_view(problem, demand)
    if (why := leaderless(problem, demand, tracks)) is not None:
        return why
    if status != "OPTIMAL" and _room_left(problem, demand, tracks, len(mine)):
        return "time limit"
    return mission_block(problem, demand, tracks) or rule_block(problem, demand, tracks) or _rivals(demand, busy)


def _room_left(problem: Problem, demand: Demand, tracks: tuple[Track, ...], placed: int) -> bool:
    """Whether one more track (or segment) of the demand still fits beside the schedule."""
    board = board_with(problem, tracks)
    return bool(fill(board, demand, max(1, demand.tracks - placed)))


def _spans(demand: Demand) -> list[tuple[str, int, int]]:
    return [
        (antenna, o.earliest_start - o.setup, o.latest_end + o.teardown)
        for o in demand.opportunities
        for antenna in o.antennas
    ]


def _rivals(demand: Demand, busy: Busy) -> dict[str, int]:
    """Antenna seconds other requests hold inside this demand's opportunities."""
    held: dict[str, int] = defaultdict(int)
    for antenna, low, high in _spans(demand):
        for start, end, request_id in busy.get(antenna, ()):
            if request_id != demand.request_id and start < high and end > low:
                held[request_id] += min(high, end) - max(low, start)
    return dict(held)


def busy_by_antenna(problem: Problem, tracks: tuple[Track, ...]) -> Busy:
    """(busy start, busy end, request id) of the tracks on each antenna."""
    busy: Busy = defaultdict(list)
    for track in tracks:
        request_id = problem.demand(track.demand_id).request_id
        for antenna in track.antennas:
            busy[antenna].append((track.start - track.setup, track.end + track.teardown, request_id))
    return busy


def _coverage_gaps(problem: Problem, demand: Demand, tracks: tuple[Track, ...], mine: list[Track], busy: Busy) -> str:
    """The uncovered stretches of the window, each with why nothing covers it, and the links
    that follow one another without a handover."""
    assert demand.coverage is not None
    start, end = demand.coverage
    epoch = problem.epoch
    reach, gaps, described = start, [], []
    for number, track in enumerate(sorted(mine, key=lambda t: t.start)):
        if track.start > reach:
            gaps.append((reach, track.start))
        elif number and track.start > reach - demand.handover:
            described.append(f"no handover at {format_time(epoch + timedelta(seconds=track.start))}")
        reach = max(reach, track.end)
    if reach < end:
        gaps.append((reach, end))
    for low, high in gaps:
        views = [(o.earliest_start, o.latest_end) for o in demand.opportunities]
        if _downtime_covers(problem, demand, low, high):
            why = "blocked by downtime"
        elif union_length(views, (low, high)) < high - low:
            why = "no view period"
        elif own := own_tracks(problem, demand, tracks, low, high):
            why = mission_text(problem, demand, own)
        else:
            named = sorted(_rivals(demand, busy).items(), key=lambda item: (-item[1], item[0]))
            why = "outcompeted by " + ", ".join(r for r, _ in named[:MAX_NAMED]) if named else "outcompeted"
        stamp = f"{format_time(epoch + timedelta(seconds=low))}..{format_time(epoch + timedelta(seconds=high))}"
        described.append(f"coverage gap {stamp}: {why}")
    return "; ".join(described) or "coverage incomplete"


def _downtime_covers(problem: Problem, demand: Demand, low: int, high: int) -> bool:
    """Whether every antenna the demand could use is down throughout [low, high). (View periods
    exclude downtime, so a stretch with no view may be one that downtime took away.)"""
    down: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for outage in problem.downtime:
        down[outage.antenna].append((outage.start, outage.end))
    antennas = {a for o in demand.opportunities for a in o.antennas}
    return bool(antennas) and all(union_length(down[a], (low, high)) >= high - low for a in antennas)

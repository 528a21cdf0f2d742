"""A scenario's locked tracks as tracks of the problem, each checked against every hard rule a
track of its request obeys: its request's stations (band included) and antenna count, its
duration, its window, its target in view over the whole track, its period's track count, no
overlap with downtime or another locked track. A locked track that breaks one is an
`InputError` naming it (`locked[2]`): the plan keeps locked tracks exactly, so it could never
be valid, and a bad one must never reach the check before writing (an internal error) or the
schedule (a plan `validate` rejects)."""

import math
from collections import defaultdict
from datetime import timedelta

import pandas as pd

from scheduler.errors import InputError
from scheduler.inputs import RequestSpec, Scenario
from scheduler.inputs.spec import LockedTrack
from scheduler.problem.types import Problem, Track
from scheduler.timeutil import format_duration, format_time

Passes = dict[tuple[tuple[str, ...], str], list[tuple[int, int]]]  # (antennas, target) → view periods (s)


def seconds_from(scenario: Scenario, stamp: object) -> float:
    return (pd.Timestamp(stamp) - pd.Timestamp(scenario.start)).total_seconds()


def seconds_up(value: timedelta) -> int:
    """Whole seconds, rounded up."""
    return math.ceil(value.total_seconds())


def setup_teardown(scenario: Scenario, request: RequestSpec, antennas: tuple[str, ...]) -> tuple[int, int]:
    """The longest setup and teardown over the antennas used together (request overrides first)."""
    setups, teardowns = [], []
    for station_id in antennas:
        station = scenario.station(station_id)
        setups.append(seconds_up(request.setup if request.setup is not None else station.setup))
        teardowns.append(seconds_up(request.teardown if request.teardown is not None else station.teardown))
    return max(setups), max(teardowns)


def demand_id_at(problem: Problem, request_id: str, start: int) -> str | None:
    """The id of the request's demand whose period holds a track starting at `start` seconds."""
    mine = [d for d in problem.demands if d.request_id == request_id]
    for demand in mine:
        low, high = demand.period or (0, problem.horizon)
        if low <= start < high:
            return demand.id
    return mine[0].id if len(mine) == 1 else None


def _bad(scenario: Scenario, where: str, problem: str, fix: str) -> InputError:
    return InputError(scenario.source, where, problem, fix)


def _check_stations(scenario: Scenario, request: RequestSpec, antennas: tuple[str, ...], where: str) -> None:
    """On the request's own stations, as many as a track of it uses, in the complexes it needs."""
    allowed = scenario.request_antennas(request.id)
    foreign = [a for a in antennas if a not in allowed]
    if foreign:
        why = f" with band {request.band}" if request.band else ""
        problem = f"{foreign[0]} is not among the stations request {request.id} may use{why}"
        raise _bad(scenario, f"{where}.stations", problem, "lock the track on the request's own stations")
    complexes = {scenario.station(a).complex for a in antennas}
    listed = any(set(antennas) == set(array) for array in scenario.request_arrays.get(request.id, ()))
    if request.array is not None:
        wanted, ok = f"{request.array} antennas of one complex", len(antennas) == request.array and len(complexes) == 1
    elif request.complexes is not None:
        wanted = f"{request.complexes} antennas at {request.complexes} complexes"
        ok = len(antennas) == request.complexes == len(complexes)
    else:
        wanted, ok = "one antenna (or one of its listed arrays)", len(antennas) == 1 or listed
    if not ok:
        problem = f"names {len(antennas)} station(s) ({', '.join(antennas)}); a track of {request.id} uses {wanted}"
        raise _bad(scenario, f"{where}.stations", problem, "lock the track on the antennas one track of it uses")


def _check_times(scenario: Scenario, request: RequestSpec, start: int, end: int, where: str) -> None:
    """A duration a track (or, split, a segment) of the request may have, inside its window."""
    shortest = request.split.min_segment if request.split is not None else request.shortest
    low, high = seconds_up(shortest), int(request.longest.total_seconds())
    if not low <= end - start <= high:
        what = "a segment" if request.split is not None else "a track"
        problem = (
            f"lasts {format_duration(end - start)}; {what} of {request.id} lasts "
            f"{format_duration(low)}..{format_duration(high)}"
        )
        raise _bad(scenario, where, problem, "give the locked track the request's duration, or change the request")
    window = request.window
    if window is not None and not (
        seconds_from(scenario, window.start) <= start and end <= seconds_from(scenario, window.end)
    ):
        problem = f"lies outside the window of request {request.id}"
        raise _bad(scenario, where, problem, "move the locked track into the request's window")


def _check_view(
    scenario: Scenario,
    request: RequestSpec,
    antennas: tuple[str, ...],
    span: tuple[int, int],
    passes: Passes,
    where: str,
) -> None:
    """The target usable over the whole track: inside one view period of the antennas together
    (a listed array's own), or of each antenna."""
    start, end = span

    def inside(key: tuple[str, ...]) -> bool:
        return any(a <= start and end <= b for a, b in passes.get((key, request.target), []))

    if inside(tuple(sorted(antennas))):
        return
    blind = next((a for a in antennas if not inside((a,))), None)
    if blind is not None:
        stamp = (pd.Timestamp(scenario.start) + pd.Timedelta(seconds=s) for s in span)
        times = "..".join(format_time(t) for t in stamp)
        problem = (
            f"{request.target} is not usable from {blind} over {times} (no view period holds the track: "
            "the target is below the horizon or mask, or another observing limit or downtime blocks it)"
        )
        raise _bad(scenario, where, problem, "move the locked track into a view period (jointtrack visibility)")


def locked_tracks(scenario: Scenario, problem: Problem, passes: Passes) -> tuple[Track, ...]:
    """The scenario's locked tracks, each checked against its request's hard rules (the module's
    docstring) and the view periods `passes`."""
    tracks: list[Track] = []
    requests = {r.id: r for r in scenario.requests}
    per_demand: dict[str, int] = defaultdict(int)
    busy: dict[str, list[tuple[int, int, int, str | None, str]]] = defaultdict(list)
    on_target: dict[str, list[tuple[int, int, int, str]]] = defaultdict(list)  # by mission, concurrent ones aside
    for outage in problem.downtime:
        busy[outage.antenna].append((outage.start, outage.end, -1, None, ""))
    for index, (locked, antennas) in enumerate(zip(scenario.spec.locked, scenario.locked_stations, strict=True)):
        where = f"locked[{index}]"
        request = requests[locked.request]
        start, end = _span(scenario, request, locked, where)
        _check_stations(scenario, request, antennas, where)
        _check_times(scenario, request, start, end, where)
        _check_view(scenario, request, antennas, (start, end), passes, where)
        setup, teardown = setup_teardown(scenario, request, antennas)
        demand_id = demand_id_at(problem, request.id, start)
        if demand_id is None:
            raise _bad(scenario, where, f"starts outside the window of request {request.id}", "move it into the window")
        per_demand[demand_id] += 1
        if per_demand[demand_id] > request.tracks and not request.split:
            raise _bad(
                scenario,
                where,
                f"more locked tracks than request {request.id} asks for in one period ({request.tracks})",
                "remove a locked track or raise the request's tracks",
            )
        for antenna in antennas:
            for other_start, other_end, other, tag, other_request in busy[antenna]:
                shared = tag is not None and tag == request.mspa and other_request != request.id  # MSPA partners
                if start - setup < other_end and other_start < end + teardown and not shared:
                    what = f"locked[{other}]" if other >= 0 else "downtime"
                    raise _bad(
                        scenario,
                        where,
                        f"overlaps {what} on {antenna} (setup and teardown included)",
                        "move the locked track or the downtime",
                    )
            busy[antenna].append((start - setup, end + teardown, index, request.mspa, request.id))
        if not request.concurrent:
            _one_antenna_at_a_time(scenario, where, on_target[request.mission], (start, end, index, request.id))
        tracks.append(Track(demand_id, antennas, start, end, setup, teardown))
    return tuple(tracks)


def _one_antenna_at_a_time(
    scenario: Scenario, where: str, mission: list[tuple[int, int, int, str]], track: tuple[int, int, int, str]
) -> None:
    """The mission rule among locked tracks: one of another request of the mission (neither
    `concurrent`) on target at the same time is refused; `track` joins `mission`'s list."""
    start, end, _, request_id = track
    for other_start, other_end, other, other_request in mission:
        if other_request != request_id and start < other_end and other_start < end:
            raise _bad(
                scenario,
                where,
                f"on target at once with locked[{other}] ({other_request}) of the same mission: a spacecraft is "
                "tracked by one antenna at a time",
                "move one of them, or mark one request `concurrent: true`",
            )
    mission.append(track)


def _span(scenario: Scenario, request: RequestSpec, locked: LockedTrack, where: str) -> tuple[int, int]:
    """Start and end in whole seconds from the scenario's start; a continuous request has none."""
    if request.continuous:
        raise _bad(
            scenario,
            f"{where}.request",
            "a continuous-coverage request cannot have locked tracks",
            "lock the tracks of another request, or drop continuous",
        )
    return round(seconds_from(scenario, locked.start)), round(seconds_from(scenario, locked.end))

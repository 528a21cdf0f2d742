"""From a scenario and its view periods to the allocation problem (`problem.Problem`).

Requests become demands (one per accounting period that overlaps the request's window); view
periods become opportunities: one
antenna's pass, or for arraying (`array: N`) and ΔDOR (`complexes: N`) the common part of the
passes of N antennas used together.
"""

import math
from collections import defaultdict
from dataclasses import replace
from datetime import timedelta

import numpy as np
import pandas as pd

from scheduler.errors import InputError
from scheduler.inputs import RequestSpec, Scenario
from scheduler.inputs.view_period_csv import array_members
from scheduler.problem.antenna_sets import listed_arrays, usable_sets
from scheduler.problem.periods import opportunity_in, period_demand, period_spans
from scheduler.problem.rates import rate_profiles
from scheduler.problem.rules import check_locked_operations, request_rules, with_operations
from scheduler.problem.types import Demand, Downtime, Problem, RateProfile, Track, Weights
from scheduler.sky.downlink import link_samples

DEFAULT_HANDOVER = 300


def seconds_from(scenario: Scenario, stamp: object) -> float:
    return (pd.Timestamp(stamp) - pd.Timestamp(scenario.start)).total_seconds()


def _seconds(value: timedelta) -> int:
    return math.ceil(value.total_seconds())


def build_problem(scenario: Scenario, view_periods: pd.DataFrame) -> Problem:
    """Demands per request period, each with the opportunities its view periods offer."""
    horizon = int((scenario.end - scenario.start).total_seconds())
    vp = view_periods.assign(
        start_s=np.ceil([seconds_from(scenario, t) for t in view_periods.start]).astype(int)
        if len(view_periods)
        else [],
        end_s=np.floor([seconds_from(scenario, t) for t in view_periods.end]).astype(int) if len(view_periods) else [],
    )
    by_pair = {
        (tuple(sorted(array_members(station))), target): list(zip(g.start_s, g.end_s, strict=True))
        for (station, target), g in vp.groupby(["station", "target"])
    }
    unit = _seconds(scenario.spec.resolution)
    samples = link_samples(scenario, view_periods, unit)
    demands: list[Demand] = []
    for index, request in enumerate(scenario.requests):
        stations = scenario.request_stations[request.id]
        passes = {s: sorted(by_pair.get(((s,), request.target), [])) for s in stations}
        listed = listed_arrays(scenario.request_arrays.get(request.id, ()), request.target, by_pair)
        if not any(passes.values()) and not any(p for _, p in listed):
            raise InputError(
                scenario.source,
                f"requests[{index}] ({request.id}).target",
                f"target {request.target!r} is never usable from the request's stations"
                + (f" with band {request.band}" if request.band else "")
                + " in the planning horizon",
                "add stations that can see it, lower their limits, or move the horizon",
            )
        usable = usable_sets(scenario, request, passes)
        rates = None
        if request.downlink is not None:
            if listed:
                raise InputError(
                    scenario.source,
                    f"requests[{index}] ({request.id}).stations",
                    "a downlink request cannot list arrays as 'A+B'",
                    "list the antennas and set `array:` instead",
                )
            link = {s: samples[(request.id, s)] for s in stations}
            rates = rate_profiles(request.downlink, link, [antennas for antennas, _, _ in usable], unit)
        usable += [(a, s, e) for a, found in listed for s, e in found]
        demands.extend(_demands(scenario, request, usable, horizon, rates))
    downtime = tuple(
        Downtime(
            station,
            max(0, int(seconds_from(scenario, outage.start))),
            min(horizon, math.ceil(seconds_from(scenario, outage.end))),
        )
        for outage, ids in zip(scenario.spec.downtime, scenario.downtime_stations, strict=True)
        for station in ids
    )
    weights = scenario.spec.objective
    problem = Problem(
        scenario.name,
        scenario.start,
        horizon,
        unit,
        tuple(s.id for s in scenario.stations),
        tuple(demands),
        downtime,
        weights=Weights(
            weights.time,
            weights.fairness,
            weights.agency_balance,
            floor=weights.floor,
            rules=weights.rules,
            consent=weights.consent,
        ),
    )
    problem = with_operations(problem, scenario)
    locked = locked_tracks(scenario, problem)
    check_locked_operations(scenario, problem, locked)
    return replace(problem, locked=locked)


def _setup_teardown(scenario: Scenario, request: RequestSpec, antennas: tuple[str, ...]) -> tuple[int, int]:
    """The longest setup and teardown over the antennas used together (request overrides first)."""
    setups, teardowns = [], []
    for station_id in antennas:
        station = scenario.station(station_id)
        setups.append(_seconds(request.setup if request.setup is not None else station.setup))
        teardowns.append(_seconds(request.teardown if request.teardown is not None else station.teardown))
    return max(setups), max(teardowns)


def _window(scenario: Scenario, request: RequestSpec, horizon: int) -> tuple[int, int]:
    if request.window is None:
        return (0, horizon)
    return (
        max(0, math.ceil(seconds_from(scenario, request.window.start))),
        min(horizon, int(seconds_from(scenario, request.window.end))),
    )


def _demands(
    scenario: Scenario,
    request: RequestSpec,
    usable: list[tuple[tuple[str, ...], int, int]],
    horizon: int,
    rates: dict[tuple[str, ...], RateProfile] | None,
) -> list[Demand]:
    shortest, longest = _seconds(request.shortest), _seconds(request.longest)
    min_segment = _seconds(request.split.min_segment) if request.split is not None else None
    piece = min_segment or shortest
    window = _window(scenario, request, horizon)
    all_periods = [(0, horizon)] if request.continuous else period_spans(request.per, horizon)
    demands = []
    for number, (a, b) in enumerate(all_periods):
        if b <= window[0] or a >= window[1]:
            continue  # a period outside the request's window asks for nothing
        opportunities = []
        seen = False  # a usable view overlaps the window in this period
        for antennas, vp_start, vp_end in usable:
            seen = seen or (vp_start < min(window[1], b) and vp_end > max(window[0], a))
            setup_teardown = _setup_teardown(scenario, request, antennas)
            found = opportunity_in(antennas, (vp_start, vp_end), window, (a, b), horizon, setup_teardown, piece)
            if found is not None:
                opportunities.append(found)
        ordered = tuple(sorted(opportunities, key=lambda o: (o.earliest_start, o.antennas)))
        demands.append(
            period_demand(
                request,
                all_periods,
                number,
                (shortest, longest),
                ordered,
                min_segment=min_segment,
                min_gap=_seconds(request.min_gap) if request.min_gap is not None else 0,
                mspa=request.mspa,
                coverage=window if request.continuous else None,
                handover=_seconds(request.handover) if request.handover is not None else DEFAULT_HANDOVER,
                unreachable="" if opportunities else _unreachable(scenario, request, seen, window, (a, b)),
                volume_bits=request.volume,
                concurrent=request.concurrent,
                rates=rates,
                **request_rules(request, window),
            )
        )
    return demands


def _unreachable(
    scenario: Scenario, request: RequestSpec, seen: bool, window: tuple[int, int], period: tuple[int, int]
) -> str:
    """Why a demand has no opportunity. View periods exclude downtime, so downtime on the
    request's stations in its window is named first."""
    low, high = max(window[0], period[0]), min(window[1], period[1])
    stations = scenario.request_antennas(request.id)
    for outage, ids in zip(scenario.spec.downtime, scenario.downtime_stations, strict=True):
        if (
            stations & set(ids)
            and seconds_from(scenario, outage.start) < high
            and seconds_from(scenario, outage.end) > low
        ):
            return "blocked by downtime"
    if seen:
        return "window too short"
    return f"no view period on an antenna with band {request.band}" if request.band else "no view period"


def demand_id_at(problem: Problem, request_id: str, start: int) -> str | None:
    """The id of the request's demand whose period holds a track starting at `start` seconds."""
    mine = [d for d in problem.demands if d.request_id == request_id]
    for demand in mine:
        low, high = demand.period or (0, problem.horizon)
        if low <= start < high:
            return demand.id
    return mine[0].id if len(mine) == 1 else None


def locked_tracks(scenario: Scenario, problem: Problem) -> tuple[Track, ...]:
    """The scenario's locked tracks, checked: within their request's track count, and never
    overlapping each other on an antenna (setup and teardown included) unless MSPA partners."""
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
        if request.continuous:
            raise InputError(
                scenario.source,
                f"{where}.request",
                "a continuous-coverage request cannot have locked tracks",
                "lock the tracks of another request, or drop continuous",
            )
        start = round(seconds_from(scenario, locked.start))
        end = round(seconds_from(scenario, locked.end))
        setup, teardown = _setup_teardown(scenario, request, antennas)
        demand_id = demand_id_at(problem, request.id, start)
        if demand_id is None:
            raise InputError(
                scenario.source,
                where,
                f"starts outside the window of request {request.id}",
                "move the locked track into the request's window",
            )
        per_demand[demand_id] += 1
        if per_demand[demand_id] > request.tracks and not request.split:
            raise InputError(
                scenario.source,
                where,
                f"more locked tracks than request {request.id} asks for in one period ({request.tracks})",
                "remove a locked track or raise the request's tracks",
            )
        for antenna in antennas:
            for other_start, other_end, other, tag, other_request in busy[antenna]:
                shared = tag is not None and tag == request.mspa and other_request != request.id  # MSPA partners
                if start - setup < other_end and other_start < end + teardown and not shared:
                    what = f"locked[{other}]" if other >= 0 else "downtime"
                    raise InputError(
                        scenario.source,
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
            raise InputError(
                scenario.source,
                where,
                f"on target at once with locked[{other}] ({other_request}) of the same mission: a spacecraft is "
                "tracked by one antenna at a time",
                "move one of them, or mark one request `concurrent: true`",
            )
    mission.append(track)

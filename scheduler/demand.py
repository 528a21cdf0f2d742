"""From a scenario and its view periods to the allocation problem (`problem.Problem`)."""

import math
from datetime import timedelta

import numpy as np
import pandas as pd

from scheduler.errors import InputError
from scheduler.problem import Demand, Downtime, Opportunity, Problem
from scheduler.scenario import RequestSpec, Scenario

PERIOD_SECONDS = {"day": 86_400, "week": 7 * 86_400}


def seconds_from(scenario: Scenario, stamp: object) -> float:
    return (pd.Timestamp(stamp) - pd.Timestamp(scenario.start)).total_seconds()


def periods(request: RequestSpec, horizon: int) -> list[tuple[int, int]]:
    """The request's accounting periods [a, b) covering the horizon."""
    length = PERIOD_SECONDS.get(request.per, horizon)
    return [(a, min(a + length, horizon)) for a in range(0, horizon, length)]


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
    by_pair = {key: list(zip(g.start_s, g.end_s, strict=True)) for key, g in vp.groupby(["station", "target"])}
    demands: list[Demand] = []
    for index, request in enumerate(scenario.requests):
        stations = scenario.request_stations[request.id]
        passes = [(s, a, b) for s in stations for a, b in by_pair.get((s, request.target), [])]
        if not passes:
            raise InputError(
                scenario.source,
                f"requests[{index}] ({request.id}).target",
                f"target {request.target!r} is never usable from the request's stations in the planning horizon",
                "add stations that can see it, lower their limits, or move the horizon",
            )
        demands.extend(_demands(scenario, request, passes, horizon))
    downtime = tuple(
        Downtime(
            station,
            max(0, int(seconds_from(scenario, outage.start))),
            min(horizon, math.ceil(seconds_from(scenario, outage.end))),
        )
        for outage, ids in zip(scenario.spec.downtime, scenario.downtime_stations, strict=True)
        for station in ids
    )
    return Problem(
        scenario.name,
        scenario.start,
        horizon,
        _seconds(scenario.spec.resolution),
        tuple(s.id for s in scenario.stations),
        tuple(demands),
        downtime,
    )


def _demands(
    scenario: Scenario, request: RequestSpec, passes: list[tuple[str, int, int]], horizon: int
) -> list[Demand]:
    shortest, longest = _seconds(request.shortest), _seconds(request.longest)
    window = (0, horizon)
    if request.window is not None:
        window = (
            max(0, int(seconds_from(scenario, request.window.start))),
            min(horizon, int(seconds_from(scenario, request.window.end))),
        )
    all_periods = periods(request, horizon)
    demands = []
    for number, (a, b) in enumerate(all_periods):
        opportunities = []
        for station_id, vp_start, vp_end in passes:
            station = scenario.station(station_id)
            setup = _seconds(request.setup if request.setup is not None else station.setup)
            teardown = _seconds(request.teardown if request.teardown is not None else station.teardown)
            earliest = max(vp_start, window[0], a, setup)  # the antenna's whole use lies in the horizon
            latest_end = min(vp_end, window[1], horizon - teardown)
            latest_start = min(b - 1, latest_end - shortest)
            if latest_start < earliest:
                continue
            opportunities.append(Opportunity((station_id,), earliest, latest_start, latest_end, setup, teardown))
        demand_id = request.id if len(all_periods) == 1 else f"{request.id}#{number + 1}"
        demands.append(
            Demand(
                demand_id,
                request.id,
                request.mission,
                request.agency,
                request.target,
                request.priority,
                request.tracks,
                shortest,
                longest,
                tuple(opportunities),
            )
        )
    return demands

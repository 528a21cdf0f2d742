"""From a scenario and its view periods to the allocation problem (`problem.Problem`).

Requests become demands (one per accounting period that overlaps the request's window); view
periods become opportunities: one
antenna's pass, or for arraying (`array: N`) and ΔDOR (`complexes: N`) the common part of the
passes of N antennas used together.
"""

import math
from dataclasses import replace

import numpy as np
import pandas as pd

from scheduler.errors import InputError
from scheduler.inputs import RequestSpec, Scenario
from scheduler.inputs.view_period_csv import array_members
from scheduler.problem.antenna_sets import listed_arrays, usable_sets
from scheduler.problem.locked import locked_tracks, seconds_from, seconds_up, setup_teardown
from scheduler.problem.periods import opportunity_in, period_demand, period_spans
from scheduler.problem.rates import rate_profiles
from scheduler.problem.rules import check_locked_operations, request_rules, with_operations
from scheduler.problem.types import Demand, Downtime, Problem, RateProfile, Weights
from scheduler.sky.downlink import link_samples

DEFAULT_HANDOVER = 300


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
    unit = seconds_up(scenario.spec.resolution)
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
    locked = locked_tracks(scenario, problem, by_pair)
    check_locked_operations(scenario, problem, locked)
    return replace(problem, locked=locked)


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
    shortest, longest = seconds_up(request.shortest), seconds_up(request.longest)
    min_segment = seconds_up(request.split.min_segment) if request.split is not None else None
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
            occupied = setup_teardown(scenario, request, antennas)
            found = opportunity_in(antennas, (vp_start, vp_end), window, (a, b), horizon, occupied, piece)
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
                min_gap=seconds_up(request.min_gap) if request.min_gap is not None else 0,
                mspa=request.mspa,
                coverage=window if request.continuous else None,
                handover=seconds_up(request.handover) if request.handover is not None else DEFAULT_HANDOVER,
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
    if seen:  # a view period meets the period, none holds a whole track
        return "window too short" if request.window is not None else "view periods too short for a track"
    return f"no view period on an antenna with band {request.band}" if request.band else "no view period"

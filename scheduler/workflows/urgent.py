"""The urgent request joins a problem already built: its target's view periods from its own
stations only, its demand, and the RFI between it and the scenario's requests; nothing of the
scenario is computed again (README: Urgent insertion)."""

from dataclasses import dataclass, replace

import pandas as pd

from scheduler.errors import InputError
from scheduler.inputs import Scenario
from scheduler.problem.build import build_problem
from scheduler.problem.rules import interference, request_band
from scheduler.problem.types import Demand, Problem
from scheduler.sky.visibility import compute_view_periods


@dataclass(frozen=True)
class UrgentProblem:
    """The problem with the urgent demand, the urgent target's view periods, and the demand."""

    problem: Problem
    view_periods: pd.DataFrame
    demand: Demand


def urgent_problem(scenario: Scenario, request_id: str, base: Problem, source: str) -> UrgentProblem:
    """`base` (the problem of `scenario` without the request) with the request's demand added;
    a request that asks for more than one period's track is an error naming `source`."""
    alone = request_alone(scenario, request_id)
    view_periods = compute_view_periods(alone)
    demands = build_problem(alone, view_periods).demands
    if len(demands) != 1:
        raise InputError(
            source,
            "request.window",
            f"meets {len(demands)} `per` periods; an insertion places one track",
            "give a window within one period, or per: horizon",
        )
    rules = base.interference + urgent_interference(scenario, request_id)
    problem = replace(base, demands=(*base.demands, demands[0]), interference=rules)
    return UrgentProblem(problem, view_periods, demands[0])


def request_alone(scenario: Scenario, request_id: str) -> Scenario:
    """The scenario cut to one request, its target and the stations it may use (with their downtime)."""
    request = next(r for r in scenario.requests if r.id == request_id)
    antennas = scenario.request_antennas(request_id)
    downtime = [
        (outage, tuple(s for s in ids if s in antennas))
        for outage, ids in zip(scenario.spec.downtime, scenario.downtime_stations, strict=True)
    ]
    downtime = [(outage, ids) for outage, ids in downtime if ids]
    spec = scenario.spec.model_copy(
        update={
            "requests": (request,),
            "targets": (scenario.target(request.target),),
            "locked": (),
            "downtime": tuple(o for o, _ in downtime),
        }
    )
    return replace(
        scenario,
        spec=spec,
        stations=tuple(s for s in scenario.stations if s.id in antennas),
        request_stations={request_id: scenario.request_stations[request_id]},
        downtime_stations=tuple(ids for _, ids in downtime),
        trajectories={k: v for k, v in scenario.trajectories.items() if k == request.target},
        locked_stations=(),
        request_arrays={request_id: scenario.request_arrays.get(request_id, ())},
    )


def urgent_interference(scenario: Scenario, request_id: str) -> tuple:
    """RFI between the request and the scenario's other requests (with `rfi:`)."""
    request = next(r for r in scenario.requests if r.id == request_id)
    band = request_band(request).lower()
    if scenario.spec.rfi is None or not band:
        return ()
    partners = tuple(r for r in scenario.requests if r.id == request_id or request_band(r).lower() == band)
    rules = interference(replace(scenario, spec=scenario.spec.model_copy(update={"requests": partners})))
    return tuple(rule for rule in rules if request_id in (rule.first, rule.second))

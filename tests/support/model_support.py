"""Helpers for the model tests: plan a semantics scenario, list its tracks readably."""

from dataclasses import replace
from pathlib import Path

import pandas as pd

from scheduler.check import validate_schedule
from scheduler.inputs import Scenario, load_scenario
from scheduler.outputs.plan_outputs import PlanResult
from scheduler.outputs.schedule_table import schedule_frame
from scheduler.problem.types import Problem, Track
from scheduler.solvers import SolverSettings, solve
from scheduler.workflows.plan import run_plan

SEMANTICS = Path(__file__).parent.parent / "scenarios" / "semantics"
FAST = SolverSettings(time_limit_s=10, workers=1, seed=0)


def semantics_scenario(name: str) -> Scenario:
    return load_scenario(SEMANTICS / f"{name}.yaml")


def plan(name: str, solver: str = "cpsat") -> PlanResult:
    """Plan a semantics scenario; the plan must pass the independent validator."""
    scenario = semantics_scenario(name)
    result = run_plan(scenario, replace(FAST, solver=solver))
    assert validate_schedule(scenario, result.schedule) == []
    return result


def rows(schedule: pd.DataFrame) -> list[tuple[str, str, str, str]]:
    """(request, station, start, end) with times as HH:MM (or MM-DDTHH:MM past the first day)."""
    first = schedule.start.min().normalize() if len(schedule) else None

    def clock(stamp: pd.Timestamp) -> str:
        return stamp.strftime("%H:%M") if stamp.normalize() == first else stamp.strftime("%m-%dT%H:%M")

    return sorted((r.request_id, r.station, clock(r.start), clock(r.end)) for r in schedule.itertuples())


def tracks_of(problem: Problem, tracks: tuple[Track, ...]) -> list[tuple[str, str, str, str]]:
    """rows() of a bare tuple of tracks."""
    return rows(schedule_frame(problem, tracks))


def resolve(problem: Problem, solver: str = "cpsat") -> tuple[Track, ...]:
    return solve(problem, replace(FAST, solver=solver)).tracks

"""Property tests: random small scenarios always give schedules the validator accepts, and
CP-SAT never scores below the greedy baseline it starts from."""

from functools import cache

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.check import validate_schedule
from scheduler.inputs import Scenario
from scheduler.inputs.scenario import load_scenario_text
from scheduler.outputs.report import metrics
from scheduler.outputs.schedule_table import schedule_frame
from scheduler.problem.build import build_problem
from scheduler.sky.visibility import compute_view_periods
from scheduler.solvers import SolverSettings, solve

BASE = {
    "name": "property",
    "start": "2026-12-07T00:00:00Z",
    "end": "2026-12-09T00:00:00Z",
    "resolution": "5m",
    "stations": ["DSS-14", "DSS-24", "DSS-43"],
    "targets": [{"id": "moon", "body": "moon"}, {"id": "mars", "body": "mars"}],
}
STATION_SETS = [["DSS-14"], ["DSS-43"], ["DSS-14", "DSS-24"], ["DSS-14", "DSS-24", "DSS-43"]]
MINUTES = st.integers(min_value=6, max_value=48).map(lambda k: k * 5)


@st.composite
def requests(draw: st.DrawFn, index: int) -> dict:
    duration = draw(MINUTES)
    request: dict = {
        "id": f"R{index}",
        "mission": draw(st.sampled_from(["M1", "M2", "M3"])),
        "agency": draw(st.sampled_from(["NASA", "ESA", "JAXA"])),
        "target": draw(st.sampled_from(["moon", "mars"])),
        "priority": draw(st.integers(1, 10)),
        "duration": f"{duration}m",
        "tracks": draw(st.integers(1, 3)),
        "per": draw(st.sampled_from(["day", "horizon"])),
        "stations": draw(st.sampled_from(STATION_SETS)),
    }
    if draw(st.booleans()):
        request["min_gap"] = f"{draw(st.integers(0, 12))}h"
    if draw(st.booleans()):
        first = draw(st.integers(0, 30))
        request["window"] = {
            "start": f"2026-12-{7 + first // 24:02d}T{first % 24:02d}:00:00Z",
            "end": "2026-12-09T00:00:00Z",
        }
    semantic = draw(st.sampled_from(["plain", "plain", "split", "array", "complexes"]))
    if semantic == "split" and duration >= 60:
        request["split"] = {"min_segment": f"{duration // 2}m"}
        request.pop("min_gap", None)  # segments of one track have no gap to keep
    elif semantic == "array":
        request["array"] = 2
        request["stations"] = ["DSS-14", "DSS-24"]
    elif semantic == "complexes":
        request["complexes"] = 2
        request["stations"] = ["DSS-14", "DSS-43"]
    return request


@st.composite
def scenarios(draw: st.DrawFn) -> str:
    count = draw(st.integers(1, 5))
    return yaml.safe_dump({**BASE, "requests": [draw(requests(i)) for i in range(count)]}, sort_keys=False)


@cache
def view_periods() -> pd.DataFrame:
    """The base scenario's view periods: stations, targets and horizon never vary."""
    return compute_view_periods(load_scenario_text(yaml.safe_dump({**BASE, "requests": []})))


def plan(scenario: Scenario, solver: str) -> tuple[pd.DataFrame, dict]:
    problem = build_problem(scenario, view_periods())
    solution = solve(problem, SolverSettings(time_limit_s=5, workers=1, seed=0, solver=solver))
    return schedule_frame(problem, solution.tracks), metrics(problem, solution.tracks)


PROPERTY = settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.slow
@PROPERTY
@given(scenarios())
def test_every_random_schedule_validates_clean(text: str) -> None:
    scenario = load_scenario_text(text, "property.yaml")
    for solver in ("greedy", "cpsat"):
        schedule, _ = plan(scenario, solver)
        assert validate_schedule(scenario, schedule) == [], (solver, text)


@pytest.mark.slow
@PROPERTY
@given(scenarios())
def test_cpsat_never_scores_below_greedy(text: str) -> None:
    scenario = load_scenario_text(text, "property.yaml")
    _, greedy = plan(scenario, "greedy")
    _, cpsat = plan(scenario, "cpsat")
    assert cpsat["weighted_time_s"] >= greedy["weighted_time_s"], text

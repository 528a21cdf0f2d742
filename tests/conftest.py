"""Shared fixtures: small scenarios and a cached plan of each."""

from pathlib import Path

import pytest

from scheduler.inputs import Scenario, load_scenario
from scheduler.outputs.plan_outputs import PlanResult
from scheduler.solvers import SolverSettings
from scheduler.workflows.plan import run_plan

HERE = Path(__file__).parent
SCENARIOS = HERE / "scenarios"
REPO = HERE.parent

# Two antennas (30 min setup, 15 min teardown) that always see a target at the celestial pole.
POLE_STATIONS_AND_TARGET = """
stations:
  - {id: TEST-A, kind: radio, lat_deg: 40.0, lon_deg: -4.0, height_m: 800, min_elevation_deg: 10,
     setup: 30m, teardown: 15m, agency: TEST}
  - {id: TEST-B, kind: radio, lat_deg: 40.0, lon_deg: 20.0, height_m: 800, min_elevation_deg: 10,
     setup: 30m, teardown: 15m, agency: TEST}
targets:
  - {id: pole, ra_deg: 0.0, dec_deg: 89.999}
"""


def scenario(name: str) -> Scenario:
    return load_scenario(SCENARIOS / f"{name}.yaml")


@pytest.fixture(scope="session")
def tiny_plan() -> PlanResult:
    return run_plan(scenario("tiny-moon"), SolverSettings(time_limit_s=10, workers=2, seed=0))


@pytest.fixture(scope="session")
def pole_plan() -> PlanResult:
    return run_plan(scenario("pole-one-antenna"), SolverSettings(time_limit_s=10, workers=2, seed=0))

"""Shared fixtures: small scenarios and a cached plan of each."""

from pathlib import Path

import pytest

from scheduler.pipeline import PlanResult, run_plan
from scheduler.scenario import Scenario, load_scenario
from scheduler.solve import SolverSettings

HERE = Path(__file__).parent
SCENARIOS = HERE / "scenarios"
REPO = HERE.parent


def scenario(name: str) -> Scenario:
    return load_scenario(SCENARIOS / f"{name}.yaml")


@pytest.fixture(scope="session")
def tiny_plan() -> PlanResult:
    return run_plan(scenario("tiny-moon"), SolverSettings(time_limit_s=10, workers=2, seed=0))


@pytest.fixture(scope="session")
def pole_plan() -> PlanResult:
    return run_plan(scenario("pole-one-antenna"), SolverSettings(time_limit_s=10, workers=2, seed=0))

"""Plans of every request semantic, by CP-SAT and by greedy, pass the independent validator
(against the scenario) and the allocation check (against the solver's problem).

tests/scenarios/validate/semantics.yaml holds one request of each kind on a target every
antenna sees at every instant; tests/scenarios/semantics/ holds the model's hand-worked
scenarios. The validator shares no constraint code with the model or the greedy baseline.
"""

from pathlib import Path

import pytest

from scheduler.check import validate_schedule
from scheduler.check.allocation import check_allocation
from scheduler.inputs import load_scenario
from scheduler.solvers import SolverSettings
from scheduler.workflows.plan import run_plan

SCENARIOS = Path(__file__).parent.parent / "scenarios"
CASES = [SCENARIOS / "validate" / "semantics.yaml", *sorted((SCENARIOS / "semantics").glob("*.yaml"))]


@pytest.mark.slow
@pytest.mark.parametrize("solver", ["greedy", "cpsat"])
@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_plan_validates_clean(path: Path, solver: str) -> None:
    scenario = load_scenario(path)
    plan = run_plan(scenario, SolverSettings(time_limit_s=5, workers=1, seed=0, solver=solver))
    assert len(plan.schedule) > 0
    assert [str(v) for v in validate_schedule(scenario, plan.schedule)] == []
    assert [str(v) for v in check_allocation(plan.problem, plan.solution.tracks)] == []


@pytest.mark.slow
def test_plan_of_every_semantic_uses_each_kind_of_track() -> None:
    scenario = load_scenario(CASES[0])
    schedule = run_plan(scenario, SolverSettings(time_limit_s=5, workers=1, seed=0)).schedule
    rows = schedule.groupby("request_id").size().to_dict()
    assert rows["ARR"] == 2 and rows["DDOR"] == 2  # one track on two antennas each
    assert schedule[schedule.request_id.isin(["ARR", "DDOR", "CONT"])].group.ne("").all()
    assert set(schedule.request_id) == {r.id for r in scenario.requests}

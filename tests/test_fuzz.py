"""Fuzzing: every bundled scenario, mutated (keys dropped, types swapped, numbers and times
perturbed, the file truncated), plans or fails in one line — exit 0 or 2, never a traceback or
an internal error. `python benchmarks/fuzz.py --examples N` runs the same property longer."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tests.fuzz_support import acceptable, attached_files, memoised_view_periods, mutated_scenario, plan_mutant


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    made = tmp_path_factory.mktemp("fuzz")
    attached_files(made)
    return made


@pytest.fixture(scope="module", autouse=True)
def sky_once():
    with memoised_view_periods():
        yield


@settings(max_examples=200, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(mutant=mutated_scenario())
def test_mutated_bundled_scenarios_plan_or_fail_in_one_line(mutant: tuple[str, str], folder: Path) -> None:
    name, text = mutant
    code, stderr = plan_mutant(text, folder)
    assert acceptable(code, stderr), f"{name}: exit {code}: {stderr}\n--- mutant ---\n{text}"

"""Fuzzing: every bundled scenario, mutated (keys dropped, types swapped, numbers and times
perturbed, the file truncated), plans or fails in one line — exit 0 or 2, never a traceback or
an internal error. `python benchmarks/fuzz.py --examples N` runs the same property longer."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tests.support.fuzz_support import (
    SCENARIOS,
    acceptable,
    attached_files,
    light_outputs,
    memoised_view_periods,
    mutated_scenario,
    plan_mutant,
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    made = tmp_path_factory.mktemp("fuzz")
    attached_files(made)
    return made


@pytest.fixture(scope="module", autouse=True)
def sky_once():
    with memoised_view_periods():
        yield


@pytest.fixture
def quick():
    with light_outputs():
        yield


@pytest.mark.slow
@settings(max_examples=200, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(mutant=mutated_scenario())
def test_mutated_bundled_scenarios_plan_or_fail_in_one_line(mutant: tuple[str, str], folder: Path, quick) -> None:
    name, text = mutant
    code, stderr = plan_mutant(text, folder)
    assert acceptable(code, stderr), f"{name}: exit {code}: {stderr}\n--- mutant ---\n{text}"


@pytest.mark.parametrize(
    ("found", "said"),
    [  # what a 5,000-example run of benchmarks/fuzz.py found (exit 70 before the fix), reduced
        ("min_duration: 1h, max_duration: .inf,", "max_duration: not a duration of a plannable length: inf"),
        ("duration: 2h, min_gap: 1.0e+308,", "min_gap: not a duration of a plannable length: 1e+308"),
    ],
)
def test_durations_too_long_to_represent_are_input_errors(found: str, said: str, folder: Path) -> None:
    text = (SCENARIOS / "default.yaml").read_text(encoding="utf-8").replace("duration: 2h,", found, 1)
    code, stderr = plan_mutant(text, folder)
    assert code == 2 and said in stderr and acceptable(code, stderr)


@pytest.mark.slow
def test_a_handover_of_zero_plans_and_validates(folder: Path) -> None:
    """Found by the long run: the validator read `handover: 0` as unset (5 min) while the planner
    took it as given, so a valid plan was refused as our bug (exit 70)."""
    text = (SCENARIOS / "lunar-campaign.yaml").read_text(encoding="utf-8").replace("handover: 10m", "handover: 0")
    assert "handover: 0," in text
    code, stderr = plan_mutant(text, folder)
    assert (code, stderr) == (0, "")

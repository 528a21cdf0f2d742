"""`jointtrack generate`: the synthetic DSN week as a scenario file the loader accepts."""

import subprocess
import sys
from pathlib import Path

import pytest

from scheduler.inputs import load_scenario, load_scenario_text
from scheduler.synthetic.scenario_file import scenario_text
from scheduler.synthetic.week import synthesize


def test_scenario_holds_the_synthetic_requests_stations_and_downtime() -> None:
    made = synthesize(0)
    scenario = load_scenario_text(scenario_text(0), "synthetic.yaml")
    assert [r.id for r in scenario.requests] == [r.id for r in made.requests]
    assert {s.id for s in scenario.stations} == set(made.problem.antennas)
    assert len(scenario.spec.downtime) == len(made.problem.downtime) == 4
    assert (scenario.end - scenario.start).days == 7
    arrays = [r for r in scenario.requests if r.array]
    splits = [r for r in scenario.requests if r.split]
    assert arrays and splits
    assert all(r.split.min_segment.total_seconds() == 7200 for r in splits)
    assert {r.per for r in scenario.requests} == {"day", "week"}


@pytest.mark.slow
def test_same_seed_writes_the_same_scenario() -> None:
    assert scenario_text(5, weeks=2) == scenario_text(5, weeks=2)
    assert scenario_text(5) != scenario_text(6)


@pytest.mark.slow
def test_generate_command_writes_a_loadable_file_and_reports_oversubscription(tmp_path: Path) -> None:
    out = tmp_path / "week.yaml"
    result = subprocess.run(
        [sys.executable, "-m", "scheduler", "generate", "--seed", "1", "--weeks", "2", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "1.31x oversubscribed" in result.stderr
    scenario = load_scenario(out)
    assert scenario.name == "synthetic-dsn-2w-seed1"
    assert (scenario.end - scenario.start).days == 14

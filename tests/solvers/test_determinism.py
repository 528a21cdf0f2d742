"""The same scenario and seed give a byte-identical schedule.csv."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SCENARIOS


def plan_csv(out: Path, seed: str) -> bytes:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "scheduler",
            "plan",
            str(SCENARIOS / "tiny-moon.yaml"),
            "--out",
            str(out),
            "--seed",
            seed,
            "--time-limit",
            "20",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return (out / "schedule.csv").read_bytes()


@pytest.mark.slow
def test_same_scenario_and_seed_give_byte_identical_schedule(tmp_path: Path) -> None:
    first = plan_csv(tmp_path / "one", "7")
    second = plan_csv(tmp_path / "two", "7")
    assert first == second
    assert first.count(b"\n") > 5

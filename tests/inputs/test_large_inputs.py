"""A scenario ten times the default finishes within memory; an absurd one fails with one clear line."""

import resource
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from scheduler.inputs.yaml_file import read_yaml
from tests.conftest import REPO


def ten_times_default(folder: Path) -> Path:
    """The default week with every request copied ten times (as ten more missions each)."""
    spec = read_yaml((REPO / "scenarios" / "default.yaml").read_text(encoding="utf-8"))
    spec["requests"] = [
        {**request, "id": f"{request['id']}-{copy}", "mission": f"{request['mission']}{copy}"}
        for copy in range(10)
        for request in spec["requests"]
    ]
    spec["name"] = "default-x10"
    path = folder / "x10.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.slow
def test_ten_times_the_default_finishes_within_two_gib(tmp_path: Path) -> None:
    scenario = ten_times_default(tmp_path)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "scheduler", "plan", str(scenario), "--out", str(out)]
    result = subprocess.run(
        [*command, "--time-limit", "20", "--workers", "2", "--quiet"], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert peak_kib < 2 * 1024 * 1024
    rows = (out / "schedule.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) > 100  # 130 requests on six antennas: well over a hundred tracks

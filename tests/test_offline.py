"""No network at run time: a full plan and its validation run with every socket refused."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SCENARIOS

NO_NETWORK = """
import socket, sys
class NoNetwork(RuntimeError):
    pass
def refuse(*args, **kwargs):
    raise NoNetwork("network access attempted at run time")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from scheduler.cli.app import main
sys.argv = ["jointtrack", *sys.argv[1:]]
main()
"""


def run_offline(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", NO_NETWORK, *args], capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_plan_and_validate_run_with_sockets_blocked(tmp_path: Path) -> None:
    scenario = str(SCENARIOS / "tiny-moon.yaml")
    planned = run_offline("plan", scenario, "--out", str(tmp_path), "--time-limit", "10", "--quiet")
    assert planned.returncode == 0, planned.stderr
    assert "network" not in planned.stderr.lower()
    checked = run_offline("validate", scenario, str(tmp_path / "schedule.csv"))
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.slow
def test_far_future_dates_plan_quietly_past_the_bundled_earth_orientation_tables(tmp_path: Path) -> None:
    text = (SCENARIOS / "tiny-moon.yaml").read_text().replace("2026-12-0", "2031-06-0")
    future = tmp_path / "future.yaml"
    future.write_text(text)
    planned = run_offline("plan", str(future), "--out", str(tmp_path / "out"), "--time-limit", "10", "--quiet")
    assert planned.returncode == 0, planned.stderr
    assert planned.stderr.strip() == ""  # no warning flood, no download attempt

"""Times and files as users give them (issue 28 §2, §5, §6): a horizon with a fraction of a second
plans what validates, a leap second ends a horizon, and files that are sparse giants, devices or
directories are one line naming what they are, read in bounded time and memory."""

from pathlib import Path

import pytest

from scheduler.check import validate_schedule
from scheduler.cli.app import app, run
from scheduler.inputs import load_scenario_text
from scheduler.solvers import SolverSettings
from scheduler.workflows.plan import run_plan
from tests.conftest import REPO

FRACTIONAL = """name: fractional
start: 2026-12-01T00:00:00.6Z
end: 2026-12-01T23:59:59.9Z
resolution: 1s
stations:
  - {id: TEST-A, kind: radio, lat_deg: 40.0, lon_deg: -4.0, height_m: 800, min_elevation_deg: 10, agency: TEST}
targets:
  - {id: pole, ra_deg: 0.0, dec_deg: 89.999}
requests:
  - {id: P, mission: M, agency: X, target: pole, priority: 1, duration: 59m59s,
     window: {start: 2026-12-01T23:00:00Z, end: 2026-12-01T23:59:59.9Z}}
"""
GREEDY = SolverSettings(time_limit_s=3, workers=1, seed=0, solver="greedy")


def test_a_horizon_with_fractions_of_a_second_plans_what_validates() -> None:
    """The track that must end at the horizon's end once ended 0.1 s after it ("outside horizon")."""
    scenario = load_scenario_text(FRACTIONAL)
    assert (scenario.start.isoformat(), scenario.end.isoformat()) == (
        "2026-12-01T00:00:01+00:00",
        "2026-12-01T23:59:59+00:00",
    )  # rounded inward to whole seconds
    plan = run_plan(scenario, GREEDY)
    assert len(plan.schedule) == 1
    assert validate_schedule(scenario, plan.schedule) == []


def test_a_leap_second_may_end_a_horizon() -> None:
    text = FRACTIONAL.replace("2026-12-01T00:00:00.6Z", "2016-12-31T00:00:00Z").replace(
        "end: 2026-12-01T23:59:59.9Z\n", "end: 2016-12-31T23:59:60Z\n"
    )
    text = text.split("requests:")[0] + "requests:\n  - {id: P, mission: M, target: pole, duration: 1h}\n"
    scenario = load_scenario_text(text)
    assert scenario.end.isoformat() == "2017-01-01T00:00:00+00:00"


def oem_scenario(tmp_path: Path, oem: str) -> Path:
    path = tmp_path / "probe.yaml"
    path.write_text(
        "name: probe\nstart: 2026-12-14T00:00:00Z\nend: 2026-12-15T00:00:00Z\nstations: [DSS-14]\n"
        f"targets:\n  - {{id: probe, oem: {oem}}}\n"
        "requests:\n  - {id: A, mission: M, target: probe, duration: 1h}\n"
    )
    return path


def one_line(arguments: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = run(lambda: app(arguments))
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    return code, lines[0]


def test_a_sparse_6_gb_oem_is_refused_by_its_size_unread(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with (tmp_path / "huge.oem").open("wb") as file:
        file.truncate(6 * 1024**3)
    arguments = ["plan", str(oem_scenario(tmp_path, "huge.oem")), "--out", str(tmp_path / "out"), "--quiet"]
    code, line = one_line(arguments, capsys)
    assert code == 2 and "huge.oem: 6,442 MB, more than the 500 MB allowed for a CCSDS OEM file" in line


@pytest.mark.parametrize(("oem", "said"), [("/dev/zero", "is a character device"), (".", "is a directory")])
def test_an_oem_that_is_no_file_is_named_for_what_it_is(
    oem: str, said: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not "no such file" (issue 28 §6)."""
    arguments = ["plan", str(oem_scenario(tmp_path, oem)), "--out", str(tmp_path / "out"), "--quiet"]
    code, line = one_line(arguments, capsys)
    assert code == 2 and "targets[0] (probe).oem: " in line and said in line and "no such file" not in line


def test_the_scenario_itself_as_a_device_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    code, line = one_line(["visibility", "/dev/zero"], capsys)
    assert (code, line) == (2, "error: /dev/zero: is a character device, not a scenario file; "
                               "fix: give the path of the scenario file")  # fmt: skip


def test_a_sparse_satnet_week_is_refused_by_its_size(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with (tmp_path / "week.json").open("wb") as file:
        file.truncate(6 * 1024**3)
    code, line = one_line(["satnet", "verify", str(tmp_path / "week.json"), str(REPO / "README.md")], capsys)
    assert code == 2 and "is larger than 50 MB" in line

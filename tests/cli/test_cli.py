"""The command line as a user meets it: files written, exit codes, one-line errors."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import SCENARIOS

PLAN_FILES = {"schedule.csv", "schedule.json", "view_periods.csv", "unsatisfied.csv", "summary.json", "gantt.html"}
PLAN_FILES |= {"schedule.ics", "schedule.xml", "ledger.csv"}  # exports and the cross-support ledger
PLAN_FILES |= {"coordination.csv"}  # same-band pairs for the agencies to discuss (empty without rfi:)
PLAN_FILES |= {".jointtrack-output"}  # our marker: the files this run wrote (docs/design.md: Outputs)
PLAN_FILES |= {"bound.json"}  # the relaxation's bound, curve and prices (the CP-SAT solver ran it)


def jointtrack(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "scheduler", *args], capture_output=True, text=True, cwd=cwd, timeout=600
    )


@pytest.fixture(scope="module")
def default_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("default-plan")
    result = jointtrack("plan", "--out", str(out), "--time-limit", "10", "--quiet")
    assert result.returncode == 0, result.stderr
    return out


@pytest.mark.slow
def test_default_plan_writes_every_file(default_plan: Path) -> None:
    assert {p.name for p in default_plan.iterdir()} == PLAN_FILES
    summary = json.loads((default_plan / "summary.json").read_text())
    assert summary["scenario"] == "default"
    assert summary["bound_file"] == "bound.json" and summary["seeded_by"] in ("greedy", "restricted master")
    assert summary["tracks"] > 50
    assert 0.0 < summary["U_max"] < 1.0  # oversubscribed, yet every mission gets time
    schedule = pd.read_csv(default_plan / "schedule.csv")
    assert list(schedule.columns) == [
        "track_id",
        "request_id",
        "mission",
        "agency",
        "target",
        "station",
        "setup_start",
        "start",
        "end",
        "teardown_end",
        "group",
        "bits",
        "band",
    ]
    assert schedule.bits.isna().all()  # no request of the default week names a downlink
    assert schedule.start.str.endswith("Z").all()
    assert len(schedule) == summary["tracks"]


@pytest.mark.slow
def test_default_plan_validates_clean(default_plan: Path) -> None:
    result = jointtrack("validate", "default", str(default_plan / "schedule.csv"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 violations" in result.stdout


@pytest.mark.slow
def test_validate_reports_an_overlap_with_exit_1(default_plan: Path, tmp_path: Path) -> None:
    schedule = pd.read_csv(default_plan / "schedule.csv", dtype=str, keep_default_na=False)
    first = schedule.iloc[0]
    clash = schedule[(schedule.station != first.station)].iloc[0].copy()
    clash["station"] = first.station
    clash["track_id"] = "T9999"  # its own id: a repeated track_id is refused as input (exit 2)
    for column in ("setup_start", "start", "end", "teardown_end"):
        clash[column] = first[column]
    broken = pd.concat([schedule, clash.to_frame().T], ignore_index=True)
    path = tmp_path / "broken.csv"
    broken.to_csv(path, index=False)
    result = jointtrack("validate", "default", str(path))
    assert result.returncode == 1
    assert "overlap" in result.stdout


@pytest.mark.slow
def test_bad_scenario_gives_one_line_exit_2_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    text = (SCENARIOS / "tiny-moon.yaml").read_text().replace("duration: 3h", "duration: -3h")
    bad.write_text(text)
    out = tmp_path / "out"
    result = jointtrack("plan", str(bad), "--out", str(out))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "bad.yaml" in lines[0] and "requests[0] (LUNAR).duration" in lines[0] and "fix:" in lines[0]
    assert "Traceback" not in result.stderr
    assert not out.exists()


@pytest.mark.slow
def test_visibility_command_prints_design_columns() -> None:
    result = jointtrack("visibility", str(SCENARIOS / "pole-one-antenna.yaml"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "station,target,start,end,max_elevation_deg",
        result.stdout.splitlines()[1],
    ]
    assert result.stdout.splitlines()[1].startswith("TEST-1,pole,2026-12-01T00:00:00Z,2026-12-01T12:00:00Z,")


@pytest.mark.slow
def test_schema_is_json_schema_with_request_keys() -> None:
    result = jointtrack("schema")
    schema = json.loads(result.stdout)
    request = schema["$defs"]["RequestSpec"]["properties"]
    assert {
        "id",
        "mission",
        "agency",
        "target",
        "priority",
        "duration",
        "min_duration",
        "max_duration",
        "tracks",
        "per",
        "stations",
        "setup",
        "teardown",
    } <= set(request)


@pytest.mark.slow
def test_output_path_that_is_a_file_is_a_usage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "plan-out"
    blocker.write_text("not a directory")
    result = jointtrack("plan", str(SCENARIOS / "pole-one-antenna.yaml"), "--out", str(blocker))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "not a directory" in result.stderr
    assert blocker.read_text() == "not a directory"

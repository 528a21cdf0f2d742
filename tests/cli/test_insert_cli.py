"""`jointtrack insert` as a user meets it: the files it writes, one line and exit 3 for a
late-add that would displace anyone, one line and exit 2 for a bad request file or --now."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

HERE = Path(__file__).resolve().parent.parent / "scenarios" / "insert"
SCENARIO, SCHEDULE = str(HERE / "two-full.yaml"), str(HERE / "two-full.schedule.csv")


def jointtrack(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scheduler", *args], capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_emergency_writes_the_plan_displaced_and_the_scenario(tmp_path: Path) -> None:
    out = tmp_path / "out"
    ran = jointtrack(
        "insert",
        SCENARIO,
        SCHEDULE,
        "--request",
        str(HERE / "emergency.yaml"),
        "--tier",
        "emergency",
        "--now",
        "2026-12-01T01:00:00Z",
        "--out",
        str(out),
        "--time-limit",
        "5",
        "--workers",
        "1",
        "--quiet",
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith("EM (emergency) on TEST-B 2026-12-01T02:00:00Z..2026-12-01T04:00:00Z, decided in ")
    assert {"schedule.csv", "displaced.csv", "diff.csv", "scenario.yaml", "summary.json"} <= {
        p.name for p in out.iterdir()
    }
    displaced = pd.read_csv(out / "displaced.csv")
    assert displaced[["track", "request_id", "change", "lost_seconds"]].values.tolist() == [
        ["T0004", "LO", "shortened", 7200]
    ]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["now"] == "2026-12-01T01:00:00Z"
    assert summary["decision_s"] > 0 and summary["insertion"]["tier"] == "emergency"
    valid = jointtrack("validate", str(out / "scenario.yaml"), str(out / "schedule.csv"))
    assert valid.returncode == 0, valid.stdout + valid.stderr


@pytest.mark.slow
def test_late_add_that_would_displace_exits_3_naming_the_blocker(tmp_path: Path) -> None:
    ran = jointtrack(
        "insert",
        SCENARIO,
        SCHEDULE,
        "--request",
        str(HERE / "late-add-blocked.yaml"),
        "--tier",
        "late-add",
        "--now",
        "2026-12-01T01:00:00Z",
        "--out",
        str(tmp_path / "out"),
    )
    assert ran.returncode == 3
    assert ran.stderr.splitlines() == [
        "infeasible: late-add LATE would displace other tracks wherever it goes; at least T0004 (LO, JAXA)"
    ]
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_bad_inputs_are_one_line_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("request: {id: EM, mission: OMEGA, target: pole, duration: 2h, tracks: 3}\n")
    cases = {
        (
            "--request",
            str(bad),
            "--tier",
            "emergency",
            "--now",
            "2026-12-01T01:00:00Z",
        ): f"error: {bad}: request.tracks: asks for 3 tracks",
        ("--request", str(HERE / "emergency.yaml"), "--tier", "urgent"): "error: --tier: unknown tier 'urgent'",
        ("--request", str(HERE / "emergency.yaml"), "--tier", "emergency", "--now", "noon"): "error: --now: 'noon'",
    }
    for args, start in cases.items():
        ran = jointtrack("insert", SCENARIO, SCHEDULE, *args, "--out", str(tmp_path / "out"))
        assert ran.returncode == 2, ran.stderr
        assert len(ran.stderr.splitlines()) == 1 and ran.stderr.startswith(start), ran.stderr

"""`jointtrack feedback` as a user meets it: the plan, diff.csv and execution.csv written; a bad
outcomes file one line and exit 2, nothing written; `validate --now` judges the plan around history."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

HERE = Path(__file__).resolve().parent.parent / "scenarios" / "feedback"
SCENARIO, SCHEDULE = str(HERE / "chain.yaml"), str(HERE / "chain.schedule.csv")
NOW = "2026-12-01T09:00:00Z"
HEADER = "track_id,state,actual_start,actual_end,cause\n"


def jointtrack(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scheduler", *args], capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_feedback_writes_the_plan_diff_and_execution(tmp_path: Path) -> None:
    outcomes = tmp_path / "outcomes.csv"
    outcomes.write_text(HEADER + "T0001,partial,2026-12-01T00:00:00Z,2026-12-01T01:48:00Z,\nT0002,failed,,,station\n")
    out = tmp_path / "out"
    ran = jointtrack(
        "feedback",
        SCENARIO,
        SCHEDULE,
        "--outcomes",
        str(outcomes),
        "--now",
        NOW,
        "--out",
        str(out),
        "--time-limit",
        "5",
        "--workers",
        "1",
        "--quiet",
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.startswith("2 tracks begun by --now: 1 done, 1 re-opened (1 failures); 1.8 h delivered")
    schedule = pd.read_csv(out / "schedule.csv")
    assert list(zip(schedule.start, schedule.end, strict=True)) == [
        ("2026-12-01T00:00:00Z", "2026-12-01T01:48:00Z"),
        ("2026-12-01T12:00:00Z", "2026-12-01T14:00:00Z"),
        ("2026-12-01T18:00:00Z", "2026-12-01T20:00:00Z"),
    ]
    execution = pd.read_csv(out / "execution.csv")
    assert execution[["scope", "id", "done", "failures", "success_rate"]].values.tolist() == [
        ["request", "CHAIN", 1, 1, 0.5],
        ["station", "TEST-A", 1, 1, 0.5],
    ]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["now"] == NOW and summary["feedback"]["reopened"] == 1
    assert jointtrack("validate", SCENARIO, str(out / "schedule.csv")).returncode == 1  # T0001 ran short
    judged = jointtrack("validate", SCENARIO, str(out / "schedule.csv"), "--now", NOW)
    assert judged.returncode == 0, judged.stdout


@pytest.mark.slow
def test_bad_outcomes_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    cases = {
        HEADER + "T0042,failed,,,station\n": "row 2 track_id: unknown track 'T0042'",
        HEADER + "T0001,completed,,,\n": "row 2: a completed track without actual times",
        "track_id,state\nT0001,failed\n": "header: missing columns actual_start, actual_end, cause",
    }
    for text, problem in cases.items():
        outcomes = tmp_path / "outcomes.csv"
        outcomes.write_text(text)
        ran = jointtrack(
            "feedback", SCENARIO, SCHEDULE, "--outcomes", str(outcomes), "--now", NOW, "--out", str(tmp_path / "out")
        )
        assert ran.returncode == 2, ran.stderr
        assert ran.stderr.splitlines() == [ran.stderr.strip()]
        assert ran.stderr.startswith(f"error: {outcomes}: {problem}"), ran.stderr
        assert not (tmp_path / "out").exists()

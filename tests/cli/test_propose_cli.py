"""`jointtrack propose`: writes the plan, diff.csv and parties.csv with their contract's columns;
bad inputs (a baseline row of an unknown request, bad negotiation keys, a bad --now, a request
changed under a frozen track) are one line and exit 2, nothing written."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from scheduler.cli.app import app, run
from tests.support.proposals import baseline_frame, scenario_text, write_case

REQUESTS = """  - {id: P, mission: P, agency: ESA, target: pole, priority: 1, duration: 3h}
  - {id: R, mission: R, agency: JAXA, target: pole, priority: 9, duration: 3h, stations: [TEST-A]}
  - {id: U, mission: U, agency: KARI, target: pole, priority: 1, duration: 8h, stations: [TEST-A]}
"""
BASELINE = [("R", "JAXA", "pole", "TEST-A", "00:30", "03:30"), ("P", "ESA", "pole", "TEST-A", "04:15", "07:15")]
PARTY_COLUMNS = "agency,must_consent,response,reason,hours_before,hours_after,moved,shortened,dropped,new_pairs"
DIFF_COLUMNS = "change,request_id,demand_id,old_stations,old_start,old_end,new_stations,new_start,new_end,reason"


@pytest.mark.slow
def test_propose_writes_plan_diff_and_parties(tmp_path: Path) -> None:
    scenario, baseline = write_case(tmp_path / "case", scenario_text(REQUESTS), baseline_frame(BASELINE))
    out = tmp_path / "out"
    command = [sys.executable, "-m", "scheduler", "propose", str(scenario), str(baseline), "--out", str(out)]
    done = subprocess.run(
        [*command, "--now", "2026-11-20T00:00:00Z", "--time-limit", "5", "--quiet"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "parties — 2 must consent by 2026-11-23T00:00:00Z, 1 told" in done.stdout
    parties = (out / "parties.csv").read_text().splitlines()
    assert parties == [
        PARTY_COLUMNS,
        "ESA,True,pending,,3.0,3.0,1,0,0,0",
        "JAXA,True,pending,,3.0,0.0,0,0,1,0",
        "KARI,False,pending,,0.0,8.0,0,0,0,0",
    ]
    assert (out / "diff.csv").read_text().splitlines()[0] == DIFF_COLUMNS
    assert json.loads((out / "summary.json").read_text())["proposal"]["must_consent"] == ["ESA", "JAXA"]
    assert 'status="PROVISIONAL"' in (out / "schedule.xml").read_text()


def propose_line(arguments: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = run(lambda: app(["propose", *arguments, "--time-limit", "5", "--quiet"]))
    captured = capsys.readouterr()
    return code, captured.err


def test_a_baseline_row_of_an_unknown_request_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [*BASELINE, ("GONE", "NASA", "pole", "TEST-B", "01:00", "02:00")]
    scenario, baseline = write_case(tmp_path / "case", scenario_text(REQUESTS), baseline_frame(rows))
    code, err = propose_line([str(scenario), str(baseline), "--out", str(tmp_path / "out")], capsys)
    assert code == 2 and err.count("\n") == 1
    assert f"error: {baseline}: row 4 request_id: request 'GONE' is not in the scenario; fix: " in err
    assert "--withdrawn ID" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("negotiation", "expected"),
    [
        ("{silence: maybe}", "negotiation.silence: Input should be 'reject' or 'concur' (got 'maybe')"),
        ("{freeze_before: -1d}", "negotiation.freeze_before: must not be negative (got '-1d'); fix: give 0 or more"),
        ("{respond_within: 400d}", "negotiation.respond_within: must be at most 366 days"),
        ("{freeze: 8d}", "negotiation.freeze: Extra inputs are not permitted"),
    ],
)
def test_bad_negotiation_keys_are_one_line(
    negotiation: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = scenario_text(REQUESTS, f"negotiation: {negotiation}\n")
    scenario, baseline = write_case(tmp_path / "case", text, baseline_frame(BASELINE))
    code, err = propose_line([str(scenario), str(baseline), "--out", str(tmp_path / "out")], capsys)
    assert code == 2 and err.count("\n") == 1
    assert expected in err
    assert not (tmp_path / "out").exists()


def test_a_bad_now_and_a_change_under_a_frozen_track_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    changed = REQUESTS.replace("priority: 9, duration: 3h", "priority: 9, duration: 2h")
    scenario, baseline = write_case(tmp_path / "case", scenario_text(changed), baseline_frame(BASELINE))
    common = [str(scenario), str(baseline), "--out", str(tmp_path / "out")]
    code, err = propose_line([*common, "--now", "soon"], capsys)
    assert (code, err) == (
        2,
        "error: now (--now): 'soon' is not a time; fix: write a UTC time like 2026-12-01T06:30:00Z\n",
    )
    code, err = propose_line([*common, "--now", "2026-11-25T00:00:00Z"], capsys)
    assert code == 2 and err.count("\n") == 1
    assert "frozen track of R on TEST-A at 2026-12-01T00:30:00Z: no longer fits its request" in err
    assert not (tmp_path / "out").exists()


def test_an_unknown_export_status_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, baseline = write_case(tmp_path / "case", scenario_text(REQUESTS), baseline_frame(BASELINE))
    code = run(lambda: app(["export", str(baseline), "--format", "xml", "--status", "final"]))
    assert (code, capsys.readouterr().err) == (
        2,
        "error: --status: unknown status 'final'; fix: use --status provisional or operational\n",
    )

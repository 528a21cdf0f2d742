"""Repair's messages name the right file (issue 28 §6): an outage that leaves a request no antenna
for the whole horizon is the event's doing — the repair goes on and the request is unsatisfied,
blocked by downtime, instead of an error blaming the scenario; a new target's OEM lies beside the
event file and a bad one is named in the event."""

import shutil
from pathlib import Path

import pytest

from scheduler.cli.app import app, run
from tests.conftest import REPO, SCENARIOS

TINY = SCENARIOS / "pole-one-antenna.yaml"


@pytest.fixture
def planned(tmp_path: Path) -> Path:
    out = tmp_path / "plan"
    assert run(lambda: app(["plan", str(TINY), "--out", str(out), "--quiet", "--time-limit", "3"])) == 0
    return out / "schedule.csv"


def repair(tmp_path: Path, schedule: Path, event: str, scenario: Path = TINY) -> int:
    (tmp_path / "event.yaml").write_text(event)
    arguments = ["repair", str(scenario), str(schedule), "--event", str(tmp_path / "event.yaml")]
    return run(lambda: app([*arguments, "--out", str(tmp_path / "repaired"), "--quiet", "--time-limit", "3"]))


def test_an_outage_over_the_whole_horizon_leaves_requests_unsatisfied_not_an_error(
    tmp_path: Path, planned: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    whole = "outages:\n  - {station: TEST-1, start: 2026-11-30T00:00:00Z, end: 2026-12-02T00:00:00Z, reason: fire}\n"
    assert repair(tmp_path, planned, whole) == 0, capsys.readouterr().err
    unsatisfied = (tmp_path / "repaired" / "unsatisfied.csv").read_text()
    assert unsatisfied.count("blocked by downtime") == 3  # A, B and C: the one antenna is gone
    assert (tmp_path / "repaired" / "schedule.csv").read_text().count("\n") == 1  # header only
    assert "dropped" in (tmp_path / "repaired" / "diff.csv").read_text()


def test_a_bad_oem_of_a_new_target_is_named_in_the_event(
    tmp_path: Path, planned: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "probe.oem").write_text("not an OEM\n")
    event = (
        "requests:\n  - {id: NEW, mission: P, agency: X, target: PROBE, duration: 1h}\n"
        "targets:\n  - {id: PROBE, oem: probe.oem}\n"
    )
    assert repair(tmp_path, planned, event) == 2
    line = capsys.readouterr().err.strip()
    assert line.startswith(f"error: {tmp_path / 'event.yaml'}: targets[0] (PROBE).oem: ")
    assert "not a readable CCSDS OEM" in line and str(TINY) not in line


def test_a_new_targets_oem_is_read_beside_the_event_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The scenario lies elsewhere; the event names `lunar.oem`, which lies beside the event."""
    shutil.copy(REPO / "scenarios" / "lunar-transfer.oem", tmp_path / "lunar.oem")
    week = tmp_path / "elsewhere" / "week.yaml"
    week.parent.mkdir()
    week.write_text(
        "name: week\nstart: 2026-12-15T00:00:00Z\nend: 2026-12-16T00:00:00Z\nstations: [DSS-14, DSS-43, DSS-63]\n"
        "targets:\n  - {id: moon, body: moon}\n"
        "requests:\n  - {id: LUNAR, mission: LRO, agency: NASA, target: moon, duration: 2h}\n"
    )
    out = tmp_path / "plan"
    assert run(lambda: app(["plan", str(week), "--out", str(out), "--quiet", "--solver", "greedy"])) == 0
    event = (
        "requests:\n  - {id: NEW, mission: P, agency: X, target: PROBE, duration: 1h}\n"
        "targets:\n  - {id: PROBE, oem: lunar.oem}\n"
    )
    assert repair(tmp_path, out / "schedule.csv", event, week) == 0, capsys.readouterr().err
    assert "NEW" in (tmp_path / "repaired" / "schedule.csv").read_text()

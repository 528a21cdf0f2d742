"""Repair: unaffected tracks stay exactly, tracks on an outage move, withdrawn and urgent
requests leave and join, bad event files are one-line errors."""

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from scheduler.check import validate_schedule
from scheduler.errors import InputError
from scheduler.inputs import load_scenario
from scheduler.inputs.events import EventSpec, apply_event, load_event
from scheduler.outputs.schedule_table import read_schedule_csv, schedule_csv
from scheduler.solvers import SolverSettings
from scheduler.workflows.plan import run_plan
from scheduler.workflows.repair import RepairResult, previous_tracks, repair
from tests.conftest import POLE_STATIONS_AND_TARGET

# Two antennas that always see a target at the celestial pole; three 3 h requests fit easily
# (each track occupies 3 h 45 min with setup and teardown) in the 12 h horizon.
TWO_POLES = (
    """
name: two-poles
start: 2026-12-01T00:00:00Z
end: 2026-12-01T12:00:00Z
"""
    + POLE_STATIONS_AND_TARGET.lstrip("\n")
    + """requests:
  - {id: P, mission: ALPHA, agency: ESA, target: pole, priority: 1, duration: 3h}
  - {id: Q, mission: BETA, agency: NASA, target: pole, priority: 2, duration: 3h}
  - {id: R, mission: GAMMA, agency: JAXA, target: pole, priority: 9, duration: 3h, stations: [TEST-A]}
"""
)
SETTINGS = SolverSettings(time_limit_s=5, workers=1, seed=0)
PLACE = ["request_id", "station", "setup_start", "start", "end", "teardown_end"]


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("repair")
    (folder / "two-poles.yaml").write_text(TWO_POLES)
    plan = run_plan(load_scenario(folder / "two-poles.yaml"), SETTINGS)
    assert sorted(plan.schedule.request_id) == ["P", "Q", "R"]
    (folder / "schedule.csv").write_text(schedule_csv(plan.schedule))
    return folder / "two-poles.yaml", folder / "schedule.csv"


def run_repair(planned: tuple[Path, Path], event: dict, freeze: bool = False) -> tuple[pd.DataFrame, RepairResult]:
    scenario_file, schedule_file = planned
    scenario, schedule = load_scenario(scenario_file), read_schedule_csv(str(schedule_file))
    return schedule, repair(scenario, schedule, EventSpec.model_validate(event), SETTINGS, freeze=freeze)


def places(frame: pd.DataFrame, requests: list[str]) -> list[tuple]:
    rows = frame[frame.request_id.isin(requests)].sort_values("request_id")
    return [tuple(r) for r in rows[PLACE].itertuples(index=False)]


def test_old_rows_become_tracks_of_their_demands(planned: tuple[Path, Path]) -> None:
    scenario_file, schedule_file = planned
    tracks = previous_tracks(load_scenario(scenario_file), read_schedule_csv(str(schedule_file)), "s.csv")
    assert sorted(t.demand_id for t in tracks) == ["P", "Q", "R"]
    assert {(t.duration, t.setup, t.teardown) for t in tracks} == {(3 * 3600, 1800, 900)}


def test_outage_moves_the_track_it_hits_and_keeps_the_others_exactly(planned: tuple[Path, Path]) -> None:
    before = read_schedule_csv(str(planned[1]))
    hit = before[before.request_id == "Q"].iloc[0]
    outage = {"station": hit.station, "start": hit.setup_start.isoformat(), "end": hit.teardown_end.isoformat()}
    _, result = run_repair(planned, {"outages": [outage]})
    after = result.plan.schedule
    assert places(after, ["P", "R"]) == places(before, ["P", "R"])
    moved = after[after.request_id == "Q"].iloc[0]
    assert (moved.end - moved.start) == pd.Timedelta(hours=3)
    clear = moved.station != hit.station or moved.teardown_end <= hit.setup_start or moved.setup_start >= hit.end
    assert clear, "the moved track still meets the outage"
    assert dict(zip(result.diff.request_id, result.diff.change, strict=True)) == {
        "Q": "moved",
        "P": "kept",
        "R": "kept",
    }
    assert validate_schedule(result.plan.scenario, after) == []


def test_withdrawn_request_leaves_and_urgent_request_joins(planned: tuple[Path, Path]) -> None:
    urgent = {"id": "U", "mission": "DELTA", "agency": "ESA", "target": "pole", "priority": 1, "duration": "2h"}
    before, result = run_repair(planned, {"withdrawn": ["Q"], "requests": [urgent]})
    after = result.plan.schedule
    assert "Q" not in set(after.request_id)
    assert places(after, ["P", "R"]) == places(before, ["P", "R"])
    added = after[after.request_id == "U"]
    assert len(added) == 1 and added.end.iloc[0] - added.start.iloc[0] == pd.Timedelta(hours=2)
    changes = dict(zip(result.diff.request_id, zip(result.diff.change, result.diff.reason, strict=True), strict=True))
    assert changes["Q"] == ("dropped", "request withdrawn")
    assert changes["U"] == ("added", "new request")
    assert validate_schedule(result.plan.scenario, after) == []


def test_urgent_request_displaces_the_cheapest_track_unless_frozen(planned: tuple[Path, Path]) -> None:
    # U needs 8 h 45 min of TEST-A, where R (3 h 45 min, TEST-A only) leaves at most 8 h 15 min:
    # U fits only if R goes, and dropping R (priority 9) costs less than U (priority 1) brings.
    urgent = {"id": "U", "mission": "DELTA", "agency": "ESA", "target": "pole", "priority": 1, "duration": "8h"}
    urgent["stations"] = ["TEST-A"]
    before, soft = run_repair(planned, {"requests": [urgent]})
    changes = dict(zip(soft.diff.request_id, soft.diff.change, strict=True))
    assert (changes["U"], changes["R"]) == ("added", "dropped")
    assert sorted(soft.plan.schedule.request_id) == ["P", "Q", "U"]
    assert validate_schedule(soft.plan.scenario, soft.plan.schedule) == []
    _, frozen = run_repair(planned, {"requests": [urgent]}, freeze=True)
    assert places(frozen.plan.schedule, ["P", "Q", "R"]) == places(before, ["P", "Q", "R"])
    assert frozen.plan.unsatisfied.request_id.tolist() == ["U"]


def test_event_file_with_an_unknown_key_is_rejected_naming_it(tmp_path: Path) -> None:
    (tmp_path / "event.yaml").write_text("outages: []\nwithdrawn: [Q]\nsnow: heavy\n")
    with pytest.raises(InputError, match="snow: Extra inputs are not permitted"):
        load_event(tmp_path / "event.yaml")


def test_new_request_that_misses_the_horizon_is_reported_at_its_place_in_the_event(
    planned: tuple[Path, Path],
) -> None:
    late = {"id": "LATE", "mission": "X", "target": "pole", "duration": "2h"}
    late["window"] = {"start": "2027-01-01T00:00:00Z", "end": "2027-01-02T00:00:00Z"}
    event = EventSpec.model_validate({"requests": [late]})
    with pytest.raises(InputError) as caught:
        apply_event(load_scenario(planned[0]), event, "event.yaml")
    assert str(caught.value) == (
        "event.yaml: requests[0] (LATE).window: lies outside the planning horizon; "
        "fix: move the window inside start..end"
    )


@pytest.mark.slow
def test_repair_cli_writes_diff_and_reports_a_bad_event_in_one_line(planned: tuple[Path, Path], tmp_path: Path) -> None:
    scenario_file, schedule_file = planned
    command = [sys.executable, "-m", "scheduler", "repair", str(scenario_file), str(schedule_file)]
    (tmp_path / "bad.yaml").write_text(
        "outages:\n  - {station: NOPE, start: 2026-12-01T04:00:00Z, end: 2026-12-01T05:00:00Z}\n"
    )
    bad = subprocess.run([*command, "--event", str(tmp_path / "bad.yaml")], capture_output=True, text=True, timeout=300)
    assert bad.returncode == 2
    assert bad.stderr.strip().count("\n") == 0
    assert "outages[0].station: 'NOPE' matches none of the scenario's stations" in bad.stderr
    (tmp_path / "event.yaml").write_text("withdrawn: [R]\n")
    out = tmp_path / "out"
    good = subprocess.run(
        [*command, "--event", str(tmp_path / "event.yaml"), "--out", str(out), "--time-limit", "5", "--quiet"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert good.returncode == 0, good.stderr
    diff = pd.read_csv(out / "diff.csv")
    assert sorted(zip(diff.request_id, diff.change, strict=True)) == [("P", "kept"), ("Q", "kept"), ("R", "dropped")]
    assert sorted(pd.read_csv(out / "schedule.csv").request_id) == ["P", "Q"]
    assert "1 dropped" in good.stdout

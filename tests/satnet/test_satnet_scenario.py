"""A SatNet week as an ordinary scenario with external view periods, and the `view_periods:` key."""

from itertools import pairwise
from pathlib import Path

import pandas as pd
import pytest

from scheduler.errors import InputError
from scheduler.inputs import load_scenario
from scheduler.satnet.scenario import scenario_files
from scheduler.satnet.week import read_week
from scheduler.solvers import SolverSettings
from scheduler.workflows.plan import run_plan

DATA = Path(__file__).parent.parent / "data" / "satnet"
T0, H = 1699999200, 3600


def write(files: dict[Path, str]) -> None:
    for path, text in files.items():
        path.write_text(text)


@pytest.fixture(scope="module")
def tiny_scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scenario") / "tiny.yaml"
    write(scenario_files(read_week(DATA / "tiny_week.json", DATA / "tiny_maintenance.csv"), path))
    return path


def test_to_scenario_keeps_requests_view_periods_and_maintenance(tiny_scenario: Path) -> None:
    scenario = load_scenario(tiny_scenario)
    assert [r.id for r in scenario.requests] == ["A", "B", "C"]
    b = scenario.requests[1]
    assert b.split is not None and b.split.min_segment.total_seconds() == 4 * H
    assert scenario.request_stations["A"] == ("DSS-14",)
    given = scenario.view_periods
    assert given is not None
    array = given[given.station == "DSS-34+DSS-35"]
    assert len(array) == 1 and array.iloc[0].start == pd.Timestamp(T0 + 2 * H, unit="s", tz="UTC")
    # DSS-35 at 7-7.5 h is kept; DSS-14 at 20-22 h lies after the last teardown (horizon ends at 19 h)
    assert [(d.station, d.start.hour) for d in scenario.spec.downtime] == [("DSS-35", 5)]


def test_plan_of_the_scenario_tracks_inside_the_given_view_periods(tiny_scenario: Path) -> None:
    result = run_plan(load_scenario(tiny_scenario), SolverSettings(time_limit_s=4, workers=1, seed=0))
    assert result.view_periods.equals(load_scenario(tiny_scenario).view_periods)
    rows = result.schedule
    assert set(rows.request_id) == {"A", "B", "C"}
    c = rows[rows.request_id == "C"].iloc[0]  # 3 h inside DSS-34 10-14 h or DSS-43 12-16 h
    assert c.end - c.start == pd.Timedelta(hours=3)
    assert result.summary["scheduled_hours"] == 15.0


def test_plan_of_the_scenario_tracks_one_spacecraft_with_one_antenna_at_a_time(tiny_scenario: Path) -> None:
    rows = run_plan(load_scenario(tiny_scenario), SolverSettings(time_limit_s=4, workers=1, seed=0)).schedule
    spacecraft = rows[rows.request_id.isin(["B", "C"])].sort_values("start")  # subject 2's requests
    assert set(spacecraft.mission) == {"sc-2"} and len(spacecraft) == 3  # B split in two, C
    assert all(later.start >= earlier.end for earlier, later in pairwise(spacecraft.itertuples()))


def scenario_with(tmp_path: Path, csv: str) -> Path:
    (tmp_path / "vp.csv").write_text(csv)
    path = tmp_path / "s.yaml"
    path.write_text(
        "name: given\nstart: 2026-12-01T00:00:00Z\nend: 2026-12-02T00:00:00Z\nstations: [DSS-14, DSS-43]\n"
        "view_periods: vp.csv\ntargets: [{id: X, ra_deg: 10, dec_deg: 0}]\n"
        "requests: [{id: r, mission: m, target: X, duration: 1h}]\n"
    )
    return path


HEADER = "station,target,start,end,max_elevation_deg\n"


def test_view_periods_key_replaces_computed_ones_and_clips_to_horizon(tmp_path: Path) -> None:
    csv = (
        HEADER
        + "DSS-14,X,2026-11-30T20:00:00Z,2026-12-01T05:00:00Z,40\n"
        + "DSS-14+DSS-43,X,2026-12-01T10:00:00Z,2026-12-01T12:00:00Z,\n"
    )
    scenario = load_scenario(scenario_with(tmp_path, csv))
    given = scenario.view_periods
    assert list(given.station) == ["DSS-14", "DSS-14+DSS-43"]
    assert given.start.iloc[0] == pd.Timestamp("2026-12-01T00:00:00Z")  # clipped to the horizon
    assert given.max_elevation_deg.iloc[0] == 40.0 and pd.isna(given.max_elevation_deg.iloc[1])


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("DSS-99,X,2026-12-01T01:00:00Z,2026-12-01T02:00:00Z,", "'DSS-99' is not a scenario station"),
        ("DSS-14+DSS-99,X,2026-12-01T01:00:00Z,2026-12-01T02:00:00Z,", "'DSS-99' is not a scenario station"),
        ("DSS-14+DSS-14,X,2026-12-01T01:00:00Z,2026-12-01T02:00:00Z,", "names an antenna twice"),
        ("DSS-14,Y,2026-12-01T01:00:00Z,2026-12-01T02:00:00Z,", "unknown target 'Y'"),
        ("DSS-14,X,yesterday,2026-12-01T02:00:00Z,", "start is not an ISO-8601"),
        ("DSS-14,X,2026-12-01T03:00:00Z,2026-12-01T02:00:00Z,", "end is not after start"),
        ("DSS-14,X,2026-12-01T01:00:00Z,2026-12-01T02:00:00Z,high", "max_elevation_deg must be a number"),
    ],
)
def test_bad_view_period_rows_are_one_input_error(tmp_path: Path, row: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as caught:
        load_scenario(scenario_with(tmp_path, HEADER + row + "\n"))
    assert caught.value.field.startswith("view_periods")


def test_missing_view_period_file_or_column_is_an_input_error(tmp_path: Path) -> None:
    path = scenario_with(tmp_path, "station,target,start\n")
    with pytest.raises(InputError, match="lacks column 'end'"):
        load_scenario(path)
    (tmp_path / "vp.csv").unlink()
    with pytest.raises(InputError, match="no such file"):
        load_scenario(path)

"""A request's stations may list arrays (`DSS-34+DSS-35`): one antenna or one of these arrays,
exactly as a SatNet request lists its resources; `satnet to-scenario` keeps every resource."""

from pathlib import Path

import pandas as pd
import pytest

from scheduler.check import validate_schedule
from scheduler.errors import InputError
from scheduler.inputs import load_scenario
from scheduler.problem.build import build_problem
from scheduler.satnet.convert import to_problem
from scheduler.satnet.scenario import scenario_files
from scheduler.satnet.week import read_week
from scheduler.solvers import SolverSettings
from scheduler.workflows.plan import run_plan

DATA = Path(__file__).parent.parent / "data" / "satnet"
HEADER = "station,target,start,end,max_elevation_deg\n"
FAST = SolverSettings(time_limit_s=4, workers=1, seed=0)


def scenario_with(tmp_path: Path, stations: str, csv: str, extra: str = "") -> Path:
    (tmp_path / "vp.csv").write_text(HEADER + csv)
    path = tmp_path / "s.yaml"
    path.write_text(
        "name: listed\nstart: 2026-12-01T00:00:00Z\nend: 2026-12-02T00:00:00Z\n"
        "stations: [DSS-14, DSS-24, DSS-34, DSS-35, DSS-36]\nview_periods: vp.csv\n"
        "targets: [{id: X, ra_deg: 10, dec_deg: 0}]\n"
        "requests: [{id: r, mission: m, target: X, min_duration: 1h, max_duration: 6h, "
        f"stations: {stations}{extra}}}]\n"
    )
    return path


def test_a_listed_array_tracks_with_its_own_view_periods(tmp_path: Path) -> None:
    csv = (
        "DSS-14,X,2026-12-01T01:00:00Z,2026-12-01T03:00:00Z,\n"
        "DSS-24+DSS-34,X,2026-12-01T04:00:00Z,2026-12-01T12:00:00Z,\n"
    )
    scenario = load_scenario(scenario_with(tmp_path, '[DSS-14, "DSS-34+DSS-24"]', csv))
    assert scenario.request_stations["r"] == ("DSS-14",) and scenario.request_arrays["r"] == (("DSS-24", "DSS-34"),)
    problem = build_problem(scenario, scenario.view_periods)
    assert {o.antennas for o in problem.demands[0].opportunities} == {("DSS-14",), ("DSS-24", "DSS-34")}
    result = run_plan(scenario, FAST)
    rows = result.schedule
    assert sorted(rows.station) == ["DSS-24", "DSS-34"]  # 6 h on the cross-complex array beat 2 h alone
    assert rows.group.nunique() == 1 and (rows.end - rows.start).iloc[0] == pd.Timedelta(hours=6)


def test_an_array_without_its_own_rows_uses_its_members_common_view_periods(tmp_path: Path) -> None:
    csv = "DSS-34,X,2026-12-01T01:00:00Z,2026-12-01T09:00:00Z,\nDSS-35,X,2026-12-01T05:00:00Z,2026-12-01T12:00:00Z,\n"
    scenario = load_scenario(scenario_with(tmp_path, '["DSS-34+DSS-35"]', csv))
    (opportunity,) = build_problem(scenario, scenario.view_periods).demands[0].opportunities
    assert opportunity.antennas == ("DSS-34", "DSS-35") and opportunity.latest_end == 9 * 3600


@pytest.mark.parametrize(
    ("stations", "extra", "message"),
    [
        ('["DSS-34+DSS-99"]', "", "array member 'DSS-99' is not a scenario station"),
        ('["DSS-34+DSS-34"]', "", "names an antenna twice"),
        ('[DSS-14, "DSS-34+DSS-35"]', ", array: 2", "cannot be combined with array: or complexes:"),
    ],
)
def test_bad_listed_arrays_are_one_input_error(tmp_path: Path, stations: str, extra: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as caught:
        load_scenario(scenario_with(tmp_path, stations, "DSS-14,X,2026-12-01T01:00:00Z,2026-12-01T03:00:00Z,\n", extra))
    assert caught.value.field == "requests[0] (r).stations[1]" or caught.value.field.endswith(".stations[0]")


def _row(track: str, station: str, group: str) -> dict:
    start, end = pd.Timestamp("2026-12-01T05:00:00Z"), pd.Timestamp("2026-12-01T07:00:00Z")
    return {
        "track_id": track, "request_id": "r", "mission": "m", "agency": "OTHER", "target": "X", "station": station,
        "setup_start": start - pd.Timedelta(hours=1), "start": start, "end": end,
        "teardown_end": end + pd.Timedelta(minutes=15), "group": group,
    }  # fmt: skip


def test_the_validator_accepts_listed_arrays_only(tmp_path: Path) -> None:
    csv = "DSS-34+DSS-35,X,2026-12-01T01:00:00Z,2026-12-01T12:00:00Z,\n"
    scenario = load_scenario(scenario_with(tmp_path, '[DSS-14, "DSS-34+DSS-35"]', csv))
    listed = pd.DataFrame([_row("T1-1", "DSS-34", "G1"), _row("T1-2", "DSS-35", "G1")])
    rules = {v.rule for v in validate_schedule(scenario, listed)} - {"target not visible"}
    assert rules == set()
    alone = pd.DataFrame([_row("T1", "DSS-34", "")])
    assert "array" in {v.rule for v in validate_schedule(scenario, alone)}
    other = pd.DataFrame([_row("T1-1", "DSS-34", "G1"), _row("T1-2", "DSS-14", "G1")])
    assert "group not requested" in {v.rule for v in validate_schedule(scenario, other)}


@pytest.mark.slow
@pytest.mark.parametrize("week", ["tiny_week", "W10_2018"])
def test_to_scenario_gives_plan_the_problem_satnet_solve_solves(tmp_path: Path, week: str) -> None:
    maintenance = DATA / ("tiny_maintenance.csv" if week == "tiny_week" else f"{week}_maintenance.csv")
    loaded = read_week(DATA / f"{week}.json", maintenance)
    path = tmp_path / "week.yaml"
    for file, text in scenario_files(loaded, path).items():
        file.write_text(text)
    scenario = load_scenario(path)
    planned, direct = build_problem(scenario, scenario.view_periods), to_problem(loaded)

    def places(problem) -> set[tuple]:
        epoch = int(problem.epoch.timestamp())
        return {
            (d.request_id, o.antennas, epoch + o.earliest_start, epoch + o.latest_end, d.min_segment)
            for d in problem.demands
            for o in d.opportunities
        }

    assert places(planned) == places(direct)
    assert planned.weights == direct.weights
    assert planned.complex_limits == () or all(not c.start_spacing and not c.max_links for c in planned.complex_limits)
    assert planned.has_operations == direct.has_operations

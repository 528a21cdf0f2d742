"""Operations rules beyond their semantics scenarios: the reasons an unmet rule gives, the
coordination report, critical requests that cannot be met (exit 3 with the cause), MSPA partners
beginning together under start spacing, and the rules holding across improvement rounds."""

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
import yaml

from scheduler.check import allocation_rules, schedule_notes, validate_schedule
from scheduler.check.allocation import check_allocation
from scheduler.cli.app import app, run
from scheduler.inputs import Scenario, load_scenario_text
from scheduler.outputs.coordination import coordination_table
from scheduler.problem.build import build_problem
from scheduler.sky.visibility import compute_view_periods
from scheduler.solvers import SolverSettings, solve
from scheduler.solvers.cpsat import neighbourhoods
from scheduler.workflows.plan import run_plan
from tests.support.model_support import FAST, SEMANTICS, plan, rows


def variant(name: str, change) -> Scenario:
    """A semantics scenario with `change(data)` applied to its YAML."""
    data = yaml.safe_load((SEMANTICS / f"{name}.yaml").read_text(encoding="utf-8"))
    change(data)
    return load_scenario_text(yaml.safe_dump(data, sort_keys=False), f"{name}-variant.yaml")


def planned(scenario: Scenario, solver: str = "cpsat"):
    result = run_plan(scenario, replace(FAST, solver=solver))
    assert validate_schedule(scenario, result.schedule) == []
    return result


def reason(result, request: str) -> str:
    table = result.unsatisfied.set_index("request_id")
    return str(table.reason[request])


def test_unmet_max_gap_names_the_longest_gap_and_its_times() -> None:
    one = variant("max-gap", lambda d: d["requests"][0].update(tracks=1))
    assert reason(planned(one, "greedy"), "TIMER") == (
        "max_gap 2h40m exceeded: 7h20m without a track 2026-12-01T04:40:00Z..2026-12-01T12:00:00Z"
    )
    assert reason(planned(one), "TIMER").startswith("max_gap 2h40m exceeded: ")


def test_unmet_spread_names_the_complexes_used() -> None:
    def east_down(data: dict) -> None:
        data["downtime"][0]["end"] = data["end"]

    result = planned(variant("spread", east_down))
    assert rows(result.schedule) == [("NAV", "TEST-1", "00:00", "02:00"), ("NAV", "TEST-1", "02:00", "04:00")]
    assert reason(result, "NAV") == "spread: tracks on 1 of 2 complexes in 2026-12-01T00:00:00Z..2026-12-01T04:00:00Z"
    notes = schedule_notes(variant("spread", east_down), result.schedule)
    assert [(n.track_id, n.rule) for n in notes] == [("NAV", "spread")]


@pytest.mark.parametrize("solver", ["cpsat", "greedy"])
def test_a_track_with_nothing_to_follow_says_so(solver: str) -> None:
    def late_uplink(data: dict) -> None:
        data["requests"][0]["window"] = {"start": "2026-12-01T04:00:00Z", "end": "2026-12-01T05:00:00Z"}

    result = planned(variant("after", late_uplink), solver)
    assert rows(result.schedule) == [("UL", "TEST-1", "04:00", "05:00")]
    assert reason(result, "DL") == "after UL: no free track of it ends 30m..30m before a start"


def test_coordination_lists_the_cross_complex_pair_with_its_closest_angle() -> None:
    result = plan("rfi")
    table = coordination_table(result.scenario, result.schedule)
    assert table[
        ["request_a", "agency_a", "complex_a", "request_b", "agency_b", "complex_b", "band"]
    ].values.tolist() == [["LANDER", "NASA", "NORTH", "PROBE", "JAXA", "FAR", "X"]]
    assert table.closest_deg.iloc[0] == pytest.approx(1.501, abs=0.002)
    assert (table.overlap_start.iloc[0], table.overlap_end.iloc[0]) == ("2026-12-01T04:00:00Z", "2026-12-01T08:00:00Z")


def test_without_rfi_the_coordination_report_is_empty() -> None:
    result = plan("band")
    assert coordination_table(result.scenario, result.schedule).empty


MSPA_AT_ONE_START = """
name: spacing-mspa
start: 2026-12-01T00:00:00Z
end: 2026-12-01T02:00:00Z
resolution: 5m
complex_rules: {NORTH: {start_spacing: 30m}}
stations:
  - {id: TEST-1, kind: radio, lat_deg: 40.0, lon_deg: -4.0, height_m: 800, complex: NORTH}
targets:
  - {id: pole, ra_deg: 0.0, dec_deg: 89.999}
requests:
  - {id: M1, mission: ONE, agency: ESA, target: pole, duration: 2h, mspa: MARS}
  - {id: M2, mission: TWO, agency: NASA, target: pole, duration: 2h, mspa: MARS}
"""


@pytest.mark.parametrize("solver", ["cpsat", "greedy"])
def test_mspa_partners_beginning_together_are_one_activity(solver: str) -> None:
    result = planned(load_scenario_text(MSPA_AT_ONE_START, "spacing-mspa.yaml"), solver)
    assert rows(result.schedule) == [("M1", "TEST-1", "00:00", "02:00"), ("M2", "TEST-1", "00:00", "02:00")]


CRITICAL = SEMANTICS / "critical.yaml"


def critical_exit(tmp_path: Path, change, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    data = yaml.safe_load(CRITICAL.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "critical-variant.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    code = run(lambda: app(["plan", str(path), "--out", str(tmp_path / "out"), "--time-limit", "5", "--quiet"]))
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert not (tmp_path / "out").exists()
    return code, err[0]


def _down(data: dict) -> None:
    data["downtime"] = [{"station": "TEST-1", "start": "2026-12-01T01:00:00Z", "end": "2026-12-01T02:00:00Z"}]


def _second_critical(data: dict) -> None:
    data["requests"].append(
        {
            "id": "INSERTION",
            "mission": "CHARLIE",
            "agency": "JAXA",
            "target": "pole",
            "duration": "2h",
            "critical": True,
            "window": {"start": "2026-12-01T01:00:00Z", "end": "2026-12-01T03:00:00Z"},
        }
    )


def _no_uplink(data: dict) -> None:
    data["requests"][1]["after"] = {"request": "LOW", "min": "30m", "max": "1h"}


def _locked_start(data: dict) -> None:
    data["stations"].append({**data["stations"][0], "id": "TEST-2"})
    data["complex_rules"] = {"NORTH": {"start_spacing": "30m"}}
    data["requests"][1]["stations"] = ["TEST-2"]
    data["locked"] = [
        {"request": "LOW", "stations": ["TEST-1"], "start": "2026-12-01T00:10:00Z", "end": "2026-12-01T01:10:00Z"}
    ]


def _own_mission_locked(data: dict) -> None:
    """LOW becomes BRAVO's too, locked on a second antenna inside LANDING's window."""
    data["stations"].append({**data["stations"][0], "id": "TEST-2"})
    data["requests"][0].update(mission="BRAVO", stations=["TEST-2"])
    data["locked"] = [
        {"request": "LOW", "stations": ["TEST-2"], "start": "2026-12-01T00:30:00Z", "end": "2026-12-01T01:30:00Z"}
    ]


def _own_mission_critical(data: dict) -> None:
    """A second critical request of BRAVO on a second antenna, its window overlapping LANDING's."""
    _second_critical(data)
    data["stations"].append({**data["stations"][0], "id": "TEST-2"})
    data["requests"][-1].update(mission="BRAVO", stations=["TEST-2"])


@pytest.mark.parametrize(
    ("change", "cause"),
    [
        (_down, "critical request LANDING cannot be met: blocked by downtime"),
        (
            _own_mission_locked,
            "critical request LANDING cannot be met: the mission rule: locked tracks of BRAVO are on target then",
        ),
        (
            _own_mission_critical,
            "critical request LANDING cannot be met: the mission rule: INSERTION, critical too, tracks BRAVO then",
        ),
        (_second_critical, "critical request LANDING cannot be met: another critical request, INSERTION"),
        (_no_uplink, "critical request LANDING cannot be met: after LOW: no track of it can end in time"),
        (_locked_start, "critical request LANDING cannot be met: start spacing or max_links at NORTH"),
    ],
)
def test_a_critical_request_that_cannot_be_met_exits_3_naming_what_blocks_it(
    change, cause: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, line = critical_exit(tmp_path, change, capsys)
    assert code == 3
    assert line.startswith("infeasible: " + cause), line


ROUNDS = """
name: rounds-keep-rules
start: 2026-12-01T00:00:00Z
end: 2026-12-03T00:00:00Z
resolution: 5m
complex_rules: {NORTH: {start_spacing: 30m, max_links: 2}}
rfi: {separation_deg: 2.0}
stations:
  - {id: N-1, kind: radio, lat_deg: 40.0, lon_deg: -4.0, height_m: 800, complex: NORTH, bands: [X], setup: 15m}
  - {id: N-2, kind: radio, lat_deg: 40.1, lon_deg: -4.1, height_m: 800, complex: NORTH, bands: [X], setup: 15m}
  - {id: N-3, kind: radio, lat_deg: 40.2, lon_deg: -4.2, height_m: 800, complex: NORTH, bands: [X, Ka], setup: 15m}
  - {id: E-1, kind: radio, lat_deg: 35.0, lon_deg: 140.0, height_m: 100, complex: EAST, bands: [X], setup: 15m}
targets:
  - {id: pole, ra_deg: 0.0, dec_deg: 89.999}
  - {id: near, ra_deg: 180.0, dec_deg: 88.5}
requests:
  - {id: UP, mission: A, agency: NASA, target: pole, duration: 1h, tracks: 3, per: day, band: X}
  - {id: DOWN, mission: A, agency: NASA, target: pole, min_duration: 1h, max_duration: 3h, tracks: 3, per: day,
     band: X, after: {request: UP, min: 30m, max: 3h}}
  - {id: TIMER, mission: B, agency: ESA, target: near, duration: 2h, tracks: 2, per: day, band: X, max_gap: 14h}
  - {id: NAV, mission: C, agency: JAXA, target: near, duration: 1h, tracks: 2, per: day, spread: {complexes: 2}}
  - {id: KA, mission: D, agency: ISRO, target: pole, min_duration: 2h, max_duration: 8h, tracks: 2, per: day, band: Ka}
  - {id: BULK, mission: E, agency: CNSA, target: near, min_duration: 2h, max_duration: 10h, tracks: 3, per: day}
"""


@pytest.mark.slow
def test_improvement_rounds_keep_every_rule_across_their_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rounds keep the tracks outside each region; spacing, links, interference and after links
    must hold against those kept tracks too."""
    scenario = load_scenario_text(ROUNDS, "rounds.yaml")
    problem = build_problem(scenario, compute_view_periods(scenario))
    settings = SolverSettings(time_limit_s=8.0, workers=1, seed=0)
    rounds = []
    real = neighbourhoods.round_problem

    def counted(*args):
        rounds.append(real(*args))
        return rounds[-1]

    monkeypatch.setattr(neighbourhoods, "round_problem", counted)
    solution = solve(problem, settings)
    assert len(rounds) >= 2 and any(job.problem.locked for job in rounds)
    assert check_allocation(problem, solution.tracks) == []
    result = run_plan(scenario, settings)
    assert validate_schedule(scenario, result.schedule) == []


def test_a_round_keeps_the_tracks_outside_its_region_locked_with_their_demands() -> None:
    scenario = load_scenario_text(ROUNDS, "rounds.yaml")
    problem = build_problem(scenario, compute_view_periods(scenario))
    tracks = solve(problem, replace(FAST, solver="greedy")).tracks
    job = neighbourhoods.round_problem(problem, tracks, neighbourhoods.Region(0, 24 * 3600), set())
    assert {d.id for d in job.problem.demands} == {d.id for d in problem.demands}
    kept = set(tracks) - set(job.freed)
    assert set(job.problem.locked) == kept and kept
    assert job.problem.downtime == problem.downtime


def test_schedule_band_column_is_the_requests_band() -> None:
    result = plan("band")
    assert result.schedule.band.tolist() == ["Ka"]
    assert isinstance(result.schedule, pd.DataFrame)


def _moved(tracks, demand_prefix: str, seconds: int):
    """The tracks with the first one of the demand moved by `seconds`."""
    first = next(t for t in tracks if t.demand_id.startswith(demand_prefix))
    return tuple(replace(t, start=t.start + seconds, end=t.end + seconds) if t is first else t for t in tracks)


@pytest.mark.parametrize(
    ("name", "demand", "shift", "rule"),
    [
        ("after", "DL", 300, "after"),
        ("complex-rules", "B", -600, "start spacing"),
        ("complex-rules", "C", -1800, "max links"),
        ("rfi", "LANDER", -1800, "rfi"),
    ],
)
def test_check_allocation_flags_a_moved_track_that_breaks_an_operations_rule(
    name: str, demand: str, shift: int, rule: str
) -> None:
    result = plan(name)
    assert check_allocation(result.problem, result.solution.tracks) == []
    broken = check_allocation(result.problem, _moved(result.solution.tracks, demand, shift))
    assert rule in {v.rule for v in broken}


def test_a_critical_demand_left_out_is_named_on_its_own_not_as_a_broken_placement() -> None:
    result = plan("critical")
    kept = tuple(t for t in result.solution.tracks if t.demand_id != "LANDING")
    assert check_allocation(result.problem, kept) == []  # a sweep variant may lose one
    assert [v.rule for v in allocation_rules.check_critical(result.problem, kept)] == ["critical not met"]


def test_a_track_kept_out_by_the_complex_rules_says_so() -> None:
    """C must end by 03:30 but may not begin while A and B hold both of NORTH's links (to 02:00)."""

    def tight(data: dict) -> None:
        data["requests"][2]["window"]["end"] = "2026-12-01T03:30:00Z"

    result = planned(variant("complex-rules", tight))
    assert reason(result, "C") == "complex rules (start_spacing, max_links) at NORTH"


def test_a_track_kept_out_by_interference_names_the_interfering_requests() -> None:
    """LANDER may only run 02:00-06:00, which meets ORBITER and RELAY at NORTH (both on targets
    1.5 deg away, both more important here); NORTH's third antenna is free, so nothing else stops it."""

    def squeezed(data: dict) -> None:
        data["stations"].append({**data["stations"][1], "id": "TEST-4"})
        data["requests"][1]["stations"] = ["TEST-4"]
        data["requests"][1]["window"]["start"] = "2026-12-01T02:00:00Z"
        data["requests"][1]["window"]["end"] = "2026-12-01T06:00:00Z"
        data["requests"][0]["priority"] = 2
        data["requests"][2]["priority"] = 2

    result = planned(variant("rfi", squeezed))
    assert reason(result, "LANDER") == "interference (rfi) with ORBITER, RELAY"

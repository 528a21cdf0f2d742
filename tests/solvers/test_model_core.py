"""The allocation model's core: split tracks, locked tracks, repair penalties, greedy vs CP-SAT,
metrics. Each scenario in tests/scenarios/semantics/ states its hand-worked answer."""

from dataclasses import replace

import pytest

from scheduler.outputs.report import metrics
from scheduler.problem.build import build_problem
from scheduler.problem.scoring import SCALE, score
from scheduler.problem.types import Track
from scheduler.sky.visibility import compute_view_periods
from scheduler.solvers import solve
from tests.support.model_support import FAST, plan, resolve, rows, semantics_scenario, tracks_of

H = 3600


def test_split_track_takes_two_segments_around_the_outage() -> None:
    result = plan("split")
    assert rows(result.schedule) == [
        ("LONG", "TEST-1", "00:15", "03:45"),
        ("LONG", "TEST-1", "05:15", "08:45"),
    ]
    assert result.schedule.group.nunique() == 1 and result.schedule.group.iloc[0] != ""
    assert result.unsatisfied.empty


def test_without_split_the_same_request_gets_nothing() -> None:
    scenario = semantics_scenario("split")
    problem = build_problem(scenario, compute_view_periods(scenario))
    whole = replace(problem, demands=tuple(replace(d, min_segment=None) for d in problem.demands))
    assert resolve(whole) == ()


def test_locked_track_is_kept_exactly_and_blocks_its_antenna() -> None:
    result = plan("locked")
    assert rows(result.schedule) == [("B", "TEST-1", "02:00", "06:00")]
    assert result.unsatisfied.request_id.tolist() == ["A"]


def test_without_the_lock_the_more_important_request_wins() -> None:
    scenario = semantics_scenario("locked")
    problem = build_problem(scenario, compute_view_periods(scenario))
    tracks = resolve(replace(problem, locked=()))
    assert [(t.demand_id, t.duration) for t in tracks] == [("A", 5 * H)]


def _previous_problem(with_urgent: bool):
    scenario = semantics_scenario("previous")
    problem = build_problem(scenario, compute_view_periods(scenario))
    if not with_urgent:
        problem = replace(problem, demands=tuple(d for d in problem.demands if d.request_id == "A"))
    previous = Track("A", ("TEST-1",), 6 * H, 10 * H, 0, 0)
    return replace(problem, previous=(previous,)), previous


def test_previous_track_stays_in_place_when_nothing_forces_a_move() -> None:
    for solver in ("cpsat", "greedy"):
        problem, _ = _previous_problem(with_urgent=False)
        assert tracks_of(problem, resolve(problem, solver)) == [("A", "TEST-1", "06:00", "10:00")]


def test_previous_track_moves_when_an_urgent_request_needs_its_time() -> None:
    problem, previous = _previous_problem(with_urgent=True)
    tracks = resolve(problem)
    assert ("URGENT", ("TEST-1",), 5 * H, 11 * H) in [(t.demand_id, t.antennas, t.start, t.end) for t in tracks]
    moved = [t for t in tracks if t.demand_id == "A"]
    assert len(moved) == 1 and moved[0].duration == 4 * H and moved[0].end <= 5 * H
    assert not moved[0].same_place(previous)


def test_cpsat_beats_greedy_on_a_contested_antenna() -> None:
    greedy = plan("contested", "greedy")
    cpsat = plan("contested", "cpsat")
    assert rows(greedy.schedule) == [("A", "TEST-1", "00:00", "02:00"), ("B", "TEST-1", "02:00", "07:00")]
    assert cpsat.solution.objective > greedy.solution.objective
    assert score(cpsat.problem, cpsat.solution.tracks) > score(greedy.problem, greedy.solution.tracks)
    assert cpsat.summary["status"] == "OPTIMAL"


def test_cpsat_never_returns_less_than_greedy_even_without_time() -> None:
    scenario = semantics_scenario("contested")
    problem = build_problem(scenario, compute_view_periods(scenario))
    rushed = solve(problem, replace(FAST, time_limit_s=0.001))
    greedy = solve(problem, replace(FAST, solver="greedy"))
    assert rushed.objective >= greedy.objective


def test_reported_objective_is_the_score_of_the_tracks() -> None:
    result = plan("contested")
    assert result.solution.objective == score(result.problem, result.solution.tracks) / SCALE
    assert result.solution.bound >= result.solution.objective


def test_metrics_of_the_locked_plan() -> None:
    result = plan("locked")
    figures = metrics(result.problem, result.solution.tracks)
    assert figures["weighted_time_s"] == 2 * 4 * H  # priority 9 weighs 2
    assert (figures["scheduled_s"], figures["requested_s"]) == (4 * H, 9 * H)
    assert (figures["satisfied"], figures["requests"]) == (1, 2)
    assert figures["u_max"] == 1.0
    assert abs(figures["u_rms"] - (0.5**0.5)) < 1e-12  # missions ALPHA 1.0, BETA 0.0
    assert figures["per_agency"]["ESA"]["unsatisfied_fraction"] == 1.0
    assert figures["per_agency"]["NASA"]["scheduled_s"] == 4 * H


def test_same_problem_and_seed_give_the_same_tracks() -> None:
    scenario = semantics_scenario("contested")
    problem = build_problem(scenario, compute_view_periods(scenario))
    assert resolve(problem) == resolve(problem)


@pytest.mark.slow
def test_plan_command_runs_the_greedy_solver_on_request(tmp_path) -> None:
    import json
    import subprocess
    import sys

    from tests.support.model_support import SEMANTICS

    out = tmp_path / "greedy"
    scenario = str(SEMANTICS / "contested.yaml")
    run = [sys.executable, "-m", "scheduler", "plan", scenario, "--out", str(out), "--solver", "greedy", "--quiet"]
    assert subprocess.run(run, capture_output=True, timeout=300).returncode == 0
    summary = json.loads((out / "summary.json").read_text())
    assert (summary["solver"], summary["bound"], summary["gap"]) == ("greedy", None, None)
    assert summary["weighted_time_s"] == (10 * 120 + 9 * 300) * 60  # A 2 h, B 5 h
    check = [sys.executable, "-m", "scheduler", "validate", scenario, str(out / "schedule.csv")]
    assert subprocess.run(check, capture_output=True, timeout=300).returncode == 0


def test_locked_segments_of_one_split_track_count_as_one_track() -> None:
    scenario = semantics_scenario("split")
    problem = build_problem(scenario, compute_view_periods(scenario))
    segments = (
        Track("LONG", ("TEST-1",), 15 * 60, 3 * H + 45 * 60, 900, 900, "kept"),
        Track("LONG", ("TEST-1",), 5 * H + 15 * 60, 8 * H + 45 * 60, 900, 900, "kept"),
    )
    fixed = replace(problem, locked=segments)
    for solver in ("cpsat", "greedy"):
        assert resolve(fixed, solver) == segments
    assert metrics(fixed, segments)["satisfied"] == 1


def test_a_coverage_chain_continues_from_a_locked_first_link() -> None:
    scenario = semantics_scenario("continuous")
    problem = build_problem(scenario, compute_view_periods(scenario))
    first = Track("COVER", ("TEST-1",), 0, 6 * H, 0, 0, "earlier-window")
    fixed = replace(problem, locked=(first,))
    for solver in ("cpsat", "greedy"):
        assert tracks_of(fixed, resolve(fixed, solver)) == [
            ("COVER", "TEST-1", "00:00", "06:00"),
            ("COVER", "TEST-2", "05:50", "12:00"),
        ]

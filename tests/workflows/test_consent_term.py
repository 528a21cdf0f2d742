"""The consent term of the repair objective: among plans of equal time, the one that asks fewer
agencies to consent scores higher, the search picks it, and the CP-SAT model's objective is
exactly what `score` counts.

ESA moved its own E0 (a new window), so ESA is asked whatever happens. Its new 6 h U needs
6 h 45 min of TEST-A, where E (ESA) and N (NASA), alike in priority and length, hold 2 h 45 min
each with 6 h free between them: one of them must leave for TEST-B. Moving either costs the
same time and change penalty; moving N also asks NASA."""

from dataclasses import replace

import pytest
from ortools.sat.python import cp_model

import scheduler
from scheduler.check.allocation import check_allocation
from scheduler.inputs import load_scenario_text
from scheduler.problem.scoring import coefficients, score
from scheduler.problem.types import Track, Weights
from scheduler.solvers.cpsat.model import build_model
from scheduler.solvers.cpsat.readback import read_tracks
from tests.support.proposals import DAY, baseline_frame, scenario_text

H, M = 3600, 60
REQUESTS = (
    "  - {id: E0, mission: E0, agency: ESA, target: pole, priority: 5, duration: 2h, stations: [TEST-B],"
    f" window: {{start: {DAY}T06:00:00Z, end: {DAY}T12:00:00Z}}}}\n"
    "  - {id: E, mission: E, agency: ESA, target: pole, priority: 5, duration: 2h}\n"
    "  - {id: N, mission: N, agency: NASA, target: pole, priority: 5, duration: 2h}\n"
    "  - {id: U, mission: U, agency: ESA, target: pole, priority: 1, duration: 6h, stations: [TEST-A]}\n"
)
BASELINE = [
    ("E0", "ESA", "pole", "TEST-B", "00:30", "02:30"),
    ("E", "ESA", "pole", "TEST-A", "00:30", "02:30"),
    ("N", "NASA", "pole", "TEST-A", "09:15", "11:15"),
]


@pytest.fixture(scope="module")
def result() -> scheduler.ProposalResult:
    scenario = load_scenario_text(scenario_text(REQUESTS), "consent.yaml")
    return scheduler.propose(scenario, baseline_frame(BASELINE), now="2026-11-20T00:00:00Z", time_limit_s=10, workers=1)


def _moved_n_instead(tracks: tuple[Track, ...]) -> tuple[Track, ...]:
    """The other plan of equal time: E back where it was, N where E went, U after E on TEST-A."""
    by_demand = {t.demand_id: t for t in tracks}
    e_back = Track("E", ("TEST-A",), 30 * M, 2 * H + 30 * M, 30 * M, 15 * M)
    n_moved = replace(by_demand["E"], demand_id="N")
    u_later = replace(by_demand["U"], start=3 * H + 15 * M, end=9 * H + 15 * M)
    return (by_demand["E0"], e_back, n_moved, u_later)


def test_the_search_moves_the_track_of_the_agency_already_asked(result: scheduler.ProposalResult) -> None:
    schedule = result.plan.schedule
    assert schedule[schedule.request_id == "E"].station.tolist() == ["TEST-B"]
    assert schedule[schedule.request_id == "N"][["station"]].values.tolist() == [["TEST-A"]]
    assert f"{schedule[schedule.request_id == 'N'].start.iloc[0]:%H:%M}" == "09:15"
    assert result.parties.agency.tolist() == ["ESA"]
    assert result.parties.moved.tolist() == [2]


def test_the_two_plans_differ_by_the_consent_weight_alone(result: scheduler.ProposalResult) -> None:
    problem, chosen = result.plan.problem, result.plan.solution.tracks
    other = _moved_n_instead(chosen)
    assert check_allocation(problem, other) == []
    assert score(problem, chosen) - score(problem, other) == coefficients(problem).consent == 30 * 100_000
    free = replace(problem, weights=replace(problem.weights, consent=0.0))
    assert score(free, chosen) == score(free, other)
    assert Weights().consent == 30.0


def test_the_model_maximises_exactly_what_score_counts_with_previous_tracks(
    result: scheduler.ProposalResult,
) -> None:
    problem = result.plan.problem
    allocation = build_model(problem, result.plan.solution.tracks)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 30
    solver.parameters.num_workers = 1
    assert solver.Solve(allocation.model) == cp_model.OPTIMAL
    tracks = read_tracks(allocation, problem, solver)
    assert round(solver.ObjectiveValue()) == score(problem, tracks) == score(problem, result.plan.solution.tracks)

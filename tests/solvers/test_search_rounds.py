"""Improvement rounds keep every semantic of the tracks they keep, never crash, and only improve.

Kept tracks used to become plain downtime: two MSPA partners sharing an antenna became two
overlapping outages (an infeasible round that aborted `plan`), a request's other tracks lost
min_gap, and the problem's locked tracks of a freed demand were dropped. Now kept tracks are
locked tracks of their own demands, and a round whose model is infeasible is logged as our bug
and discarded.
"""

import logging
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings

from scheduler.check.allocation import check_allocation
from scheduler.problem.scoring import score
from scheduler.problem.types import Demand, Downtime, Opportunity, Problem, Track
from scheduler.solvers.cpsat.lns import Batches, Outcome, improve, rules_hold
from scheduler.solvers.cpsat.neighbourhoods import Region, round_problem
from scheduler.solvers.cpsat.solver import holds, round_solver, solve_cpsat
from scheduler.solvers.greedy import solve_greedy_tracks
from scheduler.solvers.interface import SolverSettings
from tests.support.random_problems import problems

H = 3600
DAY = 24 * H
EPOCH = datetime(2026, 12, 7, tzinfo=UTC)


def _problem(demands, downtime=(), locked=(), horizon=2 * DAY, antennas=("A", "B", "C")) -> Problem:
    return Problem("rounds-test", EPOCH, horizon, 60, antennas, tuple(demands), tuple(downtime), tuple(locked))


def _all_day(antennas, horizon=2 * DAY) -> tuple[Opportunity, ...]:
    return tuple(Opportunity((a,), 600, horizon - 2 * H, horizon - 600, 600, 600) for a in antennas)


def _solve_round(job, seed=0):
    return round_solver(0.5, lambda limit: limit, True)(job, seed)


def test_mspa_partners_kept_on_one_antenna_leave_the_round_feasible() -> None:
    mars = [
        Demand(f"M{i}", f"M{i}", f"MIS{i}", "NASA", "mars", 3, 1, 4 * H, 4 * H, _all_day(("A",)), mspa="MARS")
        for i in range(2)
    ]
    other = Demand("X", "X", "X", "ESA", "moon", 5, 1, 2 * H, 2 * H, _all_day(("A", "B")))
    problem = _problem([*mars, other])
    shared = tuple(Track(f"M{i}", ("A",), 30 * H, 34 * H, 600, 600) for i in range(2))  # together on A
    job = round_problem(problem, shared, Region(0, 12 * H), set())
    assert set(job.problem.locked) == set(shared) and job.freed == ()
    outcome = _solve_round(job)  # kept as downtime, the partners made this round infeasible
    assert outcome.tracks is not None and set(shared) <= set(outcome.tracks)
    assert check_allocation(problem, outcome.tracks) == []


def test_a_freed_demand_keeps_the_problems_locked_tracks() -> None:
    demand = Demand("R", "R", "R", "NASA", "moon", 3, 2, 2 * H, 2 * H, _all_day(("A",)))
    fixed = Track("R", ("A",), 5 * H, 7 * H, 600, 600)
    problem = _problem([demand], locked=(fixed,))
    job = round_problem(problem, (fixed,), Region(0, 12 * H), set())
    assert fixed in job.problem.locked and job.freed == ()
    outcome = _solve_round(job)
    assert outcome.tracks is not None and fixed in outcome.tracks
    assert check_allocation(problem, outcome.tracks) == []


def test_min_gap_holds_against_the_requests_kept_tracks() -> None:
    opportunities = _all_day(("A", "B"))
    first = Demand("R#1", "R", "R", "NASA", "moon", 3, 1, 4 * H, 4 * H, opportunities, min_gap=6 * H, period=(0, DAY))
    second = Demand(
        "R#2", "R", "R", "NASA", "moon", 3, 1, 4 * H, 4 * H, opportunities, min_gap=6 * H, period=(DAY, 2 * DAY)
    )
    kept = Track("R#1", ("A",), 19 * H, 23 * H, 600, 600)
    problem = _problem([first, second])
    outcome = _solve_round(round_problem(problem, (kept,), Region(22 * H, 40 * H), set()))
    assert outcome.tracks is not None
    late = [t for t in outcome.tracks if t.demand_id == "R#2"]
    assert late and all(t.start >= kept.end + 6 * H for t in late)
    assert check_allocation(problem, outcome.tracks) == []


def test_a_round_frees_tracks_not_whole_demands() -> None:
    demand = Demand("R", "R", "R", "NASA", "moon", 3, 2, 2 * H, 2 * H, _all_day(("A",)))
    inside, outside = Track("R", ("A",), 3 * H, 5 * H, 600, 600), Track("R", ("A",), 30 * H, 32 * H, 600, 600)
    job = round_problem(_problem([demand]), (inside, outside), Region(0, 12 * H), set())
    assert job.freed == (inside,) and job.problem.locked == (outside,)
    assert all(o.latest_end <= 12 * H - 600 for o in job.problem.demand("R").opportunities)


def test_a_merge_that_puts_one_mission_on_target_twice_is_refused() -> None:
    """Two rounds of a batch on different antennas may share their times: their merged tracks of
    one mission must not overlap on target (the round models each kept the other's old tracks)."""
    uplink = Demand("UL", "UL", "M", "NASA", "moon", 3, 1, 2 * H, 2 * H, _all_day(("A",)))
    downlink = Demand("DL", "DL", "M", "NASA", "moon", 3, 1, 2 * H, 2 * H, _all_day(("B",)))
    merged = (Track("UL", ("A",), 3 * H, 5 * H, 600, 600), Track("DL", ("B",), 4 * H, 6 * H, 600, 600))
    assert not rules_hold(_problem([uplink, downlink]), merged)
    assert rules_hold(_problem([uplink, replace(downlink, concurrent=True)]), merged)
    assert rules_hold(_problem([uplink, replace(downlink, mission="N")]), merged)


def test_overlapping_outages_block_the_antenna_once() -> None:
    demand = Demand("R", "R", "R", "NASA", "moon", 3, 1, 2 * H, 2 * H, _all_day(("A",)))
    problem = _problem([demand], downtime=(Downtime("A", 10 * H, 20 * H), Downtime("A", 15 * H, 25 * H)))
    solution = solve_cpsat(problem, SolverSettings(time_limit_s=2.0, workers=1, seed=0))
    assert solution.tracks and check_allocation(problem, solution.tracks) == []


def test_an_infeasible_round_is_discarded_and_logged_as_a_bug(caplog) -> None:
    demand = Demand("R", "R", "R", "NASA", "moon", 3, 1, 2 * H, 2 * H, _all_day(("A",)))
    problem = _problem([demand])
    start = solve_greedy_tracks(problem)

    def broken(_job, _seed) -> Outcome:
        return Outcome(None, 0.5)

    with caplog.at_level(logging.ERROR, logger="scheduler.solvers.cpsat.lns"):
        result = improve(problem, start, Batches(2.0, 1, 0, 30, 60.0), broken, holds)
    assert result.tracks == start and result.rounds == 4
    assert "BUG" in caplog.text


def test_a_model_the_greedy_schedule_solves_never_ends_the_plan(monkeypatch, caplog) -> None:
    demand = Demand("R", "R", "R", "NASA", "moon", 3, 1, 2 * H, 2 * H, _all_day(("A",)))
    problem = _problem([demand])
    import scheduler.solvers.cpsat.solver as cpsat

    real = cpsat.build_model

    def contradictory(problem, hint=()):
        allocation = real(problem, hint)
        allocation.model.Add(allocation.model.NewConstant(0) == 1)
        return allocation

    monkeypatch.setattr(cpsat, "build_model", contradictory)
    with caplog.at_level(logging.ERROR):
        solution = solve_cpsat(problem, SolverSettings(time_limit_s=2.0, workers=1, seed=0))
    assert solution.tracks == solve_greedy_tracks(problem) and "BUG" in caplog.text


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture
def errors():
    handler = _Errors()
    logging.getLogger("scheduler").addHandler(handler)
    yield handler.messages
    logging.getLogger("scheduler").removeHandler(handler)


SLOW_OK = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]


@pytest.mark.slow
@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=SLOW_OK)
@given(problems())
def test_rounds_on_random_problems_never_fail_and_never_fall_below_greedy(errors, problem: Problem) -> None:
    greedy = solve_greedy_tracks(problem)
    assert check_allocation(problem, greedy) == []
    errors.clear()
    result = improve(problem, greedy, Batches(4.0, 2, 0, 8, 600.0), round_solver(0.3, lambda x: x, True), holds)
    assert errors == []  # no round was infeasible
    assert result.rounds >= 4
    assert check_allocation(problem, result.tracks) == []
    assert score(problem, result.tracks) >= score(problem, greedy)

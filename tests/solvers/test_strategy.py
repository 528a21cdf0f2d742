"""How CP-SAT searches: honest bounds, budgets fixed by the time limit, and rounds that only
improve, the same way every time."""

import math

import pytest

from scheduler.check.allocation import check_allocation
from scheduler.problem.scoring import SCALE, score
from scheduler.solvers.cpsat.lns import Batches, improve
from scheduler.solvers.cpsat.model import build_model
from scheduler.solvers.cpsat.search import is_large
from scheduler.solvers.cpsat.solver import cpsat_bound, holds, round_solver
from scheduler.solvers.greedy import solve_greedy_tracks
from scheduler.solvers.policy import POLICY
from scheduler.synthetic.week import generate_week


class Bounded:
    """A solver stand-in that proved `bound` (in scaled units)."""

    def __init__(self, bound: float) -> None:
        self.bound = bound

    def BestObjectiveBound(self) -> float:
        return self.bound


def test_cpsat_bound_counts_only_when_cpsat_found_a_schedule() -> None:
    assert cpsat_bound(Bounded(9.0 * SCALE), found=False, value=5.0) == math.inf
    assert cpsat_bound(Bounded(math.inf), found=True, value=5.0) == math.inf


def test_bound_never_below_the_schedule_cpsat_found() -> None:
    assert cpsat_bound(Bounded(4.999 * SCALE), found=True, value=5.0) == 5.0
    assert cpsat_bound(Bounded(7.0 * SCALE), found=True, value=5.0) == 7.0


def test_budgets_follow_the_time_limit_and_workers_alone() -> None:
    short, long = POLICY.budget(10.0, 2), POLICY.budget(60.0, 2)
    assert long == POLICY.budget(60.0, 2)
    assert long.rounds_work == pytest.approx(6 * short.rounds_work)
    assert long.deadline_s == pytest.approx(60.0 * POLICY.deadline_share)
    assert POLICY.budget(60.0, 2, clock=False).deadline_s == math.inf
    planned = POLICY.whole_share + POLICY.rounds_share + POLICY.bound_share
    assert planned <= 0.8  # the budgets end a solve by ~80 % of the limit on the reference machine


@pytest.fixture(scope="module")
def week():
    problem = generate_week(seed=0)
    return problem, solve_greedy_tracks(problem)


@pytest.mark.slow
def test_generated_week_is_a_large_model(week) -> None:
    problem, greedy = week
    assert is_large(build_model(problem, greedy).model)


@pytest.mark.slow
def test_rounds_improve_and_repeat_exactly(week) -> None:
    problem, greedy = week
    plan = Batches(work=4 * POLICY.round_work, workers=1, seed=0, target_tracks=POLICY.target_tracks, deadline_s=600)
    runs = [improve(problem, greedy, plan, round_solver(POLICY.round_work, lambda x: x, False), holds) for _ in "ab"]
    assert runs[0].tracks == runs[1].tracks and runs[0].rounds >= 4
    assert score(problem, runs[0].tracks) > score(problem, greedy)
    assert check_allocation(problem, runs[0].tracks) == []

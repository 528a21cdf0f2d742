"""How CP-SAT searches: honest bounds, the budget of window rounds, and rounds that only improve,
the same way every time."""

import math

import pytest

from scheduler.check.allocation import check_allocation
from scheduler.problem.scoring import SCALE, score
from scheduler.solvers.cpsat.model import build_model
from scheduler.solvers.cpsat.search import is_large
from scheduler.solvers.cpsat.solver import improve_by_rounds, proved_bound
from scheduler.solvers.greedy import solve_greedy_tracks
from scheduler.solvers.interface import SolverSettings
from scheduler.solvers.policy import DEFAULT
from scheduler.synthetic.week import generate_week


class Bounded:
    """A solver stand-in that proved `bound` (in scaled units)."""

    def __init__(self, bound: float) -> None:
        self.bound = bound

    def BestObjectiveBound(self) -> float:
        return self.bound


def test_greedy_value_is_no_bound_when_cpsat_found_nothing() -> None:
    assert proved_bound(Bounded(5.0 * SCALE), found=False, value=5.0) == math.inf
    assert proved_bound(Bounded(9.0 * SCALE), found=False, value=5.0) == 9.0
    assert proved_bound(Bounded(math.inf), found=True, value=5.0) == math.inf


def test_bound_never_below_the_schedule_cpsat_found() -> None:
    assert proved_bound(Bounded(4.999 * SCALE), found=True, value=5.0) == 5.0
    assert proved_bound(Bounded(7.0 * SCALE), found=True, value=5.0) == 7.0


def test_window_rounds_follow_the_time_limit_alone() -> None:
    assert DEFAULT.rounds(10.0) == 0  # short limits: the whole model only
    assert DEFAULT.rounds(60.0) == 28
    assert DEFAULT.rounds(60.0) == DEFAULT.rounds(60.0)


@pytest.fixture(scope="module")
def week():
    problem = generate_week(seed=0)
    return problem, solve_greedy_tracks(problem)


def test_generated_week_is_a_large_model(week) -> None:
    problem, greedy = week
    assert is_large(build_model(problem, greedy).model, DEFAULT)


def test_window_rounds_improve_and_repeat_exactly(week) -> None:
    problem, greedy = week
    settings = SolverSettings(workers=1, seed=0)
    first = improve_by_rounds(problem, greedy, settings, count=3, wall_s=120.0)
    second = improve_by_rounds(problem, greedy, settings, count=3, wall_s=120.0)
    assert first == second
    assert score(problem, first) > score(problem, greedy)  # three rounds already gain (+0.7 %)
    assert check_allocation(problem, first) == []

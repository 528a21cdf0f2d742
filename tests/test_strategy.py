"""How CP-SAT searches: honest bounds, the budget of window rounds, and rounds that only improve,
the same way every time."""

import math

import pytest

from scheduler.generate import generate_week
from scheduler.greedy import solve_greedy_tracks
from scheduler.model import build_model
from scheduler.model.objective import SCALE, score
from scheduler.solve import _bound
from scheduler.strategy import improve_by_windows, is_large, window_rounds
from scheduler.validate.allocation import check_allocation


class Bounded:
    """A solver stand-in that proved `bound` (in scaled units)."""

    def __init__(self, bound: float) -> None:
        self.bound = bound

    def BestObjectiveBound(self) -> float:
        return self.bound


def test_greedy_value_is_no_bound_when_cpsat_found_nothing() -> None:
    assert _bound(Bounded(5.0 * SCALE), found=False, value=5.0) == math.inf
    assert _bound(Bounded(9.0 * SCALE), found=False, value=5.0) == 9.0
    assert _bound(Bounded(math.inf), found=True, value=5.0) == math.inf


def test_bound_never_below_the_schedule_cpsat_found() -> None:
    assert _bound(Bounded(4.999 * SCALE), found=True, value=5.0) == 5.0
    assert _bound(Bounded(7.0 * SCALE), found=True, value=5.0) == 7.0


def test_window_rounds_follow_the_time_limit_alone() -> None:
    assert window_rounds(10.0) == 0  # short limits: the whole model only
    assert window_rounds(60.0) == 28
    assert window_rounds(60.0) == window_rounds(60.0)


@pytest.fixture(scope="module")
def week():
    problem = generate_week(seed=0)
    return problem, solve_greedy_tracks(problem)


def test_generated_week_is_a_large_model(week) -> None:
    problem, greedy = week
    assert is_large(build_model(problem, greedy).model)


def test_window_rounds_improve_and_repeat_exactly(week) -> None:
    problem, greedy = week
    first = improve_by_windows(problem, greedy, rounds=3, workers=1, seed=0, wall_s=120.0)
    second = improve_by_windows(problem, greedy, rounds=3, workers=1, seed=0, wall_s=120.0)
    assert first == second
    assert score(problem, first) > score(problem, greedy)  # three rounds already gain (+0.7 %)
    assert check_allocation(problem, first) == []

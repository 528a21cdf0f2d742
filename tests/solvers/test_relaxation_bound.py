"""The relaxation bound is a bound on the real problem under the mission rule, and it converges:
never below the exact CP-SAT optimum of small random problems (odd seconds, arrays, split and
concurrent requests, outages), with the exact LP value reached on each."""

import math

import pytest
from hypothesis import HealthCheck, assume, given, settings

from scheduler.outputs.report import metrics
from scheduler.problem.types import Demand, Opportunity, Problem
from scheduler.solvers.bound import Relaxation
from tests.solvers.relaxation_support import EPOCH, optimum, small_problems

H = 3600


def _relaxed(problem: Problem):
    relaxation = Relaxation(problem)
    relaxation.grow(1e9, time_only=False)
    relaxation.grow(1e9, time_only=True)
    return relaxation.result()


@pytest.mark.slow
@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems())
def test_the_bound_is_never_below_the_exact_optimum_with_the_mission_rule(problem: Problem) -> None:
    best = optimum(problem)
    assume(best is not None)  # CP-SAT proves every example here within seconds; none was dropped
    value, tracks = best
    bound = _relaxed(problem)
    assert bound.converged
    assert bound.objective >= value - 1e-6
    weighted = metrics(problem, tracks)["weighted_time_s"]
    assert (bound.time_bound if math.isfinite(bound.time_bound) else math.inf) >= weighted - 1e-6


@pytest.mark.slow
@settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems(resolution=1))
def test_the_bound_holds_for_schedules_to_the_second(problem: Problem) -> None:
    best = optimum(problem, seconds=30.0)
    assume(best is not None)
    assert _relaxed(problem).objective >= best[0] - 1e-6


def test_two_requests_of_one_mission_never_count_at_once() -> None:
    """Two 4 h requests of one spacecraft, each on its own antenna over the same 5 h: the mission
    rule leaves room for one of them and an hour of the other: 5 h (and at most a 10-minute step
    of credit per track), not 8 h."""
    demands = tuple(
        Demand(f"R{i}", f"R{i}", "JUNO", "NASA", "juno", 1, 1, H, 4 * H, (Opportunity((a,), H, 5 * H, 6 * H, 0, 0),))
        for i, a in enumerate(("A", "B"))
    )
    problem = Problem("mission", EPOCH, 8 * H, 60, ("A", "B"), demands)
    assert 5 * H <= _relaxed(problem).time_bound / 10 <= 5 * H + 2 * 600 + 1e-6  # priority 1 weighs 10


def test_a_concurrent_request_may_share_its_missions_time() -> None:
    """The same two requests, one of them concurrent (an uplink beside the downlink): 8 h."""
    first = Demand("R0", "R0", "JUNO", "NASA", "juno", 1, 1, H, 4 * H, (Opportunity(("A",), H, 5 * H, 6 * H, 0, 0),))
    second = Demand("R1", "R1", "JUNO", "NASA", "juno", 1, 1, H, 4 * H, (Opportunity(("B",), H, 5 * H, 6 * H, 0, 0),),
                    concurrent=True)  # fmt: skip
    problem = Problem("concurrent", EPOCH, 8 * H, 60, ("A", "B"), (first, second))
    assert math.isinf(_relaxed(problem).time_bound)  # no better than the requested 8 h


def test_the_bound_falls_below_the_requested_total_where_antennas_are_short() -> None:
    """Two 4 h requests of two missions on one antenna free for 6 h, 10 minutes of setup and
    teardown: 5 h 20 min on target in all (and a 10-minute step of credit per track), not 8 h."""
    opportunities = (Opportunity(("A",), 600, 2 * H, 6 * H - 600, 600, 600),)
    demands = tuple(Demand(f"R{i}", f"R{i}", f"M{i}", "NASA", "t", 1, 1, H, 4 * H, opportunities) for i in range(2))
    problem = Problem("short", EPOCH, 6 * H, 60, ("A",), demands)
    assert 5 * H + 20 * 60 - 1e-6 <= _relaxed(problem).time_bound / 10 <= 5 * H + 40 * 60 + 1e-6


def test_a_view_period_between_steps_counts_only_its_own_time() -> None:
    """A 4 h request whose one view period runs 00:05–01:05, an hour that starts and ends inside
    10-minute steps: the bound is that hour (its six steps and the step of credit, less the parts
    of the first and last step outside the view period), not 1 h 10 min."""
    opportunities = (Opportunity(("A",), 300, 3900 - 1800, 3900, 0, 0),)
    demand = Demand("R0", "R0", "M0", "NASA", "t", 1, 1, 1800, 4 * H, opportunities)
    problem = Problem("edges", EPOCH, 2 * H, 60, ("A",), (demand,))
    assert _relaxed(problem).time_bound / 10 == pytest.approx(H, rel=1e-3)  # priority 1 weighs 10

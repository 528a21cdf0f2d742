"""The relaxation bound is a bound: its pricing is exact on one antenna, and it is never below a
schedule the solvers find, on random problems mixing every semantic."""

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from scheduler.outputs.report import metrics
from scheduler.problem.scoring import SCALE, score
from scheduler.problem.types import Demand, Downtime, Opportunity, Problem
from scheduler.solvers.bound import relaxation_bound, request_side
from scheduler.solvers.bound.pricing import Antenna, antenna_jobs, price
from scheduler.solvers.cpsat.solver import solve_cpsat
from scheduler.solvers.interface import SolverSettings
from tests.support.random_problems import EPOCH, H, problems


def _exact(antenna: Antenna, per_second: np.ndarray, per_track: np.ndarray) -> float:
    """The antenna's best schedule at these prices, by CP-SAT over optional intervals."""
    model = cp_model.CpModel()
    busy, value = [], []
    for job in antenna.jobs:
        for _ in range((job.e_hi - job.s_lo) // max(1, job.short) + 1):  # as many as could fit
            present = model.NewBoolVar("")
            start = model.NewIntVar(job.s_lo, job.s_hi, "")
            length = model.NewIntVar(job.short, job.long, "")
            end = model.NewIntVar(job.s_lo, job.e_hi, "")
            model.Add(end == start + length)
            busy.append(
                model.NewOptionalIntervalVar(start - job.su, length + job.su + job.td, end + job.td, present, "")
            )
            gain = round(per_second[job.demand] * antenna.step_s / job.share * 1000)
            counted = model.NewIntVar(0, job.long, "")  # the length when present, else 0
            model.Add(counted == length).OnlyEnforceIf(present)
            model.Add(counted == 0).OnlyEnforceIf(present.Not())
            value.append(gain * counted - round(per_track[job.demand] / job.share * 1000) * present)
            model.Add(length == job.short).OnlyEnforceIf(present.Not())
    model.AddNoOverlap(busy)
    model.Maximize(sum(value))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    solver.parameters.max_time_in_seconds = 5.0  # a rare example takes CP-SAT minutes to prove
    status = solver.Solve(model)
    assume(status == cp_model.OPTIMAL)
    return solver.ObjectiveValue() / 1000


@pytest.mark.slow
@settings(max_examples=15, deadline=None, derandomize=True)
@given(st.data())
def test_pricing_finds_the_best_schedule_of_one_antenna(data) -> None:
    demands = []
    for index in range(data.draw(st.integers(1, 4))):
        shortest = data.draw(st.integers(2, 6)) * 600
        longest = shortest + data.draw(st.integers(0, 6)) * 600
        opportunities = []
        for _ in range(data.draw(st.integers(1, 3))):
            start = data.draw(st.integers(0, 30)) * 600
            end = start + data.draw(st.integers(shortest // 600, 20)) * 600
            setup, teardown = data.draw(st.sampled_from([(0, 0), (600, 300), (1200, 600)]))
            opportunities.append(Opportunity(("A",), start + setup, end - shortest, end, setup, teardown))
        demands.append(Demand(f"D{index}", f"D{index}", "M", "X", "t", 5, 3, shortest, longest, tuple(opportunities)))
    problem = Problem("price", EPOCH, 40 * 600, 60, ("A",), tuple(demands), (Downtime("A", 9000, 9600),))
    jobs = antenna_jobs(problem, list(range(len(demands))))
    assume(jobs)  # no opportunity holds a track: nothing to price
    (antenna,) = jobs
    per_second = np.array([data.draw(st.integers(0, 10)) for _ in demands], float)
    per_track = np.array([data.draw(st.integers(0, 3)) * 1000 for _ in demands], float)
    value, seconds, tracks = price(antenna, per_second, per_track)
    assert abs(value - _exact(antenna, per_second, per_track)) < 1e-6 * max(1.0, value) + 1
    assert abs(value - (per_second @ _dense(seconds, len(demands)) - per_track @ _dense(tracks, len(demands)))) < 1e-6


def _dense(values: dict, size: int) -> np.ndarray:
    out = np.zeros(size)
    for index, value in values.items():
        out[index] = value
    return out


@pytest.mark.slow
@settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_the_bound_is_never_below_a_schedule(problem: Problem) -> None:
    solution = solve_cpsat(problem, SolverSettings(time_limit_s=4.0, workers=1, seed=0))
    bound = relaxation_bound(problem, 5e6, 1, 60.0, solution.tracks)
    assert bound.objective >= score(problem, solution.tracks) / SCALE - 1e-6
    assert bound.time_bound >= metrics(problem, solution.tracks)["weighted_time_s"] - 1e-6
    assert bound.objective <= request_side(problem).cap @ request_side(problem).marginal(False) + 1e-6


def test_the_bound_falls_below_the_requested_total_where_antennas_are_short() -> None:
    """Two 4 h requests on one antenna free for 6 h: at most one fits (plus nothing else)."""
    opportunities = (Opportunity(("A",), 600, 2 * H, 6 * H - 600, 600, 600),)
    demands = tuple(Demand(f"R{i}", f"R{i}", f"M{i}", "NASA", "t", 1, 1, 4 * H, 4 * H, opportunities) for i in range(2))
    problem = Problem("short", EPOCH, 6 * H, 60, ("A",), demands)
    bound = relaxation_bound(problem, 1e7, 1, 60.0)
    assert bound.time_bound == 10 * 4 * H  # one track of priority 1: 4 h × weight 10, not 8 h

"""Small random problems for the relaxation's tests (times at odd seconds, so every rounding of
the 10-minute grid is exercised), and the exact optimum with the mission rule by CP-SAT."""

from datetime import UTC, datetime

from hypothesis import strategies as st
from ortools.sat.python import cp_model

from scheduler.problem.scoring import SCALE
from scheduler.problem.types import Demand, Downtime, Opportunity, Problem, Track, Weights
from scheduler.solvers.bound.steps import mission_key
from scheduler.solvers.cpsat.model import build_model
from scheduler.solvers.cpsat.readback import read_tracks

EPOCH = datetime(2026, 12, 7, tzinfo=UTC)
HORIZON = 10 * 3600
TIME_ONLY = Weights(time=1.0, fairness=0.0, agency_balance=0.0, floor=0.0)


@st.composite
def small_problems(draw: st.DrawFn, resolution: int = 60) -> Problem:
    """2–3 antennas, 3–6 demands of 2 missions: plain, split, array and concurrent, odd seconds."""
    antennas = ("A", "B", "C")[: draw(st.integers(2, 3))]
    demands = []
    for index in range(draw(st.integers(3, 6))):
        kind = draw(st.sampled_from(["plain", "plain", "split", "array", "concurrent"]))
        shortest = draw(st.integers(900, 5400))
        longest = shortest + draw(st.sampled_from([0, 0, 777, 2400]))
        opportunities = []
        for _ in range(draw(st.integers(1, 3))):
            start = draw(st.integers(0, HORIZON - 3 * 3600))
            setup, teardown = draw(st.sampled_from([(0, 0), (420, 301), (900, 900), (2700, 899)]))
            end = min(HORIZON, start + setup + draw(st.integers(shortest, 3 * shortest)))
            pair = draw(st.permutations(antennas))[:2]
            used = tuple(sorted(pair)) if kind == "array" else (pair[0],)
            opportunities.append(Opportunity(used, start + setup, end - shortest, end, setup, teardown))
        demands.append(
            Demand(f"R{index}", f"R{index}", f"M{draw(st.integers(0, 1))}", "NASA", "t", draw(st.integers(1, 10)),
                   draw(st.integers(1, 2)), shortest, longest, tuple(opportunities),
                   min_segment=shortest // 2 if kind == "split" else None, concurrent=kind == "concurrent")
        )  # fmt: skip
    outages = tuple(
        Downtime(draw(st.sampled_from(antennas)), (s := draw(st.integers(0, HORIZON))), s + draw(st.integers(60, 7200)))
        for _ in range(draw(st.integers(0, 2)))
    )
    weights = draw(st.sampled_from([Weights(), TIME_ONLY]))
    return Problem("small", EPOCH, HORIZON, resolution, antennas, tuple(demands), outages, weights=weights)


def optimum(problem: Problem, seconds: float = 20.0) -> tuple[float, tuple[Track, ...]] | None:
    """The best objective (per SCALE) and schedule under the mission rule, or None when CP-SAT
    cannot prove it within `seconds`."""
    allocation = build_model(problem)
    by_key: dict[str, list] = {}
    for candidate in allocation.candidates:
        if candidate.demand.coverage is None:
            by_key.setdefault(mission_key(candidate.demand), []).append(candidate.on_target)
    for intervals in by_key.values():  # the mission rule (a request's own tracks never overlap anyway)
        if len(intervals) > 1:
            allocation.model.AddNoOverlap(intervals)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    solver.parameters.max_time_in_seconds = seconds
    if solver.Solve(allocation.model) != cp_model.OPTIMAL:
        return None
    return solver.ObjectiveValue() / SCALE, read_tracks(allocation, problem, solver)

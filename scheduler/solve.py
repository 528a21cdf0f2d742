"""Solving an allocation problem: CP-SAT seeded with the greedy schedule, or greedy alone.

Both report the objective of `scheduler.model.objective.score` in priority-weighted seconds,
so their results compare directly; CP-SAT never returns a schedule worse than greedy's.
"""

import math
import time
from dataclasses import dataclass
from typing import Literal

from ortools.sat.python import cp_model

from scheduler.errors import InfeasibleError
from scheduler.greedy import solve_greedy_tracks
from scheduler.model import build_model
from scheduler.model.objective import SCALE, score
from scheduler.model.readback import read_tracks
from scheduler.problem import Problem, Track
from scheduler.strategy import ROUND_WALL_FACTOR, WHOLE_MODEL_SHARE, improve_by_windows, is_large, search, window_rounds

DETERMINISTIC_SHARE = 0.15  # CP-SAT work units per wall second, with a margin for slow machines

__all__ = ["Solution", "SolverSettings", "solve", "solve_cpsat", "solve_greedy"]


@dataclass(frozen=True)
class SolverSettings:
    time_limit_s: float = 30.0
    workers: int = 2
    seed: int = 0
    solver: Literal["cpsat", "greedy"] = "cpsat"


@dataclass(frozen=True)
class Solution:
    """Tracks and how good they are: objective and bound in priority-weighted seconds."""

    tracks: tuple[Track, ...]
    status: str
    objective: float
    bound: float
    solve_s: float
    solver: str = "cpsat"

    @property
    def gap(self) -> float:
        """Relative gap between the best bound and the objective (0 when proven optimal)."""
        if not math.isfinite(self.bound):
            return math.inf
        if self.bound <= self.objective:
            return 0.0
        return (self.bound - self.objective) / max(abs(self.bound), 1e-9)


def solve(problem: Problem, settings: SolverSettings) -> Solution:
    """The schedule of the solver `settings.solver` names."""
    return solve_greedy(problem) if settings.solver == "greedy" else solve_cpsat(problem, settings)


def solve_greedy(problem: Problem) -> Solution:
    began = time.perf_counter()
    tracks = solve_greedy_tracks(problem)
    value = score(problem, tracks) / SCALE
    return Solution(tracks, "FEASIBLE", value, math.inf, time.perf_counter() - began, "greedy")  # no bound


def solve_cpsat(problem: Problem, settings: SolverSettings) -> Solution:
    """Best schedule CP-SAT finds within the limits, starting from the greedy one; deterministic
    for a given seed. If CP-SAT ends with nothing better, the greedy schedule stands."""
    return _solve_cpsat(problem, settings, settings.time_limit_s * DETERMINISTIC_SHARE, settings.time_limit_s)


def solve_window(problem: Problem, settings: SolverSettings) -> Solution:
    """One time-window round: the deterministic budget of `settings.time_limit_s`, with a
    generous wall-clock safety net so that the budget, not the clock, ends the round."""
    deterministic_s = settings.time_limit_s * DETERMINISTIC_SHARE
    return _solve_cpsat(problem, settings, deterministic_s, settings.time_limit_s * ROUND_WALL_FACTOR, windows=False)


def _solve_cpsat(
    problem: Problem, settings: SolverSettings, deterministic_s: float, wall_s: float, windows: bool = True
) -> Solution:
    began = time.perf_counter()
    greedy = solve_greedy_tracks(problem)
    allocation = build_model(problem, greedy)
    # The deterministic budgets normally end the search first (the same seed then gives the same
    # schedule on any machine); the wall-clock limits are a safety net.
    rounds = window_rounds(settings.time_limit_s) if windows and is_large(allocation.model) else 0
    share = WHOLE_MODEL_SHARE if rounds else 1.0
    whole_wall_s = max(0.5, wall_s * share - (time.perf_counter() - began))
    solver = search(allocation.model, settings.workers, settings.seed, deterministic_s * share, whole_wall_s)
    status = solver.response_proto.status
    if status in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
        raise InfeasibleError(
            f"CP-SAT: {solver.StatusName(status).lower()} model; the locked tracks cannot all be kept as given"
        )
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    # With window rounds to follow, the whole model (cut by the clock at this scale) gives the
    # bound; its schedule only when proven optimal, so the rounds start from the same place.
    found_used = found and (status == cp_model.OPTIMAL or not rounds)
    tracks = read_tracks(allocation, problem, solver) if found_used else ()
    name = "cpsat"
    if not found_used or score(problem, tracks) < score(problem, greedy):
        tracks, name = greedy, "cpsat (greedy kept)"
    if rounds and status != cp_model.OPTIMAL:
        left = max(0.0, wall_s - (time.perf_counter() - began))
        before = score(problem, tracks)
        tracks = improve_by_windows(problem, tracks, rounds, settings.workers, settings.seed, left)
        if score(problem, tracks) > before:
            name, status = "cpsat+windows", cp_model.FEASIBLE
    value = score(problem, tracks) / SCALE
    status_name = "INFEASIBLE" if status == cp_model.INFEASIBLE else solver.StatusName(status) if found else "FEASIBLE"
    return Solution(tracks, status_name, value, _bound(solver, found, value), time.perf_counter() - began, name)


def _bound(solver: cp_model.CpSolver, found: bool, value: float) -> float:
    """CP-SAT's proved bound; infinite (gap unknown) when it proved none above a schedule it never
    found itself — the greedy schedule's value is no bound."""
    bound = solver.BestObjectiveBound() / SCALE
    if not math.isfinite(bound) or (not found and bound <= value):
        return math.inf
    return max(value, bound)

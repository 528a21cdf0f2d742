"""Running CP-SAT on an allocation model and reading the tracks back."""

import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.model import build_model
from scheduler.problem import Problem, Track

DETERMINISTIC_SHARE = 0.15  # CP-SAT work units per wall second, with a margin for slow machines


@dataclass(frozen=True)
class SolverSettings:
    time_limit_s: float = 30.0
    workers: int = 2
    seed: int = 0


@dataclass(frozen=True)
class Solution:
    tracks: tuple[Track, ...]
    status: str
    objective: float
    bound: float
    solve_s: float
    solver: str = "cpsat"

    @property
    def gap(self) -> float:
        """Relative gap between the best bound and the objective (0 when proven optimal)."""
        if self.bound <= 0:
            return 0.0
        return max(0.0, (self.bound - self.objective) / self.bound)


def solve_cpsat(problem: Problem, settings: SolverSettings) -> Solution:
    """Best schedule CP-SAT finds within the limits; deterministic for a given seed."""
    began = time.perf_counter()
    allocation = build_model(problem)
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = max(1, settings.workers)
    params.random_seed = settings.seed
    params.interleave_search = True  # deterministic parallel search
    params.extra_subsolvers.append("max_lp")  # full LP relaxation: proves tight bounds early
    # The deterministic budget normally ends the search first (the same seed then gives the same
    # schedule on any machine); the wall-clock limit is a safety net.
    params.max_deterministic_time = settings.time_limit_s * DETERMINISTIC_SHARE
    params.max_time_in_seconds = settings.time_limit_s
    status = solver.Solve(allocation.model)
    unit = allocation.resolution
    tracks: list[Track] = []
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        for candidate in allocation.candidates:
            if solver.BooleanValue(candidate.present):
                tracks.append(
                    Track(
                        candidate.demand.id,
                        candidate.opportunity.antennas,
                        solver.Value(candidate.start) * unit,
                        solver.Value(candidate.end) * unit,
                        candidate.setup * unit,
                        candidate.teardown * unit,
                    )
                )
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return Solution(
        tuple(sorted(tracks, key=lambda t: (t.start, t.antennas, t.demand_id))),
        solver.StatusName(status),
        solver.ObjectiveValue() if found else 0.0,
        solver.BestObjectiveBound() if found else 0.0,
        time.perf_counter() - began,
    )

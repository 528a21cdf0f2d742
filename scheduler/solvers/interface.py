"""The one solver interface: a `Problem` and `SolverSettings` in, a `Solution` out.

Every solver (greedy, CP-SAT, rolling windows over either) has the `Solver` signature, so plan,
repair, sweeps and SatNet weeks call `scheduler.solvers.solve` alike and the one search policy
(`scheduler.solvers.policy`) serves them all. Objectives and bounds are priority-weighted seconds
(`scheduler.problem.scoring`).
"""

import math
from dataclasses import dataclass
from typing import Protocol

from scheduler.problem.types import Problem, Track
from scheduler.progress import Progress, no_progress
from scheduler.settings import SEED, TIME_LIMIT_S, WORKERS, SolverName, check_solver_settings
from scheduler.solvers.bound import RelaxationBound


@dataclass(frozen=True, kw_only=True)
class SolverSettings:
    """How to solve, built by keyword and checked on construction (`scheduler/settings.py`: one
    default each, InputError before any work): `time_limit_s` caps the wall time (the search
    normally ends earlier on its deterministic work budget); `workers` solve rounds in parallel;
    `window_s` rolls long horizons (None: automatically past 8 days, 0: one model); `clock`
    false lets the work budgets alone end the search, however long that takes (reproducible
    measurements on a busy machine)."""

    time_limit_s: float = TIME_LIMIT_S
    workers: int = WORKERS
    seed: int = SEED
    solver: SolverName = "cpsat"
    window_s: int | None = None
    clock: bool = True

    def __post_init__(self) -> None:
        check_solver_settings(self.time_limit_s, self.workers, self.seed, self.solver, self.window_s)


@dataclass(frozen=True)
class Solution:
    """Tracks and how good they are: objective and bound in priority-weighted seconds (the bound
    proven by `bound_method`); `time_bound` bounds the priority-weighted seconds on target alone;
    `stopped_by` says whether the work budget or the wall clock ended the search, `cut_by_clock`
    which phases the clock cut short (the bound first)."""

    tracks: tuple[Track, ...]
    status: str
    objective: float
    bound: float
    solve_s: float
    solver: str = "cpsat"
    bound_method: str = ""
    time_bound: float = math.inf
    stopped_by: str = "budget"
    rounds: int = 0
    relaxation: RelaxationBound | None = None  # the relaxation's bound, curve and prices, when one ran
    cut_by_clock: tuple[str, ...] = ()  # phases the wall clock cut short: seed, whole model, rounds, bound
    seeded_by: str = "greedy"  # the search's starting schedule: greedy or the restricted master

    @property
    def gap(self) -> float:
        """Relative gap between the best bound and the objective (0 when proven optimal)."""
        if not math.isfinite(self.bound):
            return math.inf
        if self.bound <= self.objective:
            return 0.0
        return (self.bound - self.objective) / max(abs(self.bound), 1e-9)


class Solver(Protocol):
    """What every solver is: deterministic for given settings, never worse than greedy."""

    def __call__(self, problem: Problem, settings: SolverSettings, progress: Progress = no_progress) -> Solution: ...

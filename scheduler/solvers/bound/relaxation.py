"""One relaxation of one problem, in phases: columns before the search (their restricted master
MIP seeds it), more after it for the bound — on the objective, then on weighted time alone.

Each phase's work is fixed in deterministic units (pricing job-steps plus the master's simplex
iterations), so the seed and the bound do not depend on the machine; the bound's phase also has
a wall-clock safety net, and whatever the clock cuts is said (`cut`).
"""

import math
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from scheduler.problem.scoring import SCALE, coefficients
from scheduler.problem.types import Problem, Track
from scheduler.solvers.bound.columns import schedule_columns
from scheduler.solvers.bound.generation import Progress, generate
from scheduler.solvers.bound.master import Master
from scheduler.solvers.bound.pricing import Pricer, Prices, placement_value
from scheduler.solvers.bound.requests import request_side, request_value
from scheduler.solvers.bound.restricted import restricted_schedule
from scheduler.solvers.bound.steps import build_grid
from scheduler.solvers.policy import RELAXATION

METHOD = "Dantzig-Wolfe relaxation (antenna schedules, exact DP pricing, 10-minute steps)"


@dataclass(frozen=True)
class RelaxationBound:
    """Bounds on the objective and on priority-weighted seconds on target (infinite: none better
    than the requested total), how they were reached, and the prices that prove them."""

    objective: float
    time_bound: float
    method: str
    iterations: int
    seconds: float
    converged: bool
    curve: tuple[tuple[str, int, float, float, float], ...]  # (phase, iteration, seconds, master, bound)
    prices: dict[str, Prices]  # "objective" and "time": the prices of each best bound
    values: dict[str, float]  # each phase's best Lagrangian value there (objective units)
    step_s: int
    cut: str = ""  # what the wall clock cut short ("" nothing)


class Relaxation:
    """The relaxation of `problem`: its grid, request side, master and pricing, grown phase by phase."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.began = time.perf_counter()
        self.grid = build_grid(problem, RELAXATION.step_s)
        self.side = request_side(problem)
        self.master = Master(self.side, self.grid, time_only=False)
        self.pricer = Pricer(self.grid)
        self.objective, self.time = Progress(), Progress()
        self.trivial = {flag: request_value(self.side, np.zeros(len(self.side.priced)), flag) for flag in (False, True)}
        self.curve: list[tuple[str, int, float, float, float]] = []
        self.cut = ""

    @property
    def useful(self) -> bool:
        """Whether any antenna has something to price."""
        return any(self.grid.jobs)

    def rounds(self, work: float) -> int:
        """Pricing rounds that `work` job-steps pay for (at least one)."""
        return max(1, min(RELAXATION.max_iterations, int(work // max(1, self.grid.work()))))

    def add_schedule(self, tracks: tuple[Track, ...]) -> None:
        """A known schedule's antenna parts as columns."""
        for antenna, column in schedule_columns(self.problem, self.grid, tracks).items():
            self.master.add_column(antenna, column)

    def grow(self, work: float, time_only: bool, wall_s: float = math.inf, report=None) -> bool:
        """Column generation for `work` job-steps on the objective (or on weighted time alone);
        whether the wall clock (`wall_s`) cut it short."""
        state = self.time if time_only else self.objective
        if state.converged:
            return False
        before = state.iterations
        generate(self.master, self.pricer, self.side, state, self.rounds(work), time_only,
                 time.perf_counter() + wall_s, self.began, report)  # fmt: skip
        phase = "time" if time_only else "objective"
        self.curve += [(phase, *point) for point in state.curve[before:]]
        if state.cut_by_clock:
            said = f"{phase} phase stopped by the clock after {state.iterations} iterations"
            self.cut = f"{self.cut}; {said}" if self.cut else said
        return state.cut_by_clock

    def seed(
        self, work: float, wall_s: float, seed: int, workers: int, start: tuple[Track, ...] = ()
    ) -> tuple[Track, ...]:
        """The restricted master MIP's schedule (locked tracks included): the best real schedule of
        the pieces of the columns the master uses (its LP solution's support) and the tracks of
        `start` (a valid schedule: where the search begins, so nothing worse comes back) CP-SAT
        finds within `work`."""
        self.master.solve()
        columns = [[column for column, share in found if share > 1e-6] for found in self.master.chosen()]
        return restricted_schedule(self.problem, self.grid, self.side, columns, work, wall_s, seed, workers, start)

    def losses(self, tracks: tuple[Track, ...], length: int) -> tuple[tuple[int, int, float], ...]:
        """Windows [start, start + length) (every length/2 seconds) where the schedule `tracks` is
        worth less, at the best prices so far, than the antennas' best schedules at those prices:
        (start, end, value lost), only where some is lost."""
        prices = self.objective.prices
        if prices is None or length <= 0:
            return ()
        half = max(1, length // 2)
        lost: dict[int, float] = defaultdict(float)
        best = self.pricer.price_all(prices)
        mine = schedule_columns(self.problem, self.grid, tracks)
        for antenna, (_, column) in enumerate(best):
            jobs = self.grid.jobs[antenna]
            for sign, placed in ((1.0, column), (-1.0, mine.get(antenna, ()))):
                for k, start, end in placed:
                    value = placement_value(self.grid, jobs[k], start, end, prices)
                    lost[start * self.grid.step // half] += sign * value
        return tuple((n * half, n * half + length, loss) for n, loss in sorted(lost.items()) if loss > 0)

    def result(self) -> RelaxationBound:
        scale = coefficients(self.problem).time / SCALE  # objective units per priority-weighted second
        time_value = self.time.best if self.time.iterations else math.inf
        time_bound = time_value / scale if scale > 0 and time_value < self.trivial[True] - 1e-9 else math.inf
        phases = (("objective", self.objective), ("time", self.time))
        prices = {name: s.prices for name, s in phases if s.prices is not None}
        values = {name: float(s.best) for name, s in phases if s.prices is not None}
        return RelaxationBound(
            self.objective.best if self.objective.iterations else math.inf,
            time_bound,
            METHOD,
            self.objective.iterations + self.time.iterations,
            time.perf_counter() - self.began,
            self.objective.converged and self.time.converged,
            tuple(self.curve),
            prices,
            values,
            self.grid.step,
            self.cut,
        )


def bound_only(
    problem: Problem,
    time_limit_s: float,
    start: tuple[Track, ...] = (),
    progress: Callable[[str], None] | None = None,
    time_only: bool = False,
) -> RelaxationBound:
    """The relaxation alone within `time_limit_s` (its work budget at the policy's rate, the clock a
    safety net): the objective's columns, then weighted time's, each with its share of the limit
    (`time_only`: weighted time's alone, as SatNet's T_S asks); `start` seeds the columns."""
    from scheduler.solvers.policy import POLICY

    relaxation = Relaxation(problem)
    if not relaxation.useful:
        return relaxation.result()
    relaxation.add_schedule(start)
    share = 1.0 if time_only else RELAXATION.time_share
    phases = ((True, 1.0),) if time_only else ((False, 1.0 - share), (True, share))
    ends = time.perf_counter()
    for flag, part in phases:
        ends += time_limit_s * part
        report = _curve_lines(progress, "time" if flag else "objective")
        relaxation.grow(time_limit_s * part * POLICY.bound_rate, flag, max(0.0, ends - time.perf_counter()), report)
    return relaxation.result()


def _curve_lines(progress: Callable[[str], None] | None, phase: str):
    """Each iteration of `phase` as one progress line, or None."""
    if progress is None:
        return None

    def report(point: tuple[int, float, float, float]) -> None:
        progress(f"{phase} {point[0]:4d} {point[1]:8.1f} s  master {point[2]:.6g}  bound {point[3]:.6g}")

    return report

"""Column generation for the relaxation, with a valid bound at every iteration.

Each iteration solves the restricted master (adding the mission-rule rows its solution breaks),
prices every antenna at stabilised prices (`stabilise`) and keeps the best value of the
Lagrangian function there (`lagrangian`: a bound for ANY prices, so the best one seen is a bound
even if the loop stops early). Columns that improve the master join it; when none does
(mis-pricing) the antennas are priced again at the master's own prices, where no new column
means the master is the LP optimum and the bound meets it.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from scheduler.solvers.bound.lagrangian import clipped, evaluate, flat, unflat
from scheduler.solvers.bound.master import Master, Solved
from scheduler.solvers.bound.pricing import Pricer, Prices, column_value, zero_prices
from scheduler.solvers.bound.requests import RequestSide
from scheduler.solvers.bound.stabilise import Centre, separation
from scheduler.solvers.policy import RELAXATION


@dataclass
class Progress:
    """The state a run carries between its phases: the best bound and its prices, the curve
    (iteration, seconds, master value, best bound), the work spent, whether it converged."""

    best: float = np.inf
    prices: Prices | None = None
    centre: Centre | None = None
    curve: list[tuple[int, float, float, float]] = field(default_factory=list)
    work: float = 0.0
    iterations: int = 0
    converged: bool = False
    cut_by_clock: bool = False


def generate(
    master: Master, pricer: Pricer, side: RequestSide, state: Progress, iterations: int, time_only: bool,
    deadline: float, began: float, report: Callable[[tuple[int, float, float, float]], None] | None = None,
) -> Progress:  # fmt: skip
    """Up to `iterations` rounds of pricing (each every antenna), or until converged or `deadline`
    (perf_counter seconds): the best bound lands in `state`."""
    grid = pricer.grid
    master.set_objective(time_only)
    per_round = grid.work()
    for _ in range(iterations):
        solved = _solve(master)
        if np.isfinite(state.best) and state.best - solved.value <= RELAXATION.tolerance * max(1.0, abs(state.best)):
            state.converged = True
            break
        if time.perf_counter() > deadline:
            state.cut_by_clock = True
            break
        if not np.isfinite(state.best):  # zero prices prove the trivial bound
            zero = zero_prices(grid, len(side.weight))
            state.best, state.prices = evaluate(side, grid, zero, pricer.price_all(zero), time_only)[0], zero
        out = flat(clipped(side, grid, solved.prices, time_only))
        points = [out] if state.centre is None else [separation(state.centre, out, s) for s in RELAXATION.steps] + [out]
        added, priced = 0, []
        for point in points:
            prices = clipped(side, grid, unflat(point, solved.prices), time_only)
            found = pricer.price_all(prices)
            state.work += per_round
            bound, falling = evaluate(side, grid, prices, found, time_only)
            priced.append((bound, prices, falling))
            added += sum(
                master.add_column(a, column)
                for a, (_, column) in enumerate(found)
                if column_value(grid, a, column, solved.prices) > solved.convexity[a] + 1e-7
            )
            if added and len(priced) == len(points) - 1:
                break  # no mis-pricing: the master's own prices are not needed
        bound, prices, falling = min(priced, key=lambda item: item[0])
        if state.centre is None or bound < state.centre.value:  # the best prices priced so far
            state.centre = Centre(flat(prices), falling, bound)
        if bound < state.best:
            state.best, state.prices = bound, prices
        state.iterations += 1
        state.curve.append((state.iterations, round(time.perf_counter() - began, 3), solved.value, state.best))
        if report is not None:
            report(state.curve[-1])
    return state


def _solve(master: Master) -> Solved:
    """The master at its optimum with every mission-rule row its solution needs."""
    while True:
        solved = master.solve()
        broken = master.broken(RELAXATION.rows_per_round)
        if not broken:
            return solved
        master.add_rows(broken)

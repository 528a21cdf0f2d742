"""Column generation for the relaxation, with a valid bound at every iteration.

For ANY prices (π, α, ν, σ ≥ 0) the Lagrangian function

    L = max_{z,g,u,v} [objective − Σ π_r z_r] + Σ π_r L_r + Σ_g (π_r − Σ_i α_gi)⁺ Y_g + Σ ν_r N_r
        + Σ σ_kt · room_kt + Σ_a DP_a(π, α, ν, σ)

bounds the grid problem's optimum, hence the real one's (`steps`): relax every master row with its
price, and what is left splits into the request side (an LP), the array variables (each y_g at 0
or Y_g), and one exact pricing problem per antenna (`pricing.price`, ≥ 0: the empty schedule).
So the best value seen is a bound even if the loop stops early. The loop prices at Wentges-smoothed
prices (a share of the best prices so far); when that finds no column the master lacks
(mis-pricing) it prices again at the master's own, where no new column means the master is the
LP optimum and L meets it. Mission-rule rows join the master when its solution breaks them.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from scheduler.solvers.bound.master import Master, Solved
from scheduler.solvers.bound.pricing import Pricer, Prices, column_value
from scheduler.solvers.bound.requests import RequestSide, request_value
from scheduler.solvers.bound.steps import Grid
from scheduler.solvers.policy import RELAXATION


@dataclass
class Progress:
    """The state a run carries between its phases: the best bound and its prices, the curve
    (iteration, seconds, master value, best bound), the work spent, whether it converged."""

    best: float = np.inf
    prices: Prices | None = None
    curve: list[tuple[int, float, float, float]] = field(default_factory=list)
    work: float = 0.0
    iterations: int = 0
    converged: bool = False
    cut_by_clock: bool = False


def lagrangian(side: RequestSide, grid: Grid, prices: Prices, values: list[float], time_only: bool) -> float:
    """L at these prices, given each antenna's best schedule value DP_a."""
    priced = np.asarray(grid.priced, dtype=np.int64)
    pi = prices.link[priced]
    total = request_value(side, pi, time_only) + float(pi @ side.locked[priced] + prices.track[priced] @ side.tracks[priced])
    for group in grid.arrays:
        total += max(0.0, prices.link[group.demand] - sum(prices.link[i] for i in group.links)) * group.most
    room = prices.occupancy.sum() - sum(prices.occupancy[k, t] for k, t in grid.full)
    return total + float(room) + sum(max(0.0, v) for v in values)


def clipped(side: RequestSide, grid: Grid, prices: Prices, time_only: bool) -> Prices:
    """Prices no higher than a second of each demand can be worth (higher ones only loosen L)."""
    most = side.marginal(time_only)
    link = prices.link.copy()
    link[: len(most)] = np.minimum(link[: len(most)], most)
    for group in grid.arrays:
        link[list(group.links)] = np.minimum(link[list(group.links)], most[group.demand])
    return Prices(link, np.minimum(prices.track, most * side.longest), prices.occupancy)


def _mix(centre: Prices, current: Prices, share: float) -> Prices:
    return Prices(*(share * a + (1 - share) * b for a, b in zip(
        (centre.link, centre.track, centre.occupancy), (current.link, current.track, current.occupancy), strict=True)))  # fmt: skip


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
        tries = [solved.prices]
        if state.prices is not None:  # smoothed towards the best prices first, the master's own last
            tries = [_mix(state.prices, solved.prices, share) for share in RELAXATION.smoothing] + tries
        added = 0
        for number, prices in enumerate(tries):
            if added and number == len(tries) - 1:
                break  # the smoothed prices found columns: no mis-pricing
            prices = clipped(side, grid, prices, time_only)
            found = pricer.price_all(prices)
            state.work += per_round
            bound = lagrangian(side, grid, prices, [v for v, _ in found], time_only)
            if bound < state.best:
                state.best, state.prices = bound, prices
            added += sum(
                master.add_column(a, column)
                for a, (_, column) in enumerate(found)
                if column_value(grid, a, column, solved.prices) > solved.convexity[a] + 1e-7
            )
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

"""The Lagrangian function of the relaxation: its value at any prices (a valid bound), and where it
falls fastest (a subgradient), for the column generation and its stabilisation.

For ANY prices (π, α, ν, σ ≥ 0)

    L = max_{z,g,u,v} [objective − Σ π_r z_r] + Σ π_r L_r + Σ_g (π_r − Σ_i α_gi)⁺ Y_g + Σ ν_r N_r
        + Σ σ_kt · room_kt + Σ_a DP_a(π, α, ν, σ)

bounds the grid problem's optimum, hence the real one's (`steps`): price every master row, and
what is left splits into the request side (an LP), the array variables (each y_g at 0 or Y_g) and
one exact pricing problem per antenna (`pricing`, ≥ 0: the empty schedule). With x(π) the
maximisers, usage − bound of each row (`A x(π) − b`) is a direction in which L falls.
"""

import numpy as np

from scheduler.solvers.bound.pricing import Placement, Prices
from scheduler.solvers.bound.requests import RequestSide, request_solution
from scheduler.solvers.bound.steps import Grid

HOUR = 3600.0  # link rows count hours in the geometry of prices (as in the master)


def evaluate(
    side: RequestSide, grid: Grid, prices: Prices, found: list[tuple[float, tuple[Placement, ...]]], time_only: bool
) -> tuple[float, np.ndarray]:
    """L at these prices, given each antenna's best schedule (value, placements), and the
    direction in which L falls (flattened like `flat`)."""
    priced = np.asarray(grid.priced, dtype=np.int64)
    pi = prices.link[priced]
    value, z = request_solution(side, pi, time_only)
    value += float(pi @ side.locked[priced] + prices.track[priced] @ side.tracks[priced])
    link_use = np.zeros(grid.links)
    link_use[priced] = z[priced] - side.locked[priced]
    track_use = np.zeros(len(side.weight))
    track_use[priced] = -side.tracks[priced]
    for group in grid.arrays:
        gain = prices.link[group.demand] - sum(prices.link[i] for i in group.links)
        if gain > 0:
            value += gain * group.most
            link_use[group.demand] -= group.most
            link_use[list(group.links)] += group.most
    held = np.zeros_like(prices.occupancy)
    for antenna, (dp, column) in enumerate(found):
        value += max(0.0, dp)
        for k, start, end in column:
            job = grid.jobs[antenna][k]
            link_use[job.link] -= job.counted(start, end) * grid.step
            track_use[job.demand] += 1 / job.share
            if job.key >= 0:
                held[job.key, start:end] += 1 / job.share
    room = np.ones_like(held)
    for key, t in grid.full:
        room[key, t] = 0.0
    value += float((prices.occupancy * room).sum())
    return value, np.concatenate((link_use / HOUR, track_use, (held - room).ravel()))


def flat(prices: Prices) -> np.ndarray:
    """Prices as one vector (a second's price per hour, so that every row weighs alike)."""
    return np.concatenate((prices.link * HOUR, prices.track, prices.occupancy.ravel()))


def unflat(vector: np.ndarray, like: Prices) -> Prices:
    links, tracks = len(like.link), len(like.track)
    return Prices(
        vector[:links] / HOUR,
        vector[links : links + tracks].copy(),
        vector[links + tracks :].reshape(like.occupancy.shape),
    )


def clipped(side: RequestSide, grid: Grid, prices: Prices, time_only: bool) -> Prices:
    """Prices within [0, what a second of each demand can be worth] (higher ones only loosen L)."""
    most = side.marginal(time_only)
    link = np.maximum(prices.link, 0.0)
    link[: len(most)] = np.minimum(link[: len(most)], most)
    for group in grid.arrays:
        link[list(group.links)] = np.minimum(link[list(group.links)], most[group.demand])
    track = np.clip(prices.track, 0.0, most * side.longest)
    return Prices(link, track, np.maximum(prices.occupancy, 0.0))

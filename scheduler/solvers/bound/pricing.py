"""Pricing: the best schedule of one antenna at given prices, exactly, by dynamic programming.

A job (`steps.Job`) placed on steps [S, E) is worth g·(E − S + c) − Σ_{t ∈ [S, E)} σ_t / share − ν / share:
g = Δ·(its row's price per second), σ the mission-rule prices of its key, ν its demand's price
per piece, c its credit (less its head or tail at the view period's edges: `Job.counted`). With
P(x) = g·x − Σ_{t<x} σ_t / share this is P(E) + g·c − P(S) − ν / share: a part of
the start and a part of the end. The best set of placements whose antenna uses [S − su, E + td)
do not overlap is weighted interval scheduling with flexible start and length: F[t], the best
schedule whose antenna use ends by step t, takes for every job and end E the best start in its
window [max(s_lo, E − long), min(s_hi, E − short)] (`kernel`, compiled).
"""

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from scheduler.solvers.bound.steps import Grid, Job

Placement = tuple[int, int, int]  # (job index on the antenna, S, E)


@dataclass(frozen=True)
class Prices:
    """Prices of the master rows the antenna schedules feed: a second in each link row, a piece of
    each demand, and a step of each mission-rule key (`occupancy[key, step]`)."""

    link: np.ndarray
    track: np.ndarray
    occupancy: np.ndarray


def zero_prices(grid: Grid, demands: int) -> Prices:
    return Prices(np.zeros(grid.links), np.zeros(demands), np.zeros((len(grid.keys), grid.steps + 1)))


def placement_value(grid: Grid, job: Job, start: int, end: int, prices: Prices) -> float:
    """What one placement is worth at these prices."""
    gain = prices.link[job.link] * grid.step
    held = prices.occupancy[job.key, start:end].sum() if job.key >= 0 else 0.0
    return gain * job.counted(start, end) - (held + prices.track[job.demand]) / job.share


def column_value(grid: Grid, antenna: int, column: tuple[Placement, ...], prices: Prices) -> float:
    jobs = grid.jobs[antenna]
    return sum(placement_value(grid, jobs[k], s, e, prices) for k, s, e in column)


class Pricer:
    """Each antenna's jobs as arrays, built once; `price` solves one antenna at given prices.
    One object per relaxation: nothing is shared between threads."""

    def __init__(self, grid: Grid) -> None:
        self.grid = grid
        self.tables = [_table(jobs) for jobs in grid.jobs]

    def price_all(self, prices: Prices) -> list[tuple[float, tuple[Placement, ...]]]:
        """Every antenna's best schedule at these prices."""
        held = np.concatenate((np.zeros((prices.occupancy.shape[0], 1)), np.cumsum(prices.occupancy, axis=1)), 1)
        return [self.price(a, prices, held) for a in range(len(self.tables))]

    def price(
        self, antenna: int, prices: Prices, held: np.ndarray | None = None
    ) -> tuple[float, tuple[Placement, ...]]:
        """The best schedule of antenna number `antenna` at these prices: its value and placements
        (`held`: the prices' running sums of mission-rule prices, when already at hand)."""
        from scheduler.solvers.bound.kernel import best_schedule  # compiled on first use

        grid, table = self.grid, self.tables[antenna]
        if not table.jobs.shape[0]:
            return 0.0, ()
        gain = prices.link[table.link] * grid.step
        chosen = np.nonzero(gain > 0)[0]
        if not len(chosen):
            return 0.0, ()
        if held is None:
            held = np.concatenate((np.zeros((prices.occupancy.shape[0], 1)), np.cumsum(prices.occupancy, axis=1)), 1)
        steps = np.arange(grid.steps + 2, dtype=float)
        lines = prices.link[table.line_link, None] * grid.step * steps[None, :]
        keyed = table.line_key >= 0
        lines[keyed] -= held[table.line_key[keyed]] / table.line_share[keyed, None]
        jobs = table.jobs[chosen]
        offset = int((jobs[:, 0] - jobs[:, 5]).min())
        size = int((jobs[:, 2] + jobs[:, 6]).max()) - offset + 1
        cost = prices.track[table.demand[chosen]] / table.share[chosen]
        best, won_by, won_at = best_schedule(jobs, cost, gain[chosen], table.credit[chosen], table.head[chosen],
                                             table.tail[chosen], table.line_of[chosen],
                                             lines, offset, size)  # fmt: skip
        placed = []
        t = size - 1
        while t >= 0:
            k = int(won_by[t])
            if k < 0:
                t -= 1
                continue
            start = int(won_at[t])
            placed.append((int(chosen[k]), start, t + offset - int(jobs[k, 6])))
            t = start - int(jobs[k, 5]) - offset  # the schedule before it ends by the job's setup
        return float(best[-1]), tuple(sorted(placed))


@dataclass(frozen=True)
class _Table:
    """An antenna's jobs: rows (s_lo, s_hi, e_hi, short, long, su, td), their rows, demands, shares,
    and the distinct (row, key, share) lines P their values follow."""

    jobs: np.ndarray
    link: np.ndarray
    demand: np.ndarray
    share: np.ndarray
    credit: np.ndarray
    head: np.ndarray
    tail: np.ndarray
    line_of: np.ndarray
    line_link: np.ndarray
    line_key: np.ndarray
    line_share: np.ndarray


def _table(jobs: tuple[Job, ...]) -> _Table:
    lines: dict[tuple[int, int, int], int] = {}
    line_of = [lines.setdefault((j.link, j.key, j.share), len(lines)) for j in jobs]
    found = np.array(list(lines), dtype=np.int64).reshape(-1, 3)
    return _Table(
        np.array([(j.s_lo, j.s_hi, j.e_hi, j.short, j.long, j.su, j.td) for j in jobs], dtype=np.int64).reshape(-1, 7),
        np.array([j.link for j in jobs], dtype=np.int64),
        np.array([j.demand for j in jobs], dtype=np.int64),
        np.array([j.share for j in jobs], dtype=float),
        np.array([j.credit for j in jobs], dtype=float),
        np.array([j.head for j in jobs], dtype=float),
        np.array([j.tail for j in jobs], dtype=float),
        np.array(line_of, dtype=np.int64),
        found[:, 0],
        found[:, 1],
        found[:, 2].astype(float),
    )


def pieces(grid: Grid, antenna: int, column: tuple[Placement, ...]) -> dict[int, float]:
    """Pieces per demand a column places (an array piece counting 1/share on each member)."""
    found: dict[int, float] = defaultdict(float)
    for k, _s, _e in column:
        job = grid.jobs[antenna][k]
        found[job.demand] += 1 / job.share
    return dict(found)

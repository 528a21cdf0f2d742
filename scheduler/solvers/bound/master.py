"""The restricted master LP of the relaxation (HiGHS, grown in place by columns and rows, each
solve warm from the last basis).

Columns λ_ak: antenna a follows schedule k (`pricing.Placement`s), Σ_k λ_ak ≤ 1. Rows, besides
the request side's (`requests.RequestSide`):
- each demand r:    z_r − Σ_g y_g − Σ λ·(r's seconds on one antenna) ≤ L_r      (price π_r)
- each array g of r, member i:  y_g − Σ λ·(member i's seconds on g) ≤ 0, 0 ≤ y_g ≤ Y_g  (α_gi)
- each demand r:    Σ λ·(r's pieces) ≤ N_r                                      (ν_r)
- the mission rule, each key and step t held by some schedule: Σ λ·held ≤ 1, or 0 where a locked
  track holds it (σ_kt), added when the master's solution breaks it.
"""

import contextlib
import os
from collections import defaultdict
from dataclasses import dataclass

import highspy
import numpy as np

from scheduler.solvers.bound.pricing import Placement, Prices
from scheduler.solvers.bound.requests import RequestSide
from scheduler.solvers.bound.steps import Grid

INFINITY = highspy.kHighsInf
HOUR = 3600.0  # the master counts time in hours (coefficients near 1: the simplex stays accurate)


@dataclass(frozen=True)
class Solved:
    """A master solution: its value, the prices of its rows, each antenna's convexity price."""

    value: float
    prices: Prices
    convexity: np.ndarray


class Master:
    """The restricted master; one object per relaxation (nothing shared between threads)."""

    def __init__(self, side: RequestSide, grid: Grid, time_only: bool) -> None:
        self.side, self.grid = side, grid
        self.lp = _highs()
        timed = len(side.weight) + len(side.missions)  # z and g count seconds: hours here
        matrix, rhs, bounds = side.constraints()
        self.scale = np.concatenate((np.full(timed, HOUR), np.ones(len(bounds) - timed)))
        lower = np.array([lo for lo, _ in bounds]) / self.scale
        upper = np.array([hi for _, hi in bounds]) / self.scale
        self.lp.addVars(len(bounds), lower, upper)
        matrix = (matrix.tocsc() @ _diagonal(self.scale)).tocsr()
        size = np.maximum(abs(matrix).max(axis=1).toarray().ravel(), 1e-12)  # rows scaled to coefficients ≤ 1
        for row in range(matrix.shape[0]):
            cols = matrix.indices[matrix.indptr[row] : matrix.indptr[row + 1]]
            self._row(
                -INFINITY,
                rhs[row] / size[row],
                cols,
                matrix.data[matrix.indptr[row] : matrix.indptr[row + 1]] / size[row],
            )
        self.vars = len(bounds)
        self.link_rows: dict[int, int] = {}
        self.count_rows: dict[int, int] = {}
        arrays_of: dict[int, list[int]] = defaultdict(list)
        for group in grid.arrays:
            arrays_of[group.demand].append(self._var(0.0, group.most / HOUR))
        for r in grid.priced:
            self.link_rows[r] = self._row(
                -INFINITY, side.locked[r] / HOUR, [r, *arrays_of[r]], [1.0] + [-1.0] * len(arrays_of[r])
            )
            self.count_rows[r] = self._row(-INFINITY, side.tracks[r], [], [])
        number = {r: 0 for r in arrays_of}
        for group in grid.arrays:
            y = arrays_of[group.demand][number[group.demand]]
            number[group.demand] += 1
            for link in group.links:
                self.link_rows[link] = self._row(-INFINITY, 0.0, [y], [1.0])
        self.convexity = [self._row(-INFINITY, 1.0, [], []) for _ in grid.antennas]
        self.held_rows: dict[tuple[int, int], int] = {}
        self.held_by_key: dict[int, list[tuple[int, int, int, float]]] = defaultdict(list)  # (column, S, E, weight)
        self.columns: list[list[tuple[tuple[Placement, ...], int]]] = [[] for _ in grid.antennas]
        self.seen: set[tuple[int, tuple[Placement, ...]]] = set()
        self.rows = self.lp.getNumRow()
        self.set_objective(time_only)

    def _var(self, lower: float, upper: float) -> int:
        self.lp.addVar(lower, upper)
        self.vars = self.lp.getNumCol()
        return self.vars - 1

    def _row(self, lower: float, upper: float, cols, values) -> int:
        cols, values = np.asarray(cols, dtype=np.int32), np.asarray(values, dtype=float)
        self.lp.addRow(float(lower), float(upper), len(cols), cols, values)
        return self.lp.getNumRow() - 1

    def set_objective(self, time_only: bool) -> None:
        coefficients = self.side.objective(time_only) * self.scale
        self.unit = float(np.abs(coefficients).max()) or 1.0  # objective units per LP unit: near 1 for the simplex
        count = len(coefficients)
        self.lp.changeColsCost(count, np.arange(count, dtype=np.int32), coefficients / self.unit)
        self.lp.changeObjectiveSense(highspy.ObjSense.kMaximize)

    def add_column(self, antenna: int, column: tuple[Placement, ...]) -> bool:
        """Add antenna `antenna`'s schedule `column` (False when the master has it already)."""
        if not column or (antenna, column) in self.seen:
            return False
        self.seen.add((antenna, column))
        grid = self.grid
        index = self.lp.getNumCol()
        entries: dict[int, float] = defaultdict(float)
        entries[self.convexity[antenna]] = 1.0
        for k, start, end in column:
            job = grid.jobs[antenna][k]
            entries[self.link_rows[job.link]] -= job.counted(start, end) * grid.step / HOUR
            entries[self.count_rows[job.demand]] += 1 / job.share
            if job.key >= 0 and end > start:
                self.held_by_key[job.key].append((index, start, end, 1 / job.share))
                for t in range(start, end):
                    row = self.held_rows.get((job.key, t))
                    if row is not None:
                        entries[row] += 1 / job.share
        rows = np.array(list(entries), dtype=np.int32)
        self.lp.addCol(0.0, 0.0, INFINITY, len(rows), rows, np.array(list(entries.values())))
        self.columns[antenna].append((column, index))
        return True

    def add_rows(self, cells: list[tuple[int, int]]) -> None:
        """Mission-rule rows for (key, step) cells, with every column's share of them."""
        by_cell: dict[tuple[int, int], dict[int, float]] = {}
        for cell in cells:
            if cell not in self.held_rows and cell not in by_cell:
                by_cell[cell] = defaultdict(float)
        keys: dict[int, set[int]] = defaultdict(set)
        for key, t in by_cell:
            keys[key].add(t)
        for key, steps in keys.items():
            for column, start, end, weight in self.held_by_key[key]:
                for t in steps.intersection(range(start, end)):
                    by_cell[(key, t)][column] += weight
        for cell, found in by_cell.items():
            self.held_rows[cell] = self._row(
                -INFINITY, 0.0 if cell in self.grid.full else 1.0, list(found), list(found.values())
            )

    def solve(self) -> Solved:
        self.lp.run()
        if self.lp.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"relaxation master LP: {self.lp.modelStatusToString(self.lp.getModelStatus())}")
        self.solution = self.lp.getSolution()
        duals = np.maximum(np.asarray(self.solution.row_dual), 0.0) * self.unit
        grid = self.grid
        link = np.zeros(grid.links)
        for index, row in self.link_rows.items():
            link[index] = duals[row] / HOUR
        track = np.zeros(len(self.side.weight))
        for index, row in self.count_rows.items():
            track[index] = duals[row]
        occupancy = np.zeros((len(grid.keys), grid.steps + 1))
        for (key, t), row in self.held_rows.items():
            occupancy[key, t] = duals[row]
        convexity = np.array([duals[row] for row in self.convexity])
        value = self.lp.getInfo().objective_function_value * self.unit
        return Solved(value, Prices(link, track, occupancy), convexity)

    def work(self) -> int:
        """Simplex iterations of the last solve (deterministic work)."""
        return int(self.lp.getInfo().simplex_iteration_count)

    def broken(self, limit: int) -> list[tuple[int, int]]:
        """Up to `limit` mission-rule cells the current solution over-fills and no row guards yet,
        the most over-filled first."""
        grid = self.grid
        held = np.zeros((len(grid.keys), grid.steps + 1))
        values = np.asarray(self.solution.col_value)
        for key, spans in self.held_by_key.items():
            for var, start, end, weight in spans:
                value = values[var]
                if value > 1e-9:
                    held[key, start:end] += value * weight
        room = np.ones_like(held)
        for key, t in grid.full:
            room[key, t] = 0.0
        over = held - room
        keys, steps = np.nonzero(over > 1e-6)
        found = [(float(over[k, t]), int(k), int(t)) for k, t in zip(keys, steps, strict=True)
                 if (int(k), int(t)) not in self.held_rows]  # fmt: skip
        found.sort(key=lambda item: (-item[0], item[1], item[2]))
        return [(k, t) for _, k, t in found[:limit]]

    def contested(self) -> list[tuple[int, int]]:
        """Mission-rule cells that schedules of different antennas could over-fill at all."""
        grid = self.grid
        reach = np.zeros((len(grid.keys), grid.steps + 1))
        for jobs in grid.jobs:
            mine = np.zeros_like(reach)
            for job in jobs:
                if job.key >= 0:
                    mine[job.key, job.s_lo : job.e_hi] = np.maximum(mine[job.key, job.s_lo : job.e_hi], 1 / job.share)
            reach += mine
        room = np.ones_like(reach)
        for key, t in grid.full:
            room[key, t] = 0.0
        keys, steps = np.nonzero(reach > room + 1e-9)
        return [(int(k), int(t)) for k, t in zip(keys, steps, strict=True)]

    def chosen(self) -> list[list[tuple[tuple[Placement, ...], float]]]:
        """Per antenna, its columns with their values in the current solution."""
        values = np.asarray(self.solution.col_value)
        return [[(column, float(values[var])) for column, var in found] for found in self.columns]


def _diagonal(values: np.ndarray):
    from scipy.sparse import diags

    return diags(values)


def _highs() -> highspy.Highs:
    """A quiet HiGHS instance (its first one per process prints a banner on standard output)."""
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        stdout = os.dup(1)
        try:
            os.dup2(sink.fileno(), 1)
            lp = highspy.Highs()
        finally:
            os.dup2(stdout, 1)
            os.close(stdout)
    lp.setOptionValue("output_flag", False)
    lp.setOptionValue("simplex_strategy", 4)  # primal: new columns keep the basis primal feasible)
    return lp

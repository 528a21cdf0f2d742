"""The linear programs of the relaxation bound (HiGHS through scipy): the restricted master over
antenna schedules, and the request side of the Lagrangian function.

Variables: z_r, the counted seconds of demand r (0 ≤ z_r ≤ cap_r); g_m ≤ min(floor_m, Σ_{r∈m} z_r),
a mission's floor seconds; u ≥ 1 − Z_m/req_m over missions (U_max) and v likewise over agencies.
The objective is the problem's own (`scheduler.problem.scoring`), in objective units per SCALE,
with unsatisfied fractions taken exactly rather than in rounded-up thousandths (which can only
raise the bound), and without the change penalty and the consent term (both ≤ 0); `time_only` keeps Σ w·z alone.
Priced demands link to the antenna schedules: z_r ≤ L_r + Σ_ak μ_ak T_akr (dual π_r) and
Σ_ak μ_ak n_akr ≤ N_r (dual ν_r), with Σ_k μ_ak = 1 per antenna.
"""

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix, csr_matrix, hstack, vstack

Column = tuple[dict[int, float], dict[int, float]]  # seconds and tracks per demand index


@dataclass(frozen=True)
class RequestSide:
    """What the LPs need to know of the demands (arrays indexed by demand)."""

    weight: np.ndarray  # objective units per counted second
    cap: np.ndarray  # most seconds that can count
    locked: np.ndarray  # seconds the locked tracks already count (L_r)
    tracks: np.ndarray  # pieces the antenna schedules may still add (N_r)
    longest: np.ndarray  # seconds one piece may count at most
    priced: np.ndarray  # indices of the demands linked to antenna schedules
    missions: list[np.ndarray]  # demand indices per mission
    mission_requested: np.ndarray
    floors: np.ndarray  # floor seconds per mission
    floor_weight: float  # objective units per floor second
    agencies: list[np.ndarray]
    agency_requested: np.ndarray
    fairness: float  # objective units per unit of U_max
    agency_balance: float

    def marginal(self, time_only: bool) -> np.ndarray:
        """The most a counted second of each demand can add to the objective: prices above it
        only loosen the Lagrangian bound, so they are clipped to it."""
        if time_only:
            return self.weight.copy()
        most = self.weight.copy()
        for members, floor, asked in zip(self.missions, self.floors, self.mission_requested, strict=True):
            most[members] += (self.floor_weight if floor > 0 else 0.0) + (self.fairness / asked if asked > 0 else 0.0)
        for members, asked in zip(self.agencies, self.agency_requested, strict=True):
            most[members] += self.agency_balance / asked if asked > 0 else 0.0
        return most

    def objective(self, time_only: bool) -> np.ndarray:
        """Coefficients of [z, g, u, v] to maximise."""
        extra = (
            np.zeros(len(self.missions) + 2)
            if time_only
            else np.concatenate(
                (np.full(len(self.missions), self.floor_weight), [-self.fairness, -self.agency_balance])
            )
        )
        return np.concatenate((self.weight, extra))

    def constraints(self) -> tuple[csr_matrix, np.ndarray, list[tuple[float, float]]]:
        """Rows over [z, g, u, v]: g_m − Z_m ≤ 0, −u − Z_m/req_m ≤ −1, −v − Z_a/req_a ≤ −1; bounds."""
        n, m = len(self.weight), len(self.missions)
        rows, cols, vals, rhs = [], [], [], []
        for row, members in enumerate(self.missions):
            rows += [row] * (len(members) + 1)
            cols += [*members, n + row]
            vals += [*(-1.0 for _ in members), 1.0]
            rhs.append(0.0)
        worst = ((self.missions, self.mission_requested, n + m), (self.agencies, self.agency_requested, n + m + 1))
        for groups, requested, column in worst:
            for members, asked in zip(groups, requested, strict=True):
                if asked <= 0:
                    continue
                row = len(rhs)
                rows += [row] * (len(members) + 1)
                cols += [*members, column]
                vals += [*(-1.0 / asked for _ in members), -1.0]
                rhs.append(-1.0)
        matrix = coo_matrix((vals, (rows, cols)), shape=(len(rhs), n + m + 2)).tocsr()
        bounds = [(0.0, float(c)) for c in self.cap] + [(0.0, float(f)) for f in self.floors] + [(0.0, 1.0)] * 2
        return matrix, np.array(rhs), bounds


def request_value(side: RequestSide, prices: np.ndarray, time_only: bool) -> float:
    """max over [z, g, u, v] of objective − Σ_priced π_r z_r: the request side of L(π, ν)."""
    c = side.objective(time_only)
    c[side.priced] -= prices
    matrix, rhs, bounds = side.constraints()
    result = linprog(-c, A_ub=matrix, b_ub=rhs, bounds=bounds, method="highs")
    if result.status != 0:
        raise RuntimeError(f"request-side LP: {result.message}")
    return -float(result.fun)


def master(side: RequestSide, antennas: list[str], columns: dict[str, list[Column]], time_only: bool):
    """The restricted master LP: (its value, π, ν)."""
    matrix, rhs, bounds = side.constraints()
    base = len(side.weight) + len(side.missions) + 2
    index = [(a, k) for a in antennas for k in range(len(columns[a]))]
    priced = {int(r): row for row, r in enumerate(side.priced)}
    p = len(priced)
    link_rows, link_cols, link_vals = list(range(p)), [int(r) for r in side.priced], [1.0] * p
    mu_rows, mu_cols, mu_vals = [], [], []
    for j, (antenna, k) in enumerate(index):
        seconds, tracks = columns[antenna][k]
        for r, value in seconds.items():
            mu_rows.append(priced[r]), mu_cols.append(j), mu_vals.append(-value)
        for r, value in tracks.items():
            mu_rows.append(p + priced[r]), mu_cols.append(j), mu_vals.append(value)
    link = coo_matrix((link_vals, (link_rows, link_cols)), shape=(2 * p, base))
    mu = coo_matrix((mu_vals, (mu_rows, mu_cols)), shape=(2 * p, len(index)))
    upper = vstack([hstack([matrix, csr_matrix((matrix.shape[0], len(index)))]), hstack([link, mu])]).tocsr()
    upper_rhs = np.concatenate((rhs, side.locked[side.priced], side.tracks[side.priced]))
    position = {a: i for i, a in enumerate(antennas)}
    convex = coo_matrix(
        ([1.0] * len(index), ([position[a] for a, _ in index], [base + j for j in range(len(index))])),
        shape=(len(antennas), base + len(index)),
    )
    c = np.concatenate((side.objective(time_only), np.zeros(len(index))))
    result = linprog(
        -c,
        A_ub=upper,
        b_ub=upper_rhs,
        A_eq=convex.tocsr(),
        b_eq=np.ones(len(antennas)),
        bounds=bounds + [(0.0, None)] * len(index),
        method="highs",
    )
    if result.status != 0:
        raise RuntimeError(f"master LP: {result.message}")
    duals = -result.ineqlin.marginals[matrix.shape[0] :]
    return -float(result.fun), np.maximum(duals[:p], 0.0), np.maximum(duals[p:], 0.0)

"""The request side of the relaxation: what the demands are worth, as the LPs see them.

Variables: z_r, the counted seconds of demand r (0 ≤ z_r ≤ cap_r); g_m ≤ min(floor_m, Σ_{r∈m} z_r),
a mission's floor seconds; u ≥ 1 − Z_m/req_m over missions (U_max) and v likewise over agencies.
The objective is the problem's own (`scheduler.problem.scoring`), in objective units per SCALE,
with unsatisfied fractions taken exactly rather than in rounded-up thousandths (which can only
raise the bound), and without the terms that are never positive (change penalty, unmet rules,
unmet critical demands); `time_only` keeps Σ w·z alone.
"""

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix, csr_matrix

from scheduler.problem.scoring import FLOOR_WEIGHT, FRACTION_SCALE, SCALE, coefficients, counted_for, mission_floors
from scheduler.problem.types import Problem, Track, priority_weight
from scheduler.solvers.bound.steps import priced_demands


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
    return request_solution(side, prices, time_only)[0]


def request_solution(side: RequestSide, prices: np.ndarray, time_only: bool) -> tuple[float, np.ndarray]:
    """The request side's value and the counted seconds z where it is reached."""
    if time_only:  # each z_r at its cap or at 0
        gain = side.weight.copy()
        gain[side.priced] -= prices
        z = np.where(gain > 0, side.cap, 0.0)
        return float(gain @ z), z
    c = side.objective(time_only)
    c[side.priced] -= prices
    matrix, rhs, bounds = side.constraints()
    result = linprog(-c, A_ub=matrix, b_ub=rhs, bounds=bounds, method="highs")
    if result.status != 0:
        raise RuntimeError(f"request-side LP: {result.message}")
    return -float(result.fun), result.x[: len(side.weight)]


def request_side(problem: Problem) -> RequestSide:
    """The demands as the LPs see them."""
    coef = coefficients(problem)
    locked: dict[str, list[Track]] = defaultdict(list)
    for track in problem.locked:
        locked[track.demand_id].append(track)
    held = np.array([counted_for(d, locked[d.id]) for d in problem.demands], float)
    requested = np.array([d.requested for d in problem.demands], float)
    reachable = np.array([bool(d.opportunities) for d in problem.demands])
    cap = np.where(reachable, requested, np.minimum(requested, held))
    pieces = []
    for demand in problem.demands:
        most = (
            demand.tracks * max(1, demand.max_duration // demand.min_segment) if demand.min_segment else demand.tracks
        )
        pieces.append(max(0, most - len(locked[demand.id])))
    priced = priced_demands(problem)
    missions: dict[str, list[int]] = defaultdict(list)
    agencies: dict[str, list[int]] = defaultdict(list)
    for index, demand in enumerate(problem.demands):
        missions[demand.mission].append(index)
        agencies[demand.agency].append(index)
    floors = mission_floors(problem)
    return RequestSide(
        weight=np.array([coef.time * priority_weight(d.priority) / SCALE for d in problem.demands], float),
        cap=cap,
        locked=held,
        tracks=np.array(pieces, float),
        longest=np.array([d.max_duration for d in problem.demands], float),
        priced=np.array(priced, dtype=np.int64),
        missions=[np.array(m) for m in missions.values()],
        mission_requested=np.array([sum(problem.demands[i].requested for i in m) for m in missions.values()], float),
        floors=np.array([floors[m] for m in missions], float),
        floor_weight=coef.time * FLOOR_WEIGHT / SCALE,
        agencies=[np.array(a) for a in agencies.values()],
        agency_requested=np.array([sum(problem.demands[i].requested for i in a) for a in agencies.values()], float),
        fairness=coef.fairness * FRACTION_SCALE / SCALE,
        agency_balance=coef.agency_balance * FRACTION_SCALE / SCALE,
    )

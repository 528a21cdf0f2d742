"""A bound on the objective from a real relaxation: Lagrangian relaxation of the per-demand totals
and track counts, with one exact subproblem per antenna (Dantzig–Wolfe column generation).

Kept exactly, antenna by antenna: tracks inside opportunities, setup and teardown on the antenna,
no overlap, downtime and locked tracks, minimum and maximum piece lengths. Relaxed: a demand's
time and track count hold only in total over antennas (as an LP), an array piece counts 1/N on
each of its N antennas (simultaneity dropped), and what couples a request's own tracks (min_gap,
one at a time) is dropped. MSPA and coverage demands are bounded by their requested time alone.
For ANY prices π ≥ 0, ν ≥ 0 the Lagrangian function

    L(π, ν) = max_z [f(z) − Σ π_r (z_r − L_r)] + Σ ν_r N_r + Σ_a DP_a(π, ν)

bounds the objective f from above (`master.request_value` is the first term, `pricing.price`
the last), so every iteration's value is a valid bound; the master LP's duals steer π, ν towards
the best. The work budget (antenna-steps priced) fixes the iterations, so the bound is
deterministic; a wall-clock safety net stops it early on a slow machine.
"""

import math
import time
from collections import defaultdict
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context

import numpy as np

from scheduler.problem.scoring import FLOOR_WEIGHT, FRACTION_SCALE, SCALE, coefficients, counted_for, mission_floors
from scheduler.problem.types import Problem, Track, priority_weight
from scheduler.solvers.bound.master import Column, RequestSide, master, request_value
from scheduler.solvers.bound.pricing import Antenna, antenna_jobs, price, work_of

METHOD = "Lagrangian relaxation by antenna (column generation, exact DP pricing)"
TOLERANCE = 0.001  # stop when the master is this close (relative) to the best bound
SMOOTHING = 0.5  # prices: this share of the best prices so far (Wentges), the rest the master's
TIME_SHARE = 0.35  # of the iterations, for the bound on weighted time alone
MAX_ITERATIONS = 300  # a small problem's budget would allow thousands; it has converged long before


@dataclass(frozen=True)
class RelaxationBound:
    """Bounds on the objective and on priority-weighted seconds on target, with their method."""

    objective: float
    time_bound: float
    method: str
    iterations: int


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
    priced = [i for i, d in enumerate(problem.demands) if d.opportunities and d.coverage is None and d.mspa is None]
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


def schedule_columns(problem: Problem, tracks: tuple[Track, ...], priced: set[int]) -> dict[str, list[Column]]:
    """Each antenna's part of a known schedule (its priced demands') as a column: a good start
    for the master."""
    index = {d.id: i for i, d in enumerate(problem.demands)}
    fixed = {(t.demand_id, t.antennas, t.start, t.end) for t in problem.locked}
    columns: dict[str, Column] = defaultdict(lambda: ({}, {}))
    for track in tracks:
        if (track.demand_id, track.antennas, track.start, track.end) in fixed or index[track.demand_id] not in priced:
            continue
        r = index[track.demand_id]
        for antenna in track.antennas:
            seconds, count = columns[antenna]
            seconds[r] = seconds.get(r, 0.0) + track.duration / len(track.antennas)
            count[r] = count.get(r, 0.0) + 1 / len(track.antennas)
    return {a: [c] for a, c in columns.items()}


_ANTENNAS: dict[str, Antenna] = {}


def _load(antennas: list[Antenna]) -> None:
    _ANTENNAS.clear()
    _ANTENNAS.update({a.name: a for a in antennas})


def _price(name: str, per_second: np.ndarray, per_track: np.ndarray) -> tuple[float, dict, dict]:
    return price(_ANTENNAS[name], per_second, per_track)


def relaxation_bound(
    problem: Problem, work: float, workers: int, wall_s: float, tracks: tuple[Track, ...] = ()
) -> RelaxationBound:
    """The best Lagrangian bounds found within `work` antenna-steps of pricing (or `wall_s`)."""
    began = time.perf_counter()
    side = request_side(problem)
    antennas = antenna_jobs(problem, [int(r) for r in side.priced])
    per_iteration = max(1, sum(work_of(a) for a in antennas))
    iterations = min(MAX_ITERATIONS, max(2, int(work // per_iteration)))
    names = [a.name for a in antennas]
    columns: dict[str, list[Column]] = {a: [({}, {})] for a in names}
    for antenna, found in schedule_columns(problem, tracks, {int(r) for r in side.priced}).items():
        if antenna in columns:
            columns[antenna] += found
    _load(antennas)
    pool: Executor | None = None
    if workers > 1 and len(antennas) > 1:
        pool = ProcessPoolExecutor(min(workers, len(antennas)), get_context("fork"), _load, (antennas,))
    try:
        deadline = began + wall_s
        objective_runs = max(1, iterations - int(iterations * TIME_SHARE))
        objective = _generate(side, names, columns, objective_runs, False, pool, deadline)
        time_value = _generate(side, names, columns, max(1, iterations - objective_runs), True, pool, deadline)
    finally:
        if pool is not None:
            pool.shutdown()
    tau = coefficients(problem).time / SCALE
    trivial = request_value(side, np.zeros(len(side.priced)), True)  # every demand's cap: no bound gained
    time_bound = time_value / tau if tau > 0 and time_value < trivial else math.inf
    return RelaxationBound(objective, time_bound, METHOD, iterations)


def _generate(side, names, columns, iterations: int, time_only: bool, pool, deadline: float) -> float:
    """Column generation; returns the best Lagrangian value (starting from the trivial one)."""
    zeros = np.zeros(len(side.priced))
    best = request_value(side, zeros, time_only) + float(side.locked[side.priced] @ zeros)
    centre_pi = centre_nu = None
    per_second = np.zeros(len(side.weight))
    per_track = np.zeros(len(side.weight))
    most = side.marginal(time_only)[side.priced]  # higher prices only loosen the bound
    for _ in range(iterations):
        value, pi, nu = master(side, names, columns, time_only)
        if best - value <= TOLERANCE * abs(best) or time.perf_counter() > deadline:
            break
        pi, nu = np.minimum(pi, most), np.minimum(nu, most * side.longest[side.priced])
        if centre_pi is not None:
            pi = SMOOTHING * centre_pi + (1 - SMOOTHING) * pi
            nu = SMOOTHING * centre_nu + (1 - SMOOTHING) * nu
        per_second[side.priced], per_track[side.priced] = pi, nu
        if pool is None:
            priced = [price(_ANTENNAS[n], per_second, per_track) for n in names]
        else:
            priced = list(pool.map(_price, names, [per_second] * len(names), [per_track] * len(names)))
        bound = request_value(side, pi, time_only) + float(
            pi @ side.locked[side.priced] + nu @ side.tracks[side.priced]
        )
        for name, (dp, seconds, tracks) in zip(names, priced, strict=True):
            bound += dp
            if seconds:
                columns[name].append((seconds, tracks))
        if bound < best or centre_pi is None:
            centre_pi, centre_nu = pi.copy(), nu.copy()
        best = min(best, bound)
    return best

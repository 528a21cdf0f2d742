"""Pricing for the relaxation bound: the best schedule of one antenna at given prices, exactly.

A job is one way to place a piece (a track, or a segment of a split track) of one demand on one
antenna: on target over [s, e) with s in [s_lo, s_hi], e ≤ e_hi, short ≤ e − s ≤ long, the antenna
busy over [s − su, e + td). Its value is price·(e − s) − penalty. The best set of jobs that do not
overlap (setup and teardown included) is weighted interval scheduling with flexible start and
length, solved exactly by dynamic programming over grid steps: F[t] is the best value of a
schedule whose antenna use ends by step t.

Grid: the model's own resolution when it is at least `MIN_STEP_S` (every schedule the model can
place maps onto it exactly); else steps of `MIN_STEP_S` with every rounding outward (starts
earlier, ends later, setup and teardown shorter, blocked time shorter), so that each real
schedule maps onto a grid schedule of at least its value. Either way the DP's optimum is at least
the value of the antenna's part of any schedule, which is what makes the bound valid.
"""

import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from scipy.ndimage import maximum_filter1d

from scheduler.problem.downtime import merged_downtime
from scheduler.problem.grid import snap, units
from scheduler.problem.types import Problem

MIN_STEP_S = 60


@dataclass(frozen=True)
class Job:
    """A piece of demand `demand` (its index) on one antenna, in grid steps; `share` antennas
    hold the piece together (an array), each counting 1/share of its time and of its count."""

    demand: int
    s_lo: int
    s_hi: int
    e_hi: int
    short: int
    long: int
    su: int
    td: int
    share: int


@dataclass(frozen=True)
class Antenna:
    """One antenna's jobs and its horizon in steps."""

    name: str
    jobs: tuple[Job, ...]
    steps: int
    step_s: int


def step_of(problem: Problem) -> tuple[int, int]:
    """(grid step in seconds, outward margin in steps: 0 on the model's own grid)."""
    unit = problem.resolution
    if unit >= MIN_STEP_S:
        return unit, 0
    return MIN_STEP_S, 1


def antenna_jobs(problem: Problem, priced: list[int]) -> list[Antenna]:
    """The jobs of the demands `priced` (indices into problem.demands) on every antenna."""
    step, margin = step_of(problem)
    unit = problem.resolution
    horizon = math.ceil(problem.horizon / step) + 2
    blocked = _blocked(problem, step)
    jobs: dict[str, list[Job]] = defaultdict(list)
    for index in priced:
        demand = problem.demands[index]
        shortest, longest = units(demand, unit)
        if longest < shortest:
            continue
        for opportunity in demand.opportunities:
            grid = snap(opportunity, shortest, unit)
            if grid is None:
                continue
            s_lo, s_hi = grid.earliest * unit // step, -(-grid.latest_start * unit // step)
            e_hi = -(-grid.latest_end * unit // step)
            short = shortest * unit // step
            long = min(longest, grid.length) * unit // step + 2 * margin
            su, td = grid.setup * unit // step, max(0, grid.teardown * unit // step - margin)
            for antenna in opportunity.antennas:
                for g0, g1 in _free(blocked.get(antenna, []), horizon):
                    lo, end = max(s_lo, g0 + su), min(e_hi, g1 - td)
                    hi = min(s_hi, end - max(1, short))
                    if hi >= lo:
                        jobs[antenna].append(
                            Job(index, lo, hi, end, max(1, short), long, su, td, len(opportunity.antennas))
                        )
    return [Antenna(a, tuple(jobs[a]), horizon, step) for a in problem.antennas if jobs[a]]


def _blocked(problem: Problem, step: int) -> dict[str, list[tuple[int, int]]]:
    """Steps no job may use: downtime and locked tracks' antenna time, shrunk inward."""
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for antenna, found in merged_downtime(problem).items():
        spans[antenna] += [(-(-a // step), b // step) for a, b in found]
    for track in problem.locked:
        for antenna in track.antennas:
            spans[antenna].append((-(-(track.start - track.setup) // step), (track.end + track.teardown) // step))
    return {a: sorted((s, e) for s, e in found if e > s) for a, found in spans.items()}


def _free(blocked: list[tuple[int, int]], steps: int) -> list[tuple[int, int]]:
    gaps, cursor = [], -(10**9)
    for start, end in blocked:
        if start > cursor:
            gaps.append((cursor, start))
        cursor = max(cursor, end)
    gaps.append((cursor, steps + 10**9))
    return gaps


def work_of(antenna: Antenna) -> int:
    """Deterministic cost of pricing an antenna once (steps its jobs may end in): the bound's budget unit."""
    return sum(j.e_hi - j.s_lo for j in antenna.jobs) + antenna.steps


def price(antenna: Antenna, per_second: np.ndarray, per_track: np.ndarray) -> tuple[float, dict, dict]:
    """The best schedule of the antenna at these prices: (value, seconds per demand, tracks per
    demand), an array piece counting 1/share of each."""
    jobs = [j for j in antenna.jobs if per_second[j.demand] > 0]
    if not jobs:
        return 0.0, {}, {}
    step = antenna.step_s
    offset = min(j.s_lo - j.su for j in jobs)
    size = max(j.e_hi + j.td for j in jobs) - offset + 2
    gain = np.array([per_second[j.demand] * step / j.share for j in jobs])
    cost = np.array([per_track[j.demand] / j.share for j in jobs])
    t_lo = np.array([j.s_lo + j.short + j.td - offset for j in jobs])  # busy ends (t) each job may have
    t_hi = np.array([j.e_hi + j.td - offset for j in jobs])
    block = max(1, min(j.short + j.su + j.td for j in jobs))  # F below t - block is final within a block
    best = np.zeros(size)
    winner = np.full(size, -1, dtype=np.int64)
    reach = np.full(size, -np.inf)
    reach_by = np.full(size, -1, dtype=np.int64)
    order = np.argsort(t_lo, kind="stable")
    active: list[int] = []
    pointer = 0
    for t0 in range(0, size, block):
        t1 = min(size, t0 + block)
        while pointer < len(order) and t_lo[order[pointer]] < t1:
            active.append(int(order[pointer]))
            pointer += 1
        active = [k for k in active if t_hi[k] >= t0]
        for k in active:
            _extend(jobs[k], k, max(t0, t_lo[k]), min(t1 - 1, t_hi[k]), offset, best, gain[k], cost[k], reach, reach_by)
        before = best[t0 - 1] if t0 else 0.0
        running = np.maximum.accumulate(np.concatenate(([before], reach[t0:t1])))[1:]
        best[t0:t1] = running
        rising = reach[t0:t1] > np.concatenate(([before], running[:-1]))
        winner[t0:t1] = np.where(rising, reach_by[t0:t1], -1)
    return float(best[-1]), *_backtrack(jobs, best, winner, gain, offset, step)


def _extend(job: Job, k: int, a: int, b: int, offset: int, best, gain: float, cost: float, reach, reach_by) -> None:
    """Offer job k for busy ends t in [a, b]: value best[s − su] + gain·(e − s) − cost at its
    best start s in [max(s_lo, e − long), min(s_hi, e − short)]."""
    e_a, e_b = a + offset - job.td, b + offset - job.td
    s_from, s_to = max(job.s_lo, e_a - job.long), min(job.s_hi, e_b - job.short)
    if s_to < s_from:
        return
    starts = np.arange(s_from, s_to + 1)
    h = best[starts - (job.su + offset)] - gain * starts
    first = max(e_a, s_from + job.short)  # ends with a start window inside [s_from, s_to]
    last_open = min(e_b, job.s_hi + job.short)  # ... whose window is not cut by s_hi
    if last_open >= first:
        width = job.long - job.short + 1
        top = maximum_filter1d(h, size=width, origin=(width - 1) // 2, mode="constant", cval=-np.inf)
        lo = first - job.short - s_from
        _offer(top[lo : lo + last_open - first + 1], first, k, job, offset, gain, cost, reach, reach_by)
    cut_from, cut_to = max(first, last_open + 1), min(e_b, job.s_hi + job.long)
    if cut_to >= cut_from:  # windows [max(s_lo, e − long), s_hi]: maxima of suffixes
        suffix = np.maximum.accumulate(h[::-1])[::-1]
        low = np.maximum(np.arange(cut_from, cut_to + 1) - job.long - s_from, 0)
        _offer(suffix[low], cut_from, k, job, offset, gain, cost, reach, reach_by)


def _offer(top, first: int, k: int, job: Job, offset: int, gain: float, cost: float, reach, reach_by) -> None:
    """Record job k's values for ends first, first + 1, … where they beat what reach holds."""
    ends = np.arange(first, first + len(top))
    value = top + gain * ends - cost
    at = slice(first + job.td - offset, first + job.td - offset + len(top))
    better = value > reach[at]
    reach[at] = np.where(better, value, reach[at])
    reach_by[at] = np.where(better, k, reach_by[at])


def _backtrack(jobs: list[Job], best, winner, gain, offset: int, step: int) -> tuple[dict, dict]:
    seconds: dict[int, float] = defaultdict(float)
    tracks: dict[int, float] = defaultdict(float)
    t = len(best) - 1
    while t >= 0:
        k = winner[t]
        if k < 0:
            t -= 1
            continue
        job = jobs[k]
        e = t + offset - job.td
        starts = np.arange(max(job.s_lo, e - job.long), min(job.s_hi, e - job.short) + 1)
        s = int(starts[int(np.argmax(best[starts - job.su - offset] - gain[k] * starts))])
        seconds[job.demand] += (e - s) * step / job.share
        tracks[job.demand] += 1 / job.share
        t = s - job.su - offset  # the schedule before it ends by the job's setup
    return dict(seconds), dict(tracks)

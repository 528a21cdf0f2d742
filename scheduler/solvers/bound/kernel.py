"""The pricing DP's inner loop, compiled (numba): F[t] over busy ends t, every job at every end.

F[t] = max(F[t − 1], max over jobs j and their end E = t + offset − td_j of
           max_{S ∈ [max(s_lo, E − long), min(s_hi, E − short)]} (F[S − su − offset] − P_j(S) − g_j·head_j[S = s_lo])
           + P_j(E) + g_j·(credit_j − tail_j[E = e_hi]) − cost_j)
Strict comparisons in a fixed order: the same prices give the same schedule.
"""

import numpy as np
from numba import njit


@njit(cache=True)
def best_schedule(jobs, cost, gain, credit, head, tail, line_of, lines, offset, size):  # pragma: no cover - compiled
    """(F, the job that raised F at t or −1, its start): `jobs` rows are
    (s_lo, s_hi, e_hi, short, long, su, td)."""
    best = np.zeros(size)
    won_by = np.full(size, -1, dtype=np.int64)
    won_at = np.zeros(size, dtype=np.int64)
    for t in range(size):
        value = best[t - 1] if t > 0 else 0.0
        for j in range(jobs.shape[0]):
            s_lo, s_hi, e_hi, short, long_, su, td = jobs[j]
            end = t + offset - td
            if end < s_lo + short or end > e_hi:
                continue
            low, high = max(s_lo, end - long_), min(s_hi, end - short)
            row = line_of[j]
            top, arg = -np.inf, -1
            for start in range(low, high + 1):
                candidate = best[start - su - offset] - lines[row, start]
                if start == s_lo:
                    candidate -= gain[j] * head[j]
                if candidate > top:
                    top, arg = candidate, start
            if arg < 0:
                continue
            candidate = top + lines[row, end] + gain[j] * credit[j] - cost[j]
            if end == e_hi:
                candidate -= gain[j] * tail[j]
            if candidate > value:
                value = candidate
                won_by[t], won_at[t] = j, arg
        best[t] = value
    return best, won_by, won_at

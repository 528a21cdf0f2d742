"""Vectorized searches over time for many stations at once.

As in Skyfield's `searchlib`: every bracket is refined in the same numpy step, so the number
of Python iterations depends on the tolerance, never on the number of brackets.
"""

from collections.abc import Callable

import numpy as np

GOLDEN = (np.sqrt(5.0) - 1.0) / 2.0
CROSSING_STEPS = 6  # secant or Newton steps before the brackets left are bisected

Condition = Callable[[np.ndarray, np.ndarray], np.ndarray]  # (seconds, station_index) -> bool
Function = Callable[[np.ndarray, np.ndarray], np.ndarray]  # (seconds, station_index) -> float


def refine_flips(
    condition: Condition,
    low: np.ndarray,
    high: np.ndarray,
    station: np.ndarray,
    tolerance_s: float,
    at_low: np.ndarray | None = None,
) -> np.ndarray:
    """Where `condition` switches inside each bracket [low, high] whose ends differ, to within
    `tolerance_s` (bisection of all brackets together); `at_low`: the condition at `low`, if known."""
    low, high = np.array(low, dtype=float), np.array(high, dtype=float)
    if low.size == 0:
        return low
    at_low = condition(low, station) if at_low is None else at_low
    while np.max(high - low) > tolerance_s:
        middle = 0.5 * (low + high)
        same = condition(middle, station) == at_low
        low = np.where(same, middle, low)
        high = np.where(same, high, middle)
    return 0.5 * (low + high)


def find_crossings(
    function: Function,
    low: np.ndarray,
    high: np.ndarray,
    at_low: np.ndarray,
    at_high: np.ndarray,
    station: np.ndarray,
    tolerance_s: float,
) -> np.ndarray:
    """Where a continuous `function` turns from negative to non-negative (or back) inside each
    bracket [low, high], given its values at both ends, to within `tolerance_s`.

    Each step guesses the crossing (Newton from the last pair of samples, else the secant of the
    bracket) and samples the function half a tolerance either side of the guess: if the sign
    differs there, the guess is the crossing; if not, the bracket shrinks to the side that holds
    it. A smooth function needs two or three steps where bisection needs a dozen; brackets
    still open after CROSSING_STEPS are bisected.
    """
    low, high = np.array(low, dtype=float), np.array(high, dtype=float)
    at_low, at_high = np.array(at_low, dtype=float), np.array(at_high, dtype=float)
    half = tolerance_s / 2.0
    found = 0.5 * (low + high)
    open_ = np.flatnonzero(high - low > tolerance_s)
    guess = _secant(low, high, at_low, at_high)
    for _ in range(CROSSING_STEPS):
        if open_.size == 0:
            break
        lo, hi = low[open_], high[open_]
        centre = np.clip(guess[open_], lo + half, hi - half)
        sampled = function(np.concatenate([centre - half, centre + half]), np.tile(station[open_], 2))
        before, after = np.split(sampled, 2)
        crossed = (before >= 0.0) != (after >= 0.0)
        later = ~crossed & ((before >= 0.0) == (at_low[open_] >= 0.0))
        low[open_] = np.where(later, centre + half, lo)
        at_low[open_] = np.where(later, after, at_low[open_])
        earlier = ~crossed & ~later
        high[open_] = np.where(earlier, centre - half, hi)
        at_high[open_] = np.where(earlier, before, at_high[open_])
        found[open_] = np.where(crossed, centre, 0.5 * (low[open_] + high[open_]))
        with np.errstate(divide="ignore", invalid="ignore"):
            newton = centre - 0.5 * (before + after) * (2.0 * half) / (after - before)
        bracket = _secant(low[open_], high[open_], at_low[open_], at_high[open_])
        inside = np.isfinite(newton) & (newton > low[open_]) & (newton < high[open_])
        guess[open_] = np.where(inside, newton, bracket)
        open_ = open_[~crossed & (high[open_] - low[open_] > tolerance_s)]
    if open_.size:
        at_start = at_low[open_] >= 0.0
        found[open_] = refine_flips(
            lambda t, s: function(t, s) >= 0.0, low[open_], high[open_], station[open_], tolerance_s, at_start
        )
    return found


def _secant(low: np.ndarray, high: np.ndarray, at_low: np.ndarray, at_high: np.ndarray) -> np.ndarray:
    """Where the straight line through the bracket's end values crosses zero (its middle if flat)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        guess = low - at_low * (high - low) / (at_high - at_low)
    return np.where(np.isfinite(guess), guess, 0.5 * (low + high))


def maximize(
    function: Function, low: np.ndarray, high: np.ndarray, station: np.ndarray, tolerance_s: float
) -> tuple[np.ndarray, np.ndarray]:
    """Instant and value of the largest `function` in each bracket, assuming one peak there
    (golden-section search of all brackets together)."""
    a, b = np.array(low, dtype=float), np.array(high, dtype=float)
    if a.size == 0:
        return a, a.copy()
    c, d = b - GOLDEN * (b - a), a + GOLDEN * (b - a)
    fc, fd = function(c, station), function(d, station)
    while np.max(b - a) > tolerance_s:
        left = fc >= fd  # the peak lies in [a, d]
        a, b = np.where(left, a, c), np.where(left, d, b)
        c, d = np.where(left, b - GOLDEN * (b - a), d), np.where(left, c, a + GOLDEN * (b - a))
        fc, fd = np.where(left, np.nan, fd), np.where(left, fc, np.nan)
        fresh = np.where(left, c, d)
        value = function(fresh, station)
        fc, fd = np.where(left, value, fc), np.where(left, fd, value)
    best = np.where(fc >= fd, c, d)
    return best, np.maximum(fc, fd)


def parabola_top(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Instant and value of the top of the parabola through three points (3, n) each, where it
    opens downward and its top lies between the outer points; else the best point and NaN."""
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = (y[1] - y[0]) / (x[1] - x[0])
        curvature = ((y[2] - y[1]) / (x[2] - x[1]) - slope) / (x[2] - x[0])
        top_x = 0.5 * (x[0] + x[1]) - slope / (2.0 * curvature)
        top_y = y[0] + slope * (top_x - x[0]) + curvature * (top_x - x[0]) * (top_x - x[1])
    valid = (curvature < 0.0) & (top_x >= x[0]) & (top_x <= x[2]) & np.isfinite(top_y)
    best = x[np.argmax(y, axis=0), np.arange(x.shape[1])]
    return np.where(valid, top_x, best), np.where(valid, top_y, np.nan)

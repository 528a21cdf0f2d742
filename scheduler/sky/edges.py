"""Vectorized searches over time for many stations at once.

As in Skyfield's `searchlib`: every bracket is refined in the same numpy step, so the number
of Python iterations depends on the tolerance, never on the number of brackets.
"""

from collections.abc import Callable

import numpy as np

GOLDEN = (np.sqrt(5.0) - 1.0) / 2.0

Condition = Callable[[np.ndarray, np.ndarray], np.ndarray]  # (seconds, station_index) -> bool
Function = Callable[[np.ndarray, np.ndarray], np.ndarray]  # (seconds, station_index) -> float


def refine_flips(
    condition: Condition, low: np.ndarray, high: np.ndarray, station: np.ndarray, tolerance_s: float
) -> np.ndarray:
    """Where `condition` switches inside each bracket [low, high] whose ends differ, to within
    `tolerance_s` (bisection of all brackets together)."""
    low, high = np.array(low, dtype=float), np.array(high, dtype=float)
    if low.size == 0:
        return low
    at_low = condition(low, station)
    while np.max(high - low) > tolerance_s:
        middle = 0.5 * (low + high)
        same = condition(middle, station) == at_low
        low = np.where(same, middle, low)
        high = np.where(same, high, middle)
    return 0.5 * (low + high)


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

"""Piecewise cubic Hermite interpolation of sampled vectors, for paths evaluated far more often
than computed: positions through their samples with the velocities given there.

With exact velocities the error is h⁴·|x⁗|/384 for knots h apart; the callers take velocities
from central differences of the sampled function itself, which keeps that order.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

SLOPE_STEP_S = 1.0  # central differences: truncation and rounding both far below a metre for our paths


@dataclass(frozen=True)
class Hermite:
    """Cubic pieces between at least two knots, vectors component-first: `at(t)` is (k, *t.shape)."""

    knots: np.ndarray  # (n,) increasing
    coefficients: np.ndarray  # (4, k, n - 1): c0 + c1 s + c2 s² + c3 s³ with s = (t - knot) / width

    @classmethod
    def through(cls, knots: np.ndarray, values: np.ndarray, slopes: np.ndarray) -> "Hermite":
        """Through `values` (k, n) with derivatives `slopes` (k, n) at `knots` (n,)."""
        width = np.diff(np.asarray(knots, dtype=float))
        y0, y1 = values[:, :-1], values[:, 1:]
        d0, d1 = slopes[:, :-1] * width, slopes[:, 1:] * width
        rise = y1 - y0
        return cls(np.asarray(knots, dtype=float), np.stack([y0, d0, 3.0 * rise - 2.0 * d0 - d1, d0 + d1 - 2.0 * rise]))

    @classmethod
    def sampled(cls, function: Callable[[np.ndarray], np.ndarray], knots: np.ndarray) -> "Hermite":
        """Through `function` (seconds (n,) -> (k, n)) at `knots`, velocities by central
        differences (one-sided past the first and last knot, where the function may end)."""
        knots = np.asarray(knots, dtype=float)
        before = np.maximum(knots - SLOPE_STEP_S, knots[0])
        after = np.minimum(knots + SLOPE_STEP_S, knots[-1])
        values = function(np.concatenate([knots, before, after]))
        middle, low, high = np.split(values, 3, axis=1)
        return cls.through(knots, middle, (high - low) / (after - before))

    def at(self, seconds: np.ndarray, derivative: int = 0) -> np.ndarray:
        """Value (or with `derivative=1` rate) at `seconds`, taken at the nearest end knot outside them."""
        t = np.asarray(seconds, dtype=float)
        flat = np.clip(t.ravel(), self.knots[0], self.knots[-1])
        piece = np.clip(np.searchsorted(self.knots, flat, side="right") - 1, 0, self.knots.size - 2)
        width = self.knots[piece + 1] - self.knots[piece]
        s = (flat - self.knots[piece]) / width
        c0, c1, c2, c3 = self.coefficients[:, :, piece]
        if derivative:
            return (((3.0 * c3 * s + 2.0 * c2) * s + c1) / width).reshape(self.coefficients.shape[1], *t.shape)
        return (((c3 * s + c2) * s + c1) * s + c0).reshape(self.coefficients.shape[1], *t.shape)

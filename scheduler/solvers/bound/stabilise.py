"""Where the column generation prices next: between the best prices so far (the stability centre,
"in") and the master's (“out”), bent towards the centre's subgradient — the automatic directional
smoothing of Pessoa, Sadykov, Uchoa and Vanderbeck (INFORMS J. Computing 30(2), 2018).

Each iteration prices at a few steps along that way (a line search: L is convex along it) and
the best point priced becomes the centre.
"""

from dataclasses import dataclass

import numpy as np


@dataclass
class Centre:
    """The stability centre: the best prices priced so far (flattened), their falling direction and
    the Lagrangian's value there."""

    prices: np.ndarray
    falling: np.ndarray
    value: float = np.inf


def separation(centre: Centre, out: np.ndarray, alpha: float) -> np.ndarray:
    """The prices a share `alpha` of the way from the centre to "out", bent towards where L falls."""
    towards = out - centre.prices
    distance = float(np.linalg.norm(towards))
    slope = float(np.linalg.norm(centre.falling))
    if distance <= 0.0:
        return out.copy()
    direction = towards
    if slope > 0.0:
        cosine = float(towards @ centre.falling) / (distance * slope)
        if cosine > 0.0:  # bend towards where L falls at the centre
            aimed = centre.prices + (distance / slope) * centre.falling
            direction = cosine * aimed + (1 - cosine) * out - centre.prices
    length = float(np.linalg.norm(direction))
    return np.maximum(centre.prices + (alpha * distance / length) * direction, 0.0)

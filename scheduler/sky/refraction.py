"""Atmospheric refraction: the one model the planner and the validator both use (README:
Visibility), so a plan made with `refraction: true` is judged by the elevations it was made with.

Saemundsson's formula (Sky & Telescope 72, 70, 1986; Meeus, Astronomical Algorithms, eq. 16.4)
for a standard atmosphere of 10 °C and 1010 hPa gives the apparent elevation from the true one:
34′ at the horizon, as almanacs give it, and within 0.1′ of Bennett's inverse formula down to
the horizon. It is chosen over astropy's pressure-based `AltAz` refraction (ERFA's
A·tan z + B·tan³ z, which its authors state for zenith distances below about 75° and which ERFA
holds constant below about 3° elevation: 11′ at the horizon, a third of the real refraction),
because elevation limits of deep-space antennas lie at 0–10°, where that model is worst.
"""

import numpy as np

NO_REFRACTION_BELOW_DEG = -1.0  # the formula is not meant for targets this far below the horizon


def refracted_deg(elevation: np.ndarray) -> np.ndarray:
    """Apparent elevation (degrees) including standard atmospheric refraction, from the
    geometric (airless) elevation; below NO_REFRACTION_BELOW_DEG the geometric value unchanged."""
    h = np.asarray(elevation, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        shift_arcmin = 1.02 / np.tan(np.radians(h + 10.3 / (h + 5.11)))
    return np.where(h > NO_REFRACTION_BELOW_DEG, h + shift_arcmin / 60.0, h)

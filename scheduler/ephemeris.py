"""Apparent geocentric positions of targets in the Earth-fixed frame, on a shared time grid.

Each target is computed once with astropy (light time, aberration and light deflection
included) and then interpolated with a cubic spline, so that the visibility search can
evaluate any instant with numpy alone.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import astropy.units as u
import numpy as np
from astropy.coordinates import ICRS, ITRS, SkyCoord, get_body
from astropy.time import Time
from scipy.interpolate import CubicSpline

from scheduler.scenario.targets import TargetSpec

EPHEMERIS_STEP_S = 600.0
FAR_AWAY_KM = 1.0e15  # a fixed RA/Dec direction: parallax-free


@dataclass(frozen=True)
class TargetPath:
    """A target's apparent geocentric ITRS position (km) as a function of seconds from epoch."""

    target_id: str
    position_km: Callable[[np.ndarray], np.ndarray]


def grid_times(epoch: datetime, seconds: np.ndarray) -> Time:
    """Astropy times at `seconds` after `epoch` (UTC)."""
    return Time(epoch) + seconds * u.s


def apparent_itrs_km(target: TargetSpec, times: Time) -> np.ndarray:
    """Apparent geocentric position in ITRS, km, shape (n, 3)."""
    if target.body is not None:
        coord = get_body(target.body, times)
    else:
        coord = SkyCoord(ICRS(ra=target.ra_deg * u.deg, dec=target.dec_deg * u.deg), obstime=times)
    itrs = coord.transform_to(ITRS(obstime=times))
    if target.body is None:
        unit = itrs.represent_as("unitspherical").to_cartesian().xyz.value
        return (unit * FAR_AWAY_KM).T
    return itrs.cartesian.xyz.to_value(u.km).T


def target_path(target: TargetSpec, epoch: datetime, horizon_s: float, step_s: float = EPHEMERIS_STEP_S) -> TargetPath:
    """Positions on a grid covering the horizon (one step of margin each side), splined."""
    count = int(np.ceil(horizon_s / step_s)) + 3
    seconds = (np.arange(count) - 1) * step_s
    positions = apparent_itrs_km(target, grid_times(epoch, seconds))
    spline = CubicSpline(seconds, positions, axis=0)
    return TargetPath(target.id, lambda t: spline(np.asarray(t, dtype=float)))

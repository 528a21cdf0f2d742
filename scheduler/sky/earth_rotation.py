"""The Earth's orientation over one planning horizon: the GCRS → ITRS rotation at any instant.

IAU 2006/2000A precession-nutation (ERFA `c2i06a`, as astropy's GCRS → CIRS) and polar motion
(`pom00`) change slowly, so they are computed on an hourly grid and interpolated linearly
(error below 0.01 mas). The Earth rotation angle, the fast part, is computed exactly at every
instant from UT1. UT1 − UTC and the pole's coordinates come from the daily IERS table bundled
with `astropy-iers-data` (`finals2000A.all`, the one astropy and Skyfield read) and are
interpolated linearly between days, as astropy does; outside the table's span, measurements
and predictions, UT1 − UTC keeps its first or last value and the pole its 50-year mean
position, as astropy does offline (errors a few tenths of an arcsecond after a few years).
"""

from dataclasses import dataclass
from functools import cache

import astropy_iers_data
import erfa
import numpy as np

from scheduler.sky.timescale import DAY_S, Timescale, tai_minus_utc_s

GRID_STEP_S = 3600.0
ARCSEC_RAD = np.pi / (180.0 * 3600.0)
TABLE_MARGIN_DAYS = 2
MEAN_POLE_ARCSEC = (0.035, 0.29)  # astropy's pole outside the table: the 50-year mean


@cache
def _finals() -> tuple[np.ndarray, list[bytes]]:
    """The first MJD of the bundled IERS table and its lines (one a day, fixed columns)."""
    with open(astropy_iers_data.IERS_A_FILE, "rb") as file:
        lines = file.read().splitlines()
    filled = [line for line in lines if line[58:68].strip()]  # rows with UT1 − UTC: measured or predicted
    return np.array([float(filled[0][7:15]), float(filled[-1][7:15])]), filled


@dataclass(frozen=True)
class EarthOrientation:
    """IERS daily values around the horizon: TAI − UT1 (continuous across leap seconds) and the
    pole's coordinates, at instants in seconds after the epoch."""

    seconds: np.ndarray
    tai_minus_ut1_s: np.ndarray
    pole_x_rad: np.ndarray
    pole_y_rad: np.ndarray

    @classmethod
    def read(cls, timescale: Timescale, first_s: float, last_s: float) -> "EarthOrientation":
        (table_first, table_last), lines = _finals()
        start = timescale.mjd + np.floor(first_s / DAY_S) - TABLE_MARGIN_DAYS
        stop = timescale.mjd + np.ceil((timescale.day_s + last_s) / DAY_S) + TABLE_MARGIN_DAYS
        days = np.arange(start, stop + 1)
        held = np.clip(days, table_first, table_last)  # outside the table: its first or last values
        rows = [lines[int(day - table_first)] for day in held]
        if any(float(row[7:15]) != day for row, day in zip(rows, held, strict=True)):
            raise ValueError(f"{astropy_iers_data.IERS_A_FILE} is not one line a day")
        ut1_minus_utc = np.array([float(row[58:68]) for row in rows])
        pole = np.array([[float(row[18:27]), float(row[37:46])] for row in rows]).reshape(-1, 2)
        pole[held != days] = MEAN_POLE_ARCSEC
        pole *= ARCSEC_RAD
        return cls(timescale.seconds_at_utc(days), tai_minus_utc_s(days) - ut1_minus_utc, pole[:, 0], pole[:, 1])

    def at(self, seconds: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """TAI − UT1 (s) and the pole's x, y (rad), held at the ends outside the table."""
        return tuple(
            np.interp(seconds, self.seconds, v) for v in (self.tai_minus_ut1_s, self.pole_x_rad, self.pole_y_rad)
        )


@dataclass(frozen=True)
class EarthRotation:
    """GCRS → ITRS: polar motion · Earth rotation angle · precession-nutation (the CIO route)."""

    timescale: Timescale
    orientation: EarthOrientation
    first_s: float
    celestial: np.ndarray  # (grid, 3, 3) GCRS → CIRS on the hourly grid
    polar: np.ndarray  # (grid, 3, 3) TIRS → ITRS on the hourly grid

    @classmethod
    def over(cls, timescale: Timescale, first_s: float, last_s: float) -> "EarthRotation":
        """For instants from `first_s` to `last_s` (later ones keep the last hour's matrices)."""
        orientation = EarthOrientation.read(timescale, first_s, last_s)
        grid = first_s + GRID_STEP_S * np.arange(np.ceil((last_s - first_s) / GRID_STEP_S) + 2)
        tt = timescale.tt(grid)
        _, pole_x, pole_y = orientation.at(grid)
        polar = erfa.pom00(pole_x, pole_y, erfa.sp00(*tt))
        return cls(timescale, orientation, first_s, erfa.c2i06a(*tt), polar)

    def earth_rotation_angle(self, seconds: np.ndarray) -> np.ndarray:
        """ERA (radians) from UT1, exact at each instant."""
        tai_minus_ut1, _, _ = self.orientation.at(seconds)
        whole, fraction = self.timescale.tai(seconds - tai_minus_ut1)
        return erfa.era00(whole, fraction)

    def matrix(self, seconds: np.ndarray) -> np.ndarray:
        """GCRS → ITRS rotation matrices (..., 3, 3) at `seconds`."""
        seconds = np.asarray(seconds, dtype=float)
        position = np.clip((seconds - self.first_s) / GRID_STEP_S, 0.0, self.celestial.shape[0] - 1.0)
        low = np.minimum(position.astype(int), self.celestial.shape[0] - 2)
        weight = (position - low)[..., None, None]
        celestial = self.celestial[low] + weight * (self.celestial[low + 1] - self.celestial[low])
        polar = self.polar[low] + weight * (self.polar[low + 1] - self.polar[low])
        return erfa.c2tcio(celestial, self.earth_rotation_angle(seconds), polar)

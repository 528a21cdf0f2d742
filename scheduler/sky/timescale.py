"""Time scales of one planning horizon: instants are SI seconds after a UTC epoch, and
ephemerides and Earth orientation take them as Julian dates of TT, TDB or UT1.

TAI − UTC comes from the leap-second table bundled with `astropy-iers-data` (the one astropy
reads), or from ERFA's own table before 1972 when UTC still drifted; TDB − TT from the leading
terms of Fairhead & Bretagnon's series (within 10 microseconds; ephemerides move less than a
metre in that time).
"""

import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

import astropy_iers_data
import erfa
import numpy as np

DAY_S = 86_400.0
MJD_ZERO = 2_400_000.5  # Julian date of MJD 0
MJD_EPOCH = datetime(1858, 11, 17, tzinfo=UTC)
TT_MINUS_TAI_S = 32.184
J2000_JD = 2_451_545.0
TDB_TERMS = np.array(  # amplitude (s), frequency (rad per Julian century), phase (rad): TDB - TT
    [
        [0.001657, 628.3076, 6.2401],
        [0.000022, 575.3385, 4.2970],
        [0.000014, 1256.6152, 6.1969],
        [0.000005, 606.9777, 4.0212],
        [0.000005, 52.9691, 0.4444],
        [0.000002, 21.3299, 5.5431],
    ]
)
WHOLE_LEAP_SECONDS_MJD = 41_317.0  # 1972-01-01: TAI − UTC a whole number of seconds from here on


@cache
def _leap_seconds() -> tuple[np.ndarray, np.ndarray]:
    """(MJD, TAI − UTC) from each leap second on, as the bundled IERS file lists them."""
    table = np.loadtxt(astropy_iers_data.IERS_LEAP_SECOND_FILE, comments="#", usecols=(0, 4), ndmin=2)
    return table[:, 0], table[:, 1]


def tai_minus_utc_s(mjd: np.ndarray) -> np.ndarray:
    """TAI − UTC (seconds) at UTC instants given as modified Julian dates."""
    mjd = np.asarray(mjd, dtype=float)
    starts, offsets = _leap_seconds()
    whole = np.array(offsets[np.clip(np.searchsorted(starts, mjd, side="right") - 1, 0, None)], dtype=float)
    early = mjd < WHOLE_LEAP_SECONDS_MJD
    if early.any():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ERFA flags dates before 1960 as dubious; its value is still the best
            year, month, day, fraction = erfa.jd2cal(MJD_ZERO, mjd[early])
            whole[early] = erfa.dat(year, month, day, fraction)
    return whole


@dataclass(frozen=True)
class Timescale:
    """The epoch (UTC) split into a whole MJD and seconds into that day, to keep Julian dates
    precise to microseconds, and TAI − UTC there."""

    mjd: int
    day_s: float
    tai_minus_utc_s: float

    @classmethod
    def at(cls, epoch: datetime) -> "Timescale":
        moment = epoch if epoch.tzinfo else epoch.replace(tzinfo=UTC)
        since = moment.astimezone(UTC) - MJD_EPOCH
        return cls(since.days, since.seconds + since.microseconds * 1e-6, float(tai_minus_utc_s(since.days)))

    def tai(self, seconds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """TAI as a two-part Julian date (whole part, fraction) at `seconds` after the epoch."""
        fraction = (self.day_s + self.tai_minus_utc_s + np.asarray(seconds, dtype=float)) / DAY_S
        return np.full(fraction.shape, MJD_ZERO + self.mjd), fraction

    def tt(self, seconds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        whole, fraction = self.tai(seconds)
        return whole, fraction + TT_MINUS_TAI_S / DAY_S

    def tdb(self, seconds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        whole, fraction = self.tt(seconds)
        centuries = ((whole - J2000_JD) + fraction)[..., None] / 36_525.0
        amplitude, frequency, phase = TDB_TERMS.T
        periodic = amplitude * np.sin(frequency * centuries + phase)
        trend = 0.00001 * centuries[..., 0] * np.sin(628.3076 * centuries[..., 0] + 4.2490)
        return whole, fraction + (periodic.sum(axis=-1) + trend) / DAY_S

    def seconds_at_utc(self, mjd: np.ndarray) -> np.ndarray:
        """Seconds after the epoch of UTC instants given as modified Julian dates (leap seconds
        between them and the epoch counted)."""
        mjd = np.asarray(mjd, dtype=float)
        leaps = tai_minus_utc_s(mjd) - self.tai_minus_utc_s
        return (mjd - self.mjd) * DAY_S - self.day_s + leaps

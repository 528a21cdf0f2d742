"""The engine's own time scales and Earth orientation against astropy's: UTC → TT and TDB,
and the GCRS → ITRS rotation built from an hourly grid and the exact Earth rotation angle."""

import warnings
from datetime import UTC, datetime

import astropy.units as u
import numpy as np
import pytest
from astropy.coordinates import GCRS, ITRS, CartesianRepresentation
from astropy.time import Time

from scheduler.sky.earth_rotation import EarthRotation
from scheduler.sky.timescale import Timescale

MAS = np.radians(1.0 / 3.6e6)


def astropy_matrices(start: datetime, seconds: np.ndarray) -> np.ndarray:
    axes = CartesianRepresentation(np.eye(3)[:, :, None] * np.ones(seconds.size) * u.km)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # astropy's and ERFA's notes on dates past their tables
        times = Time(start.replace(tzinfo=None), scale="utc") + seconds * u.s
        itrs = GCRS(axes, obstime=times).transform_to(ITRS(obstime=times)).cartesian.xyz.value
    return np.moveaxis(itrs, -1, 0)  # itrs[k, j, n]: component k of GCRS axis j at instant n


@pytest.mark.parametrize(
    "start",
    [datetime(2026, 12, 7, tzinfo=UTC), datetime(2031, 6, 1, tzinfo=UTC)],  # the second past the IERS table
)
def test_earth_rotation_matches_astropy_within_a_hundredth_of_a_milliarcsecond(start: datetime) -> None:
    week = 7 * 86_400.0
    seconds = np.sort(np.random.default_rng(1).uniform(0.0, week, 40))
    rotation = EarthRotation.over(Timescale.at(start), 0.0, week)
    assert np.abs(rotation.matrix(seconds) - astropy_matrices(start, seconds)).max() < 0.01 * MAS


def test_time_scales_match_astropy_across_a_leap_second() -> None:
    start = datetime(2016, 12, 31, 12, tzinfo=UTC)  # a leap second at the end of the day
    seconds = np.array([0.0, 43_200.5, 86_400.0, 200_000.0])
    times = Time(start.replace(tzinfo=None), scale="utc") + seconds * u.s
    timescale = Timescale.at(start)
    for ours, theirs in ((timescale.tt(seconds), times.tt), (timescale.tdb(seconds), times.tdb)):
        difference_s = ((ours[0] - theirs.jd1) + (ours[1] - theirs.jd2)) * 86_400.0
        assert np.abs(difference_s).max() < 10e-6


def test_dates_past_the_iers_table_are_quiet() -> None:
    start = datetime(2031, 6, 1, tzinfo=UTC)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        matrices = EarthRotation.over(Timescale.at(start), 0.0, 86_400.0).matrix(np.array([0.0, 43_200.0]))
    assert np.allclose(matrices @ np.swapaxes(matrices, 1, 2), np.eye(3), atol=1e-12)

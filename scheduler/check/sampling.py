"""The validator's look at the sky: a target and the Sun and Moon seen from stations at given
instants with astropy's own transforms (`target_sky.py`), and the margin of every observing limit
there, in degrees (negative: broken).

Angles are apparent and topocentric (astropy `AltAz` without refraction, with the scenario's
ephemeris); with `refraction: true` the target's elevation gets the planner's one refraction
model (`scheduler.sky.refraction`), never astropy's own.
"""

from dataclasses import dataclass

import astropy.units as u
import numpy as np
import pandas as pd
from astropy.coordinates import AltAz, EarthLocation, get_body
from astropy.time import Time

from scheduler.check.target_sky import target_sky
from scheduler.check.violation import seconds_between
from scheduler.inputs import Scenario, TargetSpec
from scheduler.sky.refraction import refracted_deg

ANGLE_TOLERANCE_DEG = 0.01
SAMPLE_SPACING_S = 600.0
LIMITS = ("target not visible", "too close to the Sun", "not dark", "too close to the Moon")


def sample_instants(start: pd.Timestamp, end: pd.Timestamp) -> list[pd.Timestamp]:
    """Start, end, middle and points every SAMPLE_SPACING_S in between."""
    span = seconds_between(start, end)
    count = max(2, int(np.ceil(span / SAMPLE_SPACING_S)) + 1)
    offsets = np.unique(np.append(np.linspace(0.0, span, count), span / 2))
    return [start + pd.Timedelta(seconds=float(x)) for x in offsets]


@dataclass(frozen=True)
class Samples:
    """Instants to check, one row per (track, instant), with the station's limits."""

    track_id: list[str]
    station_id: list[str]
    instant: list[pd.Timestamp]
    times: Time
    location: EarthLocation
    floor: object  # callable per row: azimuth -> elevation floor
    min_sun_deg: np.ndarray
    max_sun_elevation_deg: np.ndarray
    min_moon_deg: np.ndarray

    def frame(self, pressure: u.Quantity) -> AltAz:
        return AltAz(
            obstime=self.times,
            location=self.location,
            pressure=pressure,
            temperature=10 * u.deg_C,
            relative_humidity=0,
            obswl=1 * u.m,
        )


def samples_at(scenario: Scenario, rows: list[tuple[str, str, pd.Timestamp]]) -> Samples:
    """Samples of (track id, station id, instant) rows, with each station's limits."""
    stations = [scenario.station(s) for _, s, _ in rows]
    times = Time(pd.DatetimeIndex([t for _, _, t in rows]).tz_convert(None).to_numpy(), scale="utc")
    location = EarthLocation.from_geodetic(
        [s.lon_deg for s in stations] * u.deg,
        [s.lat_deg for s in stations] * u.deg,
        [s.height_m for s in stations] * u.m,
        ellipsoid="WGS84",
    )
    return Samples(
        [r[0] for r in rows],
        [r[1] for r in rows],
        [r[2] for r in rows],
        times,
        location,
        [s.mask_elevation_deg for s in stations],
        np.array([s.min_sun_separation_deg or 0.0 for s in stations]),
        np.array([np.inf if s.sun_max_elevation_deg is None else s.sun_max_elevation_deg for s in stations]),
        np.array([s.min_moon_separation_deg for s in stations]),
    )


@dataclass(frozen=True)
class Look:
    """The sky at a batch of (station, instant) samples: the target's elevation and azimuth, the
    values each limit compares (`shown`: value, bound) and each limit's margin (NaN where the
    trajectory does not cover the instant)."""

    elevation_deg: np.ndarray
    azimuth_deg: np.ndarray
    margin: dict[str, np.ndarray]
    shown: dict[str, tuple[np.ndarray, np.ndarray]]


def look(scenario: Scenario, target: TargetSpec, samples: Samples) -> Look:
    """Every limit at the samples (inside `solar_system_ephemeris.set(...)`)."""
    sky, covered = target_sky(scenario, target, samples.times, samples.location)
    geometric = sky.transform_to(samples.frame(0 * u.hPa))
    elevation = geometric.alt.deg
    if scenario.spec.refraction:
        elevation = refracted_deg(elevation)
    azimuth = geometric.az.deg
    floor = np.array([f(np.array(az)) for f, az in zip(samples.floor, azimuth, strict=True)], dtype=float)
    sun = get_body("sun", samples.times, location=samples.location).transform_to(samples.frame(0 * u.hPa))
    sun_angle = geometric.separation(sun).deg
    moon_angle = np.full(elevation.shape, np.inf)
    if samples.min_moon_deg.any():
        moon = get_body("moon", samples.times, location=samples.location).transform_to(samples.frame(0 * u.hPa))
        moon_angle = geometric.separation(moon).deg
    shown = {
        LIMITS[0]: (elevation, floor),
        LIMITS[1]: (sun_angle, samples.min_sun_deg),
        LIMITS[2]: (sun.alt.deg, samples.max_sun_elevation_deg),
        LIMITS[3]: (moon_angle, samples.min_moon_deg),
    }
    with np.errstate(invalid="ignore"):
        margin = {
            LIMITS[0]: elevation - floor,
            LIMITS[1]: sun_angle - samples.min_sun_deg,
            LIMITS[2]: samples.max_sun_elevation_deg - sun.alt.deg,
            LIMITS[3]: np.where(samples.min_moon_deg > 0, moon_angle - samples.min_moon_deg, np.inf),
        }
    margin = {rule: np.where(covered, value, np.nan) for rule, value in margin.items()}
    return Look(np.where(covered, elevation, np.nan), np.where(covered, azimuth, np.nan), margin, shown)

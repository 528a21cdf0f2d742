"""Visibility re-checked with astropy's own transformations and, for probes, the `oem`
library's own interpolation; no code is shared with the visibility engine.

At the start, middle, end and every 10 minutes of each track: the target above the station's
minimum elevation and horizon mask, the Sun–target angle at least the station's minimum (the
Sun–Earth–Probe limit of radio links), the Sun at or below the station's twilight limit, the
Moon–target angle at least its minimum, and the instant inside the trajectory file's span.
Angles are apparent and topocentric (astropy `AltAz`, with the scenario's ephemeris).
Downtime is checked with overlaps (`rules.check_overlaps`).
"""

import warnings
from collections.abc import Iterator
from dataclasses import dataclass

import astropy.units as u
import numpy as np
import pandas as pd
from astropy.constants import c
from astropy.coordinates import (
    FK5,
    ICRS,
    AltAz,
    CartesianRepresentation,
    EarthLocation,
    SkyCoord,
    get_body,
    get_body_barycentric,
    solar_system_ephemeris,
)
from astropy.time import Time
from oem import OrbitEphemerisMessage
from scipy.interpolate import BarycentricInterpolator, KroghInterpolator

from scheduler.check.violation import Violation, seconds_between
from scheduler.inputs import RequestSpec, Scenario, TargetSpec
from scheduler.offline import configure
from scheduler.sky.ephemeris import DE421_PATH
from scheduler.timeutil import format_time

configure()  # astropy offline before any transformation

ANGLE_TOLERANCE_DEG = 0.01
SAMPLE_SPACING_S = 600.0
OEM_CENTERS = {"EARTH-MOON BARYCENTER": "earth-moon-barycenter", "EARTH BARYCENTER": "earth-moon-barycenter"}


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


def check_visibility(scenario: Scenario, requests: dict[str, RequestSpec], rows: pd.DataFrame) -> list[Violation]:
    source = str(DE421_PATH) if scenario.spec.ephemeris_source == "de421" else "builtin"
    found: list[Violation] = []
    rows = rows[rows.station.isin([s.id for s in scenario.stations])]  # others: `station not allowed`
    with solar_system_ephemeris.set(source):
        for target_id, group in rows.groupby(rows.request_id.map(lambda r: requests[r].target)):
            samples = _samples(scenario, group)
            found += _check_target(scenario, scenario.target(target_id), samples)
    return found


def _samples(scenario: Scenario, group: pd.DataFrame) -> Samples:
    rows = [(row.track_id, row.station, t) for row in group.itertuples() for t in sample_instants(row.start, row.end)]
    return samples_at(scenario, rows)


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


def _check_target(scenario: Scenario, target: TargetSpec, samples: Samples) -> list[Violation]:
    refraction = 1010 * u.hPa if scenario.spec.refraction else 0 * u.hPa
    sky, coverage = target_sky(scenario, target, samples.times, samples.location)
    seen = sky.transform_to(samples.frame(refraction))
    geometric = sky.transform_to(samples.frame(0 * u.hPa))
    sun = get_body("sun", samples.times, location=samples.location).transform_to(samples.frame(0 * u.hPa))
    floor = np.array([f(np.array(az)) for f, az in zip(samples.floor, seen.az.deg, strict=True)])
    checks = [
        ("outside trajectory", ~coverage, lambda k: "the OEM does not cover this instant"),
        (
            "target not visible",
            seen.alt.deg + ANGLE_TOLERANCE_DEG < floor,
            lambda k: f"elevation {seen.alt.deg[k]:.3f} deg < {floor[k]:.3f}",
        ),
    ]
    sun_angle = geometric.separation(sun).deg
    checks.append(
        (
            "too close to the Sun",
            sun_angle + ANGLE_TOLERANCE_DEG < samples.min_sun_deg,
            lambda k: f"Sun–target angle {sun_angle[k]:.3f} deg < {samples.min_sun_deg[k]:.3f}",
        )
    )
    checks.append(
        (
            "not dark",
            sun.alt.deg - ANGLE_TOLERANCE_DEG > samples.max_sun_elevation_deg,
            lambda k: f"Sun elevation {sun.alt.deg[k]:.3f} deg > {samples.max_sun_elevation_deg[k]:.3f}",
        )
    )
    if samples.min_moon_deg.any():
        moon = get_body("moon", samples.times, location=samples.location).transform_to(samples.frame(0 * u.hPa))
        moon_angle = geometric.separation(moon).deg
        checks.append(
            (
                "too close to the Moon",
                moon_angle + ANGLE_TOLERANCE_DEG < samples.min_moon_deg,
                lambda k: f"Moon–target angle {moon_angle[k]:.3f} deg < {samples.min_moon_deg[k]:.3f}",
            )
        )
    geometry = [(rule, broken & coverage, detail) for rule, broken, detail in checks[1:]]
    return list(_first_per_track(samples, checks[:1] + geometry))


def _first_per_track(samples: Samples, checks: list) -> Iterator[Violation]:
    """One violation per track and rule: the first sample that breaks it."""
    for rule, broken, detail in checks:
        reported: set[str] = set()
        for k in np.flatnonzero(broken):
            track_id = samples.track_id[k]
            if track_id not in reported:
                reported.add(track_id)
                when = f" at {format_time(samples.instant[k])} from {samples.station_id[k]}"
                yield Violation(track_id, rule, detail(k) + when)


def target_sky(
    scenario: Scenario, target: TargetSpec, times: Time, location: EarthLocation
) -> tuple[SkyCoord, np.ndarray]:
    """Where the target is at `times` seen from `location` (one per time), and whether the
    trajectory covers each instant. Use inside `solar_system_ephemeris.set(...)`."""
    if target.body is not None:
        return get_body(target.body, times, location=location), np.ones(times.size, dtype=bool)
    if target.oem is not None:
        return probe_sky(scenario.trajectories[target.id].source, times, location)
    sky = SkyCoord(ra=target.ra_deg * u.deg, dec=target.dec_deg * u.deg, frame="icrs")
    return sky, np.ones(times.size, dtype=bool)


def probe_sky(path, times: Time, location: EarthLocation) -> tuple[SkyCoord, np.ndarray]:
    """Barycentric ICRS positions of a probe at the instants its light left it: the states
    parsed by the `oem` library, interpolated by scipy's Krogh interpolator as the segment's
    metadata says (a repeated node carries the velocity: Hermite), corrected for light time
    to first order in velocity."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # GPS epochs stay datetimes: handled in _epochs
        message = OrbitEphemerisMessage.open(path)
        states = np.full((times.size, 6), np.nan)
        for segment in message.segments:
            states = np.where(np.isnan(states), _interpolate(segment, times), states)
    first = message.segments[0].metadata
    center_name = str(first["CENTER_NAME"]).strip().upper()
    center = OEM_CENTERS.get(center_name, center_name.lower())
    covered = ~np.isnan(states[:, 0])
    relative, velocity = states[:, :3] * u.km, states[:, 3:] * u.km / u.s
    if str(first["REF_FRAME"]).strip().upper() in ("EME2000", "J2000"):
        # EME2000 taken as astropy's FK5 at J2000 (they agree within 0.03 arcsec)
        to_icrs = FK5(CartesianRepresentation(np.eye(3) * u.km), equinox="J2000").transform_to(ICRS())
        matrix = to_icrs.cartesian.xyz.value
        relative, velocity = relative @ matrix.T, velocity @ matrix.T
    centre = _barycentric(center, times).T
    station = _station_barycentric(times, location)
    light = (np.linalg.norm(centre + relative - station, axis=1) / c).to(u.s)
    emitted = times - np.nan_to_num(light)
    position = _barycentric(center, emitted).T + relative - velocity * light[:, None]
    return SkyCoord(ICRS(CartesianRepresentation(np.nan_to_num(position).T))), covered


def _interpolate(segment, times: Time) -> np.ndarray:
    """States (n, 6) at `times` inside the segment's useable span (NaN elsewhere)."""
    meta = segment.metadata
    states = list(segment.states)
    epochs = _epochs([s.epoch for s in states], str(meta["TIME_SYSTEM"]))
    x = (epochs - epochs[0]).to_value(u.s)
    t = (times - epochs[0]).to_value(u.s)
    span = _epochs([segment.useable_start_time, segment.useable_stop_time], str(meta["TIME_SYSTEM"])) - epochs[0]
    low, high = span.to_value(u.s)
    values = np.array([np.concatenate([s.position, s.velocity]) for s in states])
    method = str(meta["INTERPOLATION"]).upper() if "INTERPOLATION" in meta else "LAGRANGE"
    degree = int(meta["INTERPOLATION_DEGREE"]) if "INTERPOLATION" in meta else 5
    hermite = method == "HERMITE"
    count = min(x.size, (degree + 1) // 2 if hermite else (1 if method == "LINEAR" else degree) + 1)
    means = np.convolve(x, np.ones(count) / count, mode="valid")
    out = np.full((t.size, 6), np.nan)
    for k, instant in enumerate(t):
        if not low <= instant <= high:
            continue
        first = int(np.argmin(np.abs(means - instant)))
        nodes = x[first : first + count] - instant
        window = values[first : first + count]
        if hermite:
            curve = KroghInterpolator(np.repeat(nodes, 2), np.stack([window[:, :3], window[:, 3:]], 1).reshape(-1, 3))
            out[k] = np.concatenate([curve(0.0), curve.derivative(0.0)])
        else:
            out[k] = BarycentricInterpolator(nodes, window)(0.0)
    return out


def _epochs(values: list, time_system: str) -> Time:
    """Epochs as astropy times; the `oem` library leaves GPS epochs as datetimes (GPS = TAI - 19 s)."""
    if time_system.strip().upper() == "GPS":
        return Time(values, scale="tai") + 19 * u.s
    return Time(values)


def _barycentric(name: str, times: Time) -> u.Quantity:
    if name == "solar system barycenter":
        return np.zeros((3, times.size)) * u.km
    return get_body_barycentric(name, times).xyz.to(u.km)


def _station_barycentric(times: Time, location: EarthLocation) -> u.Quantity:
    earth = get_body_barycentric("earth", times).xyz.to(u.km).T
    gcrs, _ = location.get_gcrs_posvel(times)
    return earth + gcrs.xyz.to(u.km).T

"""Where a target is, seen from stations, by astropy's own transformations and, for probes, the
`oem` library's reading of the file with scipy's interpolators: the validator's sky, which shares
no code with the visibility engine."""

import warnings
from functools import lru_cache
from pathlib import Path

import astropy.units as u
import numpy as np
from astropy.constants import c
from astropy.coordinates import (
    FK5,
    ICRS,
    CartesianRepresentation,
    EarthLocation,
    SkyCoord,
    get_body,
    get_body_barycentric,
)
from astropy.time import Time
from oem import OrbitEphemerisMessage
from scipy.interpolate import BarycentricInterpolator, KroghInterpolator

from scheduler.inputs import Scenario, TargetSpec
from scheduler.offline import configure

configure()  # astropy offline before any transformation

OEM_CENTERS = {"EARTH-MOON BARYCENTER": "earth-moon-barycenter", "EARTH BARYCENTER": "earth-moon-barycenter"}


@lru_cache(maxsize=8)
def _message(path: str, _mtime_ns: int, _size: int) -> OrbitEphemerisMessage:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # GPS epochs stay datetimes: handled in _epochs
        return OrbitEphemerisMessage.open(path)


def oem_message(path: str | Path) -> OrbitEphemerisMessage:
    """The parsed OEM file, read once while it stays unchanged (the validator asks many times)."""
    status = Path(path).stat()
    return _message(str(path), status.st_mtime_ns, status.st_size)


def oem_spans(path: str | Path) -> list[tuple[Time, Time]]:
    """Each segment's useable span, as the file states it."""
    spans = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # GPS epochs stay datetimes: handled in _epochs
        for segment in oem_message(path).segments:
            system = str(segment.metadata["TIME_SYSTEM"])
            start, stop = _epochs([segment.useable_start_time, segment.useable_stop_time], system)
            spans.append((start, stop))
    return spans


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
    message = oem_message(path)
    states = np.full((times.size, 6), np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # GPS epochs stay datetimes: handled in _epochs
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

"""Probe trajectories from CCSDS Orbit Ephemeris Messages (CCSDS 502.0-B, KVN or XML): read and interpolated.

The file is read by the `oem` library. Positions are interpolated as each segment's metadata
recommends: Lagrange of degree n through the n + 1 states, or Hermite of degree n through
(n + 1) / 2 states with their velocities, using the window of consecutive states whose mean
epoch is nearest the instant (the `oem` library's own choice), evaluated for many instants
at once.
"""

import warnings
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import erfa
import numpy as np

if TYPE_CHECKING:
    from astropy.time import Time

CENTERS = {
    "EARTH": "earth",
    "MOON": "moon",
    "SUN": "sun",
    "EARTH-MOON BARYCENTER": "earth-moon-barycenter",
    "EARTH BARYCENTER": "earth-moon-barycenter",
    "SOLAR SYSTEM BARYCENTER": "ssb",
    "MERCURY": "mercury",
    "VENUS": "venus",
    "MARS": "mars",
    "JUPITER": "jupiter",
    "SATURN": "saturn",
    "URANUS": "uranus",
    "NEPTUNE": "neptune",
}
ICRF_FRAMES = {"ICRF", "ICRF1", "ICRF2", "ICRF3", "GCRF"}
J2000_FRAMES = {"EME2000", "J2000"}
GPS_MINUS_TAI_S = -19.0
DEFAULT_INTERPOLATION = ("LAGRANGE", 5)  # what the `oem` library assumes when a segment gives none


class TrajectoryError(ValueError):
    """An OEM that cannot be used: what is wrong (`problem`) and how to fix it (`fix`)."""

    def __init__(self, problem: str, fix: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.fix = fix


@dataclass(frozen=True)
class Segment:
    """One OEM data segment: states relative to the trajectory's centre, ICRF axes."""

    seconds: np.ndarray  # state epochs, SI seconds after the trajectory's epoch
    position_km: np.ndarray  # (n, 3)
    velocity_km_s: np.ndarray  # (n, 3)
    start_s: float  # useable span
    stop_s: float
    method: str  # LAGRANGE | HERMITE
    points: int  # states per interpolation window

    def position_at(self, seconds: np.ndarray) -> np.ndarray:
        """Interpolated positions (..., 3) at `seconds`, held within the useable span."""
        t = np.clip(np.asarray(seconds, dtype=float), self.start_s, self.stop_s)
        flat = t.reshape(-1)
        nodes = self._windows(flat)
        x = self.seconds[nodes]
        weights = lagrange_basis(x, flat)
        if self.method == "HERMITE":
            slope = np.sum(np.where(np.eye(x.shape[1], dtype=bool), 0.0, 1.0 / _differences(x)), axis=2)
            offset = (flat[:, None] - x) * weights**2
            value_weight = weights**2 - 2.0 * slope * offset
            position = np.einsum("mn,mnk->mk", value_weight, self.position_km[nodes])
            position += np.einsum("mn,mnk->mk", offset, self.velocity_km_s[nodes])
        else:
            position = np.einsum("mn,mnk->mk", weights, self.position_km[nodes])
        return position.reshape(*t.shape, 3)

    def _windows(self, t: np.ndarray) -> np.ndarray:
        """Indices (m, points) of the window of consecutive states nearest each instant."""
        points = min(self.points, self.seconds.size)
        total = np.concatenate([[0.0], np.cumsum(self.seconds)])
        means = (total[points:] - total[:-points]) / points
        after = np.clip(np.searchsorted(means, t), 1, means.size - 1) if means.size > 1 else np.zeros(t.shape, int)
        before = np.maximum(after - 1, 0)
        first = np.where(np.abs(means[before] - t) <= np.abs(means[after] - t), before, after)
        return first[:, None] + np.arange(points)


def _differences(x: np.ndarray) -> np.ndarray:
    """x_i - x_j as (m, n, n), with ones on the diagonal (never divided by)."""
    d = x[:, :, None] - x[:, None, :]
    d[:, np.arange(x.shape[1]), np.arange(x.shape[1])] = 1.0
    return d


def lagrange_basis(x: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Lagrange basis polynomials L_i(t) for nodes x (m, n) at instants t (m,): shape (m, n)."""
    ratio = (t[:, None, None] - x[:, None, :]) / _differences(x)
    n = x.shape[1]
    ratio[:, np.arange(n), np.arange(n)] = 1.0
    return ratio.prod(axis=2)


@dataclass(frozen=True)
class Trajectory:
    """A probe's trajectory relative to a solar-system body, in ICRF axes."""

    name: str
    center: str  # astropy body name, or "ssb"
    epoch: datetime
    segments: tuple[Segment, ...]
    source: Path  # the OEM file

    @property
    def coverage(self) -> tuple[tuple[float, float], ...]:
        return tuple((s.start_s, s.stop_s) for s in self.segments)

    def position_km(self, seconds: np.ndarray) -> np.ndarray:
        t = np.asarray(seconds, dtype=float)
        if len(self.segments) == 1:
            return self.segments[0].position_at(t)
        which = np.searchsorted([s.start_s for s in self.segments[1:]], t, side="right")
        out = np.empty((*t.shape, 3))
        for index, segment in enumerate(self.segments):
            inside = which == index
            out[inside] = segment.position_at(t[inside])
        return out


def read_oem(path: str | Path, epoch: datetime) -> Trajectory:
    """A trajectory from an OEM file; times as seconds after `epoch` (UTC). The `oem` library and
    astropy's time scales are imported here, not with the module: most scenarios have no OEM."""
    from scheduler import offline

    offline.configure()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the library warns on time systems astropy lacks (handled)
        return _read(path, epoch)


def _read(path: str | Path, epoch: datetime) -> Trajectory:
    from astropy.time import Time
    from oem import OrbitEphemerisMessage

    try:
        message = OrbitEphemerisMessage.open(path)
    except Exception as exc:  # the library raises ValueError, KeyError, XML and Unicode errors alike
        raise TrajectoryError(
            f"not a readable CCSDS OEM ({type(exc).__name__}: {exc})".replace("\n", " "),
            "give a CCSDS OEM file in KVN or XML (CCSDS 502.0-B)",
        ) from None
    segments = list(message.segments)
    names = {str(s.metadata["OBJECT_NAME"]) for s in segments}
    centers = {str(s.metadata["CENTER_NAME"]).strip().upper() for s in segments}
    if len(centers) != 1:
        raise TrajectoryError(f"segments have different CENTER_NAMEs {sorted(centers)}", "use one centre per file")
    center = centers.pop()
    if center not in CENTERS:
        raise TrajectoryError(f"CENTER_NAME {center!r} is not supported", f"use one of {', '.join(sorted(CENTERS))}")
    reference = Time(epoch, scale="utc")
    return Trajectory(names.pop(), CENTERS[center], epoch, tuple(_segment(s, reference) for s in segments), Path(path))


def _segment(segment, reference: "Time") -> Segment:
    import astropy.units as u

    meta = segment.metadata
    frame = str(meta["REF_FRAME"]).strip().upper()
    if frame not in ICRF_FRAMES | J2000_FRAMES:
        raise TrajectoryError(
            f"REF_FRAME {frame!r} is not supported",
            "give states in an inertial frame: ICRF, GCRF or EME2000",
        )
    states = list(segment.states)
    epochs = _times([s.epoch for s in states], str(meta["TIME_SYSTEM"]))
    position = np.array([s.position for s in states], dtype=float)
    velocity = np.array([s.velocity for s in states], dtype=float)
    if frame in J2000_FRAMES:
        bias, _, _ = erfa.bp00(2451545.0, 0.0)  # ICRS → mean J2000 (IERS 2003 frame bias)
        position, velocity = position @ bias, velocity @ bias
    method, degree = _interpolation(meta)
    span = _times([segment.useable_start_time, segment.useable_stop_time], str(meta["TIME_SYSTEM"]))
    return Segment(
        (epochs - reference).to_value(u.s),
        position,
        velocity,
        *(span - reference).to_value(u.s),
        method,
        degree + 1 if method == "LAGRANGE" else (degree + 1) // 2,
    )


def _interpolation(meta) -> tuple[str, int]:
    if "INTERPOLATION" not in meta:
        return DEFAULT_INTERPOLATION
    method = str(meta["INTERPOLATION"]).strip().upper()
    degree = int(meta["INTERPOLATION_DEGREE"])
    if method == "LINEAR":
        return "LAGRANGE", 1
    if method not in ("LAGRANGE", "HERMITE"):
        raise TrajectoryError(f"INTERPOLATION {method!r} is not supported", "use LAGRANGE, HERMITE or LINEAR")
    if degree < 1 or (method == "HERMITE" and degree % 2 == 0):
        raise TrajectoryError(
            f"INTERPOLATION_DEGREE {degree} does not suit {method}",
            "use a positive degree (odd for HERMITE: 3, 5, 7 …)",
        )
    return method, degree


def _times(epochs: list, time_system: str) -> "Time":
    """Epochs as astropy times; the `oem` library gives datetimes for systems astropy lacks."""
    import astropy.units as u
    from astropy.time import Time

    system = time_system.strip().upper()
    if system.lower() in Time.SCALES:
        return Time(epochs)
    if system == "GPS":
        return Time(epochs, scale="tai") - GPS_MINUS_TAI_S * u.s
    raise TrajectoryError(f"TIME_SYSTEM {system!r} is not supported", "use UTC, TAI, TT, GPS, TDB, TCB, TCG or UT1")

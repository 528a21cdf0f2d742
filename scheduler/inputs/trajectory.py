"""Probe trajectories from CCSDS Orbit Ephemeris Messages (CCSDS 502.0-B, KVN or XML): read and interpolated.

KVN files are read by `oem_kvn` (fast, for files of a million lines), XML files by the `oem`
library; epochs must increase and every number be finite. Positions are interpolated as each segment's metadata
recommends: Lagrange of degree n through the n + 1 states, or Hermite of degree n through
(n + 1) / 2 states with their velocities, using the window of consecutive states whose mean
epoch is nearest the instant (the `oem` library's own choice), evaluated for many instants
at once.
"""

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import erfa
import numpy as np

if TYPE_CHECKING:
    from astropy.time import Time

    from scheduler.inputs.oem_kvn import KvnSegment

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
    """A trajectory from an OEM file; times as seconds after `epoch` (UTC). The readers and
    astropy's time scales are imported here, not with the module: most scenarios have no OEM."""
    from scheduler import offline

    offline.configure()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the library warns on time systems astropy lacks (handled)
        return _read(path, epoch)


def _read(path: str | Path, epoch: datetime) -> Trajectory:
    from astropy.time import Time

    segments = _raw_segments(path)
    names = {str(meta["OBJECT_NAME"]) for meta, *_ in segments}
    centers = {str(meta["CENTER_NAME"]).strip().upper() for meta, *_ in segments}
    if len(centers) != 1:
        raise TrajectoryError(f"segments have different CENTER_NAMEs {sorted(centers)}", "use one centre per file")
    center = centers.pop()
    if center not in CENTERS:
        raise TrajectoryError(f"CENTER_NAME {center!r} is not supported", f"use one of {', '.join(sorted(CENTERS))}")
    reference = Time(epoch, scale="utc")
    made = tuple(_segment(number, raw, reference) for number, raw in enumerate(segments, start=1))
    return Trajectory(names.pop(), CENTERS[center], epoch, made, Path(path))


RawSegment = tuple[Mapping, "Time", np.ndarray, "Time"]  # metadata, epochs, states (n, 6), useable start and stop


def _raw_segments(path: str | Path) -> list[RawSegment]:
    """Each segment's metadata, epochs, states and useable span: KVN by our fast reader, XML by
    the `oem` library (which parses XML with defusedxml: no DTDs, no entities)."""
    from oem import OrbitEphemerisMessage

    from scheduler.inputs.oem_kvn import is_kvn, read_kvn

    unreadable = "give a CCSDS OEM file in KVN or XML (CCSDS 502.0-B)"
    try:
        if is_kvn(path):
            return [_kvn_segment(segment) for segment in read_kvn(path)]
        message = OrbitEphemerisMessage.open(path)
        return [_library_segment(segment) for segment in message.segments]
    except TrajectoryError:
        raise
    except Exception as exc:  # the library raises ValueError, KeyError, XML and Unicode errors alike
        problem = f"not a readable CCSDS OEM ({type(exc).__name__}: {exc})".replace("\n", " ")
        raise TrajectoryError(problem, unreadable) from None


def _kvn_segment(segment: "KvnSegment") -> RawSegment:
    meta, system = segment.meta, segment.meta["TIME_SYSTEM"]
    span = [meta.get("USEABLE_START_TIME", meta["START_TIME"]), meta.get("USEABLE_STOP_TIME", meta["STOP_TIME"])]
    return meta, _text_times(segment.epochs, system), segment.states, _text_times(span, system)


def _library_segment(segment) -> RawSegment:
    meta, states = segment.metadata, list(segment.states)
    system = str(meta["TIME_SYSTEM"])
    values = np.array([np.concatenate([s.position, s.velocity]) for s in states], dtype=float).reshape(-1, 6)
    span = _times([segment.useable_start_time, segment.useable_stop_time], system)
    return meta, _times([s.epoch for s in states], system), values, span


def _segment(number: int, raw: RawSegment, reference: "Time") -> Segment:
    import astropy.units as u

    meta, epochs, states, span = raw
    frame = str(meta["REF_FRAME"]).strip().upper()
    if frame not in ICRF_FRAMES | J2000_FRAMES:
        raise TrajectoryError(
            f"REF_FRAME {frame!r} is not supported",
            "give states in an inertial frame: ICRF, GCRF or EME2000",
        )
    seconds = np.atleast_1d((epochs - reference).to_value(u.s))
    if not np.isfinite(states).all():
        raise TrajectoryError(f"segment {number} has a state that is not a finite number", "give numbers only")
    steps = np.flatnonzero(np.diff(seconds) <= 0)
    if steps.size:
        when = epochs[steps[0] + 1].utc.isot
        raise TrajectoryError(
            f"segment {number}: state {steps[0] + 2} ({when}) is not after the state before it",
            "list states in increasing epoch order, each epoch once",
        )
    position, velocity = states[:, :3], states[:, 3:6]
    if frame in J2000_FRAMES:
        bias, _, _ = erfa.bp00(2451545.0, 0.0)  # ICRS → mean J2000 (IERS 2003 frame bias)
        position, velocity = position @ bias, velocity @ bias
    method, degree = _interpolation(meta)
    return Segment(
        seconds,
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
    try:
        degree = int(str(meta["INTERPOLATION_DEGREE"]).strip())
    except (KeyError, ValueError):
        degree = 0  # refused below
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


def _text_times(epochs: object, time_system: str) -> "Time":
    """Epochs written as CCSDS text (calendar or day-of-year form) in the file's time system, at once."""
    import astropy.units as u
    from astropy.time import Time

    text = np.char.rstrip(np.asarray(epochs, dtype=str), "Z")
    system = time_system.strip().upper()
    scale = "tai" if system == "GPS" else system.lower()
    if scale not in Time.SCALES:
        raise TrajectoryError(f"TIME_SYSTEM {system!r} is not supported", "use UTC, TAI, TT, GPS, TDB, TCB, TCG or UT1")
    try:
        ordinal = np.char.find(text, "-", 5) < 0  # 2026-348T06:00:00: day of year
        if ordinal.any():
            text = np.char.replace(np.char.replace(text, "-", ":", 1), "T", ":")
        times = Time(text, format="yday" if ordinal.any() else "isot", scale=scale)
    except ValueError:
        raise TrajectoryError("an epoch is not a CCSDS time (YYYY-MM-DDThh:mm:ss)", "fix the epoch") from None
    return times - GPS_MINUS_TAI_S * u.s if system == "GPS" else times


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

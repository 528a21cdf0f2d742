"""Apparent geocentric positions of targets and the Earth's motion, sampled once and splined.

Astropy does the astronomy: light time, aberration and light deflection (`get_body`, and its
ICRS → GCRS transformation for probe trajectories), precession-nutation and Earth rotation
from the bundled IERS tables (GCRS → ITRS), the geocentre's barycentric velocity. Each
target's apparent GCRS position is computed once on a shared grid and interpolated with a
cubic spline, the Earth's rotation and velocity once for all targets, so that the visibility
search evaluates any instant with numpy alone.

Ephemeris of the Sun, Moon and planets: astropy's built-in (ERFA's VSOP87-based `epv00` and
`plan94`, and a Meeus lunar theory; errors up to a few arcseconds, tens for the outer planets)
or JPL DE421 (Folkner et al. 2008) read from the `skyfield-data` package, offline.
"""

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from importlib import resources
from pathlib import Path

import astropy.units as u
import numpy as np
from astropy.coordinates import (
    GCRS,
    ICRS,
    ITRS,
    CartesianRepresentation,
    get_body,
    get_body_barycentric,
    get_body_barycentric_posvel,
    solar_system_ephemeris,
)
from astropy.time import Time
from scipy.interpolate import CubicSpline

from scheduler.inputs.targets import TargetSpec
from scheduler.inputs.trajectory import Trajectory

BODY_STEP_S = 3600.0  # apparent GCRS positions of bodies and fixed directions: smooth at this step
ROTATION_STEP_S = 600.0  # GCRS → ITRS matrices: spline error below 0.01 arcsec at this step
PROBE_CHORD_RAD = 0.01  # probe samples: at most this angle (or relative distance) apart, seen from the geocentre
LIGHT_TIME_MARGIN_S = 86_400.0  # barycentric positions are needed this long before the horizon (light time)
FAR_AWAY_KM = 1.0e15  # a fixed RA/Dec direction: parallax-free
C_KM_S = 299_792.458
DE421_PATH = Path(str(resources.files("skyfield_data").joinpath("data", "de421.bsp")))
EPHEMERIDES = ("builtin", "de421")


def ephemeris_source(choice: str) -> str:
    """What astropy's `ephemeris=` argument takes for a scenario's `ephemeris` key."""
    return str(DE421_PATH) if choice == "de421" else "builtin"


def distinct(seconds: np.ndarray, resolution_s: float = 1e-3) -> np.ndarray:
    """Sorted instants, merging those closer than `resolution_s` (spline knots must be apart)."""
    ordered = np.unique(seconds)
    return ordered[np.append(True, np.diff(ordered) > resolution_s)]


def densify(seconds: np.ndarray, position: np.ndarray, max_chord: float) -> np.ndarray:
    """`seconds` with each interval split evenly until consecutive positions (n, 3) are at most
    `max_chord` apart relative to their distance from the origin (an angle, in radians)."""
    distance = np.linalg.norm(position, axis=-1)
    chord = np.linalg.norm(np.diff(position, axis=0), axis=-1) / np.minimum(distance[:-1], distance[1:])
    parts = np.maximum(1, np.ceil(chord / max_chord)).astype(int)
    step = np.diff(seconds) / parts
    offsets = np.arange(parts.sum()) - np.repeat(np.cumsum(parts) - parts, parts)
    return np.append(np.repeat(seconds[:-1], parts) + offsets * np.repeat(step, parts), seconds[-1])


def spline(seconds: np.ndarray, values: np.ndarray) -> CubicSpline:
    return CubicSpline(seconds, values, axis=0)


def evaluate(curve: CubicSpline, seconds: np.ndarray, derivative: int = 0) -> np.ndarray:
    """A spline (or its derivative) at `seconds`, held at its end values outside its knots."""
    return curve(np.clip(np.asarray(seconds, dtype=float), curve.x[0], curve.x[-1]), derivative)


@dataclass(frozen=True)
class Earth:
    """The GCRS → ITRS rotation (precession-nutation, Earth rotation angle, polar motion) and
    the geocentre's barycentric velocity (GCRS axes), which sets the annual aberration."""

    matrices: CubicSpline  # seconds -> (..., 3, 3)
    velocity: CubicSpline  # seconds -> (..., 3) km/s

    def to_itrs(self, seconds: np.ndarray, gcrs: np.ndarray) -> np.ndarray:
        """Rotate GCRS vectors (..., 3) at `seconds` (broadcastable to their leading shape)."""
        matrix = evaluate(self.matrices, seconds)
        return np.einsum("...ij,...j->...i", matrix, gcrs)

    def velocity_itrs_km_s(self, seconds: np.ndarray) -> np.ndarray:
        """The geocentre's barycentric velocity in ITRS axes."""
        return self.to_itrs(seconds, evaluate(self.velocity, seconds))


@dataclass(frozen=True)
class TargetPath:
    """A target's apparent geocentric GCRS position (km) as a function of seconds from the epoch.

    `pieces` are splines over consecutive time spans (one per OEM segment); `coverage` lists
    the spans where the path is defined, or is empty when it is defined everywhere.
    """

    target_id: str
    pieces: tuple[CubicSpline, ...]
    coverage: tuple[tuple[float, float], ...] = ()

    def gcrs_km(self, seconds: np.ndarray, derivative: int = 0) -> np.ndarray:
        """Position (km), or with `derivative=1` velocity (km/s), at `seconds`."""
        t = np.asarray(seconds, dtype=float)
        if len(self.pieces) == 1:
            return evaluate(self.pieces[0], t, derivative)
        which = np.searchsorted([p.x[0] for p in self.pieces[1:]], t, side="right")
        out = np.empty((*t.shape, 3))
        for index, piece in enumerate(self.pieces):
            inside = which == index
            out[inside] = evaluate(piece, t[inside], derivative)
        return out


class Ephemerides:
    """Apparent positions for one planning horizon; each body and barycentre computed once."""

    def __init__(self, epoch: datetime, horizon_s: float, ephemeris: str = "builtin") -> None:
        self.epoch = epoch
        self.horizon_s = horizon_s
        self.source = ephemeris_source(ephemeris)
        self._bodies: dict[str, TargetPath] = {}
        self._barycentres: dict[str, CubicSpline] = {}

    def astropy(self) -> AbstractContextManager:
        """Astropy set to this ephemeris everywhere, including the Earth's own position inside
        its ICRS → GCRS transformation (which ignores `get_body`'s `ephemeris=` argument)."""
        return solar_system_ephemeris.set(self.source)

    def times(self, seconds: np.ndarray) -> Time:
        return Time(self.epoch, scale="utc") + np.asarray(seconds) * u.s

    def grid(self, step_s: float, before_s: float = 0.0) -> np.ndarray:
        """Instants covering the horizon with one step of margin after (and `before_s` before)."""
        first = -step_s * np.ceil(before_s / step_s + 1)
        return np.arange(first, self.horizon_s + 2 * step_s, step_s)

    @cached_property
    def earth(self) -> Earth:
        seconds = self.grid(ROTATION_STEP_S)
        times = self.times(seconds)
        axes = CartesianRepresentation(np.eye(3)[:, :, None] * np.ones(seconds.size) * u.km)
        with self.astropy():
            itrs = GCRS(axes, obstime=times).transform_to(ITRS(obstime=times)).cartesian.xyz.to_value(u.km)
            _, velocity = get_body_barycentric_posvel("earth", times)
        # itrs[k, j, n]: component k of GCRS axis j at time n, i.e. matrix element (k, j)
        matrices = spline(seconds, np.moveaxis(itrs, -1, 0))
        return Earth(matrices, spline(seconds, velocity.xyz.to_value(u.km / u.s).T))

    def body(self, name: str, target_id: str | None = None) -> TargetPath:
        """Sun, Moon or planet: astropy's apparent geocentric position (light time, aberration)."""
        if name not in self._bodies:
            seconds = self.grid(BODY_STEP_S)
            with self.astropy():
                gcrs = get_body(name, self.times(seconds)).cartesian.xyz.to_value(u.km).T
            self._bodies[name] = TargetPath(name, (spline(seconds, gcrs),))
        path = self._bodies[name]
        return path if target_id is None else TargetPath(target_id, path.pieces)

    def fixed(self, directions: Sequence[tuple[str, float, float]]) -> list[TargetPath]:
        """Fixed ICRS directions (id, ra_deg, dec_deg), aberrated and deflected, all at once."""
        if not directions:
            return []
        seconds = self.grid(BODY_STEP_S)
        times = self.times(seconds)
        ra = np.array([d[1] for d in directions])[:, None] * u.deg
        dec = np.array([d[2] for d in directions])[:, None] * u.deg
        with self.astropy():
            gcrs = ICRS(ra=ra, dec=dec).transform_to(GCRS(obstime=times))
        unit = gcrs.represent_as("unitspherical").to_cartesian().xyz.value  # (3, targets, times)
        return [
            TargetPath(target_id, (spline(seconds, unit[:, index].T * FAR_AWAY_KM),))
            for index, (target_id, _, _) in enumerate(directions)
        ]

    def barycentre(self, name: str) -> Callable[[np.ndarray], np.ndarray]:
        """Barycentric ICRS position (km) of a body, or zeros for the solar-system barycentre."""
        if name == "ssb":
            return lambda t: np.zeros((*np.shape(t), 3))
        if name not in self._barycentres:
            seconds = self.grid(BODY_STEP_S, before_s=LIGHT_TIME_MARGIN_S)
            with self.astropy():
                position = get_body_barycentric(name, self.times(seconds))
            self._barycentres[name] = spline(seconds, position.xyz.to_value(u.km).T)
        curve = self._barycentres[name]
        return lambda t: evaluate(curve, t)

    def probe(self, target_id: str, trajectory: Trajectory) -> TargetPath:
        """A probe from its OEM: light time solved against the trajectory, then astropy's
        ICRS → GCRS (aberration, deflection), sampled densely where it moves fast."""
        pieces, coverage = [], []
        for segment in trajectory.segments:
            first = max(segment.start_s, -BODY_STEP_S)
            last = min(segment.stop_s, self.horizon_s + BODY_STEP_S)
            if last - first < 1e-3:
                continue
            seconds = self._probe_samples(trajectory, segment.seconds, first, last)
            emitted = self._emission_times(trajectory, seconds)
            barycentric = self.barycentre(trajectory.center)(emitted) + trajectory.position_km(emitted)
            times = self.times(seconds)
            icrs = ICRS(CartesianRepresentation(barycentric.T * u.km))
            with self.astropy():
                gcrs = icrs.transform_to(GCRS(obstime=times)).cartesian.xyz.to_value(u.km).T
            pieces.append(spline(seconds, gcrs))
            coverage.append((segment.start_s, segment.stop_s))
        if not pieces:
            raise ValueError(f"trajectory {trajectory.name} does not cover the planning horizon")
        return TargetPath(target_id, tuple(pieces), tuple(coverage))

    def _geocentric_km(self, trajectory: Trajectory, seconds: np.ndarray) -> np.ndarray:
        centre = self.barycentre(trajectory.center)(seconds) - self.barycentre("earth")(seconds)
        return centre + trajectory.position_km(seconds)

    def _probe_samples(self, trajectory: Trajectory, epochs: np.ndarray, first: float, last: float) -> np.ndarray:
        """The shared body grid and the file's own epochs within [first, last], each interval
        split so that consecutive geocentric positions differ by at most PROBE_CHORD_RAD."""
        grid = self.grid(BODY_STEP_S)
        base = distinct(np.concatenate([[first, last], grid, epochs]))
        base = base[(base >= first) & (base <= last)]
        return densify(base, self._geocentric_km(trajectory, base), PROBE_CHORD_RAD)

    def _emission_times(self, trajectory: Trajectory, seconds: np.ndarray) -> np.ndarray:
        """Instants the light received at the geocentre at `seconds` left the probe."""
        earth = self.barycentre("earth")(seconds)
        emitted = seconds
        for _ in range(3):
            probe = self.barycentre(trajectory.center)(emitted) + trajectory.position_km(emitted)
            emitted = seconds - np.linalg.norm(probe - earth, axis=-1) / C_KM_S
        return emitted


def target_paths(
    targets: Sequence[TargetSpec], trajectories: Mapping[str, Trajectory], ephemerides: Ephemerides
) -> list[TargetPath]:
    """Every target's path, in the order given; fixed directions are computed together."""
    fixed = ephemerides.fixed([(t.id, t.ra_deg, t.dec_deg) for t in targets if t.ra_deg is not None])
    by_id = {path.target_id: path for path in fixed}
    for target in targets:
        if target.body is not None:
            by_id[target.id] = ephemerides.body(target.body, target.id)
        elif target.oem is not None:
            by_id[target.id] = ephemerides.probe(target.id, trajectories[target.id])
    return [by_id[t.id] for t in targets]

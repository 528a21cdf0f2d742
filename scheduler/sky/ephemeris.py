"""Where the targets are: geocentric positions over one planning horizon, computed once on a
coarse grid and interpolated, so that the visibility search evaluates any instant with numpy.

A target's position here is *astrometric with light deflection*: light time solved against
the barycentric ephemeris, then ERFA's deflection by the Sun (`ld`) — the steps of astropy's
`get_body` and ICRS → GCRS (its `atciqz`), without the annual aberration, which `geometry`
applies for each station's own velocity. Fixed directions take the same steps at infinite
distance, probes from their OEM trajectory.

Ephemeris of the Sun, Moon and planets: JPL DE421 (Folkner et al. 2008) read with jplephem
from the `skyfield-data` package, offline, or ERFA's built-in theories as astropy's `builtin`
(`epv00` for the Earth and Sun, `moon98`, `plan94`; arcseconds, tens for the outer planets).
"""

from collections.abc import Callable, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cached_property
from importlib import resources
from pathlib import Path

import erfa
import numpy as np

from scheduler.inputs.targets import TargetSpec
from scheduler.inputs.trajectory import Trajectory
from scheduler.sky.earth_rotation import EarthRotation
from scheduler.sky.hermite import Hermite
from scheduler.sky.timescale import Timescale

BODY_STEP_S = 3600.0  # positions of bodies and fixed directions: smooth at this step
PROBE_CHORD_RAD = 0.01  # probe samples: at most this angle (or relative distance) apart, seen from the geocentre
LIGHT_TIME_MARGIN_S = 86_400.0  # barycentric positions are needed this long before the horizon (light time)
LIGHT_TIME_ITERATIONS = 3  # each gains a factor v/c ~ 1e-4
FAR_AWAY_KM = 1.0e15  # a fixed RA/Dec direction: parallax-free
C_KM_S = 299_792.458
AU_KM = 149_597_870.7
DE421_PATH = Path(str(resources.files("skyfield_data").joinpath("data", "de421.bsp")))
EPHEMERIDES = ("builtin", "de421")
KERNEL_CHAINS = {  # SPK segments (centre, target) from the solar-system barycentre, as astropy's
    "sun": [(0, 10)],
    "mercury": [(0, 1), (1, 199)],
    "venus": [(0, 2), (2, 299)],
    "earth-moon-barycenter": [(0, 3)],
    "earth": [(0, 3), (3, 399)],
    "moon": [(0, 3), (3, 301)],
    "mars": [(0, 4)],
    "jupiter": [(0, 5)],
    "saturn": [(0, 6)],
    "uranus": [(0, 7)],
    "neptune": [(0, 8)],
}
PLAN94 = {  # ERFA's planet numbers
    "mercury": 1,
    "venus": 2,
    "earth-moon-barycenter": 3,
    "mars": 4,
    "jupiter": 5,
    "saturn": 6,
    "uranus": 7,
    "neptune": 8,
}


def norm(vectors: np.ndarray) -> np.ndarray:
    """Lengths of component-first vectors (3, ...)."""
    return np.sqrt(np.einsum("i...,i...->...", vectors, vectors))


def distinct(seconds: np.ndarray, resolution_s: float = 1e-3) -> np.ndarray:
    """Sorted instants, merging those closer than `resolution_s` (knots must be apart)."""
    ordered = np.unique(seconds)
    return ordered[np.append(True, np.diff(ordered) > resolution_s)]


def densify(seconds: np.ndarray, position: np.ndarray, max_chord: float) -> np.ndarray:
    """`seconds` with each interval split evenly until consecutive positions (3, n) are at most
    `max_chord` apart relative to their distance from the origin (an angle, in radians)."""
    distance = norm(position)
    chord = norm(np.diff(position, axis=1)) / np.minimum(distance[:-1], distance[1:])
    parts = np.maximum(1, np.ceil(chord / max_chord)).astype(int)
    step = np.diff(seconds) / parts
    offsets = np.arange(parts.sum()) - np.repeat(np.cumsum(parts) - parts, parts)
    return np.append(np.repeat(seconds[:-1], parts) + offsets * np.repeat(step, parts), seconds[-1])


@dataclass(frozen=True)
class Earth:
    """The GCRS → ITRS rotation and the geocentre's barycentric motion (GCRS axes, km)."""

    rotation: EarthRotation
    barycentre: Hermite

    def to_itrs(self, seconds: np.ndarray, gcrs: np.ndarray, matrix: np.ndarray | None = None) -> np.ndarray:
        """Rotate vectors (3, *seconds.shape) at `seconds` (or by the given GCRS → ITRS `matrix`)."""
        matrix = self.rotation.matrix(seconds) if matrix is None else matrix
        shape = np.shape(seconds)
        rotated = np.einsum("tij,jt->it", matrix.reshape(-1, 3, 3), gcrs.reshape(3, -1))
        return np.ascontiguousarray(rotated).reshape(3, *shape)

    def beta(self, seconds: np.ndarray, matrix: np.ndarray | None = None) -> np.ndarray:
        """The geocentre's barycentric velocity over c, ITRS axes, (3, *seconds.shape)."""
        return self.to_itrs(seconds, self.velocity_km_s(seconds), matrix) / C_KM_S

    def velocity_km_s(self, seconds: np.ndarray) -> np.ndarray:
        """The geocentre's barycentric velocity, GCRS axes, (3, *seconds.shape)."""
        return self.barycentre.at(seconds, derivative=1)


@dataclass(frozen=True)
class TargetPath:
    """A target's geocentric position (km, GCRS axes; see the module) against seconds from the epoch.

    `pieces` cover consecutive time spans (one per OEM segment); `coverage` lists the spans where
    the path is defined, or is empty when it is defined everywhere.
    """

    target_id: str
    pieces: tuple[Hermite, ...]
    coverage: tuple[tuple[float, float], ...] = ()

    @cached_property
    def nearest_km(self) -> float:
        """The least distance from the geocentre at the knots."""
        return min(float(norm(piece.coefficients[0]).min()) for piece in self.pieces)

    def position_km(self, seconds: np.ndarray, derivative: int = 0) -> np.ndarray:
        """Position (km), or with `derivative=1` velocity (km/s), (3, *seconds.shape)."""
        t = np.asarray(seconds, dtype=float)
        if len(self.pieces) == 1:
            return self.pieces[0].at(t, derivative)
        which = np.searchsorted([p.knots[0] for p in self.pieces[1:]], t, side="right")
        out = np.empty((3, *t.shape))
        for index, piece in enumerate(self.pieces):
            inside = which == index
            out[:, inside] = piece.at(t[inside], derivative)
        return out


class Ephemerides:
    """Positions for one planning horizon; each body's barycentric path computed once."""

    def __init__(self, epoch: datetime, horizon_s: float, ephemeris: str = "builtin") -> None:
        if ephemeris not in EPHEMERIDES:
            raise ValueError(f"ephemeris {ephemeris!r} is not one of {', '.join(EPHEMERIDES)}")
        self.epoch = epoch
        self.horizon_s = horizon_s
        self.source = ephemeris
        self.timescale = Timescale.at(epoch)
        self._bodies: dict[str, TargetPath] = {}
        self._barycentres: dict[str, Hermite] = {}
        self._builtin: tuple[np.ndarray, tuple] | None = None

    def grid(self, step_s: float, before_s: float = 0.0) -> np.ndarray:
        """Instants covering the horizon with one step of margin after (and `before_s` before)."""
        first = -step_s * np.ceil(before_s / step_s + 1)
        return np.arange(first, self.horizon_s + 2 * step_s, step_s)

    @cached_property
    def earth(self) -> Earth:
        rotation = EarthRotation.over(self.timescale, -BODY_STEP_S, self.horizon_s + 2 * BODY_STEP_S)
        return Earth(rotation, self.barycentre("earth"))

    def barycentre(self, name: str) -> Hermite:
        """Barycentric ICRS path (km) of a body, or of the solar-system barycentre ("ssb")."""
        if name not in self._barycentres:
            knots = self.grid(BODY_STEP_S, before_s=LIGHT_TIME_MARGIN_S)
            self._barycentres[name] = Hermite.sampled(lambda t: self._barycentric_km(name, t), knots)
        return self._barycentres[name]

    def body(self, name: str, target_id: str | None = None) -> TargetPath:
        """Sun, Moon or planet, light time solved from the geocentre."""
        if name not in self._bodies:
            curve = self.barycentre(name)
            astrometric = Hermite.sampled(lambda t: self.astrometric_km(t, curve.at), self.grid(BODY_STEP_S))
            self._bodies[name] = TargetPath(name, (astrometric,))
        path = self._bodies[name]
        return path if target_id is None else replace(path, target_id=target_id)

    def fixed(self, directions: Sequence[tuple[str, float, float]]) -> list[TargetPath]:
        """Fixed ICRS directions (id, ra_deg, dec_deg), deflected by the Sun, all at once."""
        if not directions:
            return []
        ra, dec = (np.radians([d[k] for d in directions]) for k in (1, 2))
        unit = erfa.s2c(ra, dec)  # (directions, 3)

        def deflected(seconds: np.ndarray) -> np.ndarray:
            heliocentric = self.barycentre("earth").at(seconds) - self.barycentre("sun").at(seconds)
            far = np.broadcast_to(unit[:, None, :], (len(directions), seconds.size, 3))
            return self._deflect(far, far, heliocentric.T).transpose(0, 2, 1).reshape(-1, seconds.size) * FAR_AWAY_KM

        together = Hermite.sampled(deflected, self.grid(BODY_STEP_S))
        return [
            TargetPath(target_id, (Hermite(together.knots, together.coefficients[:, 3 * k : 3 * k + 3]),))
            for k, (target_id, _, _) in enumerate(directions)
        ]

    def probe(self, target_id: str, trajectory: Trajectory) -> TargetPath:
        """A probe from its OEM, light time solved against the trajectory, sampled densely where
        it moves fast."""
        centre = self.barycentre(trajectory.center)

        def barycentric(t: np.ndarray) -> np.ndarray:
            return trajectory.position_km(t).T + centre.at(t)

        pieces, coverage = [], []
        for segment in trajectory.segments:
            first = max(segment.start_s, -BODY_STEP_S)
            last = min(segment.stop_s, self.horizon_s + BODY_STEP_S)
            if last - first < 1e-3:
                continue
            grid = distinct(np.concatenate([[first, last], self.grid(BODY_STEP_S), segment.seconds]))
            grid = grid[(grid >= first) & (grid <= last)]
            seconds = densify(grid, barycentric(grid) - self.barycentre("earth").at(grid), PROBE_CHORD_RAD)
            pieces.append(Hermite.sampled(lambda t: self.astrometric_km(t, barycentric), seconds))
            coverage.append((segment.start_s, segment.stop_s))
        if not pieces:
            raise ValueError(f"trajectory {trajectory.name} does not cover the planning horizon")
        return TargetPath(target_id, tuple(pieces), tuple(coverage))

    def astrometric_km(self, seconds: np.ndarray, barycentric: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
        """Geocentric position (3, n) of what is at `barycentric(t)` (3, n), light time solved
        iteratively, then deflected by the Sun as astropy's ICRS → GCRS does at finite distance."""
        earth = self.barycentre("earth").at(seconds)
        emitted = seconds
        for _ in range(LIGHT_TIME_ITERATIONS):
            emitted = seconds - norm(barycentric(emitted) - earth) / C_KM_S
        geocentric = (barycentric(emitted) - earth).T
        heliocentric = (earth - self.barycentre("sun").at(seconds)).T
        distance = np.linalg.norm(geocentric, axis=-1, keepdims=True)
        direction = geocentric / distance
        from_sun = heliocentric + geocentric
        sun_distance = np.linalg.norm(from_sun, axis=-1, keepdims=True)
        from_sun = np.where(sun_distance > 1e-10 * AU_KM, from_sun / np.maximum(sun_distance, 1e-300), direction)
        return (self._deflect(direction, from_sun, heliocentric) * distance).T

    @staticmethod
    def _deflect(direction: np.ndarray, from_sun: np.ndarray, heliocentric: np.ndarray) -> np.ndarray:
        """ERFA's deflection by the Sun of unit `direction`s (..., 3), the source seen from the
        Sun along `from_sun`, the observer at `heliocentric` (km)."""
        sun_distance = np.linalg.norm(heliocentric, axis=-1, keepdims=True)
        return erfa.ld(1.0, direction, from_sun, heliocentric / sun_distance, sun_distance[..., 0] / AU_KM, 1e-6)

    def _barycentric_km(self, name: str, seconds: np.ndarray) -> np.ndarray:
        """The ephemeris itself: barycentric ICRS position (3, n) km at `seconds`."""
        if name == "ssb":
            return np.zeros((3, seconds.size))
        tdb = self.timescale.tdb(seconds)
        if self.source == "de421":
            from jplephem.spk import SPK

            with closing(SPK.open(str(DE421_PATH))) as kernel:
                return sum(kernel[pair].compute(*tdb) for pair in KERNEL_CHAINS[name])
        helio, bary = self._epv00(seconds, tdb)
        if name == "earth":
            position = bary["p"]
        elif name == "moon":
            position = erfa.moon98(*tdb)["p"] + bary["p"]
        elif name == "sun":
            position = bary["p"] - helio["p"]
        else:
            position = erfa.plan94(*tdb, PLAN94[name])["p"] + bary["p"] - helio["p"]
        return position.T * AU_KM

    def _epv00(self, seconds: np.ndarray, tdb: tuple[np.ndarray, np.ndarray]) -> tuple:
        """ERFA's Earth (heliocentric, barycentric; au), kept for the next body on the same instants."""
        if self._builtin is None or not np.array_equal(self._builtin[0], seconds):
            self._builtin = (np.copy(seconds), erfa.epv00(*tdb))
        return self._builtin[1]


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

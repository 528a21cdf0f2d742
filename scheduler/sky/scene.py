"""What the stations see: a `Scene` holds what every target shares (stations, the Earth's
motion, the Sun and Moon), a `Sky` one target from stations at instants, each quantity
computed on first use.

Samples come in the layouts of `geometry`: every station at every instant (`seconds` (1, T),
`station_index` (S, 1)) for the scan, or one station per instant (both (N,)) for refinement.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

import numpy as np

from scheduler.sky.ephemeris import Earth, Ephemerides, TargetPath, norm
from scheduler.sky.geometry import FAR_KM, Sites, apparent_local_km, azimuth_deg, elevation_deg
from scheduler.sky.refraction import refracted_deg

SHARED_GRID_SIZE = 1000  # the Earth's orientation, Sun and Moon on grids at least this large are kept for reuse
STATION_RADIUS_KM = 6_400.0  # no station is farther from the geocentre


@dataclass(frozen=True)
class Scene:
    """What every target's sky shares: the stations, the Earth's motion, the Sun and Moon.

    The Earth's orientation at the instants of a scan grid, and the Sun's and Moon's directions
    from every station there, are the same for every target scanned on that grid, so the
    latest of each is kept.
    """

    sites: Sites
    ephemerides: Ephemerides
    refraction: bool = False
    _latest: dict = field(default_factory=dict, compare=False, repr=False)

    def shared(self, key: str, sky: "Sky", compute: Callable[[], object], by_station: bool = True) -> object:
        """`compute()` for the sky's samples (or only its instants, without `by_station`); on a
        large grid kept for the next sky with the same samples."""
        if np.size(sky.seconds) < SHARED_GRID_SIZE:
            return compute()
        kept = self._latest.get(key)
        if (
            kept
            and np.array_equal(kept[0], sky.seconds)
            and (not by_station or np.array_equal(kept[1], sky.station_index))
        ):
            return kept[2]
        value = compute()
        self._latest[key] = (np.copy(sky.seconds), np.copy(sky.station_index), value)
        return value

    def body(self, body: Literal["sun", "moon"]) -> TargetPath:
        return self.sun if body == "sun" else self.moon

    @cached_property
    def earth(self) -> Earth:
        return self.ephemerides.earth

    @cached_property
    def sun(self) -> TargetPath:
        return self.ephemerides.body("sun")

    @cached_property
    def moon(self) -> TargetPath:
        return self.ephemerides.body("moon")


@dataclass(frozen=True)
class Sky:
    """One target seen from stations at instants."""

    scene: Scene
    path: TargetPath
    seconds: np.ndarray
    station_index: np.ndarray

    @cached_property
    def shape(self) -> tuple[int, ...]:
        return np.broadcast_shapes(self.seconds.shape, self.station_index.shape)

    def select(self, stations: np.ndarray, instants: np.ndarray | None = None) -> tuple:
        """Index of the samples of stations flagged in `stations` (per station) and, if given,
        at instants flagged in `instants` (shaped as `seconds`)."""
        flagged = stations[self.station_index]
        if self.station_index.ndim == 2:
            return np.ix_(flagged[:, 0], np.ones(self.seconds.shape[1], bool) if instants is None else instants[0])
        return (np.flatnonzero(flagged if instants is None else flagged & instants),)

    @staticmethod
    def none(index: tuple) -> bool:
        """Whether an index from `select` selects nothing."""
        return min(np.size(i) for i in index) == 0

    def stations_at(self, index: tuple) -> np.ndarray:
        """The station of each selected sample."""
        return np.broadcast_to(self.station_index, self.shape)[index]

    @cached_property
    def _frame(self) -> tuple[np.ndarray, np.ndarray]:
        """GCRS → ITRS matrices and the geocentre's velocity over c (ITRS axes) at the instants."""

        def frame() -> tuple[np.ndarray, np.ndarray]:
            rotation = self.scene.earth.rotation.matrix(self.seconds)
            return rotation, self.scene.earth.beta(self.seconds, rotation)

        return self.scene.shared("frame", self, frame, by_station=False)

    @cached_property
    def target_gcrs_km(self) -> np.ndarray:
        return self.path.position_km(self.seconds)

    def body_gcrs_km(self, body: Literal["sun", "moon"]) -> np.ndarray:
        path = self.scene.body(body)
        return self.scene.shared(f"{body}-gcrs", self, lambda: path.position_km(self.seconds), by_station=False)

    def local_km(self, path: TargetPath, gcrs: np.ndarray) -> np.ndarray:
        """A path's apparent topocentric vectors (3, *samples), in each station's east/north/up
        axes, from its positions `gcrs` at the instants."""
        earth, (rotation, earth_beta) = self.scene.earth, self._frame
        geocentric = earth.to_itrs(self.seconds, gcrs, rotation)
        velocity = None
        if path.nearest_km < FAR_KM:
            velocity = path.position_km(self.seconds, derivative=1) + earth.velocity_km_s(self.seconds)
            velocity = earth.to_itrs(self.seconds, velocity, rotation)
        return apparent_local_km(self.scene.sites, self.station_index, geocentric, earth_beta, velocity)

    @cached_property
    def target_local_km(self) -> np.ndarray:
        return self.local_km(self.path, self.target_gcrs_km)

    @property
    def target_km(self) -> np.ndarray:
        """The target's apparent topocentric vectors (*samples, 3), station east/north/up axes."""
        return np.moveaxis(self.target_local_km, 0, -1)

    @cached_property
    def elevation_deg(self) -> np.ndarray:
        """Apparent elevation of the target (refracted if the scenario asks for it)."""
        elevation = elevation_deg(self.target_local_km)
        return refracted_deg(elevation) if self.scene.refraction else elevation

    @cached_property
    def azimuth_deg(self) -> np.ndarray:
        return azimuth_deg(self.target_local_km)

    @property
    def range_km(self) -> np.ndarray:
        """Distance from each station to where the target was when the light left it."""
        return norm(self.target_local_km)

    @cached_property
    def sun_km(self) -> np.ndarray:
        return self.scene.shared("sun", self, lambda: self.local_km(self.scene.sun, self.body_gcrs_km("sun")))

    @cached_property
    def moon_km(self) -> np.ndarray:
        return self.scene.shared("moon", self, lambda: self.local_km(self.scene.moon, self.body_gcrs_km("moon")))

    def geocentric_separation_deg(self, body: Literal["sun", "moon"]) -> tuple[np.ndarray, np.ndarray]:
        """The target's angle from a body seen from the geocentre, and how far parallax can move
        it at any station (both shaped as `seconds`): bounds for the topocentric angle."""
        target, other = self.target_gcrs_km, self.body_gcrs_km(body)
        cosine = np.einsum("i...,i...->...", target, other) / (norm(target) * norm(other))
        parallax = [np.arcsin(np.minimum(1.0, STATION_RADIUS_KM / norm(v))) for v in (target, other)]
        return np.degrees(np.arccos(np.clip(cosine, -1.0, 1.0))), np.degrees(parallax[0] + parallax[1])

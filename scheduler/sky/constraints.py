"""Observing constraints. Each is a small class whose `satisfied` returns a boolean array over
the samples of a `Sky`; a view period is where every constraint of a station holds.

Angular limits also give a `margin_deg` (how far inside the limit, negative outside), which the
search uses to find windows shorter than its scan step. Time limits (downtime, trajectory
coverage) give the instants where they switch, which the search samples exactly.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, Protocol, runtime_checkable

import numpy as np

from scheduler.sky.ephemeris import Earth, Ephemerides, TargetPath
from scheduler.sky.geometry import Sites, altaz_deg, apparent_topocentric_km, norm, refracted_deg, separation_deg
from stations.model import Station

MASK_STEP_DEG = 0.1
SHARED_GRID_SIZE = 1000  # Sun and Moon directions on grids at least this large are kept for reuse


@dataclass(frozen=True)
class Scene:
    """What every target's sky shares: the stations, the Earth's motion, the Sun and Moon.

    The Sun's and Moon's directions from every station on a scan grid are the same for every
    target scanned on that grid, so the latest one of each is kept.
    """

    sites: Sites
    ephemerides: Ephemerides
    refraction: bool = False
    _latest: dict = field(default_factory=dict, compare=False, repr=False)

    def topocentric_km(self, path: TargetPath, seconds: np.ndarray, station_index: np.ndarray) -> np.ndarray:
        return apparent_topocentric_km(path, self.earth, self.sites, seconds, station_index)

    def body_topocentric_km(
        self, body: Literal["sun", "moon"], seconds: np.ndarray, station_index: np.ndarray
    ) -> np.ndarray:
        """The Sun's or Moon's direction from stations; kept for reuse on large (scan) grids."""
        path = self.sun if body == "sun" else self.moon
        if np.size(seconds) < SHARED_GRID_SIZE:
            return self.topocentric_km(path, seconds, station_index)
        kept = self._latest.get(body)
        if kept and np.array_equal(kept[0], seconds) and np.array_equal(kept[1], station_index):
            return kept[2]
        value = self.topocentric_km(path, seconds, station_index)
        self._latest[body] = (np.copy(seconds), np.copy(station_index), value)
        return value

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
    """One target seen from stations at instants; `seconds` and `station_index` broadcast
    together, and each quantity is computed on first use."""

    scene: Scene
    path: TargetPath
    seconds: np.ndarray
    station_index: np.ndarray

    @cached_property
    def target_km(self) -> np.ndarray:
        return self.scene.topocentric_km(self.path, self.seconds, self.station_index)

    @cached_property
    def _altaz(self) -> tuple[np.ndarray, np.ndarray]:
        elevation, azimuth = altaz_deg(self.target_km, self.scene.sites, self.station_index)
        return (refracted_deg(elevation) if self.scene.refraction else elevation), azimuth

    @property
    def elevation_deg(self) -> np.ndarray:
        """Apparent elevation of the target (refracted if the scenario asks for it)."""
        return self._altaz[0]

    @property
    def azimuth_deg(self) -> np.ndarray:
        return self._altaz[1]

    @property
    def range_km(self) -> np.ndarray:
        """Distance from the station to where the target was when the light left it."""
        return norm(self.target_km)

    @cached_property
    def sun_km(self) -> np.ndarray:
        return self.scene.body_topocentric_km("sun", self.seconds, self.station_index)

    @cached_property
    def sun_elevation_deg(self) -> np.ndarray:
        """Geometric elevation of the Sun's centre (the definition of twilight)."""
        return altaz_deg(self.sun_km, self.scene.sites, self.station_index)[0]

    @cached_property
    def sun_separation_deg(self) -> np.ndarray:
        """Sun–target angle at the station (the Sun–Earth–Probe angle for radio links)."""
        return separation_deg(self.target_km, self.sun_km)

    @cached_property
    def moon_separation_deg(self) -> np.ndarray:
        moon = self.scene.body_topocentric_km("moon", self.seconds, self.station_index)
        return separation_deg(self.target_km, moon)


class Constraint(Protocol):
    def satisfied(self, sky: Sky) -> np.ndarray:
        """True where the target is usable."""
        ...


@runtime_checkable
class AngularLimit(Protocol):
    def margin_deg(self, sky: Sky) -> np.ndarray:
        """Degrees inside the limit; negative outside."""
        ...


@runtime_checkable
class TimeLimit(Protocol):
    def edges_s(self) -> np.ndarray:
        """Instants where the limit may switch."""
        ...


class _ByMargin:
    def margin_deg(self, sky: Sky) -> np.ndarray:
        raise NotImplementedError

    def satisfied(self, sky: Sky) -> np.ndarray:
        return self.margin_deg(sky) >= 0.0


@dataclass(frozen=True)
class AboveHorizon(_ByMargin):
    """Elevation at or above the station's minimum elevation and horizon mask."""

    floor_deg: np.ndarray  # (stations, azimuth steps + 1): lowest usable elevation by azimuth

    @classmethod
    def for_stations(cls, stations: Sequence[Station]) -> "AboveHorizon":
        azimuths = np.arange(0.0, 360.0 + MASK_STEP_DEG / 2, MASK_STEP_DEG)
        return cls(np.array([s.mask_elevation_deg(azimuths) for s in stations]).reshape(len(stations), -1))

    def floor_at(self, station_index: np.ndarray, azimuth_deg: np.ndarray) -> np.ndarray:
        position = np.mod(azimuth_deg, 360.0) / MASK_STEP_DEG
        low = np.minimum(np.floor(position).astype(int), self.floor_deg.shape[1] - 2)
        fraction = position - low
        left = self.floor_deg[station_index, low]
        right = self.floor_deg[station_index, low + 1]
        return left + (right - left) * fraction

    def margin_deg(self, sky: Sky) -> np.ndarray:
        return sky.elevation_deg - self.floor_at(sky.station_index, sky.azimuth_deg)


@dataclass(frozen=True)
class SunSeparation(_ByMargin):
    """Sun–target angle at least a per-station minimum (radio: solar interference)."""

    min_deg: np.ndarray  # per station

    def margin_deg(self, sky: Sky) -> np.ndarray:
        return sky.sun_separation_deg - self.min_deg[sky.station_index]


@dataclass(frozen=True)
class SunBelow(_ByMargin):
    """The Sun's centre at or below a per-station elevation (optical: night, twilight limit);
    +inf for stations without the limit."""

    max_deg: np.ndarray

    def margin_deg(self, sky: Sky) -> np.ndarray:
        return self.max_deg[sky.station_index] - sky.sun_elevation_deg


@dataclass(frozen=True)
class MoonSeparation(_ByMargin):
    """Moon–target angle at least a per-station minimum (optical: scattered moonlight)."""

    min_deg: np.ndarray

    def margin_deg(self, sky: Sky) -> np.ndarray:
        return sky.moon_separation_deg - self.min_deg[sky.station_index]


@dataclass(frozen=True)
class OutsideDowntime:
    """Stations unavailable in half-open intervals [start, end) (seconds), e.g. maintenance."""

    station_index: np.ndarray
    start_s: np.ndarray
    end_s: np.ndarray

    def satisfied(self, sky: Sky) -> np.ndarray:
        station, seconds = np.broadcast_arrays(sky.station_index, sky.seconds)
        return ~inside_intervals(station, seconds, self.station_index, self.start_s, self.end_s)

    def edges_s(self) -> np.ndarray:
        return np.concatenate([self.start_s, self.end_s])


@dataclass(frozen=True)
class During:
    """Usable only inside closed intervals (seconds), whatever the station: e.g. the span a
    trajectory file covers, or a request window."""

    intervals: tuple[tuple[float, float], ...]

    def satisfied(self, sky: Sky) -> np.ndarray:
        _, seconds = np.broadcast_arrays(sky.station_index, sky.seconds)
        start, end = np.array(self.intervals, dtype=float).reshape(-1, 2).T
        return inside_intervals(np.zeros(seconds.shape, int), seconds, np.zeros(start.size, int), start, end, True)

    def edges_s(self) -> np.ndarray:
        return np.array(self.intervals, dtype=float).ravel()


def inside_intervals(
    station: np.ndarray,
    seconds: np.ndarray,
    interval_station: np.ndarray,
    start_s: np.ndarray,
    end_s: np.ndarray,
    closed: bool = False,
) -> np.ndarray:
    """Whether each (station, instant) lies in one of that station's intervals, for any number of
    possibly overlapping intervals: count starts minus ends at or before the instant."""
    span = (
        4.0
        * max(
            np.max(np.abs(seconds), initial=0.0),
            np.max(np.abs(start_s), initial=0.0),
            np.max(np.abs(end_s), initial=0.0),
        )
        + 1.0
    )
    key = station * span + seconds
    starts = np.sort(interval_station * span + start_s)
    ends = np.sort(interval_station * span + end_s)
    opened = np.searchsorted(starts, key, side="right")
    closed_count = np.searchsorted(ends, key, side="left" if closed else "right")
    return opened > closed_count


def station_constraints(
    stations: Sequence[Station], outages: Sequence[tuple[int, float, float]] = ()
) -> list[Constraint]:
    """The limits each station sets, one constraint per kind, only where some station needs it."""
    found: list[Constraint] = [AboveHorizon.for_stations(stations)]
    sun_separation = np.array([s.min_sun_separation_deg or 0.0 for s in stations])
    if sun_separation.any():
        found.append(SunSeparation(sun_separation))
    night = np.array([np.inf if s.sun_max_elevation_deg is None else s.sun_max_elevation_deg for s in stations])
    if np.isfinite(night).any():
        found.append(SunBelow(night))
    moon_separation = np.array([s.min_moon_separation_deg for s in stations])
    if moon_separation.any():
        found.append(MoonSeparation(moon_separation))
    if outages:
        index, start, end = (np.array(column) for column in zip(*outages, strict=True))
        found.append(OutsideDowntime(index.astype(int), start.astype(float), end.astype(float)))
    return found

"""Observing constraints. Each is a small class whose `satisfied` returns a boolean array over
the samples of a `Sky`; a view period is where every constraint of a station holds.

Angular limits also give a `margin_deg` (how far inside the limit, negative outside), which the
search uses to find windows shorter than its scan step. Time limits (downtime, trajectory
coverage) give the instants where they switch, which the search samples exactly.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Literal, Protocol, runtime_checkable

import numpy as np

from scheduler.sky.geometry import azimuth_deg, elevation_deg, separation_deg
from scheduler.sky.scene import Sky
from stations.model import Station

MASK_STEP_DEG = 0.1
SEPARATION_SLACK_DEG = 10.0  # beyond limit and parallax: the geocentric angle serves (see BodySeparation)


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

    @cached_property
    def level_deg(self) -> np.ndarray:
        """Each station's floor where it is the same at every azimuth, else NaN."""
        flat = self.floor_deg.min(axis=1) == self.floor_deg.max(axis=1)
        return np.where(flat, self.floor_deg[:, 0], np.nan)

    def margin_deg(self, sky: Sky) -> np.ndarray:
        margin = sky.elevation_deg - self.level_deg[sky.station_index]
        varying = np.isnan(self.level_deg)
        if varying[sky.station_index].any():  # azimuth only where the floor depends on it
            index = sky.select(varying)
            azimuth = azimuth_deg(sky.target_local_km[(slice(None), *index)])
            margin[index] = sky.elevation_deg[index] - self.floor_at(sky.stations_at(index), azimuth)
        return margin


@dataclass(frozen=True)
class BodySeparation(_ByMargin):
    """Target–body angle at the station at least a per-station minimum: the Sun (radio: solar
    interference, the Sun–Earth–Probe angle) or the Moon (optical: scattered moonlight).

    Where the angle seen from the geocentre exceeds every minimum by more than parallax could
    change it, the margin is taken from the geocentre (it is then positive by more than
    SEPARATION_SLACK_DEG, and only its sign matters); elsewhere it is measured at each station.
    """

    body: Literal["sun", "moon"]
    min_deg: np.ndarray  # per station; 0 for none

    def margin_deg(self, sky: Sky) -> np.ndarray:
        geocentric, parallax = sky.geocentric_separation_deg(self.body)
        near = geocentric - parallax <= self.min_deg.max() + SEPARATION_SLACK_DEG
        margin = np.broadcast_to(geocentric - self.min_deg[sky.station_index], sky.shape).copy()
        margin[sky.select(self.min_deg <= 0.0)] = np.inf
        index = sky.select(self.min_deg > 0.0, near)
        if not sky.none(index):
            body = sky.sun_km if self.body == "sun" else sky.moon_km
            angle = separation_deg(sky.target_local_km[(slice(None), *index)], body[(slice(None), *index)])
            margin[index] = angle - self.min_deg[sky.stations_at(index)]
        return margin


@dataclass(frozen=True)
class SunBelow(_ByMargin):
    """The Sun's centre at or below a per-station elevation (optical: night, twilight limit);
    +inf for stations without the limit."""

    max_deg: np.ndarray

    def margin_deg(self, sky: Sky) -> np.ndarray:
        def margin() -> np.ndarray:
            found = np.full(sky.shape, np.inf)
            index = sky.select(np.isfinite(self.max_deg))
            if not sky.none(index):
                found[index] = self.max_deg[sky.stations_at(index)] - elevation_deg(sky.sun_km[(slice(None), *index)])
            return found

        return sky.scene.shared("sun-below", sky, margin)  # the same for every target


@dataclass(frozen=True)
class Downtime:
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
        found.append(BodySeparation("sun", sun_separation))
    night = np.array([np.inf if s.sun_max_elevation_deg is None else s.sun_max_elevation_deg for s in stations])
    if np.isfinite(night).any():
        found.append(SunBelow(night))
    moon_separation = np.array([s.min_moon_separation_deg for s in stations])
    if moon_separation.any():
        found.append(BodySeparation("moon", moon_separation))
    if outages:
        index, start, end = (np.array(column) for column in zip(*outages, strict=True))
        found.append(Downtime(index.astype(int), start.astype(float), end.astype(float)))
    return found

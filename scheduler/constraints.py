"""Observing constraints. Each is a small class whose `satisfied` returns a boolean array over
the samples of a `Sky`; a view period is where every constraint of a station holds."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from stations.model import Station

MASK_STEP_DEG = 0.1


@dataclass(frozen=True)
class Sky:
    """Apparent direction of one target at sample points; arrays broadcast together.

    `station_index` selects the row of per-station tables for each sample.
    """

    seconds: np.ndarray
    station_index: np.ndarray
    elevation_deg: np.ndarray
    azimuth_deg: np.ndarray


class Constraint(Protocol):
    def satisfied(self, sky: Sky) -> np.ndarray:
        """True where the target is usable."""
        ...


@dataclass(frozen=True)
class AboveHorizon:
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

    def satisfied(self, sky: Sky) -> np.ndarray:
        return sky.elevation_deg >= self.floor_at(sky.station_index, sky.azimuth_deg)

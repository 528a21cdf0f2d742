"""Angles between targets as seen from stations, for radio-frequency interference (RFI): where two
targets come closer than a separation, and how close two tracked targets come. Directions are the
same apparent topocentric ones as the view periods' (`scheduler.sky.scene.Sky`), all instants at once."""

from collections.abc import Sequence

import numpy as np

from scheduler.inputs import Scenario
from scheduler.sky.ephemeris import Ephemerides, TargetPath, target_paths
from scheduler.sky.geometry import Sites, separation_deg
from scheduler.sky.scene import Scene, Sky
from stations import Station

SEPARATION_STEP_S = 300.0  # targets close in the sky separate slowly: a few arcminutes per 5 min at most


class TargetSky:
    """Apparent directions of some of a scenario's targets from some of its stations."""

    def __init__(self, scenario: Scenario, stations: Sequence[Station], target_ids: Sequence[str]) -> None:
        self.horizon_s = (scenario.end - scenario.start).total_seconds()
        self.ephemerides = Ephemerides(scenario.start, self.horizon_s, scenario.spec.ephemeris_source)
        self.scene = Scene(Sites.from_stations(stations), self.ephemerides)
        self.index = {s.id: k for k, s in enumerate(stations)}
        targets = [scenario.target(t) for t in dict.fromkeys(target_ids)]
        self.paths: dict[str, TargetPath] = {
            p.target_id: p for p in target_paths(targets, scenario.trajectories, self.ephemerides)
        }

    def directions(self, target: str, seconds: np.ndarray, station_index: np.ndarray) -> np.ndarray:
        """Apparent station-to-target vectors (3, N) at `seconds` (N,) from stations `station_index`
        (N,), in each station's east/north/up axes."""
        seconds = np.asarray(seconds, dtype=float)
        return Sky(self.scene, self.paths[target], seconds, np.asarray(station_index)).target_local_km

    def separation(self, first: str, second: str, seconds: np.ndarray, station_index: np.ndarray) -> np.ndarray:
        """Degrees between two targets at `seconds` (N,) seen from stations `station_index` (N,)."""
        if first == second:
            return np.zeros(np.shape(seconds))
        return separation_deg(
            self.directions(first, seconds, station_index), self.directions(second, seconds, station_index)
        )


def close_spans(
    sky: TargetSky, first: str, second: str, station: str, limit_deg: float, step_s: float = SEPARATION_STEP_S
) -> tuple[tuple[int, int], ...]:
    """Where the two targets are closer than `limit_deg` seen from `station`, in whole seconds from
    the scenario start, each widened by one sampling step on either side (never too short)."""
    horizon = sky.horizon_s
    if first == second:
        return ((0, int(np.ceil(horizon))),)
    seconds = np.append(np.arange(0.0, horizon, step_s), horizon)
    close = sky.separation(first, second, seconds, np.full(seconds.shape, sky.index[station])) < limit_deg
    edges = np.flatnonzero(np.diff(np.concatenate([[0], close.astype(np.int8), [0]])))
    spans = []
    for begin, end in zip(edges[::2], edges[1::2], strict=True):
        low = max(0.0, seconds[begin] - step_s)
        high = min(horizon, seconds[end - 1] + step_s)
        spans.append((int(np.floor(low)), int(np.ceil(high))))
    return tuple(spans)

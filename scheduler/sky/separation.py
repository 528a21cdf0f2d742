"""Angles between targets as seen from stations, for radio-frequency interference (RFI): where two
targets come closer than a separation, and how close two tracked targets come. Directions are the
same apparent topocentric ones as the view periods' (`scheduler.sky.geometry`), all instants at once."""

from collections.abc import Sequence

import numpy as np

from scheduler.inputs import Scenario
from scheduler.sky.ephemeris import Ephemerides, TargetPath, target_paths
from scheduler.sky.geometry import Sites, apparent_topocentric_km, separation_deg
from stations import Station

SEPARATION_STEP_S = 300.0  # targets close in the sky separate slowly: a few arcminutes per 5 min at most


class TargetSky:
    """Apparent directions of some of a scenario's targets from some of its stations."""

    def __init__(self, scenario: Scenario, stations: Sequence[Station], target_ids: Sequence[str]) -> None:
        self.horizon_s = (scenario.end - scenario.start).total_seconds()
        self.ephemerides = Ephemerides(scenario.start, self.horizon_s, scenario.spec.ephemeris_source)
        self.sites = Sites.from_stations(stations)
        self.index = {s.id: k for k, s in enumerate(stations)}
        targets = [scenario.target(t) for t in dict.fromkeys(target_ids)]
        self.paths: dict[str, TargetPath] = {
            p.target_id: p for p in target_paths(targets, scenario.trajectories, self.ephemerides)
        }

    def directions(self, target: str, seconds: np.ndarray, station_index: np.ndarray) -> np.ndarray:
        """Station-to-target vectors (..., 3) at `seconds` from stations `station_index`."""
        return apparent_topocentric_km(self.paths[target], self.ephemerides.earth, self.sites, seconds, station_index)

    def separation(self, first: str, second: str, seconds: np.ndarray, station_index: np.ndarray) -> np.ndarray:
        """Degrees between two targets at `seconds` seen from stations `station_index`."""
        if first == second:
            return np.zeros(np.broadcast_shapes(np.shape(seconds), np.shape(station_index)))
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

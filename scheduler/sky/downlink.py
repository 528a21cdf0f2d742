"""Received signal along view periods: each downlink request's Pr/N0 at every station, on the
resolution grid, from the same geometry as visibility (true range and elevation per station and
target, `Sky`) and the link budget (`link_budget.py`) with the station's G/T at that elevation."""

import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scheduler.inputs import RequestSpec, Scenario
from scheduler.sky.ephemeris import Ephemerides, TargetPath, target_paths
from scheduler.sky.geometry import Sites
from scheduler.sky.link_budget import received_pr_n0_dbhz
from scheduler.sky.scene import Scene, Sky
from stations.receive import BAND_FREQ_HZ, gt_dbk


@dataclass(frozen=True)
class LinkSamples:
    """Pr/N0 (dB-Hz) at consecutive grid points: segment (first, values) holds the values at
    seconds (first + k)·step, one segment per view period."""

    step: int
    segments: tuple[tuple[int, np.ndarray], ...]


@dataclass(frozen=True)
class Geometry:
    """Grid points inside one station's view periods of one target, with range and elevation there."""

    firsts: np.ndarray  # grid index of each view period's first point
    counts: np.ndarray  # points per view period
    range_m: np.ndarray  # all points, view period after view period
    elevation_deg: np.ndarray


def link_samples(scenario: Scenario, view_periods: pd.DataFrame, step: int) -> dict[tuple[str, str], LinkSamples]:
    """(request id, station id) → Pr/N0 along that station's view periods of the request's target,
    for every request with a downlink."""
    requests = [r for r in scenario.requests if r.downlink is not None]
    if not requests:
        return {}
    horizon_s = (scenario.end - scenario.start).total_seconds()
    ephemerides = Ephemerides(scenario.start, horizon_s, scenario.spec.ephemeris_source)
    scene = Scene(Sites.from_stations(scenario.stations), ephemerides, scenario.spec.refraction)
    wanted: dict[str, set[str]] = defaultdict(set)
    for request in requests:
        wanted[request.target] |= set(scenario.request_stations[request.id])
    geometry = {}
    for target_id, station_ids in wanted.items():
        path = target_paths([scenario.target(target_id)], scenario.trajectories, ephemerides)[0]
        for station_id in sorted(station_ids):
            periods = view_periods[(view_periods.station == station_id) & (view_periods.target == target_id)]
            geometry[(target_id, station_id)] = _geometry(scenario, scene, path, station_id, periods, step)
    return {
        (request.id, station_id): _samples(scenario, request, station_id, geometry[(request.target, station_id)], step)
        for request in requests
        for station_id in scenario.request_stations[request.id]
    }


def _geometry(
    scenario: Scenario, scene: Scene, path: TargetPath, station_id: str, periods: pd.DataFrame, step: int
) -> Geometry:
    epoch = pd.Timestamp(scenario.start)
    starts = [(pd.Timestamp(t) - epoch).total_seconds() for t in periods.start]
    ends = [(pd.Timestamp(t) - epoch).total_seconds() for t in periods.end]
    firsts = np.array([math.ceil(a / step) for a in starts], dtype=int)
    counts = np.array([max(0, math.floor(b / step) - f + 1) for b, f in zip(ends, firsts, strict=True)], dtype=int)
    index = np.concatenate([np.arange(f, f + n) for f, n in zip(firsts, counts, strict=True)] or [np.empty(0, int)])
    station = scenario.stations.index(scenario.station(station_id))
    sky = Sky(scene, path, index.astype(float) * step, np.full(index.shape, station))
    range_m = sky.range_km * 1000.0 if index.size else np.empty(0)
    elevation = sky.elevation_deg if index.size else np.empty(0)
    return Geometry(firsts, counts, range_m, elevation)


def _samples(scenario: Scenario, request: RequestSpec, station_id: str, geometry: Geometry, step: int) -> LinkSamples:
    downlink = request.downlink
    assert downlink is not None
    receive = scenario.station(station_id).receive[downlink.band]
    freq = downlink.freq_hz or BAND_FREQ_HZ[downlink.band]
    values = received_pr_n0_dbhz(
        downlink.eirp_dbw, geometry.range_m, freq, gt_dbk(receive, geometry.elevation_deg), downlink.losses_db
    )
    bounds = np.cumsum(np.concatenate([[0], geometry.counts]))
    segments = tuple(
        (int(first), values[bounds[k] : bounds[k + 1]])
        for k, first in enumerate(geometry.firsts)
        if geometry.counts[k] > 1
    )
    return LinkSamples(step, segments)

"""View periods: when each target is usable from each station.

Every constraint is sampled on a scan grid for all stations at once; every bracket where
usability changes is refined by vectorized bisection (the technique of Skyfield's
`find_discrete`). Windows or gaps narrower than the scan step show up as peaks or dips of
the angular margin close to zero; those are refined by golden-section search, so that short
grazing passes are neither missed nor merged.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scheduler.inputs import Scenario
from scheduler.sky.constraints import AngularLimit, Constraint, During, Scene, Sky, TimeLimit, station_constraints
from scheduler.sky.edges import maximize, refine_flips
from scheduler.sky.ephemeris import Ephemerides, TargetPath, densify, target_paths
from scheduler.sky.geometry import Sites
from scheduler.timeutil import format_time

SCAN_STEP_S = 120.0
SCAN_CHORD_RAD = np.radians(1.0)  # the scan grid is refined where the target moves faster, seen from the geocentre
EDGE_TOLERANCE_S = 0.05
PEAK_TOLERANCE_S = 0.5
SHORTEST_VIEW_PERIOD_S = 1.0
VIEW_PERIOD_COLUMNS = ["station", "target", "start", "end", "max_elevation_deg"]


@dataclass(frozen=True)
class Observer:
    """Everything needed to judge usability of one target from all stations."""

    scene: Scene
    path: TargetPath
    constraints: Sequence[Constraint]

    def sky(self, seconds: np.ndarray, station_index: np.ndarray) -> Sky:
        return Sky(self.scene, self.path, np.asarray(seconds, dtype=float), np.asarray(station_index))

    def usable(self, sky: Sky) -> np.ndarray:
        ok = np.ones(np.broadcast_shapes(np.shape(sky.seconds), np.shape(sky.station_index)), dtype=bool)
        for constraint in self.constraints:
            ok &= constraint.satisfied(sky)
        return ok

    def margin_deg(self, sky: Sky) -> np.ndarray:
        """The smallest angular margin of all angular limits."""
        margins = [c.margin_deg(sky) for c in self.constraints if isinstance(c, AngularLimit)]
        return np.minimum.reduce(margins)

    def usable_at(self, seconds: np.ndarray, station_index: np.ndarray) -> np.ndarray:
        return self.usable(self.sky(seconds, station_index))

    def margin_at(self, seconds: np.ndarray, station_index: np.ndarray) -> np.ndarray:
        return self.margin_deg(self.sky(seconds, station_index))

    def elevation_at(self, seconds: np.ndarray, station_index: np.ndarray) -> np.ndarray:
        return self.sky(seconds, station_index).elevation_deg

    def scan_grid(self, horizon_s: float, step_s: float = SCAN_STEP_S) -> np.ndarray:
        """From 0 to the horizon's end inclusive: every `step_s`, finer where the target moves
        faster than SCAN_CHORD_RAD per step, and every instant a time limit may switch."""
        base = np.unique(np.append(np.arange(0.0, horizon_s, step_s), horizon_s))
        geocentric = self.scene.earth.to_itrs(base, self.path.gcrs_km(base))
        edges = [c.edges_s() for c in self.constraints if isinstance(c, TimeLimit)]
        edges = np.concatenate([np.empty(0), *edges])
        edges = edges[(edges > 0.0) & (edges < horizon_s)]
        return np.unique(np.concatenate([densify(base, geocentric, SCAN_CHORD_RAD), edges]))


def find_windows(observer: Observer, horizon_s: float, tolerance_s: float = EDGE_TOLERANCE_S) -> pd.DataFrame:
    """Usable intervals per station as columns station_index, start_s, end_s, max_elevation_deg."""
    grid = observer.scan_grid(horizon_s)
    stations = np.arange(len(observer.scene.sites.ids))
    sky = observer.sky(grid[None, :], stations[:, None])
    ok = observer.usable(sky)
    margin = observer.margin_deg(sky)
    station, time, rising = _sampled_flips(observer, grid, ok, tolerance_s)
    hidden = _hidden_flips(observer, grid, ok, margin, tolerance_s)
    station, time, rising = (np.concatenate(parts) for parts in zip((station, time, rising), hidden, strict=True))
    order = np.lexsort((time, station))
    station, time, rising = station[order], time[order], rising[order]
    start, end = time[rising], time[~rising]
    window_station = station[rising]
    peaks = _peak_elevation(observer, grid, sky.elevation_deg, window_station, start, end)
    found = pd.DataFrame({"station_index": window_station, "start_s": start, "end_s": end, "max_elevation_deg": peaks})
    return found[found.end_s - found.start_s >= SHORTEST_VIEW_PERIOD_S].reset_index(drop=True)


def _sampled_flips(
    observer: Observer, grid: np.ndarray, ok: np.ndarray, tolerance_s: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Edges between samples that differ, plus the horizon's ends where usable there."""
    change = np.diff(ok.astype(np.int8), axis=1)
    station, index = np.nonzero(change)
    time = refine_flips(observer.usable_at, grid[index], grid[index + 1], station, tolerance_s)
    first, last = np.nonzero(ok[:, 0])[0], np.nonzero(ok[:, -1])[0]
    return (
        np.concatenate([station, first, last]),
        np.concatenate([time, np.full(first.size, grid[0]), np.full(last.size, grid[-1])]),
        np.concatenate([change[station, index] > 0, np.ones(first.size, bool), np.zeros(last.size, bool)]),
    )


def _hidden_flips(
    observer: Observer, grid: np.ndarray, ok: np.ndarray, margin: np.ndarray, tolerance_s: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Windows (or gaps) between three samples that all say unusable (usable): where the margin
    peaks (dips) within reach of zero, judged by its curvature, search the extremum; if usability
    differs there, refine both edges on either side of it."""
    left, middle, right = margin[:, :-2], margin[:, 1:-1], margin[:, 2:]
    steady = (ok[:, :-2] == ok[:, 1:-1]) & (ok[:, 1:-1] == ok[:, 2:])
    reach = np.abs(left - 2.0 * middle + right)
    peak = ~ok[:, 1:-1] & (middle >= left) & (middle > right) & (-middle <= reach)
    dip = ok[:, 1:-1] & (middle <= left) & (middle < right) & (middle <= reach)
    station, index = np.nonzero(steady & (peak | dip))
    low, high = grid[index], grid[index + 2]
    is_peak = peak[station, index]
    sign = np.where(is_peak, 1.0, -1.0)
    extreme, _ = maximize(lambda t, s: sign * observer.margin_at(t, s), low, high, station, tolerance_s)
    flipped = observer.usable_at(extreme, station) == is_peak
    station, low, high, extreme, is_peak = (a[flipped] for a in (station, low, high, extreme, is_peak))
    before = refine_flips(observer.usable_at, low, extreme, station, tolerance_s)
    after = refine_flips(observer.usable_at, extreme, high, station, tolerance_s)
    return np.concatenate([station, station]), np.concatenate([before, after]), np.concatenate([is_peak, ~is_peak])


def _peak_elevation(
    observer: Observer, grid: np.ndarray, elevation: np.ndarray, station: np.ndarray, start: np.ndarray, end: np.ndarray
) -> np.ndarray:
    """Highest elevation in each window: around the highest sample inside it, refined."""
    first = np.searchsorted(grid, start, side="left")
    count = np.searchsorted(grid, end, side="right") - first
    owner = np.repeat(np.arange(start.size), count)
    column = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count) + np.repeat(first, count)
    values = elevation[station[owner], column]
    order = np.lexsort((-values, owner))
    windows, highest = np.unique(owner[order], return_index=True)
    best_of = np.full(start.size, -1)
    best_of[windows] = column[order][highest]
    sampled = best_of >= 0
    low, high = start.copy(), end.copy()
    low[sampled] = np.maximum(start, grid[np.maximum(best_of - 1, 0)])[sampled]
    high[sampled] = np.minimum(end, grid[np.minimum(best_of + 1, grid.size - 1)])[sampled]
    _, peak = maximize(observer.elevation_at, low, high, station, PEAK_TOLERANCE_S)
    return peak


def observers(scenario: Scenario, scene: Scene, horizon_s: float) -> list[Observer]:
    """One observer per target, each target's ephemeris computed once."""
    shared = station_constraints(scenario.stations, outages(scenario))
    paths = target_paths(scenario.targets, scenario.trajectories, scene.ephemerides)
    return [Observer(scene, path, [*shared, During(path.coverage)] if path.coverage else shared) for path in paths]


def outages(scenario: Scenario) -> list[tuple[int, float, float]]:
    """Downtime as (station index, start, end) seconds from the scenario start."""
    index = {s.id: k for k, s in enumerate(scenario.stations)}
    return [
        (index[station], (o.start - scenario.start).total_seconds(), (o.end - scenario.start).total_seconds())
        for o, ids in zip(scenario.spec.downtime, scenario.downtime_stations, strict=True)
        for station in ids
    ]


def compute_view_periods(scenario: Scenario) -> pd.DataFrame:
    """View periods of every target from every scenario station (docs/design.md columns, UTC);
    edges rounded to the nearest second. A scenario that gives view periods (`view_periods:`) uses those."""
    if scenario.view_periods is not None:
        return scenario.view_periods.copy()
    horizon_s = (scenario.end - scenario.start).total_seconds()
    ephemerides = Ephemerides(scenario.start, horizon_s, scenario.spec.ephemeris_source)
    scene = Scene(Sites.from_stations(scenario.stations), ephemerides, scenario.spec.refraction)
    frames = []
    for observer in observers(scenario, scene, horizon_s):
        found = find_windows(observer, horizon_s)
        found["station"] = np.asarray(scene.sites.ids, dtype=object)[found.station_index.to_numpy()]
        found["target"] = observer.path.target_id
        frames.append(found)
    table = pd.concat(frames, ignore_index=True)
    epoch = pd.Timestamp(scenario.start)
    table["start"] = (epoch + pd.to_timedelta(table.start_s, unit="s")).dt.round("s")
    table["end"] = (epoch + pd.to_timedelta(table.end_s, unit="s")).dt.round("s")
    table["max_elevation_deg"] = table.max_elevation_deg.astype(float).round(3)
    table = table[table.end > table.start]
    table = table.sort_values(["station", "target", "start"], kind="stable").reset_index(drop=True)
    return table[VIEW_PERIOD_COLUMNS]


def view_periods_csv(table: pd.DataFrame) -> str:
    """The view periods as docs/design.md's CSV."""
    out = table.copy()
    out["start"] = out.start.map(format_time)
    out["end"] = out.end.map(format_time)
    return out.to_csv(index=False)

"""View periods: when each target is usable from each station.

Each constraint is sampled on a shared scan grid for all stations at once; every bracket
where usability changes is then refined by vectorized bisection (the technique of
Skyfield's `find_discrete`) until narrower than the tolerance.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scheduler.constraints import AboveHorizon, Constraint, Sky
from scheduler.ephemeris import TargetPath, target_path
from scheduler.geometry import Sites, altaz_deg, refracted_deg
from scheduler.scenario import Scenario
from scheduler.timeutil import format_time

SCAN_STEP_S = 120.0
EDGE_TOLERANCE_S = 0.05
VIEW_PERIOD_COLUMNS = ["station", "target", "start", "end", "max_elevation_deg"]


@dataclass(frozen=True)
class Observer:
    """Everything needed to judge usability of one target from all stations."""

    path: TargetPath
    sites: Sites
    constraints: Sequence[Constraint]
    refraction: bool = False

    def sky(self, seconds: np.ndarray, station_index: np.ndarray) -> Sky:
        elevation, azimuth = altaz_deg(self.path.position_km(seconds), self.sites, station_index)
        if self.refraction:
            elevation = refracted_deg(elevation)
        return Sky(seconds, station_index, elevation, azimuth)

    def usable(self, sky: Sky) -> np.ndarray:
        ok = np.ones(np.broadcast_shapes(sky.elevation_deg.shape), dtype=bool)
        for constraint in self.constraints:
            ok &= constraint.satisfied(sky)
        return ok


def scan_grid(horizon_s: float, step_s: float = SCAN_STEP_S) -> np.ndarray:
    """Sample instants from 0 to the horizon's end inclusive."""
    return np.unique(np.append(np.arange(0.0, horizon_s, step_s), horizon_s))


def find_windows(
    observer: Observer, horizon_s: float, step_s: float = SCAN_STEP_S, tolerance_s: float = EDGE_TOLERANCE_S
) -> pd.DataFrame:
    """Usable intervals per station as columns station_index, start_s, end_s, max_elevation_deg."""
    grid = scan_grid(horizon_s, step_s)
    stations = np.arange(len(observer.sites.ids))[:, None]
    sky = observer.sky(grid[None, :], stations)
    ok = observer.usable(sky)
    padded = np.pad(ok, ((0, 0), (1, 1)))
    change = np.diff(padded.astype(np.int8), axis=1)
    rise_station, rise_index = np.nonzero(change == 1)  # ok from grid index rise_index on
    set_station, set_index = np.nonzero(change == -1)  # ok up to grid index set_index - 1
    rises = _refine(observer, grid, rise_station, rise_index - 1, rising=True, tolerance_s=tolerance_s)
    sets = _refine(observer, grid, set_station, set_index - 1, rising=False, tolerance_s=tolerance_s)
    elevation = np.where(ok, sky.elevation_deg, -90.0)
    flat = np.append(elevation.ravel(), -90.0)
    bounds = np.column_stack([rise_station * grid.size + rise_index, set_station * grid.size + set_index])
    peaks = np.maximum.reduceat(flat, bounds.ravel())[::2] if len(bounds) else np.empty(0)
    return pd.DataFrame({"station_index": rise_station, "start_s": rises, "end_s": sets, "max_elevation_deg": peaks})


def _refine(
    observer: Observer, grid: np.ndarray, station: np.ndarray, before: np.ndarray, rising: bool, tolerance_s: float
) -> np.ndarray:
    """Instants where usability flips between grid[before] and grid[before + 1]; at the horizon
    edges (before = -1 or the last index) the edge itself is returned."""
    inside = (before >= 0) & (before < grid.size - 1)
    low = grid[np.clip(before, 0, grid.size - 1)].astype(float)
    high = grid[np.clip(before + 1, 0, grid.size - 1)].astype(float)
    s, lo, hi = station[inside], low[inside], high[inside]
    while s.size and np.max(hi - lo) > tolerance_s:
        middle = 0.5 * (lo + hi)
        ok = observer.usable(observer.sky(middle, s))
        moved_low = ok != rising  # state at middle equals state before the edge
        lo = np.where(moved_low, middle, lo)
        hi = np.where(moved_low, hi, middle)
    edge = np.where(before < 0, grid[0], grid[-1]).astype(float)
    edge[inside] = 0.5 * (lo + hi)
    return edge


def observers(scenario: Scenario, sites: Sites, horizon_s: float) -> list[Observer]:
    """One observer per target, each target's ephemeris computed once."""
    horizon_constraint = AboveHorizon.for_stations(scenario.stations)
    return [
        Observer(target_path(target, scenario.start, horizon_s), sites, [horizon_constraint], scenario.spec.refraction)
        for target in scenario.targets
    ]


def compute_view_periods(scenario: Scenario) -> pd.DataFrame:
    """View periods of every target from every scenario station (DESIGN.md columns, UTC)."""
    horizon_s = (scenario.end - scenario.start).total_seconds()
    sites = Sites.from_stations(scenario.stations)
    frames = []
    for observer in observers(scenario, sites, horizon_s):
        found = find_windows(observer, horizon_s)
        found = found[found.end_s - found.start_s >= 1.0]
        found["station"] = np.asarray(sites.ids, dtype=object)[found.station_index.to_numpy()]
        found["target"] = observer.path.target_id
        frames.append(found)
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    epoch = pd.Timestamp(scenario.start)
    table["start"] = (epoch + pd.to_timedelta(table.start_s, unit="s")).dt.round("s")
    table["end"] = (epoch + pd.to_timedelta(table.end_s, unit="s")).dt.round("s")
    table["max_elevation_deg"] = table.max_elevation_deg.round(3)
    table = table.sort_values(["station", "target", "start"], kind="stable").reset_index(drop=True)
    return table[VIEW_PERIOD_COLUMNS]


def view_periods_csv(table: pd.DataFrame) -> str:
    """The view periods as DESIGN.md's CSV."""
    out = table.copy()
    out["start"] = out.start.map(format_time)
    out["end"] = out.end.map(format_time)
    return out.to_csv(index=False)

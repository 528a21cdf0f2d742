"""View periods: when each target is usable from each station.

Every constraint is sampled on a scan grid for all stations at once; every bracket where
usability changes is refined for all stations together, as in Skyfield's `find_discrete`:
where an angular limit changes, by secant steps on the smallest angular margin, else by
bisection. Windows or gaps narrower than the scan step show up as peaks or dips of the
angular margin close to zero; those are refined by golden-section search, so that short
grazing passes are neither missed nor merged. Stations are taken in chunks so that memory
stays bounded at any network size.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scheduler.csv_cells import csv_text
from scheduler.inputs import Scenario
from scheduler.sky.edges import find_crossings, maximize, parabola_top, refine_flips
from scheduler.sky.ephemeris import Ephemerides
from scheduler.sky.geometry import Sites
from scheduler.sky.observer import SCAN_STEP_S, Observer, observers, usable
from scheduler.sky.scene import Scene

SCAN_SAMPLES = 2_000_000  # stations x instants scanned at once: bounds memory (about 200 bytes per sample)
EDGE_TOLERANCE_S = 0.01  # edges found this close; rounded inward, written edges lie within 1.005 s of the true ones
PEAK_STEPS_S = (15.0, 2.0)  # parabolas through samples this far apart locate the highest elevation
SHORTEST_VIEW_PERIOD_S = 1.0
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
VIEW_PERIOD_COLUMNS = ["station", "target", "start", "end", "max_elevation_deg"]


@dataclass(frozen=True)
class Scan:
    """One target sampled on its scan grid from some stations: row r is station `stations[r]`."""

    observer: Observer
    grid: np.ndarray
    stations: np.ndarray
    margin: np.ndarray
    timed: np.ndarray | None
    ok: np.ndarray
    elevation: np.ndarray


def scan(observer: Observer, grid: np.ndarray, stations: np.ndarray) -> Scan:
    sky = observer.sky(grid[None, :], stations[:, None])
    margin, timed = observer.limits(sky)
    return Scan(observer, grid, stations, margin, timed, usable(margin, timed), sky.elevation_deg)


def find_windows(
    observer: Observer,
    horizon_s: float,
    stations: np.ndarray | None = None,
    grid: np.ndarray | None = None,
    tolerance_s: float = EDGE_TOLERANCE_S,
) -> pd.DataFrame:
    """Usable intervals per station (all, or those of `stations`) as columns station_index,
    start_s, end_s, max_elevation_deg; `grid`: the observer's scan grid, if already known."""
    if stations is None:
        stations = np.arange(len(observer.scene.sites.ids))
    grid = observer.scan_grid(horizon_s) if grid is None else grid
    scanned = scan(observer, grid, np.asarray(stations))
    row, time, rising = (
        np.concatenate(parts)
        for parts in zip(_sampled_flips(scanned, tolerance_s), _hidden_flips(scanned, tolerance_s), strict=True)
    )
    order = np.lexsort((time, row))
    row, time, rising = row[order], time[order], rising[order]
    start, end = time[rising], time[~rising]
    window_row = row[rising]
    peaks = _peak_elevation(scanned, window_row, start, end)
    found = pd.DataFrame(
        {"station_index": scanned.stations[window_row], "start_s": start, "end_s": end, "max_elevation_deg": peaks}
    )
    return found[found.end_s - found.start_s >= SHORTEST_VIEW_PERIOD_S].reset_index(drop=True)


def _sampled_flips(scanned: Scan, tolerance_s: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Edges between samples that differ, plus the horizon's ends where usable there."""
    grid, ok, margin = scanned.grid, scanned.ok, scanned.margin
    change = np.diff(ok.astype(np.int8), axis=1)
    row, index = np.nonzero(change)
    at_low, at_high = margin[row, index], margin[row, index + 1]
    angular = (at_low >= 0.0) != (at_high >= 0.0)
    if scanned.timed is not None:
        angular &= scanned.timed[row, index] == scanned.timed[row, index + 1]
    time = _edges(scanned, row, grid[index], grid[index + 1], at_low, at_high, angular, tolerance_s)
    first, last = np.nonzero(ok[:, 0])[0], np.nonzero(ok[:, -1])[0]
    return (
        np.concatenate([row, first, last]),
        np.concatenate([time, np.full(first.size, grid[0]), np.full(last.size, grid[-1])]),
        np.concatenate([change[row, index] > 0, np.ones(first.size, bool), np.zeros(last.size, bool)]),
    )


def _hidden_flips(scanned: Scan, tolerance_s: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Windows (or gaps) between three samples that all say unusable (usable): where the margin
    peaks below zero (dips above it) within reach of zero, judged by its curvature, search the
    extremum; if usability differs there, find both edges on either side of it. (Where the
    margin is positive but a time limit fails, no window hides: time limits switch only at
    samples.)"""
    observer, grid, ok, margin = scanned.observer, scanned.grid, scanned.ok, scanned.margin
    left, middle, right = margin[:, :-2], margin[:, 1:-1], margin[:, 2:]
    steady = (ok[:, :-2] == ok[:, 1:-1]) & (ok[:, 1:-1] == ok[:, 2:])
    reach = np.abs(left - 2.0 * middle + right)
    peak = (middle < 0.0) & (middle >= left) & (middle > right) & (-middle <= reach)
    dip = ok[:, 1:-1] & (middle <= left) & (middle < right) & (middle <= reach)
    row, index = np.nonzero(steady & (peak | dip))
    station, low, high = scanned.stations[row], grid[index], grid[index + 2]
    is_peak = peak[row, index]
    sign = np.where(is_peak, 1.0, -1.0)
    extreme, best = maximize(lambda t, s: sign * observer.margin_at(t, s), low, high, station, tolerance_s)
    angular = np.ones(row.size, bool)  # every time limit holds here: the margin alone decides
    if scanned.timed is not None:
        angular = scanned.timed[row[:, None], index[:, None] + np.arange(3)].all(axis=1)
    flipped = np.where(is_peak, best >= 0.0, best > 0.0)
    if not angular.all():
        flipped[~angular] = observer.usable_at(extreme[~angular], station[~angular]) == is_peak[~angular]
    row, index, low, high, extreme, at, is_peak, angular = (
        a[flipped] for a in (row, index, low, high, extreme, sign * best, is_peak, angular)
    )
    lows, highs = np.concatenate([low, extreme]), np.concatenate([extreme, high])
    at_low, at_high = np.concatenate([margin[row, index], at]), np.concatenate([at, margin[row, index + 2]])
    rows, angular = np.concatenate([row, row]), np.concatenate([angular, angular])
    edges = _edges(scanned, rows, lows, highs, at_low, at_high, angular, tolerance_s)
    return rows, edges, np.concatenate([is_peak, ~is_peak])


def _edges(
    scanned: Scan,
    row: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    at_low: np.ndarray,
    at_high: np.ndarray,
    angular: np.ndarray,
    tolerance_s: float,
) -> np.ndarray:
    """Where usability switches in each bracket: where `angular` (the angular margin, known at
    both ends, changes sign and no time limit switches), by the crossing of the margin;
    elsewhere by bisection of usability itself."""
    observer, station = scanned.observer, scanned.stations[row]
    time = np.empty(row.size)
    brackets = (low[angular], high[angular], at_low[angular], at_high[angular], station[angular])
    time[angular] = find_crossings(observer.margin_at, *brackets, tolerance_s)
    other = ~angular
    time[other] = refine_flips(observer.usable_at, low[other], high[other], station[other], tolerance_s)
    # A time limit (downtime, a trajectory's span) that switches at a bracket's upper end while the
    # angular limits hold at both ends switches usability exactly there: no rounding error.
    at_limit = other & np.isin(high, observer.time_edges_s()) & (at_low >= 0.0) & (at_high >= 0.0)
    time[at_limit] = high[at_limit]
    return time


def _peak_elevation(scanned: Scan, row: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Highest elevation in each window: its edges, or the top of a parabola through samples
    PEAK_STEPS_S apart (twice), started from the highest sampled culmination in or next to it,
    else from its middle if no sample lies inside."""
    grid, elevation = scanned.grid, scanned.elevation
    inner = np.searchsorted(grid, start, side="left"), np.searchsorted(grid, end, side="right") - 1
    guess, found = _culmination(grid, elevation, row, *inner)
    guess[~found & (inner[1] < inner[0])] = 0.5 * (start + end)[~found & (inner[1] < inner[0])]
    refine = found | (inner[1] < inner[0])
    station = scanned.stations[row]
    peak = scanned.observer.elevation_at(np.concatenate([start, end]), np.tile(station, 2)).reshape(2, -1).max(axis=0)
    guess, low, high, station = guess[refine], start[refine], end[refine], station[refine]
    top = np.full(guess.size, -np.inf)
    for step in PEAK_STEPS_S:
        times = np.clip(guess + step * np.array([[-1.0], [0.0], [1.0]]), low, high)
        heights = scanned.observer.elevation_at(times.ravel(), np.tile(station, 3)).reshape(3, -1)
        guess, top = parabola_top(times, heights)
        guess = np.clip(guess, low, high)
        peak[refine] = np.maximum(peak[refine], heights.max(axis=0))
    peak[refine] = np.maximum(peak[refine], np.where(np.isfinite(top), top, -np.inf))
    return peak


def _culmination(
    grid: np.ndarray, elevation: np.ndarray, row: np.ndarray, first: np.ndarray, last: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per window (row, sample columns first..last): the top of the parabola through the highest
    local maximum of the sampled elevation among those columns and one either side, and
    whether there is one."""
    guess, found = np.zeros(row.size), np.zeros(row.size, bool)
    if row.size == 0:
        return guess, found
    middle = elevation[:, 1:-1]
    top_row, top_column = np.nonzero((middle >= elevation[:, :-2]) & (middle > elevation[:, 2:]))
    top_column += 1
    width = grid.size
    key = top_row * width + top_column
    low, high = row * width + first - 1, row * width + last + 1
    owner = np.searchsorted(low, key, side="right") - 1
    inside = (owner >= 0) & (key <= high[np.maximum(owner, 0)])
    owner, top_row, top_column = owner[inside], top_row[inside], top_column[inside]
    order = np.lexsort((-elevation[top_row, top_column], owner))
    windows, best = np.unique(owner[order], return_index=True)
    k, r = top_column[order][best], top_row[order][best]
    guess[windows] = parabola_top(grid[[k - 1, k, k + 1]], elevation[r, [k - 1, k, k + 1]])[0]
    found[windows] = True
    return guess, found


def station_chunks(stations: int, instants: int) -> list[np.ndarray]:
    """Station indices in chunks of at most SCAN_SAMPLES stations x instants (at least one station)."""
    size = max(1, SCAN_SAMPLES // max(instants, 1))
    return [np.arange(first, min(first + size, stations)) for first in range(0, stations, size)]


def inward_seconds(start_s: np.ndarray, end_s: np.ndarray, horizon_s: float) -> tuple[np.ndarray, np.ndarray]:
    """Edges found to within EDGE_TOLERANCE_S rounded to whole seconds *inward*: every instant
    of a rounded period lies inside the period found, even where the true edge is half a
    tolerance off, so a track that fills the rounded period never leaves the real one. Edges
    known exactly (whole seconds) stay as they are."""
    margin = EDGE_TOLERANCE_S / 2.0 - 1e-6
    start = np.where(_exact(start_s), np.round(start_s), np.ceil(start_s + margin))
    end = np.where(_exact(end_s), np.round(end_s), np.floor(end_s - margin))
    return np.clip(start, 0.0, horizon_s), np.clip(end, 0.0, horizon_s)


def _exact(seconds: np.ndarray) -> np.ndarray:
    """Edges that are exact whole seconds: the horizon's ends and the time limits' own edges
    (downtime, a trajectory's span), which the search finds exactly."""
    return np.abs(seconds - np.round(seconds)) < 1e-6


def compute_view_periods(scenario: Scenario) -> pd.DataFrame:
    """View periods of every target from every scenario station (docs/design.md columns, UTC);
    edges rounded inward to whole seconds. A scenario that gives view periods (`view_periods:`)
    uses those."""
    if scenario.view_periods is not None:
        return scenario.view_periods.copy()
    horizon_s = (scenario.end - scenario.start).total_seconds()
    ephemerides = Ephemerides(scenario.start, horizon_s, scenario.spec.ephemeris_source)
    scene = Scene(Sites.from_stations(scenario.stations), ephemerides, scenario.spec.refraction)
    targets = observers(scenario, scene, horizon_s)
    grids = [observer.scan_grid(horizon_s) for observer in targets]
    frames = []
    for chunk in station_chunks(len(scenario.stations), int(horizon_s // SCAN_STEP_S) + 2):
        for observer, grid in zip(targets, grids, strict=True):
            found = find_windows(observer, horizon_s, chunk, grid)
            found["station"] = np.asarray(scene.sites.ids, dtype=object)[found.station_index.to_numpy()]
            found["target"] = observer.path.target_id
            frames.append(found)
    table = pd.concat(frames, ignore_index=True)
    epoch = pd.Timestamp(scenario.start)
    start_s, end_s = inward_seconds(table.start_s.to_numpy(), table.end_s.to_numpy(), horizon_s)
    table["start"] = epoch + pd.to_timedelta(start_s, unit="s")
    table["end"] = epoch + pd.to_timedelta(end_s, unit="s")
    table["max_elevation_deg"] = table.max_elevation_deg.astype(float).round(3)
    table = table[table.end > table.start]
    table = table.sort_values(["station", "target", "start"], kind="stable").reset_index(drop=True)
    return table[VIEW_PERIOD_COLUMNS]


def view_periods_csv(table: pd.DataFrame) -> str:
    """The view periods as docs/design.md's CSV."""
    out = table.copy()
    for column in ("start", "end"):  # as `timeutil.format_time`, for the whole column at once
        out[column] = pd.to_datetime(out[column], utc=True).dt.round("s").dt.strftime(TIME_FORMAT)
    return csv_text(out)

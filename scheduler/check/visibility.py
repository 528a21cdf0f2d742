"""Visibility re-checked independently of the planner (README: Validator): every observing limit
over the whole of each track, not at sample points alone.

Each track is looked at (`sampling.py`: astropy's transforms) at its ends, its middle and every
10 minutes, more densely where the target moves more than DENSE_STEP_DEG between two looks (a low
orbit). Then, as the planner's edge search does, the check goes where a limit could be broken
between looks: where the target's azimuth crosses a corner of the station's horizon mask (a notch
narrower than the spacing; found by secant steps on the azimuth), and where a limit's margin dips
between looks within reach of zero, judged by its curvature (its lowest point found by
golden-section search). A limit broken at any of these instants is a violation there. A probe's
trajectory file must cover the whole track (its segments' useable spans). A scenario that gives
its view periods (`view_periods:`) is judged by those instead (`given_periods.py`). Downtime is
checked with overlaps (`rules.check_overlaps`).
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
from astropy.coordinates import solar_system_ephemeris
from astropy.time import Time

from scheduler.check.given_periods import check_given_periods
from scheduler.check.sampling import ANGLE_TOLERANCE_DEG, LIMITS, Look, look, sample_instants, samples_at
from scheduler.check.target_sky import oem_spans
from scheduler.check.violation import Violation
from scheduler.inputs import RequestSpec, Scenario, TargetSpec
from scheduler.sky.edges import find_crossings, maximize
from scheduler.sky.ephemeris import DE421_PATH
from scheduler.timeutil import format_time

DENSE_STEP_DEG = 5.0  # looks closer than this along the path: a low orbit moves degrees a minute, the sky 2.5° in 10
DENSIFY_ROUNDS = 8
SEARCH_TOLERANCE_S = 1.0


@dataclass(frozen=True)
class Tracks:
    """One target's schedule rows, looked at on demand: `at(rows, seconds)` (seconds from `epoch`)."""

    scenario: Scenario
    target: TargetSpec
    rows: pd.DataFrame
    epoch: pd.Timestamp

    def at(self, row: np.ndarray, seconds: np.ndarray) -> "Points":
        row, seconds = np.asarray(row, dtype=int), np.asarray(seconds, dtype=float)
        if row.size == 0:
            nothing = np.empty(0)
            return Points(
                row,
                seconds,
                Look(nothing, nothing, dict.fromkeys(LIMITS, nothing), dict.fromkeys(LIMITS, (nothing, nothing))),
            )
        instants = self.epoch + pd.to_timedelta(seconds, unit="s")
        station, track = self.rows.station.to_numpy(), self.rows.track_id.to_numpy()
        pairs = [(track[r], station[r], t) for r, t in zip(row, instants, strict=True)]
        return Points(row, seconds, look(self.scenario, self.target, samples_at(self.scenario, pairs)))


@dataclass(frozen=True)
class Points:
    """Looks at (row, seconds) pairs."""

    row: np.ndarray
    seconds: np.ndarray
    sky: Look

    def __add__(self, other: "Points") -> "Points":
        joined = Look(
            np.concatenate([self.sky.elevation_deg, other.sky.elevation_deg]),
            np.concatenate([self.sky.azimuth_deg, other.sky.azimuth_deg]),
            {k: np.concatenate([v, other.sky.margin[k]]) for k, v in self.sky.margin.items()},
            {
                k: tuple(np.concatenate([a, b]) for a, b in zip(v, other.sky.shown[k], strict=True))
                for k, v in self.sky.shown.items()
            },
        )
        return Points(np.concatenate([self.row, other.row]), np.concatenate([self.seconds, other.seconds]), joined)

    def ordered(self) -> "Points":
        order = np.lexsort((self.seconds, self.row))
        sky = Look(
            self.sky.elevation_deg[order],
            self.sky.azimuth_deg[order],
            {k: v[order] for k, v in self.sky.margin.items()},
            {k: tuple(a[order] for a in v) for k, v in self.sky.shown.items()},
        )
        return Points(self.row[order], self.seconds[order], sky)


def check_visibility(scenario: Scenario, requests: dict[str, RequestSpec], rows: pd.DataFrame) -> list[Violation]:
    """Every track's observing limits over its whole length, one violation per track and limit."""
    rows = rows[rows.station.isin([s.id for s in scenario.stations])]  # others: `station not allowed`
    if scenario.view_periods is not None:
        return check_given_periods(scenario, requests, rows)
    source = str(DE421_PATH) if scenario.spec.ephemeris_source == "de421" else "builtin"
    found: list[Violation] = []
    with solar_system_ephemeris.set(source):
        for target_id, group in rows.groupby(rows.request_id.map(lambda r: requests[r].target)):
            tracks = Tracks(
                scenario, scenario.target(target_id), group.reset_index(drop=True), pd.Timestamp(scenario.start)
            )
            found += _outside_trajectory(tracks)
            found += _limits(tracks)
    return found


def _limits(tracks: Tracks) -> list[Violation]:
    points = _densified(tracks, _first_looks(tracks))
    points = points + _mask_corners(tracks, points) + _dips(tracks, points)
    return _violations(tracks, points.ordered())


def _first_looks(tracks: Tracks) -> Points:
    row, seconds = [], []
    for index, item in enumerate(tracks.rows.itertuples()):
        for instant in sample_instants(item.start, item.end):
            row.append(index)
            seconds.append((instant - tracks.epoch).total_seconds())
    return tracks.at(np.array(row), np.array(seconds))


def _pairs(points: Points) -> np.ndarray:
    """Indices k of consecutive looks k, k+1 of one row."""
    return np.flatnonzero(points.row[1:] == points.row[:-1])


def _densified(tracks: Tracks, points: Points) -> Points:
    """Looks added halfway wherever the target moved more than DENSE_STEP_DEG between two."""
    for _ in range(DENSIFY_ROUNDS):
        points = points.ordered()
        k = _pairs(points)
        el, az = np.radians(points.sky.elevation_deg), np.radians(points.sky.azimuth_deg)
        cosine = np.sin(el[k]) * np.sin(el[k + 1]) + np.cos(el[k]) * np.cos(el[k + 1]) * np.cos(az[k + 1] - az[k])
        step = np.degrees(np.arccos(np.clip(cosine, -1.0, 1.0)))
        wide = k[(step > DENSE_STEP_DEG) & (points.seconds[k + 1] - points.seconds[k] > 2 * SEARCH_TOLERANCE_S)]
        if wide.size == 0:
            break
        points = points + tracks.at(points.row[wide], 0.5 * (points.seconds[wide] + points.seconds[wide + 1]))
    return points.ordered()


def _wrap(degrees: np.ndarray) -> np.ndarray:
    return (np.asarray(degrees) + 180.0) % 360.0 - 180.0


def _mask_corners(tracks: Tracks, points: Points) -> Points:
    """Looks where the target's azimuth passes a corner of the horizon mask that rises above the
    station's minimum elevation: where the floor peaks between looks."""
    rows, lows, highs, corners = [], [], [], []
    k = _pairs(points)
    swept = _wrap(points.sky.azimuth_deg[k + 1] - points.sky.azimuth_deg[k])
    for station_id in tracks.rows.station.unique():
        station = tracks.scenario.station(station_id)
        mine = k[(tracks.rows.station.to_numpy()[points.row[k]] == station_id) & np.isfinite(swept)]
        for corner, height in station.horizon_mask:
            if height <= station.min_elevation_deg:
                continue
            offset = _wrap(corner - points.sky.azimuth_deg[mine])
            arc = swept[np.searchsorted(k, mine)]
            passed = mine[
                ((arc >= 0) & (offset >= 0) & (offset <= arc)) | ((arc < 0) & (offset <= 0) & (offset >= arc))
            ]
            rows.append(points.row[passed])
            lows.append(points.seconds[passed])
            highs.append(points.seconds[passed + 1])
            corners.append(np.full(passed.size, corner))
    if sum(r.size for r in rows) == 0:
        return tracks.at(np.array([], int), np.array([]))
    row, low, high, corner = (np.concatenate(parts) for parts in (rows, lows, highs, corners))

    def past_corner(seconds: np.ndarray, bracket: np.ndarray) -> np.ndarray:
        return _wrap(tracks.at(row[bracket], seconds).sky.azimuth_deg - corner[bracket])

    brackets = np.arange(row.size)
    at_low, at_high = past_corner(low, brackets), past_corner(high, brackets)
    found = find_crossings(past_corner, low, high, at_low, at_high, brackets, SEARCH_TOLERANCE_S)
    return tracks.at(row, found)


def _dips(tracks: Tracks, points: Points) -> Points:
    """Looks at the lowest point of every margin that dips between looks within reach of zero."""
    pairs = _pairs(points)
    k = pairs[np.isin(pairs + 1, pairs)]  # triples k, k+1, k+2 of one row
    rows, lows, highs, limits = [], [], [], []
    for number, limit in enumerate(LIMITS):
        margin = points.sky.margin[limit]
        left, middle, right = margin[k], margin[k + 1], margin[k + 2]
        with np.errstate(invalid="ignore"):
            reach = np.abs(left - 2.0 * middle + right)
            dip = np.isfinite(reach) & (middle <= left) & (middle <= right) & (middle - ANGLE_TOLERANCE_DEG <= reach)
        chosen = k[dip]
        rows.append(points.row[chosen])
        lows.append(points.seconds[chosen])
        highs.append(points.seconds[chosen + 2])
        limits.append(np.full(chosen.size, number))
    row, low, high, limit = (np.concatenate(parts) for parts in (rows, lows, highs, limits))
    if row.size == 0:
        return tracks.at(np.array([], int), np.array([]))

    def lower(seconds: np.ndarray, bracket: np.ndarray) -> np.ndarray:
        margins = tracks.at(row[bracket], seconds).sky.margin
        stacked = np.stack([margins[name] for name in LIMITS])
        return -np.nan_to_num(stacked[limit[bracket], np.arange(bracket.size)], nan=np.inf)

    lowest, _ = maximize(lower, low, high, np.arange(row.size), SEARCH_TOLERANCE_S)
    return tracks.at(row, lowest)


def _violations(tracks: Tracks, points: Points) -> list[Violation]:
    """One violation per track and limit: the first look that breaks it."""
    found = []
    for limit in LIMITS:
        with np.errstate(invalid="ignore"):
            broken = np.flatnonzero(points.sky.margin[limit] < -ANGLE_TOLERANCE_DEG)
        value, bound = points.sky.shown[limit]
        reported: set[int] = set()
        for k in broken:
            if points.row[k] in reported:
                continue
            reported.add(points.row[k])
            item = tracks.rows.iloc[points.row[k]]
            when = format_time(tracks.epoch + pd.Timedelta(seconds=float(points.seconds[k])))
            found.append(
                Violation(item.track_id, limit, f"{_detail(limit, value[k], bound[k])} at {when} from {item.station}")
            )
    return found


def _detail(limit: str, value: float, bound: float) -> str:
    what, sign = {
        LIMITS[0]: ("elevation", "<"),
        LIMITS[1]: ("Sun–target angle", "<"),
        LIMITS[2]: ("Sun elevation", ">"),
        LIMITS[3]: ("Moon–target angle", "<"),
    }[limit]
    return f"{what} {value:.3f} deg {sign} {bound:.3f}"


def _outside_trajectory(tracks: Tracks) -> list[Violation]:
    """A probe's tracks inside the union of its trajectory file's useable spans."""
    if tracks.target.oem is None:
        return []
    trajectory = tracks.scenario.trajectories[tracks.target.id]
    epoch = Time(tracks.epoch.tz_convert(None).to_datetime64(), scale="utc")
    spans = sorted(((a - epoch).sec, (b - epoch).sec) for a, b in oem_spans(trajectory.source))
    found = []
    for item in tracks.rows.itertuples():
        low, high = ((t - tracks.epoch).total_seconds() for t in (item.start, item.end))
        cursor = low
        for a, b in spans:
            if a > cursor:
                break
            cursor = max(cursor, b)
        if cursor < high:
            gap = max(cursor, low)
            when = format_time(tracks.epoch + pd.Timedelta(seconds=gap))
            detail = f"the OEM does not cover this instant at {when} from {item.station}"
            found.append(Violation(item.track_id, "outside trajectory", detail))
    return found

"""coordination.csv: what the agencies should discuss before the week starts (README: Outputs).

Every pair of scheduled tracks of different agencies, on the same band, at different complexes,
on target at the same time while their targets come closer than the scenario's
`rfi.separation_deg` (seen from either track's antenna), with the closest angle and when. The
plan keeps such pairs apart at one complex; across complexes it only reports them.
"""

from itertools import combinations

import numpy as np
import pandas as pd

from scheduler.inputs import Scenario
from scheduler.sky.geometry import separation_deg
from scheduler.sky.separation import TargetSky
from scheduler.timeutil import format_time

COORDINATION_COLUMNS = [
    "track_a",
    "request_a",
    "agency_a",
    "target_a",
    "station_a",
    "complex_a",
    "track_b",
    "request_b",
    "agency_b",
    "target_b",
    "station_b",
    "complex_b",
    "band",
    "overlap_start",
    "overlap_end",
    "closest_deg",
    "closest_at",
]
SAMPLE_S = 600.0  # on-target overlaps are sampled at least this often, ends included


def coordination_table(scenario: Scenario, schedule: pd.DataFrame) -> pd.DataFrame:
    """The pairs to coordinate (empty without `rfi:` in the scenario)."""
    rfi = scenario.spec.rfi
    if rfi is None or schedule.empty:
        return pd.DataFrame(columns=COORDINATION_COLUMNS)
    complex_of = {s.id: s.complex for s in scenario.stations}
    rows = schedule[schedule.band.astype(str) != ""].sort_values(["start", "track_id"])
    pairs = [
        (a, b)
        for a, b in combinations(rows.itertuples(), 2)
        if a.agency != b.agency
        and str(a.band).lower() == str(b.band).lower()
        and complex_of[a.station] != complex_of[b.station]
        and max(a.start, b.start) < min(a.end, b.end)
    ]
    if not pairs:
        return pd.DataFrame(columns=COORDINATION_COLUMNS)
    stations = sorted({r.station for pair in pairs for r in pair})
    sky = TargetSky(scenario, [scenario.station(s) for s in stations], sorted({r.target for p in pairs for r in p}))
    epoch = pd.Timestamp(scenario.start)
    found = []
    for (a, b), (angle, when) in zip(pairs, _closest(sky, pairs, epoch), strict=True):
        if angle >= rfi.separation_deg:
            continue
        found.append(
            {
                **{f"{key}_a": getattr(a, attribute) for key, attribute in _KEYS.items()},
                **{f"{key}_b": getattr(b, attribute) for key, attribute in _KEYS.items()},
                "complex_a": complex_of[a.station],
                "complex_b": complex_of[b.station],
                "band": a.band,
                "overlap_start": format_time(max(a.start, b.start)),
                "overlap_end": format_time(min(a.end, b.end)),
                "closest_deg": round(angle, 4),
                "closest_at": format_time(epoch + pd.Timedelta(seconds=when)),
            }
        )
    return pd.DataFrame(found, columns=COORDINATION_COLUMNS)


_KEYS = {"track": "track_id", "request": "request_id", "agency": "agency", "target": "target", "station": "station"}


def _closest(sky: TargetSky, pairs: list, epoch: pd.Timestamp) -> list[tuple[float, float]]:
    """Per pair: the smallest angle between the two targets over the overlap, seen from either
    antenna, and when (seconds from the epoch). Each target's directions are computed once, for
    all the instants and antennas that need them."""
    samples = []
    for a, b in pairs:
        low, high = ((t - epoch).total_seconds() for t in (max(a.start, b.start), min(a.end, b.end)))
        times = np.append(np.arange(low, high, SAMPLE_S), high)
        samples.append(times)
    wanted: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {}
    for (a, b), times in zip(pairs, samples, strict=True):
        for target in (a.target, b.target):
            for station in (a.station, b.station):
                wanted.setdefault(target, []).append((times, np.full(times.shape, sky.index[station])))
    directions = {}
    for target, parts in wanted.items():
        seconds = np.concatenate([t for t, _ in parts])
        index = np.concatenate([s for _, s in parts])
        vectors = sky.directions(target, seconds, index)
        directions[target] = np.split(vectors, np.cumsum([t.size for t, _ in parts])[:-1], axis=1)
    used = {target: 0 for target in wanted}
    found = []
    for (a, b), times in zip(pairs, samples, strict=True):
        views = []
        for target in (a.target, b.target):
            views.append([directions[target][used[target]], directions[target][used[target] + 1]])
            used[target] += 2
        angles = np.minimum(separation_deg(views[0][0], views[1][0]), separation_deg(views[0][1], views[1][1]))
        k = int(np.argmin(angles))
        found.append((float(angles[k]), float(times[k])))
    return found

"""RFI re-checked with astropy's own transformations (README: Validator): two tracks at one complex,
on target at the same time, of requests of different missions on one band that share no MSPA tag,
must not have their targets closer than `rfi.separation_deg` seen from there."""

from itertools import combinations

import astropy.units as u
import numpy as np
import pandas as pd
from astropy.coordinates import solar_system_ephemeris

from scheduler.check.operations import band_of, complex_of
from scheduler.check.sampling import ANGLE_TOLERANCE_DEG, sample_instants, samples_at
from scheduler.check.target_sky import target_sky
from scheduler.check.violation import TIME_TOLERANCE_S, Violation, seconds_between
from scheduler.inputs import RequestSpec, Scenario
from scheduler.sky.ephemeris import DE421_PATH
from scheduler.timeutil import format_time


def _interfere(first: RequestSpec, second: RequestSpec) -> bool:
    one, two = band_of(first), band_of(second)
    if one is None or two is None or one.lower() != two.lower():
        return False
    shared = first.mspa is not None and first.mspa == second.mspa
    return first.mission != second.mission and not shared


def check_interference(scenario: Scenario, schedule: pd.DataFrame) -> list[Violation]:
    """One violation per pair of tracks whose targets come too close while both are on target."""
    rfi = scenario.spec.rfi
    if rfi is None or schedule.empty:
        return []
    requests = {r.id: r for r in scenario.requests}
    rows = schedule[schedule.request_id.map(lambda r: r in requests and band_of(requests[r]) is not None)]
    rows = rows[rows.station.map(lambda s: complex_of(scenario, s) is not None)]
    complexes = rows.station.map(lambda s: complex_of(scenario, s))
    found = []
    source = str(DE421_PATH) if scenario.spec.ephemeris_source == "de421" else "builtin"
    with solar_system_ephemeris.set(source):
        for name, here in rows.groupby(complexes):
            for a, b in combinations(here.sort_values("start").itertuples(), 2):
                first, second = requests[a.request_id], requests[b.request_id]
                low, high = max(a.start, b.start), min(a.end, b.end)
                if not _interfere(first, second) or seconds_between(low, high) <= TIME_TOLERANCE_S:
                    continue
                closest, when = _closest(scenario, first.target, second.target, a.station, low, high)
                if closest + ANGLE_TOLERANCE_DEG < rfi.separation_deg:
                    apart = f"{first.target} and {second.target} {closest:.3f} deg apart from {name}"
                    detail = (
                        f"{apart} at {format_time(when)} beside {a.track_id}, both {band_of(first)}; "
                        f"needs {rfi.separation_deg} deg"
                    )
                    found.append(Violation(b.track_id, "rfi", detail))
    return found


def _closest(
    scenario: Scenario, first: str, second: str, station: str, low: pd.Timestamp, high: pd.Timestamp
) -> tuple[float, pd.Timestamp]:
    """The smallest angle between the two targets seen from `station` over [low, high], sampled."""
    instants = sample_instants(low, high)
    samples = samples_at(scenario, [("", station, t) for t in instants])
    frame = samples.frame(0 * u.hPa)
    one, _ = target_sky(scenario, scenario.target(first), samples.times, samples.location)
    two, _ = target_sky(scenario, scenario.target(second), samples.times, samples.location)
    angles = one.transform_to(frame).separation(two.transform_to(frame)).deg
    k = int(np.argmin(angles))
    return float(angles[k]), instants[k]

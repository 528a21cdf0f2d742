"""Visibility benchmark: 40 antennas x 30 targets x 7 days.

    python benchmarks/visibility.py [--pairs N]

Prints the engine's wall time and peak memory for the whole view-period computation
(ephemerides included), and its speed-up over the plain approach measured in the same run:
a loop over (station, target) pairs, each transformed with astropy's AltAz on a one-minute
grid and thresholded at the station's elevation floor. The baseline runs on a subset of pairs
and is scaled per pair to all 1,200.

Stations: 40 of the catalog (every optical telescope, then radio antennas in catalog order).
Targets: the Sun, the Moon and seven planets, four CCSDS OEM trajectories (Earth-, Moon- and
Sun-centred, KVN and XML), and seventeen fixed directions spread over the sky. Peak memory:
the process's peak resident size (interpreter and libraries included) after the timed run, and
the peak of memory allocated during a second, traced run.
"""

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import astropy.units as u
import numpy as np
from astropy.coordinates import AltAz, EarthLocation, SkyCoord, get_body
from astropy.time import Time

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scheduler import offline  # noqa: E402
from scheduler.inputs import Scenario, load_scenario_text  # noqa: E402
from scheduler.sky.visibility import compute_view_periods  # noqa: E402
from stations import load_catalog  # noqa: E402

OEM = REPO / "tests" / "data" / "oem"
START, DAYS = "2026-12-07T00:00:00Z", 7
ANTENNAS = 40
BODIES = ["sun", "moon", "mercury", "venus", "mars", "jupiter", "saturn", "uranus", "neptune"]
TRAJECTORIES = ["lunar-transfer.oem", "lunar-transfer.xml", "lunar-orbiter.xml", "mars-cruise.oem"]
FIXED = 17


def fixed_directions(count: int) -> list[tuple[float, float]]:
    """Directions spread evenly over the sky (a Fibonacci lattice)."""
    k = np.arange(count) + 0.5
    dec = np.degrees(np.arcsin(1.0 - 2.0 * k / count))
    ra = np.mod(k * 137.50776405, 360.0)
    return list(zip(ra.round(4), dec.round(4), strict=True))


def antennas(count: int) -> list[str]:
    """Catalog ids: every optical telescope, then radio antennas in catalog order."""
    catalog = list(load_catalog().values())
    chosen = [s.id for s in catalog if s.kind == "optical"] + [s.id for s in catalog if s.kind == "radio"]
    if len(chosen) < count:
        raise SystemExit(f"the catalog has {len(chosen)} stations; the benchmark needs {count}")
    return chosen[:count]


def scenario() -> Scenario:
    stations = [f"  - {sid}" for sid in antennas(ANTENNAS)]
    targets = [f"  - {{id: {b}, body: {b}}}" for b in BODIES]
    targets += [f"  - {{id: OEM-{k}, oem: {OEM / name}}}" for k, name in enumerate(TRAJECTORIES)]
    directions = fixed_directions(FIXED)
    targets += [f"  - {{id: Q{k:02d}, ra_deg: {ra}, dec_deg: {dec}}}" for k, (ra, dec) in enumerate(directions)]
    end = (Time(START.rstrip("Z")) + DAYS * u.day).isot[:19] + "Z"
    text = f"name: benchmark\nstart: {START}\nend: {end}\nstations:\n" + "\n".join(stations)
    return load_scenario_text(text + "\ntargets:\n" + "\n".join(targets) + "\n")


def baseline_pair(scenario: Scenario, station_id: str, target_id: str) -> int:
    """The plain approach for one pair: astropy AltAz on a one-minute grid, thresholded."""
    station, target = scenario.station(station_id), scenario.target(target_id)
    times = Time(scenario.start) + np.arange(0, DAYS * 1440 + 1) * u.min
    location = EarthLocation.from_geodetic(station.lon_deg * u.deg, station.lat_deg * u.deg, station.height_m * u.m)
    if target.body is not None:
        sky = get_body(target.body, times, location=location)
    else:
        sky = SkyCoord(ra=target.ra_deg * u.deg, dec=target.dec_deg * u.deg)
    altaz = sky.transform_to(AltAz(obstime=times, location=location))
    visible = altaz.alt.deg >= station.mask_elevation_deg(altaz.az.deg)
    return int(np.count_nonzero(np.diff(visible.astype(int)) == 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=6, help="pairs timed for the per-pair baseline")
    args = parser.parse_args()
    offline.configure()
    loaded = scenario()
    pairs_total = len(loaded.stations) * len(loaded.targets)
    print(
        f"scenario: {len(loaded.stations)} antennas x {len(loaded.targets)} targets x {DAYS} days = {pairs_total} pairs"
    )

    began, cpu = time.perf_counter(), time.process_time()
    view_periods = compute_view_periods(loaded)
    wall, cpu = time.perf_counter() - began, time.process_time() - cpu
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    tracemalloc.start()
    compute_view_periods(loaded)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"engine: {wall:.2f} s wall ({cpu:.2f} s CPU), {len(view_periods)} view periods")
    print(f"peak memory: {rss_peak / 2**20:.0f} MiB process RSS, {traced_peak / 2**20:.0f} MiB allocated by the run")

    rng = np.random.default_rng(0)
    candidates = [(s.id, t.id) for s in loaded.stations for t in loaded.targets if t.oem is None]
    chosen = [candidates[i] for i in rng.choice(len(candidates), size=args.pairs, replace=False)]
    baseline_pair(loaded, *chosen[0])  # warm astropy's caches so they do not count against it
    began = time.perf_counter()
    for station_id, target_id in chosen:
        baseline_pair(loaded, station_id, target_id)
    per_pair = (time.perf_counter() - began) / len(chosen)
    projected = per_pair * pairs_total
    print(f"baseline: {per_pair:.2f} s per pair ({len(chosen)} pairs timed) -> {projected:.0f} s for {pairs_total}")
    print(f"speed-up: {projected / wall:.0f}x")


if __name__ == "__main__":
    main()

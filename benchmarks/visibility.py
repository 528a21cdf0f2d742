"""Visibility benchmark: 40 antennas x 30 targets x 7 days.

    python benchmarks/visibility.py [--pairs N]

Prints the engine's wall time and peak memory for the whole view-period computation
(ephemerides included), and its speed-up over the plain approach measured in the same run:
a loop over (station, target) pairs, each transformed with astropy's AltAz on a one-minute
grid and thresholded at the station's elevation floor. The baseline runs on a subset of pairs
and is scaled per pair to all 1,200.

Stations: the 14 DSN antennas of the catalog plus 26 other radio and optical sites whose
coordinates here are approximate (they serve timing only). Targets: the Sun, the Moon and
seven planets, four CCSDS OEM trajectories (Earth-, Moon- and Sun-centred, KVN and XML), and
seventeen fixed directions spread over the sky.
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
from scheduler.scenario import Scenario, load_scenario_text  # noqa: E402
from scheduler.visibility import compute_view_periods  # noqa: E402

OEM = REPO / "tests" / "data" / "oem"
START, DAYS = "2026-12-07T00:00:00Z", 7
OTHER_SITES = [  # id, kind, lat, lon, height (approximate)
    ("NNO", "radio", -31.048, 116.191, 252),
    ("CEB", "radio", 40.453, -4.368, 794),
    ("MLG", "radio", -35.776, -69.398, 1550),
    ("KIR", "radio", 67.857, 20.964, 402),
    ("KOU", "radio", 5.251, -52.805, 15),
    ("RED", "radio", 50.002, 5.146, 385),
    ("UDSC", "radio", 36.133, 138.362, 1456),
    ("UCH", "radio", 31.251, 131.079, 250),
    ("IDSN", "radio", 12.902, 77.369, 800),
    ("JMS", "radio", 46.494, 130.770, 60),
    ("KSH", "radio", 38.425, 76.714, 1300),
    ("NQN", "radio", -38.192, -70.149, 700),
    ("BLK", "radio", 55.868, 37.954, 180),
    ("KLZ", "radio", 57.223, 37.900, 150),
    ("USS", "radio", 44.016, 131.757, 80),
    ("TEIDE", "optical", 28.300, -16.511, 2390),
    ("CAHA", "optical", 37.223, -2.546, 2168),
    ("PARANAL", "optical", -24.627, -70.404, 2635),
    ("MKO", "optical", 19.823, -155.469, 4205),
    ("TMO", "optical", 34.382, -117.682, 2286),
    ("SSO", "optical", -31.273, 149.062, 1165),
    ("LASILLA", "optical", -29.257, -70.738, 2400),
    ("SAAO", "optical", -32.379, 20.811, 1798),
    ("DEVASTHAL", "optical", 29.361, 79.685, 2450),
    ("XINGLONG", "optical", 40.393, 117.575, 900),
    ("TERSKOL", "optical", 43.275, 42.500, 3100),
]
BODIES = ["sun", "moon", "mercury", "venus", "mars", "jupiter", "saturn", "uranus", "neptune"]
TRAJECTORIES = ["lunar-transfer.oem", "lunar-transfer.xml", "lunar-orbiter.xml", "mars-cruise.oem"]
FIXED = 17


def fixed_directions(count: int) -> list[tuple[float, float]]:
    """Directions spread evenly over the sky (a Fibonacci lattice)."""
    k = np.arange(count) + 0.5
    dec = np.degrees(np.arcsin(1.0 - 2.0 * k / count))
    ra = np.mod(k * 137.50776405, 360.0)
    return list(zip(ra.round(4), dec.round(4), strict=True))


def scenario() -> Scenario:
    stations = ["  - DSS-*"]
    for index, (sid, kind, lat, lon, height) in enumerate(OTHER_SITES):
        mask = ", horizon_mask: [[0, 8], [90, 15], [180, 5], [270, 12]]" if index % 3 == 0 else ""
        stations.append(
            f"  - {{id: {sid}, kind: {kind}, lat_deg: {lat}, lon_deg: {lon}, height_m: {height}, "
            f"min_elevation_deg: {20 if kind == 'optical' else 10}"
            f"{', min_moon_separation_deg: 15' if kind == 'optical' else ''}{mask}}}"
        )
    targets = [f"  - {{id: {b}, body: {b}}}" for b in BODIES]
    targets += [f"  - {{id: OEM-{k}, oem: {OEM / name}}}" for k, name in enumerate(TRAJECTORIES)]
    targets += [
        f"  - {{id: Q{k:02d}, ra_deg: {ra}, dec_deg: {dec}}}" for k, (ra, dec) in enumerate(fixed_directions(FIXED))
    ]
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

    tracemalloc.start()
    began = time.perf_counter()
    view_periods = compute_view_periods(loaded)
    wall = time.perf_counter() - began
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(f"engine: {wall:.2f} s wall, {len(view_periods)} view periods")
    print(f"peak memory: {traced_peak / 2**20:.0f} MiB allocated (tracemalloc), {rss_peak / 2**20:.0f} MiB process RSS")

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

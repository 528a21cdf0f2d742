"""Visibility benchmark: view periods of a network against a per-pair Skyfield search.

    python benchmarks/visibility.py [--size standard|network] [--pairs N] [--cli-runs N]

Sizes: `standard` is 40 antennas x 30 targets x 7 days, `network` 150 antennas x 60 targets
x 30 days. Stations: the catalog's (every optical telescope, then radio antennas in catalog
order), then synthetic radio and optical sites spread over the globe. Targets: the Sun, the
Moon and seven planets, four CCSDS OEM trajectories (Earth-, Moon- and Sun-centred, KVN and
XML), and fixed directions spread over the sky.

Measured in one run:
- the CLI end to end, `jointtrack visibility SCENARIO` as a subprocess (start-up included):
  wall time and peak resident memory of the child;
- the engine in this process (`compute_view_periods`, ephemerides included): wall and CPU time;
- the baseline, as a user of Skyfield would do it pair by pair: `find_discrete` over the
  horizon with 10-minute steps on elevation >= the station's floor, JPL DE421 from
  `skyfield-data` and the IERS table of `astropy-iers-data` (offline), on a sample of
  (station, target) pairs without OEM targets, then per pair;
- accuracy on the same pairs: the engine with the elevation limit alone (Sun limits off)
  against those Skyfield edges, one to one.
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scheduler.inputs import Scenario, load_scenario_text  # noqa: E402
from scheduler.sky.visibility import compute_view_periods  # noqa: E402
from stations import load_catalog  # noqa: E402

OEM = REPO / "tests" / "data" / "oem"
START = pd.Timestamp("2026-12-07T00:00:00Z")
SIZES = {"standard": (40, 30, 7), "network": (150, 60, 30)}  # stations, targets, days
BODIES = ["sun", "moon", "mercury", "venus", "mars", "jupiter", "saturn", "uranus", "neptune"]
SKYFIELD_BODIES = {b: f"{b} barycenter" for b in ["mars", "jupiter", "saturn", "uranus", "neptune"]}  # as astropy
TRAJECTORIES = ["lunar-transfer.oem", "lunar-transfer.xml", "lunar-orbiter.xml", "mars-cruise.oem"]
STEP_DAYS = 10.0 / 1440.0


def sphere(count: int, max_lat_deg: float = 90.0) -> np.ndarray:
    """(count, 2) latitude, longitude (degrees) spread evenly (a Fibonacci lattice)."""
    k = np.arange(count) + 0.5
    lat = np.degrees(np.arcsin((1.0 - 2.0 * k / count) * np.sin(np.radians(max_lat_deg))))
    return np.stack([lat, np.mod(k * 137.50776405, 360.0) - 180.0], axis=1).round(4)


def stations(count: int) -> list[str]:
    """Catalog ids (optical first), then synthetic sites: every fifth optical."""
    catalog = list(load_catalog().values())
    chosen = [s.id for s in catalog if s.kind == "optical"] + [s.id for s in catalog if s.kind == "radio"]
    lines = [f"  - {sid}" for sid in chosen[:count]]
    for k, (lat, lon) in enumerate(sphere(max(0, count - len(chosen)), 70.0)):
        kind = "optical" if k % 5 == 4 else "radio"
        lines.append(f"  - {{id: SYN-{k:03d}, kind: {kind}, lat_deg: {lat}, lon_deg: {lon}, height_m: 500}}")
    return lines


def scenario_text(size: str) -> str:
    station_count, target_count, days = SIZES[size]
    targets = [f"  - {{id: {b}, body: {b}}}" for b in BODIES]
    targets += [f"  - {{id: OEM-{k}, oem: {OEM / name}}}" for k, name in enumerate(TRAJECTORIES)]
    directions = enumerate(sphere(target_count - len(targets)))
    targets += [f"  - {{id: Q{k:02d}, ra_deg: {lon + 180.0:.4f}, dec_deg: {lat}}}" for k, (lat, lon) in directions]
    end = (START + pd.Timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")
    head = f"name: benchmark-{size}\nstart: {START:%Y-%m-%dT%H:%M:%SZ}\nend: {end}\n"
    return head + "stations:\n" + "\n".join(stations(station_count)) + "\ntargets:\n" + "\n".join(targets) + "\n"


def run_cli(path: Path, out: Path) -> tuple[float, float, float]:
    """Wall and CPU seconds and peak RSS (MiB) of `jointtrack visibility` as a child process."""
    return run_command("visibility", str(path), "--out", str(out), "--quiet")


def run_command(*arguments: str) -> tuple[float, float, float]:
    """Wall and CPU seconds and peak RSS (MiB) of `jointtrack ARGUMENTS` as a child process."""
    script = Path(sys.executable).with_name("jointtrack")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "scheduler"]
    began = time.perf_counter()
    child = subprocess.Popen([*command, *arguments], stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - began
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"jointtrack {' '.join(arguments)} failed with exit code {os.waitstatus_to_exitcode(status)}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def startup(runs: int = 5) -> None:
    """Start-up of the command line: `--help` and `stations`, median wall and CPU seconds of `runs`."""
    for arguments in (("--help",), ("stations",)):
        measured = np.array([run_command(*arguments)[:2] for _ in range(runs)])
        wall, cpu = np.median(measured, axis=0)
        print(f"start-up: jointtrack {' '.join(arguments)} {wall:.2f} s wall, {cpu:.2f} s CPU (median of {runs})")


class Skyfield:
    """The per-pair baseline: Skyfield's `find_discrete` on elevation >= floor, DE421, offline."""

    def __init__(self) -> None:
        import astropy_iers_data
        from skyfield.api import Loader
        from skyfield.data import iers
        from skyfield_data import get_skyfield_data_path

        tables = Loader(str(Path(astropy_iers_data.IERS_A_FILE).parent), verbose=False)
        self.ts = tables.timescale(builtin=False)  # UT1 and polar motion from the table the engine reads
        with tables.open("finals2000A.all") as file:
            iers.install_polar_motion_table(self.ts, iers.parse_x_y_dut1_from_finals_all(file))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # skyfield-data warns that its own IERS file is old
            self.planets = Loader(get_skyfield_data_path(), verbose=False)("de421.bsp")

    def view_periods(self, scenario: Scenario, station_id: str, target_id: str) -> list[tuple[float, float]]:
        """Usable spans (seconds from the start) of one pair."""
        from skyfield.api import Star, wgs84
        from skyfield.searchlib import find_discrete

        station, target = scenario.station(station_id), scenario.target(target_id)
        site = self.planets["earth"] + wgs84.latlon(station.lat_deg, station.lon_deg, elevation_m=station.height_m)
        body = (
            self.planets[SKYFIELD_BODIES.get(target.body, target.body)]
            if target.body
            else Star(ra_hours=target.ra_deg / 15.0, dec_degrees=target.dec_deg)
        )

        def visible(t):
            altitude, azimuth, _ = site.at(t).observe(body).apparent().altaz()
            return altitude.degrees >= station.mask_elevation_deg(azimuth.degrees)

        visible.step_days = STEP_DAYS
        t0, t1 = (self.ts.from_datetime(moment) for moment in (scenario.start, scenario.end))
        times, values = find_discrete(t0, t1, visible, epsilon=0.001 / 86400.0)
        seconds = [(t - t0) * 86400.0 for t in [t0, *times, t1]]
        states = [bool(visible(t0)), *map(bool, values)]
        return [(seconds[k], seconds[k + 1]) for k, on in enumerate(states) if on]


def elevation_only(scenario: Scenario, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], list]:
    """The engine's view periods of `pairs` with the elevation limit alone (no Sun limits)."""
    station_ids = sorted({s for s, _ in pairs})
    lines = []
    for sid in station_ids:
        station = scenario.station(sid)
        mask = [list(point) for point in station.horizon_mask]
        lines.append(
            f"  - {{id: {sid}, kind: radio, lat_deg: {station.lat_deg}, lon_deg: {station.lon_deg}, "
            f"height_m: {station.height_m}, min_elevation_deg: {station.min_elevation_deg}, "
            f"horizon_mask: {mask}, min_sun_separation_deg: 0}}"
        )
    targets = []
    for tid in sorted({t for _, t in pairs}):
        target = scenario.target(tid)
        kind = f"body: {target.body}" if target.body else f"ra_deg: {target.ra_deg}, dec_deg: {target.dec_deg}"
        targets.append(f"  - {{id: {tid}, {kind}}}")
    text = f"name: accuracy\nstart: {scenario.start.isoformat()}\nend: {scenario.end.isoformat()}\n"
    text += "stations:\n" + "\n".join(lines) + "\ntargets:\n" + "\n".join(targets) + "\n"
    table = compute_view_periods(load_scenario_text(text))
    start = pd.Timestamp(scenario.start)
    found = {}
    for pair in pairs:
        rows = table[(table.station == pair[0]) & (table.target == pair[1])]
        spans = (rows.start - start).dt.total_seconds(), (rows.end - start).dt.total_seconds()
        found[pair] = list(zip(*spans, strict=True))
    return found


def worst_edge(ours: dict, theirs: dict) -> tuple[float, int]:
    """Largest edge difference (s) over pairs matched one to one, and how many periods differ in number."""
    worst, unmatched = 0.0, 0
    for pair, spans in theirs.items():
        if len(spans) != len(ours[pair]):
            unmatched += abs(len(spans) - len(ours[pair]))
            continue
        for (a, b), (c, d) in zip(spans, ours[pair], strict=True):
            worst = max(worst, abs(a - c), abs(b - d))
    return worst, unmatched


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="standard")
    parser.add_argument("--pairs", type=int, default=12, help="pairs timed for the per-pair Skyfield baseline")
    parser.add_argument("--cli-runs", type=int, default=3, help="end-to-end CLI runs (the median is reported)")
    args = parser.parse_args()
    station_count, target_count, days = SIZES[args.size]
    pairs_total = station_count * target_count
    print(f"scenario: {station_count} antennas x {target_count} targets x {days} days = {pairs_total} pairs")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start")
    startup()

    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / f"benchmark-{args.size}.yaml"
        path.write_text(scenario_text(args.size))
        runs = np.array([run_cli(path, Path(work) / "view_periods.csv") for _ in range(args.cli_runs)])
        cli_wall, cli_cpu = np.median(runs[:, 0]), np.median(runs[:, 1])
        walls = ", ".join(f"{wall:.2f}" for wall in runs[:, 0])
        print(
            f"cli: jointtrack visibility end to end {cli_wall:.2f} s wall (median of {walls}), "
            f"{cli_cpu:.2f} s CPU, peak RSS {runs[:, 2].max():.0f} MiB"
        )

    loaded = load_scenario_text(scenario_text(args.size))
    began, cpu = time.perf_counter(), time.process_time()
    view_periods = compute_view_periods(loaded)
    wall, cpu = time.perf_counter() - began, time.process_time() - cpu
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ours = wall / pairs_total
    print(f"engine: {wall:.2f} s wall ({cpu:.2f} s CPU), {len(view_periods)} view periods, process RSS {rss:.0f} MiB")
    print(f"ours per pair: {1e3 * ours:.2f} ms in process, {1e3 * cli_wall / pairs_total:.2f} ms end to end")

    skyfield = Skyfield()
    rng = np.random.default_rng(0)
    candidates = [(s.id, t.id) for s in loaded.stations for t in loaded.targets if t.oem is None]
    chosen = [candidates[i] for i in rng.choice(len(candidates), size=min(args.pairs, len(candidates)), replace=False)]
    skyfield.view_periods(loaded, *chosen[0])  # warm Skyfield's caches so they do not count against it
    began, cpu_began = time.perf_counter(), time.process_time()
    theirs = {pair: skyfield.view_periods(loaded, *pair) for pair in chosen}
    baseline = (time.perf_counter() - began) / len(chosen)
    baseline_cpu = (time.process_time() - cpu_began) / len(chosen)
    print(
        f"skyfield per pair: {1e3 * baseline:.1f} ms wall ({1e3 * baseline_cpu:.1f} ms CPU), "
        f"{len(chosen)} pairs timed, find_discrete, 10-minute steps"
    )
    print(f"ratio per pair: {baseline / ours:.0f}x in process, {baseline * pairs_total / cli_wall:.0f}x end to end")
    print(
        f"ratio per pair of CPU time: {baseline_cpu * pairs_total / cpu:.0f}x in process, "
        f"{baseline_cpu * pairs_total / cli_cpu:.0f}x end to end"
    )

    worst, unmatched = worst_edge(elevation_only(loaded, chosen), theirs)
    edges = 2 * sum(len(spans) for spans in theirs.values())
    print(f"accuracy: worst edge {worst:.2f} s from Skyfield over {edges} edges, {unmatched} periods missing or extra")
    print(f"machine: load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()

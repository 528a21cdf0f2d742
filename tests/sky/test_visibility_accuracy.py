"""View periods against an independent implementation: Skyfield with JPL DE421.

Skyfield computes the apparent topocentric direction its own way (light time, aberration,
deflection, IAU 2000A nutation, its own Earth rotation) and finds edges with its own
`find_discrete`; both sides read the same inputs: DE421 and the IERS Earth-orientation table
bundled with `astropy-iers-data`. Six sites on four continents, from 68 N to 35 S, two of them
with horizon masks, the Moon, Venus, Mars and Jupiter, seven days.
"""

from pathlib import Path

import astropy_iers_data
import numpy as np
import pandas as pd
import pytest
import skyfield_data
from skyfield.api import Loader, wgs84
from skyfield.data import iers
from skyfield.searchlib import find_discrete

from scheduler.inputs import load_scenario_text
from scheduler.sky.visibility import compute_view_periods

START, END = "2026-12-07T00:00:00Z", "2026-12-14T00:00:00Z"
SITES = {
    "GOLDSTONE": dict(lat_deg=35.42590087, lon_deg=-116.88953821, height_m=1001.391, min_elevation_deg=6.0),
    "CANBERRA": dict(
        lat_deg=-35.40242, lon_deg=148.98127, height_m=689.6, min_elevation_deg=10.0,
        horizon_mask=[[0, 12], [60, 18], [120, 10], [200, 25], [300, 14]],
    ),
    "MADRID": dict(lat_deg=40.43120953, lon_deg=-4.24800499, height_m=865.5, min_elevation_deg=10.0),
    "KIRUNA": dict(lat_deg=67.85713, lon_deg=20.96433, height_m=402.1, min_elevation_deg=5.0),
    "MALARGUE": dict(
        lat_deg=-35.77601, lon_deg=-69.39819, height_m=1550.0, min_elevation_deg=10.0,
        horizon_mask=[[0, 10], [90, 30], [100, 8], [250, 20]],
    ),
    "KOUROU": dict(lat_deg=5.25144, lon_deg=-52.80466, height_m=14.6, min_elevation_deg=10.0),
}  # fmt: skip
BODIES = {"moon": "moon", "venus": "venus", "mars": "mars barycenter", "jupiter": "jupiter barycenter"}
SUN_SEPARATION_DEG = 3.0  # the radio default, applied by both sides
pytestmark = pytest.mark.slow  # a Skyfield reference of 24 pairs over a week
EDGE_LIMIT_S = 1.01  # edges are rounded inward to whole seconds: at most 1 s plus the search's 0.01 s
INSIDE_S = 0.01  # how far a written edge may lie outside Skyfield's: the two searches' own accuracy


def scenario_text() -> str:
    stations = "\n".join(
        f"  - {{id: {name}, kind: radio, " + ", ".join(f"{k}: {v}" for k, v in site.items()) + "}"
        for name, site in SITES.items()
    )
    targets = "\n".join(f"  - {{id: {name}, body: {name}}}" for name in BODIES)
    return f"name: accuracy\nstart: {START}\nend: {END}\nstations:\n{stations}\ntargets:\n{targets}\n"


def floor_deg(site: dict, azimuth: np.ndarray) -> np.ndarray:
    floor = np.full(azimuth.shape, site["min_elevation_deg"])
    mask = site.get("horizon_mask")
    if mask:
        points = np.array(mask, dtype=float)
        floor = np.maximum(floor, np.interp(azimuth, points[:, 0], points[:, 1], period=360.0))
    return floor


def skyfield_view_periods() -> pd.DataFrame:
    data = Path(astropy_iers_data.__file__).parent / "data"
    loader = Loader(str(data))
    ts = loader.timescale(builtin=False)  # UT1 from the same IERS table astropy uses
    with loader.open("finals2000A.all") as f:
        iers.install_polar_motion_table(ts, iers.parse_x_y_dut1_from_finals_all(f))
    planets = Loader(str(Path(skyfield_data.__file__).parent / "data"))("de421.bsp")
    earth, sun = planets["earth"], planets["sun"]
    t0 = ts.from_datetime(pd.Timestamp(START).to_pydatetime())
    t1 = ts.from_datetime(pd.Timestamp(END).to_pydatetime())
    rows = []
    for name, site in SITES.items():
        observer = earth + wgs84.latlon(site["lat_deg"], site["lon_deg"], elevation_m=site["height_m"])

        def usable(t, observer=observer, site=site):
            """Which targets are usable, as the bits of one integer (one search per site)."""
            seen = observer.at(t)
            solar = seen.observe(sun).apparent()
            bits = 0
            for bit, body in enumerate(BODIES.values()):
                apparent = seen.observe(planets[body]).apparent()
                altitude, azimuth, _ = apparent.altaz()
                ok = altitude.degrees >= floor_deg(site, azimuth.degrees)
                ok &= solar.separation_from(apparent).degrees >= SUN_SEPARATION_DEG
                bits = bits + (ok.astype(int) << bit)
            return bits

        usable.step_days = 2.0 / 1440.0
        times, values = find_discrete(t0, t1, usable, epsilon=0.001 / 86400.0)
        edges = [pd.Timestamp(t) for t in [t0.utc_datetime(), *times.utc_datetime(), t1.utc_datetime()]]
        states = np.array([int(usable(t0)), *values])
        for bit, target in enumerate(BODIES):
            on = (states >> bit) & 1
            for k in np.flatnonzero(on & np.r_[1, 1 - on[:-1]]):  # each start of a run of 1s
                stop = k + np.argmin(np.r_[on[k:], 0])
                rows.append((name, target, edges[k], edges[stop]))
    return pd.DataFrame(rows, columns=["station", "target", "start", "end"])


KEY = ["station", "target", "start"]
BUILTIN_LIMIT_S = {"moon": 1.5, "venus": 1.5, "mars": 1.5, "jupiter": 4.0}  # rounded inward; Jupiter theory 20" off


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    return skyfield_view_periods().sort_values(KEY).reset_index(drop=True)


def ours(ephemeris: str) -> pd.DataFrame:
    text = scenario_text() + f"ephemeris: {ephemeris}\n"
    return compute_view_periods(load_scenario_text(text)).sort_values(KEY).reset_index(drop=True)


@pytest.fixture(scope="module")
def both(reference: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    return ours("de421"), reference


def edge_errors(found: pd.DataFrame, reference: pd.DataFrame) -> pd.Series:
    """Largest difference of start or end per view period, seconds (one to one)."""
    start = (found.start - reference.start).dt.total_seconds().abs()
    return np.maximum(start, (found.end - reference.end).dt.total_seconds().abs())


@pytest.mark.slow
def test_every_view_period_matches_skyfield_one_to_one(both: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    found, reference = both
    assert len(reference) > 150  # 6 sites x 4 targets x ~7 passes, minus never-risen pairs
    counts = found.groupby(["station", "target"]).size()
    expected = reference.groupby(["station", "target"]).size()
    assert counts.to_dict() == expected.to_dict()


@pytest.mark.slow
def test_every_edge_within_one_second_of_skyfield(both: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    found, reference = both
    assert len(found) == len(reference)
    worst = edge_errors(found, reference).max()
    print(f"largest edge difference from Skyfield: {worst:.3f} s over {2 * len(found)} edges")
    assert worst <= EDGE_LIMIT_S


def test_every_written_view_period_lies_inside_skyfields(both: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    """Edges are rounded inward, never to the nearest second: a track filling a written view
    period never leaves the real one (issue 28)."""
    found, reference = both
    early = (reference.start - found.start).dt.total_seconds()
    late = (found.end - reference.end).dt.total_seconds()
    print(f"furthest outside Skyfield's edges: start {early.max():.3f} s, end {late.max():.3f} s")
    assert early.max() <= INSIDE_S and late.max() <= INSIDE_S


def test_builtin_ephemeris_keeps_its_accuracy(reference: pd.DataFrame) -> None:
    """ERFA's theories instead of DE421: the same view periods, edges within a second for the
    Moon and inner planets and a few for Jupiter."""
    found = ours("builtin")
    assert found[KEY[:2]].equals(reference[KEY[:2]])
    worst = edge_errors(found, reference).groupby(found.target).max()
    assert (worst <= pd.Series(BUILTIN_LIMIT_S)[worst.index]).all(), worst.to_dict()

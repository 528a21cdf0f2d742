"""The validator sees every limit over the whole track (issue 28 §3): a horizon-mask notch between
its 10-minute looks, a dip of the elevation below the floor between looks, and, for a scenario
that gives its own view periods, those periods rather than astropy's sky."""

from pathlib import Path

import astropy.units as u
import numpy as np
import pandas as pd
import pytest
from astropy.coordinates import AltAz, EarthLocation, SkyCoord
from astropy.time import Time

from scheduler.check import validate_schedule
from scheduler.check.sampling import sample_instants
from scheduler.cli.app import app, run
from scheduler.inputs import load_scenario, load_scenario_text
from scheduler.inputs.schedule_file import checked_schedule
from tests.conftest import REPO

COLUMNS = "track_id,request_id,mission,agency,target,station,setup_start,start,end,teardown_end,group,bits,band"


def one_track(request: str, target: str, station: str, start: str, end: str) -> pd.DataFrame:
    values = ["T0001", request, "M", "X", target, station, start, start, end, end, "", "", ""]
    row = dict(zip(COLUMNS.split(","), values, strict=True))
    return checked_schedule(pd.DataFrame([row]))


NOTCH = """name: notch
start: 2026-12-01T00:00:00Z
end: 2026-12-02T00:00:00Z
stations:
  - {id: NOTCH, kind: radio, lat_deg: 40.0, lon_deg: 0.0, height_m: 100, min_elevation_deg: 5,
     horizon_mask: [[0, 5], [119.8, 5], [120, 60], [120.2, 5], [360, 5]]}
targets:
  - {id: star, ra_deg: 0.0, dec_deg: 0.0}
requests:
  - {id: S, mission: M, agency: X, target: star, priority: 1, duration: 1h}
"""


@pytest.mark.slow
def test_a_track_across_a_one_minute_mask_notch_is_caught() -> None:
    """The star crosses azimuth 120° about 16:07, where the mask rises to 60° for a minute; the
    looks at 15:40, 15:50 … 16:40 all fall outside the notch."""
    scenario = load_scenario_text(NOTCH)
    schedule = one_track("S", "star", "NOTCH", "2026-12-01T15:40:00Z", "2026-12-01T16:40:00Z")
    found = validate_schedule(scenario, schedule)
    assert [(v.track_id, v.rule) for v in found] == [("T0001", "target not visible")]
    floor = float(found[0].detail.split("< ")[1].split(" ")[0])
    assert floor > 50.0 and "at 2026-12-01T16:07" in found[0].detail  # inside the notch (60° at its corner)


def lower_culmination(location: EarthLocation, star: SkyCoord) -> tuple[pd.Timestamp, float]:
    """When a circumpolar star is lowest on 1 December 2026, and how high, to the second."""
    coarse = Time("2026-12-01T00:00:00") + np.arange(0, 86400, 60) * u.s
    heights = star.transform_to(AltAz(obstime=coarse, location=location, pressure=0 * u.hPa)).alt.deg
    fine = coarse[heights.argmin()] + np.arange(-90, 91) * u.s
    heights = star.transform_to(AltAz(obstime=fine, location=location, pressure=0 * u.hPa)).alt.deg
    return pd.Timestamp(fine[heights.argmin()].datetime, tz="UTC"), float(heights.min())


@pytest.mark.slow
def test_an_elevation_dip_between_looks_is_searched_to_its_lowest_point() -> None:
    """A star 39.9° north, seen from 60° N, is lowest (about 10.05°) once a day; with the floor
    0.013° above that, the track breaks the limit only within a few minutes of the lowest point,
    which lies halfway between two 10-minute looks, where the margin is still inside the 0.01°
    tolerance. The search for the dip's bottom finds it."""
    location = EarthLocation.from_geodetic(-4 * u.deg, 60 * u.deg, 100 * u.m, ellipsoid="WGS84")
    lowest, height = lower_culmination(location, SkyCoord(ra=0 * u.deg, dec=39.9 * u.deg))
    floor = round(height + 0.013, 4)
    scenario = load_scenario_text(
        f"name: dip\nstart: 2026-12-01T00:00:00Z\nend: 2026-12-02T00:00:00Z\n"
        f"stations:\n  - {{id: HIGH, kind: radio, lat_deg: 60.0, lon_deg: -4.0, height_m: 100, "
        f"min_elevation_deg: {floor}}}\n"
        "targets:\n  - {id: star, ra_deg: 0.0, dec_deg: 39.9}\n"
        "requests:\n  - {id: S, mission: M, agency: X, target: star, priority: 1, duration: 40m}\n"
    )
    start, end = lowest - pd.Timedelta(minutes=15), lowest + pd.Timedelta(minutes=25)
    looks = Time([t.tz_convert(None).to_datetime64() for t in sample_instants(start, end)])
    seen = SkyCoord(ra=0 * u.deg, dec=39.9 * u.deg).transform_to(AltAz(obstime=looks, location=location))
    assert (seen.alt.deg > floor - 0.01).all()  # the premise: no look alone breaks the limit
    schedule = one_track("S", "star", "HIGH", start.isoformat(), end.isoformat())
    found = validate_schedule(scenario, schedule)
    assert [(v.track_id, v.rule) for v in found] == [("T0001", "target not visible")]
    stamp = pd.Timestamp(found[0].detail.split(" at ")[1].split(" from ")[0])
    assert abs((stamp - lowest).total_seconds()) <= 60


@pytest.mark.slow
def test_a_plan_on_given_view_periods_is_judged_by_them(tmp_path: Path, capsys) -> None:
    """A SatNet week as a scenario: its targets are placeholders (RA 0, Dec 0) and its view periods
    come from the CSV. The validator once judged the placeholders with astropy, and let a track
    outside every given period pass."""
    week = REPO / "tests" / "data" / "satnet" / "tiny_week.json"
    scenario_file = tmp_path / "week.yaml"
    assert run(lambda: app(["satnet", "to-scenario", str(week), "--out", str(scenario_file)])) == 0
    out = tmp_path / "plan"
    assert run(lambda: app(["plan", str(scenario_file), "--out", str(out), "--quiet", "--time-limit", "5"])) == 0
    scenario = load_scenario(scenario_file)
    planned = pd.read_csv(out / "schedule.csv", dtype=str, keep_default_na=False)
    assert validate_schedule(scenario, checked_schedule(planned)) == []
    first = checked_schedule(planned).iloc[0]
    periods = scenario.view_periods
    assert periods is not None
    held = periods[(periods.target == first.target) & (periods.start <= first.start) & (periods.end >= first.end)]
    past = held.end.iloc[0] - first.end + pd.Timedelta(minutes=30)  # 30 min past the end of its period
    late = planned.copy()
    for column in ("setup_start", "start", "end", "teardown_end"):
        late.loc[0, column] = (pd.Timestamp(late.loc[0, column]) + past).isoformat()
    found = validate_schedule(scenario, checked_schedule(late))
    assert ("T0001", "target not visible") in [(v.track_id, v.rule) for v in found]
    assert "lies in no view period" in next(v.detail for v in found if v.rule == "target not visible")
    capsys.readouterr()


@pytest.mark.slow
def test_the_moon_passing_the_target_between_looks_is_caught() -> None:
    """A fixed target placed where the Moon stands, seen from the station, at its highest on
    1 December 2026: the Moon passes over it at 0.4° an hour, so 5 minutes either side it is
    already 0.034° away, clear of a 0.03° limit; the search for the dip between the looks finds
    the pass itself."""
    from astropy.coordinates import get_body, solar_system_ephemeris

    from scheduler.sky.ephemeris import DE421_PATH

    location = EarthLocation.from_geodetic(-4 * u.deg, 40 * u.deg, 800 * u.m, ellipsoid="WGS84")
    with solar_system_ephemeris.set(str(DE421_PATH)):
        times = Time("2026-12-01T00:00:00") + np.arange(0, 86400, 600) * u.s
        frame = AltAz(obstime=times, location=location, pressure=0 * u.hPa)
        highest = times[get_body("moon", times, location=location).transform_to(frame).alt.deg.argmax()]
        at = AltAz(obstime=highest, location=location, pressure=0 * u.hPa)
        moon = get_body("moon", highest, location=location).transform_to(at)
        star = SkyCoord(AltAz(alt=moon.alt, az=moon.az, obstime=highest, location=location, pressure=0 * u.hPa))
        star = star.transform_to("icrs")
    scenario = load_scenario_text(
        "name: moon-pass\nstart: 2026-12-01T00:00:00Z\nend: 2026-12-02T00:00:00Z\n"
        "stations:\n  - {id: MID, kind: radio, lat_deg: 40.0, lon_deg: -4.0, height_m: 800, "
        "min_moon_separation_deg: 0.03}\n"
        f"targets:\n  - {{id: star, ra_deg: {star.ra.deg:.6f}, dec_deg: {star.dec.deg:.6f}}}\n"
        "requests:\n  - {id: S, mission: M, agency: X, target: star, priority: 1, duration: 40m}\n"
    )
    passes = pd.Timestamp(highest.datetime, tz="UTC")
    start, end = passes - pd.Timedelta(minutes=15), passes + pd.Timedelta(minutes=25)
    found = validate_schedule(scenario, one_track("S", "star", "MID", start.isoformat(), end.isoformat()))
    assert [(v.track_id, v.rule) for v in found] == [("T0001", "too close to the Moon")]
    stamp = pd.Timestamp(found[0].detail.split(" at ")[1].split(" from ")[0])
    assert abs((stamp - passes).total_seconds()) <= 30

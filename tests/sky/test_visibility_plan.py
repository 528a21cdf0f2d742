"""A planned scenario with probes from CCSDS OEM files and an optical station: the schedule
respects every observing limit, and the independent validator sees it so and catches
tracks moved into daylight, towards the Sun or past a trajectory file's end."""

import astropy.units as u
import numpy as np
import pandas as pd
import pytest
from astropy.coordinates import AltAz, EarthLocation, get_body
from astropy.time import Time

from scheduler.check import validate_schedule
from scheduler.inputs import load_scenario_text
from scheduler.outputs.plan_outputs import PlanResult
from scheduler.solvers import SolverSettings
from scheduler.workflows.plan import run_plan
from tests.conftest import scenario


@pytest.fixture(scope="module")
def oem_plan() -> PlanResult:
    return run_plan(scenario("oem-optical"), SolverSettings(time_limit_s=5, workers=2, seed=0))


def sun_altitude(station, instants: pd.Series) -> np.ndarray:
    location = EarthLocation.from_geodetic(station.lon_deg * u.deg, station.lat_deg * u.deg, station.height_m * u.m)
    times = Time(pd.DatetimeIndex(instants).tz_convert(None).to_numpy(), scale="utc")
    return get_body("sun", times, location=location).transform_to(AltAz(obstime=times, location=location)).alt.deg


def test_oem_probes_and_the_optical_station_are_all_scheduled(oem_plan: PlanResult) -> None:
    schedule = oem_plan.schedule
    assert set(schedule.target) == {"L2T", "TLI", "ORBITER"}
    assert (schedule.station == "TEIDE-OGS").sum() == 4  # two one-hour tracks each of two nights
    assert set(schedule[schedule.station == "TEIDE-OGS"].target) == {"L2T"}


def test_oem_and_optical_plan_validates_clean(oem_plan: PlanResult) -> None:
    assert validate_schedule(oem_plan.scenario, oem_plan.schedule) == []


def test_optical_tracks_are_only_at_night(oem_plan: PlanResult) -> None:
    optical = oem_plan.schedule[oem_plan.schedule.station == "TEIDE-OGS"]
    instants = pd.concat([optical.start, optical.end, optical.start + (optical.end - optical.start) / 2])
    assert np.all(sun_altitude(oem_plan.scenario.station("TEIDE-OGS"), instants) <= -12.0 + 0.002)


def test_no_time_on_target_during_downtime_or_past_the_trajectory(oem_plan: PlanResult) -> None:
    schedule = oem_plan.schedule
    dss43 = schedule[schedule.station == "DSS-43"]
    down_from, down_to = pd.Timestamp("2026-12-07T02:00:00Z"), pd.Timestamp("2026-12-07T08:00:00Z")
    assert not ((dss43.start < down_to) & (dss43.end > down_from)).any()
    orbiter_end = pd.Timestamp(Time("2026-12-08T00:00:00", scale="tdb").utc.datetime, tz="UTC")
    assert (schedule[schedule.target == "ORBITER"].end <= orbiter_end).all()


def test_validator_catches_a_track_moved_into_daylight(oem_plan: PlanResult) -> None:
    schedule = oem_plan.schedule.copy()
    row = schedule.index[schedule.station == "TEIDE-OGS"][0]
    shift = pd.Timedelta(hours=12)
    for column in ("setup_start", "start", "end", "teardown_end"):
        schedule.loc[row, column] = schedule.loc[row, column] + shift
    rules = {v.rule for v in validate_schedule(oem_plan.scenario, schedule) if v.track_id == schedule.track_id[row]}
    assert "not dark" in rules


def test_validator_catches_a_track_past_the_end_of_its_trajectory(oem_plan: PlanResult) -> None:
    schedule = oem_plan.schedule.copy()
    row = schedule.index[schedule.target == "ORBITER"][0]
    moved = pd.Timestamp("2026-12-08T12:00:00Z") - schedule.loc[row, "start"]
    for column in ("setup_start", "start", "end", "teardown_end"):
        schedule.loc[row, column] = schedule.loc[row, column] + moved
    rules = {v.rule for v in validate_schedule(oem_plan.scenario, schedule) if v.track_id == schedule.track_id[row]}
    assert "outside trajectory" in rules


def test_validator_catches_a_radio_track_towards_the_sun() -> None:
    plan = load_scenario_text(
        "name: sun-track\nstart: 2026-12-07T00:00:00Z\nend: 2026-12-08T00:00:00Z\n"
        "stations: [{id: GDS, kind: radio, lat_deg: 35.4259, lon_deg: -116.8895, height_m: 1001}]\n"
        "targets: [{id: sun, body: sun}]\n"
        "requests: [{id: R, mission: SOLAR, target: sun, duration: 1h}]\n"
    )
    noon, hour = pd.Timestamp("2026-12-07T19:30:00Z"), pd.Timedelta(hours=1)
    track = {"track_id": "T0001", "request_id": "R", "mission": "SOLAR", "agency": "OTHER", "target": "sun"}
    times = {"setup_start": noon, "start": noon, "end": noon + hour, "teardown_end": noon + hour}
    schedule = pd.DataFrame([{**track, "station": "GDS", **times, "group": ""}])
    violations = validate_schedule(plan, schedule)
    assert [v.rule for v in violations] == ["too close to the Sun"]
    assert "Sun–target angle 0.000 deg < 3.000" in violations[0].detail

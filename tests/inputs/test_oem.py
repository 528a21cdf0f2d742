"""Probe trajectories from CCSDS OEM files: reading, interpolation, frames, time systems,
and the apparent direction checked against an independent route (the `oem` library's own
interpolation and astropy's own AltAz transformation)."""

from datetime import UTC, datetime
from pathlib import Path

import astropy.units as u
import erfa
import numpy as np
import pandas as pd
import pytest
from astropy.coordinates import (
    FK5,
    ICRS,
    AltAz,
    CartesianRepresentation,
    EarthLocation,
    SkyCoord,
    get_body_barycentric,
    solar_system_ephemeris,
)
from astropy.time import Time
from oem import OrbitEphemerisMessage

from scheduler.errors import InputError
from scheduler.inputs import load_scenario, load_scenario_text
from scheduler.inputs.trajectory import read_oem
from scheduler.sky.ephemeris import DE421_PATH, Ephemerides
from scheduler.sky.geometry import Sites
from scheduler.sky.scene import Scene, Sky
from scheduler.sky.visibility import compute_view_periods
from stations.model import Station
from tests.conftest import HERE

OEM = HERE / "data" / "oem"
EPOCH = datetime(2026, 12, 7, tzinfo=UTC)
FILES = {  # file: (centre, points per window, time system)
    "lunar-transfer.oem": ("earth", 8, "UTC"),
    "lunar-transfer.xml": ("earth", 8, "TT"),
    "lunar-orbiter.xml": ("moon", 3, "TDB"),
    "l2-transfer.oem": ("earth", 4, "GPS"),
    "mars-cruise.oem": ("sun", 6, "TDB"),
}


def library_state(message: OrbitEphemerisMessage, seconds: float) -> np.ndarray:
    """The `oem` library's own interpolated position, in ICRF axes."""
    segment = next(s for s in message.segments if s.metadata["TIME_SYSTEM"])
    instant = Time(EPOCH) + seconds * u.s
    if segment.metadata["TIME_SYSTEM"] == "GPS":
        return None  # the library cannot interpolate GPS epochs (it falls back to datetimes)
    position = message(instant).position
    if segment.metadata["REF_FRAME"] == "EME2000":
        bias, _, _ = erfa.bp00(2451545.0, 0.0)
        position = bias.T @ position
    return position


@pytest.mark.parametrize("name", sorted(FILES))
def test_file_metadata_sets_centre_window_and_time_system(name: str) -> None:
    centre, points, _ = FILES[name]
    trajectory = read_oem(OEM / name, EPOCH)
    assert trajectory.center == centre
    assert {s.points for s in trajectory.segments} == {points}


@pytest.mark.parametrize("name", [n for n in sorted(FILES) if FILES[n][2] != "GPS"])
def test_interpolation_matches_the_oem_library(name: str) -> None:
    trajectory = read_oem(OEM / name, EPOCH)
    message = OrbitEphemerisMessage.open(OEM / name)
    rng = np.random.default_rng(7)
    instants = np.concatenate([rng.uniform(s.start_s, s.stop_s, 6) for s in trajectory.segments])
    ours = trajectory.position_km(instants)
    theirs = np.array([library_state(message, t) for t in instants])
    scale = np.linalg.norm(theirs, axis=1)
    assert np.all(
        np.linalg.norm(ours - theirs, axis=1) < 1e-3 + 1e-10 * scale
    )  # 1 m, or the library's rounding far out


def test_interpolation_degree_is_the_files(tmp_path: Path) -> None:
    """Degree 1 (two states) differs from degree 7 (eight) between states, and equals the
    straight line between neighbours."""
    text = (OEM / "lunar-transfer.oem").read_text()
    linear = tmp_path / "linear.oem"
    linear.write_text(text.replace("INTERPOLATION_DEGREE = 7", "INTERPOLATION_DEGREE = 1"))
    precise, coarse = read_oem(OEM / "lunar-transfer.oem", EPOCH), read_oem(linear, EPOCH)
    segment = coarse.segments[1]
    middle = 0.5 * (segment.seconds[10] + segment.seconds[11])
    line = 0.5 * (segment.position_km[10] + segment.position_km[11])
    np.testing.assert_allclose(coarse.position_km(np.array([middle]))[0], line, atol=1e-6)
    assert np.linalg.norm(precise.position_km(np.array([middle]))[0] - line) > 1.0


def test_states_are_hit_exactly_at_their_epochs() -> None:
    for name in FILES:
        trajectory = read_oem(OEM / name, EPOCH)
        for segment in trajectory.segments:
            np.testing.assert_allclose(segment.position_at(segment.seconds[3:9]), segment.position_km[3:9], atol=1e-6)


def test_time_systems_place_the_same_states_at_the_same_instants() -> None:
    utc = read_oem(OEM / "lunar-transfer.oem", EPOCH)
    tt = read_oem(OEM / "lunar-transfer.xml", EPOCH)
    for a, b in zip(utc.segments, tt.segments, strict=True):
        np.testing.assert_allclose(a.seconds, b.seconds, atol=1e-3)  # epochs written to the millisecond
    gps = read_oem(OEM / "l2-transfer.oem", EPOCH)
    assert gps.segments[0].seconds[0] == pytest.approx(0.0, abs=1e-6)  # 00:00:18 GPS = 00:00:00 UTC


def independent_altaz(name: str, station: Station, instants: np.ndarray) -> SkyCoord:
    """The probe's apparent topocentric direction by astropy's AltAz from the `oem` library's
    states (light time to first order in velocity), sharing no code with the engine."""
    message = OrbitEphemerisMessage.open(OEM / name)
    meta = message.segments[0].metadata
    times = Time(EPOCH) + instants * u.s
    states = [message(t) for t in times]
    position = np.array([s.position for s in states]) * u.km
    velocity = np.array([s.velocity for s in states]) * u.km / u.s
    if meta["REF_FRAME"] == "EME2000":
        matrix = FK5(CartesianRepresentation(np.eye(3) * u.km), equinox="J2000").transform_to(ICRS())
        position, velocity = position @ matrix.cartesian.xyz.value.T, velocity @ matrix.cartesian.xyz.value.T
    location = EarthLocation.from_geodetic(station.lon_deg * u.deg, station.lat_deg * u.deg, station.height_m * u.m)
    with solar_system_ephemeris.set(str(DE421_PATH)):
        centre = get_body_barycentric(str(meta["CENTER_NAME"]).lower(), times).xyz.to(u.km).T
        gcrs, _ = location.get_gcrs_posvel(times)
        observer = get_body_barycentric("earth", times).xyz.to(u.km).T + gcrs.xyz.to(u.km).T
        light = np.linalg.norm(centre + position - observer, axis=1) / (299792.458 * u.km / u.s)
        emitted = get_body_barycentric(str(meta["CENTER_NAME"]).lower(), times - light).xyz.to(u.km).T
        probe = SkyCoord(ICRS(CartesianRepresentation((emitted + position - velocity * light[:, None]).T)))
        return probe.transform_to(AltAz(obstime=times, location=location))


@pytest.mark.parametrize("name", ["lunar-transfer.oem", "lunar-orbiter.xml", "mars-cruise.oem"])
def test_apparent_direction_agrees_with_astropy_altaz(name: str) -> None:
    """Earth-, Moon- and Sun-centred; UTC and TDB; ICRF and EME2000; Lagrange and Hermite."""
    station = Station(id="S", kind="radio", lat_deg=-35.4, lon_deg=148.98, height_m=690.0)
    trajectory = read_oem(OEM / name, EPOCH)
    low, high = max(trajectory.coverage[0][0], 0.0), min(trajectory.coverage[-1][1], 86400.0)
    instants = np.linspace(low + 600.0, high - 600.0, 7)
    ephemerides = Ephemerides(EPOCH, 86400.0, "de421")
    scene = Scene(Sites.from_stations([station]), ephemerides)
    sky = Sky(scene, ephemerides.probe("P", trajectory), instants, np.zeros(instants.size, int))
    truth = independent_altaz(name, station, instants)
    ours = SkyCoord(AltAz(alt=sky.elevation_deg * u.deg, az=sky.azimuth_deg * u.deg))
    reference = SkyCoord(AltAz(alt=truth.alt, az=truth.az))
    # 0.3 arcsec: the reference takes EME2000 as astropy's FK5, 0.026 arcsec off the IERS frame
    # bias; for the heliocentric cruiser that grows by heliocentric / geocentric distance (~8)
    assert ours.separation(reference).arcsec.max() < 0.3


def test_kvn_and_xml_of_one_trajectory_give_the_same_view_periods() -> None:
    text = f"""
name: kvn-xml
start: 2026-12-07T00:00:00Z
end: 2026-12-09T00:00:00Z
stations: [DSS-14, DSS-43, DSS-63]
targets:
  - {{id: KVN, oem: {OEM / "lunar-transfer.oem"}}}
  - {{id: XML, oem: {OEM / "lunar-transfer.xml"}}}
"""
    periods = compute_view_periods(load_scenario_text(text))
    kvn = periods[periods.target == "KVN"].drop(columns="target").reset_index(drop=True)
    xml = periods[periods.target == "XML"].drop(columns="target").reset_index(drop=True)
    assert len(kvn) >= 6
    pd.testing.assert_frame_equal(kvn, xml, check_exact=False, atol=0.002)


def test_view_periods_end_where_the_trajectory_file_ends() -> None:
    """The lunar orbiter's file covers 2026-12-07 00:00 to 2026-12-08 00:00 TDB only."""
    scenario = load_scenario(HERE / "scenarios" / "oem-optical.yaml")
    periods = compute_view_periods(scenario)
    orbiter = periods[periods.target == "ORBITER"]
    stop = pd.Timestamp(Time("2026-12-08T00:00:00", scale="tdb").utc.datetime, tz="UTC").floor("s")  # inward
    assert len(orbiter) > 0
    assert orbiter.end.max() == stop
    assert (orbiter.start < stop).all()


def test_moon_centred_orbiter_stays_within_its_orbit_of_the_moon() -> None:
    station = Station(id="S", kind="radio", lat_deg=40.43, lon_deg=-4.25, height_m=865.0)
    ephemerides = Ephemerides(EPOCH, 86400.0, "de421")
    scene = Scene(Sites.from_stations([station]), ephemerides)
    instants = np.linspace(3600.0, 80000.0, 9)
    orbiter = ephemerides.probe("P", read_oem(OEM / "lunar-orbiter.xml", EPOCH))
    probe = Sky(scene, orbiter, instants, np.zeros(9, int)).target_km
    moon = Sky(scene, ephemerides.body("moon"), instants, np.zeros(9, int)).target_km
    offset = np.linalg.norm(probe - moon, axis=1)
    assert np.all(np.abs(offset - 1837.4) < 25.0)  # a 100 km circular orbit, perturbed


def scenario_with(target_line: str, tmp_path: Path) -> str:
    return f"""
name: bad-oem
start: 2026-12-07T00:00:00Z
end: 2026-12-08T00:00:00Z
stations: [DSS-14]
targets:
  - {{id: moon, body: moon}}
  - {target_line}
"""


def test_missing_oem_file_is_an_input_error_naming_the_field(tmp_path: Path) -> None:
    with pytest.raises(InputError) as error:
        load_scenario_text(scenario_with(f"{{id: PROBE, oem: {tmp_path / 'nowhere.oem'}}}", tmp_path))
    assert error.value.field == "targets[1] (PROBE).oem"
    assert "no such file" in error.value.problem


def test_corrupt_oem_file_is_an_input_error_naming_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "bad.oem"
    bad.write_text("CCSDS_OEM_VERS = 2.0\nthis is not an ephemeris\n")
    with pytest.raises(InputError) as error:
        load_scenario_text(scenario_with(f"{{id: PROBE, oem: {bad}}}", tmp_path))
    assert error.value.field == "targets[1] (PROBE).oem"
    assert "not a readable CCSDS OEM" in error.value.problem


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ("REF_FRAME = EME2000", "REF_FRAME = ITRF", "REF_FRAME 'ITRF' is not supported"),
        ("CENTER_NAME = EARTH", "CENTER_NAME = PHOBOS", "CENTER_NAME 'PHOBOS' is not supported"),
        ("TIME_SYSTEM = UTC", "TIME_SYSTEM = MET", "TIME_SYSTEM 'MET' is not supported"),
        ("INTERPOLATION = LAGRANGE", "INTERPOLATION = SPLINE", "INTERPOLATION 'SPLINE' is not supported"),
    ],
)
def test_unsupported_metadata_is_an_input_error_with_a_fix(tmp_path: Path, old: str, new: str, said: str) -> None:
    bad = tmp_path / "odd.oem"
    bad.write_text((OEM / "lunar-transfer.oem").read_text().replace(old, new))
    with pytest.raises(InputError) as error:
        load_scenario_text(scenario_with(f"{{id: PROBE, oem: {bad}}}", tmp_path))
    assert said in error.value.problem
    assert error.value.fix


def test_trajectory_outside_the_horizon_is_an_input_error(tmp_path: Path) -> None:
    text = scenario_with(f"{{id: PROBE, oem: {OEM / 'lunar-transfer.oem'}}}", tmp_path)
    with pytest.raises(InputError) as error:
        load_scenario_text(text.replace("2026-12-07T00", "2027-01-07T00").replace("2026-12-08T00", "2027-01-08T00"))
    assert "outside the planning horizon" in error.value.problem

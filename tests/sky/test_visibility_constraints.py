"""Each observing limit shapes view periods as it should, checked at the edges with astropy's
own AltAz transformation: Sun–Earth–Probe angle, darkness, Moon separation (topocentric),
downtime, and windows or gaps shorter than the search's scan step."""

import astropy.units as u
import numpy as np
import pandas as pd
import pytest
from astropy.coordinates import AltAz, EarthLocation, SkyCoord, get_body
from astropy.time import Time

from scheduler.inputs import Scenario, load_scenario_text
from scheduler.sky import visibility
from scheduler.sky.visibility import SCAN_STEP_S, compute_view_periods

GOLDSTONE = "lat_deg: 35.4259, lon_deg: -116.8895, height_m: 1001"


def scenario(stations: list[str], targets: list[str], start: str, end: str, extra: str = "") -> Scenario:
    text = f"name: limits\nstart: {start}\nend: {end}\nstations:\n"
    text += "".join(f"  - {{{s}}}\n" for s in stations) + "targets:\n" + "".join(f"  - {{{t}}}\n" for t in targets)
    return load_scenario_text(text + extra)


def frame(scenario: Scenario, station_id: str, instants: pd.Series) -> AltAz:
    station = scenario.station(station_id)
    location = EarthLocation.from_geodetic(station.lon_deg * u.deg, station.lat_deg * u.deg, station.height_m * u.m)
    times = Time(pd.DatetimeIndex(instants).tz_convert(None).to_numpy(), scale="utc")
    return AltAz(obstime=times, location=location)


def seen(scenario: Scenario, station_id: str, instants: pd.Series, what: str | SkyCoord) -> SkyCoord:
    altaz = frame(scenario, station_id, instants)
    body = get_body(what, altaz.obstime, location=altaz.location) if isinstance(what, str) else what
    return body.transform_to(altaz)


def edges(periods: pd.DataFrame, scenario: Scenario) -> pd.Series:
    """Start and end instants that are not the horizon's own ends."""
    instants = pd.concat([periods.start, periods.end])
    return instants[(instants > pd.Timestamp(scenario.start)) & (instants < pd.Timestamp(scenario.end))]


def test_radio_never_points_at_the_sun_but_may_without_the_limit() -> None:
    plan = scenario(
        [f"id: LIMITED, kind: radio, {GOLDSTONE}", f"id: FREE, kind: radio, {GOLDSTONE}, min_sun_separation_deg: 0"],
        ["id: sun, body: sun"],
        "2026-12-07T00:00:00Z",
        "2026-12-09T00:00:00Z",
    )
    periods = compute_view_periods(plan)
    assert set(periods.station) == {"FREE"}
    assert len(periods) == 2  # one daytime pass a day


def seen_at(plan: Scenario, periods: pd.DataFrame, star: SkyCoord, body: str, middles: bool = False) -> pd.DataFrame:
    """At each inner edge (or the middle) of each view period: the star's height above the
    station's minimum elevation and its angle from `body`, both seen from the station."""
    found = []
    for station_id, rows in periods.groupby("station"):
        instants = rows.start + (rows.end - rows.start) / 2 if middles else edges(rows, plan)
        target_seen = seen(plan, station_id, instants, star)
        angle = target_seen.separation(seen(plan, station_id, instants, body)).deg
        height = target_seen.alt.deg - plan.station(station_id).min_elevation_deg
        found.append(pd.DataFrame({"instant": instants.to_numpy(), "height": height, "angle": angle}))
    return pd.concat(found, ignore_index=True)


def test_sun_earth_probe_limit_cuts_view_periods_where_the_angle_is_the_limit() -> None:
    """A fixed direction 4 deg ahead of the Sun on the ecliptic: the Sun closes in by about a
    degree a day, so the angle drops through 3 deg within the horizon."""
    sun = get_body("sun", Time("2026-12-07T00:00:00"))  # geocentric apparent RA and Dec
    target = f"id: NEAR-SUN, ra_deg: {sun.ra.deg + 4.3:.4f}, dec_deg: {sun.dec.deg - 0.3:.4f}"
    stations = [
        f"id: GDS, kind: radio, {GOLDSTONE}",
        "id: CBR, kind: radio, lat_deg: -35.40, lon_deg: 148.98, height_m: 690",
    ]
    plan = scenario(stations, [target], "2026-12-07T00:00:00Z", "2026-12-10T00:00:00Z")
    periods = compute_view_periods(plan)
    star = SkyCoord(ra=plan.targets[0].ra_deg * u.deg, dec=plan.targets[0].dec_deg * u.deg)
    at_edges = seen_at(plan, periods, star, "sun")
    sun_limited = at_edges.height > 0.01  # not where the star rises or sets
    assert sun_limited.sum() >= 1
    np.testing.assert_allclose(at_edges.angle[sun_limited], 3.0, atol=0.002)
    assert (seen_at(plan, periods, star, "sun", middles=True).angle > 3.0).all()


def test_optical_view_periods_are_the_nights_from_twilight_to_twilight() -> None:
    """A star 85 deg north stays 23 to 33 deg high at Teide: only darkness limits it."""
    plan = scenario(
        ["id: TEIDE, kind: optical, lat_deg: 28.2995, lon_deg: -16.5117, height_m: 2393, min_elevation_deg: 20"],
        ["id: NORTH, ra_deg: 90.0, dec_deg: 85.0"],
        "2026-12-07T00:00:00Z",
        "2026-12-09T00:00:00Z",
    )
    periods = compute_view_periods(plan)
    assert len(periods) == 3  # night, night, evening
    instants = pd.concat([periods.start, periods.end, periods.start + (periods.end - periods.start) / 2])
    assert np.all(seen(plan, "TEIDE", instants, "sun").alt.deg <= -12.0 + 0.002)
    at_edges = seen(plan, "TEIDE", edges(periods, plan), "sun").alt.deg
    assert len(at_edges) == 4
    # nautical twilight, the optical default; edges are rounded inward, up to a second into the night
    assert np.all(at_edges <= -12.0 + 0.002)
    np.testing.assert_allclose(at_edges, -12.0, atol=0.005)


def test_moon_separation_is_measured_from_the_station() -> None:
    """A fixed direction 2 deg from the Moon's path: the topocentric Moon passes it at a
    different time than the geocentric one, and the edges follow the topocentric angle."""
    moon = get_body("moon", Time("2026-12-08T00:00:00"))
    target = f"id: NEAR-MOON, ra_deg: {moon.ra.deg:.4f}, dec_deg: {moon.dec.deg + 2.0:.4f}"
    limits = "min_sun_separation_deg: 0, min_moon_separation_deg: 6"
    stations = [
        f"id: GDS, kind: radio, {GOLDSTONE}, {limits}",
        f"id: CBR, kind: radio, lat_deg: -35.40, lon_deg: 148.98, height_m: 690, {limits}",
        f"id: MAD, kind: radio, lat_deg: 40.43, lon_deg: -4.25, height_m: 865, {limits}",
    ]
    plan = scenario(stations, [target], "2026-12-07T00:00:00Z", "2026-12-09T00:00:00Z")
    periods = compute_view_periods(plan)
    star = SkyCoord(ra=plan.targets[0].ra_deg * u.deg, dec=plan.targets[0].dec_deg * u.deg)
    at_edges = seen_at(plan, periods, star, "moon")
    moon_limited = at_edges[at_edges.height > 0.01]  # not where the star rises or sets
    assert len(moon_limited) >= 2
    np.testing.assert_allclose(moon_limited.angle, 6.0, atol=0.003)
    moon = get_body("moon", Time(pd.DatetimeIndex(moon_limited.instant).tz_convert(None).to_numpy()))
    geocentric = star.transform_to(moon.frame).separation(moon).deg
    assert np.all(np.abs(geocentric - 6.0) > 0.1)  # the geocentric angle would put the edges elsewhere


def test_downtime_cuts_view_periods_at_its_exact_edges() -> None:
    plan = scenario(
        [f"id: A, kind: radio, {GOLDSTONE}", f"id: B, kind: radio, {GOLDSTONE}"],
        ["id: pole, ra_deg: 0.0, dec_deg: 89.999"],
        "2026-12-01T00:00:00Z",
        "2026-12-01T12:00:00Z",
        "downtime:\n"
        "  - {station: A, start: 2026-12-01T03:00:00Z, end: 2026-12-01T05:00:00Z}\n"
        "  - {station: A, start: 2026-12-01T04:30:00Z, end: 2026-12-01T06:15:30Z}\n"
        "  - {station: A, start: 2026-12-01T09:00:00Z, end: 2026-12-01T09:00:40Z}\n",
    )
    periods = compute_view_periods(plan)
    on_a = periods[periods.station == "A"]
    stamp = pd.Timestamp
    assert list(zip(on_a.start, on_a.end, strict=True)) == [
        (stamp("2026-12-01T00:00:00Z"), stamp("2026-12-01T03:00:00Z")),
        (stamp("2026-12-01T06:15:30Z"), stamp("2026-12-01T09:00:00Z")),
        (stamp("2026-12-01T09:00:40Z"), stamp("2026-12-01T12:00:00Z")),
    ]
    assert len(periods[periods.station == "B"]) == 1  # downtime is per station


def test_a_target_culminating_during_downtime_has_no_view_period_there() -> None:
    """Between samples inside downtime the elevation margin peaks above zero; the station
    still stays unusable until the downtime ends."""
    stars = [f"id: S{k}, ra_deg: {ra}, dec_deg: {dec}" for k, (ra, dec) in enumerate([(0, 10), (90, 40), (200, -20)])]
    plan = scenario(
        [f"id: A, kind: radio, {GOLDSTONE}"],
        stars,
        "2026-12-07T00:00:00Z",
        "2026-12-09T00:00:00Z",
        "downtime:\n  - {station: A, start: 2026-12-07T06:00:00Z, end: 2026-12-08T06:00:00Z}\n",
    )
    periods = compute_view_periods(plan)
    assert set(periods.target) == {"S0", "S1", "S2"}
    down_from, down_to = pd.Timestamp("2026-12-07T06:00:00Z"), pd.Timestamp("2026-12-08T06:00:00Z")
    assert not ((periods.start < down_to) & (periods.end > down_from)).any()


def fine_truth(plan: Scenario, station_id: str, star: SkyCoord, around: str, floor) -> list[tuple[float, float]]:
    """Usable spans (seconds from the start) on a quarter-second grid of astropy elevations."""
    seconds = (pd.Timestamp(around) - pd.Timestamp(plan.start)).total_seconds() + np.arange(-900.0, 900.0, 0.25)
    instants = pd.Series(pd.Timestamp(plan.start) + pd.to_timedelta(seconds, unit="s"))
    altaz = seen(plan, station_id, instants, star)
    ok = altaz.alt.deg >= floor(altaz.az.deg)
    flips = np.flatnonzero(np.diff(ok.astype(int)))
    return [(seconds[k], seconds[k + 1]) for k in flips]


def transit(plan: Scenario, station_id: str, star: SkyCoord) -> tuple[str, float]:
    """Instant and apparent elevation of the star's culmination: a one-minute grid, then a
    tenth of a second around its best."""
    seconds = np.arange(0.0, 86400.0, 60.0)
    for _ in range(2):
        instants = pd.Series(pd.Timestamp(plan.start) + pd.to_timedelta(seconds, unit="s"))
        altitude = seen(plan, station_id, instants, star).alt.deg
        best = int(np.argmax(altitude))
        seconds = seconds[best] + np.arange(-90.0, 90.0, 0.1)
    return str(instants.iloc[best]), float(altitude[best])


STATION = "id: S, kind: radio, lat_deg: 40.0, lon_deg: -4.0, height_m: 800, min_sun_separation_deg: 0"
STAR = "id: STAR, ra_deg: 150.0, dec_deg: 0.0"


@pytest.fixture(scope="module")
def culmination() -> tuple[str, float, str, str]:
    """The star's culmination (instant, elevation) and a horizon that puts it midway between
    two instants of the scan grid, where sampling alone would miss what happens there."""
    probe = scenario([STATION], [STAR], "2026-12-07T00:00:00Z", "2026-12-08T00:00:00Z")
    when, highest = transit(probe, "S", SkyCoord(ra=150.0 * u.deg, dec=0.0 * u.deg))
    start = pd.Timestamp(when) - pd.Timedelta(seconds=180.5 * SCAN_STEP_S)
    return when, highest, start.isoformat(), (start + pd.Timedelta(hours=12)).isoformat()


def test_grazing_pass_shorter_than_the_scan_step_is_found(culmination: tuple[str, float, str, str]) -> None:
    when, highest, start, end = culmination
    floor_deg = highest - 0.00002  # a pass of about 20 s at the top of the star's arc
    plan = scenario([f"{STATION}, min_elevation_deg: {floor_deg:.7f}"], [STAR], start, end)
    periods = compute_view_periods(plan)
    star = SkyCoord(ra=150.0 * u.deg, dec=0.0 * u.deg)
    rise, set_ = fine_truth(plan, "S", star, when, lambda az: np.full(az.shape, floor_deg))
    assert len(periods) == 1
    length = (periods.end.iloc[0] - periods.start.iloc[0]).total_seconds()
    assert 10.0 < length < 40.0
    start_s = (periods.start.iloc[0] - pd.Timestamp(plan.start)).total_seconds()
    end_s = (periods.end.iloc[0] - pd.Timestamp(plan.start)).total_seconds()
    assert abs(start_s - rise[1]) <= 1.0 and abs(end_s - set_[1]) <= 1.0


def test_gap_shorter_than_the_scan_step_is_found(culmination: tuple[str, float, str, str]) -> None:
    """A mast in the horizon mask due south, 5 deg higher than the star's culmination: the
    star disappears behind it for about half a minute."""
    when, highest, start, end = culmination
    mask = [[179.0, 10.0], [180.0, highest + 5.0], [181.0, 10.0]]
    plan = scenario([f"{STATION}, horizon_mask: {mask}"], [STAR], start, end)
    periods = compute_view_periods(plan)
    assert len(periods) == 2
    hidden_from = (periods.end.iloc[0] - pd.Timestamp(plan.start)).total_seconds()
    hidden_to = (periods.start.iloc[1] - pd.Timestamp(plan.start)).total_seconds()
    assert 10.0 < hidden_to - hidden_from < SCAN_STEP_S
    star = SkyCoord(ra=150.0 * u.deg, dec=0.0 * u.deg)
    flips = fine_truth(plan, "S", star, when, plan.stations[0].mask_elevation_deg)
    assert abs(hidden_from - flips[0][1]) <= 1.0 and abs(hidden_to - flips[1][1]) <= 1.0


def test_a_target_named_like_a_body_is_not_mistaken_for_it() -> None:
    """A fixed direction with the id `moon`, 20 deg from the Moon, keeps its own limits."""
    limits = "min_sun_separation_deg: 0, min_moon_separation_deg: 30"
    stations = [f"id: GDS, kind: radio, {GOLDSTONE}, {limits}"]
    direction = "ra_deg: 150.0, dec_deg: 10.0"
    span = ("2026-12-07T00:00:00Z", "2026-12-08T00:00:00Z")
    named = compute_view_periods(scenario(stations, [f"id: moon, {direction}"], *span))
    plain = compute_view_periods(scenario(stations, [f"id: STAR, {direction}"], *span))
    assert len(plain) >= 1
    pd.testing.assert_frame_equal(named.drop(columns="target"), plain.drop(columns="target"))


def test_view_periods_do_not_depend_on_how_stations_are_chunked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Memory is bounded by scanning stations in chunks; one station per chunk changes nothing."""
    stations = [
        f"id: GDS, kind: radio, {GOLDSTONE}, horizon_mask: [[0, 12], [180, 20]]",
        "id: CBR, kind: radio, lat_deg: -35.40, lon_deg: 148.98, height_m: 690",
        "id: TEIDE, kind: optical, lat_deg: 28.2995, lon_deg: -16.5117, height_m: 2393",
    ]
    targets = ["id: moon, body: moon", "id: sun, body: sun", "id: STAR, ra_deg: 150.0, dec_deg: 10.0"]
    plan = scenario(stations, targets, "2026-12-07T00:00:00Z", "2026-12-09T00:00:00Z")
    together = compute_view_periods(plan)
    monkeypatch.setattr(visibility, "SCAN_SAMPLES", 1)
    pd.testing.assert_frame_equal(compute_view_periods(plan), together)
    assert set(together.station) == {"GDS", "CBR", "TEIDE"}

"""Visibility re-checked with astropy's own AltAz transformation (no code shared with
the visibility engine): elevation at start, middle, end and every 10 minutes of each track."""

import astropy.units as u
import numpy as np
import pandas as pd
from astropy.coordinates import AltAz, EarthLocation, SkyCoord, get_body
from astropy.time import Time

from scheduler.scenario import RequestSpec, Scenario
from scheduler.timeutil import format_time
from scheduler.validate.violation import Violation, seconds_between

ELEVATION_TOLERANCE_DEG = 0.01
SAMPLE_SPACING_S = 600.0


def sample_instants(start: pd.Timestamp, end: pd.Timestamp) -> list[pd.Timestamp]:
    """Start, end, middle and points every SAMPLE_SPACING_S in between."""
    span = seconds_between(start, end)
    count = max(2, int(np.ceil(span / SAMPLE_SPACING_S)) + 1)
    offsets = np.unique(np.append(np.linspace(0.0, span, count), span / 2))
    return [start + pd.Timedelta(seconds=float(x)) for x in offsets]


def check_elevation(scenario: Scenario, requests: dict[str, RequestSpec], rows: pd.DataFrame) -> list[Violation]:
    found = []
    for target_id, group in rows.groupby(rows.request_id.map(lambda r: requests[r].target)):
        target = scenario.target(target_id)
        samples = [
            (row.track_id, row.station, t) for row in group.itertuples() for t in sample_instants(row.start, row.end)
        ]
        times = Time(pd.DatetimeIndex([t for _, _, t in samples]).tz_convert(None).to_numpy(), scale="utc")
        stations = [scenario.station(s) for _, s, _ in samples]
        location = EarthLocation.from_geodetic(
            [s.lon_deg for s in stations] * u.deg,
            [s.lat_deg for s in stations] * u.deg,
            [s.height_m for s in stations] * u.m,
            ellipsoid="WGS84",
        )
        if target.body is not None:
            sky = get_body(target.body, times, location=location)
        else:
            sky = SkyCoord(ra=target.ra_deg * u.deg, dec=target.dec_deg * u.deg, frame="icrs")
        pressure = 1010 * u.hPa if scenario.spec.refraction else 0 * u.hPa
        altaz = sky.transform_to(
            AltAz(
                obstime=times,
                location=location,
                pressure=pressure,
                temperature=10 * u.deg_C,
                relative_humidity=0,
                obswl=1 * u.m,
            )
        )
        elevation = altaz.alt.deg
        floor = np.array([s.mask_elevation_deg(np.array(az)) for s, az in zip(stations, altaz.az.deg, strict=True)])
        reported: set[str] = set()
        for (track_id, station_id, instant), el, low in zip(samples, elevation, floor, strict=True):
            if el + ELEVATION_TOLERANCE_DEG < low and track_id not in reported:
                reported.add(track_id)
                found.append(
                    Violation(
                        track_id,
                        "target not visible",
                        f"elevation {el:.3f} deg < {low:.3f} at {format_time(instant)} from {station_id}",
                    )
                )
    return found

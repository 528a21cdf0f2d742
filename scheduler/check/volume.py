"""Data volumes re-computed independently: each track's bits from astropy's range and elevation
and a link budget of our own, in linear units, checked against the schedule's `bits` column.

The rule is the one docs/design.md states: on the resolution grid, each slot carries the highest
selectable rate that closes at both of its ends; Pr/N0 = EIRP·G/(L_fs·L_other·k·T), with G and
T the 810-005 Appendix A model of the station's catalog parameters (no data below 6°), arrayed
antennas adding their Pr/N0; a slot counts whole kilobits, a partial slot its share. Geometry
differs from the planner's by milliseconds of arc and metres, enough to move a rate step by a
slot now and then: the tolerance is BITS_TOLERANCE of the track's bits plus one slot at its top rate.
"""

import math
from collections import defaultdict

import astropy.units as u
import numpy as np
import pandas as pd
from astropy.constants import c, k_B
from astropy.coordinates import AltAz, EarthLocation, solar_system_ephemeris
from astropy.time import Time

from scheduler.check.target_sky import target_sky
from scheduler.check.violation import Violation
from scheduler.inputs import RequestSpec, Scenario
from scheduler.inputs.downlink import DownlinkSpec
from scheduler.sky.ephemeris import DE421_PATH
from scheduler.sky.refraction import refracted_deg
from stations import Station
from stations.receive import BAND_FREQ_HZ, MIN_ELEVATION_DEG, T_CMB_K, T_PHYSICAL_K

BITS_TOLERANCE = 0.01


def check_volumes(scenario: Scenario, requests: dict[str, RequestSpec], rows: pd.DataFrame) -> list[Violation]:
    """`bits` of every row: present (and right) for requests with a downlink, empty otherwise."""
    found = []
    claimed = rows.get("bits", pd.Series("", index=rows.index)).fillna("").astype(str)
    tracks: dict[tuple[str, str], list] = defaultdict(list)
    for row, bits in zip(rows.itertuples(), claimed, strict=True):
        request = requests[row.request_id]
        if request.downlink is None:
            if bits:
                found.append(Violation(row.track_id, "bits", "given for a request without a downlink"))
            continue
        if not bits:
            found.append(Violation(row.track_id, "bits", "missing for a request with a downlink"))
            continue
        together = request.array is not None and row.group
        tracks[(row.request_id, row.group if together else row.track_id)].append((row, int(bits)))
    unit = round(scenario.spec.resolution.total_seconds())
    source = str(DE421_PATH) if scenario.spec.ephemeris_source == "de421" else "builtin"
    with solar_system_ephemeris.set(source):
        for (request_id, _), members in tracks.items():
            expected, top = _track_bits(scenario, requests[request_id], [r for r, _ in members], unit)
            for row, bits in members:
                if abs(bits - expected) > BITS_TOLERANCE * expected + top * unit:
                    detail = f"{bits} bits, re-computed {expected} (tolerance {BITS_TOLERANCE:.0%} + one slot)"
                    found.append(Violation(row.track_id, "bits", detail))
    return found


def _track_bits(scenario: Scenario, request: RequestSpec, rows: list, unit: int) -> tuple[int, float]:
    """Bits of one track (the rows of its antennas, on target together) and its top rate."""
    downlink = request.downlink
    assert downlink is not None
    epoch = pd.Timestamp(scenario.start)
    start = (rows[0].start - epoch).total_seconds()
    end = (rows[0].end - epoch).total_seconds()
    first, last = math.floor(start / unit), math.ceil(end / unit)
    instants = np.arange(first, last + 1) * unit
    power = sum(
        _pr_n0(scenario, request, downlink, scenario.station(row.station), epoch, instants) for row in rows
    )  # W/Hz over W/Hz: linear Pr/N0 adds over arrayed antennas
    needed = 10 ** ((downlink.required_eb_n0_db + downlink.margin_db) / 10)
    limit = np.minimum(power[:-1], power[1:]) / needed
    rates = _selectable(limit, downlink.rates_bps)
    overlap = np.minimum(instants[1:], end) - np.maximum(instants[:-1], start)
    kbit = np.floor(rates * unit / 1000).astype(np.int64)
    return int(np.sum(kbit * overlap.astype(np.int64) // unit)) * 1000, float(rates.max(initial=0.0))


def _selectable(limit: np.ndarray, ladder: tuple[float, ...] | None) -> np.ndarray:
    """The ladder's highest rate not above each limit; without a ladder, the limit on a grid of
    tenths of a decibel (rounded down)."""
    if ladder:
        return np.array([max((r for r in ladder if r <= x), default=0.0) for x in limit])
    decibels = np.log10(np.where(limit > 0, limit, 1.0)) * 100.0  # tenths of a decibel
    return np.where(limit > 0, 10.0 ** (np.floor(decibels) / 100.0), 0.0)


def _pr_n0(
    scenario: Scenario,
    request: RequestSpec,
    downlink: DownlinkSpec,
    station: Station,
    epoch: pd.Timestamp,
    instants: np.ndarray,
) -> np.ndarray:
    """Received power over noise density (linear, Hz) at the instants, from one antenna."""
    times = Time(epoch.tz_convert(None).to_datetime64(), scale="utc") + instants * u.s
    location = EarthLocation.from_geodetic(
        station.lon_deg * u.deg, station.lat_deg * u.deg, station.height_m * u.m, ellipsoid="WGS84"
    )
    sky, _ = target_sky(scenario, scenario.target(request.target), times, location)
    seen = sky.transform_to(AltAz(obstime=times, location=location, pressure=0 * u.hPa))
    elevation = refracted_deg(seen.alt.deg) if scenario.spec.refraction else seen.alt.deg  # the planner's model
    distance = seen.distance.to_value(u.m)
    frequency = downlink.freq_hz or BAND_FREQ_HZ[downlink.band]
    spreading = (4 * np.pi * distance * frequency / c.value) ** 2
    gain_over_noise = _g_over_t(station, downlink.band, elevation)
    eirp = 10 ** (downlink.eirp_dbw / 10) / 10 ** (downlink.losses_db / 10)
    return eirp * gain_over_noise / (spreading * k_B.value)


def _g_over_t(station: Station, band: str, elevation_deg: np.ndarray) -> np.ndarray:
    """Linear G/T (1/K), zero below 6°: gain and noise temperature as 810-005 Appendix A models them."""
    receive = station.receive[band]
    assert receive.g0_dbi is not None and receive.t1_k is not None and receive.azen_db is not None
    theta = np.maximum(elevation_deg, MIN_ELEVATION_DEG)
    air = 10 ** (receive.azen_db / 10 / np.sin(np.deg2rad(theta)))  # the atmosphere's loss factor
    gain = 10 ** ((receive.g0_dbi - receive.g1_db_per_deg2 * (theta - receive.gamma_deg) ** 2) / 10) / air
    noise = receive.t1_k + receive.t2_k * np.exp(-receive.a_per_deg * theta) + T_PHYSICAL_K * (1 - 1 / air)
    noise = noise + T_CMB_K / air
    return np.where(elevation_deg >= MIN_ELEVATION_DEG, gain / noise, 0.0)

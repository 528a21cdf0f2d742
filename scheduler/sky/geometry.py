"""Topocentric geometry for many stations at once: apparent directions, azimuth, elevation.

Stations are placed from geodetic WGS84 coordinates (astropy `EarthLocation`); directions are
ITRS vectors from the station to the target, so that east/north/up projections give azimuth
and elevation without per-station transformations.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import astropy.units as u
import numpy as np
from astropy.coordinates import EarthLocation

from scheduler.sky.ephemeris import C_KM_S, Earth, TargetPath
from stations.model import Station

EARTH_ROTATION_RAD_S = 7.292115e-5  # IERS Conventions (2010), Table 1.1: nominal mean angular velocity


@dataclass(frozen=True)
class Sites:
    """Station positions (km, ITRS), local east/north/up unit vectors and the inertial velocity
    each station has from the Earth's rotation (km/s, ITRS axes), one row per station."""

    ids: tuple[str, ...]
    position_km: np.ndarray
    east: np.ndarray
    north: np.ndarray
    up: np.ndarray
    velocity_km_s: np.ndarray

    @cached_property
    def enu(self) -> np.ndarray:
        """ITRS → east/north/up rotation per station, (stations, 3, 3)."""
        return np.stack([self.east, self.north, self.up], axis=1)

    @classmethod
    def from_stations(cls, stations: Sequence[Station]) -> "Sites":
        lat = np.radians([s.lat_deg for s in stations])
        lon = np.radians([s.effective_lon_deg for s in stations])
        location = EarthLocation.from_geodetic(
            lon=np.degrees(lon) * u.deg,
            lat=np.degrees(lat) * u.deg,
            height=[s.height_m for s in stations] * u.m,
            ellipsoid="WGS84",
        )
        position = np.stack([location.x, location.y, location.z], axis=-1).to_value(u.km).reshape(-1, 3)
        east = np.stack([-np.sin(lon), np.cos(lon), np.zeros_like(lon)], axis=-1)
        north = np.stack([-np.sin(lat) * np.cos(lon), -np.sin(lat) * np.sin(lon), np.cos(lat)], axis=-1)
        up = np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=-1)
        velocity = np.cross([0.0, 0.0, EARTH_ROTATION_RAD_S], position)
        return cls(tuple(s.id for s in stations), position, east, north, up, velocity)


def apparent_topocentric_km(
    path: TargetPath, earth: Earth, sites: Sites, seconds: np.ndarray, station_index: np.ndarray
) -> np.ndarray:
    """Station-to-target ITRS vectors (..., 3) of the apparent direction at `seconds` seen from
    stations `station_index` (broadcastable): topocentric light time, parallax, aberration.

    The path is the geocentric apparent position. Its annual aberration is undone (giving the
    astrometric geocentric vector), the station is subtracted, and the aberration of the
    station's own barycentric velocity (the Earth's plus its rotation) applied, to first order
    in v/c (error below 0.002 arcsec). The station is nearer the target than the geocentre by
    up to 21 ms of light time, so the light it receives left that much later: the target's
    barycentric motion in that time is added.
    """
    seconds = np.asarray(seconds, dtype=float)
    station = sites.position_km[station_index]
    earth_velocity = earth.velocity_itrs_km_s(seconds)
    apparent = earth.to_itrs(seconds, path.gcrs_km(seconds))
    geocentric = apparent - aberration(apparent, earth_velocity / C_KM_S)
    barycentric_velocity = earth.to_itrs(seconds, path.gcrs_km(seconds, derivative=1)) + earth_velocity
    nearer_s = (norm(geocentric) - norm(geocentric - station)) / C_KM_S
    topocentric = geocentric + barycentric_velocity * nearer_s[..., None] - station
    observer_velocity = earth_velocity + sites.velocity_km_s[station_index]
    return topocentric + aberration(topocentric, observer_velocity / C_KM_S)


def aberration(vector: np.ndarray, beta: np.ndarray) -> np.ndarray:
    """The shift of `vector` (..., 3) seen by an observer moving at `beta` = v / c, to first
    order: |vector| (beta - u (u . beta)) with u the unit vector (Bradley's aberration)."""
    length = norm(vector)[..., None]
    unit = vector / length
    return length * (beta - unit * np.einsum("...i,...i->...", unit, beta)[..., None])


def norm(vectors: np.ndarray) -> np.ndarray:
    """Lengths of vectors (..., 3)."""
    return np.sqrt(np.einsum("...i,...i->...", vectors, vectors))


def altaz_deg(topocentric: np.ndarray, sites: Sites, station_index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Elevation and azimuth (degrees, azimuth from north through east) of station-to-target
    ITRS vectors seen from stations `station_index` (broadcastable)."""
    local = np.matmul(sites.enu[station_index], topocentric[..., None])[..., 0]
    east, north, up = local[..., 0], local[..., 1], local[..., 2]
    elevation = np.degrees(np.arctan2(up, np.hypot(east, north)))
    azimuth = np.mod(np.degrees(np.arctan2(east, north)), 360.0)
    return elevation, azimuth


def separation_deg(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Angle between vectors (..., 3), degrees; accurate at small and large angles."""
    cross = norm(np.cross(a, b))
    return np.degrees(np.arctan2(cross, np.einsum("...i,...i->...", a, b)))


def refracted_deg(elevation_deg: np.ndarray) -> np.ndarray:
    """Apparent elevation including standard atmospheric refraction (Saemundsson 1986, 10 C,
    1010 hPa); below -1 degree the geometric value is returned unchanged."""
    h = np.asarray(elevation_deg, dtype=float)
    shift_arcmin = 1.02 / np.tan(np.radians(h + 10.3 / (h + 5.11)))
    return np.where(h > -1.0, h + shift_arcmin / 60.0, h)

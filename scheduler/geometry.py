"""Topocentric geometry for many stations at once: azimuth and elevation from ITRS vectors."""

from collections.abc import Sequence
from dataclasses import dataclass

import astropy.units as u
import numpy as np
from astropy.coordinates import EarthLocation

from stations.model import Station


@dataclass(frozen=True)
class Sites:
    """Station positions (km, ITRS) and local east/north/up unit vectors, one row per station."""

    ids: tuple[str, ...]
    position_km: np.ndarray
    east: np.ndarray
    north: np.ndarray
    up: np.ndarray

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
        position = np.stack([location.x, location.y, location.z], axis=-1).to_value(u.km)
        east = np.stack([-np.sin(lon), np.cos(lon), np.zeros_like(lon)], axis=-1)
        north = np.stack([-np.sin(lat) * np.cos(lon), -np.sin(lat) * np.sin(lon), np.cos(lat)], axis=-1)
        up = np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=-1)
        return cls(tuple(s.id for s in stations), position.reshape(-1, 3), east, north, up)


def altaz_deg(target_km: np.ndarray, sites: Sites, station_index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Elevation and azimuth (degrees, azimuth from north through east) of geocentric target
    positions `target_km` (..., 3) seen from stations `station_index` (broadcastable)."""
    topo = target_km - sites.position_km[station_index]
    up = np.einsum("...i,...i->...", topo, sites.up[station_index])
    east = np.einsum("...i,...i->...", topo, sites.east[station_index])
    north = np.einsum("...i,...i->...", topo, sites.north[station_index])
    elevation = np.degrees(np.arctan2(up, np.hypot(east, north)))
    azimuth = np.mod(np.degrees(np.arctan2(east, north)), 360.0)
    return elevation, azimuth


def refracted_deg(elevation_deg: np.ndarray) -> np.ndarray:
    """Apparent elevation including standard atmospheric refraction (Saemundsson 1986, 10 C,
    1010 hPa); below -1 degree the geometric value is returned unchanged."""
    h = np.asarray(elevation_deg, dtype=float)
    shift_arcmin = 1.02 / np.tan(np.radians(h + 10.3 / (h + 5.11)))
    return np.where(h > -1.0, h + shift_arcmin / 60.0, h)

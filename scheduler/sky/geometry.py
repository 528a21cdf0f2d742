"""Topocentric geometry for many stations at once: apparent directions, azimuth, elevation.

Vectors are component-first, (3, ...). Samples come in one of two layouts: every station at
every instant (`seconds` (1, T), `station_index` (S, 1)), or one station per instant (both
(N,)). Each station's east/north/up axes are fixed in the ITRS, so a target is rotated into
the ITRS once per instant and projected onto every station's axes at once (one matrix
product in the first layout).
"""

from collections.abc import Sequence
from dataclasses import dataclass

import erfa
import numpy as np

from scheduler.sky.ephemeris import C_KM_S, norm
from stations.model import Station

EARTH_ROTATION_RAD_S = 7.292115e-5  # IERS Conventions (2010), Table 1.1: nominal mean angular velocity
WGS84 = 1  # ERFA's ellipsoid number
FAR_KM = 5.0e7  # beyond: 6,400 km x (1e-4 aberration + 1.3e-4 motion / c) / 5e7 km = 3e-8 rad (0.006 arcsec)


@dataclass(frozen=True)
class Sites:
    """Stations' ITRS positions, local axes and rotation velocities.

    `axes[i, s]` is station s's east (i = 0), north (1) or up (2) unit vector in the ITRS;
    `position_km` and `beta` (velocity from the Earth's rotation over c) are in those axes.
    """

    ids: tuple[str, ...]
    itrs_km: np.ndarray  # (S, 3)
    axes: np.ndarray  # (3, S, 3)
    position_km: np.ndarray  # (3, S)
    beta: np.ndarray  # (3, S)

    @classmethod
    def from_stations(cls, stations: Sequence[Station]) -> "Sites":
        lat = np.radians([s.lat_deg for s in stations])
        lon = np.radians([s.effective_lon_deg for s in stations])
        itrs = erfa.gd2gc(WGS84, lon, lat, np.array([s.height_m for s in stations], dtype=float)) / 1000.0
        east = np.stack([-np.sin(lon), np.cos(lon), np.zeros_like(lon)], axis=-1)
        north = np.stack([-np.sin(lat) * np.cos(lon), -np.sin(lat) * np.sin(lon), np.cos(lat)], axis=-1)
        up = np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=-1)
        axes = np.stack([east, north, up]).reshape(3, len(stations), 3)
        velocity = np.cross([0.0, 0.0, EARTH_ROTATION_RAD_S], itrs)
        return cls(
            tuple(s.id for s in stations),
            itrs.reshape(-1, 3),
            axes,
            np.einsum("isj,sj->is", axes, itrs),
            np.einsum("isj,sj->is", axes, velocity) / C_KM_S,
        )

    def local(self, vectors: np.ndarray, station_index: np.ndarray, *terms: tuple[np.ndarray, object]) -> np.ndarray:
        """ITRS vectors (3, *instants) in the axes of stations `station_index`, plus for each term
        a per-station vector (3, stations) times a per-instant factor, in the layout of the
        samples: (3, S, T) for instants (1, T) and stations (S, 1), else (3, N). One product for
        all: numpy's einsum, as BLAS is slow on such thin matrices when it runs threads."""
        stations = station_index[:, 0] if station_index.ndim == 2 else station_index
        coefficients = np.concatenate([self.axes[:, stations], *(v[:, stations, None] for v, _ in terms)], axis=2)
        shape = np.shape(vectors)[1:]
        factors = [np.broadcast_to(factor, shape).reshape(1, -1) for _, factor in terms]
        values = np.concatenate([vectors.reshape(3, -1), *factors])
        return np.einsum("isk,kt->ist" if station_index.ndim == 2 else "ink,kn->in", coefficients, values)


def apparent_local_km(
    sites: Sites,
    station_index: np.ndarray,
    geocentric: np.ndarray,
    earth_beta: np.ndarray,
    velocity: np.ndarray | None = None,
) -> np.ndarray:
    """Apparent topocentric vectors (3, *samples) in each station's east/north/up axes.

    `geocentric` is the target's geocentric position (ITRS axes, km; light time to the
    geocentre and deflection applied, not aberration), `earth_beta` the geocentre's
    barycentric velocity over c and `velocity` the target's barycentric velocity (km/s), all
    (3, *instants). The station p is nearer the target g than the geocentre by (|g| - |g - p|) / c
    of light time (up to 21 ms), so the light it receives left that much later: the target's
    motion w in that time is added. The aberration of the station's barycentric velocity (the
    Earth's plus its rotation, beta) is applied to first order (the direction u + beta; error
    below 0.002 arcsec) and the vector keeps the target's distance d:

        g - p + w (|g| - d) / c + beta d  =  (g + w |g| / c) - p + d (beta - w / c)

    Without `velocity` the target is far (beyond FAR_KM) and d is taken as |g|: off by the
    station's distance from the geocentre times (beta + w / c) over the target's distance.
    """
    if velocity is None:
        distance = norm(geocentric)
        aberrated = geocentric + distance * earth_beta
        return sites.local(aberrated, station_index, (-sites.position_km, 1.0), (sites.beta, distance))
    ahead = geocentric + velocity * (norm(geocentric) / C_KM_S)
    apparent = sites.local(ahead, station_index, (-sites.position_km, 1.0))
    beta = sites.local(earth_beta - velocity / C_KM_S, station_index, (sites.beta, 1.0))
    beta *= norm(apparent)
    apparent += beta
    return apparent


def elevation_deg(local: np.ndarray) -> np.ndarray:
    """Elevation (degrees) of vectors (3, ...) in east/north/up axes."""
    east, north, up = local
    horizontal = east * east
    horizontal += north * north
    np.sqrt(horizontal, out=horizontal)
    np.arctan2(up, horizontal, out=horizontal)
    horizontal *= 180.0 / np.pi
    return horizontal


def azimuth_deg(local: np.ndarray) -> np.ndarray:
    """Azimuth (degrees from north through east) of vectors (3, ...) in east/north/up axes."""
    return np.mod(np.degrees(np.arctan2(local[0], local[1])), 360.0)


def separation_deg(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Angle between vectors (3, ...), degrees; accurate at small and large angles."""
    cross = np.stack([a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]])
    return np.degrees(np.arctan2(norm(cross), np.einsum("i...,i...->...", a, b)))

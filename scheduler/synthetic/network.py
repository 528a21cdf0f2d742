"""The synthetic network and sky: three DSN-like complexes, 34 missions of seven agencies on
synthetic targets, and the passes that follow from a target's declination and each complex's
latitude (see `scheduler.synthetic.week` for how a week is built from them)."""

import math
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from scheduler.timeutil import DAY

WEEK = 7 * DAY
SIDEREAL_DEG_PER_DAY = 360.985_647
MIN_ELEVATION_DEG = 10.0
START = datetime(2026, 12, 7, tzinfo=UTC)


@dataclass(frozen=True)
class Complex:
    """A complex: its position and antennas."""

    name: str
    lon_deg: float
    lat_deg: float
    antennas: tuple[str, ...]  # the 70 m dish first


COMPLEXES = (
    Complex("Goldstone", -116.9, 35.4, ("DSS-14", "DSS-24", "DSS-25", "DSS-26")),
    Complex("Madrid", 3.1, 40.4, ("DSS-63", "DSS-53", "DSS-54", "DSS-55", "DSS-56", "DSS-65")),
    Complex("Canberra", 123.1, -35.4, ("DSS-43", "DSS-34", "DSS-35", "DSS-36")),
)
BIG = frozenset(c.antennas[0] for c in COMPLEXES)
SETUP = {"70m": 3600, "34m": 2700}  # seconds before time on target
TEARDOWN = 900

# body: (declination range or fixed value, right-ascension drift deg/day)
BODIES: dict[str, tuple[tuple[float, float], float]] = {
    "moon": ((-25.0, 25.0), 13.2),
    "mars": ((-24.0, 24.0), 0.6),
    "jupiter": ((-20.0, 22.0), 0.1),
    "venus": ((-24.0, 24.0), 1.2),
    "sun-l1": ((-23.0, 23.0), 1.0),
    "l2": ((-23.0, 23.0), 1.0),
    "asteroid-a": ((-15.0, 15.0), 0.4),
    "asteroid-b": ((-30.0, 10.0), 0.3),
    "voyager-1": ((12.0, 12.0), 0.0),
    "voyager-2": ((-58.0, -58.0), 0.0),
    "kuiper": ((-21.0, -19.0), 0.0),
}
MISSIONS: tuple[tuple[str, str, str], ...] = (
    ("MRO", "NASA", "mars"),
    ("MAVEN", "NASA", "mars"),
    ("ODY", "NASA", "mars"),
    ("M2020", "NASA", "mars"),
    ("MSL", "NASA", "mars"),
    ("MEX", "ESA", "mars"),
    ("TGO", "ESA", "mars"),
    ("TIANWEN1", "CNSA", "mars"),
    ("HOPE", "UAESA", "mars"),
    ("LRO", "NASA", "moon"),
    ("CAPSTONE", "NASA", "moon"),
    ("CH2", "ISRO", "moon"),
    ("KPLO", "KARI", "moon"),
    ("SLIM", "JAXA", "moon"),
    ("ARTEMIS", "NASA", "moon"),
    ("JUNO", "NASA", "jupiter"),
    ("JUICE", "ESA", "jupiter"),
    ("CLIPPER", "NASA", "jupiter"),
    ("BEPI", "ESA", "venus"),
    ("AKATSUKI", "JAXA", "venus"),
    ("PSP", "NASA", "venus"),
    ("SOHO", "ESA", "sun-l1"),
    ("ADITYA", "ISRO", "sun-l1"),
    ("JWST", "NASA", "l2"),
    ("GAIA", "ESA", "l2"),
    ("EUCLID", "ESA", "l2"),
    ("LUCY", "NASA", "asteroid-a"),
    ("PSYCHE", "NASA", "asteroid-a"),
    ("HERA", "ESA", "asteroid-b"),
    ("HAYABUSA2", "JAXA", "asteroid-b"),
    ("VGR1", "NASA", "voyager-1"),
    ("VGR2", "NASA", "voyager-2"),
    ("NH", "NASA", "kuiper"),
    ("EMM-RELAY", "UAESA", "mars"),
)
KINDS = ("daily", "weekly", "array", "split")
KIND_WEIGHTS = (0.45, 0.35, 0.1, 0.1)


def sky_position(rng: np.random.Generator, dec: tuple[float, float], drift: float) -> tuple[float, float, float]:
    """Right ascension at the epoch, its drift per day, declination (deg)."""
    return float(rng.uniform(0.0, 360.0)), drift, float(rng.uniform(*dec))


def half_width_s(site: Complex, dec_deg: float) -> float | None:
    """Half the time the target spends above MIN_ELEVATION_DEG, kept within 4..6 h (None: never up)."""
    phi, delta = math.radians(site.lat_deg), math.radians(dec_deg)
    cos_h = (math.sin(math.radians(MIN_ELEVATION_DEG)) - math.sin(phi) * math.sin(delta)) / (
        math.cos(phi) * math.cos(delta)
    )
    if cos_h >= 1.0:
        return None
    hours = math.degrees(math.acos(max(-1.0, cos_h))) / 15.0
    return min(6.0, max(4.0, hours)) * 3600.0


def passes(
    site: Complex, ra0: float, drift: float, dec: float, gmst0: float, horizon: int, resolution: int
) -> list[tuple[int, int]]:
    """Passes [start, end) in seconds from the epoch, clipped to the horizon, on the resolution."""
    half = half_width_s(site, dec)
    if half is None:
        return []
    rate = SIDEREAL_DEG_PER_DAY - drift  # hour angle gained per day
    first = ((ra0 - site.lon_deg - gmst0) % 360.0) / rate  # days to the first transit
    found = []
    transit = first - 1.0
    while transit * DAY - half < horizon:
        begin = max(0, math.ceil((transit * DAY - half) / resolution) * resolution)
        end = min(horizon, math.floor((transit * DAY + half) / resolution) * resolution)
        if end - begin >= 3600:
            found.append((begin, end))
        transit += 360.0 / rate
    return found

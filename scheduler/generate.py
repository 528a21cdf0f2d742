"""Synthetic DSN-scale planning weeks: a seeded `Problem` for benchmarks and long horizons.

Three complexes 120 deg apart in longitude (14 antennas: a 70 m dish and 34 m dishes at each),
34 missions of seven agencies on the Moon, Mars, Jupiter, the inner planets, asteroids,
Sun-Earth L2 and the outer heliosphere. Each target has a synthetic sky position (right
ascension and declination; the Moon's moves 13 deg a day, the others' about 1 deg) from which
the passes follow: a target rises at a complex once per sidereal day, centred on its transit
(the hour angle is zero when Greenwich sidereal time + longitude = right ascension), for 8 to
12 h (the elevation-10-deg half-width from latitude and declination, kept within 4..6 h), or
never when it stays below the horizon (a far-southern probe is Canberra's alone).

Requests are added mission by mission until the antenna time they ask for (time on target plus
setup and teardown, times antennas used together) reaches `oversubscription` times the antenna
time available (antennas x horizon minus downtime): daily and weekly tracks, arrays of two or
three antennas of one complex, and long tracks that may be split into segments.

Synthetic, not an ephemeris: positions and passes are plausible, not those of any real date.
Uses only the `problem` dataclasses; the same seed gives the same problem.
"""

import math
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from scheduler.problem import Demand, Downtime, Opportunity, Problem

DAY = 86_400
WEEK = 7 * DAY
SIDEREAL_DEG_PER_DAY = 360.985_647
MIN_ELEVATION_DEG = 10.0
START = datetime(2026, 12, 7, tzinfo=UTC)


@dataclass(frozen=True)
class Complex:
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


@dataclass(frozen=True)
class SyntheticRequest:
    """A request as a mission would write it; `kind` is daily, weekly, array or split."""

    id: str
    mission: str
    agency: str
    target: str
    priority: int
    kind: str
    tracks: int
    min_duration: int
    max_duration: int
    antennas: tuple[str, ...]
    array: int = 1
    min_segment: int | None = None


@dataclass(frozen=True)
class SyntheticWeeks:
    """A synthetic planning problem with what it was made from."""

    problem: Problem
    requests: tuple[SyntheticRequest, ...]
    sky: dict[str, tuple[float, float, float]]  # body: right ascension, its drift per day, declination


def generate_week(
    seed: int,
    weeks: int = 1,
    *,
    oversubscription: float = 1.3,
    resolution: int = 60,
    start: datetime = START,
) -> Problem:
    """A synthetic DSN planning problem of `weeks` weeks, the same for the same arguments."""
    return synthesize(seed, weeks, oversubscription=oversubscription, resolution=resolution, start=start).problem


def synthesize(
    seed: int,
    weeks: int = 1,
    *,
    oversubscription: float = 1.3,
    resolution: int = 60,
    start: datetime = START,
) -> SyntheticWeeks:
    """`generate_week`'s problem, with its requests and sky positions."""
    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    if resolution < 1 or 3600 % resolution:
        raise ValueError("resolution must divide an hour")
    rng = np.random.default_rng(seed)
    horizon = weeks * WEEK
    gmst0 = float(rng.uniform(0.0, 360.0))
    sky = {body: _sky(rng, dec, drift) for body, (dec, drift) in BODIES.items()}
    view = {
        (body, site.name): passes(site, *sky[body], gmst0, horizon, resolution) for body in BODIES for site in COMPLEXES
    }
    downtime = _downtime(rng, weeks)
    antennas = tuple(a for site in COMPLEXES for a in site.antennas)
    capacity = len(antennas) * horizon - sum(d.end - d.start for d in downtime)
    priorities = {name: int(rng.integers(1, 11)) for name, _, _ in MISSIONS}
    requests: list[SyntheticRequest] = []
    demands: list[Demand] = []
    requested = 0.0
    round_number = 0
    while requested < oversubscription * capacity:
        for index, (name, agency, body) in enumerate(MISSIONS):
            kind = _kind(rng, round_number, index)
            request = _request(rng, kind, name, agency, body, priorities[name], round_number, resolution)
            requests.append(request)
            for demand in _demands(request, view, horizon, resolution):
                demands.append(demand)
                requested += antenna_seconds(demand)
            if requested >= oversubscription * capacity:
                break
        round_number += 1
    name = f"synthetic-dsn-{weeks}w-seed{seed}"
    problem = Problem(name, start, horizon, resolution, antennas, tuple(demands), tuple(downtime))
    return SyntheticWeeks(problem, tuple(requests), sky)


def antenna_seconds(demand: Demand) -> float:
    """Antenna time a demand asks for: its tracks' time on target plus setup and teardown, times
    the antennas each track uses (the mean over its opportunities; 0 without any)."""
    if not demand.opportunities:
        return 0.0
    per_track = np.mean([(demand.max_duration + o.setup + o.teardown) * len(o.antennas) for o in demand.opportunities])
    return float(demand.tracks * per_track)


def oversubscription_ratio(problem: Problem) -> float:
    """Requested antenna time over available antenna time (antennas x horizon minus downtime)."""
    capacity = len(problem.antennas) * problem.horizon - sum(d.end - d.start for d in problem.downtime)
    return sum(antenna_seconds(d) for d in problem.demands) / capacity


def _sky(rng: np.random.Generator, dec: tuple[float, float], drift: float) -> tuple[float, float, float]:
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


def _downtime(rng: np.random.Generator, weeks: int) -> list[Downtime]:
    """Four maintenance outages a week of 4..12 h on random antennas, on the hour."""
    antennas = [a for site in COMPLEXES for a in site.antennas]
    outages = []
    for week in range(weeks):
        for _ in range(4):
            antenna = antennas[int(rng.integers(len(antennas)))]
            start = week * WEEK + int(rng.integers(0, 7 * 24 - 12)) * 3600
            outages.append(Downtime(antenna, start, start + int(rng.integers(4, 13)) * 3600))
    return outages


def _station_set(rng: np.random.Generator, body: str) -> tuple[str, ...]:
    """Where a request may run: the 70 m dishes, two equipped 34 m dishes per complex, every 34 m
    dish, or any antenna (about 6 on average, as in the SatNet weeks of real DSN requests)."""
    if body == "voyager-2":  # only Canberra sees it
        return COMPLEXES[2].antennas
    choice = rng.choice(["70m", "34m-equipped", "34m", "any"], p=[0.2, 0.5, 0.2, 0.1])
    everything = tuple(a for site in COMPLEXES for a in site.antennas)
    if choice == "70m":
        return tuple(a for a in everything if a in BIG)
    if choice == "34m-equipped":
        return tuple(str(a) for site in COMPLEXES for a in rng.choice(site.antennas[1:], size=2, replace=False))
    if choice == "34m":
        return tuple(a for a in everything if a not in BIG)
    return everything


def _hours(rng: np.random.Generator, low: float, high: float, resolution: int) -> int:
    """A duration in [low, high] hours on a quarter hour (and on the resolution)."""
    step = max(900, resolution)
    return int(rng.integers(math.ceil(low * 3600 / step), math.floor(high * 3600 / step) + 1)) * step


def _kind(rng: np.random.Generator, round_number: int, index: int) -> str:
    """Every mission's first request is daily; in the second round every sixth mission asks for an
    array and every sixth (offset by three) a split track; otherwise the kind is drawn."""
    if round_number == 0:
        return "daily"
    if round_number == 1 and index % 6 in (0, 3):
        return "array" if index % 6 == 0 else "split"
    return str(rng.choice(KINDS, p=KIND_WEIGHTS))


def _request(
    rng: np.random.Generator,
    kind: str,
    mission: str,
    agency: str,
    body: str,
    priority: int,
    number: int,
    resolution: int,
) -> SyntheticRequest:
    stations = _station_set(rng, body)
    base = {
        "id": f"{mission}-{kind}-{number + 1}",
        "mission": mission,
        "agency": agency,
        "target": body,
        "priority": priority,
        "kind": kind,
        "antennas": stations,
    }
    if kind == "daily":
        longest = _hours(rng, 2.0, 6.0, resolution)
        flexible = bool(rng.random() < 0.4)
        shortest = _hours(rng, 1.0, longest / 3600, resolution) if flexible else longest
        return SyntheticRequest(**base, tracks=1, min_duration=shortest, max_duration=longest)
    if kind == "weekly":
        longest = _hours(rng, 2.0, 6.0, resolution)
        return SyntheticRequest(**base, tracks=int(rng.integers(2, 6)), min_duration=longest, max_duration=longest)
    if kind == "array":
        length = _hours(rng, 2.0, 6.0, resolution)
        size = int(rng.integers(2, 4))
        return SyntheticRequest(
            **{**base, "antennas": tuple(a for site in COMPLEXES for a in site.antennas)},
            tracks=int(rng.integers(1, 3)),
            min_duration=length,
            max_duration=length,
            array=size,
        )
    total = _hours(rng, 6.0, 10.0, resolution)
    return SyntheticRequest(**base, tracks=1, min_duration=total, max_duration=total, min_segment=2 * 3600)


def _antenna_sets(request: SyntheticRequest) -> list[tuple[Complex, tuple[str, ...]]]:
    """Antennas used together: single antennas, or for an array up to three sets of `array`
    neighbouring antennas of each complex (the 70 m dish with 34 m dishes first)."""
    sets = []
    for site in COMPLEXES:
        allowed = [a for a in site.antennas if a in request.antennas]
        if request.array == 1:
            sets += [(site, (a,)) for a in allowed]
        else:
            windows = [tuple(allowed[k : k + request.array]) for k in range(len(allowed) - request.array + 1)]
            sets += [(site, w) for w in windows[:3]]
    return sets


def _demands(
    request: SyntheticRequest, view: dict[tuple[str, str], list[tuple[int, int]]], horizon: int, resolution: int
) -> list[Demand]:
    """One demand per period (a day or a week), with an opportunity per antenna set and pass."""
    length = DAY if request.kind == "daily" else WEEK
    periods = [(a, min(a + length, horizon)) for a in range(0, horizon, length)]
    shortest_piece = request.min_segment or request.min_duration
    demands = []
    for number, (a, b) in enumerate(periods):
        opportunities = []
        for site, antennas in _antenna_sets(request):
            setup = max(SETUP["70m" if x in BIG else "34m"] for x in antennas)
            for begin, end in view[(request.target, site.name)]:
                earliest = max(begin, a, setup)
                latest_end = min(end, horizon - TEARDOWN)
                latest_start = min(b - resolution, latest_end - shortest_piece)
                if latest_start >= earliest:
                    opportunities.append(Opportunity(antennas, earliest, latest_start, latest_end, setup, TEARDOWN))
        demands.append(
            Demand(
                f"{request.id}#{number + 1}" if len(periods) > 1 else request.id,
                request.id,
                request.mission,
                request.agency,
                request.target,
                request.priority,
                request.tracks,
                request.min_duration,
                request.max_duration,
                tuple(opportunities),
                request.min_segment,
                period=(a, b),
            )
        )
    return demands

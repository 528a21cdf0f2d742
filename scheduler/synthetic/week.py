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
from datetime import datetime

import numpy as np

from scheduler.problem.periods import opportunity_in, period_demand
from scheduler.problem.types import Demand, Downtime, Problem
from scheduler.synthetic.network import (
    BIG,
    BODIES,
    COMPLEXES,
    KIND_WEIGHTS,
    KINDS,
    MISSIONS,
    SETUP,
    START,
    TEARDOWN,
    WEEK,
    Complex,
    passes,
    sky_position,
)
from scheduler.timeutil import DAY


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
    sky = {body: sky_position(rng, dec, drift) for body, (dec, drift) in BODIES.items()}
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
    shortest = request.min_segment or request.min_duration
    demands = []
    for number, (a, b) in enumerate(periods):
        opportunities = []
        for site, antennas in _antenna_sets(request):
            setup = max(SETUP["70m" if x in BIG else "34m"] for x in antennas)
            for usable in view[(request.target, site.name)]:
                found = opportunity_in(antennas, usable, (0, horizon), (a, b), horizon, (setup, TEARDOWN), shortest)
                if found is not None:
                    opportunities.append(found)
        durations = (request.min_duration, request.max_duration)
        demands.append(
            period_demand(request, periods, number, durations, tuple(opportunities), min_segment=request.min_segment)
        )
    return demands

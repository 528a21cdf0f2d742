"""The operations rules of a problem built from a scenario (README: Request semantics): each
demand's band, max_gap, spread, after link and critical flag; the complexes of the antennas, their
limits (start spacing, simultaneous links) and the RFI between same-band requests."""

import math
from dataclasses import replace
from itertools import combinations, pairwise

from scheduler.errors import InputError
from scheduler.inputs import RequestSpec, Scenario
from scheduler.problem.types import After, ComplexLimits, Interference, Problem, Track
from scheduler.sky.separation import TargetSky, close_spans


def request_band(request: RequestSpec) -> str:
    """The request's band: its own, else its downlink's ("" when it names none)."""
    if request.band is not None:
        return request.band
    return request.downlink.band if request.downlink is not None else ""


def request_rules(request: RequestSpec, window: tuple[int, int]) -> dict:
    """The `Demand` fields of a request's operations keys; `window` is where max_gap applies."""
    after = None
    if request.after is not None:
        after = After(
            request.after.request,
            math.ceil(request.after.min.total_seconds()),
            int(request.after.max.total_seconds()),
        )
    return {
        "band": request_band(request),
        "max_gap": int(request.max_gap.total_seconds()) if request.max_gap is not None else 0,
        "gap_window": window,
        "spread": request.spread.complexes if request.spread is not None else 0,
        "after": after,
        "critical": request.critical,
    }


def with_operations(problem: Problem, scenario: Scenario) -> Problem:
    """`problem` with its antennas' complexes, the complexes' limits and the RFI between requests."""
    limits = tuple(
        ComplexLimits(name, math.ceil(rule.start_spacing.total_seconds()), rule.max_links or 0)
        for name, rule in sorted(scenario.complex_rules.items())
    )
    return replace(
        problem,
        complexes=tuple((s.id, s.complex) for s in scenario.stations),
        complex_limits=limits,
        interference=interference(scenario),
    )


def interference(scenario: Scenario) -> tuple[Interference, ...]:
    """Pairs of requests of different missions on one band, not sharing an MSPA tag, at each complex
    both may use, with the spans their targets are closer than `rfi.separation_deg` from there."""
    rfi = scenario.spec.rfi
    if rfi is None:
        return ()
    banded = [r for r in scenario.requests if request_band(r)]
    complexes = {r.id: {scenario.station(s).complex for s in scenario.request_stations[r.id]} for r in banded}
    pairs = [
        (a, b, sorted(complexes[a.id] & complexes[b.id]))
        for a, b in combinations(banded, 2)
        if request_band(a).lower() == request_band(b).lower()
        and a.mission != b.mission
        and not (a.mspa is not None and a.mspa == b.mspa)
        and complexes[a.id] & complexes[b.id]
    ]
    if not pairs:
        return ()
    seen_from = {}  # one antenna stands for its complex: the others are a few km away
    for station in scenario.stations:
        seen_from.setdefault(station.complex, station)
    sky = TargetSky(scenario, list(seen_from.values()), [r.target for a, b, _ in pairs for r in (a, b)])
    found = []
    for a, b, shared in pairs:
        for name in shared:
            spans = close_spans(sky, a.target, b.target, seen_from[name].id, rfi.separation_deg)
            if spans:
                found.append(Interference(a.id, b.id, name, spans))
    return tuple(found)


def check_locked_operations(scenario: Scenario, problem: Problem, tracks: tuple[Track, ...]) -> None:
    """Locked tracks keep the complexes' limits among themselves (else no plan could keep them)."""
    limits = {c.complex: c for c in problem.complex_limits}
    starts: dict[str, list[tuple[int, int, str]]] = {}
    for index, track in enumerate(tracks):
        for name in {problem.complex_of(a) for a in track.antennas}:
            starts.setdefault(name, []).append((track.start - track.setup, track.end + track.teardown, index))
    for name, items in starts.items():
        rule = limits.get(name)
        if rule is None:
            continue
        items.sort()
        for (first, _, i), (second, _, j) in pairwise(items):
            if second - first < rule.start_spacing and not _shared_start(problem, tracks[i], tracks[j]):
                _locked_error(scenario, j, f"begins less than start_spacing after locked[{i}] at {name}")
        for begin, _, index in items:
            if rule.max_links and sum(a <= begin < b for a, b, _ in items) > rule.max_links:
                _locked_error(scenario, index, f"makes more than max_links ({rule.max_links}) tracks at {name}")


def _shared_start(problem: Problem, first: Track, second: Track) -> bool:
    """Tracks of one MSPA tag on one antenna: one session, one activity."""
    tags = {problem.demand(t.demand_id).mspa for t in (first, second)}
    return first.antennas == second.antennas and len(first.antennas) == 1 and len(tags) == 1 and None not in tags


def _locked_error(scenario: Scenario, index: int, problem: str) -> None:
    raise InputError(
        scenario.source, f"locked[{index}]", problem, "move the locked track or change complex_rules for that complex"
    )

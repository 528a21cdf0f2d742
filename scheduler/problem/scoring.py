"""The objective as scaled integers, and its exact value for any set of tracks.

Maximise  time·(Σ w·t + F·Σ_m min(t_m, floor·r_m))  −  fairness·R·U_max  −  agency_balance·R·A_max
          −  change·Σ w·t(moved)  −  consent·N_asked  −  rules·Σ w·r(unmet)  −  C·(critical demands unmet)
where t is counted time on target in seconds, w the priority weight, t_m and r_m a mission's
counted and requested seconds, F = FLOOR_WEIGHT, R the total priority-weighted requested time,
U_max (A_max) the largest unsatisfied fraction over missions (agencies) in thousandths, the
fourth term sums the previous tracks moved or dropped, the fifth counts the agencies with any
previous track moved or dropped (each would be asked to consent to the change), the sixth the
requested time r of each request whose `max_gap` and each demand whose `spread` is unmet, and C
exceeds every other term together, so that a critical demand outranks all the rest. The floor
term is the fairness rule: each mission's first `floor` share of its requested time is worth as
much again as priority-1 time, one mission at a time (unlike U_max, a local change that lifts
any starved mission scores). `score` computes exactly what the CP-SAT model maximises, so greedy
and CP-SAT results compare on one scale.
"""

from collections import defaultdict
from dataclasses import dataclass

from scheduler.problem.operations import gaps_too_long, spread_short
from scheduler.problem.types import Demand, Problem, Track, priority_weight
from scheduler.problem.volume import volume_met, volume_seconds

FRACTION_SCALE = 1000  # unsatisfied fractions in thousandths
FLOOR_WEIGHT = 10  # extra weight per second of a mission's floor: as much as priority 1's time
WEIGHT_SCALE = 100  # objective weights in hundredths
SCALE = FRACTION_SCALE * WEIGHT_SCALE  # objective units per priority-weighted second


@dataclass(frozen=True)
class Coefficients:
    """Integer multipliers of the objective's terms."""

    time: int  # per priority-weighted second on target
    fairness: int  # per thousandth of U_max
    agency_balance: int  # per thousandth of the worst agency's unsatisfied fraction
    change: int  # per priority-weighted second of a previous track moved or dropped
    rules: int = 0  # per priority-weighted second of requested time under an unmet max_gap or spread
    critical: int = 0  # per critical demand not met in full: more than every other term can reach
    consent: int = 0  # per agency with a previous track moved or dropped


def requested_weight(problem: Problem) -> int:
    """R: the total priority-weighted requested time, in seconds."""
    return sum(priority_weight(d.priority) * d.requested for d in problem.demands)


def coefficients(problem: Problem) -> Coefficients:
    weights, total = problem.weights, requested_weight(problem)
    time = round(weights.time * WEIGHT_SCALE) * FRACTION_SCALE
    fairness = round(weights.fairness * WEIGHT_SCALE) * total
    balance = round(weights.agency_balance * WEIGHT_SCALE) * total
    change = round(problem.change_penalty * WEIGHT_SCALE) * FRACTION_SCALE
    rules = round(weights.rules * WEIGHT_SCALE) * FRACTION_SCALE
    consent = round(weights.consent * WEIGHT_SCALE) * FRACTION_SCALE
    critical = 0
    if any(d.critical for d in problem.demands):
        previous = sum(priority_weight(problem.demand(t.demand_id).priority) * t.duration for t in problem.previous)
        critical = (
            time * (total + FLOOR_WEIGHT * sum(mission_floors(problem).values()))
            + (fairness + balance) * FRACTION_SCALE
            + change * previous
            + consent * len(previous_agencies(problem))
            + rules * sum(rule_weights(problem).values())
            + 1
        )
    return Coefficients(time, fairness, balance, change, rules, critical, consent)


def rule_weights(problem: Problem) -> dict[str, int]:
    """What an unmet rule costs, in priority-weighted seconds: per request with `max_gap`
    (keyed by request id) its requested time, per demand with `spread` (keyed by demand id) its own."""
    found: dict[str, int] = defaultdict(int)
    for demand in problem.demands:
        weighted = priority_weight(demand.priority) * demand.requested
        if demand.max_gap:
            found["gap:" + demand.request_id] += weighted
        if demand.spread:
            found["spread:" + demand.id] = weighted
    return dict(found)


def unmet_rule_weight(problem: Problem, tracks: tuple[Track, ...]) -> int:
    """Σ w·r over the unmet max_gap and spread rules (see `rule_weights`)."""
    weights = rule_weights(problem)
    unmet = [f"gap:{r}" for r in gaps_too_long(problem, tracks)] + [
        f"spread:{d}" for d in spread_short(problem, tracks)
    ]
    return sum(weights[key] for key in unmet)


def critical_unmet(problem: Problem, tracks: tuple[Track, ...]) -> list[Demand]:
    """Critical demands not met in full: their tracks, and their own max_gap and spread."""
    if not any(d.critical for d in problem.demands):
        return []
    by_demand: dict[str, list[Track]] = defaultdict(list)
    for track in tracks:
        by_demand[track.demand_id].append(track)
    gaps, spread = gaps_too_long(problem, tracks), spread_short(problem, tracks)
    return [
        d
        for d in problem.demands
        if d.critical and (not demand_satisfied(d, by_demand[d.id]) or d.request_id in gaps or d.id in spread)
    ]


def unsatisfied_thousandths(requested: int, scheduled: int) -> int:
    """ceil(1000 · (requested − scheduled) / requested); 0 when nothing was requested."""
    if requested <= 0:
        return 0
    return -(-FRACTION_SCALE * max(0, requested - scheduled) // requested)


def union_length(intervals: list[tuple[int, int]], window: tuple[int, int]) -> int:
    """Length of the union of intervals, clipped to window."""
    covered, reach = 0, window[0]
    for start, end in sorted(intervals):
        start, end = max(start, reach), min(end, window[1])
        if end > start:
            covered += end - start
            reach = end
    return covered


def covered_prefix(tracks: list[Track], window: tuple[int, int]) -> tuple[int, int | None]:
    """How far tracks cover the window without a gap from its start, and the start of the last
    track of that stretch (None when nothing covers the start)."""
    reach, last = window[0], None
    for track in sorted(tracks, key=lambda t: t.start):
        if track.start <= reach < track.end:
            reach, last = track.end, track.start
    return reach, last


def chain_breaks(demand: Demand, tracks: list[Track]) -> int:
    """How many of a coverage chain's tracks do not take over from the one before with at least
    the handover's overlap."""
    breaks, reach = 0, None
    for track in sorted(tracks, key=lambda t: t.start):
        if reach is not None and track.start > reach - demand.handover:
            breaks += 1
        reach = track.end if reach is None else max(reach, track.end)
    return breaks


def counted_for(demand: Demand, tracks: list[Track]) -> int:
    """Seconds of a demand's tracks that count: each track (the segments of a split track
    together) up to max_duration; for coverage, the covered part of the window less one
    handover per break in the chain; for a volume demand, its equivalent seconds (volume.py)."""
    if demand.volume_bits is not None:
        return volume_seconds(demand, tracks)
    if demand.coverage is not None:
        return union_length([(t.start, t.end) for t in tracks], demand.coverage) - demand.handover * chain_breaks(
            demand, tracks
        )
    if demand.min_segment:
        per_group: dict[str, int] = defaultdict(int)
        for index, track in enumerate(tracks):
            per_group[track.group or f"#{index}"] += track.duration
        total = sum(min(v, demand.max_duration) for v in per_group.values())
    else:
        total = sum(min(t.duration, demand.max_duration) for t in tracks)
    return min(total, demand.requested)


def demand_satisfied(demand: Demand, tracks: list[Track]) -> bool:
    """All tracks at least min_duration (a split track: its segments together), or the whole
    coverage window covered, or the whole volume delivered."""
    if demand.volume_bits is not None:
        return volume_met(demand, tracks)
    if demand.coverage is not None:
        return counted_for(demand, tracks) >= demand.requested
    if demand.min_segment:
        totals: dict[str, int] = defaultdict(int)
        for index, track in enumerate(tracks):
            totals[track.group or f"#{index}"] += track.duration
        return sum(v >= demand.min_duration for v in totals.values()) >= demand.tracks
    return sum(t.duration >= demand.min_duration for t in tracks) >= demand.tracks


def counted_seconds(problem: Problem, tracks: tuple[Track, ...]) -> dict[str, int]:
    """Counted seconds on target per demand id."""
    by_demand: dict[str, list[Track]] = defaultdict(list)
    for track in tracks:
        by_demand[track.demand_id].append(track)
    return {d.id: counted_for(d, by_demand[d.id]) for d in problem.demands}


def worst_unsatisfied(problem: Problem, counted: dict[str, int], key: str) -> int:
    """The largest unsatisfied fraction (thousandths) over missions or agencies (`key`)."""
    requested: dict[str, int] = defaultdict(int)
    got: dict[str, int] = defaultdict(int)
    for demand in problem.demands:
        requested[getattr(demand, key)] += demand.requested
        got[getattr(demand, key)] += counted[demand.id]
    return max((unsatisfied_thousandths(requested[k], got[k]) for k in requested), default=0)


def mission_floors(problem: Problem) -> dict[str, int]:
    """Seconds of each mission's requested time that count FLOOR_WEIGHT more (`Weights.floor`)."""
    requested: dict[str, int] = defaultdict(int)
    for demand in problem.demands:
        requested[demand.mission] += demand.requested
    return {m: int(problem.weights.floor * r) for m, r in requested.items()}


def floor_seconds(problem: Problem, counted: dict[str, int]) -> int:
    """Σ over missions of min(counted seconds, floor): the time that lifts missions off nothing."""
    got: dict[str, int] = defaultdict(int)
    for demand in problem.demands:
        got[demand.mission] += counted[demand.id]
    return sum(min(got[m], floor) for m, floor in mission_floors(problem).items())


def moved_weight(problem: Problem, tracks: tuple[Track, ...]) -> int:
    """Σ w·t over previous tracks that are not in `tracks` at the same place."""
    kept = {(t.demand_id, t.antennas, t.start, t.end) for t in tracks}
    return sum(
        priority_weight(problem.demand(p.demand_id).priority) * p.duration
        for p in problem.previous
        if (p.demand_id, p.antennas, p.start, p.end) not in kept
    )


def previous_agencies(problem: Problem) -> set[str]:
    """The agencies with previous tracks."""
    return {problem.demand(p.demand_id).agency for p in problem.previous}


def agencies_asked(problem: Problem, tracks: tuple[Track, ...]) -> set[str]:
    """The agencies with a previous track that is not in `tracks` at the same place: each would be
    asked to consent to the change (the consent term)."""
    kept = {(t.demand_id, t.antennas, t.start, t.end) for t in tracks}
    return {
        problem.demand(p.demand_id).agency
        for p in problem.previous
        if (p.demand_id, p.antennas, p.start, p.end) not in kept
    }


def objective_terms(problem: Problem, tracks: tuple[Track, ...]) -> dict[str, int]:
    """The scaled objective of a set of tracks term by term, named as the model names them."""
    coef = coefficients(problem)
    counted = counted_seconds(problem, tracks)
    return {
        "time": coef.time * sum(priority_weight(d.priority) * counted[d.id] for d in problem.demands),
        "floor": coef.time * FLOOR_WEIGHT * floor_seconds(problem, counted),
        "fairness": -coef.fairness * worst_unsatisfied(problem, counted, "mission"),
        "agency_balance": -coef.agency_balance * worst_unsatisfied(problem, counted, "agency"),
        "change": -coef.change * moved_weight(problem, tracks),
        "consent": -coef.consent * len(agencies_asked(problem, tracks)),
        "rules": -coef.rules * unmet_rule_weight(problem, tracks),
        "critical": -coef.critical * len(critical_unmet(problem, tracks)),
    }


def score(problem: Problem, tracks: tuple[Track, ...]) -> int:
    """The scaled objective of a set of tracks (what CP-SAT maximises)."""
    return sum(objective_terms(problem, tracks).values())

"""Neighbourhoods of the improvement search: which tracks a round frees and where it may place new ones.

A round works on a `Region` — a time span on all antennas or on a few — and frees every track
(the segments of a split track, the links of a coverage chain, together) whose antenna time lies
inside it; every other track stays where it is as a *locked track of its own demand*, so it keeps
every semantic the model gives locked tracks (MSPA sharing, array and ΔDOR antennas, split groups,
coverage chains, min_gap and non-overlap with the request's other tracks, the mission rule). Every demand stays in
the round's problem, so the round maximises the whole problem's objective (fairness included);
free demands get their opportunities clipped to the region. The current schedule is a solution of
every round's problem: a round whose model is infeasible is our bug.

Three kinds of region, drawn from a seeded sequence: a time window on every antenna, a longer
window on a few antennas, and a window where one of the missions furthest behind could be
tracked; with the relaxation's aims, a fourth: a window where its prices say the schedule
loses the most value (drawn in proportion to that loss). Regions of one batch are disjoint in
antenna time and claim disjoint demands, so their rounds can run in parallel and their results
merge.
"""

import random
from collections import defaultdict
from dataclasses import dataclass, replace

from scheduler.problem.scoring import counted_seconds
from scheduler.problem.types import Demand, Opportunity, Problem, Track
from scheduler.problem.windows import clip_opportunity
from scheduler.solvers.policy import POLICY

KINDS = ("window", "antennas", "window", "lagging")  # the cycle of region kinds, one batch each
PRICED_KINDS = ("window", "antennas", "priced", "lagging")  # the cycle when the relaxation's prices aim rounds
Aim = tuple[int, int, float]  # a window [start, end) and the value the relaxation's prices say it loses


@dataclass(frozen=True)
class Region:
    """Antenna time a round may change: [start, end) on `antennas` (None: every antenna)."""

    start: int
    end: int
    antennas: frozenset[str] | None = None
    kind: str = "window"

    def holds(self, track: Track) -> bool:
        """Whether the track's whole antenna use (setup to teardown) lies in the region."""
        inside = self.start <= track.start - track.setup and track.end + track.teardown <= self.end
        return inside and (self.antennas is None or set(track.antennas) <= self.antennas)

    def meets(self, other: "Region") -> bool:
        """Whether two regions share antenna time."""
        if self.end <= other.start or other.end <= self.start:
            return False
        return self.antennas is None or other.antennas is None or bool(self.antennas & other.antennas)

    def clip(self, demand: Demand) -> tuple[Opportunity, ...]:
        """The demand's opportunities cut to the region (antennas and time)."""
        usable = (o for o in demand.opportunities if self.antennas is None or set(o.antennas) <= self.antennas)
        clipped = (clip_opportunity(o, self.start, self.end, demand.shortest_piece) for o in usable)
        return tuple(o for o in clipped if o is not None)


@dataclass(frozen=True)
class Round:
    """One round's problem: `problem` with the kept tracks locked; `freed` its hint (the current
    schedule's tracks the round may move); `claims` the demands it may change."""

    region: Region
    problem: Problem
    freed: tuple[Track, ...]
    claims: frozenset[str]


def _place(track: Track) -> tuple:
    return (track.demand_id, track.antennas, track.start, track.end)


def _groups(demand: Demand, tracks: list[Track]) -> list[list[Track]]:
    """Tracks that move together: a coverage chain whole, a split track's segments, else each track."""
    if demand.coverage is not None:
        return [tracks] if tracks else []
    grouped: dict[str, list[Track]] = defaultdict(list)
    for number, track in enumerate(tracks):
        grouped[track.group if demand.min_segment and track.group else f"#{number}"].append(track)
    return list(grouped.values())


def round_problem(problem: Problem, tracks: tuple[Track, ...], region: Region, closed: set[str]) -> Round:
    """The round on `region`; demands in `closed` (claimed by another round of the batch) keep
    their tracks and get no opportunity."""
    fixed = {_place(t) for t in problem.locked}
    by_demand: dict[str, list[Track]] = defaultdict(list)
    for track in tracks:
        by_demand[track.demand_id].append(track)
    demands, kept, freed, claims = [], [], [], set()
    for demand in problem.demands:
        mine = by_demand[demand.id]
        movable = demand.id not in closed
        free: list[Track] = []
        for group in _groups(demand, [t for t in mine if _place(t) not in fixed]):
            if movable and all(region.holds(t) for t in group):
                free += group
            elif demand.coverage is not None:
                movable = False  # a chain is re-planned whole or not at all
        if not movable:
            free = []
        freed += free
        kept += [t for t in mine if t not in free]
        opportunities = region.clip(demand) if movable else ()
        if opportunities or free:
            claims.add(demand.id)
        demands.append(replace(demand, opportunities=opportunities))
    sub = replace(problem, demands=tuple(demands), locked=tuple(kept))
    return Round(region, sub, tuple(freed), frozenset(claims))


def window_length(problem: Problem, tracks: tuple[Track, ...], target_tracks: int) -> int:
    """How long a window on every antenna is: about `target_tracks` of the schedule's tracks."""
    share = target_tracks / max(len(tracks), target_tracks)
    return max(int(problem.horizon * share), min(problem.horizon, POLICY.min_round_window_s))


def lagging_missions(problem: Problem, tracks: tuple[Track, ...], count: int) -> list[str]:
    """The `count` missions with the largest unsatisfied fraction among those with opportunities
    left, worst first (ties by name)."""
    counted = counted_seconds(problem, tracks)
    asked: dict[str, int] = defaultdict(int)
    got: dict[str, int] = defaultdict(int)
    reachable: set[str] = set()
    for demand in problem.demands:
        asked[demand.mission] += demand.requested
        got[demand.mission] += counted[demand.id]
        if demand.opportunities and counted[demand.id] < demand.requested:
            reachable.add(demand.mission)
    unmet = {m: 1 - got[m] / asked[m] for m in reachable if asked[m] > 0 and got[m] < asked[m]}
    return sorted(unmet, key=lambda m: (-unmet[m], m))[:count]


def draw_region(
    problem: Problem, tracks: tuple[Track, ...], kind: str, length: int, chooser: random.Random, lagging: list[str],
    aims: tuple[Aim, ...] = (),
) -> Region:  # fmt: skip
    """One region of `kind` (falls back to a window when a kind has nothing to aim at)."""
    horizon = problem.horizon
    if kind == "priced" and aims:
        pick, index = chooser.random() * sum(loss for _, _, loss in aims), 0
        while index < len(aims) - 1 and pick > aims[index][2]:
            pick -= aims[index][2]
            index += 1
        middle = (aims[index][0] + aims[index][1]) // 2
        first = min(max(0, middle - length // 2), max(0, horizon - length))
        return Region(first, min(horizon, first + length), None, "priced")
    if kind == "lagging" and lagging:
        mission = lagging[chooser.randrange(len(lagging))]
        counted = counted_seconds(problem, tracks)
        short = [d for d in problem.demands if d.mission == mission and counted[d.id] < d.requested]
        places = [o for d in short for o in d.opportunities]
        if places:
            aim = places[chooser.randrange(len(places))]
            middle = (aim.earliest_start + aim.latest_end) // 2
            start = min(max(0, middle - length // 2), max(0, horizon - length))
            return Region(start, min(horizon, start + length), None, "lagging")
    if kind == "antennas" and len(problem.antennas) > 3:
        picked = frozenset(chooser.sample(sorted(problem.antennas), 3))
        longer = min(horizon, length * len(problem.antennas) // 6)
        start = chooser.randrange(0, max(1, horizon - longer + 1))
        return Region(start, min(horizon, start + longer), picked, "antennas")
    start = chooser.randrange(0, max(1, horizon - length // 2))
    return Region(start, min(horizon, start + length), None, "window")


def batch(
    problem: Problem,
    tracks: tuple[Track, ...],
    kind: str,
    size: int,
    chooser: random.Random,
    target_tracks: int,
    aims: tuple[Aim, ...] = (),
) -> list[Round]:
    """Up to `size` rounds of `kind` on regions that share no antenna time and claim no common
    demand (nor one request's demands closer than its min_gap), so that their results merge."""
    length = window_length(problem, tracks, target_tracks)
    lagging = lagging_missions(problem, tracks, 2 * size) if kind == "lagging" else []
    rounds: list[Round] = []
    for _ in range(4 * size):
        if len(rounds) == size:
            break
        region = draw_region(problem, tracks, kind, length, chooser, lagging, aims)
        if any(region.meets(r.region) for r in rounds):
            continue
        closed = _closed(problem, region, rounds)
        found = round_problem(problem, tracks, region, closed)
        if found.claims:
            rounds.append(found)
    return rounds


def _closed(problem: Problem, region: Region, rounds: list[Round]) -> set[str]:
    """Demands earlier rounds of the batch claimed, and the other demands of their requests when
    the two regions lie within the request's min_gap of each other."""
    closed: set[str] = set()
    for other in rounds:
        closed |= other.claims
        distance = max(region.start - other.region.end, other.region.start - region.end, 0)
        near = {problem.demand(d).request_id for d in other.claims if problem.demand(d).min_gap >= distance}
        closed |= {d.id for d in problem.demands if d.request_id in near}
    return closed

"""The insertion decision (README: Urgent insertion): where the urgent track goes and what gives
way to it.

An emergency starts within `slack` of the earliest start its rules allow (untouchable tracks,
downtime and the mission's untouchable tracks being the only obstacles); among those placements
it takes the longest, then the one displacing the least priority-weighted time of others, then
the fewest removed tracks, then the earliest. Tracks in its way are shortened where they can be,
else removed and then moved where they fit, else dropped. A late-add takes the same rule over
the placements that displace nobody; with none, it is refused and the least disruptive
placement names the tracks that block it.
"""

from dataclasses import dataclass, replace
from typing import Literal

from scheduler.problem.grid import units
from scheduler.problem.track_groups import chain_groups
from scheduler.problem.types import Demand, Problem, Track
from scheduler.solvers.greedy.board import board_with
from scheduler.solvers.insertion.give_way import Evaluation, Outcome, removed_by_priority
from scheduler.solvers.insertion.local import Neighbourhood, Urgent, mission_zones, relevant
from scheduler.solvers.insertion.moves import move_removed
from scheduler.solvers.insertion.placements import Candidate, Stretch, candidates, earliest, stretches


@dataclass(frozen=True)
class Change:
    """What happened to one planned track: shortened or moved to `new`, or dropped."""

    track: Track
    change: Literal["shortened", "moved", "dropped"]
    new: Track | None

    @property
    def lost_seconds(self) -> int:
        """Time on target the track no longer has."""
        return self.track.duration - (0 if self.new is None else self.new.duration)

    @property
    def displaced_seconds(self) -> int:
        """Time on target no longer where it was planned: the cut-off part, or the whole track."""
        return self.lost_seconds if self.change == "shortened" else self.track.duration


@dataclass(frozen=True)
class Decision:
    """The urgent track (None: not placed), each changed planned track by its number, and the
    schedule as decided; `blocking` names (by number) what a refused late-add would displace."""

    placed: Track | None
    changes: tuple[tuple[int, Change], ...]
    tracks: tuple[Track, ...]
    blocking: tuple[int, ...] = ()


def decide(
    problem: Problem,
    tracks: tuple[Track, ...],
    fixed: set[int],
    demand: Demand,
    now: int,
    slack: int,
    tier: Literal["emergency", "late-add"],
) -> Decision:
    """Place one track of `demand` (a demand of `problem`) among the planned `tracks`; `fixed`
    (by number) are untouchable; nothing starts its setup before `now`."""
    if tier == "late-add":
        free = best_placement(problem, tracks, set(range(len(tracks))), demand, now, slack)
        if free is not None:
            placed = free[0].track(demand, problem.resolution)
            return Decision(placed, (), tuple(sorted((*tracks, placed), key=lambda t: (t.start, t.antennas))))
    found = best_placement(problem, tracks, fixed, demand, now, slack)
    if found is None:
        return Decision(None, (), tracks)
    candidate, outcome, hood = found
    placed = candidate.track(demand, problem.resolution)
    if tier == "late-add":
        return Decision(None, (), tracks, tuple(sorted(outcome.changes)))
    return Decision(placed, *settle(problem, hood, outcome, placed, now))


def best_placement(
    problem: Problem, tracks: tuple[Track, ...], fixed: set[int], demand: Demand, now: int, slack: int
) -> tuple[Candidate, Outcome, Neighbourhood] | None:
    """The best placement around the untouchable tracks `fixed`, with what it costs the others."""
    unit = problem.resolution
    hood = Neighbourhood(problem, tracks, fixed)
    holding = tuple(t for n, t in enumerate(tracks) if n in fixed)
    board = board_with(problem, holding)
    found = stretches(board, demand, unit, now, mission_zones(problem, demand, list(holding), unit))
    first = earliest(board, demand, unit, found)
    if first is None:
        return None
    limit = first + slack // unit
    _, most = units(demand, unit)
    near: dict[Stretch, list] = {}
    for stretch in found:
        low = (stretch.low - stretch.grid.setup) * unit
        high = (min(stretch.high, limit + most) + stretch.grid.teardown) * unit
        mine = [p for p in hood.near(low, high) if not p.fixed]
        near[stretch] = relevant(mine, demand, hood.complexes(stretch.opportunity.antennas))
    rfi = hood.rfi(demand)
    best: tuple | None = None
    for candidate in candidates(board, demand, unit, found, limit, near, hood.spacing):
        track = candidate.track(demand, unit)
        urgent = Urgent(demand, track, hood.complexes(track.antennas))
        outcome = Evaluation(hood, urgent, rfi).run(near[candidate.stretch])
        if outcome is None:
            continue
        key = (-track.duration, outcome.displaced, outcome.removed, track.start, track.antennas)
        if best is None or key < best[0]:
            best = (key, candidate, outcome)
    return None if best is None else (best[1], best[2], hood)


def settle(
    problem: Problem, hood: Neighbourhood, outcome: Outcome, placed: Track, now: int
) -> tuple[tuple[tuple[int, Change], ...], tuple[Track, ...]]:
    """The changes an outcome makes, removed tracks moved where they fit, and the schedule after."""
    kept: list[Track] = [placed]
    changes: list[tuple[int, Change]] = []
    for item in hood.planned:
        piece = outcome.changes.get(item.number, (item.track.start, item.track.end))
        if piece is None:
            continue
        track = replace(item.track, start=piece[0], end=piece[1])
        kept.append(track)
        if item.number in outcome.changes:
            changes.append((item.number, Change(item.track, "shortened", track)))
    moved = move_removed(problem, kept, removed_by_priority(hood, outcome), now)
    for number, track in moved.items():
        changes.append((number, Change(hood.planned[number].track, "dropped" if track is None else "moved", track)))
        if track is not None:
            kept.append(track)
    return tuple(sorted(changes)), regrouped(problem, kept, {c.track.demand_id for _, c in changes})


def regrouped(problem: Problem, tracks: list[Track], touched: set[str]) -> tuple[Track, ...]:
    """The tracks, with the links of each touched coverage chain grouped again by their handovers."""
    out = [t for t in tracks if t.demand_id not in touched or problem.demand(t.demand_id).coverage is None]
    for demand_id in sorted(touched):
        demand = problem.demand(demand_id)
        if demand.coverage is not None:
            out += chain_groups(demand, [t for t in tracks if t.demand_id == demand_id])
    return tuple(sorted(out, key=lambda t: (t.start, t.antennas, t.demand_id)))

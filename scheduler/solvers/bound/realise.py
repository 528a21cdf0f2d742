"""Real tracks from the restricted master's grid pieces: each piece placed in its opportunity on the
model's resolution grid, as near its grid place as the real setup, teardown, downtime, operations
rules (the greedy board's checks) and the mission rule allow, in time order; pieces that no
longer fit, and split tracks whose segments fall short of min_duration, are left out. Valid by
construction: the mission rule holds between every two tracks of different requests of one key."""

from collections import defaultdict

from scheduler.problem.grid import Grid as Snapped
from scheduler.problem.grid import snap, units
from scheduler.problem.track_groups import split_group
from scheduler.problem.types import Demand, Opportunity, Problem, Track
from scheduler.solvers.board import Board, board_with
from scheduler.solvers.bound.steps import Grid, Job, mission_key


def realise(problem: Problem, grid: Grid, placed: list[tuple[int, Job, int, int]]) -> tuple[Track, ...]:
    """The locked tracks and the pieces' real tracks (sorted by start)."""
    unit = problem.resolution
    board = board_with(problem, problem.locked)
    held: dict[str, list[tuple[int, int]]] = defaultdict(list)  # on target per mission-rule key, in units
    for track in problem.locked:
        held[mission_key(problem.demand(track.demand_id))].append((track.start // unit, -(-track.end // unit)))
    pieces = sorted({(job.demand, job.opportunity, start, end, job.credit) for _, job, start, end in placed},
                    key=lambda p: (p[2], p[0], p[1]))  # fmt: skip
    groups: dict[int, list[list[Track]]] = defaultdict(list)
    counts: dict[int, int] = defaultdict(int)
    for r, number, start, end, credit in pieces:
        demand = problem.demands[r]
        opportunity = demand.opportunities[number]
        shortest, longest = units(demand, unit)
        snapped = snap(opportunity, shortest, unit)
        if snapped is None:
            continue
        mine = groups[r]
        if demand.min_segment:
            if mine and sum(t.duration for t in mine[-1]) // unit + shortest <= longest:
                longest -= sum(t.duration for t in mine[-1]) // unit
            elif len(mine) + _locked_tracks(problem, demand) >= demand.tracks:
                continue
            else:
                mine.append([])
        elif counts[r] + _locked_tracks(problem, demand) >= demand.tracks:
            continue
        wanted = min(longest, int((end - start + credit) * grid.step) // unit)
        found = _fit(board, held[mission_key(demand)], demand, opportunity, snapped, start * grid.step // unit,
                     shortest, wanted)  # fmt: skip
        if found is None:
            if demand.min_segment and not mine[-1]:
                mine.pop()
            continue
        a, b = found
        group = split_group(demand, len(mine) - 1) if demand.min_segment else ""
        track = board.place(demand, opportunity.antennas, snapped, a, b, group)
        held[mission_key(demand)].append((a, b))
        counts[r] += 1
        if demand.min_segment:
            mine[-1].append(track)
    for r, found in groups.items():  # split tracks short of min_duration: their segments go
        for segments in found:
            if sum(t.duration for t in segments) < problem.demands[r].min_duration:
                for track in segments:
                    board.remove(problem.demands[r], track)
    return tuple(sorted((*problem.locked, *board.tracks), key=lambda t: (t.start, t.antennas, t.demand_id)))


def _locked_tracks(problem: Problem, demand: Demand) -> int:
    mine = [t for t in problem.locked if t.demand_id == demand.id]
    return len({t.group or str(i) for i, t in enumerate(mine)}) if demand.min_segment else len(mine)


def _fit(
    board: Board, held: list[tuple[int, int]], demand: Demand, opportunity: Opportunity, snapped: Snapped,
    aim: int, shortest: int, wanted: int,
) -> tuple[int, int] | None:  # fmt: skip
    """The earliest start from `aim` on (or the latest before it) where a track of `shortest`..`wanted`
    units fits the board and the mission's time on target; the longest such track there."""
    stretches = _stretches(board.free(demand, opportunity, snapped), held)
    after = [(a, b) for a, b in stretches if b - max(a, aim) >= shortest]  # from the aim on, earliest first
    before = [(a, b) for a, b in reversed(stretches) if (a, b) not in after]  # then the latest before it
    for low, high in after + before:
        start = max(low, min(aim, high - shortest), snapped.earliest)
        if start > snapped.latest_start or high - start < shortest:
            continue
        first = board.first_start(demand, opportunity, snapped, start, min(snapped.latest_start, high - shortest))
        if first is None:
            continue
        end = min(high, first + wanted, snapped.latest_end)
        if end - first >= shortest and board.fits(demand, opportunity, snapped, first, end):
            return first, end
    return None


def _stretches(free: list[tuple[int, int]], held: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The free stretches less the mission's time on target."""
    out = []
    for low, high in free:
        cursor = low
        for a, b in sorted(held):
            if b <= cursor or a >= high:
                continue
            if a > cursor:
                out.append((cursor, a))
            cursor = max(cursor, b)
        if cursor < high:
            out.append((cursor, high))
    return out

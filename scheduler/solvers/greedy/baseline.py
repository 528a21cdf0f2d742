"""Greedy baseline: locked and previous tracks first, then demands in priority order, each
track as long as it can be and as early as possible.

Works on the same resolution grid as the CP-SAT model, so its schedule is a valid hint.
"""

import math
import time
from collections import defaultdict

from scheduler.problem.grid import units
from scheduler.problem.scoring import SCALE, covered_prefix, score
from scheduler.problem.track_groups import by_demand, chain_groups, split_group, tracks_held
from scheduler.problem.types import Demand, Opportunity, Problem, Track
from scheduler.solvers.greedy.board import Board, board_with
from scheduler.solvers.greedy.placement import grids as _grids
from scheduler.solvers.greedy.placement import longest as _longest
from scheduler.solvers.greedy.placement import precede, visiting_order
from scheduler.solvers.greedy.volume import best_for_volume
from scheduler.solvers.interface import Progress, Solution, SolverSettings, no_progress


def solve_greedy(problem: Problem, settings: SolverSettings, progress: Progress = no_progress) -> Solution:
    """The greedy baseline as a solver: deterministic, no search settings needed, no bound."""
    began = time.perf_counter()
    tracks = solve_greedy_tracks(problem)
    value = score(problem, tracks) / SCALE
    return Solution(tracks, "FEASIBLE", value, math.inf, time.perf_counter() - began, "greedy")


def solve_greedy_tracks(problem: Problem) -> tuple[Track, ...]:
    """The greedy schedule (tracks sorted by start)."""
    board = board_with(problem, problem.locked)
    demands = {d.id: d for d in problem.demands}
    taken: dict[str, int] = defaultdict(int)
    for demand_id, mine in by_demand(problem.locked).items():
        taken[demand_id] = tracks_held(demands[demand_id], mine)
    _lead_locked(problem, board, taken)
    kept = _keep_previous(problem, board, demands, taken)
    order = visiting_order(problem)
    # Whole tracks go round by round, one per demand each round, so every mission gets a first
    # track before any gets its last; split tracks and coverage chains are placed in round one.
    rounds = max((d.tracks for d in order if d.coverage is None and not d.min_segment), default=1)
    for number in range(rounds):
        for demand in order:
            if demand.coverage is not None or demand.min_segment:
                if number == 0 and not kept[demand.id]:
                    fill(board, demand, demand.tracks - taken[demand.id], problem.locked)
            elif taken[demand.id] < demand.tracks and place_one(board, demand, shortest_first=True):
                taken[demand.id] += 1
    _extend(board, demands, order, {(t.demand_id, t.antennas, t.start, t.end) for t in problem.previous})
    placed = by_demand(board.tracks)
    tracks = list(problem.locked)
    for demand in problem.demands:
        mine = placed[demand.id]
        tracks += chain_groups(demand, mine) if demand.coverage is not None else mine
    return tuple(sorted(tracks, key=lambda t: (t.start, t.antennas, t.demand_id)))


def place_one(board: Board, demand: Demand, shortest_first: bool = False) -> bool:
    """Place the demand's longest free track (or its earliest at min_duration; for a volume demand,
    the one returning the most data); False when none fits."""
    if demand.volume_bits is not None:
        choice = best_for_volume(board, demand)
        if choice is not None:
            board.place(demand, choice[0].antennas, choice[1], choice[2], choice[3])
        return choice is not None
    cap = units(demand, board.unit)[0] if shortest_first else None
    best = _longest(board, demand, demand.opportunities, cap)
    if best is not None:
        board.place(demand, best.opportunity.antennas, best.grid, best.start, best.end)
    return best is not None


def _lead_locked(problem: Problem, board: Board, taken: dict[str, int]) -> None:
    """Locked tracks of an `after` request that follow no locked track get one placed before them."""
    rules = board.rules
    if rules is None:
        return
    following = {d.request_id: d for d in problem.demands if d.after is not None}
    for demand in following.values():
        assert demand.after is not None
        leaders = [d for d in problem.demands if d.request_id == demand.after.request_id]
        for start in rules.unled(demand):
            found = precede(board, leaders, demand.after, start, taken)
            if found is not None:
                leader, where = found
                board.place(leader, where.opportunity.antennas, where.grid, where.start, where.end)
                taken[leader.id] += 1
                rules.follow(demand, start)


def _extend(board: Board, demands: dict[str, Demand], order: list[Demand], keep: set) -> None:
    """Lengthen tracks placed at min_duration towards max_duration where the antenna is free
    (previous tracks kept in place stay as they are)."""
    rank = {d.id: n for n, d in enumerate(order)}
    unit = board.unit
    for track in sorted(board.tracks, key=lambda t: (rank[t.demand_id], t.start)):
        demand = demands[track.demand_id]
        fixed = demand.min_duration == demand.max_duration or demand.volume_bits is not None
        if demand.coverage is not None or demand.min_segment or fixed:
            continue
        if (track.demand_id, track.antennas, track.start, track.end) in keep:
            continue
        start, end = track.start // unit, track.end // unit
        _, longest = units(demand, unit)
        cap = board.rules.end_cap(demand, start) if board.rules is not None else None
        if cap is not None:
            longest = min(longest, cap - start)
        board.remove(demand, track)
        best = None
        for opportunity, grid in _grids(demand, demand.opportunities, unit):
            if opportunity.antennas != track.antennas or not grid.earliest <= start <= grid.latest_start:
                continue
            if grid.setup * unit != track.setup or grid.teardown * unit != track.teardown:
                continue
            for a, b in board.free(demand, opportunity, grid):
                if a <= start and end <= b and (best is None or min(b, start + longest) > best[1]):
                    best = (start, min(b, start + longest), grid)
        assert best is not None, "a track's own place is free once it is lifted"
        board.place(demand, track.antennas, best[2], best[0], best[1], track.group)


def fill(board: Board, demand: Demand, tracks: int, locked: tuple[Track, ...] = ()) -> list[Track]:
    """Up to `tracks` more tracks (or split tracks, or a coverage chain continuing the demand's
    `locked` links) for one demand."""
    before = len(board.tracks)
    if demand.coverage is not None:
        _cover(board, demand, [t for t in locked if t.demand_id == demand.id])
    elif demand.min_segment:
        _split(board, demand, tracks)
    else:
        for _ in range(tracks):
            if not place_one(board, demand):
                break
    return board.tracks[before:]


def _keep_previous(
    problem: Problem, board: Board, demands: dict[str, Demand], taken: dict[str, int]
) -> dict[str, bool]:
    """Put previous tracks back where they were when they still fit (whole split tracks and
    whole coverage chains only). Returns, per demand, whether any were kept."""
    kept: dict[str, bool] = defaultdict(bool)
    unit = board.unit
    by_group: dict[tuple[str, str], list[Track]] = defaultdict(list)
    for track in problem.previous:
        demand = demands[track.demand_id]
        key = track.group if (demand.min_segment or demand.coverage is not None) and track.group else str(id(track))
        if demand.coverage is not None:
            key = "chain"
        by_group[(demand.id, key)].append(track)
    groups = list(by_group.items())
    if problem.has_operations:  # a request's `after` leaders are back before its own tracks
        rank = {d.id: n for n, d in enumerate(visiting_order(problem))}
        groups.sort(key=lambda item: rank[item[0][0]])
    for (demand_id, _), group in groups:
        demand = demands[demand_id]
        if demand.coverage is None and taken[demand_id] >= demand.tracks:
            continue
        placed = []
        for track in sorted(group, key=lambda t: t.start):
            if track.start % unit or track.end % unit:
                break
            start, end = track.start // unit, track.end // unit
            shortest, longest = units(demand, unit)
            match = next(
                (
                    (o, g)
                    for o, g in _grids(demand, demand.opportunities, unit)
                    if o.antennas == track.antennas
                    and shortest <= end - start <= longest
                    and board.fits(demand, o, g, start, end)
                ),
                None,
            )
            if match is None:
                break
            placed.append(board.place(demand, match[0].antennas, match[1], start, end, track.group))
        if len(placed) < len(group):
            for track in placed:
                board.remove(demand, track)
            continue
        kept[demand_id] = True
        taken[demand_id] += 1
    return kept


def _split(board: Board, demand: Demand, tracks: int) -> None:
    """Split tracks: segments of at least min_segment, longest first, until max_duration."""
    unit = board.unit
    shortest_total = math.ceil(demand.min_duration / unit)
    longest_total = demand.max_duration // unit
    used = {t.group for t in board.tracks if t.demand_id == demand.id}
    number = 0
    for _ in range(tracks):
        while split_group(demand, number) in used:
            number += 1
        group = split_group(demand, number)
        segments: list[Track] = []
        total = 0
        remaining = list(demand.opportunities)
        while total < longest_total:
            best = _longest(board, demand, tuple(remaining), cap=longest_total - total)
            if best is None:
                break
            remaining.remove(best.opportunity)
            segments.append(board.place(demand, best.opportunity.antennas, best.grid, best.start, best.end, group))
            total += best.end - best.start
        if total < shortest_total:
            for track in segments:
                board.remove(demand, track)
            return
        used.add(group)


def _start_ok(board: Board, demand: Demand, opportunity: Opportunity, grid, start: int) -> bool:
    return board.rules is None or board.rules.start_ok(demand, opportunity.antennas, grid, start)


def _cover(board: Board, demand: Demand, locked: list[Track]) -> None:
    """A coverage chain from the window's start (or from the end of the locked links covering
    it): extend with the link that reaches furthest while overlapping by the handover; where
    none can, jump to the earliest next link."""
    assert demand.coverage is not None
    unit = board.unit
    shortest, longest = units(demand, unit)
    handover = math.ceil(demand.handover / unit)
    covered, last = covered_prefix(locked, demand.coverage)
    reach, last_start = math.ceil(covered / unit), (None if last is None else last // unit)
    window_end = demand.coverage[1] // unit
    unused = _grids(demand, demand.opportunities, unit)
    while reach < window_end and unused:
        best: tuple[int, int, int] | None = None  # (rank, start, end) with index
        choice = None
        for index, (opportunity, grid) in enumerate(unused):
            for a, b in board.free(demand, opportunity, grid):
                if last_start is not None:  # extend the chain: start handover before the reach
                    start = min(reach - handover, grid.latest_start)
                    if start >= a and start > last_start and _start_ok(board, demand, opportunity, grid, start):
                        end = min(b, start + longest)
                        if end - start >= shortest and end > reach and (best is None or (0, -end) < best[:2]):
                            best, choice = (0, -end, start), (index, start, end)
                start = board.first_start(demand, opportunity, grid, max(a, reach), grid.latest_start)
                if start is None:  # or begin a new chain after a gap
                    continue
                end = min(b, start + longest)
                fits = end - start >= shortest
                if fits and (best is None or (1, start) < best[:2]):
                    best, choice = (1, start, end), (index, start, end)
        if choice is None:
            return
        index, start, end = choice
        opportunity, grid = unused.pop(index)
        board.place(demand, opportunity.antennas, grid, start, end)
        reach, last_start = end, start

"""The greedy baseline's choice for a volume demand: the free placement that returns the most of
what is still missing, with the least antenna time, then the earliest.

Where a track reaches the remaining volume it ends there (never shorter than min_duration);
elsewhere it runs as long as it may, since every further minute adds data.
"""

import numpy as np

from scheduler.problem.grid import Grid, snap, units
from scheduler.problem.types import Demand, Opportunity
from scheduler.problem.volume import cumulative_kbit, profile_of, volume_kbit
from scheduler.solvers.greedy.board import Board

Choice = tuple[Opportunity, Grid, int, int]


def remaining_kbit(board: Board, demand: Demand) -> int:
    """What the demand's volume still lacks, given the tracks on the board."""
    return volume_kbit(demand) - board.kbit[demand.id]


def best_for_volume(board: Board, demand: Demand) -> Choice | None:
    """The best free placement (opportunity, grid, start, end in units), or None when the volume is
    met or no free placement returns any data."""
    wanted = remaining_kbit(board, demand)
    if wanted <= 0:
        return None
    shortest, longest = units(demand, board.unit)
    best: tuple[tuple[int, int, int], Choice] | None = None
    for opportunity in demand.opportunities:
        grid = snap(opportunity, shortest, board.unit)
        profile = profile_of(demand, opportunity.antennas)
        if grid is None or profile is None:
            continue
        table = np.asarray(cumulative_kbit(profile, grid.earliest, grid.latest_end))
        for a, b in board.free(demand, opportunity, grid):
            starts = np.arange(a, min(b - shortest, grid.latest_start) + 1)
            if board.rules is not None:  # operations rules: start spacing, after links
                starts = starts[[board.rules.start_ok(demand, opportunity.antennas, grid, int(s)) for s in starts]]
            if starts.size == 0:
                continue
            at_start = table[starts - grid.earliest]
            needed = np.searchsorted(table, at_start + wanted, side="left") + grid.earliest
            ends = np.clip(needed, starts + shortest, np.minimum(b, starts + longest))
            value = np.minimum(table[ends - grid.earliest] - at_start, wanted)
            order = np.lexsort((starts, ends - starts, -value))
            k = order[0]
            rank = (int(value[k]), -int(ends[k] - starts[k]), -int(starts[k]))
            if best is None or rank > best[0]:
                best = (rank, (opportunity, grid, int(starts[k]), int(ends[k])))
    if best is None or best[0][0] <= 0:
        return None
    return best[1]

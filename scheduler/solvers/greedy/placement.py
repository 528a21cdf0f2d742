"""Where the greedy baseline puts a track: the longest free placement, then the earliest, among a
demand's opportunities; first, where a rule asks it, the one that adds a complex the demand still
needs (`spread`) or closes the request's longest gap (`max_gap`). Also the order demands are
visited in (critical first; a request's `after` leader before it)."""

from dataclasses import dataclass

from scheduler.problem.grid import Grid, snap, units
from scheduler.problem.types import After, Demand, Opportunity, Problem
from scheduler.solvers.greedy.board import Board


@dataclass(frozen=True)
class Placement:
    opportunity: Opportunity
    grid: Grid
    start: int  # units
    end: int


def grids(demand: Demand, opportunities: tuple[Opportunity, ...], unit: int) -> list[tuple[Opportunity, Grid]]:
    shortest, _ = units(demand, unit)
    return [(o, g) for o in opportunities if (g := snap(o, shortest, unit)) is not None]


def visiting_order(problem: Problem) -> list[Demand]:
    """Critical demands first, then by priority (fewest opportunities first among equals); an
    `after` request's demand comes right after those of its leader's periods that can precede it,
    so that a leader's track and the one following it are placed together."""
    ranked = sorted(problem.demands, key=lambda d: (not d.critical, d.priority, len(d.opportunities), d.id))
    followers: dict[str, list[Demand]] = {}
    leaders: dict[str, list[Demand]] = {}
    for demand in ranked:
        leaders.setdefault(demand.request_id, []).append(demand)
        if demand.after is not None:
            followers.setdefault(demand.after.request_id, []).append(demand)
    order: list[Demand] = []
    seen: set[str] = set()

    def span(demand: Demand) -> tuple[int, int]:
        return demand.period or (0, problem.horizon)

    def precedes(leader: Demand, follower: Demand) -> bool:
        assert follower.after is not None
        (a, b), (c, d) = span(leader), span(follower)
        return a < d and b + follower.after.most > c

    def visit(demand: Demand) -> None:
        if demand.id in seen:
            return
        seen.add(demand.id)
        if demand.after is not None:
            for leader in leaders.get(demand.after.request_id, []):
                if precedes(leader, demand):
                    visit(leader)
        order.append(demand)
        for follower in followers.get(demand.request_id, []):
            if precedes(demand, follower):
                visit(follower)

    for demand in ranked:
        visit(demand)
    return order


def longest(
    board: Board, demand: Demand, opportunities: tuple[Opportunity, ...], cap: int | None = None
) -> Placement | None:
    """The best free placement among the opportunities: longest, then earliest; with `spread` or
    `max_gap`, first the one that helps the rule most."""
    shortest, most = units(demand, board.unit)
    if cap is not None:
        most = min(most, cap)
    rank = _rule_rank(board, demand)
    best: tuple | None = None
    for opportunity, grid in grids(demand, opportunities, board.unit):
        for a, b in board.free(demand, opportunity, grid):
            high = min(grid.latest_start, b - shortest)
            for start in _starts(board, demand, opportunity, grid, a, high):
                end = min(b, start + most)
                if end - start < shortest:
                    continue
                key = (*rank(opportunity, start, end), end - start, -start)
                if best is None or key > best[0]:
                    best = (key, Placement(opportunity, grid, start, end))
    return None if best is None else best[1]


def _starts(board: Board, demand: Demand, opportunity: Opportunity, grid: Grid, low: int, high: int) -> list[int]:
    """The earliest allowed start of a free stretch; for `max_gap`, also the latest allowed start
    that keeps the request's first gap longer than max_gap within it."""
    first = board.first_start(demand, opportunity, grid, low, high)
    found = [] if first is None else [first]
    gap = _first_long_gap(board, demand)
    if gap is not None and first is not None:
        wish = min(high, gap[0] + demand.max_gap // board.unit)
        latest = board.first_start(demand, opportunity, grid, wish, wish) if wish >= low else None
        found.append(latest if latest is not None else first)
    return found


def _first_long_gap(board: Board, demand: Demand) -> tuple[int, int] | None:
    """The request's earliest stretch (units) without a track longer than its max_gap."""
    if not demand.max_gap or demand.gap_window is None:
        return None
    unit = board.unit
    low, high = demand.gap_window
    reach = low
    for start, end in [*sorted((a * unit, b * unit) for a, b in board.on_target[demand.request_id]), (high, high)]:
        if min(start, high) - reach > demand.max_gap:
            return -(-reach // unit), min(start, high) // unit
        reach = max(reach, end)
    return None


def _rule_rank(board: Board, demand: Demand):
    """A key (higher is better) of how much a placement helps the demand's soft rules: a start
    within max_gap of the request's first long gap, as late as it can end (covering gaps from the
    start of the window); a complex the demand's `spread` still needs."""
    rules = board.rules
    used = set()
    if demand.spread and rules is not None:
        used = {c for t in board.tracks if t.demand_id == demand.id for c in rules.complexes(t.antennas)}
    gap = _first_long_gap(board, demand)

    def rank(opportunity: Opportunity, start: int, end: int) -> tuple:
        key: tuple = ()
        if demand.max_gap:
            closes = gap is not None and gap[0] <= start <= gap[0] + demand.max_gap // board.unit
            key += (closes, end if closes else 0)
        if demand.spread and rules is not None and len(used) < demand.spread:
            key += (bool(rules.complexes(opportunity.antennas) - used),)
        return key

    return rank


def precede(
    board: Board, leaders: list[Demand], after: After, start: int, taken: dict[str, int]
) -> tuple[Demand, Placement] | None:
    """A placement for one of `leaders` (the demands of the request a track follows by `after`)
    that ends least..most before `start` (units), as late as it can; None when none fits."""
    least, latest = -(-after.least // board.unit), after.most // board.unit
    best: tuple | None = None
    for demand in leaders:
        if taken[demand.id] >= demand.tracks:
            continue
        shortest, most = units(demand, board.unit)
        for opportunity, grid in grids(demand, demand.opportunities, board.unit):
            for a, b in board.free(demand, opportunity, grid):
                last_end = min(b, start - least)
                low = max(a, last_end - most)
                first = board.first_start(demand, opportunity, grid, low, min(grid.latest_start, last_end - shortest))
                if first is None:
                    continue
                end = min(last_end, first + most)
                if end - first >= shortest and start - end <= latest and (best is None or end > best[0]):
                    best = (end, demand, Placement(opportunity, grid, first, end))
    return None if best is None else (best[1], best[2])

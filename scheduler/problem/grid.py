"""The resolution grid: opportunities snapped to whole units of the problem's resolution, and how many
tracks or coverage links fit, as the model, the greedy baseline and the size guard all count them."""

import math
from dataclasses import dataclass

from scheduler.problem.types import Demand, Opportunity


@dataclass(frozen=True)
class Grid:
    """An opportunity snapped to the resolution: start in [earliest, latest_start], end ≤ latest_end."""

    earliest: int
    latest_start: int
    latest_end: int
    setup: int
    teardown: int

    @property
    def length(self) -> int:
        return self.latest_end - self.earliest

    def fits(self, shortest: int) -> int:
        """How many tracks of `shortest` units fit one after another, setup and teardown included."""
        return (self.length + self.setup + self.teardown) // (shortest + self.setup + self.teardown)


def snap(opportunity: Opportunity, shortest: int, unit: int) -> Grid | None:
    """The opportunity in resolution units, or None when a `shortest`-unit track cannot fit."""
    earliest = math.ceil(opportunity.earliest_start / unit)
    latest_end = opportunity.latest_end // unit
    latest_start = min(opportunity.latest_start // unit, latest_end - shortest)
    if latest_start < earliest:
        return None
    return Grid(
        earliest,
        latest_start,
        latest_end,
        math.ceil(opportunity.setup / unit),
        math.ceil(opportunity.teardown / unit),
    )


def units(demand: Demand, unit: int) -> tuple[int, int]:
    """Shortest and longest piece (track or segment) in units; longest < shortest when no
    multiple of the resolution lies between min and max duration (nothing can be placed)."""
    return math.ceil(demand.shortest_piece / unit), demand.max_duration // unit


def chain_count(demand: Demand, unit: int, at_least: int = 0) -> int:
    """How many links a coverage chain may use: enough to cover the window with the typical
    opportunity, never more than there are opportunities."""
    if not demand.opportunities:
        return 0
    lengths = sorted(min(demand.max_duration, o.latest_end - o.earliest_start) for o in demand.opportunities)
    typical = max(unit, lengths[len(lengths) // 2] - demand.handover)
    needed = 2 * (-(-demand.requested // typical)) + 1
    return min(len(demand.opportunities), max(needed, at_least))

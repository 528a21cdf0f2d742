"""A grid piece as a real track: on the model's resolution grid, inside its opportunity, starting at
its grid start (or the opportunity's earliest start after it) and as long as the piece counts,
within the demand's longest piece and the opportunity's end; None when it cannot last its
shortest piece there."""

from scheduler.problem.grid import snap, units
from scheduler.problem.types import Problem, Track


def placed_track(problem: Problem, demand: int, number: int, start: int, counted: float, step: int) -> Track | None:
    """The real track of demand `demand`'s piece from step `start` counting `counted` steps (`Job.counted`)
    in opportunity `number`."""
    unit = problem.resolution
    chosen = problem.demands[demand]
    opportunity = chosen.opportunities[number]
    shortest, longest = units(chosen, unit)
    snapped = snap(opportunity, shortest, unit)
    if snapped is None:
        return None
    first = min(max(snapped.earliest, -(-start * step // unit)), snapped.latest_start)
    wanted = min(longest, int(counted * step) // unit)
    last = min(snapped.latest_end, first + wanted)
    if last - first < shortest:
        return None
    return Track(
        chosen.id, opportunity.antennas, first * unit, last * unit, snapped.setup * unit, snapped.teardown * unit
    )

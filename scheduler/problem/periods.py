"""Accounting periods: a request's demands are one per period (`per: day|week|horizon`), named
`ID#n` when there are several, and each view period offers the part of itself where a track
starting in the period fits, setup and teardown inside the horizon."""

from typing import Any, Protocol

from scheduler.problem.types import Demand, Opportunity
from scheduler.timeutil import DAY, WEEK

PERIOD_SECONDS = {"day": DAY, "week": WEEK}


def period_spans(per: str, horizon: int) -> list[tuple[int, int]]:
    """The accounting periods [a, b) covering the horizon; one for `horizon`."""
    length = PERIOD_SECONDS.get(per, horizon)
    return [(a, min(a + length, horizon)) for a in range(0, horizon, length)]


def demand_id(request_id: str, number: int, count: int) -> str:
    """The id of a request's demand for its period `number` (from 0) of `count`."""
    return request_id if count == 1 else f"{request_id}#{number + 1}"


class RequestLike(Protocol):
    """What a demand takes from the request it serves (a scenario's, or a synthetic one)."""

    id: str
    mission: str
    agency: str
    target: str
    priority: int
    tracks: int


def period_demand(
    request: RequestLike,
    periods: list[tuple[int, int]],
    number: int,
    durations: tuple[int, int],
    opportunities: tuple[Opportunity, ...],
    **semantics: Any,
) -> Demand:
    """The request's demand for period `number` of `periods`: tracks of `durations` (min, max)
    seconds in `opportunities`, with the request's other semantics (`Demand`'s keyword fields)."""
    shortest, longest = durations
    return Demand(
        demand_id(request.id, number, len(periods)),
        request.id,
        request.mission,
        request.agency,
        request.target,
        request.priority,
        request.tracks,
        shortest,
        longest,
        opportunities,
        period=periods[number],
        **semantics,
    )


def opportunity_in(
    antennas: tuple[str, ...],
    usable: tuple[int, int],
    window: tuple[int, int],
    period: tuple[int, int],
    horizon: int,
    setup_teardown: tuple[int, int],
    shortest: int,
) -> Opportunity | None:
    """Where a track of at least `shortest` seconds may lie in a `usable` interval of `antennas`:
    inside the request `window`, starting in `period`, the antennas' whole use within the
    horizon; None when it does not fit."""
    setup, teardown = setup_teardown
    earliest = max(usable[0], window[0], period[0], setup)
    latest_end = min(usable[1], window[1], horizon - teardown)
    latest_start = min(period[1] - 1, latest_end - shortest)
    if latest_start < earliest:
        return None
    return Opportunity(antennas, earliest, latest_start, latest_end, setup, teardown)

"""A SatNet week as the allocation problem (`scheduler.problem.types.Problem`), and tracks back to entries.

- one demand per request, one track (`tracks=1`) of duration_min..duration; requests of 8 h or
  more get `min_segment` = 4 h: the model may split them into segments of 4 h or more, each
  with its own setup and teardown, whose total is duration_min..duration;
- every view period of every usable resource is an opportunity; an array resource
  (DSS-34_DSS-35) is one opportunity on all its antennas at once;
- maintenance is downtime;
- a request's subject is its demand's mission: a spacecraft is tracked by one resource at a time
  (the mission rule, `satnet verify` rule 5), no request being `concurrent`.
SatNet requests carry no priority and T_S counts every hour alike, so every demand gets the same
priority (1): the model's priority-weighted time is then T_S times a constant, and a bound on it
is a bound on T_S. The objective's weights are a scenario's defaults (the missions are SatNet's
subjects), so `plan` on a `to-scenario` week solves the same problem.
"""

import math
from datetime import UTC, datetime

from scheduler.problem.types import Demand, Downtime, Opportunity, Problem, Track, Weights
from scheduler.satnet.solution import Entry
from scheduler.satnet.week import ARRAY_SEPARATOR, SEGMENT_MIN_S, Request, Week, antennas_of

RESOLUTION_S = 60
SATNET_PRIORITY = 1
AGENCY = "NASA"
EPOCH_ALIGN_S = 3600


def mission_of(subject: int) -> str:
    return str(subject)


def epoch_of(week: Week) -> int:
    """Unix second of the problem's time zero: the earliest setup, rounded down to the hour."""
    earliest = min(
        (vp.trx_on - r.setup for r in week.requests for vps in r.view_periods.values() for vp in vps),
        default=min((m.start for m in week.maintenance), default=0),
    )
    return earliest // EPOCH_ALIGN_S * EPOCH_ALIGN_S


def to_problem(week: Week, weights: Weights | None = None) -> Problem:
    epoch = epoch_of(week)
    last = max(
        (vp.trx_off + r.teardown for r in week.requests for vps in r.view_periods.values() for vp in vps),
        default=epoch + RESOLUTION_S,
    )
    horizon = math.ceil((last - epoch) / RESOLUTION_S) * RESOLUTION_S
    downtime = tuple(
        Downtime(m.antenna, max(0, m.start - epoch), min(horizon, m.end - epoch))
        for m in week.maintenance
        if m.end > epoch and m.start < epoch + horizon
    )
    return Problem(
        week.name,
        datetime.fromtimestamp(epoch, UTC),
        horizon,
        RESOLUTION_S,
        week.antennas,
        tuple(_demand(r, epoch) for r in week.requests),
        downtime,
        weights=weights or Weights(),
    )


def shortest_piece(request: Request) -> int:
    """The shortest on-target time one track of this request may have."""
    return min(request.duration_min, SEGMENT_MIN_S) if request.splittable else request.duration_min


def _demand(request: Request, epoch: int) -> Demand:
    shortest = shortest_piece(request)
    opportunities = []
    for resource, periods in sorted(request.view_periods.items()):
        for vp in periods:
            on, off = max(vp.trx_on, request.window[0]), min(vp.trx_off, request.window[1])
            if off - on < shortest:
                continue
            opportunities.append(
                Opportunity(
                    antennas_of(resource),
                    on - epoch,
                    off - epoch - shortest,
                    off - epoch,
                    request.setup,
                    request.teardown,
                )
            )
    mission = mission_of(request.subject)
    return Demand(
        request.track_id,
        request.track_id,
        mission,
        AGENCY,
        mission,
        SATNET_PRIORITY,
        1,
        request.duration_min,
        request.duration,
        tuple(opportunities),
        SEGMENT_MIN_S if request.splittable else None,
    )


def to_entries(week: Week, problem: Problem, tracks: tuple[Track, ...]) -> list[Entry]:
    """The solution file's entries for a solution's tracks."""
    epoch = int(problem.epoch.timestamp())
    entries = []
    for track in tracks:
        request = week.request(track.demand_id)
        on, off = epoch + track.start, epoch + track.end
        entries.append(
            Entry(
                ARRAY_SEPARATOR.join(track.antennas),
                request.subject,
                on - request.setup,
                on,
                off,
                off + request.teardown,
                request.track_id,
            )
        )
    return entries

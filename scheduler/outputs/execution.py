"""execution.csv (docs/design.md: Outputs): what the tracks begun before `--now` delivered against
what was planned, per request and per station.

One row per request and per station with such tracks: `tracks` begun, `reported` (with an
outcome), `done`, `failures` (re-opened, cause not `preempted`), `preempted`, seconds on target
planned and delivered (an unreported track counts as planned), bits planned and delivered
(requests with a downlink), and `success_rate`: done over reported tracks, preempted ones aside
(empty when none). A request at the failure limit says so in `note`.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

EXECUTION_COLUMNS = [
    "scope",
    "id",
    "tracks",
    "reported",
    "done",
    "failures",
    "preempted",
    "planned_s",
    "delivered_s",
    "planned_bits",
    "delivered_bits",
    "success_rate",
    "note",
]


@dataclass(frozen=True)
class Executed:
    """One track begun before --now, in plain figures."""

    request_id: str
    antennas: tuple[str, ...]
    reported: bool
    done: bool
    failure: bool
    preempted: bool
    planned_s: int
    delivered_s: int
    planned_bits: int
    delivered_bits: int


def execution_table(tracks: Iterable[Executed], limited: set[str]) -> pd.DataFrame:
    """Rows per request (sorted by id), then per station (sorted by id)."""
    by: dict[tuple[str, str], list[Executed]] = defaultdict(list)
    for track in tracks:
        by[("request", track.request_id)].append(track)
        for antenna in track.antennas:
            by[("station", antenna)].append(track)
    rows = []
    for (scope, name), mine in sorted(by.items()):
        reported = sum(t.reported for t in mine)
        done = sum(t.done and t.reported for t in mine)
        preempted = sum(t.preempted for t in mine)
        judged = reported - preempted
        rows.append(
            [
                scope,
                name,
                len(mine),
                reported,
                done,
                sum(t.failure for t in mine),
                preempted,
                sum(t.planned_s for t in mine),
                sum(t.delivered_s for t in mine),
                sum(t.planned_bits for t in mine),
                sum(t.delivered_bits for t in mine),
                round(done / judged, 4) if judged else "",
                "failure limit" if scope == "request" and name in limited else "",
            ]
        )
    return pd.DataFrame(rows, columns=EXECUTION_COLUMNS)

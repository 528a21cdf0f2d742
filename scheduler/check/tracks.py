"""Schedule rows gathered into the tracks a request asked for.

A row is one antenna's part of a track. Rows of one request that share a non-empty `group`
form one track (the antennas of an array or ΔDOR track, the segments of a split track, the
tracks of a continuous-coverage chain); a row without a group is a track by itself.
"""

from collections import defaultdict
from dataclasses import dataclass

import pandas as pd

from scheduler.inputs import RequestSpec, Scenario
from scheduler.timeutil import DAY, WEEK


@dataclass(frozen=True)
class GroupedTrack:
    """The rows of one request track, in start order."""

    request_id: str
    group: str
    rows: pd.DataFrame

    @property
    def track_id(self) -> str:
        """The first row's track id: names the track in violations."""
        return str(self.rows.track_id.iloc[0])

    @property
    def start(self) -> pd.Timestamp:
        return self.rows.start.min()

    @property
    def end(self) -> pd.Timestamp:
        return self.rows.end.max()


def grouped_tracks(rows: pd.DataFrame) -> list[GroupedTrack]:
    """Every request track of the schedule, keyed by (request, group or track id)."""
    key = rows.group.where(rows.group != "", "row:" + rows.track_id)
    found = []
    for (request_id, _), members in rows.groupby([rows.request_id, key], sort=False):
        ordered = members.sort_values(["start", "station"])
        found.append(GroupedTrack(str(request_id), str(members.group.iloc[0]), ordered))
    return found


def tracks_by_request(tracks: list[GroupedTrack]) -> dict[str, list[GroupedTrack]]:
    """The tracks of each request, in the order given."""
    found: dict[str, list[GroupedTrack]] = defaultdict(list)
    for track in tracks:
        found[track.request_id].append(track)
    return found


def period_index(scenario: Scenario, request: RequestSpec, start: pd.Timestamp) -> int:
    """The request's accounting period (`per` day or week from the horizon's start) where `start` falls; 0
    without `per`."""
    length = {"day": float(DAY), "week": float(WEEK)}.get(request.per)
    return 0 if length is None else int((start - pd.Timestamp(scenario.start)).total_seconds() // length)

"""Schedule rules checked from the rows alone: stations, times, durations, counts, overlaps."""

from collections import defaultdict
from dataclasses import dataclass

import pandas as pd

from scheduler.check.operations import check_band
from scheduler.check.tracks import GroupedTrack, period_index
from scheduler.check.violation import TIME_TOLERANCE_S, Violation, seconds_between
from scheduler.inputs import RequestSpec, Scenario
from scheduler.timeutil import format_time


def check_rows(scenario: Scenario, requests: dict[str, RequestSpec], rows: pd.DataFrame) -> list[Violation]:
    found = []
    start, end = pd.Timestamp(scenario.start), pd.Timestamp(scenario.end)
    allowed = {r.id: scenario.request_antennas(r.id) for r in scenario.requests}
    for row in rows.itertuples():
        request = requests[row.request_id]
        tid = row.track_id
        if (wrong_band := check_band(scenario, request, row.station)) is not None:
            found.append(Violation(tid, wrong_band.rule, wrong_band.detail))
            continue
        if row.station not in allowed[request.id]:
            found.append(Violation(tid, "station not allowed", f"{row.station} is not among the request's stations"))
            continue
        if (row.mission, row.target) != (request.mission, request.target):
            found.append(Violation(tid, "wrong mission or target", f"{row.mission}/{row.target}"))
        if not (row.setup_start <= row.start < row.end <= row.teardown_end):
            found.append(Violation(tid, "times out of order", "need setup_start <= start < end <= teardown_end"))
            continue
        if row.start < start or row.end > end:
            found.append(Violation(tid, "outside horizon", f"{format_time(row.start)}..{format_time(row.end)}"))
        station = scenario.station(row.station)
        need_setup = (request.setup if request.setup is not None else station.setup).total_seconds()
        need_teardown = (request.teardown if request.teardown is not None else station.teardown).total_seconds()
        if seconds_between(row.setup_start, row.start) + TIME_TOLERANCE_S < need_setup:
            found.append(Violation(tid, "setup too short", f"needs {need_setup:.0f} s"))
        if seconds_between(row.end, row.teardown_end) + TIME_TOLERANCE_S < need_teardown:
            found.append(Violation(tid, "teardown too short", f"needs {need_teardown:.0f} s"))
        duration = seconds_between(row.start, row.end)
        shortest, longest = request.shortest.total_seconds(), request.longest.total_seconds()
        whole = request.split is None  # a split track's segments are bounded as a total (sequence.check_split)
        if whole and (duration + TIME_TOLERANCE_S < shortest or duration - TIME_TOLERANCE_S > longest):
            found.append(Violation(tid, "duration", f"{duration:.0f} s outside {shortest:.0f}..{longest:.0f} s"))
        window = request.window
        if window and (row.start < pd.Timestamp(window.start) or row.end > pd.Timestamp(window.end)):
            found.append(Violation(tid, "outside request window", f"{format_time(row.start)}..{format_time(row.end)}"))
    return found


def check_counts(scenario: Scenario, requests: dict[str, RequestSpec], tracks: list[GroupedTrack]) -> list[Violation]:
    """At most `tracks` tracks per `per` period, a track counted in the period where it starts.

    A continuous-coverage request is bounded by its window, not by a count.
    """
    counts: dict[tuple[str, int], list[str]] = defaultdict(list)
    for track in tracks:
        request = requests[track.request_id]
        if not request.continuous:
            counts[(request.id, period_index(scenario, request, track.start))].append(track.track_id)
    return [
        Violation(
            ids[-1],
            "too many tracks",
            f"{request_id} has {len(ids)} in period {period + 1}, asked for {requests[request_id].tracks}",
        )
        for (request_id, period), ids in counts.items()
        if len(ids) > requests[request_id].tracks
    ]


@dataclass(frozen=True)
class _Busy:
    """An antenna occupied over [begin, end) by a track (setup to teardown) or by downtime."""

    begin: pd.Timestamp
    end: pd.Timestamp
    track_id: str
    request_id: str = ""
    mspa: str | None = None

    def may_share(self, other: "_Busy") -> bool:
        """MSPA: tracks of different requests with the same tag may use one antenna at once."""
        return self.mspa is not None and self.mspa == other.mspa and self.request_id != other.request_id


def check_overlaps(scenario: Scenario, schedule: pd.DataFrame) -> list[Violation]:
    """No two uses of an antenna (setup and teardown included, downtime too) overlap, except MSPA sharing."""
    tags = {r.id: r.mspa for r in scenario.requests}
    by_station: dict[str, list[_Busy]] = defaultdict(list)
    for row in schedule.itertuples():
        by_station[row.station].append(
            _Busy(row.setup_start, row.teardown_end, row.track_id, row.request_id, tags.get(row.request_id))
        )
    for outage, stations in zip(scenario.spec.downtime, scenario.downtime_stations, strict=True):
        for station in stations:
            by_station[station].append(_Busy(pd.Timestamp(outage.start), pd.Timestamp(outage.end), "downtime"))
    found = []
    for items in by_station.values():
        items.sort(key=lambda b: (b.begin, b.end))
        active: list[_Busy] = []
        for item in items:
            active = [a for a in active if seconds_between(item.begin, a.end) > TIME_TOLERANCE_S]
            for other in active:
                if item.may_share(other) or other.track_id == item.track_id == "downtime":
                    continue
                culprit = item.track_id if item.track_id != "downtime" else other.track_id
                found.append(
                    Violation(
                        culprit,
                        "overlap",
                        f"antenna busy with {other.track_id} until "
                        f"{format_time(other.end)} and with {item.track_id} from {format_time(item.begin)}",
                    )
                )
            active.append(item)
    return found

"""Schedule rules checked from the rows alone: stations, times, durations, counts, overlaps."""

from collections import defaultdict

import pandas as pd

from scheduler.scenario import RequestSpec, Scenario
from scheduler.timeutil import format_time
from scheduler.validate.violation import TIME_TOLERANCE_S, Violation, seconds_between


def check_rows(scenario: Scenario, requests: dict[str, RequestSpec], rows: pd.DataFrame) -> list[Violation]:
    found = []
    start, end = pd.Timestamp(scenario.start), pd.Timestamp(scenario.end)
    for row in rows.itertuples():
        request = requests[row.request_id]
        tid = row.track_id
        if row.station not in scenario.request_stations[request.id]:
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
        if duration + TIME_TOLERANCE_S < shortest or duration - TIME_TOLERANCE_S > longest:
            found.append(Violation(tid, "duration", f"{duration:.0f} s outside {shortest:.0f}..{longest:.0f} s"))
        window = request.window
        if window and (row.start < pd.Timestamp(window.start) or row.end > pd.Timestamp(window.end)):
            found.append(Violation(tid, "outside request window", f"{format_time(row.start)}..{format_time(row.end)}"))
    return found


def _period_index(scenario: Scenario, request: RequestSpec, start: pd.Timestamp) -> int:
    length = {"day": 86_400.0, "week": 604_800.0}.get(request.per)
    if length is None:
        return 0
    return int(seconds_between(pd.Timestamp(scenario.start), start) // length)


def check_counts(scenario: Scenario, requests: dict[str, RequestSpec], rows: pd.DataFrame) -> list[Violation]:
    counts: dict[tuple[str, int], list[str]] = defaultdict(list)
    for row in rows.drop_duplicates(subset=["request_id", "start", "end", "group"]).itertuples():
        request = requests[row.request_id]
        counts[(request.id, _period_index(scenario, request, row.start))].append(row.track_id)
    return [
        Violation(
            tracks[-1],
            "too many tracks",
            f"{request_id} has {len(tracks)} in period {period + 1}, asked for {requests[request_id].tracks}",
        )
        for (request_id, period), tracks in counts.items()
        if len(tracks) > requests[request_id].tracks
    ]


def check_overlaps(scenario: Scenario, schedule: pd.DataFrame) -> list[Violation]:
    found = []
    busy = [(row.station, row.setup_start, row.teardown_end, row.track_id) for row in schedule.itertuples()]
    for outage, stations in zip(scenario.spec.downtime, scenario.downtime_stations, strict=True):
        busy += [(s, pd.Timestamp(outage.start), pd.Timestamp(outage.end), "downtime") for s in stations]
    by_station: dict[str, list] = defaultdict(list)
    for item in busy:
        by_station[item[0]].append(item)
    for items in by_station.values():
        items.sort(key=lambda item: (item[1], item[2]))
        latest_end, latest_id = None, None
        for _, begin, finish, track_id in items:
            if latest_end is not None and seconds_between(begin, latest_end) > TIME_TOLERANCE_S:
                culprit = track_id if track_id != "downtime" else latest_id
                found.append(
                    Violation(
                        culprit,
                        "overlap",
                        f"antenna busy with {latest_id} until "
                        f"{format_time(latest_end)} and with {track_id} from {format_time(begin)}",
                    )
                )
            if latest_end is None or finish > latest_end:
                latest_end, latest_id = finish, track_id
    return found

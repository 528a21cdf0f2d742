"""Operations rules re-checked from the schedule rows and the scenario alone (README: Validator):
bands, `after` links, complexes' start spacing and links, critical requests met in full; and, as
notes that are no violation (the plan reports them unsatisfied), unmet `max_gap` and `spread`."""

from collections import defaultdict
from itertools import pairwise

import pandas as pd

from scheduler.check.tracks import GroupedTrack, period_index, tracks_by_request
from scheduler.check.violation import TIME_TOLERANCE_S, Violation, seconds_between
from scheduler.inputs import RequestSpec, Scenario
from scheduler.timeutil import DAY, WEEK, format_duration, format_time


def complex_of(scenario: Scenario, station_id: str) -> str | None:
    """The station's complex; None for a station the scenario does not have (`station not allowed`)."""
    return next((s.complex for s in scenario.stations if s.id == station_id), None)


def band_of(request: RequestSpec) -> str | None:
    """The request's band: `band`, else its downlink's."""
    return request.band or (request.downlink.band if request.downlink is not None else None)


def check_band(scenario: Scenario, request: RequestSpec, station_id: str) -> Violation | None:
    """`band`: the station's catalog bands include it."""
    known = {s.id: s for s in scenario.stations}
    band = band_of(request)
    if band is None or station_id not in known:
        return None  # an unknown station is `station not allowed`
    bands = known[station_id].bands
    if band.lower() in {b.lower() for b in bands}:
        return None
    return Violation("", "band", f"{station_id} has no {band} band (has {', '.join(bands) or 'none'})")


def check_after(requests: dict[str, RequestSpec], tracks: list[GroupedTrack]) -> list[Violation]:
    """`after`: each track starts min..max after the end of a track of the request it follows, a
    different one for each (tracks matched in start order to the leader that stops fitting first)."""
    by_request = tracks_by_request(tracks)
    found = []
    for request_id, own in by_request.items():
        after = requests[request_id].after
        if after is None:
            continue
        least, most = after.min.total_seconds(), after.max.total_seconds()
        leaders = sorted(by_request.get(after.request, []), key=lambda t: t.end)
        for track in sorted(own, key=lambda t: t.start):
            lead = next(
                (
                    t
                    for t in leaders
                    if least - TIME_TOLERANCE_S <= seconds_between(t.end, track.start) <= most + TIME_TOLERANCE_S
                ),
                None,
            )
            if lead is None:
                window = f"{format_duration(least)}..{format_duration(most)}"
                detail = f"no free track of {after.request} ends {window} before it"
                found.append(Violation(track.track_id, "after", detail))
            else:
                leaders = [t for t in leaders if t is not lead]
    return found


def _activities(scenario: Scenario, schedule: pd.DataFrame, name: str) -> list[tuple]:
    """The tracks at complex `name` as (setup start, teardown end, first track id, MSPA session):
    the rows of one group beginning together are one track; a track alone on an antenna with an
    MSPA tag belongs to that antenna's session of the tag (None otherwise)."""
    tags = {r.id: r.mspa for r in scenario.requests}
    units: dict[tuple, list] = {}
    for row in schedule.itertuples():
        if complex_of(scenario, row.station) != name:
            continue
        key = ("group", row.request_id, row.group, row.setup_start) if row.group else ("row", row.track_id)
        unit = units.setdefault(key, [row.setup_start, row.teardown_end, row.track_id, row.request_id, set()])
        unit[1] = max(unit[1], row.teardown_end)
        unit[4].add(row.station)
    found = []
    for begin, end, track_id, request_id, stations in units.values():
        tag = tags.get(request_id)
        session = (next(iter(stations)), tag) if tag is not None and len(stations) == 1 else None
        found.append((begin, end, track_id, session))
    return sorted(found, key=lambda item: (item[0], item[2]))


def check_complexes(scenario: Scenario, schedule: pd.DataFrame) -> list[Violation]:
    """Complex rules: activities begin at least start_spacing apart (an antenna's MSPA session is
    one activity: its tracks are not spaced from each other); at most max_links tracks at once."""
    found = []
    for name, rule in scenario.complex_rules.items():
        activities = _activities(scenario, schedule, name)
        spacing = rule.start_spacing.total_seconds()
        for (first, _, first_id, one), (second, _, second_id, two) in pairwise(activities):
            if spacing and seconds_between(first, second) + TIME_TOLERANCE_S < spacing and (one is None or one != two):
                after = format_duration(seconds_between(first, second))
                detail = f"begins {after} after {first_id} at {name}, needs {format_duration(spacing)}"
                found.append(Violation(second_id, "start spacing", detail))
        if rule.max_links:
            for begin, _, track_id, _ in activities:
                held = sum(b <= begin and seconds_between(begin, e) > TIME_TOLERANCE_S for b, e, _, _ in activities)
                if held > rule.max_links:
                    detail = f"{held} tracks at {name} at {format_time(begin)}, at most {rule.max_links}"
                    found.append(Violation(track_id, "max links", detail))
    return found


def _window(scenario: Scenario, request: RequestSpec) -> tuple[pd.Timestamp, pd.Timestamp]:
    low, high = pd.Timestamp(scenario.start), pd.Timestamp(scenario.end)
    if request.window is not None:
        low, high = max(low, pd.Timestamp(request.window.start)), min(high, pd.Timestamp(request.window.end))
    return low, high


def longest_gap(
    scenario: Scenario, request: RequestSpec, own: list[GroupedTrack]
) -> tuple[float, pd.Timestamp, pd.Timestamp]:
    """The longest stretch of the request's window (or horizon) without one of its tracks on target."""
    low, high = _window(scenario, request)
    spans = sorted((r.start, r.end) for t in own for r in t.rows.itertuples())
    best, reach = (0.0, low, low), low
    for start, end in [*spans, (high, high)]:
        start = min(max(start, low), high)
        if seconds_between(reach, start) > best[0]:
            best = (seconds_between(reach, start), reach, start)
        reach = max(reach, min(end, high))
    return best


def complexes_per_period(scenario: Scenario, request: RequestSpec, own: list[GroupedTrack]) -> dict[int, set[str]]:
    used: dict[int, set[str]] = defaultdict(set)
    for track in own:
        used[period_index(scenario, request, track.start)] |= {complex_of(scenario, s) or s for s in track.rows.station}
    return used


def soft_notes(scenario: Scenario, requests: dict[str, RequestSpec], tracks: list[GroupedTrack]) -> list[Violation]:
    """Unmet `max_gap` and `spread` (the plan reports the request unsatisfied; no violation)."""
    by_request = tracks_by_request(tracks)
    found = []
    for request in requests.values():
        own = by_request.get(request.id, [])
        if request.max_gap is not None:
            length, start, end = longest_gap(scenario, request, own)
            if length > request.max_gap.total_seconds() + TIME_TOLERANCE_S:
                detail = f"{format_duration(length)} without a track {format_time(start)}..{format_time(end)}"
                found.append(
                    Violation(
                        request.id,
                        "max gap",
                        detail + f", more than {format_duration(request.max_gap.total_seconds())}",
                    )
                )
        if request.spread is not None:
            used = complexes_per_period(scenario, request, own)
            for period in _periods(scenario, request):
                if len(used[period]) < request.spread.complexes:
                    detail = (
                        f"period {period + 1}: tracks on {len(used[period])} of {request.spread.complexes} complexes"
                    )
                    found.append(Violation(request.id, "spread", detail))
    return found


def _periods(scenario: Scenario, request: RequestSpec) -> list[int]:
    """The request's accounting periods that meet its window (the others ask for nothing)."""
    epoch = pd.Timestamp(scenario.start)
    horizon = seconds_between(epoch, pd.Timestamp(scenario.end))
    length = {"day": float(DAY), "week": float(WEEK)}.get(request.per, horizon)
    low, high = (seconds_between(epoch, t) for t in _window(scenario, request))
    return [n for n in range(max(1, -int(-horizon // length))) if n * length < high and (n + 1) * length > low]


def check_critical(scenario: Scenario, requests: dict[str, RequestSpec], tracks: list[GroupedTrack]) -> list[Violation]:
    """`critical`: every period's tracks, each min..max duration (split: its segments together),
    or the continuous window covered; its max_gap and spread met."""
    by_request = tracks_by_request(tracks)
    notes = {(n.track_id, n.rule) for n in soft_notes(scenario, requests, tracks)}
    found = []
    for request in requests.values():
        if not request.critical:
            continue
        own = by_request.get(request.id, [])
        short = [rule for rule in ("max gap", "spread") if (request.id, rule) in notes]
        if request.continuous:
            length, _, _ = longest_gap(scenario, request, own)
            if length > TIME_TOLERANCE_S:
                short.append("coverage")
        elif request.volume is None:  # a volume is met by its data, which the bits check re-computes
            whole: dict[int, int] = defaultdict(int)
            for track in own:
                on_target = sum(
                    seconds_between(r.start, r.end) for r in track.rows.drop_duplicates(["start", "end"]).itertuples()
                )
                if on_target + TIME_TOLERANCE_S >= request.shortest.total_seconds():
                    whole[period_index(scenario, request, track.start)] += 1
            missing = [p + 1 for p in _periods(scenario, request) if whole[p] < request.tracks]
            if missing:
                short.append(f"tracks in period {', '.join(map(str, missing))}")
        if short:
            found.append(Violation(request.id, "critical not met", "; ".join(short)))
    return found

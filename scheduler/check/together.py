"""Multi-antenna tracks: arrays (N antennas of one complex) and ΔDOR (N complexes), each
with every antenna on target over the same interval."""

from collections.abc import Callable

from scheduler.check.tracks import GroupedTrack
from scheduler.check.violation import TIME_TOLERANCE_S, Violation, seconds_between
from scheduler.inputs import RequestSpec, Scenario


def _simultaneous(track: GroupedTrack) -> list[Violation]:
    rows = track.rows
    spread = max(seconds_between(rows.start.min(), rows.start.max()), seconds_between(rows.end.min(), rows.end.max()))
    if spread > TIME_TOLERANCE_S:
        detail = f"group {track.group}: starts or ends differ by {spread:.0f} s"
        return [Violation(track.track_id, "not simultaneous", detail)]
    return []


def check_array(scenario: Scenario, request: RequestSpec, track: GroupedTrack) -> list[Violation]:
    """`array: N`: N distinct antennas of one complex, on target together."""
    stations = list(track.rows.station)
    complexes = {scenario.station(s).complex for s in stations}
    found = []
    if len(stations) != request.array or len(set(stations)) != len(stations):
        found.append(Violation(track.track_id, "array", f"needs {request.array} distinct antennas, got {stations}"))
    if len(complexes) > 1:
        found.append(Violation(track.track_id, "array", f"antennas of one complex needed, got {sorted(complexes)}"))
    return found + _simultaneous(track)


def check_complexes(scenario: Scenario, request: RequestSpec, track: GroupedTrack) -> list[Violation]:
    """`complexes: N` (ΔDOR): N antennas at N different complexes, on target together."""
    stations = list(track.rows.station)
    complexes = [scenario.station(s).complex for s in stations]
    found = []
    if len(stations) != request.complexes or len(set(complexes)) != len(complexes):
        found.append(
            Violation(track.track_id, "delta-DOR", f"needs {request.complexes} different complexes, got {complexes}")
        )
    return found + _simultaneous(track)


def check_single(scenario: Scenario, request: RequestSpec, track: GroupedTrack) -> list[Violation]:
    """A request without array, ΔDOR, split or continuous coverage runs each track on one of its
    stations, or on one of the arrays it lists (`A+B`), every member on target together."""
    stations = tuple(sorted(track.rows.station))
    if len(stations) == 1:
        members = {m for array in scenario.request_arrays.get(request.id, ()) for m in array}
        if stations[0] in scenario.request_stations[request.id] or stations[0] not in members:
            return []  # a station the request may not use at all is the station rule's to report
        return [Violation(track.track_id, "array", f"{stations[0]} alone: the request lists it only in an array")]
    if stations in scenario.request_arrays.get(request.id, ()):
        return _simultaneous(track)
    return [Violation(track.track_id, "group not requested", f"{len(track.rows)} rows share group {track.group}")]


def together_rule(request: RequestSpec) -> Callable[[Scenario, RequestSpec, GroupedTrack], list[Violation]] | None:
    """The multi-antenna rule that applies to a request's tracks (None: split or continuous)."""
    if request.array:
        return check_array
    if request.complexes:
        return check_complexes
    if request.split is None and not request.continuous:
        return check_single
    return None


def array_parts(scenario: Scenario, request: RequestSpec, track: GroupedTrack) -> tuple[GroupedTrack, list[Violation]]:
    """A split track's rows with each listed array's simultaneous rows taken as one segment (its
    first row), and a violation for any simultaneous rows that are not a listed array."""
    rows = track.rows
    found, keep = [], []
    for _, same in rows.groupby([rows.start, rows.end], sort=False):
        keep.append(same.index[0])
        stations = tuple(sorted(same.station))
        if len(stations) > 1 and stations not in scenario.request_arrays.get(request.id, ()):
            found.append(Violation(str(same.track_id.iloc[0]), "array", f"{list(stations)} is not a listed array"))
    return GroupedTrack(track.request_id, track.group, rows.loc[keep]), found

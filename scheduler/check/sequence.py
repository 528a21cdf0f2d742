"""Rules on how a request's tracks follow each other in time: the gap between tracks, the
segments of a split track, and the handovers of a continuous-coverage chain."""

from datetime import timedelta
from itertools import pairwise

from scheduler.check.tracks import GroupedTrack
from scheduler.check.violation import TIME_TOLERANCE_S, Violation, seconds_between
from scheduler.inputs import RequestSpec

DEFAULT_HANDOVER = timedelta(minutes=5)


def check_min_gap(request: RequestSpec, tracks: list[GroupedTrack]) -> list[Violation]:
    """`min_gap`: from the end of one track to the start of the next of the same request."""
    if not request.min_gap:
        return []
    need = request.min_gap.total_seconds()
    ordered = sorted(tracks, key=lambda t: (t.start, t.end))
    return [
        Violation(later.track_id, "min gap", f"{gap:.0f} s after {earlier.track_id}, needs {need:.0f} s")
        for earlier, later in pairwise(ordered)
        if (gap := seconds_between(earlier.end, later.start)) + TIME_TOLERANCE_S < need
    ]


def check_split(request: RequestSpec, track: GroupedTrack) -> list[Violation]:
    """`split`: segments of at least `min_segment`, not overlapping, totalling min..max duration."""
    assert request.split is not None
    rows = track.rows
    lengths = [seconds_between(a, b) for a, b in zip(rows.start, rows.end, strict=True)]
    least = request.split.min_segment.total_seconds()
    found = [
        Violation(track_id, "segment too short", f"{length:.0f} s < min_segment {least:.0f} s")
        for track_id, length in zip(rows.track_id, lengths, strict=True)
        if length + TIME_TOLERANCE_S < least
    ]
    found += [
        Violation(later.track_id, "segments overlap", f"starts before {earlier.track_id} ends")
        for earlier, later in pairwise(rows.itertuples())
        if seconds_between(later.start, earlier.end) > TIME_TOLERANCE_S
    ]
    total = sum(lengths)
    shortest, longest = request.shortest.total_seconds(), request.longest.total_seconds()
    if total + TIME_TOLERANCE_S < shortest or total - TIME_TOLERANCE_S > longest:
        found.append(
            Violation(
                track.track_id, "duration", f"split track totals {total:.0f} s, outside {shortest:.0f}..{longest:.0f} s"
            )
        )
    return found


def check_handover(request: RequestSpec, track: GroupedTrack) -> list[Violation]:
    """`continuous`: consecutive tracks of one chain overlap by at least `handover`.

    Uncovered parts of the window are not violations: the plan reports the request unsatisfied.
    """
    need = (DEFAULT_HANDOVER if request.handover is None else request.handover).total_seconds()  # 0 s is a handover too
    return [
        Violation(later.track_id, "handover", f"overlaps {earlier.track_id} by {overlap:.0f} s, needs {need:.0f} s")
        for earlier, later in pairwise(track.rows.itertuples())
        if (overlap := seconds_between(later.start, earlier.end)) + TIME_TOLERANCE_S < need
    ]

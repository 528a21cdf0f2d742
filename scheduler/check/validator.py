"""The validator's entry: every rule over a schedule table and its scenario."""

import pandas as pd

from scheduler.check.interference import check_interference
from scheduler.check.locked import check_locked
from scheduler.check.missions import check_mission_overlap
from scheduler.check.operations import check_after, check_complexes, check_critical, soft_notes
from scheduler.check.rules import check_counts, check_overlaps, check_rows
from scheduler.check.sequence import check_handover, check_min_gap, check_split
from scheduler.check.together import array_parts, together_rule
from scheduler.check.tracks import GroupedTrack, grouped_tracks, tracks_by_request
from scheduler.check.violation import Violation
from scheduler.check.visibility import check_visibility
from scheduler.check.volume import check_volumes
from scheduler.inputs import RequestSpec, Scenario


def validate_schedule(scenario: Scenario, schedule: pd.DataFrame, visibility: bool = True) -> list[Violation]:
    """Every broken rule, one entry per offending track (or pair of tracks). Without
        `visibility`, the astropy re-computation of elevations and angles (seconds a week, the RFI
    separations too) is left out."""
    requests = {r.id: r for r in scenario.requests}
    known = schedule.request_id.isin(requests.keys())
    problems = [Violation(row.track_id, "unknown request", row.request_id) for row in schedule[~known].itertuples()]
    rows = schedule[known]
    tracks = grouped_tracks(rows)
    problems += check_rows(scenario, requests, rows)
    problems += check_counts(scenario, requests, tracks)
    problems += check_request_semantics(scenario, requests, tracks)
    problems += check_overlaps(scenario, schedule)
    problems += check_mission_overlap(requests, rows)
    problems += check_locked(scenario, schedule)
    problems += check_after(requests, tracks)
    problems += check_complexes(scenario, rows)
    problems += check_critical(scenario, requests, tracks)
    # the geometry is re-computed for tracks inside the horizon only: one outside it is already a
    # violation, and one reaching to 2200 would take years of samples
    inside = rows[(rows.start >= pd.Timestamp(scenario.start)) & (rows.end <= pd.Timestamp(scenario.end))]
    if visibility:  # the angles: astropy's own transforms
        problems += check_interference(scenario, inside)
        problems += check_visibility(scenario, requests, inside)
    problems += check_volumes(scenario, requests, inside)
    return problems


def schedule_notes(scenario: Scenario, schedule: pd.DataFrame) -> list[Violation]:
    """Soft rules the schedule leaves unmet (`max_gap`, `spread`): no violation, since the plan
    reports the request unsatisfied, but worth a line."""
    requests = {r.id: r for r in scenario.requests}
    rows = schedule[schedule.request_id.isin(requests.keys())]
    return soft_notes(scenario, requests, grouped_tracks(rows))


def check_request_semantics(
    scenario: Scenario, requests: dict[str, RequestSpec], tracks: list[GroupedTrack]
) -> list[Violation]:
    """min_gap, split, array, ΔDOR and handover rules, request by request."""
    by_request = tracks_by_request(tracks)
    found = []
    for request_id, own in by_request.items():
        request = requests[request_id]
        found += check_min_gap(request, own)
        together = together_rule(request)
        for track in own:
            if together is not None:
                found += together(scenario, request, track)
            if request.split is not None:
                segments, arrays = array_parts(scenario, request, track)
                found += arrays + check_split(request, segments)
            if request.continuous:
                found += check_handover(request, track)
    return found

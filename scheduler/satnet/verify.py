"""Independent check of a SatNet solution against the benchmark's rules (README), and its metrics.

Rules 1-4 are the benchmark README's; rule 5 is the mission rule its simulator and the Δ-MILP
paper apply (a spacecraft is tracked by one resource at a time; README: Real DSN weeks). Shares
nothing with the allocation model: it reads only the week and the solution entries.
"""

import math
from collections import defaultdict

from scheduler.check.violation import Violation
from scheduler.satnet.solution import Entry
from scheduler.satnet.week import SEGMENT_MIN_S, Week, antennas_of

MAINTENANCE = "maintenance"
RULES = {n: f"rule {n}" for n in range(1, 6)}  # the benchmark README's rules 1-4, and ours: 5, the mission rule


def verify(week: Week, entries: list[Entry]) -> list[Violation]:
    """Every rule broken by the solution, in a stable order."""
    requests = {r.track_id: r for r in week.requests}
    found: list[Violation] = []
    by_request: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        request = requests.get(entry.TRACK_ID)
        if request is None:
            found.append(Violation(entry.TRACK_ID, RULES[1], "no request has this TRACK_ID"))
            continue
        by_request[entry.TRACK_ID].append(entry)
        if request.subject != entry.SC:
            found.append(
                Violation(entry.TRACK_ID, RULES[1], f"SC {entry.SC} is not the request's subject {request.subject}")
            )
        periods = request.view_periods.get(entry.RESOURCE)
        if periods is None:
            found.append(
                Violation(entry.TRACK_ID, RULES[1], f"resource {entry.RESOURCE} is not usable for this request")
            )
        elif entry.TRACKING_OFF <= entry.TRACKING_ON:
            found.append(Violation(entry.TRACK_ID, RULES[1], "TRACKING_OFF is not after TRACKING_ON"))
        elif not any(vp.trx_on <= entry.TRACKING_ON and vp.trx_off >= entry.TRACKING_OFF for vp in periods):
            found.append(
                Violation(entry.TRACK_ID, RULES[1], f"on {entry.RESOURCE}: on-target time leaves every view period")
            )
        if entry.TRACKING_ON - request.setup != entry.START_TIME:
            found.append(
                Violation(entry.TRACK_ID, RULES[2], f"START_TIME is not TRACKING_ON - {request.setup} s setup")
            )
        if entry.TRACKING_OFF + request.teardown != entry.END_TIME:
            found.append(
                Violation(entry.TRACK_ID, RULES[2], f"END_TIME is not TRACKING_OFF + {request.teardown} s teardown")
            )
    found.extend(_overlaps(week, entries))
    found.extend(_missions(week, entries))
    for track_id, tracks in by_request.items():
        found.extend(_durations(week, track_id, tracks))
    return found


def _overlaps(week: Week, entries: list[Entry]) -> list[Violation]:
    """Rule 3: one thing at a time on every antenna, maintenance included."""
    busy: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for entry in entries:
        for antenna in antennas_of(entry.RESOURCE):
            busy[antenna].append((entry.START_TIME, entry.END_TIME, entry.TRACK_ID))
    for outage in week.maintenance:
        busy[outage.antenna].append((outage.start, outage.end, MAINTENANCE))
    found = []
    for antenna, intervals in sorted(busy.items()):
        intervals.sort()
        latest_end, holder = -math.inf, ""
        for start, end, owner in intervals:
            if start < latest_end and MAINTENANCE not in (owner, holder):
                found.append(Violation(owner, RULES[3], f"overlaps {holder} on {antenna}"))
            elif start < latest_end and {owner, holder} != {MAINTENANCE}:
                track = holder if owner == MAINTENANCE else owner
                found.append(Violation(track, RULES[3], f"overlaps maintenance on {antenna}"))
            if end > latest_end:
                latest_end, holder = end, owner
    return found


def _missions(week: Week, entries: list[Entry]) -> list[Violation]:
    """Rule 5: a spacecraft is tracked by one resource at a time, so no two tracks of one subject
    overlap on target, [TRACKING_ON, TRACKING_OFF) (SatNet's simulator trims view periods against
    the mission's tracks, `remove_mission_overlaps`; Δ-MILP's constraints across antennas); an
    array is one resource, one track."""
    subjects = {r.track_id: r.subject for r in week.requests}
    by_subject: dict[int, list[Entry]] = defaultdict(list)
    for entry in entries:
        if entry.TRACK_ID in subjects:
            by_subject[subjects[entry.TRACK_ID]].append(entry)
    found = []
    for subject, tracks in sorted(by_subject.items()):
        tracks.sort(key=lambda e: (e.TRACKING_ON, e.TRACKING_OFF, e.RESOURCE, e.TRACK_ID))
        for index, entry in enumerate(tracks):
            for other in tracks[index + 1 :]:
                if other.TRACKING_ON >= entry.TRACKING_OFF:
                    break
                until = min(entry.TRACKING_OFF, other.TRACKING_OFF)
                detail = f"SC {subject} on target with {entry.TRACK_ID} too, {other.TRACKING_ON}..{until}"
                found.append(Violation(other.TRACK_ID, RULES[5], f"{detail} (one resource at a time)"))
    return found


def _durations(week: Week, track_id: str, tracks: list[Entry]) -> list[Violation]:
    """Rule 4: long enough, and only requests of 8 h or more split, into tracks of 4 h or more."""
    request = week.request(track_id)
    lengths = [t.TRACKING_OFF - t.TRACKING_ON for t in tracks]
    total = sum(lengths)
    if len(tracks) == 1:
        if total < request.duration_min:
            return [
                Violation(
                    track_id, RULES[4], f"track of {total} s is shorter than duration_min {request.duration_min} s"
                )
            ]
        return []
    if not request.splittable:
        return [Violation(track_id, RULES[4], f"{len(tracks)} tracks, but a request shorter than 8 h gets at most one")]
    found = [
        Violation(track_id, RULES[4], f"split track of {n} s is shorter than 4 h") for n in lengths if n < SEGMENT_MIN_S
    ]
    if not request.duration_min <= total <= request.duration:
        allowed = f"{request.duration_min}..{request.duration} s"
        found.append(Violation(track_id, RULES[4], f"split tracks total {total} s, outside {allowed}"))
    return found


def metrics(week: Week, entries: list[Entry]) -> dict:
    """T_S, T_R (hours), satisfied requests, U_RMS and U_MAX over missions (README: Real DSN weeks)."""
    got: dict[str, int] = defaultdict(int)
    for entry in entries:
        got[entry.TRACK_ID] += max(0, entry.TRACKING_OFF - entry.TRACKING_ON)
    requested: dict[int, int] = defaultdict(int)
    scheduled: dict[int, int] = defaultdict(int)
    satisfied = 0
    for request in week.requests:
        counted = min(got[request.track_id], request.duration)
        requested[request.subject] += request.duration
        scheduled[request.subject] += counted
        satisfied += got[request.track_id] >= request.duration_min
    unmet = [1 - scheduled[m] / requested[m] for m in requested if requested[m] > 0]
    return {
        "T_S": sum(scheduled.values()) / 3600,
        "T_R": sum(requested.values()) / 3600,
        "satisfied": satisfied,
        "requests": len(week.requests),
        "U_RMS": math.sqrt(sum(u * u for u in unmet) / len(unmet)) if unmet else 0.0,
        "U_MAX": max(unmet, default=0.0),
    }

"""schedule.ics: one iCalendar event per track (RFC 5545), for calendar apps.

Grouped by station, an event spans the antenna's whole activity (setup to teardown): what
the station crew works. Grouped by mission, it spans the time on target: what the mission
gets. The group leads the title and is the event's first category. Every schedule column is
also kept in `X-JOINTTRACK-*` properties, which calendar apps ignore and `read_ics` reads.
"""

import pandas as pd
from icalendar import Calendar, Event

from scheduler.inputs.downlink import format_bits
from scheduler.outputs.exports.context import ExportContext
from scheduler.outputs.exports.records import schedule_from_records
from scheduler.outputs.schedule_table import SCHEDULE_COLUMNS
from scheduler.timeutil import format_duration, format_time
from scheduler.version import __version__

X_PREFIX = "X-JOINTTRACK-"


def _property(column: str) -> str:
    return X_PREFIX + column.upper().replace("_", "-")


def _description(track: pd.Series, context: ExportContext) -> str:
    on_target = (track.end - track.start).total_seconds()
    lines = [
        f"Track {track.track_id} of request {track.request_id} ({track.mission}, {track.agency}) on {track.target}",
        f"Antenna {track.station} at {context.site(track.station)} ({context.antenna_agency(track.station)})",
        f"Setup from {format_time(track.setup_start)}",
        f"On target {format_time(track.start)} to {format_time(track.end)} ({format_duration(on_target)})",
        f"Teardown until {format_time(track.teardown_end)}",
    ]
    if track.group:
        lines.append(f"Runs together with the other tracks of group {track.group}")
    if track.get("bits", ""):
        rate = float(track.bits) / on_target if on_target else 0.0
        lines.append(f"Returns {format_bits(float(track.bits))} (mean {format_bits(rate)}/s)")
    return "\n".join(lines)


def _event(track: pd.Series, context: ExportContext, uid_scope: str) -> Event:
    by_station = context.by == "station"
    key = track.station if by_station else track.mission
    other = f"{track.mission} on {track.target}" if by_station else f"{track.station} on {track.target}"
    event = Event()
    event.add("uid", f"{track.track_id}.{uid_scope}@jointtrack")
    event.add("dtstamp", context.generated)
    event.add("dtstart", (track.setup_start if by_station else track.start).to_pydatetime())
    event.add("dtend", (track.teardown_end if by_station else track.end).to_pydatetime())
    event.add("summary", f"{key}: {other}")
    event.add("location", f"{track.station}, {context.site(track.station)}")
    event.add("description", _description(track, context))
    event.add("categories", [key, track.agency])
    event.add("status", "CONFIRMED" if context.status == "operational" else "TENTATIVE")
    event.add("transp", "OPAQUE")
    for column in SCHEDULE_COLUMNS:
        value = track.get(column, "")
        if value != "":
            event.add(_property(column), format_time(value) if isinstance(value, pd.Timestamp) else str(value))
    return event


def write_ics(schedule: pd.DataFrame, context: ExportContext) -> str:
    scope = context.scenario or "schedule"
    title = f"jointtrack {scope} by {context.by}"
    calendar = Calendar()
    calendar.add("prodid", f"-//jointtrack//jointtrack {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", title)
    calendar.add("x-wr-calname", title)
    key = "station" if context.by == "station" else "mission"
    for _, track in schedule.sort_values([key, "setup_start", "track_id"], kind="stable").iterrows():
        calendar.add_component(_event(track, context, scope))
    return calendar.to_ical().decode("utf-8")


def read_ics(text: str) -> pd.DataFrame:
    """The schedule frame of a calendar written by `write_ics`."""
    calendar = Calendar.from_ical(text)
    records = [
        {column: str(event.get(_property(column), "")) for column in SCHEDULE_COLUMNS}
        for event in calendar.walk("VEVENT")
    ]
    return schedule_from_records(records)

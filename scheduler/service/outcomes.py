"""Outcomes as the service takes them (README: Feedback; docs/design.md: Service HTTP API): a
CSV body (the outcomes file) or JSON rows, each row checked as `jointtrack feedback` checks it
and against the campaign's latest version before anything is stored (an unknown track, a track
not begun by `now`, a bad state or time: 422 naming the row); an operator reports only tracks
on its own stations (403 naming the row). Also what the campaign page shows of them: planned vs
executed per track, and per station the share of reported tracks that delivered."""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pandas as pd

from scheduler.api import now_time
from scheduler.errors import InputError
from scheduler.inputs.outcomes import COLUMNS, outcomes_from_rows
from scheduler.service.db.accounts import Principal
from scheduler.service.errors import ServiceError, bad_input, forbidden
from scheduler.service.schedules import VersionData
from scheduler.timeutil import format_time
from stations.selectors import SelectorError, matches

DELIVERING = ("completed", "partial")


@dataclass(frozen=True)
class OutcomeBody:
    """The rows sent and the `now` they were reported at (None: the clock)."""

    rows: list[dict[str, Any]]
    now: str | None


def read_body(raw: bytes, content_type: str, now: str | None) -> OutcomeBody:
    """A CSV body (text/csv, `now` from the query) or JSON: a list of rows, or `{"rows", "now"}`."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ServiceError(422, "the body is not UTF-8 text", "body", "send the outcomes as UTF-8") from None
    if content_type.split(";")[0].strip().lower() == "text/csv":
        reader = csv.DictReader(io.StringIO(text))
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            fix = f"the header must be {','.join(COLUMNS)}"
            raise ServiceError(422, f"outcomes: header: missing columns {', '.join(missing)}", "header", fix)
        return OutcomeBody([dict(r) for r in reader], now)
    import json

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ServiceError(422, f"the body is not JSON ({exc})", "body", "send JSON rows or a CSV (text/csv)") from None
    if isinstance(data, dict):
        unknown = sorted(set(data) - {"rows", "now"})
        if unknown:
            raise ServiceError(422, f"outcomes: unknown key {unknown[0]!r}", unknown[0], "send only rows and now")
        now, data = data.get("now", now), data.get("rows")
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data) or not data:
        raise ServiceError(422, "outcomes: rows: not a list of rows", "rows", f"send rows with {', '.join(COLUMNS)}")
    if now is not None and not isinstance(now, str):
        raise ServiceError(422, "outcomes: now: not a time", "now", "give an ISO-8601 UTC time")
    return OutcomeBody(data, now)


def operator_stations(actor: Principal, data: VersionData) -> set[str]:
    """The stations of the version's scenario that the operator's selector picks."""
    selectors = [s.strip() for s in (actor.stations or "").split(",") if s.strip()]
    try:
        return {s.id for s in data.scenario.stations if any(matches(sel, s) for sel in selectors)}
    except SelectorError:
        return set()


def checked_rows(actor: Principal, data: VersionData, body: OutcomeBody, source: str) -> list[dict[str, Any]]:
    """The rows as the outcomes table keeps them, each checked; the first bad one is the error."""
    if actor.role not in ("coordinator", "operator"):
        raise forbidden(f"a {actor.role} token cannot report outcomes", "use an operator's or the coordinator's token")
    scenario, schedule = data.scenario, data.schedule
    try:
        at = now_time(body.now) or pd.Timestamp.now(tz="UTC").to_pydatetime()
        outcomes = outcomes_from_rows(body.rows, source, (scenario.start, scenario.end))
    except InputError as exc:
        raise bad_input(exc) from None
    own = operator_stations(actor, data) if actor.role == "operator" else None
    found = []
    for outcome in outcomes:
        where = f"row {outcome.row}"
        rows = schedule[schedule.track_id == outcome.track_id]
        if rows.empty:
            fix = f"name a track_id of version {data.number}'s schedule"
            raise bad_input(InputError(source, f"{where} track_id", f"unknown track {outcome.track_id!r}", fix))
        first = rows.iloc[0]
        track = schedule[(schedule.request_id == first.request_id) & (schedule.start == first.start)]
        track = track[track.group == first.group] if first.group else rows
        stations = list(track.station)
        if own is not None and not set(stations) <= own:
            theirs = ", ".join(s for s in stations if s not in own)
            raise forbidden(
                f"{source}: {where}: track {outcome.track_id} runs on {theirs}, not a station of {actor.name}",
                "report the tracks of your own stations; the coordinator reports any",
            )
        if first.setup_start >= pd.Timestamp(at):
            problem = f"{outcome.track_id} has not begun by now (its setup starts {format_time(first.setup_start)})"
            raise bad_input(InputError(source, f"{where} track_id", problem, "report tracks that have begun"))
        if outcome.end is not None and outcome.end > at:
            raise bad_input(InputError(source, f"{where} actual_end", "is after now", "report what has run"))
        found.append(
            {
                "track_id": outcome.track_id,
                "request_id": str(first.request_id),
                "stations": "+".join(stations),
                "planned_start": first.start.to_pydatetime(),
                "planned_end": first.end.to_pydatetime(),
                "state": outcome.state,
                "actual_start": outcome.start,
                "actual_end": outcome.end,
                "cause": outcome.cause,
            }
        )
    return found


def delivered(row: Any, complete_at: float) -> bool:
    """Whether a reported track delivered: completed, or partial with `complete_at` of its time."""
    if row.state not in DELIVERING or row.actual_start is None or row.actual_end is None:
        return False
    ran = (row.actual_end - row.actual_start).total_seconds()
    planned = (row.planned_end - row.planned_start).total_seconds()
    return row.state == "completed" or ran >= complete_at * planned


def station_rates(rows: list[Any], complete_at: float) -> list[dict[str, Any]]:
    """Per station: tracks reported, delivered, and the success rate."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        for station in row.stations.split("+"):
            counts[station][0] += 1
            counts[station][1] += delivered(row, complete_at)
    return [
        {"station": s, "reported": n, "delivered": d, "success": f"{100 * d / n:.0f} %"}
        for s, (n, d) in sorted(counts.items())
    ]


def minutes(start: Any, end: Any) -> str:
    return "" if start is None or end is None else f"{(end - start).total_seconds() / 60:.0f}"

"""Outcomes of tracks that ran: stored with the feedback job they go to (one transaction, with
its audit event), read back for that job, for the API and for the campaign page."""

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.service.db.accounts import Principal
from scheduler.service.db.jobs import enqueue
from scheduler.service.db.models import TrackOutcome
from scheduler.service.db.session import Database
from scheduler.timeutil import format_time

ENGINE_COLUMNS = ("track_id", "state", "actual_start", "actual_end", "cause")


def _when(value: datetime | None) -> str:
    return "" if value is None else format_time(value)


def report_outcomes(
    db: Database, actor: Principal, campaign: str, version: int, rows: list[dict[str, Any]], params: dict[str, Any]
) -> int:
    """Store checked outcome rows of `version` and queue the feedback job that folds them in; its id."""

    def store(session: Session, job_id: int) -> None:
        session.add_all(
            TrackOutcome(campaign_id=campaign, version=version, job_id=job_id, reported_by=actor.name, **row)
            for row in rows
        )

    return enqueue(db, actor, campaign, "feedback", {**params, "version": version, "outcomes": len(rows)}, store)


def job_outcomes(db: Database, job_id: int) -> list[dict[str, str]]:
    """The rows a feedback job folds in, as the engine reads an outcomes file."""
    with db.read() as session:
        found = session.scalars(select(TrackOutcome).where(TrackOutcome.job_id == job_id).order_by(TrackOutcome.id))
        return [
            {
                "track_id": o.track_id,
                "state": o.state,
                "actual_start": _when(o.actual_start),
                "actual_end": _when(o.actual_end),
                "cause": o.cause,
            }
            for o in found
        ]


def campaign_outcomes(db: Database, campaign: str) -> list[TrackOutcome]:
    """Every outcome reported in the campaign, oldest first."""
    with db.read() as session:
        return list(
            session.scalars(select(TrackOutcome).where(TrackOutcome.campaign_id == campaign).order_by(TrackOutcome.id))
        )


def outcome_json(row: TrackOutcome) -> dict[str, Any]:
    return {
        "track_id": row.track_id,
        "request_id": row.request_id,
        "stations": row.stations,
        "planned_start": _when(row.planned_start),
        "planned_end": _when(row.planned_end),
        "state": row.state,
        "actual_start": _when(row.actual_start) or None,
        "actual_end": _when(row.actual_end) or None,
        "cause": row.cause,
        "version": row.version,
        "job": row.job_id,
        "reported_by": row.reported_by,
        "reported_at": _when(row.reported_at),
    }

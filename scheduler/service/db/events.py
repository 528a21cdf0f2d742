"""The audit log: every write appends its event in the same transaction (who, what, when,
before and after), numbered in commit order so that `after=CURSOR` never skips one."""

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from scheduler.service.db.models import Event, EventCounter
from scheduler.service.db.session import Database

PAGE = 200  # events per answer at most


def log_event(
    session: Session,
    actor: str,
    action: str,
    *,
    campaign: str | None = None,
    subject: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> int:
    """Append one event to the writing transaction of `session`; its number.

    The counter row stays locked until the transaction commits, so events are numbered in the
    order their writes commit. Call it last in a transaction, to hold that lock briefly."""
    number = session.execute(
        update(EventCounter).where(EventCounter.id == 1).values(last=EventCounter.last + 1).returning(EventCounter.last)
    ).scalar_one()
    session.add(
        Event(id=number, campaign_id=campaign, actor=actor, action=action, subject=subject, before=before, after=after)
    )
    return number


def event_page(session: Session, campaign: str | None, after: int, limit: int = PAGE) -> list[Event]:
    """Events numbered above `after`, oldest first, of one campaign or of all."""
    query = select(Event).where(Event.id > after).order_by(Event.id).limit(min(limit, PAGE))
    if campaign is not None:
        query = query.where(Event.campaign_id == campaign)
    return list(session.scalars(query))


def read_events(db: Database, campaign: str | None, after: int, limit: int = PAGE) -> list[dict[str, Any]]:
    """Events numbered above `after` as JSON, oldest first."""
    with db.read() as session:
        return [event_json(e) for e in event_page(session, campaign, after, limit)]


def event_json(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "campaign": event.campaign_id,
        "at": event.at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "actor": event.actor,
        "action": event.action,
        "subject": event.subject,
        "before": event.before,
        "after": event.after,
    }

"""`/events`: the append-only audit log, oldest first, read on from a cursor."""

from typing import Any

from fastapi import APIRouter, Query

from scheduler.service.auth import Db, SignedIn
from scheduler.service.db.events import PAGE, read_events

router = APIRouter(tags=["events"])


@router.get("/events")
def list_events(
    db: Db,
    _actor: SignedIn,
    campaign: str | None = None,
    after: int = Query(default=0, ge=0, description="the cursor: the last event id read"),
    limit: int = Query(default=PAGE, ge=1, le=PAGE),
) -> dict[str, Any]:
    """Events after the cursor (of one campaign, or all): who, what, when, before and after.
    `next` is the cursor to send next time."""
    events = read_events(db, campaign, after, limit)
    return {"events": events, "next": events[-1]["id"] if events else after}

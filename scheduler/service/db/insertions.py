"""An urgent insertion applied: in one transaction, the request joins the campaign (marked
`inserted: TIER`, its target too if new), the decided schedule becomes the next version, and
the audit log gets the insertion and one event per displaced agency (docs/design.md: Service
tables). Refused with nothing written if a version came in since the decision was made. A
blocked late-add's request joins the campaign for the proposal that asks the displaced."""

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduler.service.db.accounts import Principal
from scheduler.service.db.events import log_event
from scheduler.service.db.models import Campaign, CampaignRequest, Version
from scheduler.service.db.requests import append_request
from scheduler.service.db.session import Database
from scheduler.service.db.versions import add_version
from scheduler.service.errors import conflict, not_found
from scheduler.service.urgent import DISPLACED_KEYS, Decided, LateAddBlocked


def apply_insertion(db: Database, actor: Principal, campaign: str, decided: Decided) -> int:
    """Store the decided insertion as the campaign's next version; its number."""
    request_id = decided.request["id"]
    with db.write() as session:
        locked = session.scalar(db.lock_for_update(select(Campaign).where(Campaign.id == campaign)))
        if locked is None:
            raise not_found(f"campaign {campaign!r}")
        latest = session.scalar(select(func.max(Version.number)).where(Version.campaign_id == campaign))
        if latest != decided.base:
            raise conflict(
                f"campaign {campaign} has a new version ({latest}) since the decision on version {decided.base}",
                "version",
                "send the urgent request again",
            )
        _join(session, locked, actor, decided.request, decided.target)
        number = add_version(session, campaign, actor.name, None, decided.files, decided.summary, decided.tier)
        brief = {**decided.brief(), "version": number, "request": decided.request}
        log_event(session, actor.name, f"urgent.{decided.tier}", campaign=campaign, subject=request_id, after=brief)
        for agency, tracks in displaced_by_agency(decided.displaced).items():
            log_event(
                session,
                actor.name,
                "urgent.displaced",
                campaign=campaign,
                subject=agency,
                after={"agency": agency, "by": request_id, "tier": decided.tier, "version": number, "tracks": tracks},
            )
        return number


def join_late_add(session: Session, locked: Campaign, actor: Principal, blocked: LateAddBlocked) -> None:
    """A blocked late-add's request joins the locked campaign (marked `inserted: late-add`, its
    target too if new), with an `urgent.late-add` event saying what it would displace: in the
    transaction that queues the proposal asking the displaced agencies."""
    request = {**blocked.ask.request, "inserted": "late-add"}
    _join(session, locked, actor, request, blocked.ask.target)
    after = {"request": request, "blocked_by": blocked.refusal, "would_displace": blocked.displaced}
    log_event(session, actor.name, "urgent.late-add", campaign=locked.id, subject=request["id"], after=after)


def _join(session: Session, locked: Campaign, actor: Principal, request: dict[str, Any], target: Any) -> None:
    """The request (and its new target) added to the locked campaign; 409 if its id is taken."""
    request_id, campaign = request["id"], locked.id
    if session.get(CampaignRequest, (campaign, request_id)) is not None:
        raise conflict(f"request {request_id} exists in campaign {campaign}", "request.id", "give it a new id")
    if target is not None:
        locked.scenario = {**locked.scenario, "targets": [*locked.scenario.get("targets", []), target]}
    append_request(session, locked, actor.name, request)
    locked.revision += 1


def displaced_by_agency(displaced: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Each displaced agency's tracks (track, request_id, agency, change, lost_seconds)."""
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in displaced:
        found[str(row["agency"])].append({k: row[k] for k in DISPLACED_KEYS})
    return dict(sorted(found.items()))

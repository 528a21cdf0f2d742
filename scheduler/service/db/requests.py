"""A campaign's requests: added, replaced and deleted by the agency that owns them, each change
checked in the whole scenario first and made only if the request is still the version the
writer read (`If-Match`); nothing changes on any error.

A write checks the scenario outside the lock, then re-checks under it only if another write
came in between (the campaign's `revision` moved), so that writers wait on each other only for
the insert itself.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from scheduler.service.campaign_scenario import check_requests, plain
from scheduler.service.db.accounts import Principal
from scheduler.service.db.campaigns import Snapshot, snapshot
from scheduler.service.db.events import log_event
from scheduler.service.db.models import Campaign, CampaignRequest, utc_now
from scheduler.service.db.session import Database
from scheduler.service.errors import ServiceError, conflict, forbidden, not_found, stale, version_required

T = TypeVar("T")
Apply = Callable[[Session, Campaign], T]


def request_json(row: CampaignRequest) -> dict[str, Any]:
    return {
        "id": row.request_id,
        "agency": row.agency,
        "version": row.version,
        "request": row.body,
        "updated_by": row.updated_by,
        "updated_at": row.updated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def _source(campaign: str, request_id: str) -> str:
    return f"campaign {campaign}, request {request_id}"


def _owned_body(actor: Principal, body: Any, request_id: str | None, source: str) -> dict[str, Any]:
    """The body as the actor may store it: a mapping, its id the URL's, its agency the actor's."""
    if actor.role != "agency" or actor.agency is None:
        raise forbidden(f"a {actor.role} token cannot write requests", "use the token of the agency that owns it")
    if not isinstance(body, dict):
        raise ServiceError(422, f"{source}: the request is not a mapping of scenario keys", "", "send a JSON object")
    body = plain(body, "", source)
    body.setdefault("agency", actor.agency)
    if body["agency"] != actor.agency:
        raise forbidden(
            f"{actor.name} cannot write a request of agency {body['agency']}", "set agency to your own agency"
        )
    if request_id is not None:
        body.setdefault("id", request_id)
        if body["id"] != request_id:
            raise ServiceError(422, f"{source}: id: differs from the URL's", "id", f"keep id {request_id}")
    if not isinstance(body.get("id"), str):
        raise ServiceError(422, f"{source}: id: missing", "id", "give the request an id")
    return body


def _owned_row(actor: Principal, rows: list[CampaignRequest], request_id: str, if_match: str | None) -> int:
    """The index of the request the actor owns and read last, or the error that stops the write."""
    index = next((i for i, r in enumerate(rows) if r.request_id == request_id), None)
    if index is None:
        raise not_found(f"request {request_id!r} in this campaign")
    row = rows[index]
    if actor.role != "agency" or row.agency != actor.agency:
        raise forbidden(f"{actor.name} cannot change request {request_id} of agency {row.agency}")
    if if_match is None:
        raise version_required()
    if parse_version(if_match) != row.version:
        raise stale(row.version)
    return index


def parse_version(header: str) -> int | None:
    """The version in an If-Match header: `3`, `"3"` or `W/"3"`; None if it names none."""
    text = header.strip().removeprefix("W/").strip('"')
    return int(text) if text.isdigit() else None


def _write(db: Database, campaign: str, plan: Callable[[Snapshot], Apply[T]]) -> T:
    """Check with a snapshot, then write under the campaign's lock (checked again if it moved)."""
    seen = snapshot(db, campaign)
    apply = plan(seen)
    with db.write() as session:
        locked = session.scalar(db.lock_for_update(select(Campaign).where(Campaign.id == campaign)))
        if locked is None:
            raise not_found(f"campaign {campaign!r}")
        if locked.revision != seen.campaign.revision:
            rows = session.scalars(
                select(CampaignRequest)
                .where(CampaignRequest.campaign_id == campaign)
                .order_by(CampaignRequest.position)
            )
            apply = plan(Snapshot(locked, list(rows)))
        locked.revision += 1
        return apply(session, locked)


def append_request(session: Session, locked: Campaign, agency: str, body: dict[str, Any]) -> CampaignRequest:
    """`body` added as `agency`'s request (version 1) at the end of the locked campaign's list."""
    row = CampaignRequest(
        campaign_id=locked.id,
        request_id=body["id"],
        agency=agency,
        position=locked.next_position,
        body=body,
        version=1,
        created_by=agency,
        updated_by=agency,
    )
    locked.next_position += 1
    session.add(row)
    session.flush()
    return row


def add_request(db: Database, actor: Principal, campaign: str, body: Any) -> CampaignRequest:
    """A new request of the actor's agency, at the end of the campaign's list."""
    body = _owned_body(actor, body, None, _source(campaign, str(body.get("id") if isinstance(body, dict) else "")))
    request_id = body["id"]

    def plan(seen: Snapshot) -> Apply[CampaignRequest]:
        if any(r.request_id == request_id for r in seen.requests):
            raise conflict(f"request {request_id} exists in campaign {campaign}", "id", "choose another id, or PUT it")
        bodies = [*seen.bodies, body]
        check_requests(seen.campaign.scenario, bodies, len(bodies) - 1, _source(campaign, request_id))

        def apply(session: Session, locked: Campaign) -> CampaignRequest:
            row = append_request(session, locked, actor.name, body)
            after = {"version": 1, "request": body}
            log_event(session, actor.name, "request.create", campaign=campaign, subject=request_id, after=after)
            return row

        return apply

    return _write(db, campaign, plan)


def replace_request(
    db: Database, actor: Principal, campaign: str, request_id: str, body: Any, if_match: str | None
) -> CampaignRequest:
    """The request replaced by `body`, if `if_match` names its current version."""
    body = _owned_body(actor, body, request_id, _source(campaign, request_id))

    def plan(seen: Snapshot) -> Apply[CampaignRequest]:
        index = _owned_row(actor, seen.requests, request_id, if_match)
        bodies = seen.bodies
        bodies[index] = body
        check_requests(seen.campaign.scenario, bodies, index, _source(campaign, request_id))

        def apply(session: Session, _locked: Campaign) -> CampaignRequest:
            row = session.get(CampaignRequest, (campaign, request_id))
            assert row is not None  # the campaign's lock keeps it
            before = {"version": row.version, "request": row.body}
            row.body, row.version = body, row.version + 1
            row.updated_by, row.updated_at = actor.name, utc_now()
            after = {"version": row.version, "request": body}
            log_event(
                session, actor.name, "request.update", campaign=campaign, subject=request_id, before=before, after=after
            )
            return row

        return apply

    return _write(db, campaign, plan)


def remove_request(db: Database, actor: Principal, campaign: str, request_id: str, if_match: str | None) -> None:
    """Delete the request, if `if_match` names its current version and no other request needs it."""

    def plan(seen: Snapshot) -> Apply[None]:
        index = _owned_row(actor, seen.requests, request_id, if_match)
        bodies = seen.bodies
        del bodies[index]
        check_requests(seen.campaign.scenario, bodies, None, _source(campaign, request_id))

        def apply(session: Session, _locked: Campaign) -> None:
            row = session.get(CampaignRequest, (campaign, request_id))
            assert row is not None
            before = {"version": row.version, "request": row.body}
            session.execute(
                delete(CampaignRequest).where(
                    CampaignRequest.campaign_id == campaign, CampaignRequest.request_id == request_id
                )
            )
            log_event(session, actor.name, "request.delete", campaign=campaign, subject=request_id, before=before)

        return apply

    _write(db, campaign, plan)


def campaign_requests(db: Database, campaign: str, agency: str | None = None) -> list[CampaignRequest]:
    rows = snapshot(db, campaign).requests
    return [r for r in rows if agency is None or r.agency == agency]


def one_request(db: Database, campaign: str, request_id: str) -> CampaignRequest:
    with db.read() as session:
        row = session.get(CampaignRequest, (campaign, request_id))
    if row is None:
        snapshot(db, campaign)  # 404 for the campaign first
        raise not_found(f"request {request_id!r} in this campaign")
    return row

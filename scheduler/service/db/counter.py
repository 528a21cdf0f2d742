"""A counter to a proposal, written in the answer's transaction: the agency's own requests
changed (each checked in the whole scenario, an error placed on `counter.requests[i].FIELD`),
with their audit events, and the next round's `propose` job queued (at most 3 rounds)."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.errors import InputError
from scheduler.service.campaign_scenario import check_requests, plain, relative
from scheduler.service.db.accounts import Principal
from scheduler.service.db.events import log_event
from scheduler.service.db.models import Campaign, CampaignRequest, Job, utc_now
from scheduler.service.db.proposal_jobs import campaign_scenario, queue_propose
from scheduler.service.db.proposal_models import Proposal
from scheduler.service.db.requests import append_request
from scheduler.service.errors import ServiceError, bad_input, conflict, forbidden
from scheduler.timeutil import format_time

MAX_ROUNDS = 3


def write_counter(
    session: Session, actor: Principal, proposal: Proposal, locked: Campaign, counter: list[dict[str, Any]], reason: str
) -> int:
    """Write the agency's changed requests and queue the next round's proposal; the job's id."""
    if proposal.round >= MAX_ROUNDS:
        raise conflict(
            f"proposal {proposal.id} is round {proposal.round} of {MAX_ROUNDS}: no more counters",
            "decision",
            "concur or reject; the coordinator decides",
        )
    campaign = proposal.campaign_id
    rows = list(
        session.scalars(
            select(CampaignRequest).where(CampaignRequest.campaign_id == campaign).order_by(CampaignRequest.position)
        )
    )
    by_id = {r.request_id: r for r in rows}
    bodies = [r.body for r in rows]
    changed: list[tuple[dict[str, Any], CampaignRequest | None]] = []
    for index, raw in enumerate(counter):
        source = f"campaign {campaign}, counter.requests[{index}]"
        body = plain(raw, "", source)
        body.setdefault("agency", actor.agency)
        row = by_id.get(str(body.get("id")))
        if body["agency"] != actor.agency or (row is not None and row.agency != actor.agency):
            owner = row.agency if row is not None else body["agency"]
            raise forbidden(
                f"a counter changes only {actor.name}'s own requests, not {body.get('id')} of {owner}",
                "counter with your own requests",
            )
        if not isinstance(body.get("id"), str):
            raise ServiceError(
                422, f"{source}: id: missing", f"counter.requests[{index}].id", "give each request its id"
            )
        if row is None:
            bodies.append(body)
        else:
            bodies[rows.index(row)] = body
        changed.append((body, row))
    try:
        check_requests(locked.scenario, bodies, None, f"campaign {campaign}, counter")
    except InputError as exc:
        raise bad_input(_in_counter(exc, bodies, changed)) from None
    for body, row in changed:
        if row is None:
            append_request(session, locked, actor.name, body)
            log_event(
                session,
                actor.name,
                "request.create",
                campaign=campaign,
                subject=body["id"],
                after={"version": 1, "request": body},
            )
        else:
            before = {"version": row.version, "request": row.body}
            row.body, row.version, row.updated_by, row.updated_at = body, row.version + 1, actor.name, utc_now()
            after = {"version": row.version, "request": body}
            log_event(
                session,
                actor.name,
                "request.update",
                campaign=campaign,
                subject=row.request_id,
                before=before,
                after=after,
            )
    locked.revision += 1
    session.flush()
    job = session.get(Job, proposal.job_id) if proposal.job_id is not None else None
    asked = job.params if job is not None else {}
    params = {
        "reason": f"counter of {actor.name} to proposal {proposal.id}: {reason}".rstrip(": "),
        "time_limit_s": asked.get("time_limit_s", 10.0),
        "workers": asked.get("workers", 1),
        "seed": asked.get("seed", 0),
        "now": format_time(utc_now().replace(microsecond=0)),
        "round": proposal.round + 1,
        "parent": proposal.id,
        "base_version": proposal.base_version,
    }
    return queue_propose(session, actor.name, campaign, campaign_scenario(session, locked), params)


def _in_counter(
    error: InputError, bodies: list[dict[str, Any]], changed: list[tuple[dict[str, Any], Any]]
) -> InputError:
    """The error on `counter.requests[i].FIELD` when it is about a request of the counter."""
    for number, (body, _row) in enumerate(changed):
        index = next(i for i, b in enumerate(bodies) if b is body)
        mine = relative(error, index, body.get("id"))
        if mine is not error:
            return InputError(error.file, f"counter.requests[{number}].{mine.field}", error.problem, error.fix)
    return error

"""`/campaigns/{id}/urgent`: an agency's emergency or late-add, decided and applied in the
request itself (not behind the job queue) as a new version, the displaced agencies told in the
audit log; the repair of what an emergency displaced follows as a job; a late-add that would
displace others opens a proposal that asks them (docs/design.md: Service HTTP API)."""

import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from scheduler.service.auth import AgencyActor, Db
from scheduler.service.change_work import REPAIR_TIME_LIMIT_S
from scheduler.service.db.accounts import Principal
from scheduler.service.db.insertions import apply_insertion, join_late_add
from scheduler.service.db.jobs import enqueue
from scheduler.service.db.session import Database
from scheduler.service.db.versions import resolve_version
from scheduler.service.errors import ServiceError
from scheduler.service.proposals import open_proposal
from scheduler.service.routes.body import JSON_OBJECT, body_json
from scheduler.service.urgent import LateAddBlocked, decide, read_ask
from scheduler.timeutil import parse_time

router = APIRouter(tags=["urgent"])


def ask_urgent(db: Database, schedules: Any, actor: Principal, campaign: str, body: Any, wake: Any) -> dict[str, Any]:
    """Decide and apply an urgent request (shared with the pages): the answer's body."""
    began = time.perf_counter()
    ask = read_ask(actor, body, campaign)
    _public, base = resolve_version(db, campaign, None)
    try:
        decided = decide(db, schedules, campaign, base, ask, began)
    except LateAddBlocked as blocked:
        return propose_late_add(db, actor, campaign, blocked, wake)
    number = apply_insertion(db, actor, campaign, decided)
    repair_job = None
    if decided.displaced:
        params = {
            "base_version": base,
            "version": number,
            "urgent": {"request": ask.request, **({"target": ask.target} if ask.target else {})},
            "tier": ask.tier,
            "now": decided.now,
            "time_limit_s": REPAIR_TIME_LIMIT_S,
        }
        try:
            repair_job = enqueue(db, actor, campaign, "repair", params)
            wake()
        except ServiceError as busy:  # a job is active: the coordinator re-plans later
            if busy.status != 409:
                raise
    return {"version": number, **decided.brief(), "answer_s": decided.summary["answer_s"], "repair_job": repair_job}


def propose_late_add(
    db: Database, actor: Principal, campaign: str, blocked: LateAddBlocked, wake: Any
) -> dict[str, Any]:
    """A late-add that would displace others joins the campaign's requests and a proposal asks the
    displaced agencies (README: Proposals), in one transaction; without a baseline to propose
    against, or while a job runs, 409 naming the blocker and nothing written."""
    request_id = blocked.ask.request["id"]
    reason = f"late-add {request_id} ({actor.name}) would displace {', '.join(blocked.agencies)}"
    now = parse_time(blocked.ask.now) if blocked.ask.now else None
    try:
        job = open_proposal(
            db,
            actor.name,
            campaign,
            reason=reason,
            now=now,
            wake=wake,
            before=lambda session, locked: join_late_add(session, locked, actor, blocked),
        )
    except ServiceError as refused:
        if refused.status != 409:
            raise
        raise blocked.refused(refused.fix) from None
    return {
        "request_id": request_id,
        "tier": "late-add",
        "proposal_job": job,
        "blocked_by": blocked.refusal,
        "would_displace": blocked.displaced,
        "asks": blocked.agencies,
    }


@router.post("/campaigns/{campaign}/urgent", status_code=201, openapi_extra=JSON_OBJECT)
async def post_urgent(request: Request, db: Db, actor: AgencyActor, campaign: str) -> JSONResponse:
    """`{"request": {...}, "target": {...}, "tier": "emergency"|"late-add", "now": T}`: applied at
    once as a new version (201, the displaced tracks); a late-add that would displace others opens a
    proposal asking them (202, its job; 409 without a baseline); 422 for a request that cannot be placed."""
    from starlette.concurrency import run_in_threadpool

    body = await body_json(request)
    state = request.app.state
    answer = await run_in_threadpool(ask_urgent, db, state.schedules, actor, campaign, body, state.runner.wake)
    if "proposal_job" in answer:  # a blocked late-add: a proposal asks the displaced
        return JSONResponse(answer, status_code=202, headers={"Location": f"/api/v1/jobs/{answer['proposal_job']}"})
    location = f"/api/v1/campaigns/{campaign}/versions/{answer['version']}"
    return JSONResponse(answer, status_code=201, headers={"Location": location})

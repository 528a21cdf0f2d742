"""`/campaigns/{id}/urgent`: an agency's emergency or late-add, decided and applied in the
request itself (not behind the job queue) as a new version, the displaced agencies told in the
audit log; the repair of what an emergency displaced follows as a job (docs/design.md: Service
HTTP API)."""

import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from scheduler.service.auth import AgencyActor, Db
from scheduler.service.change_work import REPAIR_TIME_LIMIT_S
from scheduler.service.db.accounts import Principal
from scheduler.service.db.insertions import apply_insertion
from scheduler.service.db.jobs import enqueue
from scheduler.service.db.session import Database
from scheduler.service.db.versions import resolve_version
from scheduler.service.errors import ServiceError
from scheduler.service.routes.body import JSON_OBJECT, body_json
from scheduler.service.urgent import decide, read_ask

router = APIRouter(tags=["urgent"])


def ask_urgent(db: Database, schedules: Any, actor: Principal, campaign: str, body: Any, wake: Any) -> dict[str, Any]:
    """Decide and apply an urgent request (shared with the pages): the answer's body."""
    began = time.perf_counter()
    ask = read_ask(actor, body, campaign)
    _public, base = resolve_version(db, campaign, None)
    decided = decide(db, schedules, campaign, base, ask, began)
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


@router.post("/campaigns/{campaign}/urgent", status_code=201, openapi_extra=JSON_OBJECT)
async def post_urgent(request: Request, db: Db, actor: AgencyActor, campaign: str) -> JSONResponse:
    """`{"request": {...}, "target": {...}, "tier": "emergency"|"late-add", "now": T}`: applied at
    once as a new version (201, the displaced tracks), or refused (409 blocked late-add, 422)."""
    from starlette.concurrency import run_in_threadpool

    body = await body_json(request)
    state = request.app.state
    answer = await run_in_threadpool(ask_urgent, db, state.schedules, actor, campaign, body, state.runner.wake)
    location = f"/api/v1/campaigns/{campaign}/versions/{answer['version']}"
    return JSONResponse(answer, status_code=201, headers={"Location": location})

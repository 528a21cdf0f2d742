"""`/campaigns/{id}/outcomes`: what became of the tracks that ran, reported by an operator (its
own stations) or the coordinator as CSV or JSON rows, stored, and folded into the plan by a
`feedback` job (202); and every outcome reported, read back (docs/design.md: Service HTTP API)."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from scheduler.service.auth import Db, SignedIn
from scheduler.service.db.accounts import Principal
from scheduler.service.db.campaigns import snapshot
from scheduler.service.db.outcomes import campaign_outcomes, outcome_json, report_outcomes
from scheduler.service.db.session import Database
from scheduler.service.db.versions import resolve_version
from scheduler.service.outcomes import OutcomeBody, checked_rows, read_body
from scheduler.service.schedules import Schedules
from scheduler.settings import TIME_LIMIT_S

router = APIRouter(tags=["outcomes"])
OUTCOMES_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "text/csv": {"schema": {"type": "string", "description": "track_id,state,actual_start,actual_end,cause"}},
            "application/json": {"schema": {"type": "object", "description": '{"rows": [...], "now": T}'}},
        },
    }
}


def ask_feedback(
    db: Database, schedules: Schedules, actor: Principal, campaign: str, body: OutcomeBody, wake: Any
) -> dict[str, Any]:
    """Check and store the outcomes on the latest version, queue their feedback (shared with the pages)."""
    _public, number = resolve_version(db, campaign, None)
    data = schedules.version(campaign, number)
    rows = checked_rows(actor, data, body, f"campaign {campaign}, outcomes")
    params = {"now": body.now, "time_limit_s": TIME_LIMIT_S}
    job = report_outcomes(db, actor, campaign, number, rows, params)
    wake()
    return {"job": job, "version": number, "outcomes": len(rows)}


@router.post("/campaigns/{campaign}/outcomes", status_code=202, openapi_extra=OUTCOMES_BODY)
async def post_outcomes(
    request: Request,
    db: Db,
    actor: SignedIn,
    campaign: str,
    now: Annotated[str | None, Query(description="the time they are reported at (CSV bodies)")] = None,
) -> JSONResponse:
    """Outcomes of the latest version's tracks: 202 with the feedback job that re-plans around them."""
    body = read_body(await request.body(), request.headers.get("content-type", ""), now)
    state = request.app.state
    answer = await run_in_threadpool(ask_feedback, db, state.schedules, actor, campaign, body, state.runner.wake)
    return JSONResponse(answer, status_code=202, headers={"Location": f"/api/v1/jobs/{answer['job']}"})


@router.get("/campaigns/{campaign}/outcomes")
def list_outcomes(db: Db, _actor: SignedIn, campaign: str) -> dict[str, Any]:
    """Every outcome reported in the campaign, oldest first, with the track's planned times."""
    snapshot(db, campaign)  # 404 for an unknown campaign
    return {"outcomes": [outcome_json(o) for o in campaign_outcomes(db, campaign)]}

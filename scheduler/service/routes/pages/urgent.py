"""The urgent page: an agency's form for one urgent request (its fields, the tier, `now`), and
what came of it: the new version with the tracks it displaced, the proposal a blocked late-add
opened, or what refuses it; the same
function as `POST /api/v1/campaigns/{id}/urgent`. Also the outcomes the campaign page shows."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from scheduler.errors import InputError
from scheduler.service.db.campaigns import snapshot
from scheduler.service.db.outcomes import campaign_outcomes, outcome_json
from scheduler.service.db.session import Database
from scheduler.service.errors import ServiceError, bad_input
from scheduler.service.outcomes import minutes, station_rates
from scheduler.service.routes.pages.request_form import body_from_form
from scheduler.service.routes.pages.session import PageViewer, PostedForm, Viewer
from scheduler.service.routes.urgent import ask_urgent
from scheduler.service.schedules import Schedules

router = APIRouter(include_in_schema=False)
DEFAULTS = {"priority": "1", "tier": "emergency"}


def _page(
    request: Request,
    viewer: Viewer,
    campaign: str,
    status: int = 200,
    values: dict[str, str] | None = None,
    **more: Any,
) -> Response:
    seen = snapshot(request.app.state.db, campaign)
    targets = [t.get("id") for t in seen.campaign.scenario.get("targets", []) if isinstance(t, dict)]
    context = {"campaign": campaign, "targets": targets, "values": values or DEFAULTS, "answer": None, "error": None}
    return viewer.page(request, "urgent.html", status, **{**context, **more})


@router.get("/campaigns/{campaign}/urgent")
def urgent_page(request: Request, viewer: PageViewer, campaign: str) -> Response:
    return _page(request, viewer, campaign)


@router.post("/campaigns/{campaign}/urgent")
async def urgent_from_page(request: Request, posted: PostedForm, campaign: str) -> Response:
    viewer, form = posted
    state = request.app.state
    try:
        body = {"request": body_from_form(form, f"campaign {campaign}, urgent request"), "tier": form.get("tier")}
        if form.get("now", "").strip():
            body["now"] = form["now"].strip()
        answer = await run_in_threadpool(
            ask_urgent, state.db, state.schedules, viewer.who, campaign, body, state.runner.wake
        )
    except (InputError, ServiceError) as exc:
        error = bad_input(exc) if isinstance(exc, InputError) else exc
        if error.status == 404:
            raise error from None
        return _page(request, viewer, campaign, error.status, form, error=error)
    return _page(request, viewer, campaign, 202 if "proposal_job" in answer else 201, form, answer=answer)


def outcomes_view(db: Database, schedules: Schedules, campaign: str, latest: int | None) -> dict[str, Any] | None:
    """The campaign page's outcomes: planned vs executed per reported track, and per station the
    share that delivered (`complete_at` of the latest version's scenario); None if none were reported."""
    rows = campaign_outcomes(db, campaign)
    if not rows or latest is None:
        return None
    complete_at = schedules.version(campaign, latest).scenario.spec.feedback.complete_at
    tracks = [
        {
            **outcome_json(r),
            "planned_min": minutes(r.planned_start, r.planned_end),
            "ran_min": minutes(r.actual_start, r.actual_end),
        }
        for r in rows
    ]
    return {"tracks": tracks, "stations": station_rates(rows, complete_at), "complete_at": complete_at}

"""Pages of campaigns: the list (a coordinator creates one from a scenario), and a campaign's
page: its latest schedule as a Gantt chart, satisfaction, ledger, unsatisfied requests, its
job, and a coordinator's plan form."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from scheduler.errors import InputError
from scheduler.service.campaign_scenario import read_posted
from scheduler.service.db.campaigns import campaign_view, campaign_views, create_campaign
from scheduler.service.db.jobs import campaign_jobs
from scheduler.service.db.versions import one_version
from scheduler.service.errors import ServiceError, bad_input
from scheduler.service.routes.campaigns import campaign_json
from scheduler.service.routes.pages.overview import overview
from scheduler.service.routes.pages.session import PageViewer, PostedForm
from scheduler.service.routes.pages.urgent import outcomes_view
from scheduler.service.routes.plans import ask_plan
from scheduler.settings import TIME_LIMIT_S

router = APIRouter(include_in_schema=False)


def _campaigns(request: Request, viewer: PageViewer, status: int = 200, **context: object) -> Response:
    views = [campaign_json(v) for v in campaign_views(request.app.state.db)]
    return viewer.page(request, "campaigns.html", status, campaigns=views, **context)


@router.get("/campaigns")
def campaigns_page(request: Request, viewer: PageViewer) -> Response:
    return _campaigns(request, viewer)


@router.post("/campaigns")
def create_from_page(request: Request, posted: PostedForm) -> Response:
    viewer, form = posted
    text = form.get("scenario", "")
    if viewer.who.role != "coordinator":
        raise ServiceError(403, "only a coordinator creates campaigns", "", "log in as a coordinator")
    try:
        name = create_campaign(request.app.state.db, viewer.who, read_posted(text))
    except InputError as exc:
        return _campaigns(request, viewer, 422, error=bad_input(exc), scenario_text=text)
    except ServiceError as error:
        return _campaigns(request, viewer, error.status, error=error, scenario_text=text)
    return RedirectResponse(f"/campaigns/{name}", status_code=303)


@router.get("/campaigns/{campaign}")
def campaign_page(request: Request, viewer: PageViewer, campaign: str) -> Response:
    db, schedules = request.app.state.db, request.app.state.schedules
    view = campaign_view(db, campaign)
    shown = None
    if view.latest_version is not None:
        number = view.latest_version
        summary = one_version(db, campaign, number).summary
        shown = schedules.memo(
            (campaign, number, "overview"), lambda: overview(schedules.version(campaign, number), summary)
        )
    jobs = campaign_jobs(db, campaign, limit=5)
    outcomes = outcomes_view(db, schedules, campaign, view.latest_version)
    return viewer.page(
        request, "campaign.html", campaign=campaign_json(view), overview=shown, jobs=jobs, error=None, outcomes=outcomes
    )


@router.post("/campaigns/{campaign}/plan")
async def plan_from_page(request: Request, posted: PostedForm, campaign: str) -> Response:
    viewer, form = posted
    if viewer.who.role != "coordinator":
        raise ServiceError(403, "only a coordinator runs plans", "", "log in as a coordinator")
    asked = {"time_limit_s": form.get("time_limit_s") or TIME_LIMIT_S, "solver": form.get("solver") or "cpsat"}
    job = await run_in_threadpool(
        ask_plan, request.app.state.db, viewer.who, campaign, asked, request.app.state.runner.wake
    )
    return RedirectResponse(f"/jobs/{job}", status_code=303)

"""Pages of what plans did: a job's progress (refreshing itself while it runs), a campaign's
version history, and what changed between two versions."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from scheduler.service.db.campaigns import campaign_view
from scheduler.service.db.jobs import job_json, one_job
from scheduler.service.db.versions import campaign_versions, one_version, version_json
from scheduler.service.routes.pages.session import PageViewer

router = APIRouter(include_in_schema=False)


@router.get("/jobs/{job}")
def job_page(request: Request, viewer: PageViewer, job: int) -> Response:
    found = job_json(one_job(request.app.state.db, job))
    return viewer.page(request, "job.html", job=found, refresh=found["state"] in ("queued", "running"))


@router.get("/campaigns/{campaign}/versions")
def versions_page(request: Request, viewer: PageViewer, campaign: str) -> Response:
    db = request.app.state.db
    campaign_view(db, campaign)
    versions = [version_json(v) for v in reversed(campaign_versions(db, campaign))]
    return viewer.page(request, "versions.html", campaign=campaign, versions=versions)


@router.get("/campaigns/{campaign}/versions/{old}/diff/{new}")
def diff_page(request: Request, viewer: PageViewer, campaign: str, old: int, new: int) -> Response:
    db = request.app.state.db
    one_version(db, campaign, old)
    one_version(db, campaign, new)
    frame = request.app.state.schedules.diff(campaign, old, new)
    counts = {change: int((frame.change == change).sum()) for change in ("moved", "dropped", "added", "kept")}
    changes = frame[frame.change != "kept"].to_dict(orient="records")
    return viewer.page(request, "diff.html", campaign=campaign, old=old, new=new, counts=counts, changes=changes)

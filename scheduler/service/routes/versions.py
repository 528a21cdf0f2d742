"""A campaign's schedule versions: the list, one version's summary and files, the schedule in
every export format (one agency's tracks, any version; public campaigns without a token), and
the diff of two versions."""

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from scheduler.csv_cells import csv_text
from scheduler.service.auth import Caller, Db, SignedIn, allowed
from scheduler.service.db.campaigns import campaign_view
from scheduler.service.db.versions import campaign_versions, one_version, resolve_version, version_json
from scheduler.service.errors import ServiceError, not_found
from scheduler.service.schedules import MEDIA, Schedules

router = APIRouter(tags=["versions and schedules"])
DIFF_FORMATS = ("json", "csv")


def schedules(request: Request) -> Schedules:
    return request.app.state.schedules


@router.get("/campaigns/{campaign}/versions")
def list_versions(db: Db, _actor: SignedIn, campaign: str) -> dict[str, Any]:
    campaign_view(db, campaign)  # 404 for an unknown campaign
    return {"versions": [version_json(v) for v in campaign_versions(db, campaign)]}


@router.get("/campaigns/{campaign}/versions/{number}")
def get_version(request: Request, db: Db, _actor: SignedIn, campaign: str, number: int) -> dict[str, Any]:
    """The version's whole summary (summary.json) and the names of its files."""
    version = one_version(db, campaign, number)
    names = sorted(schedules(request).version(campaign, number).files)
    return {**version_json(version, brief=False), "files": names}


@router.get("/campaigns/{campaign}/versions/{number}/files/{name}")
def get_version_file(request: Request, _actor: SignedIn, campaign: str, number: int, name: str) -> Response:
    """One of the version's files as `jointtrack plan` wrote it (unsatisfied.csv, ledger.csv, …)."""
    files = schedules(request).version(campaign, number).files
    if name not in files:
        raise not_found(f"file {name!r} in version {number}", "name", f"use one of {', '.join(sorted(files))}")
    media = (
        "application/json" if name.endswith(".json") else "application/yaml" if name.endswith(".yaml") else "text/csv"
    )
    return Response(files[name], media_type=media)


@router.get("/campaigns/{campaign}/schedule")
async def get_schedule(
    request: Request,
    db: Db,
    viewer: Caller,
    campaign: str,
    format: str = "json",
    agency: str | None = None,
    version: int | None = None,
) -> Response:
    """The schedule of a version (default the latest) as csv, json, ics or xml; `agency` keeps
    that agency's tracks. Without a token, only a public campaign's. The busiest route: its two
    lookups are one indexed row each (`Database.quickly`), and the text is made once per version."""
    public, number = await db.quickly(resolve_version, db, campaign, version)
    if not public:
        allowed(viewer, ())
    tag = f'"{campaign}-{number}-{format}-{agency or ""}"'
    headers = {"ETag": tag, "Cache-Control": "no-cache", "X-Schedule-Version": str(number)}
    if request.headers.get("if-none-match") == tag:
        return Response(status_code=304, headers=headers)
    kept = schedules(request)
    text = kept.kept_export(campaign, number, format, agency)
    if text is None:  # made once per version, format and agency, in a worker thread
        text = await run_in_threadpool(kept.export, campaign, number, format, agency)
    return Response(text, media_type=MEDIA[format], headers=headers)


@router.get("/campaigns/{campaign}/versions/{old}/diff/{new}")
def get_diff(
    request: Request, db: Db, _actor: SignedIn, campaign: str, old: int, new: int, format: str = "json"
) -> Response:
    """What changed from version `old` to version `new`: diff.csv's rows and their counts."""
    if format not in DIFF_FORMATS:
        raise ServiceError(422, f"unknown format {format!r}", "format", "use json or csv")
    one_version(db, campaign, old)
    one_version(db, campaign, new)
    frame = schedules(request).diff(campaign, old, new)
    if format == "csv":
        return Response(csv_text(frame), media_type="text/csv")
    counts = {change: int((frame.change == change).sum()) for change in ("kept", "moved", "dropped", "added")}
    rows = frame.to_dict(orient="records")
    return JSONResponse({"from": old, "to": new, "counts": counts, "changes": rows})

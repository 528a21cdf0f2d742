"""Proposals and consent (docs/design.md: Service proposals): a campaign's baseline and
negotiation settings, proposals asked for (a `propose` job), read with their parties, their diff
against the baseline (JSON, CSV) and their schedule as a CCSDS Simple Schedule (PROVISIONAL,
TENTATIVE); answers of the asked agencies; the coordinator's apply; the baseline's schedule as
agreed (OPERATIONAL, COMMITTED)."""

import csv
import io
from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from scheduler.inputs import load_scenario_text
from scheduler.outputs.exports import FORMATS, context_from_scenario
from scheduler.outputs.schedule_table import read_schedule_text
from scheduler.service.auth import AgencyActor, Coordinator, Db, SignedIn
from scheduler.service.db.consent import apply_proposal, respond
from scheduler.service.db.negotiation import change_negotiation, negotiation_json, set_baseline
from scheduler.service.db.proposals import ProposalView, one_proposal, proposals_of
from scheduler.service.errors import ServiceError
from scheduler.service.proposals import ask_proposal, no_baseline
from scheduler.service.routes.body import JSON_OBJECT, body_json
from scheduler.service.schedules import MEDIA
from scheduler.service.version_inputs import SCENARIO_FILE

router = APIRouter(tags=["proposals and consent"])
DIFF_FORMATS = ("json", "csv", "xml")


@router.post("/campaigns/{campaign}/baseline", openapi_extra=JSON_OBJECT)
async def post_baseline(request: Request, db: Db, actor: Coordinator, campaign: str) -> dict[str, Any]:
    """Baseline a version: `{"version": N}`."""
    body = await body_json(request)
    return await run_in_threadpool(set_baseline, db, actor, campaign, body)


@router.patch("/campaigns/{campaign}/negotiation", openapi_extra=JSON_OBJECT)
async def patch_negotiation(request: Request, db: Db, actor: Coordinator, campaign: str) -> dict[str, Any]:
    """Change `respond_within`, `silence` (reject | concur) or `freeze_before`."""
    body = await body_json(request)
    return {"id": campaign, "negotiation": await run_in_threadpool(change_negotiation, db, actor, campaign, body)}


@router.post("/campaigns/{campaign}/proposals", status_code=202, openapi_extra=JSON_OBJECT)
async def post_proposal(request: Request, db: Db, actor: SignedIn, campaign: str) -> JSONResponse:
    """Propose against the baseline in the background: `{"reason": "…", "time_limit_s": 10}`
    (coordinator, or an agency with requests in the campaign); the job names the proposal once done."""
    body = await body_json(request)
    job = await run_in_threadpool(ask_proposal, db, actor, campaign, body, request.app.state.runner.wake)
    return JSONResponse({"job": job}, status_code=202, headers={"Location": f"/api/v1/jobs/{job}"})


@router.get("/campaigns/{campaign}/proposals")
def list_proposals(db: Db, _actor: SignedIn, campaign: str) -> dict[str, Any]:
    return {"proposals": [brief(v) for v in proposals_of(db, campaign)]}


@router.get("/inbox")
def inbox(db: Db, actor: AgencyActor) -> dict[str, Any]:
    """The open proposals that ask the token's agency and await its answer."""
    return {"proposals": [brief(v) for v in proposals_of(db, agency=actor.agency)]}


def brief(view: ProposalView) -> dict[str, Any]:
    whole = view.json()
    return {k: whole[k] for k in ("id", "campaign", "state", "base_version", "respond_by", "reason", "round")}


@router.get("/proposals/{pid}")
def get_proposal(db: Db, _actor: SignedIn, pid: int) -> dict[str, Any]:
    return one_proposal(db, pid).json()


@router.get("/proposals/{pid}/diff")
def get_proposal_diff(request: Request, db: Db, _actor: SignedIn, pid: int, format: str = "json") -> Response:
    """diff.csv's rows against the baseline (json, csv), or the proposal's schedule as a CCSDS
    Simple Schedule (xml: PROVISIONAL, its activities TENTATIVE)."""
    if format not in DIFF_FORMATS:
        raise ServiceError(422, f"unknown format {format!r}", "format", "use json, csv or xml")
    view = one_proposal(db, pid)
    files = view.proposal.files
    if format == "csv":
        return Response(files["diff.csv"], media_type="text/csv")
    if format == "xml":
        text = request.app.state.schedules.memo(("proposal", pid, "xml"), lambda: proposal_ssf(files, pid))
        return Response(text, media_type="application/xml")  # a proposal's files never change: made once
    rows = read_csv_rows(files["diff.csv"])
    counts = {change: sum(r["change"] == change for r in rows) for change in ("kept", "moved", "dropped", "added")}
    return JSONResponse(
        {"proposal": pid, "base_version": view.proposal.base_version, "counts": counts, "changes": rows}
    )


def read_csv_rows(text: str) -> list[dict[str, str]]:
    """A CSV file's rows as text by column (diff.csv as the engine wrote it)."""
    return list(csv.DictReader(io.StringIO(text)))


def proposal_ssf(files: dict[str, str], pid: int) -> str:
    """The proposal's schedule through the XML exporter (a plan's status: PROVISIONAL, TENTATIVE)."""
    scenario = load_scenario_text(files[SCENARIO_FILE], f"proposal {pid}")
    schedule = read_schedule_text(files["schedule.csv"], f"proposal {pid}")
    return FORMATS["xml"].write(schedule, context_from_scenario(scenario, status="provisional"))


@router.post("/proposals/{pid}/responses", openapi_extra=JSON_OBJECT)
async def post_response(request: Request, db: Db, actor: SignedIn, pid: int) -> dict[str, Any]:
    """An asked agency's answer: `{"decision": "concur|reject|counter", "reason", "counter": {"requests": […]}}`."""
    body = await body_json(request)
    return await run_in_threadpool(respond, db, actor, pid, body)


@router.post("/proposals/{pid}/apply", openapi_extra=JSON_OBJECT)
async def post_apply(request: Request, db: Db, actor: Coordinator, pid: int) -> dict[str, Any]:
    """Make the proposal the new baseline version; `{"force": true, "reason": "…"}` over rejections."""
    body = await body_json(request)
    return await run_in_threadpool(apply_proposal, db, actor, pid, body)


@router.get("/campaigns/{campaign}/baseline")
async def get_baseline(request: Request, db: Db, _actor: SignedIn, campaign: str, format: str = "json") -> Response:
    """The baseline's schedule as csv, json, ics or xml, exported as agreed: OPERATIONAL, COMMITTED
    (ics: CONFIRMED)."""
    number = (await run_in_threadpool(negotiation_json, db, campaign))["baseline"]
    if number is None:
        raise no_baseline(campaign)
    if format not in MEDIA:
        raise ServiceError(422, f"unknown format {format!r}", "format", f"use one of {', '.join(MEDIA)}")
    kept = request.app.state.schedules

    def make() -> str:
        data = kept.version(campaign, number)
        context = replace(context_from_scenario(data.scenario, status="operational"), generated=data.created_at)
        return FORMATS[format].write(data.schedule, context)

    text = await run_in_threadpool(kept.memo, (campaign, number, format, "baseline"), make)
    return Response(text, media_type=MEDIA[format], headers={"X-Schedule-Version": str(number)})

"""`/campaigns`: create one from a scenario (coordinator), list and read them, their scenario as
YAML, their settings."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from starlette.concurrency import run_in_threadpool

from scheduler.service.auth import Coordinator, Db, SignedIn
from scheduler.service.campaign_scenario import read_posted
from scheduler.service.db.campaigns import (
    CampaignView,
    campaign_view,
    campaign_views,
    change_settings,
    create_campaign,
    snapshot,
)
from scheduler.service.db.negotiation import negotiation_json
from scheduler.service.errors import ServiceError
from scheduler.service.routes.body import JSON_OBJECT, YAML_BODY, body_json, body_text

router = APIRouter(tags=["campaigns"])


def campaign_json(view: CampaignView) -> dict[str, Any]:
    scenario = view.campaign.scenario
    return {
        "id": view.campaign.id,
        "description": scenario.get("description", ""),
        "start": scenario.get("start"),
        "end": scenario.get("end"),
        "public": bool(view.campaign.settings.get("public")),
        "settings": view.campaign.settings,
        "created_by": view.campaign.created_by,
        "created_at": view.campaign.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "requests": view.requests,
        "latest_version": view.latest_version,
        "active_job": view.active_job,
    }


def new_campaign(db: Db, actor: Coordinator, text: str) -> str:
    """Check a posted scenario and store it as a campaign (shared with the pages)."""
    return create_campaign(db, actor, read_posted(text))


@router.post("/campaigns", status_code=201, openapi_extra=YAML_BODY)
def post_campaign(db: Db, actor: Coordinator, text: Annotated[str, Depends(body_text)]) -> JSONResponse:
    """A campaign from a scenario YAML (with optional `campaign: {public: true}`); its id."""
    name = new_campaign(db, actor, text)
    return JSONResponse({"id": name}, status_code=201, headers={"Location": f"/api/v1/campaigns/{name}"})


@router.get("/campaigns")
def list_campaigns(db: Db, _actor: SignedIn) -> dict[str, Any]:
    return {"campaigns": [campaign_json(v) for v in campaign_views(db)]}


@router.get("/campaigns/{campaign}")
def get_campaign(db: Db, _actor: SignedIn, campaign: str) -> dict[str, Any]:
    """The campaign, its baseline version and its negotiation settings."""
    return {**campaign_json(campaign_view(db, campaign)), **negotiation_json(db, campaign)}


@router.get("/campaigns/{campaign}/scenario", response_class=PlainTextResponse)
def get_scenario(db: Db, _actor: SignedIn, campaign: str) -> PlainTextResponse:
    """The campaign's scenario with its requests as they stand: `jointtrack plan` takes it as it is."""
    return PlainTextResponse(snapshot(db, campaign).yaml(), media_type="application/yaml")


@router.patch("/campaigns/{campaign}", openapi_extra=JSON_OBJECT)
async def patch_campaign(request: Request, db: Db, actor: Coordinator, campaign: str) -> dict[str, Any]:
    """Change the campaign's settings, e.g. `{"public": true}`."""
    changes = await body_json(request)
    if not isinstance(changes, dict):
        raise ServiceError(422, "the body is not a JSON object", "body", 'send e.g. {"public": true}')
    settings = await run_in_threadpool(change_settings, db, actor, campaign, changes)
    return {"id": campaign, "settings": settings}

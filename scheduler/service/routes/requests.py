"""`/campaigns/{id}/requests`: every agency reads them all; an agency adds its own, and replaces
or deletes them with `If-Match: VERSION` (412 stale, 428 missing; nothing changes on error)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Response
from fastapi.responses import JSONResponse

from scheduler.service.auth import Db, SignedIn
from scheduler.service.db.requests import (
    add_request,
    campaign_requests,
    one_request,
    remove_request,
    replace_request,
    request_json,
)
from scheduler.service.routes.body import JSON_OBJECT, body_json

router = APIRouter(tags=["requests"])
IfMatch = Annotated[str | None, Header(alias="If-Match", description="the request's version")]
Body = Annotated[Any, Depends(body_json)]


def _tagged(payload: dict[str, Any], status: int = 200, location: str | None = None) -> JSONResponse:
    headers = {"ETag": f'"{payload["version"]}"'}
    if location:
        headers["Location"] = location
    return JSONResponse(payload, status_code=status, headers=headers)


@router.get("/campaigns/{campaign}/requests")
def list_requests(db: Db, _actor: SignedIn, campaign: str, agency: str | None = None) -> dict[str, Any]:
    """Every request of the campaign in its order (or one agency's), each with its version."""
    return {"requests": [request_json(r) for r in campaign_requests(db, campaign, agency)]}


@router.get("/campaigns/{campaign}/requests/{request_id}")
def get_request(db: Db, _actor: SignedIn, campaign: str, request_id: str) -> JSONResponse:
    return _tagged(request_json(one_request(db, campaign, request_id)))


@router.post("/campaigns/{campaign}/requests", status_code=201, openapi_extra=JSON_OBJECT)
def post_request(db: Db, actor: SignedIn, campaign: str, body: Body) -> JSONResponse:
    """A new request of the token's agency, in scenario keys; 201 with its version."""
    row = add_request(db, actor, campaign, body)
    location = f"/api/v1/campaigns/{campaign}/requests/{row.request_id}"
    return _tagged(request_json(row), 201, location)


@router.put("/campaigns/{campaign}/requests/{request_id}", openapi_extra=JSON_OBJECT)
def put_request(
    db: Db, actor: SignedIn, campaign: str, request_id: str, body: Body, if_match: IfMatch = None
) -> JSONResponse:
    """The request replaced whole, if If-Match names its current version."""
    return _tagged(request_json(replace_request(db, actor, campaign, request_id, body, if_match)))


@router.delete("/campaigns/{campaign}/requests/{request_id}", status_code=204)
def delete_request(db: Db, actor: SignedIn, campaign: str, request_id: str, if_match: IfMatch = None) -> Response:
    remove_request(db, actor, campaign, request_id, if_match)
    return Response(status_code=204)

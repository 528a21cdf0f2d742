"""The requests pages: an agency's own requests (everyone's for the office), a form to add one
and to edit or delete each, errors shown beside the field they are about; the same store
functions as the JSON API, the version read with the form as its If-Match."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from scheduler.errors import InputError
from scheduler.service.db.campaigns import snapshot
from scheduler.service.db.requests import add_request, one_request, remove_request, replace_request
from scheduler.service.errors import ServiceError
from scheduler.service.routes.pages.request_form import body_from_form, field_of, form_values
from scheduler.service.routes.pages.session import PageViewer, PostedForm, Viewer

router = APIRouter(include_in_schema=False)


def _page(
    request: Request,
    viewer: Viewer,
    campaign: str,
    status: int = 200,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    editing: Any = None,
) -> Response:
    seen = snapshot(request.app.state.db, campaign)
    mine = [r for r in seen.requests if viewer.who.role != "agency" or r.agency == viewer.who.agency]
    targets = [t.get("id") for t in seen.campaign.scenario.get("targets", []) if isinstance(t, dict)]
    return viewer.page(
        request,
        "requests.html",
        status,
        campaign=campaign,
        requests=mine,
        targets=targets,
        values=values or {"per": "horizon", "priority": "5", "tracks": "1"},
        errors=errors or {},
        editing=editing,
    )


def _failed(
    request: Request, viewer: Viewer, campaign: str, form: dict[str, str], exc: Exception, editing: Any
) -> Response:
    """The form again with the error beside its field."""
    if isinstance(exc, InputError):
        text = f"{exc.problem}; fix: {exc.fix}" if exc.fix else exc.problem
        errors, status = {field_of(exc.field): text}, 422
    else:
        assert isinstance(exc, ServiceError)
        errors, status = {field_of(exc.field, "form"): exc.error}, exc.status
    return _page(request, viewer, campaign, status, form, errors, editing)


@router.get("/campaigns/{campaign}/requests")
def requests_page(request: Request, viewer: PageViewer, campaign: str) -> Response:
    return _page(request, viewer, campaign)


@router.post("/campaigns/{campaign}/requests")
def add_from_page(request: Request, posted: PostedForm, campaign: str) -> Response:
    viewer, form = posted
    try:
        body = body_from_form(form, f"campaign {campaign}, new request")
        add_request(request.app.state.db, viewer.who, campaign, body)
    except (InputError, ServiceError) as exc:
        if isinstance(exc, ServiceError) and exc.status == 404:
            raise
        return _failed(request, viewer, campaign, form, exc, None)
    return RedirectResponse(f"/campaigns/{campaign}/requests", status_code=303)


@router.get("/campaigns/{campaign}/requests/{request_id}")
def edit_page(request: Request, viewer: PageViewer, campaign: str, request_id: str) -> Response:
    row = one_request(request.app.state.db, campaign, request_id)
    return _page(request, viewer, campaign, values=form_values(row.body), editing=row)


@router.post("/campaigns/{campaign}/requests/{request_id}")
def save_from_page(request: Request, posted: PostedForm, campaign: str, request_id: str) -> Response:
    viewer, form = posted
    row = one_request(request.app.state.db, campaign, request_id)
    try:
        body = body_from_form(form, f"campaign {campaign}, request {request_id}")
        replace_request(request.app.state.db, viewer.who, campaign, request_id, body, form.get("version"))
    except (InputError, ServiceError) as exc:
        if isinstance(exc, ServiceError) and exc.status == 404:
            raise
        return _failed(request, viewer, campaign, form, exc, row)
    return RedirectResponse(f"/campaigns/{campaign}/requests", status_code=303)


@router.post("/campaigns/{campaign}/requests/{request_id}/delete")
def delete_from_page(request: Request, posted: PostedForm, campaign: str, request_id: str) -> Response:
    viewer, form = posted
    remove_request(request.app.state.db, viewer.who, campaign, request_id, form.get("version"))
    return RedirectResponse(f"/campaigns/{campaign}/requests", status_code=303)

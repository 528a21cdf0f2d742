"""The negotiation's pages: an agency's inbox of proposals awaiting its answer (the coordinator's:
every open proposal), and a proposal with its diff Gantt, its party table, the changes, and the
forms to concur, reject (with a reason) or counter (an edit of the agency's own requests), or,
for the coordinator, to apply; the same store functions as the JSON API."""

import re
from dataclasses import dataclass
from typing import Any

import yaml
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from scheduler.errors import InputError
from scheduler.service.db.campaigns import snapshot
from scheduler.service.db.consent import apply_proposal, respond
from scheduler.service.db.proposals import one_proposal, proposals_of
from scheduler.service.db.versions import version_files
from scheduler.service.errors import ServiceError, bad_input
from scheduler.service.routes.pages.proposal_gantt import diff_gantt
from scheduler.service.routes.pages.session import PageViewer, PostedForm, Viewer
from scheduler.service.routes.proposals import read_csv_rows

router = APIRouter(include_in_schema=False)
SCRIPT = re.compile(r"<script\b")


@dataclass(frozen=True)
class Chart:
    """Plotly's div and script, given the page's CSP nonce when rendered."""

    html: str

    def with_nonce(self, nonce: str) -> str:
        return SCRIPT.sub(f'<script nonce="{nonce}"', self.html)


@router.get("/inbox")
def inbox_page(request: Request, viewer: PageViewer) -> Response:
    db = request.app.state.db
    if viewer.who.role == "agency":
        awaiting = proposals_of(db, agency=viewer.who.agency)
    else:
        awaiting = [v for v in proposals_of(db) if v.state == "open"]
    return viewer.page(request, "inbox.html", proposals=[v.json() for v in awaiting])


def _page(request: Request, viewer: Viewer, pid: int, status: int = 200, **form: Any) -> Response:
    db = request.app.state.db
    view = one_proposal(db, pid)
    proposal, who = view.proposal, viewer.who
    base = version_files(db, proposal.campaign_id, proposal.base_version, ("schedule.csv",))["schedule.csv"]
    agencies = [p.agency for p in view.parties]
    title = f"{proposal.campaign_id}: baseline version {proposal.base_version} above proposal {pid}"
    chart = Chart(diff_gantt(base, proposal.files["schedule.csv"], agencies, title)) if agencies else None
    party = next((p for p in view.asked() if p.agency == who.agency), None)
    answering = view.state == "open" and party is not None and party.response == "pending"
    own = [r.body for r in snapshot(db, proposal.campaign_id).requests if r.agency == who.agency]
    changes = [r for r in read_csv_rows(proposal.files["diff.csv"]) if r["change"] != "kept"]
    return viewer.page(
        request,
        "proposal.html",
        status,
        proposal=view.json(),
        chart=chart,
        changes=changes,
        answering=answering,
        counter=form.get("counter") or yaml.safe_dump(own, sort_keys=False, allow_unicode=True),
        error=form.get("error", ""),
        error_field=form.get("error_field", ""),
    )


@router.get("/proposals/{pid}")
def proposal_page(request: Request, viewer: PageViewer, pid: int) -> Response:
    return _page(request, viewer, pid)


def requests_of(text: str) -> Any:
    """The counter form's YAML list of requests (checked by the store as the API's)."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise ServiceError(
            422, f"counter: not YAML{where}", "counter.requests", "write a YAML list of your requests"
        ) from None


@router.post("/proposals/{pid}/respond")
def respond_from_page(request: Request, posted: PostedForm, pid: int) -> Response:
    viewer, form = posted
    decision = form.get("decision", "")
    body: dict[str, Any] = {"decision": decision, "reason": form.get("reason", "")}
    try:
        if decision == "counter":
            body["counter"] = {"requests": requests_of(form.get("counter", ""))}
        answer = respond(request.app.state.db, viewer.who, pid, body)
    except (InputError, ServiceError) as exc:
        error = bad_input(exc) if isinstance(exc, InputError) else exc
        if error.status in (403, 404):
            raise error from None
        return _page(
            request, viewer, pid, error.status, error=error.error, error_field=error.field, counter=form.get("counter")
        )
    target = f"/jobs/{answer['job']}" if answer["job"] is not None else f"/proposals/{pid}"
    return RedirectResponse(target, status_code=303)


@router.post("/proposals/{pid}/apply")
def apply_from_page(request: Request, posted: PostedForm, pid: int) -> Response:
    viewer, form = posted
    if viewer.who.role != "coordinator":
        raise ServiceError(403, f"a {viewer.who.role} cannot apply a proposal", "Authorization", "ask the coordinator")
    body = {"force": form.get("force") == "on", "reason": form.get("reason", "")}
    try:
        apply_proposal(request.app.state.db, viewer.who, pid, body)
    except ServiceError as error:
        if error.status in (403, 404):
            raise
        return _page(request, viewer, pid, error.status, error=error.error, error_field=error.field)
    return RedirectResponse(f"/proposals/{pid}", status_code=303)

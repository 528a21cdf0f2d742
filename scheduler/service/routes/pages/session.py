"""Log-in and log-out of the pages, and what every page route needs: the viewer (or the log-in
page), and a form whose CSRF token is the session's.

A token logs in once: the page session's id goes into a cookie (HttpOnly, SameSite=Strict,
Secure over HTTPS) and only its hash into the database. The log-in form itself carries a CSRF
token too, matched against a cookie of its own (double submit).
"""

import hmac
import secrets
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from scheduler.service.auth import SESSION_COOKIE, page_principal, verify_token
from scheduler.service.db.accounts import Principal, close_session, open_session
from scheduler.service.errors import ServiceError, forbidden, unauthorised
from scheduler.service.routes.pages.render import render

LOGIN_COOKIE = "jt_login"
router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class Viewer:
    """A logged-in page viewer and the CSRF token their forms carry."""

    who: Principal
    csrf: str

    def page(self, request: Request, template: str, status: int = 200, **context: Any) -> Response:
        return render(request, template, status, self.who, self.csrf, **context)


async def viewer(request: Request) -> Viewer:
    found = await page_principal(request)
    if found is None:
        raise unauthorised("not logged in")
    return Viewer(*found)


async def form_of(request: Request, expected: str) -> dict[str, str]:
    """The posted form, if its CSRF token is `expected` (else 403: nothing is done)."""
    form = await request.form()
    sent = str(form.get("csrf", ""))
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise forbidden("the form's CSRF token does not match this session", "reload the page and send the form again")
    return {k: str(v) for k, v in form.items() if isinstance(v, str)}


async def posted(request: Request, who: Annotated[Viewer, Depends(viewer)]) -> tuple[Viewer, dict[str, str]]:
    """The viewer and their form, checked for CSRF: a dependency of every page that writes."""
    return who, await form_of(request, who.csrf)


PageViewer = Annotated[Viewer, Depends(viewer)]
PostedForm = Annotated[tuple[Viewer, dict[str, str]], Depends(posted)]


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _next(target: str) -> str:
    """Only a path of this site to go on to after logging in."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/campaigns"


def login_page(request: Request, error: str = "", next_path: str = "/campaigns", status: int = 200) -> Response:
    token = secrets.token_urlsafe(24)
    page = render(request, "login.html", status, login_csrf=token, next=_next(next_path), error=error)
    page.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict", secure=_secure(request), max_age=3600)
    return page


@router.get("/login")
async def get_login(request: Request, next: str = "/campaigns") -> Response:
    return login_page(request, next_path=next)


@router.post("/login")
async def post_login(request: Request) -> Response:
    form = await form_of(request, request.cookies.get(LOGIN_COOKIE, ""))
    target = _next(form.get("next", "/campaigns"))
    try:
        who = await verify_token(request, form.get("token", "").strip())
    except ServiceError as error:
        return login_page(request, error.error, target, error.status)
    settings = request.app.state.settings
    cookie, _ = await run_in_threadpool(open_session, request.app.state.db, who.token_id, settings.session_hours)
    answer = RedirectResponse(target, status_code=303)
    answer.set_cookie(
        SESSION_COOKIE,
        cookie,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
        max_age=int(settings.session_hours * 3600),
        path="/",
    )
    answer.delete_cookie(LOGIN_COOKIE)
    return answer


@router.post("/logout")
async def post_logout(request: Request, form: PostedForm) -> Response:
    await run_in_threadpool(close_session, request.app.state.db, request.cookies.get(SESSION_COOKIE, ""))
    answer = RedirectResponse("/login", status_code=303)
    answer.delete_cookie(SESSION_COOKIE, path="/")
    return answer


@router.get("/")
async def home() -> Response:
    return RedirectResponse("/campaigns", status_code=303)

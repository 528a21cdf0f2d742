"""Rendering pages: Jinja2 templates with autoescape, a fresh CSP nonce per page (scripts run
only with it), the session's CSRF token in every form, errors as pages (401: to the log-in)."""

import secrets
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from scheduler.service.db.accounts import Principal
from scheduler.service.errors import ServiceError

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"
ENVIRONMENT = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True))


def content_policy(nonce: str) -> str:
    return (
        "default-src 'self'; "
        f"script-src 'self' 'nonce-{nonce}'; "
        "style-src 'self' 'unsafe-inline'; "  # plotly styles its own elements
        "img-src 'self' data:; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"
    )


def render(
    request: Request,
    template: str,
    status: int = 200,
    who: Principal | None = None,
    csrf: str = "",
    **context: Any,
) -> HTMLResponse:
    """The template as a page, with its nonce and the viewer's name, role and CSRF token."""
    nonce = secrets.token_urlsafe(16)
    html = ENVIRONMENT.get_template(template).render(request=request, who=who, csrf=csrf, nonce=nonce, **context)
    headers = {"Content-Security-Policy": content_policy(nonce), "Cache-Control": "no-store"}
    return HTMLResponse(html, status_code=status, headers=headers)


def login_redirect(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target)}", status_code=303)


def error_page(request: Request, error: ServiceError) -> Response:
    """An error as a page; a missing log-in goes to the log-in page instead."""
    if error.status == 401:
        return login_redirect(request)
    return render(request, "error.html", error.status, error=error)

"""Rendering pages: templates with autoescape, the CSP nonce, error pages."""

from fastapi import Request
from fastapi.responses import HTMLResponse

from scheduler.service.errors import ServiceError


def error_page(request: Request, error: ServiceError) -> HTMLResponse:
    return HTMLResponse(f"error {error.status}", status_code=error.status)

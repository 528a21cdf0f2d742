"""The service's application: routes under `/api/v1` and the pages, errors in one shape, the job
runner started and stopped with it (docs/design.md: Service)."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from scheduler.errors import InputError
from scheduler.service.auth import Guard
from scheduler.service.config import ServiceSettings
from scheduler.service.db.session import Database
from scheduler.service.errors import ServiceError, bad_input
from scheduler.service.jobs import JobRunner
from scheduler.service.middleware import BodyLimit, SecurityHeaders
from scheduler.service.routes import (
    campaigns,
    events,
    health,
    outcomes,
    plans,
    proposals,
    requests,
    urgent,
    versions,
)
from scheduler.service.routes.pages import router as pages
from scheduler.service.routes.pages.render import error_page
from scheduler.service.schedules import Schedules
from scheduler.version import __version__

API = "/api/v1"
STATIC = Path(__file__).resolve().parent / "static"
log = logging.getLogger("jointtrack.service")


def _answer(request: Request, error: ServiceError) -> Response:
    """JSON under /api, a page elsewhere."""
    if request.url.path.startswith(API) or request.url.path == "/health":
        return JSONResponse(error.body(), status_code=error.status, headers=error.headers)
    return error_page(request, error)


def _validation(request: Request, exc: RequestValidationError) -> Response:
    first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
    field = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path", "header"))
    return _answer(request, ServiceError(422, f"{field}: {first['msg']}", field, "correct the value"))


def _http(request: Request, exc: HTTPException) -> Response:
    fix = "see /api/v1/openapi.json for every route" if exc.status_code in (404, 405) else ""
    return _answer(request, ServiceError(exc.status_code, str(exc.detail).lower(), "", fix, exc.headers))


def _internal(request: Request, exc: Exception) -> Response:
    log.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
    error = ServiceError(500, f"internal error: {type(exc).__name__} (a bug: please report it)", "", "")
    return _answer(request, error)


def create_app(settings: ServiceSettings, run_jobs: bool = True) -> Any:
    """The ASGI application of one database (migrated already: see `server.run_server`)."""
    db = Database(settings.db_url)
    runner = JobRunner(db, settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if run_jobs:
            runner.start()
        yield
        runner.stop()
        db.dispose()

    app = FastAPI(
        title="jointtrack",
        version=__version__,
        description="The shared service of jointtrack: campaigns, requests, plans, schedule versions, audit log.",
        openapi_url=f"{API}/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.db, app.state.settings, app.state.runner = db, settings, runner
    app.state.guard, app.state.schedules = Guard.of(settings), Schedules(db)
    app.add_exception_handler(ServiceError, lambda r, e: _answer(r, e))
    app.add_exception_handler(InputError, lambda r, e: _answer(r, bad_input(e)))
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(Exception, _internal)
    app.include_router(health.router)
    for module in (health, campaigns, requests, plans, versions, events, proposals, urgent, outcomes):
        app.include_router(module.router, prefix=API)
    app.include_router(pages)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return BodyLimit(SecurityHeaders(app), settings.body_limit())

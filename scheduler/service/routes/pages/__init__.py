"""The pages: server-rendered (Jinja2, autoescaped) over the same functions as the JSON API."""

from pathlib import Path

import plotly
from fastapi import APIRouter
from fastapi.responses import FileResponse

from scheduler.service.routes.pages import campaigns, history, proposals, requests, session, urgent

PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"

router = APIRouter(include_in_schema=False)
for module in (session, campaigns, requests, history, proposals, urgent):
    router.include_router(module.router)


@router.get("/static/plotly.min.js")
def plotly_js() -> FileResponse:
    """plotly.js from the installed plotly package (the pages load nothing from elsewhere)."""
    return FileResponse(PLOTLY_JS, media_type="text/javascript", headers={"Cache-Control": "max-age=86400"})

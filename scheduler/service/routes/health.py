"""`/health`: the one route anyone may call: the service answers and its database too."""

from typing import Any

from fastapi import APIRouter

from scheduler.service.auth import Db
from scheduler.version import __version__

router = APIRouter(tags=["health"])


@router.get("/health")
def health(db: Db) -> dict[str, Any]:
    db.ping()
    return {"status": "ok", "version": __version__, "database": db.dialect}

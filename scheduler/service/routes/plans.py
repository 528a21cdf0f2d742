"""`/campaigns/{id}/plans` queues a plan (coordinator; 202 with its job, 409 while one is active);
`/jobs/{id}` follows it: queued, running (with progress), done (with its version) or failed."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from scheduler.errors import InputError
from scheduler.inputs.fields import Strict
from scheduler.inputs.messages import input_error
from scheduler.service.auth import Coordinator, Db, SignedIn
from scheduler.service.db.accounts import Principal
from scheduler.service.db.jobs import campaign_jobs, enqueue, job_json, one_job
from scheduler.service.db.session import Database
from scheduler.service.errors import bad_input
from scheduler.service.routes.body import JSON_OBJECT, body_json
from scheduler.settings import SEED, TIME_LIMIT_S, WORKERS, SolverName, check_solver_settings

router = APIRouter(tags=["plans and jobs"])


class PlanAsk(Strict):
    """How to plan: as `jointtrack plan`'s options, with their defaults and ranges from
    `scheduler/settings.py` (the one check the command line and the Python API use too)."""

    time_limit_s: float = TIME_LIMIT_S
    solver: SolverName = "cpsat"
    seed: int = SEED
    workers: int = WORKERS


def ask_plan(db: Database, actor: Principal, campaign: str, body: Any, wake: Any) -> int:
    """Queue a plan of the campaign as it stands (shared with the pages); the job's id."""
    try:
        ask = PlanAsk.model_validate(body)
        check_solver_settings(ask.time_limit_s, ask.workers, ask.seed, ask.solver, None)
    except ValidationError as exc:
        raise bad_input(input_error(exc, body, "plan")) from None
    except InputError as exc:
        raise bad_input(exc) from None
    job = enqueue(db, actor, campaign, "plan", ask.model_dump())
    wake()
    return job


@router.post("/campaigns/{campaign}/plans", status_code=202, openapi_extra=JSON_OBJECT)
async def post_plan(request: Request, db: Db, actor: Coordinator, campaign: str) -> JSONResponse:
    """Plan the campaign in the background: `{"time_limit_s": 25, "solver": "cpsat", "seed": 0}`."""
    body = await body_json(request)
    job = await run_in_threadpool(ask_plan, db, actor, campaign, body, request.app.state.runner.wake)
    return JSONResponse({"job": job}, status_code=202, headers={"Location": f"/api/v1/jobs/{job}"})


@router.get("/jobs/{job}")
def get_job(db: Db, _actor: SignedIn, job: int) -> dict[str, Any]:
    return job_json(one_job(db, job))


@router.get("/campaigns/{campaign}/jobs")
def list_jobs(db: Db, _actor: SignedIn, campaign: str) -> dict[str, Any]:
    return {"jobs": [job_json(j) for j in campaign_jobs(db, campaign)]}

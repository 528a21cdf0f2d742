"""What each kind of job does: its work, run in a separate process through `scheduler.api`,
and how what it made is stored, in the runner's one finishing transaction.

A plan plans the scenario the job froze when it was asked for and stores a new version with
the files `jointtrack plan` writes (less the Gantt page and the exports, which are made from
schedule.csv when asked for), and the scenario itself, so the version can be re-planned.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from scheduler.service.db.models import Job
from scheduler.service.db.session import Database
from scheduler.service.db.versions import store_version
from scheduler.service.proposal_work import baseline_input, propose_work, store_proposal
from scheduler.service.version_inputs import SCENARIO_FILE
from scheduler.settings import SEED, TIME_LIMIT_S, WORKERS

Progress = Callable[[str], None]
PLAN_DEFAULTS = {"time_limit_s": TIME_LIMIT_S, "workers": WORKERS, "seed": SEED, "solver": "cpsat"}


@dataclass(frozen=True)
class JobKind:
    """A kind of job: `work(payload, progress)` in the job's process (picklable in and out), and
    `store(session, job, result)` in the finishing transaction (the new version's number, or the
    new proposal's); `inputs(db, job)` adds to the payload what the job's row does not hold."""

    work: Callable[[dict[str, Any], Progress], dict[str, Any]]
    store: Callable[[Session, Job, dict[str, Any]], int]
    time_limit: Callable[[dict[str, Any]], float]
    inputs: Callable[[Database, Job], dict[str, Any]] = lambda _db, _job: {}  # more of the payload, read by the runner


def plan_work(payload: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """Plan the frozen scenario: the files of a version and the summary."""
    from scheduler import api
    from scheduler.inputs import load_scenario_text
    from scheduler.outputs.exports import FORMATS, context_from_scenario
    from scheduler.outputs.plan_outputs import plan_tables

    scenario = load_scenario_text(payload["scenario"], f"campaign {payload['campaign']}")
    result = api.plan(
        scenario,
        time_limit_s=float(payload["time_limit_s"]),
        workers=int(payload["workers"]),
        seed=int(payload["seed"]),
        solver=payload["solver"],
        progress=progress,
    )
    progress("storing the schedule")
    files = {
        SCENARIO_FILE: payload["scenario"],
        "schedule.csv": FORMATS["csv"].write(result.schedule, context_from_scenario(scenario)),
        **plan_tables(result),
    }
    return {"files": files, "summary": json.loads(files["summary.json"])}


def store_plan(session: Session, job: Job, result: dict[str, Any]) -> int:
    return store_version(session, job, result["files"], result["summary"], "plan")


def _kinds() -> dict[str, JobKind]:
    from scheduler.service.change_work import feedback_kind, repair_kind

    return {
        "plan": JobKind(plan_work, store_plan, lambda params: float(params["time_limit_s"])),
        "propose": JobKind(propose_work, store_proposal, lambda params: float(params["time_limit_s"]), baseline_input),
        "repair": JobKind(*repair_kind()),
        "feedback": JobKind(*feedback_kind()),
    }


KINDS: dict[str, JobKind] = _kinds()

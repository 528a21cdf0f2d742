"""The `propose` job: the engine's proposal of the campaign's scenario against its baseline,
run in the job's process, and stored as an open proposal with its parties in the runner's one
finishing transaction (docs/design.md: Service proposals).

The job's scenario carries the campaign's negotiation settings as its `negotiation:` keys, so
the engine freezes the baseline tracks that begin within `freeze_before` of the proposal's
`now`; the baseline's schedule.csv is read from its version when the job starts.
"""

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from scheduler.service.db.models import Job
from scheduler.service.db.proposals import record_proposal
from scheduler.service.db.session import Database
from scheduler.service.db.versions import version_files
from scheduler.service.version_inputs import SCENARIO_FILE

Progress = Callable[[str], None]
PROPOSAL_FILES = ("diff.csv", "parties.csv")  # beside a plan's files; not carried into the version


def baseline_input(db: Database, job: Job) -> dict[str, Any]:
    """What the job's process needs beyond its params: the baseline's schedule.csv."""
    files = version_files(db, job.campaign_id, int(job.params["base_version"]), ("schedule.csv",))
    return {"baseline_csv": files["schedule.csv"]}


def propose_work(payload: dict[str, Any], progress: Progress) -> dict[str, Any]:
    """The proposal's files, its summary and its party rows."""
    from scheduler import api
    from scheduler.csv_cells import csv_text
    from scheduler.inputs import load_scenario_text
    from scheduler.outputs.exports import FORMATS, context_from_scenario
    from scheduler.outputs.plan_outputs import plan_tables
    from scheduler.outputs.schedule_table import read_schedule_text

    source = f"campaign {payload['campaign']}"
    scenario = load_scenario_text(payload["scenario"], source)
    baseline = read_schedule_text(payload["baseline_csv"], f"{source}, version {payload['base_version']}")
    withdrawn = sorted(set(baseline.request_id) - {r.id for r in scenario.requests})
    result = api.propose(
        scenario,
        baseline,
        now=payload["now"],
        withdrawn=withdrawn,
        time_limit_s=float(payload["time_limit_s"]),
        workers=int(payload["workers"]),
        seed=int(payload["seed"]),
        progress=progress,
    )
    progress("storing the proposal")
    files = {
        SCENARIO_FILE: payload["scenario"],
        "schedule.csv": FORMATS["csv"].write(result.plan.schedule, context_from_scenario(scenario)),
        **plan_tables(result.plan),
        "diff.csv": csv_text(result.diff),
        "parties.csv": csv_text(result.parties),
    }
    parties = json.loads(result.parties.to_json(orient="records"))
    return {"files": files, "summary": json.loads(files["summary.json"]), "parties": parties}


def store_proposal(session: Session, job: Job, result: dict[str, Any]) -> int:
    """The proposal the job made, open, with its parties; its id (the job's result)."""
    return record_proposal(session, job, result["files"], result["summary"], result["parties"])

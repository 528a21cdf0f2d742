"""Jobs that change a version rather than plan afresh (docs/design.md: Service jobs): `repair`,
the repair that follows an emergency (the insertion made again from the version it was decided
on, then what it displaced re-placed by a minimal-change repair), and `feedback`, the outcomes
reported on a version folded into it. Both read their version's files (`inputs`, in the server)
and are stored only if the campaign has no newer version than the one they change."""

import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduler.service.db.models import Job, Version
from scheduler.service.db.outcomes import job_outcomes
from scheduler.service.db.versions import add_version, version_files
from scheduler.service.version_inputs import INPUT_FILES, SCENARIO_FILE, version_files_of, version_inputs

REPAIR_TIME_LIMIT_S = 10.0  # the repair after an emergency: a short search, the decision is made


class Superseded(Exception):
    """A newer version came while the job ran: what it made is not stored (the job fails)."""


def _version_of(db: Any, job: Job, key: str) -> dict[str, str]:
    return version_files(db, job.campaign_id, int(job.params[key]), INPUT_FILES)


def _store_on(session: Session, job: Job, result: dict[str, Any], latest: int, origin: str) -> int:
    """The job's files as the next version, if `latest` is still the campaign's newest."""
    newest = session.scalar(select(func.max(Version.number)).where(Version.campaign_id == job.campaign_id))
    if newest != latest:
        raise Superseded(f"superseded: version {newest} came after version {latest}; the {job.kind} is not applied")
    return add_version(session, job.campaign_id, job.requested_by, job.id, result["files"], result["summary"], origin)


def repair_work(payload: dict[str, Any], progress: Any) -> dict[str, Any]:
    from scheduler import api
    from scheduler.outputs.scenario_file import scenario_yaml

    scenario, schedule, periods = version_inputs(payload["files"], f"campaign {payload['campaign']}")
    result = api.insert(
        scenario,
        schedule,
        payload["urgent"],
        tier=payload["tier"],
        now=payload["now"],
        repair=True,
        view_periods=periods,
        time_limit_s=float(payload["time_limit_s"]),
        progress=progress,
    )
    note = f"{scenario.name} with {payload['urgent']['request']['id']} inserted and repaired by jointtrack"
    return _result(version_files_of(result.plan, scenario_yaml(result.scenario, note), **_tables(result, "displaced")))


def feedback_work(payload: dict[str, Any], progress: Any) -> dict[str, Any]:
    from scheduler import api

    scenario, schedule, periods = version_inputs(payload["files"], f"campaign {payload['campaign']}")
    result = api.feedback(
        scenario,
        schedule,
        payload["rows"],
        now=payload["now"],
        view_periods=periods,
        time_limit_s=float(payload["time_limit_s"]),
        progress=progress,
    )
    made = result.files()
    files = version_files_of(result.plan, payload["files"][SCENARIO_FILE])
    files.update({n: made[n] for n in ("ledger.csv", "summary.json", "diff.csv", "execution.csv")})
    return _result(files)


def _tables(result: Any, *names: str) -> dict[str, str]:
    from scheduler.csv_cells import csv_text

    return {f"{n}.csv": csv_text(getattr(result, n)) for n in (*names, "diff")}


def _result(files: dict[str, str]) -> dict[str, Any]:
    return {"files": files, "summary": json.loads(files["summary.json"])}


def repair_kind() -> tuple:
    """(work, store, time_limit, inputs) of the repair after an emergency."""
    return (
        repair_work,
        lambda s, job, result: _store_on(s, job, result, int(job.params["version"]), "repair"),
        lambda params: float(params["time_limit_s"]),
        lambda db, job: {"files": _version_of(db, job, "base_version")},
    )


def feedback_kind() -> tuple:
    """(work, store, time_limit, inputs) of folding outcomes into the version they report on."""
    return (
        feedback_work,
        lambda s, job, result: _store_on(s, job, result, int(job.params["version"]), "feedback"),
        lambda params: float(params["time_limit_s"]),
        lambda db, job: {"files": _version_of(db, job, "version"), "rows": job_outcomes(db, job.id)},
    )

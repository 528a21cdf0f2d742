"""Jobs: asked for (one active per campaign), claimed by a runner, kept alive by its heartbeat,
finished in one transaction with what they made, failed, or queued again when their runner died."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scheduler.service.db.accounts import Principal
from scheduler.service.db.campaigns import snapshot
from scheduler.service.db.events import log_event
from scheduler.service.db.models import Campaign, Job, utc_now
from scheduler.service.db.session import Database
from scheduler.service.errors import conflict, not_found

ACTIVE = ("queued", "running")
PROPOSE = "propose"  # the kind of job that makes a proposal (docs/design.md: Service proposals)
RUNNER = "runner"  # the audit log's actor for what the job runner writes


def job_json(job: Job) -> dict[str, Any]:
    def when(value: Any) -> str | None:
        return None if value is None else value.strftime("%Y-%m-%dT%H:%M:%SZ")

    return {
        "id": job.id,
        "campaign": job.campaign_id,
        "kind": job.kind,
        "state": job.state,
        "progress": round(job.progress, 3),
        "stage": job.stage,
        "version": None if job.kind == PROPOSE else job.version,
        "proposal": job.version if job.kind == PROPOSE else None,  # a propose job's result is a proposal
        "error": job.error,
        "params": job.params,
        "requested_by": job.requested_by,
        "created_at": when(job.created_at),
        "started_at": when(job.started_at),
        "finished_at": when(job.finished_at),
        "attempts": job.attempts,
    }


def _busy(campaign: str, job_id: int | None) -> Exception:
    return conflict(
        f"campaign {campaign} already has a job queued or running (job {job_id})",
        "campaign",
        f"wait for job {job_id} to finish (GET /api/v1/jobs/{job_id})",
    )


def enqueue(
    db: Database,
    actor: Principal,
    campaign: str,
    kind: str,
    params: dict[str, Any],
    also: Callable[[Session, int], None] | None = None,
) -> int:
    """Queue a job on the campaign's scenario as it stands now; its id. A second active job: 409.
    `also(session, job id)` writes what comes with the job in the same transaction."""
    scenario = snapshot(db, campaign).yaml()
    try:
        with db.write() as session:
            if session.scalar(db.lock_for_update(select(Campaign).where(Campaign.id == campaign))) is None:
                raise not_found(f"campaign {campaign!r}")
            active = session.scalar(select(Job.id).where(Job.campaign_id == campaign, Job.state.in_(ACTIVE)))
            if active is not None:
                raise _busy(campaign, active)
            job = Job(campaign_id=campaign, kind=kind, params=params, scenario=scenario, requested_by=actor.name)
            session.add(job)
            session.flush()
            if also is not None:
                also(session, job.id)
            log_event(session, actor.name, f"{kind}.request", campaign=campaign, subject=f"job {job.id}", after=params)
            return job.id
    except IntegrityError:  # the partial unique index: another job was queued meanwhile
        with db.read() as session:
            active = session.scalar(select(Job.id).where(Job.campaign_id == campaign, Job.state.in_(ACTIVE)))
        raise _busy(campaign, active) from None


def one_job(db: Database, job_id: int) -> Job:
    with db.read() as session:
        job = session.get(Job, job_id)
    if job is None:
        raise not_found(f"job {job_id}")
    return job


def campaign_jobs(db: Database, campaign: str, limit: int = 50) -> list[Job]:
    with db.read() as session:
        return list(
            session.scalars(select(Job).where(Job.campaign_id == campaign).order_by(Job.id.desc()).limit(limit))
        )


def claim_next(db: Database, runner: str) -> Job | None:
    """The oldest queued job, now running under `runner`; None when none waits."""
    with db.write() as session:
        query = select(Job).where(Job.state == "queued").order_by(Job.id).limit(1)
        job = session.scalar(query if db.dialect == "sqlite" else query.with_for_update(skip_locked=True))
        if job is None:
            return None
        now = utc_now()
        job.state, job.runner, job.started_at, job.heartbeat_at = "running", runner, now, now
        job.attempts += 1
        job.stage, job.progress = "starting", 0.0
        return job


def beat(db: Database, job_id: int, runner: str, progress: float, stage: str) -> bool:
    """Record the running job's progress; False if it is no longer this runner's."""
    with db.write() as session:
        changed = session.execute(
            update(Job)
            .where(Job.id == job_id, Job.runner == runner, Job.state == "running")
            .values(progress=progress, stage=stage[:200], heartbeat_at=utc_now())
        ).rowcount
    return changed == 1


def finish(db: Database, job_id: int, runner: str, store: Callable[[Session, Job], int]) -> int | None:
    """In one transaction: `store` writes what the job made (returns the version number), the
    job is done. None if the job was no longer this runner's (nothing written)."""
    with db.write() as session:
        job = session.scalar(db.lock_for_update(select(Job).where(Job.id == job_id)))
        if job is None or job.runner != runner or job.state != "running":
            return None
        number = store(session, job)
        job.state, job.version, job.progress, job.stage = "done", number, 1.0, "done"
        job.finished_at = utc_now()
        return number


def fail(db: Database, job_id: int, runner: str, error: str) -> None:
    """The job failed: nothing it made is kept; the error is its one line."""
    with db.write() as session:
        job = session.scalar(db.lock_for_update(select(Job).where(Job.id == job_id)))
        if job is None or job.runner != runner or job.state != "running":
            return
        job.state, job.error, job.finished_at, job.stage = "failed", error, utc_now(), "failed"
        log_event(
            session,
            RUNNER,
            f"{job.kind}.fail",
            campaign=job.campaign_id,
            subject=f"job {job.id}",
            after={"error": error},
        )


def requeue(session: Session, job: Job, why: str, max_attempts: int) -> None:
    """Queue an interrupted job again, or fail it after `max_attempts` starts."""
    if job.attempts >= max_attempts:
        job.state, job.finished_at, job.stage = "failed", utc_now(), "failed"
        job.error = f"interrupted {job.attempts} times ({why}); not run again"
        action = f"{job.kind}.fail"
    else:
        job.state, job.runner, job.stage, job.progress = "queued", None, f"queued again: {why}", 0.0
        action = f"{job.kind}.requeue"
    log_event(session, RUNNER, action, campaign=job.campaign_id, subject=f"job {job.id}", after={"why": why})


def requeue_orphans(db: Database, dead: Callable[[str], bool], lease_s: float, max_attempts: int) -> int:
    """Queue again every running job whose runner is gone (`dead(runner)`) or silent past the lease."""
    stale_before = utc_now() - timedelta(seconds=lease_s)
    with db.write() as session:
        running = list(session.scalars(db.lock_for_update(select(Job).where(Job.state == "running"))))
        orphans = [j for j in running if dead(j.runner or "") or (j.heartbeat_at or stale_before) <= stale_before]
        for job in orphans:
            requeue(session, job, "its server stopped", max_attempts)
    return len(orphans)


def release(db: Database, job_id: int, runner: str, max_attempts: int) -> None:
    """The server stops: its running job goes back to the queue for the next start."""
    with db.write() as session:
        job = session.scalar(db.lock_for_update(select(Job).where(Job.id == job_id)))
        if job is not None and job.runner == runner and job.state == "running":
            job.attempts -= 1  # a server stopped in good order is no fault of the job's
            requeue(session, job, "the server stopped", max_attempts)

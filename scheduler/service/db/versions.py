"""Schedule versions: written whole in the finishing job's transaction, then only read.

A version is a row with its summary and one row per file, named as `jointtrack plan` names
them. Between the rows a test hook (`JOINTTRACK_TEST_HOLD=version-files`, see
scheduler/interrupts.py) can hold the transaction, so a test can kill the server mid-write.
"""

from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from scheduler.interrupts import test_step
from scheduler.service.db.events import log_event
from scheduler.service.db.models import Campaign, Job, Version, VersionFile
from scheduler.service.db.session import Database
from scheduler.service.errors import ServiceError, not_found

SUMMARY_KEYS = (  # a version's figures in the version list
    "solver",
    "status",
    "tracks",
    "requests",
    "satisfied_requests",
    "requested_hours",
    "scheduled_hours",
    "weighted_time_s",
    "U_max",
    "objective",
    "gap",
)


def store_version(session: Session, job: Job, files: dict[str, str], summary: dict[str, Any], origin: str) -> int:
    """Write a new version of the job's campaign from its files; its number."""
    return add_version(session, job.campaign_id, job.requested_by, job.id, files, summary, origin)


def add_version(
    session: Session,
    campaign_id: str,
    actor: str,
    job_id: int | None,
    files: dict[str, str],
    summary: dict[str, Any],
    origin: str,
) -> int:
    """Write a new version of the campaign (made by a job, or at once by `actor`); its number."""
    campaign = session.scalar(select(Campaign).where(Campaign.id == campaign_id).with_for_update())
    assert campaign is not None
    last = session.scalar(select(func.max(Version.number)).where(Version.campaign_id == campaign_id))
    number = (last or 0) + 1
    session.add(
        Version(
            campaign_id=campaign_id,
            number=number,
            origin=origin,
            base_version=last,
            job_id=job_id,
            created_by=actor,
            summary=summary,
        )
    )
    session.flush()
    for name, content in sorted(files.items()):
        session.add(VersionFile(campaign_id=campaign_id, number=number, name=name, content=content))
        session.flush()
        test_step("version-files")
    brief = {k: summary.get(k) for k in SUMMARY_KEYS}
    log_event(
        session,
        actor,
        "version.create",
        campaign=campaign_id,
        subject=f"version {number}",
        after={"version": number, "job": job_id, "origin": origin, "summary": brief},
    )
    return number


def version_json(version: Version, brief: bool = True) -> dict[str, Any]:
    return {
        "version": version.number,
        "origin": version.origin,
        "base_version": version.base_version,
        "job": version.job_id,
        "created_by": version.created_by,
        "created_at": version.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "summary": {k: version.summary.get(k) for k in SUMMARY_KEYS} if brief else version.summary,
    }


def campaign_versions(db: Database, campaign: str) -> list[Version]:
    with db.read() as session:
        return list(session.scalars(select(Version).where(Version.campaign_id == campaign).order_by(Version.number)))


LATEST_QUERY = select(
    Campaign.settings,
    select(func.max(Version.number)).where(Version.campaign_id == Campaign.id).scalar_subquery(),
).where(Campaign.id == bindparam("campaign"))


def resolve_version(db: Database, campaign: str, number: int | None) -> tuple[bool, int]:
    """(whether the campaign is public, the version number: `number` or the latest), in one read."""
    row = db.fetch_one(LATEST_QUERY, campaign=campaign)
    if row is None:
        raise not_found(f"campaign {campaign!r}")
    settings, last = row
    if last is None:
        raise ServiceError(404, f"campaign {campaign} has no schedule yet", "version", "plan it first: POST …/plans")
    if number is not None and not 1 <= number <= last:
        raise not_found(f"version {number} of campaign {campaign} (versions 1..{last})", "version")
    return bool(settings.get("public")), number or last


def one_version(db: Database, campaign: str, number: int) -> Version:
    with db.read() as session:
        found = session.get(Version, (campaign, number))
    if found is None:
        raise not_found(f"version {number} of campaign {campaign!r}", "version")
    return found


def version_files(db: Database, campaign: str, number: int, names: tuple[str, ...] | None = None) -> dict[str, str]:
    """The version's files by name (all, or those named)."""
    with db.read() as session:
        query = select(VersionFile.name, VersionFile.content).where(
            VersionFile.campaign_id == campaign, VersionFile.number == number
        )
        if names is not None:
            query = query.where(VersionFile.name.in_(names))
        return dict(session.execute(query).tuples().all())

"""Queueing a `propose` job inside a writing transaction: the scenario it proposes (with the
campaign's negotiation settings as its `negotiation:` keys) frozen into the job, one active job
per campaign, and the `propose.request` audit event."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.service.campaign_scenario import scenario_yaml
from scheduler.service.db.events import log_event
from scheduler.service.db.jobs import ACTIVE, PROPOSE
from scheduler.service.db.models import Campaign, CampaignRequest, Job
from scheduler.service.db.negotiation import negotiation_in
from scheduler.service.errors import conflict


def busy(campaign: str, job_id: int | None) -> Exception:
    return conflict(
        f"campaign {campaign} already has a job queued or running (job {job_id})",
        "campaign",
        f"wait for job {job_id} to finish (GET /api/v1/jobs/{job_id})",
    )


def campaign_scenario(session: Session, campaign: Campaign, requests: list[dict[str, Any]] | None = None) -> str:
    """The campaign's scenario YAML with `requests` (default: its requests as they stand) and its
    negotiation settings."""
    if requests is None:
        rows = session.scalars(
            select(CampaignRequest).where(CampaignRequest.campaign_id == campaign.id).order_by(CampaignRequest.position)
        )
        requests = [r.body for r in rows]
    base = {**campaign.scenario, "negotiation": negotiation_in(session, campaign).scenario_keys()}
    return scenario_yaml(base, requests)


def with_negotiation(session: Session, campaign: Campaign, document: dict[str, Any]) -> dict[str, Any]:
    """A scenario document with the campaign's negotiation settings in place of its own."""
    return {**document, "negotiation": negotiation_in(session, campaign).scenario_keys()}


def queue_propose(session: Session, actor: str, campaign: str, scenario: str, params: dict[str, Any]) -> int:
    """Queue a `propose` job of `scenario` (YAML); its id. A second active job of the campaign: 409."""
    active = session.scalar(select(Job.id).where(Job.campaign_id == campaign, Job.state.in_(ACTIVE)))
    if active is not None:
        raise busy(campaign, active)
    job = Job(campaign_id=campaign, kind=PROPOSE, params=params, scenario=scenario, requested_by=actor)
    session.add(job)
    session.flush()
    log_event(session, actor, f"{PROPOSE}.request", campaign=campaign, subject=f"job {job.id}", after=params)
    return job.id

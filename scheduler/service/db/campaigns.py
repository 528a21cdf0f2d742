"""Campaigns: created from a posted scenario (its requests with it), listed, read, their settings
changed; and a campaign's scenario as it stands, read in one transaction."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from scheduler.service.campaign_scenario import PostedCampaign, scenario_yaml, settings_from
from scheduler.service.db.accounts import Principal
from scheduler.service.db.events import log_event
from scheduler.service.db.models import Campaign, CampaignRequest, Job, Version
from scheduler.service.db.session import Database
from scheduler.service.errors import conflict, not_found


@dataclass(frozen=True)
class CampaignView:
    """A campaign with what its pages and API show beside it."""

    campaign: Campaign
    requests: int
    latest_version: int | None
    active_job: int | None


@dataclass(frozen=True)
class Snapshot:
    """A campaign and its requests in their order, as one transaction read them."""

    campaign: Campaign
    requests: list[CampaignRequest]

    @property
    def bodies(self) -> list[dict[str, Any]]:
        return [r.body for r in self.requests]

    def yaml(self) -> str:
        return scenario_yaml(self.campaign.scenario, self.bodies)


def request_rows(posted_requests: list[dict[str, Any]], campaign: str, actor: str) -> list[CampaignRequest]:
    return [
        CampaignRequest(
            campaign_id=campaign,
            request_id=str(body["id"]),
            agency=str(body.get("agency", "OTHER")),
            position=position,
            body=body,
            version=1,
            created_by=actor,
            updated_by=actor,
        )
        for position, body in enumerate(posted_requests)
    ]


def create_campaign(db: Database, actor: Principal, posted: PostedCampaign) -> str:
    """Store a checked scenario as a new campaign with its requests; its id (the scenario's name)."""
    try:
        with db.write() as session:
            if session.get(Campaign, posted.name) is not None:
                raise conflict(f"a campaign named {posted.name} exists", "name", "give the scenario another name")
            session.add(
                Campaign(
                    id=posted.name,
                    scenario=posted.base,
                    settings=posted.settings,
                    created_by=actor.name,
                    next_position=len(posted.requests),
                )
            )
            session.flush()
            session.add_all(request_rows(posted.requests, posted.name, actor.name))
            log_event(
                session,
                actor.name,
                "campaign.create",
                campaign=posted.name,
                subject=posted.name,
                after={"scenario": posted.base, "settings": posted.settings, "requests": posted.requests},
            )
    except IntegrityError:  # created meanwhile by another writer
        raise conflict(f"a campaign named {posted.name} exists", "name", "give the scenario another name") from None
    return posted.name


def campaign_views(db: Database, only: str | None = None) -> list[CampaignView]:
    """Every campaign (or one) with its request count, latest version and active job."""
    with db.read() as session:
        counts = select(CampaignRequest.campaign_id, func.count().label("n")).group_by(CampaignRequest.campaign_id)
        latest = select(Version.campaign_id, func.max(Version.number).label("n")).group_by(Version.campaign_id)
        active = select(Job.campaign_id, func.max(Job.id).label("n")).where(Job.state.in_(("queued", "running")))
        counts, latest, active = counts.subquery(), latest.subquery(), active.group_by(Job.campaign_id).subquery()
        query = (
            select(Campaign, counts.c.n, latest.c.n, active.c.n)
            .outerjoin(counts, counts.c.campaign_id == Campaign.id)
            .outerjoin(latest, latest.c.campaign_id == Campaign.id)
            .outerjoin(active, active.c.campaign_id == Campaign.id)
            .order_by(Campaign.created_at, Campaign.id)
        )
        if only is not None:
            query = query.where(Campaign.id == only)
        return [CampaignView(c, n or 0, v, j) for c, n, v, j in session.execute(query)]


def campaign_view(db: Database, campaign: str) -> CampaignView:
    found = campaign_views(db, campaign)
    if not found:
        raise not_found(f"campaign {campaign!r}")
    return found[0]


def snapshot(db: Database, campaign: str) -> Snapshot:
    """The campaign and its requests, in the order they were added."""
    with db.read() as session:
        found = session.get(Campaign, campaign)
        if found is None:
            raise not_found(f"campaign {campaign!r}")
        rows = session.scalars(
            select(CampaignRequest).where(CampaignRequest.campaign_id == campaign).order_by(CampaignRequest.position)
        )
        return Snapshot(found, list(rows))


def change_settings(db: Database, actor: Principal, campaign: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Change a campaign's settings (checked whole); the new settings."""
    with db.write() as session:
        found = session.scalar(db.lock_for_update(select(Campaign).where(Campaign.id == campaign)))
        if found is None:
            raise not_found(f"campaign {campaign!r}")
        before = dict(found.settings)
        after = settings_from({**before, **changes}, f"campaign {campaign}")
        found.settings = after
        log_event(
            session, actor.name, "campaign.settings", campaign=campaign, subject=campaign, before=before, after=after
        )
    return after

"""Opening proposals: `open_proposal` queues the engine's proposal of a campaign (its requests
as they stand, or a scenario given whole) against the campaign's baseline, for the API, the
pages, counters and other features of the service (docs/design.md: Service proposals).

The job freezes the scenario with the campaign's negotiation settings, the baseline version it
is made against, and `now` (the server's clock unless the coordinator gave one): baseline
tracks whose activity begins before `now + freeze_before` are locked in the proposal.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import Field, ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scheduler.errors import InputError
from scheduler.inputs.fields import Strict, UtcTime
from scheduler.inputs.messages import input_error
from scheduler.service.campaign_scenario import read_posted, scenario_yaml
from scheduler.service.db.accounts import Principal
from scheduler.service.db.jobs import ACTIVE
from scheduler.service.db.models import Campaign, CampaignRequest, Job, utc_now
from scheduler.service.db.negotiation import baseline_in, locked_campaign
from scheduler.service.db.proposal_jobs import busy, campaign_scenario, queue_propose, with_negotiation
from scheduler.service.db.session import Database
from scheduler.service.errors import ServiceError, bad_input, conflict, forbidden, not_found
from scheduler.settings import SEED, TIME_LIMIT_S, WORKERS, check_solver_settings
from scheduler.timeutil import format_time


class ProposeAsk(Strict):
    """A proposal's request: why, the search's settings, and (coordinator only) the time it is made at."""

    reason: str = Field(min_length=1, max_length=2000)
    time_limit_s: float = TIME_LIMIT_S
    seed: int = SEED
    workers: int = WORKERS
    now: UtcTime | None = None


def no_baseline(campaign: str) -> ServiceError:
    return conflict(
        f"campaign {campaign} has no baseline",
        "baseline",
        f'baseline a version first: POST /api/v1/campaigns/{campaign}/baseline {{"version": N}}',
    )


def open_proposal(
    db: Database,
    actor: str,
    campaign: str,
    *,
    reason: str,
    scenario: str | None = None,
    time_limit_s: float = TIME_LIMIT_S,
    workers: int = WORKERS,
    seed: int = SEED,
    now: datetime | None = None,
    wake: Callable[[], None] | None = None,
    before: Callable[[Session, Campaign], None] | None = None,
) -> int:
    """Queue a proposal of `campaign` against its baseline, asked for by account `actor` (the
    caller has checked the actor may); the job's id, whose `proposal` names the proposal once
    done. `scenario`: a whole scenario YAML of this campaign to propose instead of its requests as
    they stand (its `negotiation:` replaced by the campaign's). `before(session, campaign)` writes
    what the proposal builds on in its transaction (a blocked late-add's request). 409 without a
    baseline or while the campaign has a job queued or running."""
    check_solver_settings(time_limit_s, workers, seed, "cpsat", None)
    posted = None if scenario is None else read_posted(scenario, f"campaign {campaign}, proposed scenario")
    if posted is not None and posted.name != campaign:
        raise ServiceError(422, f"the proposed scenario is named {posted.name}", "name", f"name it {campaign}")
    params: dict[str, Any] = {
        "reason": reason,
        "time_limit_s": time_limit_s,
        "workers": workers,
        "seed": seed,
        "now": format_time(now or utc_now().replace(microsecond=0)),
        "round": 1,
        "parent": None,
    }
    try:
        with db.write() as session:
            found = locked_campaign(db, session, campaign)
            base = baseline_in(session, campaign)
            if base is None:
                raise no_baseline(campaign)
            if before is not None:
                before(session, found)
            if posted is None:
                text = campaign_scenario(session, found)
            else:
                text = scenario_yaml(with_negotiation(session, found, posted.base), posted.requests)
            job = queue_propose(session, actor, campaign, text, {**params, "base_version": base})
    except IntegrityError:  # the partial unique index: another job was queued meanwhile
        with db.read() as session:
            active = session.scalar(select(Job.id).where(Job.campaign_id == campaign, Job.state.in_(ACTIVE)))
        raise busy(campaign, active) from None
    if wake is not None:
        wake()
    return job


def ask_proposal(db: Database, actor: Principal, campaign: str, body: Any, wake: Callable[[], None]) -> int:
    """A proposal asked for through the API or a page: by the coordinator, or by an agency with
    requests in the campaign (without `now`); the job's id."""
    try:
        ask = ProposeAsk.model_validate(body)
    except ValidationError as exc:
        raise bad_input(input_error(exc, body, "proposal")) from None
    if actor.role == "agency":
        with db.read() as session:
            if session.get(Campaign, campaign) is None:
                raise not_found(f"campaign {campaign!r}")
            mine = session.scalar(
                select(CampaignRequest.request_id)
                .where(CampaignRequest.campaign_id == campaign, CampaignRequest.agency == actor.agency)
                .limit(1)
            )
        if mine is None:
            raise forbidden(
                f"{actor.name} has no requests in campaign {campaign}",
                "change your requests first, or ask the coordinator",
            )
        if ask.now is not None:
            raise forbidden("only the coordinator may give now", "leave now out: the server's clock is used")
    elif actor.role != "coordinator":
        raise forbidden(f"a {actor.role} token cannot propose (it needs: coordinator or agency)")
    try:
        return open_proposal(
            db,
            actor.name,
            campaign,
            reason=ask.reason,
            time_limit_s=ask.time_limit_s,
            workers=ask.workers,
            seed=ask.seed,
            now=ask.now,
            wake=wake,
        )
    except InputError as exc:
        raise bad_input(exc) from None

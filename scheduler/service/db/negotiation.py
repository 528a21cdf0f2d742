"""A campaign's baseline (the version everyone agreed to) and its negotiation settings
(`respond_within`, `silence`, `freeze_before`), read and written with their audit events.

A campaign without a settings row negotiates by its scenario's `negotiation:` keys (whose
defaults are 72 h, reject and 8 d); a coordinator's change stores a row.
"""

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduler.inputs.messages import input_error
from scheduler.inputs.spec import NegotiationSpec
from scheduler.service.db.accounts import Principal
from scheduler.service.db.events import log_event
from scheduler.service.db.models import Campaign, Version
from scheduler.service.db.proposal_models import Baseline, NegotiationSettings
from scheduler.service.db.session import Database
from scheduler.service.errors import ServiceError, bad_input, not_found
from scheduler.timeutil import format_duration


@dataclass(frozen=True)
class Negotiation:
    """A campaign's negotiation settings, in seconds."""

    respond_within_s: int
    silence: str
    freeze_before_s: int

    def json(self) -> dict[str, Any]:
        return {
            "respond_within": format_duration(self.respond_within_s),
            "silence": self.silence,
            "freeze_before": format_duration(self.freeze_before_s),
        }

    def scenario_keys(self) -> dict[str, Any]:
        """The settings as the scenario's `negotiation:` block (durations in seconds)."""
        return {"freeze_before": self.freeze_before_s, "respond_within": self.respond_within_s, "silence": self.silence}


def _of_spec(spec: NegotiationSpec) -> Negotiation:
    return Negotiation(int(spec.respond_within.total_seconds()), spec.silence, int(spec.freeze_before.total_seconds()))


def negotiation_in(session: Session, campaign: Campaign) -> Negotiation:
    """The campaign's settings: its row, or its scenario's `negotiation:` keys."""
    row = session.get(NegotiationSettings, campaign.id)
    if row is not None:
        return Negotiation(row.respond_within_s, row.silence, row.freeze_before_s)
    return _of_spec(NegotiationSpec.model_validate(campaign.scenario.get("negotiation") or {}))


def baseline_in(session: Session, campaign: str) -> int | None:
    row = session.get(Baseline, campaign)
    return None if row is None else row.version


def locked_campaign(db: Database, session: Session, campaign: str) -> Campaign:
    found = session.scalar(db.lock_for_update(select(Campaign).where(Campaign.id == campaign)))
    if found is None:
        raise not_found(f"campaign {campaign!r}")
    return found


def negotiation_json(db: Database, campaign: str) -> dict[str, Any]:
    """What a campaign's JSON says of its negotiation: `baseline` and `negotiation`."""
    with db.read() as session:
        found = session.get(Campaign, campaign)
        if found is None:
            raise not_found(f"campaign {campaign!r}")
        return {"baseline": baseline_in(session, campaign), "negotiation": negotiation_in(session, found).json()}


def change_negotiation(db: Database, actor: Principal, campaign: str, changes: Any) -> dict[str, Any]:
    """Change the campaign's negotiation settings (checked whole by the scenario's rules)."""
    if not isinstance(changes, dict):
        raise ServiceError(422, "the body is not a JSON object", "body", 'send e.g. {"silence": "concur"}')
    with db.write() as session:
        found = locked_campaign(db, session, campaign)
        before = negotiation_in(session, found)
        try:
            spec = NegotiationSpec.model_validate({**before.json(), **changes})
        except ValidationError as exc:
            raise bad_input(input_error(exc, changes, f"campaign {campaign}, negotiation")) from None
        after = _of_spec(spec)
        row = session.get(NegotiationSettings, campaign) or NegotiationSettings(campaign_id=campaign)
        row.respond_within_s, row.silence, row.freeze_before_s = (
            after.respond_within_s,
            after.silence,
            after.freeze_before_s,
        )
        session.add(row)
        session.flush()
        log_event(
            session,
            actor.name,
            "campaign.negotiation",
            campaign=campaign,
            subject=campaign,
            before=before.json(),
            after=after.json(),
        )
    return after.json()


def set_baseline_in(session: Session, actor: str, campaign: str, version: int, why: dict[str, Any]) -> int | None:
    """Make `version` the campaign's baseline inside a writing transaction; the one before."""
    row = session.get(Baseline, campaign)
    before = None if row is None else row.version
    if row is None:
        row = Baseline(campaign_id=campaign, version=version, set_by=actor)
        session.add(row)
    row.version, row.set_by = version, actor
    session.flush()
    after = {"version": version, **why}
    log_event(
        session,
        actor,
        "baseline.set",
        campaign=campaign,
        subject=f"version {version}",
        before={"version": before},
        after=after,
    )
    return before


def set_baseline(db: Database, actor: Principal, campaign: str, body: Any) -> dict[str, Any]:
    """`{"version": N}`: version N (which must exist) becomes the campaign's baseline."""
    number = body.get("version") if isinstance(body, dict) else None
    if not isinstance(number, int) or isinstance(number, bool):
        raise ServiceError(422, "version: missing or not a whole number", "version", 'send {"version": N}')
    with db.write() as session:
        locked_campaign(db, session, campaign)
        last = session.scalar(select(func.max(Version.number)).where(Version.campaign_id == campaign))
        if last is None or not 1 <= number <= last:
            known = "no versions yet: plan it first" if last is None else f"versions 1..{last}"
            raise ServiceError(
                422,
                f"no version {number} of campaign {campaign} ({known})",
                "version",
                "name a version of the campaign",
            )
        before = set_baseline_in(session, actor.name, campaign, number, {})
    return {"id": campaign, "baseline": number, "previous": before}

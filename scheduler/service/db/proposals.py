"""Proposals as the database keeps them: recorded when their job ends (the proposal it counters
superseded), read with their parties, and their state as the clock sees it.

A proposal is stored `open`; it becomes `rejected` when an asked agency rejects it, `applied`
when its schedule becomes the baseline, and `superseded` when a counter replaces it. Two states
follow from time and the baseline alone and are evaluated on every read (and written when a
response or an apply meets them): a proposal whose base is no longer the baseline is
`superseded`; one past `respond_by` under the `reject` silence rule, with an asked agency still
silent, is `expired`.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.service.db.events import log_event
from scheduler.service.db.models import Campaign, Job, utc_now
from scheduler.service.db.negotiation import baseline_in
from scheduler.service.db.proposal_models import Party, Proposal
from scheduler.service.db.session import Database
from scheduler.service.errors import not_found
from scheduler.timeutil import parse_time

PARTY_KEYS = ("hours_before", "hours_after", "moved", "shortened", "dropped", "new_pairs")


def stamp(value: datetime | None) -> str | None:
    return None if value is None else value.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class ProposalView:
    """A proposal, its parties in the party table's order, and its state now."""

    proposal: Proposal
    parties: list[Party]
    state: str

    def asked(self) -> list[Party]:
        return [p for p in self.parties if p.must_consent]

    def waiting(self, now: datetime) -> list[Party]:
        """Asked agencies that have not concurred (silence past `respond_by` under `concur` does)."""
        silent_yes = self.proposal.silence == "concur" and now > self.proposal.respond_by
        return [p for p in self.asked() if p.response != "concur" and not (silent_yes and p.response == "pending")]

    def json(self) -> dict[str, Any]:
        p = self.proposal
        return {
            "id": p.id,
            "campaign": p.campaign_id,
            "state": self.state,
            "base_version": p.base_version,
            "respond_by": stamp(p.respond_by),
            "silence": p.silence,
            "reason": p.reason,
            "round": p.round,
            "parent": p.parent_id,
            "job": p.job_id,
            "version": p.version,
            "created_by": p.created_by,
            "created_at": stamp(p.created_at),
            "decided_by": p.decided_by,
            "decided_at": stamp(p.decided_at),
            "parties": [party_json(x) for x in self.parties],
        }


def party_json(party: Party) -> dict[str, Any]:
    return {
        "agency": party.agency,
        "must_consent": party.must_consent,
        "response": party.response,
        "reason": party.reason,
        **{k: getattr(party, k) for k in PARTY_KEYS},
    }


def state_now(proposal: Proposal, parties: list[Party], baseline: int | None, now: datetime) -> str:
    """The proposal's state as of `now`, given the campaign's baseline."""
    if proposal.state != "open":
        return proposal.state
    if baseline != proposal.base_version:
        return "superseded"
    silent = any(p.must_consent and p.response == "pending" for p in parties)
    if now > proposal.respond_by and proposal.silence == "reject" and silent:
        return "expired"
    return "open"


def view_in(session: Session, proposal: Proposal, now: datetime | None = None) -> ProposalView:
    parties = list(session.scalars(select(Party).where(Party.proposal_id == proposal.id).order_by(Party.position)))
    state = state_now(proposal, parties, baseline_in(session, proposal.campaign_id), now or utc_now())
    return ProposalView(proposal, parties, state)


def settle(session: Session, view: ProposalView) -> None:
    """Write a state the clock or the baseline gave the proposal, with its audit event."""
    proposal = view.proposal
    if view.state != proposal.state:
        before = proposal.state
        proposal.state = view.state
        log_event(
            session,
            "service",
            f"proposal.{view.state}",
            campaign=proposal.campaign_id,
            subject=f"proposal {proposal.id}",
            before={"state": before},
            after={"state": view.state},
        )


def one_proposal(db: Database, pid: int) -> ProposalView:
    with db.read() as session:
        found = session.get(Proposal, pid)
        if found is None:
            raise not_found(f"proposal {pid}", "proposal")
        return view_in(session, found)


def proposals_of(db: Database, campaign: str | None = None, agency: str | None = None) -> list[ProposalView]:
    """Proposals, newest first: a campaign's, or (with `agency`) those open and awaiting its answer."""
    with db.read() as session:
        query = select(Proposal).order_by(Proposal.id.desc()).limit(200)
        if campaign is not None:
            query = query.where(Proposal.campaign_id == campaign)
        if agency is not None:
            asked = select(Party.proposal_id).where(
                Party.agency == agency, Party.must_consent.is_(True), Party.response == "pending"
            )
            query = query.where(Proposal.state == "open", Proposal.id.in_(asked))
        views = [view_in(session, p) for p in session.scalars(query)]
    return [v for v in views if agency is None or v.state == "open"]


def record_proposal(
    session: Session, job: Job, files: dict[str, str], summary: dict[str, Any], parties: list[dict[str, Any]]
) -> int:
    """Store what a `propose` job made as an open proposal (in the job's finishing transaction);
    the proposal it counters, if still open, is superseded. Its id."""
    params, made = job.params, summary["proposal"]
    session.scalar(select(Campaign).where(Campaign.id == job.campaign_id).with_for_update())  # as answers lock it
    proposal = Proposal(
        campaign_id=job.campaign_id,
        base_version=int(params["base_version"]),
        state="open",
        reason=str(params.get("reason", "")),
        respond_by=parse_time(made["respond_by"]),
        silence=made["silence"],
        created_by=job.requested_by,
        parent_id=params.get("parent"),
        round=int(params.get("round", 1)),
        job_id=job.id,
        summary=summary,
        files=files,
    )
    session.add(proposal)
    session.flush()
    for position, row in enumerate(parties):
        values = {k: row[k] for k in PARTY_KEYS}
        session.add(
            Party(
                proposal_id=proposal.id,
                agency=str(row["agency"]),
                position=position,
                must_consent=bool(row["must_consent"]),
                response="pending",
                reason="",
                **values,
            )
        )
    session.flush()
    if proposal.parent_id is not None:
        parent = session.get(Proposal, proposal.parent_id)
        if parent is not None and parent.state == "open":
            parent.state = "superseded"
            log_event(
                session,
                job.requested_by,
                "proposal.superseded",
                campaign=job.campaign_id,
                subject=f"proposal {parent.id}",
                before={"state": "open"},
                after={"state": "superseded", "by": proposal.id},
            )
    brief = {
        "proposal": proposal.id,
        "base_version": proposal.base_version,
        "round": proposal.round,
        "parent": proposal.parent_id,
        "respond_by": made["respond_by"],
        "must_consent": made["must_consent"],
        "told": made["told"],
        "frozen_tracks": made["frozen_tracks"],
    }
    log_event(
        session,
        job.requested_by,
        "proposal.create",
        campaign=job.campaign_id,
        subject=f"proposal {proposal.id}",
        after=brief,
    )
    return proposal.id

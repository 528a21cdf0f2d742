"""Answers to proposals and their application, each write with its audit event in one transaction.

Only an agency the proposal asks (`must_consent`) answers, once, while the proposal is open: a
concurrence; a rejection with its reason (the proposal is then `rejected`); or a counter, which
changes the agency's own requests and queues the next round's proposal (the first is superseded
when that one is made; 3 rounds at most, then the coordinator decides). The coordinator applies
a proposal every asked agency concurred with (silence past `respond_by` counting as the
campaign's rule), or forces one over its rejections with a reason: its schedule becomes a new
version and the baseline.
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduler.service.db.accounts import Principal
from scheduler.service.db.counter import write_counter
from scheduler.service.db.events import log_event
from scheduler.service.db.models import Campaign, Version, VersionFile, utc_now
from scheduler.service.db.negotiation import locked_campaign, set_baseline_in
from scheduler.service.db.proposal_models import Proposal
from scheduler.service.db.proposals import ProposalView, settle, view_in
from scheduler.service.db.session import Database
from scheduler.service.errors import ServiceError, conflict, forbidden, not_found

NOT_VERSION_FILES = ("diff.csv", "parties.csv")  # a proposal's own files, not a schedule version's


@dataclass(frozen=True)
class Answer:
    """A checked response: the decision, its reason, and a counter's request bodies."""

    decision: str
    reason: str
    counter: list[dict[str, Any]]


def read_answer(body: Any) -> Answer:
    if not isinstance(body, dict):
        raise ServiceError(422, "the body is not a JSON object", "body", 'send {"decision": "concur"}')
    decision, reason = body.get("decision"), body.get("reason", "")
    if decision not in ("concur", "reject", "counter"):
        raise ServiceError(
            422, f"decision: {decision!r} is not an answer", "decision", "send concur, reject or counter"
        )
    if not isinstance(reason, str) or len(reason) > 2000:
        raise ServiceError(422, "reason: not text of at most 2000 characters", "reason", "write the reason as text")
    if decision == "reject" and not reason.strip():
        raise ServiceError(
            422, "reason: a rejection needs a reason", "reason", "say why the proposal does not work for you"
        )
    counter = body.get("counter")
    if decision != "counter":
        return Answer(decision, reason.strip(), [])
    requests = counter.get("requests") if isinstance(counter, dict) else counter
    if not isinstance(requests, list) or not requests or not all(isinstance(r, dict) for r in requests):
        raise ServiceError(
            422, "counter: no requests", "counter.requests", 'send {"counter": {"requests": [your changed requests]}}'
        )
    return Answer(decision, reason.strip(), requests)


def _locked_view(db: Database, session: Session, pid: int) -> tuple[ProposalView, Campaign]:
    """The proposal under its campaign's lock (which orders every write on the campaign), its
    state as of now written."""
    found = session.get(Proposal, pid)
    if found is None:
        raise not_found(f"proposal {pid}", "proposal")
    campaign = locked_campaign(db, session, found.campaign_id)
    session.refresh(found)
    view = view_in(session, found)
    settle(session, view)
    return view, campaign


def _closed(view: ProposalView) -> ServiceError:
    pid = view.proposal.id
    return conflict(f"proposal {pid} is {view.state}; it takes no answers", "proposal", "answer the open proposal")


def respond(db: Database, actor: Principal, pid: int, body: Any) -> dict[str, Any]:
    """Record an asked agency's answer; a counter also changes its requests and queues the next round."""
    answer = read_answer(body)
    with db.write() as session:
        view, campaign = _locked_view(db, session, pid)
        party = next((p for p in view.asked() if p.agency == actor.agency), None)
        if actor.role != "agency" or party is None:
            raise forbidden(
                f"proposal {pid} does not ask {actor.name} to consent", "answer only proposals that ask you"
            )
        if view.state != "open":
            raise _closed(view)
        if party.response != "pending":
            raise conflict(f"{actor.name} answered proposal {pid} already ({party.response})", "decision", "")
        job = None
        if answer.decision == "counter":
            job = write_counter(session, actor, view.proposal, campaign, answer.counter, answer.reason)
        party.response, party.reason = answer.decision, answer.reason
        party.responded_by, party.responded_at = actor.name, utc_now()
        if answer.decision == "reject":
            view.proposal.state = "rejected"
        after = {"decision": answer.decision, "reason": answer.reason, "job": job}
        log_event(
            session,
            actor.name,
            "proposal.respond",
            campaign=view.proposal.campaign_id,
            subject=f"proposal {pid}",
            after=after,
        )
        return {"proposal": pid, "agency": actor.name, "response": answer.decision, "job": job}


def apply_proposal(db: Database, actor: Principal, pid: int, body: Any) -> dict[str, Any]:
    """The proposal's schedule as a new version and the baseline (coordinator): every asked agency
    concurred, or `{"force": true, "reason"}` over rejections and silence."""
    body = body if isinstance(body, dict) else {}
    force, reason = body.get("force", False), body.get("reason", "")
    if not isinstance(force, bool) or not isinstance(reason, str):
        raise ServiceError(
            422, "force must be true or false, reason text", "force", 'send {"force": true, "reason": "…"}'
        )
    if force and not reason.strip():
        raise ServiceError(422, "reason: a forced apply needs a reason", "reason", "say why the coordinator decides")
    with db.write() as session:
        view, _ = _locked_view(db, session, pid)
        proposal, now = view.proposal, utc_now()
        if view.state in ("superseded", "applied"):
            raise _refused(view)
        waiting = view.waiting(now)
        if waiting and not force:
            said = ", ".join(f"{p.agency}: {p.response}" for p in waiting)
            raise conflict(
                f"proposal {pid} is {view.state}: not every asked agency concurred ({said})",
                "force",
                'wait for their answers, or decide: {"force": true, "reason": "…"}',
            )
        number = _new_version(session, actor, proposal)
        proposal.state, proposal.version, proposal.decided_by, proposal.decided_at = "applied", number, actor.name, now
        overruled = {p.agency: p.response for p in waiting}
        after = {"version": number, "forced": bool(waiting), "reason": reason.strip(), "overruled": overruled}
        log_event(
            session, actor.name, "proposal.apply", campaign=proposal.campaign_id, subject=f"proposal {pid}", after=after
        )
        set_baseline_in(session, actor.name, proposal.campaign_id, number, {"proposal": pid})
        return {"proposal": pid, "state": "applied", "version": number, "baseline": number, "forced": bool(waiting)}


def _refused(view: ProposalView) -> ServiceError:
    pid, proposal = view.proposal.id, view.proposal
    if view.state == "applied":
        return conflict(f"proposal {pid} is applied already (version {proposal.version})", "proposal", "")
    return conflict(
        f"proposal {pid} is superseded (made against version {proposal.base_version}; replaced since)",
        "proposal",
        "make a new proposal against the baseline",
    )


def _new_version(session: Session, actor: Principal, proposal: Proposal) -> int:
    campaign = proposal.campaign_id
    last = session.scalar(select(func.max(Version.number)).where(Version.campaign_id == campaign)) or 0
    number = last + 1
    session.add(
        Version(
            campaign_id=campaign,
            number=number,
            origin="proposal",
            base_version=proposal.base_version,
            job_id=proposal.job_id,
            created_by=actor.name,
            summary=proposal.summary,
        )
    )
    session.flush()
    for name, content in sorted(proposal.files.items()):
        if name not in NOT_VERSION_FILES:
            session.add(VersionFile(campaign_id=campaign, number=number, name=name, content=content))
    session.flush()
    after = {"version": number, "job": proposal.job_id, "origin": "proposal", "proposal": proposal.id}
    log_event(session, actor.name, "version.create", campaign=campaign, subject=f"version {number}", after=after)
    return number

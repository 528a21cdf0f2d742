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

from scheduler.errors import InputError
from scheduler.service.campaign_scenario import check_requests, plain
from scheduler.service.db.accounts import Principal
from scheduler.service.db.events import log_event
from scheduler.service.db.models import Campaign, CampaignRequest, Job, Version, VersionFile, utc_now
from scheduler.service.db.negotiation import locked_campaign, set_baseline_in
from scheduler.service.db.proposal_jobs import campaign_scenario, queue_propose
from scheduler.service.db.proposal_models import Proposal
from scheduler.service.db.proposals import ProposalView, settle, view_in
from scheduler.service.db.session import Database
from scheduler.service.errors import ServiceError, bad_input, conflict, forbidden, not_found
from scheduler.timeutil import format_time

MAX_ROUNDS = 3
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
            job = _counter(session, actor, view, campaign, answer)
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


def _counter(session: Session, actor: Principal, view: ProposalView, locked: Campaign, answer: Answer) -> int:
    """Write the agency's changed requests and queue the next round's proposal; the job's id."""
    proposal = view.proposal
    if proposal.round >= MAX_ROUNDS:
        raise conflict(
            f"proposal {proposal.id} is round {proposal.round} of {MAX_ROUNDS}: no more counters",
            "decision",
            "concur or reject; the coordinator decides",
        )
    campaign = proposal.campaign_id
    rows = list(
        session.scalars(
            select(CampaignRequest).where(CampaignRequest.campaign_id == campaign).order_by(CampaignRequest.position)
        )
    )
    by_id = {r.request_id: r for r in rows}
    bodies = [r.body for r in rows]
    changed: list[tuple[dict[str, Any], CampaignRequest | None]] = []
    for index, raw in enumerate(answer.counter):
        source = f"campaign {campaign}, counter.requests[{index}]"
        body = plain(raw, "", source)
        body.setdefault("agency", actor.agency)
        row = by_id.get(str(body.get("id")))
        if body["agency"] != actor.agency or (row is not None and row.agency != actor.agency):
            owner = row.agency if row is not None else body["agency"]
            raise forbidden(
                f"a counter changes only {actor.name}'s own requests, not {body.get('id')} of {owner}",
                "counter with your own requests",
            )
        if not isinstance(body.get("id"), str):
            raise ServiceError(
                422, f"{source}: id: missing", f"counter.requests[{index}].id", "give each request its id"
            )
        if row is None:
            bodies.append(body)
        else:
            bodies[rows.index(row)] = body
        changed.append((body, row))
    try:
        check_requests(locked.scenario, bodies, None, f"campaign {campaign}, counter")
    except InputError as exc:
        raise bad_input(exc) from None
    for body, row in changed:
        if row is None:
            session.add(
                CampaignRequest(
                    campaign_id=campaign,
                    request_id=body["id"],
                    agency=actor.name,
                    position=locked.next_position,
                    body=body,
                    version=1,
                    created_by=actor.name,
                    updated_by=actor.name,
                )
            )
            locked.next_position += 1
            log_event(
                session,
                actor.name,
                "request.create",
                campaign=campaign,
                subject=body["id"],
                after={"version": 1, "request": body},
            )
        else:
            before = {"version": row.version, "request": row.body}
            row.body, row.version, row.updated_by, row.updated_at = body, row.version + 1, actor.name, utc_now()
            after = {"version": row.version, "request": body}
            log_event(
                session,
                actor.name,
                "request.update",
                campaign=campaign,
                subject=row.request_id,
                before=before,
                after=after,
            )
    locked.revision += 1
    session.flush()
    job = session.get(Job, proposal.job_id) if proposal.job_id is not None else None
    asked = job.params if job is not None else {}
    params = {
        "reason": f"counter of {actor.name} to proposal {proposal.id}: {answer.reason}".rstrip(": "),
        "time_limit_s": asked.get("time_limit_s", 10.0),
        "workers": asked.get("workers", 1),
        "seed": asked.get("seed", 0),
        "now": format_time(utc_now().replace(microsecond=0)),
        "round": proposal.round + 1,
        "parent": proposal.id,
        "base_version": proposal.base_version,
    }
    return queue_propose(session, actor.name, campaign, campaign_scenario(session, locked), params)


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

"""A proposal's state as the clock and the baseline see it, without a server: open until its
base is no longer the baseline (superseded) or, under the reject rule, an asked agency is still
silent past respond_by (expired); under the concur rule silence past respond_by concurs."""

from datetime import UTC, datetime, timedelta

from scheduler.service.db.proposal_models import Party, Proposal
from scheduler.service.db.proposals import ProposalView, state_now

DUE = datetime(2027, 1, 4, tzinfo=UTC)
BEFORE, AFTER = DUE - timedelta(seconds=1), DUE + timedelta(seconds=1)


def proposal(silence: str, state: str = "open") -> Proposal:
    return Proposal(id=1, campaign_id="c", base_version=2, state=state, respond_by=DUE, silence=silence)


def party(agency: str, response: str, must_consent: bool = True) -> Party:
    return Party(agency=agency, must_consent=must_consent, response=response)


def test_silence_past_respond_by_expires_a_proposal_under_reject() -> None:
    parties = [party("ESA", "concur"), party("JAXA", "pending"), party("NASA", "pending", must_consent=False)]
    assert state_now(proposal("reject"), parties, 2, BEFORE) == "open"
    assert state_now(proposal("reject"), parties, 2, AFTER) == "expired"
    assert state_now(proposal("reject"), parties[:1] + parties[2:], 2, AFTER) == "open"  # the told never expire it


def test_silence_past_respond_by_concurs_under_concur() -> None:
    parties = [party("ESA", "concur"), party("JAXA", "pending")]
    assert state_now(proposal("concur"), parties, 2, AFTER) == "open"
    view = ProposalView(proposal("concur"), parties, "open")
    assert [p.agency for p in view.waiting(BEFORE)] == ["JAXA"] and view.waiting(AFTER) == []
    rejected = ProposalView(proposal("concur"), [party("ESA", "reject")], "open")
    assert [p.agency for p in rejected.waiting(AFTER)] == ["ESA"]  # a rejection is no silence


def test_a_new_baseline_supersedes_an_open_proposal_but_not_a_decided_one() -> None:
    parties = [party("ESA", "pending")]
    assert state_now(proposal("reject"), parties, 3, BEFORE) == "superseded"
    assert state_now(proposal("reject", "applied"), parties, 3, AFTER) == "applied"
    assert state_now(proposal("reject", "rejected"), parties, 3, AFTER) == "rejected"

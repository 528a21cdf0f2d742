"""Proposals and consent through a real server, on SQLite and PostgreSQL: a three-agency
negotiation (a proposal, a concurrence, a counter, its proposal concurred by all, applied as the
next baseline), expiry under each silence rule, a forced apply in the audit log, a superseded
proposal refused, an agency the proposal does not ask refused, and frozen tracks kept."""

import pytest

from tests.service.negotiation import API, DAY, P, R, answer, asked, baselined, proposed
from tests.service.support import Server, unique, wait_job

pytestmark = pytest.mark.slow  # each runs proposal jobs on a real server: 3-10 s


def test_three_agencies_negotiate_a_counter_into_the_next_baseline(server: Server) -> None:
    name = unique("negotiate")
    baselined(server, name)
    with server.client("NASA") as nasa, server.client("office") as office:
        first = proposed(nasa, name)
        assert first["state"] == "open" and first["base_version"] == 1 and first["round"] == 1
        assert asked(first) == ["ESA", "JAXA"]
        nasa_row = next(p for p in first["parties"] if p["agency"] == "NASA")
        assert nasa_row == {
            "agency": "NASA", "must_consent": False, "response": "pending", "reason": "", "hours_before": 3.0,
            "hours_after": 8.0, "moved": 0, "shortened": 0, "dropped": 0, "new_pairs": 0,
        }  # fmt: skip
        assert answer(server, "NASA", first["id"], "concur").status_code == 403  # told, not asked
        assert answer(server, "ESA", first["id"], "concur").status_code == 200
        # JAXA counters with its own R freed of its window; ESA's P is not JAXA's to change
        mine = {**R}
        mine.pop("window")
        theirs = {"id": "P", "agency": "ESA", "target": "pole", "duration": "1h"}
        refused = answer(server, "JAXA", first["id"], "counter", counter={"requests": [theirs]})
        assert refused.status_code == 403 and refused.json()["field"] == "Authorization"
        countered = answer(
            server, "JAXA", first["id"], "counter", reason="anywhere on TEST-A", counter={"requests": [mine]}
        )
        assert countered.status_code == 200, countered.text
        job = wait_job(office, countered.json()["job"])
        second = office.get(f"{API}/proposals/{job['proposal']}").json()
        assert office.get(f"{API}/proposals/{first['id']}").json()["state"] == "superseded"
        assert (second["parent"], second["round"], second["base_version"]) == (first["id"], 2, 1)
        diff = {
            r["request_id"]: r["change"] for r in office.get(f"{API}/proposals/{second['id']}/diff").json()["changes"]
        }
        assert diff == {"P": "dropped", "R": "moved", "U": "added", "Q": "kept"}
        assert office.post(f"{API}/proposals/{second['id']}/apply", json={}).status_code == 409  # not yet concurred
        for agency in asked(second):
            assert answer(server, agency, second["id"], "concur").status_code == 200
        applied = office.post(f"{API}/proposals/{second['id']}/apply", json={})
        assert applied.status_code == 200, applied.text
        campaign = office.get(f"{API}/campaigns/{name}").json()
        schedule = office.get(f"{API}/campaigns/{name}/schedule", params={"format": "csv"})
    assert applied.json()["version"] == 2 and campaign["baseline"] == 2 and campaign["latest_version"] == 2
    assert sorted(row.split(",")[1] for row in schedule.text.splitlines()[1:]) == ["Q", "R", "U"]
    assert office_sees(server, name, second["id"])["state"] == "applied"


def office_sees(server: Server, name: str, pid: int) -> dict:
    with server.client("office") as office:
        return office.get(f"{API}/proposals/{pid}").json()


def test_silence_past_respond_by_expires_under_reject_and_concurs_under_concur(server: Server) -> None:
    long_ago = "2026-11-01T00:00:00Z"  # respond_by 72 h later, long past by the server's clock
    results = {}
    for silence in ("reject", "concur"):
        name = unique(f"silence-{silence}")
        baselined(server, name, "negotiation: {silence: reject}\n")  # the scenario's rule, then the campaign's
        with server.client("office") as office:
            wrong = office.patch(f"{API}/campaigns/{name}/negotiation", json={"silence": "maybe"})
            assert wrong.status_code == 422 and wrong.json()["field"] == "silence"
            changed = office.patch(f"{API}/campaigns/{name}/negotiation", json={"silence": silence})
            assert changed.json()["negotiation"] == {
                "respond_within": "72h",
                "silence": silence,
                "freeze_before": "192h",
            }
            proposal = proposed(office, name, now=long_ago)
            applied = office.post(f"{API}/proposals/{proposal['id']}/apply", json={})
            results[silence] = (proposal["state"], proposal["respond_by"], applied.status_code)
            results[f"{silence}-after"] = office.get(f"{API}/proposals/{proposal['id']}").json()["state"]
    assert results["reject"] == ("expired", "2026-11-04T00:00:00Z", 409)
    assert results["reject-after"] == "expired"
    assert results["concur"] == ("open", "2026-11-04T00:00:00Z", 200)
    assert results["concur-after"] == "applied"


def test_a_forced_apply_over_a_rejection_is_in_the_audit_log(server: Server) -> None:
    name = unique("force")
    baselined(server, name)
    with server.client("office") as office:
        proposal = proposed(office, name)
        without = answer(server, "ESA", proposal["id"], "reject")
        assert without.status_code == 422 and without.json()["field"] == "reason" and without.json()["fix"]
        assert answer(server, "ESA", proposal["id"], "reject", reason="P is needed that day").status_code == 200
        assert office.get(f"{API}/proposals/{proposal['id']}").json()["state"] == "rejected"
        assert answer(server, "JAXA", proposal["id"], "concur").status_code == 409  # rejected: no more answers
        assert office.post(f"{API}/proposals/{proposal['id']}/apply", json={}).status_code == 409
        no_reason = office.post(f"{API}/proposals/{proposal['id']}/apply", json={"force": True})
        assert no_reason.status_code == 422 and no_reason.json()["field"] == "reason"
        forced = office.post(f"{API}/proposals/{proposal['id']}/apply", json={"force": True, "reason": "U is urgent"})
        assert forced.status_code == 200 and forced.json()["forced"] is True
        events = office.get(f"{API}/events", params={"campaign": name}).json()["events"]
    apply = next(e for e in events if e["action"] == "proposal.apply")
    assert apply["actor"] == "office" and apply["subject"] == f"proposal {proposal['id']}"
    assert apply["after"] == {
        "version": 2,
        "forced": True,
        "reason": "U is urgent",
        "overruled": {"ESA": "reject", "JAXA": "pending"},
    }
    assert [e["action"] for e in events][-2:] == ["proposal.apply", "baseline.set"]


def test_a_proposal_whose_base_is_no_longer_the_baseline_is_superseded(server: Server) -> None:
    name = unique("superseded")
    baselined(server, name)
    with server.client("office") as office:
        old = proposed(office, name)
        newer = proposed(office, name)
        for agency in asked(newer):
            assert answer(server, agency, newer["id"], "concur").status_code == 200
        assert office.post(f"{API}/proposals/{newer['id']}/apply", json={}).status_code == 200
        refused = office.post(f"{API}/proposals/{old['id']}/apply", json={"force": True, "reason": "anyway"})
        state = office.get(f"{API}/proposals/{old['id']}").json()["state"]
        late = answer(server, "ESA", old["id"], "concur")
    assert refused.status_code == 409 and "superseded" in refused.json()["error"]
    assert state == "superseded" and late.status_code == 409


def test_only_asked_agencies_answer_and_only_the_coordinator_applies(server: Server) -> None:
    name = unique("roles")
    baselined(server, name)
    with server.client("office") as office, server.client("ESA") as esa, server.client("madrid") as madrid:
        proposal = proposed(office, name)
        assert answer(server, "office", proposal["id"], "concur").status_code == 403
        assert answer(server, "madrid", proposal["id"], "concur").status_code == 403
        assert esa.post(f"{API}/proposals/{proposal['id']}/apply", json={}).status_code == 403
        assert madrid.post(f"{API}/campaigns/{name}/proposals", json={"reason": "x"}).status_code == 403
        assert esa.post(f"{API}/campaigns/nowhere/proposals", json={"reason": "x"}).status_code == 404
        nameless = office.post(f"{API}/campaigns/{name}/proposals", json={"time_limit_s": 5})
        assert nameless.status_code == 422 and nameless.json()["field"] == "reason"
        assert esa.post(f"{API}/campaigns/{name}/baseline", json={"version": 1}).status_code == 403
        past = esa.post(f"{API}/campaigns/{name}/proposals", json={"reason": "x", "now": "2027-01-01T00:00:00Z"})
        assert past.status_code == 403  # only the coordinator sets the clock
        unknown = answer(server, "ESA", proposal["id"], "maybe")
        assert unknown.status_code == 422 and unknown.json()["field"] == "decision"
        inbox = esa.get(f"{API}/inbox").json()["proposals"]
    assert proposal["id"] in [p["id"] for p in inbox]


def test_frozen_baseline_tracks_never_move(server: Server) -> None:
    name = unique("frozen")
    baselined(server, name)
    with server.client("office") as office:
        # P's activity begins at 00:00, within 8 days of now: frozen; without the freeze it is dropped
        frozen = proposed(office, name, now="2027-02-21T01:00:00Z")
        free = proposed(office, name)
        baseline = office.get(f"{API}/campaigns/{name}/schedule", params={"format": "csv", "version": 1}).text
        kept = office.get(f"{API}/proposals/{frozen['id']}/diff", params={"format": "csv"}).text
        rows = office.get(f"{API}/proposals/{frozen['id']}/diff").json()["changes"]
        unfrozen = office.get(f"{API}/proposals/{free['id']}/diff").json()["changes"]
    p_was = next(line for line in baseline.splitlines() if line.split(",")[1] == "P")
    p_row = next(r for r in rows if r["request_id"] == "P")
    assert p_row["change"] == "kept" and p_row["new_start"] == p_row["old_start"] and p_row["new_stations"] == "TEST-A"
    assert f"{DAY}T00:30:00Z" in p_was and "kept" in kept
    assert next(r for r in unfrozen if r["request_id"] == "P")["change"] == "dropped"
    assert frozen["parties"] == [] and asked(free) == ["ESA", "JAXA"]


def test_the_proposal_exports_provisional_and_the_baseline_operational(server: Server) -> None:
    name = unique("ssf")
    baselined(server, name)
    with server.client("JAXA") as jaxa, server.client("office") as office:
        proposal = proposed(office, name)
        xml = jaxa.get(f"{API}/proposals/{proposal['id']}/diff", params={"format": "xml"})
        bad = jaxa.get(f"{API}/proposals/{proposal['id']}/diff", params={"format": "pdf"})
        agreed = jaxa.get(f"{API}/campaigns/{name}/baseline", params={"format": "xml"})
    assert xml.status_code == 200 and xml.headers["content-type"].startswith("application/xml")
    assert 'status="PROVISIONAL"' in xml.text or ">PROVISIONAL<" in xml.text
    assert "TENTATIVE" in xml.text and "COMMITTED" not in xml.text
    assert bad.status_code == 422 and bad.json()["field"] == "format"
    assert agreed.status_code == 200 and agreed.headers["x-schedule-version"] == "1"
    assert "OPERATIONAL" in agreed.text and "COMMITTED" in agreed.text and "TENTATIVE" not in agreed.text


def test_counters_stop_after_three_rounds_and_change_only_valid_own_requests(server: Server) -> None:
    name = unique("rounds")
    baselined(server, name)
    with server.client("office") as office:
        proposal = proposed(office, name)
        bad = answer(server, "ESA", proposal["id"], "counter", counter={"requests": [{**P, "duration": "0h"}]})
        assert bad.status_code == 422 and bad.json()["field"] == "counter.requests[0].duration"
        for round_, duration in ((1, "2h"), (2, "1h")):
            assert proposal["round"] == round_ and "ESA" in asked(proposal)
            countered = answer(
                server, "ESA", proposal["id"], "counter", counter={"requests": [{**P, "duration": duration}]}
            )
            assert countered.status_code == 200, countered.text
            proposal = office.get(f"{API}/proposals/{wait_job(office, countered.json()['job'])['proposal']}").json()
        last = answer(server, "ESA", proposal["id"], "counter", counter={"requests": [{**P, "duration": "30m"}]})
        changes = office.get(f"{API}/proposals/{proposal['id']}/diff").json()["changes"]
        request = office.get(f"{API}/campaigns/{name}/requests/P").json()
    assert proposal["round"] == 3 and last.status_code == 409 and "coordinator decides" in last.json()["fix"]
    assert next(r for r in changes if r["request_id"] == "P")["change"] == "moved"  # 1 h fits before U
    assert request["version"] == 3 and request["request"]["duration"] == "1h"  # two counters, the third refused

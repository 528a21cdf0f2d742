"""Urgent insertion through a real server, on SQLite and PostgreSQL: an emergency on two full
antennas takes the least priority-weighted time, never touches a running track, is applied at
once as a new version with its decision time, and tells each displaced agency in the audit log;
its repair follows as a job; a late-add that displaces nobody is applied, one that would is
refused naming what blocks it; an agency asks only for itself.

The scenario (tests/scenarios/insert/full-antennas.yaml, hand-checked): at now 01:00, RUN-A and
RUN-B (ESA) are running on TEST-A and TEST-B until 02:00; HI (NASA, weight 9) and LO (JAXA,
weight 2) fill them 02:00-06:00 and may shrink to 2 h; 06:00-08:00 is free. A 2 h emergency
inside 02:00-06:00 costs least by shortening LO to 04:00-06:00 (7,200 s of weight 2) on TEST-B.
"""

import io

import pandas as pd
import pytest

from tests.service.support import REPO, Server, planned, unique, wait_job

API = "/api/v1"
FULL = (REPO / "tests" / "scenarios" / "insert" / "full-antennas.yaml").read_text(encoding="utf-8")
NOW = "2026-12-01T01:00:00Z"
DAY = "2026-12-01T"


def full_campaign(server: Server) -> str:
    """A campaign of the full-antennas scenario, planned (version 1)."""
    name = unique("urgent")
    job = planned(server, name, FULL.replace("name: full", f"name: {name}"))  # greedy fills both to 06:00
    assert job["state"] == "done", job
    return name


@pytest.fixture(scope="module")
def untouched(server: Server) -> str:
    """A planned full campaign that refused requests leave as it is."""
    return full_campaign(server)


def urgent(request_id: str, start: str, end: str, agency: str = "ESA", duration: str = "2h") -> dict:
    return {
        "id": request_id,
        "mission": "OMEGA",
        "agency": agency,
        "target": "pole",
        "priority": 1,
        "duration": duration,
        "window": {"start": DAY + start + ":00Z", "end": DAY + end + ":00Z"},
    }


def schedule_of(server: Server, campaign: str, version: int) -> pd.DataFrame:
    with server.client("office") as office:
        text = office.get(f"{API}/campaigns/{campaign}/schedule", params={"format": "csv", "version": version}).text
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


@pytest.mark.slow
def test_an_emergency_takes_the_least_weighted_time_at_once_and_tells_the_displaced(server: Server) -> None:
    campaign = full_campaign(server)
    with server.client("ESA") as esa, server.client("office") as office:
        cursor = office.get(f"{API}/events", params={"campaign": campaign}).json()["next"]
        answer = esa.post(
            f"{API}/campaigns/{campaign}/urgent",
            json={"request": urgent("EM", "02:00", "06:00"), "tier": "emergency", "now": NOW},
        )
        assert answer.status_code == 201, answer.text
        body = answer.json()
        assert 0 < body["decision_s"] <= body["answer_s"]  # speed: benchmarks/service_urgent.py, not a timed assert
        assert body["version"] == 2 and answer.headers["Location"].endswith(f"/campaigns/{campaign}/versions/2")
        assert body["placed"] == {"stations": ["TEST-B"], "start": DAY + "02:00:00Z", "end": DAY + "04:00:00Z"}
        assert [
            {k: d[k] for k in ("track", "request_id", "agency", "change", "lost_seconds")} for d in body["displaced"]
        ] == [{"track": "T0004", "request_id": "LO", "agency": "JAXA", "change": "shortened", "lost_seconds": 7200}]
        applied = schedule_of(server, campaign, 2)
        rows = {r.request_id: (r.station, r.start[11:16], r.end[11:16]) for r in applied.itertuples()}
        assert rows == {
            "RUN-A": ("TEST-A", "00:00", "02:00"),  # running at now: untouched
            "RUN-B": ("TEST-B", "00:00", "02:00"),
            "HI": ("TEST-A", "02:00", "06:00"),  # weight 9: kept whole
            "LO": ("TEST-B", "04:00", "06:00"),
            "EM": ("TEST-B", "02:00", "04:00"),
        }
        version = office.get(f"{API}/campaigns/{campaign}/versions/2").json()
        assert version["origin"] == "emergency" and version["summary"]["decision_s"] == body["decision_s"]
        assert version["summary"]["insertion"]["weighted_displaced_s"] == 14400
        events = office.get(f"{API}/events", params={"campaign": campaign, "after": cursor}).json()["events"]
        told = [e for e in events if e["action"] == "urgent.displaced"]
        assert [(e["subject"], e["actor"]) for e in told] == [("JAXA", "ESA")]
        assert told[0]["after"]["tracks"] == [
            {"track": "T0004", "request_id": "LO", "agency": "JAXA", "change": "shortened", "lost_seconds": 7200}
        ]
        assert {"urgent.emergency", "version.create", "repair.request"} <= {e["action"] for e in events}
        stored = esa.get(f"{API}/campaigns/{campaign}/requests/EM").json()["request"]
        assert stored["inserted"] == "emergency" and stored["agency"] == "ESA"
        assert isinstance(body["repair_job"], int)


@pytest.mark.slow
def test_the_repair_after_an_emergency_keeps_the_decision(server: Server) -> None:
    campaign = full_campaign(server)
    with server.client("ESA") as esa, server.client("office") as office:
        body = esa.post(
            f"{API}/campaigns/{campaign}/urgent",
            json={"request": urgent("EM", "02:00", "06:00"), "tier": "emergency", "now": NOW},
        ).json()
        repaired = wait_job(office, body["repair_job"])
        assert repaired["state"] == "done" and repaired["kind"] == "repair" and repaired["version"] == 3, repaired
        assert office.get(f"{API}/campaigns/{campaign}/versions/3").json()["origin"] == "repair"
    after_repair = schedule_of(server, campaign, 3)
    rows = {r.request_id: (r.station, r.start[11:16], r.end[11:16]) for r in after_repair.itertuples()}
    assert rows["EM"] == ("TEST-B", "02:00", "04:00")  # the decision stands
    assert rows["RUN-A"] == ("TEST-A", "00:00", "02:00") and rows["RUN-B"] == ("TEST-B", "00:00", "02:00")


@pytest.mark.slow
def test_a_late_add_that_displaces_nobody_is_applied(server: Server) -> None:
    campaign = full_campaign(server)
    with server.client("NASA") as nasa:
        answer = nasa.post(
            f"{API}/campaigns/{campaign}/urgent",
            json={"request": urgent("LATE", "06:00", "08:00", "NASA", "1h"), "tier": "late-add", "now": NOW},
        )
        assert answer.status_code == 201, answer.text
        body = answer.json()
        assert body["displaced"] == [] and body["repair_job"] is None and body["tier"] == "late-add"
        assert body["placed"]["start"] >= DAY + "06:00:00Z"
    applied = schedule_of(server, campaign, 2)
    assert sorted(applied.request_id) == ["HI", "LATE", "LO", "RUN-A", "RUN-B"]
    assert list(applied[applied.request_id != "LATE"].end.str[11:16]) == ["02:00", "02:00", "06:00", "06:00"]


def test_a_late_add_that_would_displace_someone_is_refused_naming_the_blocker(server: Server, untouched: str) -> None:
    campaign = untouched
    with server.client("NASA") as nasa, server.client("office") as office:
        answer = nasa.post(
            f"{API}/campaigns/{campaign}/urgent",
            json={"request": urgent("LATE", "02:00", "06:00", "NASA"), "tier": "late-add", "now": NOW},
        )
        assert answer.status_code == 409, answer.text
        error = answer.json()
        assert set(error) == {"error", "field", "fix"} and error["field"] == "tier"
        assert "late-add LATE would displace" in error["error"]
        assert "T0004 (LO, JAXA): shortened, 7200 s lost" in error["error"]
        assert "JAXA" in error["fix"]
        versions = office.get(f"{API}/campaigns/{campaign}/versions").json()["versions"]
        assert [v["version"] for v in versions] == [1]  # nothing applied
        assert nasa.get(f"{API}/campaigns/{campaign}/requests/LATE").status_code == 404


def test_an_agency_asks_only_for_itself_and_bad_requests_are_one_line(server: Server, untouched: str) -> None:
    campaign = untouched
    path = f"{API}/campaigns/{campaign}/urgent"
    with server.client("NASA") as nasa, server.client("office") as office:
        other = nasa.post(path, json={"request": urgent("EM", "02:00", "06:00", "ESA"), "now": NOW})
        assert other.status_code == 403 and "agency ESA" in other.json()["error"]
        assert office.post(path, json={"request": urgent("EM", "02:00", "06:00"), "now": NOW}).status_code == 403
        many = {**urgent("EM", "02:00", "06:00", "NASA"), "tracks": 2}
        bad = nasa.post(path, json={"request": many, "now": NOW})
        assert bad.status_code == 422 and bad.json()["field"] == "request.tracks", bad.text
        taken = nasa.post(path, json={"request": urgent("HI", "02:00", "06:00", "NASA"), "now": NOW})
        assert taken.status_code == 409 and taken.json()["field"] == "request.id"
        tier = nasa.post(path, json={"request": urgent("EM", "02:00", "06:00", "NASA"), "tier": "now!"})
        assert tier.status_code == 422 and tier.json()["field"] == "tier"


def test_urgent_and_outcomes_need_a_token_and_are_in_the_openapi(server: Server) -> None:
    with server.client() as public:
        paths = public.get(f"{API}/openapi.json").json()["paths"]
        assert {"post"} <= set(paths["/api/v1/campaigns/{campaign}/urgent"])
        assert {"get", "post"} <= set(paths["/api/v1/campaigns/{campaign}/outcomes"])
        for path in ("urgent", "outcomes"):
            answer = public.post(f"{API}/campaigns/any/{path}", json={})
            assert answer.status_code == 401 and answer.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.slow
def test_a_blocked_late_add_opens_a_proposal_that_asks_the_displaced(server: Server) -> None:
    campaign = full_campaign(server)
    with server.client("NASA") as nasa, server.client("office") as office, server.client("JAXA") as jaxa:
        assert office.post(f"{API}/campaigns/{campaign}/baseline", json={"version": 1}).status_code == 200
        # the default freeze (8 days) would lock every track of this one-day campaign
        settings = {"freeze_before": "30m", "respond_within": "30d"}  # answers counted from the test's now
        freeze = office.patch(f"{API}/campaigns/{campaign}/negotiation", json=settings)
        assert freeze.status_code == 200, freeze.text
        answer = nasa.post(
            f"{API}/campaigns/{campaign}/urgent",
            json={"request": urgent("LATE", "02:00", "06:00", "NASA"), "tier": "late-add", "now": NOW},
        )
        assert answer.status_code == 202, answer.text
        body = answer.json()
        assert body["asks"] == ["JAXA"] and "late-add LATE would displace" in body["blocked_by"]
        assert answer.headers["Location"] == f"/api/v1/jobs/{body['proposal_job']}"
        stored = nasa.get(f"{API}/campaigns/{campaign}/requests/LATE").json()["request"]
        assert stored["inserted"] == "late-add" and stored["agency"] == "NASA"
        job = wait_job(office, body["proposal_job"])
        assert job["state"] == "done" and job["kind"] == "propose", job
        proposal = jaxa.get(f"{API}/proposals/{job['proposal']}").json()
        assert proposal["state"] == "open" and proposal["base_version"] == 1
        parties = {p["agency"]: p for p in proposal["parties"]}
        assert parties["JAXA"]["must_consent"] and parties["JAXA"]["response"] == "pending"
        assert not parties.get("NASA", {"must_consent": False})["must_consent"]  # it only gains
        versions = office.get(f"{API}/campaigns/{campaign}/versions").json()["versions"]
        assert [v["version"] for v in versions] == [1]  # nothing applied before JAXA agrees
        events = office.get(f"{API}/events", params={"campaign": campaign}).json()["events"]
        assert {"urgent.late-add", "propose.request"} <= {e["action"] for e in events}

"""A negotiation's campaign for the service's tests: two pole-watching antennas (tests/support/
proposals.py), ESA's P and JAXA's R pinned by their windows on TEST-A and NASA's Q on TEST-B,
planned and baselined as version 1; NASA's new U (5 h on TEST-A, 02:00-07:30) leaves room for
neither P nor R, so a proposal drops both and asks ESA and JAXA, and only tells NASA."""

import httpx

from tests.service.support import Server, wait_job
from tests.support.proposals import STATIONS, TARGETS

API = "/api/v1"
DAY = "2027-03-01"  # after the server's clock and 8 days of freeze: nothing frozen unless `now` says so
P = {
    "id": "P", "mission": "P", "agency": "ESA", "target": "pole", "priority": 8, "duration": "3h",
    "stations": ["TEST-A"], "window": {"start": f"{DAY}T00:00:00Z", "end": f"{DAY}T03:30:00Z"},
}  # fmt: skip
R = {
    "id": "R", "mission": "R", "agency": "JAXA", "target": "pole", "priority": 9, "duration": "3h",
    "stations": ["TEST-A"], "window": {"start": f"{DAY}T03:45:00Z", "end": f"{DAY}T07:15:00Z"},
}  # fmt: skip
Q = {
    "id": "Q",
    "mission": "Q",
    "agency": "NASA",
    "target": "pole",
    "priority": 5,
    "duration": "3h",
    "stations": ["TEST-B"],
}
U = {
    "id": "U", "mission": "U", "agency": "NASA", "target": "pole", "priority": 1, "duration": "5h",
    "stations": ["TEST-A"], "window": {"start": f"{DAY}T02:00:00Z", "end": f"{DAY}T07:30:00Z"},
}  # fmt: skip
FAST = {"time_limit_s": 5, "workers": 1}


def scenario(name: str, negotiation: str = "") -> str:
    import json

    head = f"name: {name}\nstart: {DAY}T00:00:00Z\nend: {DAY}T12:00:00Z\n" + STATIONS + TARGETS
    lines = "".join(f"  - {json.dumps(r)}\n" for r in (P, R, Q))
    return head + negotiation + "requests:\n" + lines


def baselined(server: Server, name: str, negotiation: str = "") -> None:
    """The campaign made, planned (version 1), baselined, and NASA's U added."""
    with server.client("office") as office, server.client("NASA") as nasa:
        assert office.post(f"{API}/campaigns", content=scenario(name, negotiation)).status_code == 201
        job = office.post(f"{API}/campaigns/{name}/plans", json={"solver": "cpsat", **FAST}).json()["job"]
        assert wait_job(office, job)["state"] == "done"
        answer = office.post(f"{API}/campaigns/{name}/baseline", json={"version": 1})
        assert answer.status_code == 200, answer.text
        assert nasa.post(f"{API}/campaigns/{name}/requests", json=U).status_code == 201


def proposed(client: httpx.Client, name: str, **body: object) -> dict:
    """A proposal of campaign `name` asked for by `client`, once its job is done."""
    answer = client.post(f"{API}/campaigns/{name}/proposals", json={"reason": "NASA's U", **FAST, **body})
    assert answer.status_code == 202, answer.text
    job = wait_job(client, answer.json()["job"])
    assert job["state"] == "done", job
    return client.get(f"{API}/proposals/{job['proposal']}").json()


def asked(proposal: dict) -> list[str]:
    return [p["agency"] for p in proposal["parties"] if p["must_consent"]]


def answer(server: Server, agency: str, pid: int, decision: str, **body: object) -> httpx.Response:
    with server.client(agency) as client:
        return client.post(f"{API}/proposals/{pid}/responses", json={"decision": decision, **body})

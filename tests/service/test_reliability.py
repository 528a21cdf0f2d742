"""Reliability and security through a real server, on SQLite and PostgreSQL: concurrent writers
lose nothing, repeated bad tokens are slowed, SQL sees only bound parameters, and no token ever
reaches the server's log or the audit log."""

import secrets
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.service.support import Server, scenario_text, unique

API = "/api/v1"


@pytest.fixture(scope="module")
def campaign(server: Server) -> str:
    name = unique("busy")
    with server.client("office") as office:
        assert office.post(f"{API}/campaigns", content=scenario_text(name)).status_code == 201
    return name


def test_two_agencies_editing_at_once_both_keep_their_changes(server: Server, campaign: str) -> None:
    path = f"{API}/campaigns/{campaign}/requests"

    def edit(agency: str, request_id: str, rounds: int = 10) -> list[int]:
        with server.client(agency) as client:
            got = client.get(f"{path}/{request_id}").json()
            version, body, codes = got["version"], got["request"], []
            for n in range(rounds):
                answer = client.put(
                    f"{path}/{request_id}", json={**body, "note": f"{agency} {n}"}, headers={"If-Match": str(version)}
                )
                codes.append(answer.status_code)
                version = answer.json()["version"] if answer.status_code == 200 else version
            return codes

    with ThreadPoolExecutor(2) as pool:
        nasa, esa = pool.map(lambda args: edit(*args), [("NASA", "RED"), ("ESA", "RELAY")])
    assert nasa == [200] * 10 and esa == [200] * 10
    with server.client("office") as office:
        rows = {r["id"]: r for r in office.get(path).json()["requests"]}
    assert rows["RED"]["request"]["note"] == "NASA 9" and rows["RED"]["version"] == 11
    assert rows["RELAY"]["request"]["note"] == "ESA 9" and rows["RELAY"]["version"] == 11


def test_two_writers_of_one_request_one_wins_the_other_is_told(server: Server, campaign: str) -> None:
    path = f"{API}/campaigns/{campaign}/requests/LUNAR"
    with server.client("NASA") as nasa:
        seen = nasa.get(path).json()

    def write(note: str) -> int:
        with server.client("NASA") as client:
            headers = {"If-Match": str(seen["version"])}
            return client.put(path, json={**seen["request"], "note": note}, headers=headers).status_code

    with ThreadPoolExecutor(2) as pool:
        codes = sorted(pool.map(write, ["first", "second"]))
    assert codes == [200, 412]
    with server.client("NASA") as nasa:
        now = nasa.get(path).json()
    assert now["version"] == seen["version"] + 1 and now["request"]["note"] in ("first", "second")


@pytest.mark.slow
def test_fifty_parallel_writes_from_ten_clients_are_all_kept(server: Server, campaign: str) -> None:
    agencies = ["NASA", "ESA", "JAXA"]

    def client_writes(number: int) -> list[tuple[str, int]]:
        agency = agencies[number % 3]
        with server.client(agency) as client:
            done = []
            for k in range(5):
                request = {"id": f"W-{number}-{k}", "mission": f"M{number}", "target": "moon", "duration": "1h"}
                done.append(
                    (request["id"], client.post(f"{API}/campaigns/{campaign}/requests", json=request).status_code)
                )
            return done

    with ThreadPoolExecutor(10) as pool:
        results = [r for batch in pool.map(client_writes, range(10)) for r in batch]
    acknowledged = {request_id for request_id, code in results if code == 201}
    assert sorted(code for _, code in results) == [201] * 50
    with server.client("office") as office:
        stored = {r["id"] for r in office.get(f"{API}/campaigns/{campaign}/requests").json()["requests"]}
        events = office.get(f"{API}/events", params={"campaign": campaign, "limit": 200}).json()["events"]
    assert acknowledged <= stored and len(acknowledged) == 50
    created = [e["subject"] for e in events if e["action"] == "request.create"]
    assert sorted(created) == sorted(acknowledged)
    numbers = [e["id"] for e in events]
    assert numbers == sorted(numbers)


def test_repeated_bad_tokens_are_slowed_and_good_ones_are_not(server: Server) -> None:
    forged = "jt_000000000000_forged-secret"
    codes, waits, took = [], [], []
    address = f"127.0.0.{secrets.randbelow(200) + 20}"  # a client address no other test used
    with server.client(source=address, Authorization=f"Bearer {forged}") as attacker:
        for _ in range(server_free() + 2):
            began = time.monotonic()
            answer = attacker.get(f"{API}/campaigns")
            took.append(time.monotonic() - began)
            codes.append(answer.status_code)
            waits.append(answer.headers.get("retry-after"))
    assert codes == [401] * len(codes)
    free = server_free()
    assert waits[:free] == [None] * free and waits[free:] == ["1", "1"]
    assert took[free] >= 0.25 and took[free + 1] >= 0.5  # each wait twice the one before
    with server.client("NASA", source=address) as nasa:
        assert nasa.get(f"{API}/campaigns").status_code == 200  # a good token from there is not slowed


def server_free() -> int:
    from scheduler.service.config import ServiceSettings

    return ServiceSettings().free_bad_tokens


def test_sql_sees_only_bound_parameters(server: Server, campaign: str) -> None:
    hostile = "x' OR '1'='1"
    with server.client("office") as office:
        assert office.get(f"{API}/campaigns/{hostile}").status_code == 404
        listed = office.get(f"{API}/campaigns/{campaign}/requests", params={"agency": hostile}).json()
        events = office.get(f"{API}/events", params={"campaign": "'; DROP TABLE requests; --"}).json()
        assert office.get(f"{API}/campaigns/{campaign}/requests").json()["requests"]  # still there
    assert listed == {"requests": []} and events["events"] == []


def test_tokens_never_reach_the_log_or_the_audit_log(server: Server, campaign: str) -> None:
    with server.client("office") as office:
        office.get(f"{API}/campaigns", params={"probe": "1"})
        events = []
        cursor = 0
        while page := office.get(f"{API}/events", params={"after": cursor}).json()["events"]:
            events += page
            cursor = page[-1]["id"]
    text = server.log_text() + repr(events)
    assert "GET /api/v1/campaigns?probe=1" in text  # the access log is there
    for token in server.tokens.values():
        secret = token.split("_", 2)[2]
        assert token not in text and secret not in text

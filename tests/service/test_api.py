"""The JSON API's contract through a real `jointtrack serve` (docs/design.md: Service), on
SQLite and on PostgreSQL: roles, campaigns, requests with If-Match, errors as the CLI's lines."""

import pytest
import yaml

from scheduler.errors import InputError
from scheduler.inputs import load_scenario_text
from tests.service.support import Server, scenario_text, unique

API = "/api/v1"


@pytest.fixture(scope="module")
def campaign(server: Server) -> str:
    """A campaign of tiny-moon's scenario (NASA's LUNAR and RED, ESA's RELAY)."""
    name = unique("api")
    with server.client("office") as office:
        assert office.post(f"{API}/campaigns", content=scenario_text(name)).status_code == 201
    return name


def test_health_answers_anyone(server: Server) -> None:
    with server.client() as public:
        answer = public.get("/health")
    assert answer.status_code == 200 and answer.json()["status"] == "ok"


def test_no_token_is_401_and_a_bad_one_too(server: Server, campaign: str) -> None:
    with server.client() as public:
        answer = public.get(f"{API}/campaigns")
        assert answer.status_code == 401
        assert answer.json() == {
            "error": "no token given",
            "field": "Authorization",
            "fix": "send Authorization: Bearer TOKEN",
        }
        assert answer.headers["www-authenticate"] == "Bearer"
        assert public.get(f"{API}/campaigns/{campaign}/scenario").status_code == 401
    with server.client(Authorization="Bearer jt_000000000000_not-a-secret") as forged:
        answer = forged.get(f"{API}/campaigns")
    assert answer.status_code == 401
    assert answer.json()["error"] == "the token is not valid (unknown, revoked or mistyped)"


def test_roles_outside_their_role_get_403(server: Server, campaign: str) -> None:
    with server.client("NASA") as nasa:
        answer = nasa.post(f"{API}/campaigns", content=scenario_text(unique("nasa")))
        assert answer.status_code == 403
        assert answer.json()["error"] == "a agency token cannot do this (it needs: coordinator)"
        assert nasa.post(f"{API}/campaigns/{campaign}/plans", json={}).status_code == 403
    with server.client("madrid") as operator:
        assert operator.post(f"{API}/campaigns/{campaign}/plans", json={}).status_code == 403
        assert operator.get(f"{API}/campaigns/{campaign}").status_code == 200  # reading is any role's
    with server.client("office") as office:
        answer = office.post(f"{API}/campaigns/{campaign}/requests", json={"id": "X", "mission": "X"})
        assert answer.status_code == 403  # requests belong to agencies


def test_campaign_is_created_from_a_scenario_and_read_back(server: Server, campaign: str) -> None:
    with server.client("ESA") as esa:
        found = esa.get(f"{API}/campaigns/{campaign}").json()
        listed = [c["id"] for c in esa.get(f"{API}/campaigns").json()["campaigns"]]
        scenario = esa.get(f"{API}/campaigns/{campaign}/scenario")
    assert found["id"] == campaign and found["requests"] == 3 and found["latest_version"] is None
    assert found["start"] == "2026-12-07T00:00:00Z" and found["public"] is False
    assert campaign in listed
    assert scenario.headers["content-type"].startswith("application/yaml")
    document = yaml.safe_load(scenario.text)
    assert [r["id"] for r in document["requests"]] == ["LUNAR", "RED", "RELAY"]
    assert load_scenario_text(scenario.text).name == campaign


def test_a_second_campaign_of_the_same_name_is_409(server: Server, campaign: str) -> None:
    with server.client("office") as office:
        answer = office.post(f"{API}/campaigns", content=scenario_text(campaign))
    assert answer.status_code == 409 and answer.json()["field"] == "name"


def test_bad_scenario_is_422_with_the_command_lines_text(server: Server) -> None:
    text = scenario_text(unique("bad")).replace("duration: 3h", "duration: 0h")
    with pytest.raises(InputError) as cli:
        load_scenario_text(text, "scenario")
    with server.client("office") as office:
        answer = office.post(f"{API}/campaigns", content=text)
    assert answer.status_code == 422
    body = answer.json()
    assert body["field"] == cli.value.field == "requests[0] (LUNAR).duration"
    assert body["error"] == f"scenario: {cli.value.field}: {cli.value.problem}"
    assert body["fix"] == cli.value.fix


def test_files_beside_a_scenario_are_refused(server: Server) -> None:
    text = scenario_text(unique("oem")).replace("{id: mars, body: mars}", "{id: mars, oem: /etc/passwd}")
    with server.client("office") as office:
        answer = office.post(f"{API}/campaigns", content=text)
    assert answer.status_code == 422
    assert answer.json()["field"] == "targets[1] (mars).oem"
    assert answer.json()["error"] == "scenario: targets[1] (mars).oem: the service keeps no files beside a scenario"


def test_bodies_over_the_scenario_size_limit_are_413(server: Server) -> None:
    with server.client("office") as office:
        answer = office.post(f"{API}/campaigns", content=b"#" * (50_000_000 + 1))
    assert answer.status_code == 413
    assert answer.json()["field"] == "body" and "size limit" in answer.json()["error"]


def test_an_agency_adds_edits_and_deletes_its_own_request(server: Server, campaign: str) -> None:
    path = f"{API}/campaigns/{campaign}/requests"
    request = {"id": "LRO-extra", "mission": "LRO", "target": "moon", "duration": "2h", "note": "added by NASA"}
    with server.client("NASA") as nasa:
        added = nasa.post(path, json=request)
        assert added.status_code == 201, added.text
        assert added.json()["version"] == 1 and added.json()["request"]["agency"] == "NASA"
        assert added.headers["etag"] == '"1"' and added.headers["location"] == f"{path}/LRO-extra"
        changed = {**request, "duration": "3h"}
        assert nasa.put(f"{path}/LRO-extra", json=changed).status_code == 428  # no If-Match
        assert nasa.put(f"{path}/LRO-extra", json=changed, headers={"If-Match": "7"}).status_code == 412
        assert nasa.get(f"{path}/LRO-extra").json()["request"]["duration"] == "2h"  # nothing changed
        saved = nasa.put(f"{path}/LRO-extra", json=changed, headers={"If-Match": '"1"'})
        assert saved.status_code == 200 and saved.json()["version"] == 2
        assert saved.json()["request"]["duration"] == "3h"
        stale = nasa.delete(f"{path}/LRO-extra", headers={"If-Match": "1"})
        assert stale.status_code == 412 and stale.json()["field"] == "If-Match"
        assert nasa.delete(f"{path}/LRO-extra", headers={"If-Match": "2"}).status_code == 204
        assert nasa.get(f"{path}/LRO-extra").status_code == 404


def test_an_agency_cannot_touch_another_agencys_requests(server: Server, campaign: str) -> None:
    path = f"{API}/campaigns/{campaign}/requests"
    with server.client("ESA") as esa:
        relay = esa.get(f"{path}/LUNAR").json()
        answer = esa.put(f"{path}/LUNAR", json={**relay["request"], "agency": "ESA"}, headers={"If-Match": "1"})
        assert answer.status_code == 403
        assert esa.put(f"{path}/LUNAR", json=relay["request"], headers={"If-Match": "1"}).status_code == 403
        assert esa.delete(f"{path}/LUNAR", headers={"If-Match": "1"}).status_code == 403
        posing = esa.post(
            path, json={"id": "FAKE", "mission": "X", "agency": "NASA", "target": "moon", "duration": "1h"}
        )
        assert posing.status_code == 403
    with server.client("NASA") as nasa:
        assert nasa.get(f"{path}/LUNAR").json()["version"] == 1


def test_a_request_is_checked_by_the_scenario_models_field_by_field(server: Server, campaign: str) -> None:
    path = f"{API}/campaigns/{campaign}/requests"
    with server.client("JAXA") as jaxa:
        zero = jaxa.post(path, json={"id": "HAY", "mission": "HAY2", "target": "moon", "duration": "0h"})
        unknown = jaxa.post(path, json={"id": "HAY", "mission": "HAY2", "target": "ryugu", "duration": "1h"})
        typo = jaxa.post(path, json={"id": "HAY", "mission": "HAY2", "target": "moon", "duraton": "1h"})
        duplicate = jaxa.post(path, json={"id": "RED", "mission": "HAY2", "target": "moon", "duration": "1h"})
    assert zero.status_code == 422
    assert zero.json()["field"] == "duration"
    assert zero.json()["error"] == f"campaign {campaign}, request HAY: duration: must be a positive duration (got '0h')"
    assert unknown.json()["field"] == "target" and "unknown target 'ryugu'" in unknown.json()["error"]
    assert typo.json()["field"] == "duraton" and typo.json()["fix"].startswith("remove or correct this key")
    assert duplicate.status_code == 409
    with server.client("JAXA") as jaxa:
        assert jaxa.get(path, params={"agency": "JAXA"}).json()["requests"] == []


def test_every_write_is_in_the_audit_log_with_before_and_after(server: Server) -> None:
    name = unique("audit")
    with server.client("office") as office:
        start = office.get(f"{API}/events").json()["next"]
        office.post(f"{API}/campaigns", content=scenario_text(name))
    path = f"{API}/campaigns/{name}/requests"
    with server.client("NASA") as nasa:
        body = nasa.get(f"{path}/RED").json()["request"]
        nasa.put(f"{path}/RED", json={**body, "priority": 2}, headers={"If-Match": "1"})
        page = nasa.get(f"{API}/events", params={"campaign": name, "after": start}).json()
        later = nasa.get(f"{API}/events", params={"campaign": name, "after": page["next"]}).json()
    actions = [(e["actor"], e["action"], e["subject"]) for e in page["events"]]
    assert actions == [("office", "campaign.create", name), ("NASA", "request.update", "RED")]
    update = page["events"][1]
    assert update["before"]["request"]["priority"] == 4 and update["after"]["request"]["priority"] == 2
    assert (update["before"]["version"], update["after"]["version"]) == (1, 2)
    assert update["at"].endswith("Z")
    assert later == {"events": [], "next": page["next"]}


def test_unknown_routes_and_campaigns_answer_in_the_error_shape(server: Server) -> None:
    with server.client("office") as office:
        missing = office.get(f"{API}/campaigns/no-such-campaign")
        route = office.get(f"{API}/nowhere")
        bad_query = office.get(f"{API}/events", params={"after": "x"})
    assert missing.status_code == 404 and set(missing.json()) == {"error", "field", "fix"}
    assert route.status_code == 404 and set(route.json()) == {"error", "field", "fix"}
    assert bad_query.status_code == 422 and bad_query.json()["field"] == "after"


def test_openapi_lists_every_route(server: Server) -> None:
    with server.client() as public:
        paths = public.get(f"{API}/openapi.json").json()["paths"]
    assert {
        "/api/v1/campaigns",
        "/api/v1/campaigns/{campaign}/requests/{request_id}",
        "/api/v1/campaigns/{campaign}/plans",
        "/api/v1/jobs/{job}",
        "/api/v1/campaigns/{campaign}/schedule",
        "/api/v1/campaigns/{campaign}/versions/{old}/diff/{new}",
        "/api/v1/events",
    } <= set(paths)

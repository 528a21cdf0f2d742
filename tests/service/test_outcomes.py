"""Outcomes through a real server, on SQLite and PostgreSQL: an operator reports the tracks of its
own stations (403 for another agency's, nothing stored), the coordinator any; a feedback job
folds them into a new version with the failed request re-queued; bad rows are one line naming
the row; `jointtrack admin add-operator --agency` makes an operator of an agency's stations.

The scenario (tests/scenarios/feedback/two-agencies.yaml, hand-checked): TEST-E (ESA) and TEST-N
(NASA) always see the target; the plan puts ONE on TEST-E and TWO on TEST-N, both 00:00-02:00.
ONE's track failed (cause station); at now 03:00 it is asked for again at 03:00-05:00 on TEST-E.
"""

import io
import secrets
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import select

from scheduler.service.db.accounts import add_account
from scheduler.service.db.models import Account
from scheduler.service.db.session import Database
from tests.service.support import REPO, Server, planned, unique, wait_job
from tests.service.test_admin import jointtrack

API = "/api/v1"
TWO = (REPO / "tests" / "scenarios" / "feedback" / "two-agencies.yaml").read_text(encoding="utf-8")
NOW = "2026-12-01T03:00:00Z"
HEADER = "track_id,state,actual_start,actual_end,cause\n"


@pytest.fixture(scope="module")
def esa_operator(server: Server) -> str:
    """An operator of ESA's stations on the running server (its token in `server.tokens`)."""
    name = f"esa-ops-{secrets.token_hex(2)}"
    db = Database(server.db_url)
    try:
        server.tokens[name] = add_account(db, name, "operator", "agency:ESA")
    finally:
        db.dispose()
    return name


@pytest.fixture(scope="module")
def untouched(server: Server) -> str:
    """A planned campaign that bad outcomes leave as it is."""
    return campaign(server)


def campaign(server: Server) -> str:
    name = unique("outcomes")
    job = planned(server, name, TWO.replace("name: two-agencies", f"name: {name}"))
    assert job["state"] == "done", job
    return name


def tracks(server: Server, name: str, version: int) -> dict[str, tuple[str, str, str, str]]:
    """Per request: (track_id, station, start, end) of its track in the version (HH:MM)."""
    with server.client("office") as office:
        text = office.get(f"{API}/campaigns/{name}/schedule", params={"format": "csv", "version": version}).text
    rows = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    return {r.request_id: (r.track_id, r.station, r.start[11:16], r.end[11:16]) for r in rows.itertuples()}


@pytest.mark.slow
def test_an_operators_outcome_re_queues_the_failed_request_in_a_new_version(server: Server, esa_operator: str) -> None:
    name = campaign(server)
    planned_tracks = tracks(server, name, 1)
    assert planned_tracks == {
        "ONE": ("T0001", "TEST-E", "00:00", "02:00"),
        "TWO": ("T0002", "TEST-N", "00:00", "02:00"),
    }
    with server.client(esa_operator) as operator, server.client("office") as office:
        sent = operator.post(
            f"{API}/campaigns/{name}/outcomes",
            params={"now": NOW},
            content=HEADER + "T0001,failed,,,station\n",
            headers={"Content-Type": "text/csv"},
        )
        assert sent.status_code == 202, sent.text
        assert sent.json()["version"] == 1 and sent.json()["outcomes"] == 1
        job = wait_job(office, sent.json()["job"])
        assert job["state"] == "done" and job["kind"] == "feedback" and job["version"] == 2, job
        after = tracks(server, name, 2)
        assert after["ONE"][1:] == ("TEST-E", "03:00", "05:00")  # re-queued after now
        assert after["TWO"][1:] == ("TEST-N", "00:00", "02:00")  # ran as planned
        version = office.get(f"{API}/campaigns/{name}/versions/2").json()
        assert version["origin"] == "feedback" and "execution.csv" in version["files"]
        assert version["summary"]["feedback"]["failures"] == 1
        listed = office.get(f"{API}/campaigns/{name}/outcomes").json()["outcomes"]
        assert [(o["track_id"], o["request_id"], o["stations"], o["state"], o["cause"]) for o in listed] == [
            ("T0001", "ONE", "TEST-E", "failed", "station")
        ]
        assert listed[0]["planned_start"] == "2026-12-01T00:00:00Z" and listed[0]["reported_by"] == esa_operator
        assert listed[0]["job"] == job["id"] and listed[0]["version"] == 1


@pytest.mark.slow
def test_an_operator_reports_only_its_own_stations_and_an_agency_none(server: Server, esa_operator: str) -> None:
    name = campaign(server)
    path = f"{API}/campaigns/{name}/outcomes"
    rows = {
        "now": NOW,
        "rows": [
            {
                "track_id": "T0002",
                "state": "completed",
                "actual_start": "2026-12-01T00:00:00Z",
                "actual_end": "2026-12-01T02:00:00Z",
            }
        ],
    }
    with server.client(esa_operator) as operator, server.client("NASA") as nasa, server.client("office") as office:
        refused = operator.post(path, json=rows)
        assert refused.status_code == 403, refused.text
        assert "row 2: track T0002 runs on TEST-N, not a station of" in refused.json()["error"]
        assert nasa.post(path, json=rows).status_code == 403
        assert office.get(path).json()["outcomes"] == []  # nothing stored
        assert office.get(f"{API}/campaigns/{name}/jobs").json()["jobs"][0]["kind"] == "plan"
        accepted = office.post(path, json=rows)  # the coordinator reports any station's
        assert accepted.status_code == 202, accepted.text
        assert wait_job(office, accepted.json()["job"])["state"] == "done"
        assert [o["track_id"] for o in office.get(path).json()["outcomes"]] == ["T0002"]


@pytest.mark.parametrize(
    ("row", "field", "says"),
    [
        ("T0001,lost,,,", "row 2 state", "unknown state 'lost'"),
        ("T0009,failed,,,station", "row 2 track_id", "unknown track 'T0009'"),
        ("T0001,completed,,,", "row 2", "a completed track without actual times"),
        ("T0001,failed,,,sunspots", "row 2 cause", "unknown cause 'sunspots'"),
        ("T0001,partial,2026-12-01T00:00:00Z,2026-12-01T04:00:00Z,", "row 2 actual_end", "is after now"),
    ],
)
def test_a_bad_outcome_row_is_one_line_naming_the_row(
    server: Server, untouched: str, row: str, field: str, says: str
) -> None:
    name = untouched
    with server.client("office") as office:
        answer = office.post(
            f"{API}/campaigns/{name}/outcomes",
            params={"now": NOW},
            content=HEADER + row + "\n",
            headers={"Content-Type": "text/csv"},
        )
        assert answer.status_code == 422, answer.text
        error = answer.json()
        assert set(error) == {"error", "field", "fix"} and error["field"] == field
        assert says in error["error"] and "\n" not in error["error"] and error["fix"]
        assert office.get(f"{API}/campaigns/{name}/outcomes").json()["outcomes"] == []


@pytest.mark.slow
def test_add_operator_with_an_agency_operates_its_stations(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ops.db'}"
    made = jointtrack("admin", "--db", url, "add-operator", "esa-ops", "--agency", "ESA")
    assert made.returncode == 0 and made.stdout.startswith("jt_"), made.stderr
    db = Database(url)
    with db.read() as session:
        account = session.scalar(select(Account).where(Account.name == "esa-ops"))
    db.dispose()
    assert account is not None and (account.role, account.stations) == ("operator", "agency:ESA")
    bare = jointtrack("admin", "--db", url, "add-operator", "nobody")
    assert bare.returncode == 2 and bare.stderr == (
        "error: --stations: an operator needs its stations; fix: give --agency A or --stations SELECTOR\n"
    )

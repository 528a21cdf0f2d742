"""Plans as jobs and schedule versions through a real server, on SQLite and PostgreSQL: one job
at a time, versions numbered and immutable, every export format, diffs, the public schedule,
and a scenario the command line plans to the same schedule."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from scheduler.outputs.exports import FORMATS
from tests.service.support import Server, planned, scenario_text, unique, wait_job

API = "/api/v1"


@pytest.fixture(scope="module")
def first(server: Server) -> tuple[str, dict]:
    """A campaign planned once with the greedy solver: (its id, the finished job)."""
    name = unique("plan")
    return name, planned(server, name)


def test_a_plan_is_a_job_that_makes_version_one(server: Server, first: tuple[str, dict]) -> None:
    name, job = first
    assert job["state"] == "done" and job["version"] == 1 and job["error"] is None
    assert job["progress"] == 1.0 and job["params"]["solver"] == "greedy"
    with server.client("NASA") as nasa:
        versions = nasa.get(f"{API}/campaigns/{name}/versions").json()["versions"]
        campaign = nasa.get(f"{API}/campaigns/{name}").json()
    assert [v["version"] for v in versions] == [1]
    assert versions[0]["job"] == job["id"] and versions[0]["created_by"] == "office"
    assert versions[0]["summary"]["solver"] == "greedy" and versions[0]["summary"]["tracks"] > 0
    assert campaign["latest_version"] == 1 and campaign["active_job"] is None


def test_the_schedule_comes_in_every_format_from_the_stored_version(server: Server, first: tuple[str, dict]) -> None:
    name, _ = first
    with server.client("ESA") as esa:
        csv = esa.get(f"{API}/campaigns/{name}/schedule", params={"format": "csv"})
        texts = {f: esa.get(f"{API}/campaigns/{name}/schedule", params={"format": f}) for f in FORMATS}
        esa_only = esa.get(f"{API}/campaigns/{name}/schedule", params={"format": "csv", "agency": "ESA"})
        again = esa.get(
            f"{API}/campaigns/{name}/schedule", params={"format": "csv"}, headers={"If-None-Match": csv.headers["etag"]}
        )
        unknown = esa.get(f"{API}/campaigns/{name}/schedule", params={"format": "pdf"})
    schedule = FORMATS["csv"].read(csv.text)
    assert csv.headers["content-type"].startswith("text/csv") and csv.headers["x-schedule-version"] == "1"
    assert set(schedule.agency) == {"NASA", "ESA"}
    for form, answer in texts.items():
        assert answer.status_code == 200
        back = FORMATS[form].read(answer.text)
        assert sorted(back.track_id) == sorted(schedule.track_id), form  # every format reads back the same tracks
    assert texts["xml"].headers["content-type"].startswith("application/xml")
    assert texts["ics"].headers["content-type"].startswith("text/calendar")
    assert json.loads(texts["json"].text)["scenario"]["name"] == name
    only = FORMATS["csv"].read(esa_only.text)
    assert set(only.agency) == {"ESA"} and len(only) == (schedule.agency == "ESA").sum()
    assert again.status_code == 304
    assert unknown.status_code == 422 and unknown.json()["field"] == "format"


@pytest.mark.slow
def test_a_second_plan_while_one_is_active_is_409(server: Server) -> None:
    name = unique("busy")
    with server.client("office") as office:
        office.post(f"{API}/campaigns", content=scenario_text(name))
        job = office.post(f"{API}/campaigns/{name}/plans", json={"solver": "cpsat", "time_limit_s": 4}).json()["job"]
        second = office.post(f"{API}/campaigns/{name}/plans", json={"solver": "greedy"})
        assert second.status_code == 409
        assert second.json()["error"] == f"campaign {name} already has a job queued or running (job {job})"
        assert wait_job(office, job)["state"] == "done"
        assert office.post(f"{API}/campaigns/{name}/plans", json={"solver": "greedy"}).status_code == 202


def test_plan_options_are_checked(server: Server, first: tuple[str, dict]) -> None:
    name, _ = first
    with server.client("office") as office:
        answer = office.post(f"{API}/campaigns/{name}/plans", json={"solver": "simplex"})
        extra = office.post(f"{API}/campaigns/{name}/plans", json={"time_limit": 5})
    assert answer.status_code == 422 and answer.json()["field"] == "solver"
    assert extra.status_code == 422 and extra.json()["field"] == "time_limit"


@pytest.mark.slow
def test_a_new_plan_is_a_new_version_and_the_diff_says_what_changed(server: Server) -> None:
    name = unique("diff")
    planned(server, name)
    path = f"{API}/campaigns/{name}/requests"
    with server.client("ESA") as esa:
        esa.delete(f"{path}/RELAY", headers={"If-Match": "1"})
    with server.client("office") as office:
        job = office.post(f"{API}/campaigns/{name}/plans", json={"solver": "greedy"}).json()["job"]
        assert wait_job(office, job)["version"] == 2
        one = FORMATS["csv"].read(
            office.get(f"{API}/campaigns/{name}/schedule", params={"version": 1, "format": "csv"}).text
        )
        diff = office.get(f"{API}/campaigns/{name}/versions/1/diff/2").json()
        table = pd.read_csv(
            io.StringIO(office.get(f"{API}/campaigns/{name}/versions/1/diff/2", params={"format": "csv"}).text)
        )
        missing = office.get(f"{API}/campaigns/{name}/versions/1/diff/9")
    relay = one[one.request_id == "RELAY"]
    dropped = [c for c in diff["changes"] if c["change"] == "dropped"]
    assert {c["request_id"] for c in dropped} == {"RELAY"} and len(dropped) == len(relay)
    assert all(c["reason"] == "request withdrawn" for c in dropped)
    assert diff["counts"]["dropped"] == len(relay) and diff["from"] == 1 and diff["to"] == 2
    assert list(table.columns)[:3] == ["change", "request_id", "demand_id"] and len(table) == len(diff["changes"])
    assert missing.status_code == 404 and missing.json()["field"] == "version"


@pytest.mark.slow
def test_a_failed_plan_leaves_the_schedule_as_it_was(server: Server) -> None:
    name = unique("fail")
    planned(server, name)
    impossible = {"id": "ALL-DAY", "mission": "LRO", "target": "moon", "duration": "20h", "critical": True}
    with server.client("NASA") as nasa:
        assert nasa.post(f"{API}/campaigns/{name}/requests", json=impossible).status_code == 201
    with server.client("office") as office:
        before = office.get(f"{API}/campaigns/{name}/schedule", params={"format": "csv"}).text
        job = wait_job(office, office.post(f"{API}/campaigns/{name}/plans", json={"solver": "greedy"}).json()["job"])
        after = office.get(f"{API}/campaigns/{name}/schedule", params={"format": "csv"}).text
        versions = office.get(f"{API}/campaigns/{name}/versions").json()["versions"]
    assert job["state"] == "failed" and job["version"] is None
    assert job["error"].startswith("infeasible: ") and "ALL-DAY" in job["error"]
    assert after == before and [v["version"] for v in versions] == [1]


@pytest.mark.slow
def test_a_public_campaigns_schedule_needs_no_token(server: Server) -> None:
    shown, hidden = unique("public"), unique("private")
    planned(server, shown, scenario_text(shown, public=True))
    planned(server, hidden)
    with server.client() as public:
        assert public.get(f"{API}/campaigns/{shown}/schedule", params={"format": "ics"}).status_code == 200
        assert public.get(f"{API}/campaigns/{hidden}/schedule").status_code == 401
        assert public.get(f"{API}/campaigns/{shown}").status_code == 401  # only the schedule
        assert public.get(f"{API}/campaigns/{shown}/versions").status_code == 401


@pytest.mark.slow
def test_the_campaigns_scenario_plans_to_the_same_schedule_with_the_command_line(
    server: Server, first: tuple[str, dict], tmp_path: Path
) -> None:
    name, _ = first
    with server.client("office") as office:
        (tmp_path / "campaign.yaml").write_text(office.get(f"{API}/campaigns/{name}/scenario").text, encoding="utf-8")
        served = office.get(f"{API}/campaigns/{name}/schedule", params={"format": "csv"}).text
    out = tmp_path / "plan"
    command = [sys.executable, "-m", "scheduler", "plan", "campaign.yaml", "--solver", "greedy", "--time-limit", "5"]
    subprocess.run([*command, "--out", str(out), "--quiet"], cwd=tmp_path, check=True, capture_output=True)
    assert (out / "schedule.csv").read_text(encoding="utf-8") == served


def test_a_versions_files_are_those_the_command_line_writes(server: Server, first: tuple[str, dict]) -> None:
    name, _ = first
    with server.client("JAXA") as jaxa:
        version = jaxa.get(f"{API}/campaigns/{name}/versions/1").json()
        ledger = jaxa.get(f"{API}/campaigns/{name}/versions/1/files/ledger.csv")
        summary = jaxa.get(f"{API}/campaigns/{name}/versions/1/files/summary.json").json()
    assert version["files"] == [
        "coordination.csv", "ledger.csv", "scenario.yaml", "schedule.csv", "summary.json", "unsatisfied.csv",
        "view_periods.csv",
    ]  # fmt: skip
    assert ledger.text.startswith("provider_agency,user_agency,tracks,on_target_h,antenna_h")
    assert summary == version["summary"] and summary["scenario"] == name

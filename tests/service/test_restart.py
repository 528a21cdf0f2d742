"""A server stopped or killed while a plan runs, on SQLite and PostgreSQL: the job is run again
after a restart, and a version is written whole or not at all."""

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from scheduler.service.db.models import Job, Version, VersionFile
from scheduler.service.db.session import Database
from tests.service.support import Server, scenario_text, start_server, unique, wait_job

API = "/api/v1"


def wait_for(predicate: Callable[[], bool], timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def queue_plan(server: Server, name: str, **params: object) -> int:
    with server.client("office") as office:
        assert office.post(f"{API}/campaigns", content=scenario_text(name)).status_code == 201
        return office.post(f"{API}/campaigns/{name}/plans", json=params).json()["job"]


def counts(url: str) -> tuple[int, int, str]:
    """(versions, version files, the job's state) as the database holds them."""
    db = Database(url)
    try:
        with db.read() as session:
            versions = session.scalar(select(func.count()).select_from(Version))
            files = session.scalar(select(func.count()).select_from(VersionFile))
            state = session.scalar(select(Job.state))
        return versions, files, state
    finally:
        db.dispose()


def kill_all(server: Server) -> None:
    """SIGKILL the server and every process it started (its job's process too), as a crash would."""
    os.killpg(server.process.pid, signal.SIGKILL)
    server.process.wait(timeout=30)


@pytest.mark.slow
def test_a_server_killed_mid_write_leaves_no_partial_version_and_the_restart_plans_again(
    fresh: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    url, tokens = fresh
    held = start_server(url, tokens, tmp_path, JOINTTRACK_TEST_STEPS="1", JOINTTRACK_TEST_HOLD="version-files")
    try:
        job = queue_plan(held, unique("killed"), solver="greedy", time_limit_s=5)
        wait_for(lambda: "step: version-files" in held.log_text())  # one file row written, the rest not
    finally:
        kill_all(held)
    assert counts(url) == (0, 0, "running")  # nothing of the version was committed
    restarted = start_server(url, tokens, tmp_path)
    try:
        with restarted.client("office") as office:
            done = wait_job(office, job)
            events = office.get(f"{API}/events").json()["events"]
    finally:
        restarted.stop()
    assert done["state"] == "done" and done["version"] == 1 and done["attempts"] == 2
    assert counts(url) == (1, 7, "done")
    assert [e["action"] for e in events if e["action"].startswith(("plan.", "version."))] == [
        "plan.request",
        "plan.requeue",
        "version.create",
    ]


@pytest.mark.slow
def test_a_job_running_when_the_server_stops_is_run_after_the_restart(
    fresh: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    url, tokens = fresh
    held = start_server(url, tokens, tmp_path, JOINTTRACK_TEST_STEPS="1", JOINTTRACK_TEST_HOLD="search")
    job = queue_plan(held, unique("stopped"), solver="cpsat", time_limit_s=3)
    wait_for(lambda: "step: search" in held.log_text())  # the search has begun
    with held.client("office") as office:
        assert office.get(f"{API}/jobs/{job}").json()["state"] == "running"
    assert held.stop(signal.SIGTERM) == 0  # a clean stop
    assert counts(url)[2] == "queued"
    restarted = start_server(url, tokens, tmp_path)
    try:
        with restarted.client("office") as office:
            done = wait_job(office, job)
    finally:
        restarted.stop()
    assert done["state"] == "done" and done["version"] == 1 and done["attempts"] == 1

"""A real `jointtrack serve` process for the service's tests: databases (SQLite files, or fresh
PostgreSQL databases made and dropped on the server `JOINTTRACK_TEST_POSTGRES` names), accounts,
a server on a free port, and clients holding a token."""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from scheduler.service.db.accounts import add_account
from scheduler.service.db.session import Database

REPO = Path(__file__).resolve().parents[2]
BACKENDS = ["sqlite", "postgresql"]
TINY = (REPO / "tests" / "scenarios" / "tiny-moon.yaml").read_text(encoding="utf-8")


def need_postgres() -> str:
    """The server's URL, or skip (fail when JOINTTRACK_REQUIRE_POSTGRES=1)."""
    reason, url = "", os.environ.get("JOINTTRACK_TEST_POSTGRES", "")
    if not url:
        reason = "JOINTTRACK_TEST_POSTGRES is not set (a PostgreSQL URL such as postgresql+psycopg://postgres@127.0.0.1:5432/test)"
    else:
        try:
            import psycopg

            psycopg.connect(url.replace("+psycopg", ""), connect_timeout=5).close()
        except Exception as exc:
            reason = f"PostgreSQL at {url} is not reachable: {str(exc).splitlines()[0]}"
    if reason:
        if os.environ.get("JOINTTRACK_REQUIRE_POSTGRES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return url


@contextmanager
def database(backend: str, directory: Path) -> Iterator[str]:
    """A fresh, empty database's URL, removed afterwards (a PostgreSQL database of its own)."""
    if backend == "sqlite":
        yield f"sqlite:///{directory / f'jt-{secrets.token_hex(4)}.db'}"
        return
    import psycopg

    url = need_postgres()
    server = url.replace("+psycopg", "")
    name = f"jt_test_{os.getpid()}_{secrets.token_hex(4)}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    base = url.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def accounts(url: str) -> dict[str, str]:
    """A coordinator, three agencies and an operator, by name: their tokens."""
    db = Database(url)
    db.migrate()
    try:
        made = {"office": add_account(db, "office", "coordinator")}
        for agency in ("NASA", "ESA", "JAXA"):
            made[agency] = add_account(db, agency, "agency")
        made["madrid"] = add_account(db, "madrid", "operator", "complex:Madrid")
        return made
    finally:
        db.dispose()


@dataclass
class Server:
    """A running `jointtrack serve` and what the tests need of it."""

    url: str
    db_url: str
    tokens: dict[str, str]
    log: Path
    process: subprocess.Popen
    env: dict[str, str] = field(default_factory=dict)

    def client(self, name: str | None = None, source: str | None = None, **headers: str) -> httpx.Client:
        """A client with `name`'s token (none: the public), from loopback address `source` if given
        (the server counts bad tokens per client address)."""
        if name is not None:
            headers["Authorization"] = f"Bearer {self.tokens[name]}"
        transport = httpx.HTTPTransport(local_address=source) if source else None
        return httpx.Client(base_url=self.url, headers=headers, timeout=60, transport=transport)

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(timeout=60)

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def start_server(db_url: str, tokens: dict[str, str], directory: Path, **env: str) -> Server:
    """`jointtrack serve` on a free port, answering /health."""
    port = free_port()
    log = directory / f"serve-{port}.log"
    environment = {**os.environ, "PYTHONUNBUFFERED": "1", **env}
    process = subprocess.Popen(
        [sys.executable, "-m", "scheduler", "serve", "--db", db_url, "--port", str(port)],
        cwd=directory,
        env=environment,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server = Server(f"http://127.0.0.1:{port}", db_url, tokens, log, process, env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"jointtrack serve ended (exit {process.returncode}):\n{server.log_text()}")
        try:
            if httpx.get(f"{server.url}/health", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    server.stop(signal.SIGKILL)
    raise RuntimeError(f"jointtrack serve did not answer in 60 s:\n{server.log_text()}")


def scenario_text(name: str, base: str = TINY, public: bool = False) -> str:
    """A scenario (tiny-moon by default) renamed, optionally public."""
    text = base.replace("name: tiny-moon", f"name: {name}")
    return text + ("\ncampaign: {public: true}\n" if public else "")


def unique(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(3)}"


def wait_job(client: httpx.Client, job: int, timeout_s: float = 120) -> dict:
    """The job once done or failed."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        state = client.get(f"/api/v1/jobs/{job}").json()
        if state["state"] in ("done", "failed"):
            return state
        time.sleep(0.2)
    raise AssertionError(f"job {job} did not finish in {timeout_s} s: {state}")


def planned(server: Server, name: str, text: str | None = None, **params: object) -> dict:
    """Create campaign `name` (tiny-moon's scenario unless `text`) and plan it; the finished job."""
    with server.client("office") as office:
        made = office.post("/api/v1/campaigns", content=text or scenario_text(name))
        assert made.status_code == 201, made.text
        job = office.post(f"/api/v1/campaigns/{name}/plans", json={"solver": "greedy", "time_limit_s": 5, **params})
        assert job.status_code == 202, job.text
        return wait_job(office, job.json()["job"])

"""`jointtrack admin` and `jointtrack serve` at the command line: a token printed alone and once,
stored only as a slow hash; revocation at once, on a running server too; bad input one line,
exit 2; the service not imported by `jointtrack --help`."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from scheduler.service.db.models import Token
from scheduler.service.db.session import Database
from tests.service.support import Server

TOKEN = re.compile(r"^jt_[0-9a-f]{12}_[A-Za-z0-9_-]{40,}$")


def jointtrack(*arguments: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "scheduler", *arguments]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=120)


@pytest.mark.slow
def test_add_prints_the_token_alone_and_stores_only_its_hash(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'office.db'}"
    made = jointtrack("admin", "--db", url, "add-agency", "NASA")
    assert made.returncode == 0 and made.stderr == ""
    token = made.stdout.strip()
    assert made.stdout == token + "\n" and TOKEN.match(token)
    again = jointtrack("admin", "--db", url, "add-agency", "NASA")
    assert again.returncode == 2 and again.stdout == ""
    assert (
        again.stderr == "error: NAME: NASA already has a token; fix: revoke it first (jointtrack admin revoke NASA)\n"
    )
    db = Database(url)
    with db.read() as session:
        stored = session.scalar(select(Token))
    db.dispose()
    secret = token.split("_", 2)[2]
    assert stored is not None and stored.secret_hash.startswith("scrypt$") and secret not in stored.secret_hash
    assert secret.encode() not in (tmp_path / "office.db").read_bytes()
    revoked = jointtrack("admin", "--db", url, "revoke", "NASA")
    assert revoked.returncode == 0
    assert TOKEN.match(jointtrack("admin", "--db", url, "add-agency", "NASA").stdout.strip())  # a new one


@pytest.mark.parametrize(
    ("arguments", "line"),
    [
        (("admin", "--db", "mysql://x/y", "add-agency", "NASA"), "error: --db: unknown database scheme 'mysql'"),
        (
            ("admin", "--db", "sqlite:///:memory:", "add-agency", "NASA"),
            "error: --db: the service needs a database file",
        ),
        (("admin", "--db", "DB", "revoke", "NOBODY"), "error: NAME: no account named 'NOBODY'"),
        (("admin", "--db", "DB", "add-agency", "bad name!"), "error: NAME: 'bad name!' is not a valid name"),
        (("admin", "--db", "DB", "add-operator", "ops", "--stations", "complex:Atlantis"), "error: --stations: "),
        (("serve", "--db", "postgresql+psycopg://postgres@127.0.0.1:1/none"), "error: --db: cannot open the database"),
        (("serve", "--db", "ftp://x"), "error: --db: unknown database scheme 'ftp'"),
    ],
)
@pytest.mark.slow
def test_bad_input_is_one_line_and_exit_2(arguments: tuple[str, ...], line: str, tmp_path: Path) -> None:
    arguments = tuple(f"sqlite:///{tmp_path / 'x.db'}" if a == "DB" else a for a in arguments)
    done = jointtrack(*arguments, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(line) and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


@pytest.mark.slow
def test_serve_on_a_port_in_use_is_one_line_and_exit_2(server: Server, tmp_path: Path) -> None:
    port = server.url.rsplit(":", 1)[1]
    done = jointtrack("serve", "--db", f"sqlite:///{tmp_path / 'x.db'}", "--port", port, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: --port: cannot listen on 127.0.0.1:{port}") and done.stderr.count("\n") == 1


@pytest.mark.slow
def test_revoke_takes_effect_at_once_on_a_running_server(server: Server) -> None:
    token = jointtrack("admin", "--db", server.db_url, "add-agency", "KARI").stdout.strip()
    import httpx

    headers = {"Authorization": f"Bearer {token}"}
    assert httpx.get(f"{server.url}/api/v1/campaigns", headers=headers).status_code == 200
    assert httpx.get(f"{server.url}/api/v1/campaigns", headers=headers).status_code == 200  # verified, remembered
    assert jointtrack("admin", "--db", server.db_url, "revoke", "KARI").returncode == 0
    assert httpx.get(f"{server.url}/api/v1/campaigns", headers=headers).status_code == 401


def test_help_does_not_import_the_service() -> None:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "scheduler", "--help"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and "serve" in done.stdout and "admin" in done.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    assert not {"fastapi", "sqlalchemy", "uvicorn", "scheduler.service"} & imported

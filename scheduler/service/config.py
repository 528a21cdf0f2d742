"""The service's settings: where its database is, where it listens, and its limits."""

import os
from dataclasses import dataclass
from pathlib import Path

from scheduler.errors import InputError

DEFAULT_DB = "sqlite:///jointtrack.db"
SCHEMES = ("sqlite", "postgresql", "postgresql+psycopg")


@dataclass(frozen=True)
class ServiceSettings:
    """How one server runs. Every figure has a default a scheduling office can keep."""

    db_url: str = DEFAULT_DB
    host: str = "127.0.0.1"
    port: int = 8000
    max_body_bytes: int | None = None  # larger bodies get 413; None: the scenario size limit
    session_hours: float = 12.0  # a page session lasts this long after log-in
    token_cache_s: float = 300.0  # a verified token skips the slow hash for this long (revocation still at once)
    free_bad_tokens: int = 5  # bad tokens a client may send in `bad_token_window_s` before each is slowed
    bad_token_window_s: float = 300.0
    max_bad_token_delay_s: float = 8.0
    lockout_bad_tokens: int = 50  # past this many in the window, unverified tokens from the client get 429
    job_lease_s: float = 60.0  # a running job whose runner was silent this long is run again
    max_job_attempts: int = 3  # a job interrupted this many times fails instead

    def body_limit(self) -> int:
        return self.max_body_bytes if self.max_body_bytes is not None else scenario_limit()


def scenario_limit() -> int:
    """The scenario size limit of the command line (imported late: `admin` needs no scenarios)."""
    from scheduler.inputs.yaml_file import MAX_FILE_BYTES

    return MAX_FILE_BYTES


def database_url(text: str) -> str:
    """A database URL for SQLAlchemy, or an InputError naming `--db`: `sqlite:///PATH`,
    `postgresql+psycopg://user@host/db` (`postgresql://` means the same), or a file path."""
    value = text.strip()
    if not value:
        raise InputError("--db", "", "no database given", f"give a URL such as {DEFAULT_DB} or a file path")
    if "://" not in value:
        return f"sqlite:///{Path(value)}"
    scheme, _, rest = value.partition("://")
    if scheme not in SCHEMES:
        raise InputError(
            "--db",
            "",
            f"unknown database scheme {scheme!r}",
            "use sqlite:///PATH or postgresql+psycopg://USER@HOST[:PORT]/DATABASE",
        )
    if scheme == "sqlite":
        path = rest.removeprefix("/")
        if path in ("", ":memory:") or path.startswith("file:"):
            raise InputError(
                "--db", "", "the service needs a database file that outlives one process", "use sqlite:///PATH"
            )
        return value
    if not rest.split("/", 1)[0] or "/" not in rest or not rest.split("/", 1)[1].split("?")[0]:
        raise InputError("--db", "", f"{value!r} names no host or database", "use postgresql+psycopg://USER@HOST/DB")
    return f"postgresql+psycopg://{rest}"


def settings_from(db: str | None, host: str = "127.0.0.1", port: int = 8000) -> ServiceSettings:
    """Settings from the command line; `JOINTTRACK_DB` stands in for a missing `--db`."""
    url = database_url(db if db is not None else os.environ.get("JOINTTRACK_DB", DEFAULT_DB))
    return ServiceSettings(db_url=url, host=host, port=port)

"""The database engine and its transactions: SQLite (WAL, busy timeout, foreign keys, writers
serialised by `BEGIN IMMEDIATE`) or PostgreSQL through psycopg 3; migrations applied at start.

`read()` and `write()` each give one transaction. A write on SQLite takes the database's write
lock when it begins, so two writers never both read and then fail to upgrade; on PostgreSQL the
store modules lock the rows they change (`SELECT … FOR UPDATE`).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import anyio.to_thread
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from scheduler.errors import InputError

T = TypeVar("T")
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
BUSY_TIMEOUT_MS = 30_000
MIGRATION_LOCK = 254_221  # PostgreSQL advisory lock: one process migrates at a time


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        pool_size=20,
        max_overflow=20,
    )

    @event.listens_for(engine, "connect")
    def _connect(connection: Any, _record: Any) -> None:
        connection.isolation_level = None  # transactions begun below, as each session asks
        for pragma in ("journal_mode=WAL", f"busy_timeout={BUSY_TIMEOUT_MS}", "foreign_keys=ON", "synchronous=NORMAL"):
            connection.execute(f"PRAGMA {pragma}")

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        options = connection.get_execution_options()
        if options.get("one_statement"):
            return  # one SELECT is its own snapshot: no BEGIN … ROLLBACK round trip
        connection.exec_driver_sql("BEGIN IMMEDIATE" if options.get("writing") else "BEGIN")

    return engine


class Database:
    """One database: its engine, transactions and migrations."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.dialect = "sqlite" if url.startswith("sqlite") else "postgresql"
        if self.dialect == "sqlite":
            self.engine = _sqlite_engine(url)
        else:
            self.engine = create_engine(url, pool_size=20, max_overflow=20, pool_pre_ping=True, pool_recycle=1800)
        self._writer = self.engine.execution_options(writing=True)
        self._quick = self.engine.execution_options(one_statement=True)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only transaction."""
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    async def quickly(self, read: Callable[..., T], *arguments: Any) -> T:
        """`read(*arguments)`, one prepared SELECT or two, from an async route: on the event loop
        for SQLite (a local file, microseconds, no thread hop), in a worker thread for PostgreSQL
        (a network round trip must not stall the loop)."""
        if self.dialect == "sqlite":
            return read(*arguments)
        return await anyio.to_thread.run_sync(read, *arguments)

    def fetch_one(self, statement: Any, **parameters: Any) -> Any:
        """The first row of one SELECT (None if none): the cheapest read, for the busiest routes
        (build `statement` once, with `bindparam`s, to skip SQLAlchemy's per-call compile work)."""
        with self._quick.connect() as connection:
            return connection.execute(statement, parameters).first()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One writing transaction: committed whole at the end of the block, or rolled back."""
        with Session(self._writer, expire_on_commit=False) as session, session.begin():
            yield session

    def lock_for_update(self, statement: Any) -> Any:
        """`statement` that locks its rows until commit (SQLite's write lock covers it already)."""
        return statement if self.dialect == "sqlite" else statement.with_for_update()

    def migrate(self) -> None:
        """Bring the schema to the newest migration, or raise an InputError naming `--db`."""
        from alembic import command
        from alembic.config import Config
        from alembic.util.exc import CommandError

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        try:
            with self._writer.begin() as connection:
                if self.dialect == "postgresql":
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except CommandError as exc:
            raise InputError(
                "--db", "", f"the database's schema is not one this jointtrack knows ({exc})", "upgrade jointtrack"
            ) from None
        except (OperationalError, DBAPIError) as exc:
            raise unreachable(self.url, exc) from None

    def ping(self) -> None:
        """Answer one query (raises if the database is unreachable)."""
        with self.read() as session:
            session.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()


def unreachable(url: str, exc: Exception) -> InputError:
    """The one-line error for a database that cannot be opened or reached."""
    reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return InputError(
        "--db", "", f"cannot open the database {safe_url(url)}: {reason}", "check the URL, and that the server runs"
    )


def safe_url(url: str) -> str:
    """The URL with any password hidden, fit for messages and logs."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)

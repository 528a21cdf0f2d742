"""Fixtures of the service's tests: per backend (SQLite always; PostgreSQL when
JOINTTRACK_TEST_POSTGRES names a reachable server), one real server shared by every test (each
test works in campaigns of its own), and fresh databases for tests that stop servers."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.service.support import BACKENDS, Server, accounts, database, start_server


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="session")
def server(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server per backend for the whole run, on a database of its own."""
    directory = tmp_path_factory.mktemp(f"serve-{backend}")
    with database(backend, directory) as url:
        running = start_server(url, accounts(url), directory)
        try:
            yield running
        finally:
            running.stop()


@pytest.fixture
def fresh(backend: str, tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """A database of a test's own, with the accounts (for tests that stop and start servers)."""
    with database(backend, tmp_path) as url:
        yield url, accounts(url)

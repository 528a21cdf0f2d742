"""Fixtures of the service's tests: per backend (SQLite always; PostgreSQL when
JOINTTRACK_TEST_POSTGRES names a reachable server), a real server shared by a module's tests."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.service.support import BACKENDS, Server, accounts, database, start_server


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module")
def server(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server per module and backend, on a database of its own."""
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

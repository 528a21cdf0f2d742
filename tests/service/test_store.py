"""The store on SQLite and PostgreSQL: migrations make exactly the models' schema, and writers
in several processes at once lose nothing, their events numbered without gaps."""

import multiprocessing
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from scheduler.service.campaign_scenario import read_posted
from scheduler.service.db.accounts import Principal
from scheduler.service.db.campaigns import create_campaign, snapshot
from scheduler.service.db.events import read_events
from scheduler.service.db.models import Base
from scheduler.service.db.requests import add_request
from scheduler.service.db.session import Database
from tests.service.support import BACKENDS, accounts, database, scenario_text

OFFICE = Principal("office", "coordinator", None, 0)


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    with database(request.param, tmp_path) as made:
        accounts(made)
        yield made


def test_migrations_make_the_models_schema_and_run_once(url: str) -> None:
    db = Database(url)
    db.migrate()  # again: nothing to do
    with db.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    db.dispose()


def write_requests(url: str, agency: str, count: int) -> None:
    db = Database(url)
    actor = Principal(agency, "agency", None, 0)
    for n in range(count):
        add_request(db, actor, "store", {"id": f"{agency}-{n}", "mission": agency, "target": "moon", "duration": "1h"})
    db.dispose()


@pytest.mark.slow
def test_writers_in_several_processes_lose_nothing(url: str) -> None:
    db = Database(url)
    create_campaign(db, OFFICE, read_posted(scenario_text("store")))
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=write_requests, args=(url, agency, 8)) for agency in ("NASA", "ESA", "JAXA")]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=300)
    assert [w.exitcode for w in writers] == [0, 0, 0]
    stored = {r.request_id for r in snapshot(db, "store").requests}
    assert stored == {"LUNAR", "RED", "RELAY"} | {f"{a}-{n}" for a in ("NASA", "ESA", "JAXA") for n in range(8)}
    events = read_events(db, None, 0)
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))  # in commit order, no gap
    assert sum(e["action"] == "request.create" for e in events) == 24
    assert snapshot(db, "store").campaign.revision == 24
    db.dispose()

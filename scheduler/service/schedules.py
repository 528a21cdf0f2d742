"""A version's schedule, exports and diffs, made from its stored files with the existing
exporters and the scenario the version was planned from.

Versions never change, so what is made from one (its parsed schedule and scenario, each export
text) is kept in memory, least recently used out first: readers of the schedule cost a lookup.
"""

import io
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

import pandas as pd

from scheduler.inputs import Scenario, load_scenario_text
from scheduler.outputs.exports import FORMATS, context_from_scenario
from scheduler.outputs.schedule_diff import schedule_diff
from scheduler.outputs.schedule_table import read_schedule_text
from scheduler.problem.periods import demand_id, period_spans
from scheduler.service.db.session import Database
from scheduler.service.db.versions import one_version, version_files
from scheduler.service.errors import ServiceError
from scheduler.service.work import SCENARIO_FILE

MEDIA = {"csv": "text/csv", "json": "application/json", "ics": "text/calendar", "xml": "application/xml"}
Form = Literal["csv", "json", "ics", "xml"]


@dataclass(frozen=True)
class VersionData:
    """What a version's pages and exports need, parsed once."""

    number: int
    created_at: datetime
    scenario: Scenario
    schedule: pd.DataFrame
    files: dict[str, str]

    def table(self, name: str) -> pd.DataFrame:
        return pd.read_csv(io.StringIO(self.files[name]), dtype=str, keep_default_na=False)


class Lru:
    """A small least-recently-used map, safe across threads."""

    def __init__(self, size: int) -> None:
        self.size, self._items, self._lock = size, OrderedDict[Any, Any](), threading.Lock()
        self._making: dict[Any, threading.Lock] = {}  # one lock per key being made

    def peek(self, key: Any) -> Any:
        """The value kept for `key`, or None (nothing is made)."""
        with self._lock:
            return self._items.get(key)

    def get(self, key: Any, make: Callable[[], Any]) -> Any:
        """The value for `key`, made by one thread while any others asking for it wait."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            making = self._making.setdefault(key, threading.Lock())
        with making:
            with self._lock:
                if key in self._items:
                    return self._items[key]
            value = make()
            with self._lock:
                self._items[key] = value
                self._making.pop(key, None)
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
        return value


class Schedules:
    """Versions' schedules as tables and export texts, cached."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._versions, self._texts = Lru(32), Lru(512)

    def version(self, campaign: str, number: int) -> VersionData:
        def load() -> VersionData:
            row = one_version(self.db, campaign, number)
            files = version_files(self.db, campaign, number)
            scenario = load_scenario_text(files[SCENARIO_FILE], f"campaign {campaign}, version {number}")
            schedule = read_schedule_text(files["schedule.csv"], f"campaign {campaign}, version {number}")
            return VersionData(number, row.created_at, scenario, schedule, files)

        return self._versions.get((campaign, number), load)

    def kept_export(self, campaign: str, number: int, form: str, agency: str | None) -> str | None:
        """The export if it was made already (no work: fit for the event loop), else None."""
        return self._texts.peek((campaign, number, form, agency))

    def export(self, campaign: str, number: int, form: str, agency: str | None) -> str:
        """The version's schedule (one agency's tracks, or all) as csv, json, ics or xml."""
        if form not in FORMATS:
            raise ServiceError(422, f"unknown format {form!r}", "format", f"use one of {', '.join(FORMATS)}")

        def make() -> str:
            data = self.version(campaign, number)
            schedule = data.schedule if agency is None else data.schedule[data.schedule.agency == agency]
            context = replace(context_from_scenario(data.scenario), generated=data.created_at)
            return FORMATS[form].write(schedule.reset_index(drop=True), context)

        return self._texts.get((campaign, number, form, agency), make)

    def memo(self, key: tuple, make: Callable[[], Any]) -> Any:
        """Something made from versions (which never change), made once."""
        return self._texts.get(key, make)

    def diff(self, campaign: str, old: int, new: int) -> pd.DataFrame:
        """diff.csv's rows from version `old` to version `new`."""

        def make() -> pd.DataFrame:
            was, now = self.version(campaign, old), self.version(campaign, new)
            before = {r.id for r in was.scenario.requests}
            after = {r.id for r in now.scenario.requests}
            return schedule_diff(
                was.schedule, now.schedule, demand_namer(now.scenario, was.scenario), before - after, after - before
            )

        return self._texts.get((campaign, old, new, "diff"), make)


def demand_namer(*scenarios: Scenario) -> Callable[[str, pd.Timestamp], str]:
    """`demand_of(request, start)`: the demand id a track starting then counts for (`ID#n`)."""
    requests = {}
    for scenario in reversed(scenarios):  # the first scenario's request wins
        requests |= {r.id: (r.per, scenario) for r in scenario.requests}

    def demand_of(request_id: str, start: pd.Timestamp) -> str:
        if request_id not in requests:
            return request_id
        per, scenario = requests[request_id]
        horizon = int((scenario.end - scenario.start).total_seconds())
        spans = period_spans(per, horizon)
        at = int((start - pd.Timestamp(scenario.start)).total_seconds())
        number = next((n for n, (a, b) in enumerate(spans) if a <= at < b), 0)
        return demand_id(request_id, number, len(spans))

    return demand_of

"""What a schedule table alone does not say, but an export needs: the scenario and its antennas."""

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

import pandas as pd

from scheduler.inputs import Scenario
from stations import Station, load_catalog

Grouping = Literal["station", "mission"]
# What a schedule is to the network: a plan or proposal not yet agreed, or the agreed baseline.
ScheduleStatus = Literal["provisional", "operational"]
STATUSES: tuple[str, ...] = ("provisional", "operational")
UNKNOWN_AGENCY = "UNKNOWN"


def generation_time() -> datetime:
    """Now, in whole UTC seconds; `SOURCE_DATE_EPOCH` pins it for reproducible files."""
    pinned = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if pinned.isdigit():
        return datetime.fromtimestamp(int(pinned), UTC)
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(frozen=True)
class ExportContext:
    """The scenario a schedule came from (when known), its antennas, when the export is made, and
    whether the schedule is provisional (a plan, a proposal) or operational (the agreed baseline)."""

    scenario: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    stations: Mapping[str, Station] = field(default_factory=dict)
    near_earth_targets: frozenset[str] = frozenset({"moon"})
    generated: datetime = field(default_factory=generation_time)
    by: Grouping = "station"
    status: ScheduleStatus = "provisional"

    def site(self, station_id: str) -> str:
        """The antenna's complex (its site), or the antenna id when unknown."""
        station = self.stations.get(station_id)
        return station.complex if station else station_id

    def antenna_agency(self, station_id: str) -> str:
        station = self.stations.get(station_id)
        return station.agency if station else UNKNOWN_AGENCY

    def horizon(self, schedule: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
        """The scenario's horizon, widened to every activity in the schedule."""
        bounds = [pd.Timestamp(t) for t in (self.start, self.end) if t is not None]
        if not schedule.empty:
            bounds += [schedule.setup_start.min(), schedule.teardown_end.max()]
        if not bounds:
            now = pd.Timestamp(self.generated)
            return now, now
        return min(bounds), max(bounds)


def context_from_scenario(
    scenario: Scenario, by: Grouping = "station", status: ScheduleStatus = "provisional"
) -> ExportContext:
    """Everything known: the scenario's horizon, stations and which targets are near Earth."""
    return ExportContext(
        scenario=scenario.name,
        start=scenario.start,
        end=scenario.end,
        stations={s.id: s for s in scenario.stations},
        near_earth_targets=frozenset(t.id for t in scenario.targets if t.body == "moon"),
        by=by,
        status=status,
    )


def context_from_catalog(
    schedule: pd.DataFrame, by: Grouping = "station", status: ScheduleStatus = "provisional"
) -> ExportContext:
    """Without a scenario: antennas that are catalog ids get their catalog entries."""
    catalog = load_catalog()
    used = {str(s) for s in schedule.station.unique()}
    return ExportContext(stations={s: catalog[s] for s in sorted(used) if s in catalog}, by=by, status=status)

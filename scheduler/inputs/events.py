"""Events that call for a repair (README: Repair): outages, urgent requests, withdrawn requests.

An event file is YAML, validated as strictly as a scenario (unknown keys are errors):

    outages:                      # antennas lost for a while (failure, weather, maintenance)
      - {station: DSS-43, start: 2026-12-07T10:00:00Z, end: 2026-12-07T16:00:00Z, reason: hydraulics}
    requests:                     # new urgent requests: same keys as scenario requests
      - {id: SAFE-MODE, mission: MRO, agency: NASA, target: mars, priority: 1, duration: 2h}
    targets:                      # new targets the new requests point at (same keys as scenario targets)
      - {id: COMET, ra_deg: 120.5, dec_deg: -12.0}
    withdrawn: [RELAY]            # request ids no longer wanted

`apply_event` turns scenario + event into the modified scenario that the repair plans.
"""

import re
from pathlib import Path

from pydantic import Field, ValidationError, model_validator

from scheduler.errors import InputError
from scheduler.inputs.fields import DowntimeSpec, Identifier, Strict
from scheduler.inputs.messages import input_error
from scheduler.inputs.requests import RequestSpec
from scheduler.inputs.scenario import Scenario, resolve_scenario
from scheduler.inputs.targets import TargetSpec
from scheduler.inputs.yaml_file import parse_yaml, read_input_text
from stations import resolve_stations
from stations.selectors import SelectorError


class EventSpec(Strict):
    """What changed since a schedule was planned."""

    outages: tuple[DowntimeSpec, ...] = ()
    requests: tuple[RequestSpec, ...] = Field(default=(), description="new urgent requests")
    targets: tuple[TargetSpec, ...] = Field(default=(), description="targets of the new requests")
    withdrawn: tuple[Identifier, ...] = Field(default=(), description="ids of requests no longer wanted")

    @model_validator(mode="after")
    def _something_happened(self) -> "EventSpec":
        if not (self.outages or self.requests or self.withdrawn):
            raise ValueError("the event has no outages, requests or withdrawn requests")
        return self


def load_event(path: str | Path) -> EventSpec:
    """Read and validate an event file; any problem is an `InputError` naming the field."""
    source = str(path)
    text = read_input_text(path, "event")
    data = parse_yaml(text, source)
    try:
        return EventSpec.model_validate(data)
    except ValidationError as exc:
        raise input_error(exc, data, source) from None


def apply_event(scenario: Scenario, event: EventSpec, source: str) -> Scenario:
    """The scenario as it stands after the event: outages become downtime, new requests and
    targets are added, withdrawn requests (and their locked tracks) removed.

    References are checked against the scenario; errors name the event file `source`."""
    spec = scenario.spec
    request_ids = {r.id for r in spec.requests}
    for index, gone in enumerate(event.withdrawn):
        if gone not in request_ids:
            raise InputError(
                source, f"withdrawn[{index}]", f"unknown request {gone!r}", "name a request id of the scenario"
            )
    target_ids = {t.id for t in spec.targets}
    for index, target in enumerate(event.targets):
        if target.id in target_ids:
            raise InputError(
                source, f"targets[{index}].id", f"the scenario already has target {target.id!r}", "give a new id"
            )
        target_ids.add(target.id)
    base = Path(source).resolve().parent
    new_targets = tuple(  # an event's OEM files lie beside the event file
        t if t.oem is None or Path(t.oem).is_absolute() else t.model_copy(update={"oem": str(base / t.oem)})
        for t in event.targets
    )
    kept = [r for r in spec.requests if r.id not in event.withdrawn]
    for index, request in enumerate(event.requests):
        where = f"requests[{index}] ({request.id})"
        if request.id in {r.id for r in kept}:
            raise InputError(source, f"{where}.id", f"the scenario already has request {request.id!r}", "give a new id")
        if request.target not in target_ids:
            raise InputError(
                source, f"{where}.target", f"unknown target {request.target!r}", "add it under targets: of the event"
            )
        kept.append(request)
    for index, outage in enumerate(event.outages):
        try:
            resolve_stations([outage.station], scenario.stations)
        except SelectorError:
            raise InputError(
                source,
                f"outages[{index}].station",
                f"{outage.station!r} matches none of the scenario's stations",
                "name a station of the scenario (id or selector)",
            ) from None
    modified = spec.model_copy(  # parts already validated; cross-references are checked by resolve_scenario
        update={
            "targets": (*spec.targets, *new_targets),
            "requests": tuple(kept),
            "downtime": (*spec.downtime, *event.outages),
            "locked": tuple(lock for lock in spec.locked if lock.request not in event.withdrawn),
        }
    )
    firsts = {"requests": len(kept) - len(event.requests), "targets": len(spec.targets)}
    try:
        return resolve_scenario(modified, scenario.source)
    except InputError as exc:  # a new request or target that does not fit: name it in the event
        index = re.match(r"(requests|targets)\[(\d+)\]", exc.field)
        if index is None or int(index.group(2)) < firsts[index.group(1)]:
            raise
        number = int(index.group(2)) - firsts[index.group(1)]
        field = f"{index.group(1)}[{number}]" + exc.field[index.end() :]
        raise InputError(source, field, exc.problem, exc.fix) from None

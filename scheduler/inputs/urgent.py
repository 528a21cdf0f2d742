"""The urgent request file of `jointtrack insert` (README: Urgent insertion): one request in
scenario keys and, when it points at a target the scenario lacks, that target.

    request: {id: SAFE-MODE, mission: MRO, agency: NASA, target: mars, priority: 1, duration: 2h,
              window: {start: 2026-12-03T00:00:00Z, end: 2026-12-04T00:00:00Z}}
    target: {id: COMET, ra_deg: 120.5, dec_deg: -12.0}      # only for a target the scenario lacks

An urgent request asks for one track. Keys that describe several tracks or a chain of them
(`tracks` above 1, `continuous`, `split`, `volume`, `after`, `max_gap`, `spread`) are refused:
ask for those in a repair event.
"""

import re
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from scheduler.errors import InputError
from scheduler.inputs.events import EventSpec, apply_event
from scheduler.inputs.fields import Strict
from scheduler.inputs.messages import input_error
from scheduler.inputs.requests import RequestSpec
from scheduler.inputs.scenario import Scenario
from scheduler.inputs.targets import TargetSpec
from scheduler.inputs.yaml_file import parse_yaml, read_input_text

Tier = Literal["emergency", "late-add"]
TIERS: tuple[Tier, ...] = ("emergency", "late-add")
MANY_TRACKS = ("continuous", "split", "volume", "after", "max_gap", "spread")


class UrgentSpec(Strict):
    """One urgent request, and its target when the scenario lacks it."""

    request: RequestSpec
    target: TargetSpec | None = None


def load_urgent(path: str | Path) -> UrgentSpec:
    """Read and validate a request file; any problem is an `InputError` naming the field."""
    source = str(path)
    return urgent_from_data(parse_yaml(read_input_text(path, "request"), source), source)


def urgent_from_data(data: object, source: str = "<request>") -> UrgentSpec:
    """Validate a request given as data (parsed YAML or JSON); errors name `source` and the field."""
    try:
        urgent = UrgentSpec.model_validate(data)
    except ValidationError as exc:
        raise input_error(exc, data, source) from None
    check_one_track(urgent.request, source)
    return urgent


def check_one_track(request: RequestSpec, source: str) -> None:
    """An urgent request asks for exactly one track."""
    fix = "ask for one track here; ask for more in a repair event (jointtrack repair)"
    if request.tracks != 1:
        raise InputError(source, "request.tracks", f"asks for {request.tracks} tracks, an insertion places one", fix)
    for key in MANY_TRACKS:
        if getattr(request, key) not in (None, False):
            raise InputError(source, f"request.{key}", f"{key} describes more than one track", fix)


def with_urgent(scenario: Scenario, urgent: UrgentSpec, tier: Tier, source: str) -> Scenario:
    """The scenario with the urgent request (marked `inserted: TIER`) and its target added; a
    request or target that does not fit the scenario is an error naming the request file."""
    request = urgent.request.model_copy(update={"inserted": tier})
    targets = () if urgent.target is None else (urgent.target,)
    event = EventSpec.model_construct(outages=(), requests=(request,), targets=targets, withdrawn=())
    try:
        return apply_event(scenario, event, source)
    except InputError as exc:
        if exc.file != source:
            raise
        field = re.sub(r"^requests\[0\]( \([^)]*\))?", "request", exc.field)
        raise InputError(source, re.sub(r"^targets\[0\]", "target", field), exc.problem, exc.fix) from None

"""A campaign's scenario: read from a posted YAML body, written back as YAML, and every request
checked in it by the scenario models, with the command line's messages.

A campaign keeps its scenario without the requests (`base`) and each request as its own row;
`scenario_yaml` puts them together again, in the order the requests were added, as a file the
command line plans to the same schedule. Service settings ride beside the scenario keys under
`campaign:` (`public: true` publishes the schedule). Files beside a scenario (OEM trajectories,
view-period CSVs) cannot come with a posted body, so they are refused rather than looked for on
the server.
"""

import math
from dataclasses import dataclass
from typing import Any

import yaml
from pydantic import ValidationError

from scheduler.errors import InputError
from scheduler.inputs import Scenario, ScenarioSpec
from scheduler.inputs.fields import Strict
from scheduler.inputs.messages import input_error
from scheduler.inputs.scenario import resolve_scenario
from scheduler.inputs.yaml_file import parse_yaml

SETTINGS_KEY = "campaign"
NO_FILES = "the service keeps no files beside a scenario"
NO_FILES_FIX = "give the target as a body or as ra_deg/dec_deg, or plan this scenario with the command line"


class CampaignSettings(Strict):
    """A campaign's service settings (not scenario keys)."""

    public: bool = False  # anyone may read the published schedule, without a token


@dataclass(frozen=True)
class PostedCampaign:
    """A posted scenario split as the database keeps it."""

    name: str
    base: dict[str, Any]
    requests: list[dict[str, Any]]
    settings: dict[str, Any]


def plain(value: Any, where: str, source: str) -> Any:
    """`value` as JSON-ready data (string keys, finite numbers), or an InputError naming `where`."""
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise InputError(source, where, "has a key that is not text", "quote the key")
        return {k: plain(v, f"{where}.{k}".lstrip("."), source) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v, f"{where}[{i}]", source) for i, v in enumerate(value)]
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError(source, where, "is not a finite number", "write a finite number")
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise InputError(source, where, f"holds a {type(value).__name__}", "write text, numbers, lists and mappings only")


def settings_from(data: Any, source: str) -> dict[str, Any]:
    try:
        return CampaignSettings.model_validate(data or {}).model_dump()
    except ValidationError as exc:
        error = input_error(exc, data, source)
        raise InputError(source, f"{SETTINGS_KEY}.{error.field}", error.problem, error.fix) from None


def no_files(document: dict[str, Any], source: str) -> None:
    if document.get("view_periods") is not None:
        raise InputError(source, "view_periods", NO_FILES, "let the service compute the view periods")
    for index, target in enumerate(document.get("targets") or []):
        if isinstance(target, dict) and target.get("oem") is not None:
            raise InputError(source, f"targets[{index}] ({target.get('id')}).oem", NO_FILES, NO_FILES_FIX)


def check_scenario(document: dict[str, Any], source: str) -> Scenario:
    """The scenario the document makes, checked as `jointtrack plan` checks a file."""
    no_files(document, source)
    try:
        spec = ScenarioSpec.model_validate(document)
    except ValidationError as exc:
        raise input_error(exc, document, source) from None
    return resolve_scenario(spec, source)


def read_posted(text: str, source: str = "scenario") -> PostedCampaign:
    """A posted scenario YAML (with optional `campaign:` settings), checked whole."""
    data = plain(parse_yaml(text, source), "", source)
    settings = settings_from(data.pop(SETTINGS_KEY, None), source)
    scenario = check_scenario(data, source)
    requests = data.pop("requests", None) or []
    return PostedCampaign(scenario.name, data, requests, settings)


def scenario_document(base: dict[str, Any], requests: list[dict[str, Any]]) -> dict[str, Any]:
    return {**base, "requests": requests}


def scenario_yaml(base: dict[str, Any], requests: list[dict[str, Any]]) -> str:
    """The scenario as a YAML file for the command line."""
    return yaml.safe_dump(scenario_document(base, requests), sort_keys=False, allow_unicode=True, width=120)


def check_requests(base: dict[str, Any], requests: list[dict[str, Any]], index: int | None, source: str) -> None:
    """Check the campaign's scenario with `requests`; an error in `requests[index]` is reported
    on the request's own field (`duration`, `window.start`), as the request's form shows it."""
    try:
        check_scenario(scenario_document(base, requests), source)
    except InputError as error:
        if index is None:
            raise
        raise relative(error, index, requests[index].get("id")) from None


def relative(error: InputError, index: int, request_id: Any) -> InputError:
    """The error with `requests[i] (ID).` taken off its field, when it is about that request."""
    for prefix in (f"requests[{index}] ({request_id})", f"requests[{index}]"):
        if error.field == prefix or error.field.startswith((prefix + ".", prefix + "[")):
            field = error.field.removeprefix(prefix).lstrip(".") or "(request)"
            return InputError(error.file, field, error.problem, error.fix)
    return error

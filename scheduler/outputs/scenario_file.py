"""A scenario written back as YAML (`scenario.yaml` of `jointtrack insert`): the scenario as it
stands after a change, loadable from anywhere to validate, repair or insert into the schedule
written beside it. Keys are the ones the scenario gave (defaults left out); files named by a
relative path (OEM trajectories, view periods) are named by absolute path; volumes in bits
(`RequestSpec` dumps them so)."""

from pathlib import Path

import yaml

from scheduler.inputs import Scenario


def scenario_yaml(scenario: Scenario, note: str) -> str:
    """The scenario's YAML text, opening with `note` as a comment."""
    data = scenario.spec.model_dump(mode="json", exclude_unset=True)
    source = Path(scenario.source)
    base = source.parent if source.is_file() else Path.cwd()
    for target in data.get("targets", []):
        if "oem" in target:
            target["oem"] = str((base / target["oem"]).resolve())
    if data.get("view_periods") is not None:
        data["view_periods"] = str((base / data["view_periods"]).resolve())
    comment = "".join(f"# {line}\n" for line in note.splitlines())
    return comment + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120)

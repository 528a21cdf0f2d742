"""Inputs: scenario files validated into typed models and resolved against the station catalog,
repair events, and view periods given as files. Every problem with an input is an `InputError`
naming the file, the field and the fix (docs/design.md: Scenario file, Exit codes)."""

from scheduler.inputs.requests import RequestSpec
from scheduler.inputs.scenario import Scenario, load_scenario, load_scenario_text
from scheduler.inputs.spec import ScenarioSpec
from scheduler.inputs.targets import TargetSpec

__all__ = ["RequestSpec", "Scenario", "ScenarioSpec", "TargetSpec", "load_scenario", "load_scenario_text"]

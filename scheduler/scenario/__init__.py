"""Scenario files: what to plan, validated into typed models."""

from scheduler.scenario.load import Scenario, load_scenario, load_scenario_text
from scheduler.scenario.model import ScenarioSpec
from scheduler.scenario.requests import RequestSpec
from scheduler.scenario.targets import TargetSpec

__all__ = ["RequestSpec", "Scenario", "ScenarioSpec", "TargetSpec", "load_scenario", "load_scenario_text"]

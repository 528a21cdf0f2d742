"""The allocation problem: plain data that every solver works on. Demands (one per request and
accounting period) with the opportunities their view periods offer, antennas, downtime, locked
and previous tracks, and objective weights — built from a scenario (`build.py`) or a SatNet week,
scored exactly as CP-SAT maximises it (`scoring.py`), snapped to the resolution grid, cut to
time windows, and checked for size before a model is built."""

from scheduler.problem.types import Demand, Downtime, Opportunity, Problem, Track, Weights, priority_weight

__all__ = ["Demand", "Downtime", "Opportunity", "Problem", "Track", "Weights", "priority_weight"]

"""Tracks judged by the view periods a scenario gives (`view_periods:` CSV) instead of astropy: each
row's time on target lies inside a given period of its target from its station, or from the array
its group's simultaneous rows form (a station cell `A+B`), within the validator's time tolerance."""

from collections import defaultdict

import pandas as pd

from scheduler.check.violation import TIME_TOLERANCE_S, Violation
from scheduler.inputs import RequestSpec, Scenario
from scheduler.inputs.view_period_csv import array_members
from scheduler.timeutil import format_time


def check_given_periods(scenario: Scenario, requests: dict[str, RequestSpec], rows: pd.DataFrame) -> list[Violation]:
    """One violation per row on target outside every given period that could hold it."""
    assert scenario.view_periods is not None
    periods: dict[tuple[frozenset[str], str], list[tuple[pd.Timestamp, pd.Timestamp]]] = defaultdict(list)
    for item in scenario.view_periods.itertuples():
        periods[(frozenset(array_members(item.station)), item.target)].append((item.start, item.end))
    slack = pd.Timedelta(seconds=TIME_TOLERANCE_S)
    found = []
    for item in rows.itertuples():
        target = requests[item.request_id].target
        together = (
            rows[
                (rows.request_id == item.request_id)
                & (rows.group == item.group)
                & (rows.start == item.start)
                & (rows.end == item.end)
            ]
            if item.group
            else rows.iloc[0:0]
        )
        candidates = [frozenset([item.station]), frozenset(together.station)]
        inside = any(
            start - slack <= item.start and item.end <= end + slack
            for antennas in candidates
            for start, end in periods.get((antennas, target), [])
        )
        if not inside:
            span = f"{format_time(item.start)}..{format_time(item.end)}"
            detail = (
                f"{span} on {item.station} lies in no view period of {target} given by {scenario.spec.view_periods}"
            )
            found.append(Violation(item.track_id, "target not visible", detail))
    return found

"""Independent re-check of a schedule against its scenario.

Shares no constraint code with the model or the visibility engine: elevation comes from
astropy's own AltAz transformation, overlaps and counts from the schedule rows alone.
"""

import pandas as pd

from scheduler.scenario import Scenario
from scheduler.validate.rules import check_counts, check_overlaps, check_rows
from scheduler.validate.violation import Violation
from scheduler.validate.visibility import check_visibility

__all__ = ["Violation", "validate_schedule"]


def validate_schedule(scenario: Scenario, schedule: pd.DataFrame) -> list[Violation]:
    """Every broken rule, one entry per offending track (or pair of tracks)."""
    requests = {r.id: r for r in scenario.requests}
    known = schedule.request_id.isin(requests.keys())
    problems = [Violation(row.track_id, "unknown request", row.request_id) for row in schedule[~known].itertuples()]
    rows = schedule[known]
    problems += check_rows(scenario, requests, rows)
    problems += check_counts(scenario, requests, rows)
    problems += check_overlaps(scenario, schedule)
    problems += check_visibility(scenario, requests, rows)
    return problems

"""Check: the independent validator. Re-checks a schedule against its scenario, rule by rule,
and a solver's tracks against the allocation problem itself, sharing no constraint code with the
model or the visibility engine: elevation comes from astropy's own AltAz transformation, overlaps,
counts and request semantics from the schedule rows and the scenario alone (README: Validator)."""

from scheduler.check.validator import schedule_notes, validate_schedule
from scheduler.check.violation import Violation

__all__ = ["Violation", "schedule_notes", "validate_schedule"]

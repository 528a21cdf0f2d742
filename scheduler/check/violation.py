"""A broken rule found by the validator."""

from dataclasses import dataclass

import pandas as pd

TIME_TOLERANCE_S = 1.0


@dataclass(frozen=True)
class Violation:
    track_id: str
    rule: str
    detail: str

    def __str__(self) -> str:
        return f"{self.track_id}: {self.rule}: {self.detail}"


def seconds_between(a: pd.Timestamp, b: pd.Timestamp) -> float:
    return (b - a).total_seconds()

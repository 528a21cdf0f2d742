"""Request semantics that make no sense fail as one-line input errors naming the field."""

import pytest

from scheduler.errors import InputError
from scheduler.inputs import load_scenario_text
from tests.support.model_support import SEMANTICS

HEAD = """
name: bad
start: 2026-12-01T00:00:00Z
end: 2026-12-01T12:00:00Z
stations:
  - {id: TEST-1, kind: radio, lat_deg: 40.0, lon_deg: -4.0, height_m: 800, complex: NORTH}
  - {id: TEST-2, kind: radio, lat_deg: 40.1, lon_deg: -4.1, height_m: 800, complex: NORTH}
  - {id: TEST-3, kind: radio, lat_deg: 35.0, lon_deg: 140.0, height_m: 100, complex: EAST}
targets:
  - {id: pole, ra_deg: 0.0, dec_deg: 89.999}
requests:
"""
WINDOW = "window: {start: 2026-12-01T00:00:00Z, end: 2026-12-01T12:00:00Z}"


@pytest.mark.parametrize(
    ("request_line", "field", "words"),
    [
        ("{id: A, mission: M, target: pole, duration: 2h, split: {min_segment: 3h}}", "requests[0] (A)", "min_segment"),
        ("{id: A, mission: M, target: pole, duration: 2h, split: {min_segment: 1h}, min_gap: 1h}", "(A)", "min_gap"),
        (f"{{id: A, mission: M, target: pole, duration: 2h, continuous: true, tracks: 2, {WINDOW}}}", "(A)", "tracks"),
        (
            f"{{id: A, mission: M, target: pole, duration: 2h, continuous: true, handover: 2h, {WINDOW}}}",
            "(A)",
            "handover",
        ),
        ("{id: A, mission: M, target: pole, duration: 2h, array: 3}", "requests[0] (A).array", "no complex has 3"),
        ("{id: A, mission: M, target: pole, duration: 2h, complexes: 3}", "requests[0] (A).complexes", "2 complexes"),
        ("{id: A, mission: M, target: pole, duration: 61s}", "requests[0] (A).duration", "multiple of the resolution"),
    ],
)
def test_meaningless_semantics_are_input_errors(request_line: str, field: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        load_scenario_text(HEAD + f"  - {request_line}\n")
    message = str(caught.value)
    assert field in message and words in message and "\n" not in message


def test_overlapping_locked_tracks_are_an_input_error() -> None:
    from scheduler.problem.build import build_problem
    from scheduler.sky.visibility import compute_view_periods

    text = (SEMANTICS / "locked.yaml").read_text()
    text += "  - {request: A, stations: [TEST-1], start: 2026-12-01T01:00:00Z, end: 2026-12-01T06:00:00Z}\n"  # 5 h
    scenario = load_scenario_text(text)
    with pytest.raises(InputError, match=r"locked\[1\].*overlaps locked\[0\] on TEST-1"):
        build_problem(scenario, compute_view_periods(scenario))

"""Helpers for the proposal tests: small pole scenarios with hand-written baselines."""

from pathlib import Path

import pandas as pd

from scheduler.outputs.schedule_table import SCHEDULE_COLUMNS

DAY = "2026-12-01"
# Two antennas at different complexes (their own ids) that always see targets near the pole;
# 30 min setup, 15 min teardown.
STATIONS = """stations:
  - {id: TEST-A, kind: radio, lat_deg: 40.0, lon_deg: -4.0, height_m: 800, min_elevation_deg: 10,
     setup: 30m, teardown: 15m, agency: TEST, bands: [X]}
  - {id: TEST-B, kind: radio, lat_deg: 40.0, lon_deg: 20.0, height_m: 800, min_elevation_deg: 10,
     setup: 30m, teardown: 15m, agency: TEST, bands: [X]}
"""
TARGETS = """targets:
  - {id: pole, ra_deg: 0.0, dec_deg: 89.999}
  - {id: near, ra_deg: 90.0, dec_deg: 89.5}
"""


def scenario_text(requests: str, extra: str = "") -> str:
    """A 12-hour scenario on the two test antennas with these request lines (YAML list items)."""
    head = f"name: proposal\nstart: {DAY}T00:00:00Z\nend: {DAY}T12:00:00Z\n"
    return head + STATIONS + TARGETS + "requests:\n" + requests + extra


def baseline_frame(rows: list[tuple[str, str, str, str, str, str]]) -> pd.DataFrame:
    """A baseline schedule from (request, agency, target, station, start HH:MM, end HH:MM) rows,
    each track with the antennas' 30 min setup and 15 min teardown; the mission is the request's."""
    records = []
    for number, (request, agency, target, station, start, end) in enumerate(rows, start=1):
        on, off = pd.Timestamp(f"{DAY}T{start}:00Z"), pd.Timestamp(f"{DAY}T{end}:00Z")
        records.append(
            {
                "track_id": f"T{number:04d}",
                "request_id": request,
                "mission": request,
                "agency": agency,
                "target": target,
                "station": station,
                "setup_start": on - pd.Timedelta(minutes=30),
                "start": on,
                "end": off,
                "teardown_end": off + pd.Timedelta(minutes=15),
                "group": "",
                "bits": "",
                "band": "",
            }
        )
    return pd.DataFrame(records, columns=SCHEDULE_COLUMNS)


def write_case(folder: Path, text: str, baseline: pd.DataFrame) -> tuple[Path, Path]:
    """The scenario and baseline written into `folder` (scenario.yaml, baseline.csv)."""
    from scheduler.outputs.schedule_table import schedule_csv

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "scenario.yaml").write_text(text)
    (folder / "baseline.csv").write_text(schedule_csv(baseline))
    return folder / "scenario.yaml", folder / "baseline.csv"


def party(parties: pd.DataFrame, agency: str) -> dict:
    """One agency's row of the party table, without the agency."""
    row = parties[parties.agency == agency]
    assert len(row) == 1, f"{agency} is not a party: {parties.agency.tolist()}"
    return {k: v.item() if hasattr(v, "item") else v for k, v in row.iloc[0].drop("agency").items()}

"""Every CSV file we write is safe to open in a spreadsheet (issue 28 §5; OWASP, CSV injection): a
cell that starts with =, +, -, @, a tab or a carriage return gets a leading apostrophe, numbers
stay numbers, and our readers take the apostrophe off again, so schedules round-trip."""

import io
from pathlib import Path

import pandas as pd
import pytest

import scheduler
from scheduler.cli.app import app, run
from scheduler.csv_cells import neutralise, restore
from scheduler.inputs import load_scenario_text
from scheduler.solvers import SolverSettings
from scheduler.workflows.plan import run_plan
from tests.conftest import POLE_STATIONS_AND_TARGET

FORMULAS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]
HOSTILE = (
    "name: formulas\nstart: 2026-12-01T00:00:00Z\nend: 2026-12-01T12:00:00Z\n"
    + POLE_STATIONS_AND_TARGET.replace("agency: TEST}", "agency: '=1+2', complex: '@HOME'}").lstrip("\n")
    + "requests:\n  - {id: A, mission: M, agency: '=cmd|\"/c calc\"!A0', target: pole, priority: 1, duration: 2h}\n"
    + '  - {id: B, mission: N, agency: "\'quoted", target: pole, priority: 2, duration: 2h}\n'
)


@pytest.mark.parametrize("cell", FORMULAS)
def test_a_formula_cell_is_text_and_comes_back_as_it_was(cell: str) -> None:
    written = neutralise(cell)
    assert written == "'" + cell
    assert restore(written) == cell


@pytest.mark.parametrize("cell", ["-12.5", "+3", "-1e-3", "0", "DSS-14", "2026-12-01T00:00:00Z", ""])
def test_numbers_and_plain_text_are_left_alone(cell: str) -> None:
    assert neutralise(cell) == cell


def test_a_leading_apostrophe_is_escaped_too_so_reading_undoes_exactly_what_writing_did() -> None:
    assert neutralise("'quoted") == "''quoted"
    assert restore(neutralise("'quoted")) == "'quoted"


@pytest.fixture(scope="module")
def hostile_plan():
    return run_plan(load_scenario_text(HOSTILE), SolverSettings(time_limit_s=5, workers=1, seed=0, solver="greedy"))


def cells(text: str) -> list[str]:
    return [c for row in pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False).to_numpy() for c in row]


@pytest.mark.parametrize("name", ["schedule.csv", "ledger.csv", "unsatisfied.csv", "view_periods.csv"])
def test_no_cell_of_our_csv_files_starts_a_formula(hostile_plan, name: str) -> None:
    text = hostile_plan.files()[name]
    found = [c for c in cells(text) if c[:1] in ("=", "+", "@", "\t", "\r") or (c[:1] == "-" and not _number(c))]
    assert found == []
    if name in ("schedule.csv", "ledger.csv"):
        assert '\'=cmd|"/c calc"!A0' in cells(text)
    if name == "ledger.csv":
        assert "'=1+2" in cells(text)  # the antennas' agency


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_negative_numbers_stay_numbers_in_view_periods() -> None:
    from scheduler.sky.visibility import view_periods_csv

    table = pd.DataFrame(
        {"station": ["S"], "target": ["T"], "start": [pd.Timestamp("2026-12-01T00:00:00Z")],
         "end": [pd.Timestamp("2026-12-01T01:00:00Z")], "max_elevation_deg": [-0.5]}
    )  # fmt: skip
    assert view_periods_csv(table).splitlines()[1].endswith(",-0.5")


@pytest.mark.slow
def test_our_schedule_round_trips_through_validate_export_and_repair(hostile_plan, tmp_path: Path) -> None:
    scenario = tmp_path / "formulas.yaml"
    scenario.write_text(HOSTILE)
    path = tmp_path / "schedule.csv"
    path.write_text(hostile_plan.files()["schedule.csv"])
    back = scheduler.api.load_scenario(scenario)
    assert scheduler.validate(back, path) == []
    assert set(pd.read_csv(path, dtype=str).agency) == {'\'=cmd|"/c calc"!A0', "''quoted"}
    exported = scheduler.export(path, "csv")
    assert exported == hostile_plan.files()["schedule.csv"]
    json_text = scheduler.export(path, "json")
    assert '"agency": "=cmd|\\"/c calc\\"!A0"' in json_text and '"\'quoted"' in json_text
    event = tmp_path / "event.yaml"
    event.write_text("outages:\n  - {station: TEST-A, start: 2026-12-01T09:00:00Z, end: 2026-12-01T10:00:00Z}\n")
    assert run(lambda: app(["repair", str(scenario), str(path), "--event", str(event), "--out", str(tmp_path / "r"),
                            "--quiet", "--time-limit", "3"])) == 0  # fmt: skip
    assert (tmp_path / "r" / "diff.csv").exists()


def test_the_station_catalog_csv_is_neutralised(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from stations.model import Station
    from stations.records import stations_csv

    station = Station(id="X-1", kind="radio", lat_deg=1, lon_deg=1, height_m=1, agency="=1+2", name="-danger")
    assert "'=1+2" in stations_csv([station]) and "'-danger" in stations_csv([station])


def test_column_names_from_user_data_are_neutralised_too() -> None:
    """sweep.csv names a column after each agency: `=1+2_h`."""
    from scheduler.csv_cells import csv_text

    text = csv_text(pd.DataFrame({"variant": ["baseline"], "=1+2_h": [1.5], "U_max": [-0.0]}))
    assert text.splitlines() == ["variant,'=1+2_h,U_max", "baseline,1.5,-0.0"]

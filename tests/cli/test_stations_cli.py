"""`jointtrack stations`: the catalog as a user lists it, in every output format."""

import csv
import io
import json

import pytest

from stations import Station, load_catalog
from stations.records import COLUMNS
from tests.cli.test_cli import jointtrack


def test_table_lists_every_entry_with_its_source() -> None:
    result = jointtrack("stations")
    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if line.startswith("│")]
    assert len(rows) == len(load_catalog()) >= 35
    assert f"{len(rows)} entries" in result.stdout
    assert all(row.rstrip("│ ").split("│")[-1].strip() for row in rows), "a row without source"


def test_csv_has_the_catalog_keys_and_one_sourced_row_per_station() -> None:
    result = jointtrack("stations", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) >= 35
    assert len({r["agency"] for r in rows}) >= 7
    assert sum(r["kind"] == "optical" for r in rows) >= 6
    assert all(r["source"] for r in rows)
    dss14 = next(r for r in rows if r["id"] == "DSS-14")
    assert (dss14["bands"], dss14["setup"], json.loads(dss14["horizon_mask"])) == ("S X", "1h", [[0.0, 6.0]])


def test_json_records_load_back_as_inline_stations() -> None:
    result = jointtrack("stations", "--format", "json", "--kind", "optical")
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert len(records) >= 6
    for record in records:
        station = Station.model_validate(record)
        assert station.kind == "optical" and station.source == record["source"]


def test_radio_records_carry_their_gt_and_load_back() -> None:
    result = jointtrack("stations", "--format", "json", "--select", "DSS-14", "--select", "MDSS-54")
    records = {r["id"]: r for r in json.loads(result.stdout)}
    assert records["MDSS-54"]["receive"]["X"]["gt_dbk"] == 53.8
    station = Station.model_validate(records["DSS-14"])
    assert station.receive == load_catalog()["DSS-14"].receive


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--agency", "ESA"], {"DSA-1", "DSA-2", "DSA-3", "KIR-1", "MSP-1", "IZANA-OGS"}),
        (["--agency", "esa", "--kind", "optical"], {"IZANA-OGS"}),
        (["--select", "complex:Madrid", "--select", "band:Ka"], None),
    ],
)
def test_filters_pick_the_same_stations_as_selectors(args: list[str], expected: set[str] | None) -> None:
    result = jointtrack("stations", "--format", "json", *args)
    assert result.returncode == 0, result.stderr
    picked = {r["id"] for r in json.loads(result.stdout)}
    if expected is None:  # union of the two selectors
        assert {"DSS-53", "DSS-63", "DSS-65", "DSS-25", "DSA-3"} <= picked and "DSS-43" not in picked
    else:
        assert picked == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "laser"], "error: --kind: unknown kind 'laser'; fix: use radio or optical"),
        (["--format", "xml"], "error: --format: unknown format 'xml'; fix: use table, csv or json"),
        (["--agency", "NOBODY"], "error: --agency: 'agency:NOBODY' matches no station"),
        (["--select", "DSS-44"], "error: --select: unknown station 'DSS-44' (did you mean"),
    ],
)
def test_bad_options_exit_2_with_one_line(args: list[str], message: str) -> None:
    result = jointtrack("stations", *args)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(message)

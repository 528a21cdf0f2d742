"""Malformed SatNet files are one line and exit 2 (issue 28 §4), in `solve`, `verify` and
`to-scenario` alike: every value is read as what it must be (Unix times in range, hours and minutes
of a plannable length, whole subjects, one-line ids), and a resource that names an antenna twice
(`DSS-34_DSS-34`) is refused rather than solved into a solution `verify` rejects (§2)."""

import copy
import json
from pathlib import Path

import pytest

from scheduler.cli.app import app, run
from tests.conftest import REPO

DATA = REPO / "tests" / "data" / "satnet"
WEEK = json.loads((DATA / "tiny_week.json").read_text())


def resource(old: str, new: str):
    def change(week: list) -> None:
        week[0]["resource_vp_dict"][new] = week[0]["resource_vp_dict"].pop(old)

    return change


def value(key: str, given: object):
    def change(week: list) -> None:
        week[0][key] = given

    return change


def trx(given: float):
    def change(week: list) -> None:
        week[0]["resource_vp_dict"]["DSS-14"][0]["TRX ON"] = given

    return change


def reversed_window(week: list) -> None:
    week[0]["time_window_start"], week[0]["time_window_end"] = week[0]["time_window_end"], week[0]["time_window_start"]


CASES = [
    (value("subject", "abc"), "[0] (A).subject: expected a finite number, got 'abc'"),
    (value("subject", None), "[0] (A).subject: expected a finite number, got None"),
    (value("subject", 1e400), "[0] (A).subject: expected a finite number, got inf"),
    (value("subject", 1.5), "[0] (A).subject: expected a whole number, got 1.5"),
    (value("duration", 1e300), "[0] (A).duration: 1e+300 hours"),
    (value("setup_time", 1e300), "[0] (A).setup_time: 1e+300 minutes"),
    (trx(-1e12), "TRX ON: -1000000000000.0 is not a Unix time within 1678-01-01..2262-04-11"),
    (resource("DSS-14", "DSS-34_"), "resource 'DSS-34_' has an empty antenna name"),
    (resource("DSS-14", "DSS-34_DSS-34"), "resource 'DSS-34_DSS-34' names antenna DSS-34 twice"),
    (reversed_window, "[0] (A).time_window_end: is before time_window_start"),
    (value("track_id", "A\nB"), "track_id 'A\\nB' is empty, longer than 128 characters or holds a control character"),
    (value("track_id", None), "[0].track_id: track_id must be text, got None"),
    (value("resource_vp_dict", {"DSS-14": 5}), "DSS-14: expected a JSON array of view periods"),
]


def one_line(arguments: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = run(lambda: app(arguments))
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    return code, lines[0]


@pytest.mark.parametrize(("change", "said"), CASES)
def test_a_malformed_week_is_one_line_in_every_command(
    change, said: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    week = copy.deepcopy(WEEK)
    change(week)
    path = tmp_path / "week.json"
    path.write_text(json.dumps(week).replace("Infinity", "1e400"))
    for arguments in (
        ["satnet", "solve", str(path), "--out", str(tmp_path / "out"), "--time-limit", "5", "--quiet"],
        ["satnet", "verify", str(path), str(DATA / "tiny_week.json")],
        ["satnet", "to-scenario", str(path), "--out", str(tmp_path / "week.yaml")],
    ):
        code, line = one_line(arguments, capsys)
        assert code == 2 and said in line and "week.json" in line, (arguments, line)
    assert not (tmp_path / "out").exists() and not (tmp_path / "week.yaml").exists()


@pytest.mark.parametrize(
    ("row", "said"),
    [
        ("1,2023,1700071200,inf,DSS-14", "row 2.endtime: expected a finite number, got inf"),
        ("1,2023,1700071200,1e400,DSS-14", "row 2.endtime: expected a finite number, got inf"),
        ("1,2023,soon,1700078400,DSS-14", "row 2.starttime: 'soon' is not Unix seconds"),
        ("1,2023,1700071200,1700078400,", "row 2.antenna: antenna '' is empty"),
    ],
)
def test_a_malformed_maintenance_row_is_one_line(
    row: str, said: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    maintenance = tmp_path / "maintenance.csv"
    maintenance.write_text("week,year,starttime,endtime,antenna\n" + row + "\n")
    arguments = ["satnet", "solve", str(DATA / "tiny_week.json"), "--maintenance", str(maintenance)]
    code, line = one_line([*arguments, "--out", str(tmp_path / "out"), "--quiet"], capsys)
    assert code == 2 and said in line


def test_a_solution_with_a_null_track_id_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert run(lambda: app(["satnet", "solve", str(DATA / "tiny_week.json"), "--out", str(out), "--quiet"])) == 0
    solution = json.loads((out / "solution.json").read_text())
    solution[0]["TRACK_ID"] = None
    solution[1]["START_TIME"] = 1e400
    (tmp_path / "bad.json").write_text(json.dumps(solution).replace("Infinity", "1e400"))
    capsys.readouterr()
    code, line = one_line(["satnet", "verify", str(DATA / "tiny_week.json"), str(tmp_path / "bad.json")], capsys)
    assert code == 2 and "[0].TRACK_ID: TRACK_ID must be text, got None" in line


def test_to_scenario_refuses_an_antenna_a_scenario_cannot_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    week = copy.deepcopy(WEEK)
    resource("DSS-14", "34")(week)
    path = tmp_path / "week.json"
    path.write_text(json.dumps(week))
    code, line = one_line(["satnet", "to-scenario", str(path), "--out", str(tmp_path / "week.yaml")], capsys)
    assert code == 2 and "antenna '34' is not in the station catalog" in line
    assert not (tmp_path / "week.yaml").exists()

"""A schedule given to validate, export or repair is checked before any rule sees it (issue 28 §4,
§5, §6): one line naming the row and the column, exit 2 — never exit 70, a hang, a fake array or
an export of nonsense; a file or a DataFrame alike."""

import math
from pathlib import Path

import pandas as pd
import pytest

import scheduler
from scheduler.cli.app import app, run
from scheduler.errors import InputError
from scheduler.inputs.schedule_file import MAX_FILE_BYTES, read_schedule_csv
from tests.conftest import SCENARIOS

TINY = SCENARIOS / "pole-one-antenna.yaml"
EVENT = "outages:\n  - {station: TEST-1, start: 2026-12-01T02:00:00Z, end: 2026-12-01T03:00:00Z}\n"


@pytest.fixture(scope="module")
def planned(pole_plan) -> str:
    return pole_plan.files()["schedule.csv"]


def one_line(arguments: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = run(lambda: app(arguments))
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    return code, lines[0]


def commands(path: Path) -> list[list[str]]:
    """validate, export and repair of the schedule at `path`."""
    event = path.with_name("event.yaml")
    event.write_text(EVENT)
    return [
        ["validate", str(TINY), str(path)],
        ["export", str(path), "--format", "ics"],
        ["repair", str(TINY), str(path), "--event", str(event), "--out", str(path.with_name("out")), "--quiet"],
    ]


def changed(planned: str, row: int, column: str, value: str) -> str:
    table = pd.read_csv(pd.io.common.StringIO(planned), dtype=str, keep_default_na=False)
    table.loc[row, column] = value
    return table.to_csv(index=False)


@pytest.mark.parametrize(
    ("column", "value", "said"),
    [
        ("end", "", "line 2 end: is empty"),
        ("start", "  ", "line 2 start: is empty"),
        ("end", "2300-01-01T00:00:00Z", "lies outside 1678-01-01..2262-04-11"),
        ("start", "2026-12-01T12:59:60Z", "second 60 exists only as a leap second"),
        ("bits", "abc", "line 2 bits: 'abc' is not a number of bits"),
        ("bits", "nan", "'nan' is not a number of bits"),
        ("bits", "1e400", "'1e400' is not a number of bits"),
        ("bits", "-5", "'-5' is not a number of bits"),
        ("agency", "NA\nSA", "line 2 agency: 'NA\\nSA' holds a control character"),
        ("mission", "A\tB", "holds a control character"),
        ("end", "2026-12-01T00:10:00Z", "end is not after start"),
    ],
)
@pytest.mark.slow
def test_a_bad_cell_is_one_line_naming_row_and_column_in_every_command(
    planned: str, column: str, value: str, said: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "schedule.csv"
    path.write_text(changed(planned, 0, column, value))
    for arguments in commands(path):
        code, line = one_line(arguments, capsys)
        assert code == 2 and said in line and "schedule.csv" in line, (arguments, line)
    assert not (tmp_path / "out").exists()


def test_a_repeated_track_id_is_named(planned: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Not "rows share group " with a blank name (issue 28 §6)."""
    path = tmp_path / "schedule.csv"
    path.write_text(changed(planned, 1, "track_id", "T0001"))
    for arguments in commands(path):
        code, line = one_line(arguments, capsys)
        assert code == 2 and "line 3 track_id: track_id 'T0001' is also on line 2" in line


def test_repeated_rows_of_one_track_are_no_array(
    planned: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`repair` once read two rows of one track on DSS-43 as the array `DSS-43 DSS-43`."""
    table = pd.read_csv(pd.io.common.StringIO(planned), dtype=str, keep_default_na=False)
    twin = table.iloc[[0]].assign(track_id="T9999")
    doubled = pd.concat([table.assign(group=["G1", *table.group[1:]]), twin.assign(group="G1")])
    path = tmp_path / "schedule.csv"
    path.write_text(doubled.to_csv(index=False))
    code, line = one_line(commands(path)[2], capsys)
    assert code == 2 and "track T9999: is a second row of T0001's track on TEST-1" in line


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_a_device_as_schedule_is_named_for_what_it_is(device: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, line = one_line(["validate", str(TINY), device], capsys)
    assert code == 2 and f"{device}: is a character device, not a schedule file" in line


def test_a_directory_as_schedule_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, line = one_line(["export", str(tmp_path), "--format", "csv"], capsys)
    assert code == 2 and "is a directory, not a schedule file" in line


def test_a_schedule_larger_than_the_cap_is_refused_unread(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as file:
        file.truncate(6 * 1024**3)  # a sparse 6 GB file: reading it whole would not end well
    code, line = one_line(["validate", str(TINY), str(path)], capsys)
    assert code == 2 and f"is larger than {MAX_FILE_BYTES // 1_000_000} MB" in line


def test_a_binary_schedule_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "schedule.csv"
    path.write_bytes(b"track_id,request_id\x00\x01\x02")
    code, line = one_line(["validate", str(TINY), str(path)], capsys)
    assert code == 2 and "is not a text file (it holds NUL bytes)" in line


def test_a_leap_second_in_a_schedule_is_the_next_second(planned: str, tmp_path: Path) -> None:
    text = changed(planned, 0, "setup_start", "2026-11-30T23:59:60Z")
    path = tmp_path / "schedule.csv"
    path.write_text(text)
    assert read_schedule_csv(path).setup_start.iloc[0] == pd.Timestamp("2026-12-01T00:00:00Z")


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (lambda t: t.drop(columns=["station"]), "header: missing columns station"),
        (lambda t: t.assign(start=math.nan), "row 0 start: is empty"),
        (lambda t: t.assign(station=None), "row 0 station: is empty"),
        (lambda t: t.assign(bits=1.5), "row 0 bits: '1.5' is not a number of bits"),
        (lambda t: t.assign(start=object()), "row 0 start: is not an ISO-8601 UTC time"),
        (lambda t: t.to_dict(), "expected a pandas DataFrame or a schedule.csv path, got dict"),
        (lambda t: t.set_index("track_id"), "header: missing columns track_id"),
    ],
)
def test_the_api_raises_input_error_for_a_bad_dataframe(pole_plan, change, said: str) -> None:
    """Not KeyError or AttributeError (issue 28 §5)."""
    bad = change(pole_plan.schedule.copy())
    for call in (
        lambda: scheduler.validate(TINY, bad),
        lambda: scheduler.export(bad, "xml"),
        lambda: scheduler.validation_notes(TINY, bad),
    ):
        with pytest.raises(InputError, match=said.replace("(", r"\(").replace(")", r"\)")):
            call()


def test_a_dataframe_with_naive_times_is_read_as_utc(pole_plan) -> None:
    naive = pole_plan.schedule.copy()
    for column in ("setup_start", "start", "end", "teardown_end"):
        naive[column] = naive[column].dt.tz_localize(None)
    assert scheduler.validate(TINY, naive) == []


def test_a_track_reaching_2200_is_an_outside_horizon_violation_found_at_once(
    planned: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Within the span of times, far outside the horizon: the validator once sampled its 174 years
    every 10 minutes (9 million looks, gigabytes)."""
    path = tmp_path / "schedule.csv"
    path.write_text(
        changed(changed(planned, 0, "end", "2200-12-01T01:30:00Z"), 0, "teardown_end", "2200-12-01T01:45:00Z")
    )
    assert run(lambda: app(["validate", str(TINY), str(path)])) == 1
    out = capsys.readouterr().out
    assert "T0001: outside horizon: 2026-12-01T00:30:00Z..2200-12-01T01:30:00Z" in out
    assert run(lambda: app(["export", str(path), "--format", "xml", "--out", str(tmp_path / "s.xml")])) == 0

"""Big and hostile inputs: a 50 MB scenario, YAML alias bombs, deep nesting, a million-line OEM,
OEM epochs out of order or repeated, NaN and infinities wherever numbers are read, XML with
DTDs and external entities. Each is one line and exit 2 (or, where legitimate, read correctly)
within 60 s and 1 GiB; no local file is ever read through an XML entity."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from scheduler.cli.app import app, run
from scheduler.inputs.trajectory import TrajectoryError, read_oem
from scheduler.outputs.exports import SsfInvalid, read_ssf
from tests.conftest import POLE_STATIONS_AND_TARGET, REPO

OEM = REPO / "scenarios" / "lunar-transfer.oem"
GIB_KIB = 1024 * 1024
PEAK = """
import resource, sys
from scheduler.cli.app import app, run
code = run(lambda: app(sys.argv[1:]))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
sys.exit(code)
"""


def plan_in_child(*arguments: str) -> tuple[int, list[str], int]:
    """`plan ARGUMENTS` in a child process: exit code, stderr lines, peak memory (KiB)."""
    result = subprocess.run(
        [sys.executable, "-c", PEAK, "plan", *arguments], capture_output=True, text=True, timeout=60
    )
    return result.returncode, result.stderr.strip().splitlines(), int(result.stdout.strip().splitlines()[-1])


def plan_in_process(scenario: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = run(lambda: app(["plan", str(scenario), "--out", str(scenario.parent / "out"), "--quiet"]))
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    assert not (scenario.parent / "out").exists()
    return code, lines[0]


def scenario_text(requests: str = "", extra: str = "") -> str:
    head = "name: hostile\nstart: 2026-12-01T00:00:00Z\nend: 2026-12-02T00:00:00Z\n"
    return (
        head
        + POLE_STATIONS_AND_TARGET.lstrip("\n")
        + extra
        + "requests:\n"
        + (requests or "  - {id: P, mission: M, target: pole, priority: 1, duration: 1h}\n")
    )


@pytest.mark.slow
def test_a_50_mb_scenario_is_refused_in_one_line_within_60_s_and_1_gib(tmp_path: Path) -> None:
    request = "  - {id: R%d, mission: M, target: pole, priority: 1, duration: 1h, stations: [TEST-A]}\n"
    body = "".join(request % n for n in range(50_000))
    copies = 49_000_000 // len(body)  # just under the 50 MB that is refused unread
    path = tmp_path / "huge.yaml"
    path.write_text(scenario_text("".join(body.replace("id: R", f"id: C{c}-R") for c in range(copies))))
    assert path.stat().st_size > 45_000_000
    code, lines, peak_kib = plan_in_child(str(path), "--out", str(tmp_path / "out"), "--quiet")
    assert code == 2
    assert len(lines) == 1 and "holds more than 300,000 values (aliases expanded)" in lines[0]
    assert peak_kib < GIB_KIB


def test_a_yaml_alias_bomb_is_refused_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    laughs = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    laughs += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]  # 9^10 values
    (tmp_path / "bomb.yaml").write_text(scenario_text(extra="description: x\n") + "\n".join(laughs) + "\n")
    code, line = plan_in_process(tmp_path / "bomb.yaml", capsys)
    assert code == 2
    assert "bomb.yaml: line 19, column" in line and "holds more than 300,000 values (aliases expanded)" in line


@pytest.mark.slow
def test_a_request_list_amplified_by_aliases_is_refused_within_60_s_and_1_gib(tmp_path: Path) -> None:
    """Two million aliases of one request: 8 MB that would be two million requests to validate
    (the loader before this check ran past 120 s)."""
    request = "&r {id: P, mission: M, target: pole, priority: 1, duration: 1h}"
    text = scenario_text().split("requests:")[0] + f"requests: [{request}{', *r' * 2_000_000}]\n"
    (tmp_path / "amplified.yaml").write_text(text)
    code, lines, peak_kib = plan_in_child(str(tmp_path / "amplified.yaml"), "--out", str(tmp_path / "out"), "--quiet")
    assert code == 2
    assert len(lines) == 1 and "amplified.yaml: line 11, column " in lines[0]
    assert "holds more than 300,000 values (aliases expanded)" in lines[0]
    assert peak_kib < GIB_KIB


@pytest.mark.parametrize("depth", [40, 10_000])
def test_deep_nesting_is_refused_in_one_line(depth: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "deep.yaml").write_text(scenario_text(extra=f"description: {'[' * depth}{']' * depth}\n"))
    code, line = plan_in_process(tmp_path / "deep.yaml", capsys)
    assert code == 2
    assert "deep.yaml: line 11, column" in line and ("nested more than 32 levels" in line or "nesting depth" in line)
    assert "fix: flatten the file" in line


def test_nan_and_infinity_in_a_scenario_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = scenario_text().replace("dec_deg: 89.999", "dec_deg: .nan")
    (tmp_path / "nan.yaml").write_text(text)
    code, line = plan_in_process(tmp_path / "nan.yaml", capsys)
    assert code == 2 and "targets[0] (pole).dec_deg: Input should be a finite number (got nan)" in line
    (tmp_path / "nan.yaml").write_text(scenario_text().replace("duration: 1h", "duration: .inf"))
    code, line = plan_in_process(tmp_path / "nan.yaml", capsys)
    assert code == 2 and "requests[0] (P).duration: not a duration of a plannable length: inf" in line


def test_nan_in_a_view_period_csv_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "vp.csv").write_text(
        "station,target,start,end,max_elevation_deg\nTEST-A,pole,2026-12-01T01:00:00Z,2026-12-01T05:00:00Z,inf\n"
    )
    (tmp_path / "given.yaml").write_text(scenario_text(extra="view_periods: vp.csv\n"))
    code, line = plan_in_process(tmp_path / "given.yaml", capsys)
    assert code == 2 and "vp.csv: max_elevation_deg must be a number or empty (finite)" in line


def test_nan_in_satnet_json_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    week = json.loads((REPO / "tests" / "data" / "satnet" / "tiny_week.json").read_text())
    week[0]["duration"] = float("nan")
    (tmp_path / "week.json").write_text(json.dumps(week))  # Python writes NaN, which JSON does not allow
    code = run(lambda: app(["satnet", "solve", str(tmp_path / "week.json"), "--out", str(tmp_path / "out")]))
    lines = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and "week.json: not valid JSON (NaN is not a number JSON allows)" in lines[0]


def oem_lines(path: Path) -> list[str]:
    return OEM.read_text(encoding="utf-8").splitlines()


def first_state(lines: list[str]) -> int:
    return next(k for k, line in enumerate(lines) if line[:4].isdigit() and "=" not in line)


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ("repeat", "state 2 (2026-12-14T06:00:00.000) is not after the state before it"),
        ("swap", "state 3 (2026-12-14T06:01:00.000) is not after the state before it"),
        ("nan", "line 18: a state value is not a finite number"),
        ("inf", "line 18: a state value is not a finite number"),
    ],
)
def test_oem_epochs_out_of_order_or_repeated_and_nan_states_are_refused(change: str, said: str, tmp_path: Path) -> None:
    lines = oem_lines(OEM)
    k = first_state(lines)
    if change == "repeat":
        lines[k + 1] = lines[k]
    elif change == "swap":
        lines[k + 1], lines[k + 2] = lines[k + 2], lines[k + 1]
    else:
        epoch, *values = lines[k].split()
        lines[k] = " ".join([epoch, change, *values[1:]])
    (tmp_path / "bad.oem").write_text("\n".join(lines) + "\n")
    with pytest.raises(TrajectoryError) as refused:
        read_oem(tmp_path / "bad.oem", epoch=np.datetime64("2026-12-14T00:00:00").astype(object))
    assert said in str(refused.value)


MILLION = """
import resource, sys
from datetime import UTC, datetime
from scheduler.inputs.trajectory import read_oem
trajectory = read_oem(sys.argv[1], datetime(2026, 12, 14, tzinfo=UTC))
print(sum(s.seconds.size for s in trajectory.segments), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


@pytest.mark.slow
def test_a_million_line_oem_is_read_within_60_s_and_1_gib(tmp_path: Path) -> None:
    lines = oem_lines(OEM)
    k = first_state(lines)
    head = [
        line.replace("STOP_TIME = 2026-12-18T18:00:00.000", "STOP_TIME = 2028-12-31T00:00:00.000") for line in lines[:k]
    ]
    head = [*head[: head.index("META_STOP") + 1], ""]
    state = " ".join(lines[k].split()[1:])
    count = 1_000_000 - len(head)
    epochs = np.datetime64("2026-12-14T06:00:00") + np.arange(count) * np.timedelta64(40, "s")
    with (tmp_path / "million.oem").open("w", encoding="utf-8") as stream:
        stream.write("\n".join(head) + "\n")
        stream.writelines(f"{epoch}.000 {state}\n" for epoch in epochs.astype(str))
    result = subprocess.run(
        [sys.executable, "-c", MILLION, str(tmp_path / "million.oem")], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    states, peak_kib = map(int, result.stdout.split())
    assert states == count
    assert peak_kib < GIB_KIB


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text("TOP-SECRET-CONTENT")
    return path


def test_ssf_with_an_external_entity_is_refused_and_the_file_never_read(secret: Path) -> None:
    document = (
        f'<?xml version="1.0"?>\n<!DOCTYPE simpleSchedule [<!ENTITY leak SYSTEM "file://{secret}">]>\n'
        '<simpleSchedule xmlns="urn:ccsds:schema:ssf:1.0"><!-- &leak; -->&leak;</simpleSchedule>\n'
    )
    with pytest.raises(SsfInvalid) as refused:
        read_ssf(document)
    assert "DOCTYPE" in str(refused.value)
    assert "TOP-SECRET-CONTENT" not in str(refused.value)


def test_oem_xml_with_an_external_entity_is_refused_and_the_file_never_read(secret: Path, tmp_path: Path) -> None:
    xml = (REPO / "tests" / "data" / "oem" / "lunar-transfer.xml").read_text(encoding="utf-8")
    declaration, rest = xml.split("\n", 1) if xml.startswith("<?xml") else ("", xml)
    doctype = f'<!DOCTYPE oem [<!ENTITY leak SYSTEM "file://{secret}">]>'
    (tmp_path / "leak.xml").write_text(f"{declaration}\n{doctype}\n{rest.replace('LUNAR-PROBE', '&leak;', 1)}")
    with pytest.raises(TrajectoryError) as refused:
        read_oem(tmp_path / "leak.xml", epoch=np.datetime64("2026-12-14T00:00:00").astype(object))
    assert "not a readable CCSDS OEM" in str(refused.value)
    assert "TOP-SECRET-CONTENT" not in str(refused.value)

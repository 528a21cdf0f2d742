"""`jointtrack export` and the files `jointtrack plan` writes: the same exports either way."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from lxml import etree

from scheduler.outputs.exports import FORMATS
from tests.conftest import SCENARIOS

TINY = str(SCENARIOS / "tiny-moon.yaml")
PINNED = {"SOURCE_DATE_EPOCH": "1796083200"}  # 2026-12-01T00:00:00Z


def jointtrack(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "scheduler", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture(scope="module")
def tiny_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tiny-plan")
    result = jointtrack("plan", TINY, "--out", str(out), "--time-limit", "10", "--quiet", env=PINNED)
    assert result.returncode == 0, result.stderr
    return out


@pytest.mark.slow
@pytest.mark.parametrize("name", list(FORMATS))
def test_export_with_the_scenario_writes_byte_for_byte_what_plan_wrote(
    name: str, tiny_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / f"export.{name}"
    result = jointtrack(
        "export", str(tiny_dir / "schedule.csv"), "--format", name, "--scenario", TINY, "--out", str(out), env=PINNED
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == (tiny_dir / f"schedule.{name}").read_bytes()


@pytest.mark.slow
def test_plan_writes_the_exports_ledger_and_summary(tiny_dir: Path) -> None:
    names = {p.name for p in tiny_dir.iterdir()}
    assert {"schedule.csv", "schedule.json", "schedule.ics", "schedule.xml", "ledger.csv", "gantt.html"} <= names
    root = etree.fromstring((tiny_dir / "schedule.xml").read_bytes())
    assert root.find("{urn:ccsds:schema:cssm:1.0.0}simpleScheduleHeader").get("generationTime") == (
        "2026-335T00:00:00.000Z"  # SOURCE_DATE_EPOCH pins the generation time
    )
    summary = json.loads((tiny_dir / "summary.json").read_text())
    assert summary["cross_support"]["given_h"] == {"NASA": 8.0}  # TGO's 4 h a day on DSS-63, two days
    ledger = pd.read_csv(tiny_dir / "ledger.csv")
    assert list(ledger.columns) == ["provider_agency", "user_agency", "tracks", "on_target_h", "antenna_h"]


@pytest.mark.slow
def test_export_without_a_scenario_takes_sites_from_the_catalog(tiny_dir: Path) -> None:
    result = jointtrack("export", str(tiny_dir / "schedule.csv"), "--format", "xml")
    assert result.returncode == 0, result.stderr
    root = etree.fromstring(result.stdout.encode())
    sites = {
        a.get("apertureRef"): a.get("siteRef") for a in root.iter("{urn:ccsds:schema:cssm:1.0.0}scheduledActivity")
    }
    assert sites == {"DSS-14": "Goldstone", "DSS-43": "Canberra", "DSS-63": "Madrid"}


@pytest.mark.slow
def test_export_takes_the_format_from_the_out_suffix_and_groups_by_mission(tiny_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "missions.ics"
    result = jointtrack("export", str(tiny_dir / "schedule.csv"), "--out", str(out), "--by", "mission")
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    assert "X-WR-CALNAME:jointtrack schedule by mission" in text
    back = FORMATS["ics"].read(text)
    assert sorted(back.track_id) == sorted(pd.read_csv(tiny_dir / "schedule.csv").track_id)
    assert back.mission.tolist() == sorted(back.mission)  # events come grouped by mission


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--format", "pdf"], ["--format", "unknown format 'pdf'", "fix: use --format csv, json, ics, xml"]),
        (["--out", "schedule.txt"], ["--format", "no --format"]),
        (["--format", "ics", "--by", "agency"], ["--by", "unknown grouping 'agency'"]),
    ],
)
def test_export_usage_errors_are_one_line_with_exit_2(args: list[str], words: list[str], tiny_dir: Path) -> None:
    result = jointtrack("export", str(tiny_dir / "schedule.csv"), *args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0]


@pytest.mark.slow
def test_export_of_a_missing_or_broken_schedule_names_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.csv"
    broken.write_text("track_id,station\nT1,DSS-14\n")
    out = tmp_path / "out.xml"
    for path in (tmp_path / "missing.csv", broken):
        result = jointtrack("export", str(path), "--out", str(out))
        assert result.returncode == 2
        assert str(path) in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_export_of_a_schedule_with_duplicate_track_ids_to_xml_is_bad_input(tiny_dir: Path, tmp_path: Path) -> None:
    schedule = pd.read_csv(tiny_dir / "schedule.csv", dtype=str, keep_default_na=False)
    schedule.loc[1, "track_id"] = schedule.loc[0, "track_id"]
    doubled = tmp_path / "doubled.csv"
    schedule.to_csv(doubled, index=False)
    result = jointtrack("export", str(doubled), "--format", "xml", "--out", str(tmp_path / "out.xml"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "doubled.csv" in lines[0] and "unique" in lines[0] and "fix:" in lines[0]
    assert not (tmp_path / "out.xml").exists()

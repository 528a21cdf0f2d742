"""Sweeps: seeded variants, what each kind of variant changes, and a sweep on a small Dask
cluster producing the results table and plot."""

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from distributed import Client, LocalCluster

from scheduler.inputs import load_scenario
from scheduler.outputs.sweep_chart import BASE_COLUMNS, sweep_html
from scheduler.problem.types import Demand, Opportunity, Problem
from scheduler.solvers import SolverSettings
from scheduler.workflows.sweep import run_sweep
from scheduler.workflows.variants import Variant, apply_variant, variants
from tests.workflows.test_repair import TWO_POLES

HOUR = 3600


def two_antenna_problem(days: int = 3) -> Problem:
    opportunity = Opportunity(("A",), 600, days * 86_400 - 5 * HOUR, days * 86_400 - 600, 600, 600)
    demands = (
        Demand("R", "R", "M1", "ESA", "t", 2, 2, 4 * HOUR, 4 * HOUR, (opportunity,)),
        Demand("S#1", "S", "M2", "NASA", "t", 5, 1, HOUR, 2 * HOUR, (opportunity,)),
    )
    return Problem("p", datetime(2026, 12, 1, tzinfo=UTC), days * 86_400, 60, ("A", "OPT"), demands)


def test_variants_are_seeded_from_the_sweep_seed_and_differ() -> None:
    made = variants(("outages", "missions"), 2, seed=7)
    assert [v.name for v in made] == ["baseline", "outages-1", "outages-2", "missions-1", "missions-2"]
    assert made == variants(("outages", "missions"), 2, seed=7)
    assert len({v.seed for v in made}) == 5
    assert [v.seed for v in variants(("outages",), 1, seed=8)][1] != made[1].seed


def test_outage_variant_adds_downtime_inside_the_horizon_only() -> None:
    problem = two_antenna_problem()
    changed = apply_variant(problem, Variant("outages-1", "outages", 1, 12345), frozenset())
    assert changed.demands == problem.demands
    assert 1 <= len(changed.downtime) <= 2
    for outage in changed.downtime:
        assert outage.antenna in problem.antennas
        assert 0 <= outage.start < outage.end <= problem.horizon
        assert outage.end - outage.start <= 48 * HOUR


def test_weather_clouds_only_optical_antennas() -> None:
    problem = two_antenna_problem(days=30)
    changed = apply_variant(problem, Variant("weather-1", "weather", 1, 99), frozenset({"OPT"}))
    assert changed.downtime and {o.antenna for o in changed.downtime} == {"OPT"}
    assert all(2 * HOUR <= o.end - o.start <= 10 * HOUR or o.end == problem.horizon for o in changed.downtime)
    assert apply_variant(problem, Variant("weather-1", "weather", 1, 99), frozenset()).downtime == ()


@pytest.mark.slow
def test_added_mission_competes_for_an_existing_request_s_passes() -> None:
    problem = two_antenna_problem()
    changed = apply_variant(problem, Variant("missions-3", "missions", 3, 5), frozenset())
    (added,) = [d for d in changed.demands if d.mission == "NEW-3"]
    template = next(d for d in problem.demands if d.id.replace(d.request_id, "NEW-3", 1) == added.id)
    assert added.request_id == "NEW-3" and 1 <= added.priority <= 5
    assert added.opportunities == template.opportunities and added.tracks == template.tracks


@pytest.fixture(scope="module")
def client() -> Client:
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster,
        Client(cluster) as connected,
    ):
        yield connected


@pytest.mark.slow
def test_sweep_on_a_local_cluster_gives_one_row_per_variant(client: Client, tmp_path: Path) -> None:
    (tmp_path / "two-poles.yaml").write_text(TWO_POLES)
    scenario = load_scenario(tmp_path / "two-poles.yaml")
    table = run_sweep(scenario, ("outages", "missions"), 1, SolverSettings(time_limit_s=3, seed=0), client)
    assert table.variant.tolist() == ["baseline", "outages-1", "missions-1"]
    assert list(table.columns) == [*BASE_COLUMNS, "ESA_h", "JAXA_h", "NASA_h"]
    baseline = table.iloc[0]
    assert (baseline.satisfaction, baseline.U_max, baseline.tracks) == (1.0, 0.0, 3)
    assert (baseline.ESA_h, baseline.JAXA_h, baseline.NASA_h) == (3.0, 3.0, 3.0)
    missions = table.iloc[2]
    assert missions.tracks == 4 and missions.scheduled_h == 12.0  # the new mission's 3 h track fits too
    assert table.satisfaction.between(0, 1).all()
    assert "plotly" in sweep_html(table, "test")


@pytest.mark.slow
def test_sweep_cli_rejects_an_unknown_variation_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "two-poles.yaml").write_text(TWO_POLES)
    command = [sys.executable, "-m", "scheduler", "sweep", str(tmp_path / "two-poles.yaml"), "--vary", "meteors"]
    result = subprocess.run([*command, "--out", str(tmp_path / "o")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error: --vary: unknown variation 'meteors'; fix: use --vary outages | weather | missions (repeatable)"
    )

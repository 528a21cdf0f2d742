"""Sweeps that survive faults: a Dask worker process killed while it plans a variant — every
variant still completes (the scheduler resubmits the lost task) and sweep.csv equals an
undisturbed run's for the same seed."""

import os
import signal
from pathlib import Path

import pytest
from distributed import Client, LocalCluster, WorkerPlugin

from scheduler.inputs import load_scenario
from scheduler.solvers import SolverSettings
from scheduler.workflows.sweep import sweep_files
from tests.workflows.test_repair import TWO_POLES


class KillOnce(WorkerPlugin):
    """Kills the worker process it runs in when a variant starts executing there; only once in
    the cluster (the first to create `marker`)."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def transition(self, key: object, start: str, finish: str, **kwargs: object) -> None:
        if finish != "executing" or not str(key).startswith("variant-"):
            return
        try:
            os.close(os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return
        os.kill(os.getpid(), signal.SIGKILL)


@pytest.fixture(scope="module")
def cluster() -> LocalCluster:
    with LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
    ) as local:
        yield local


@pytest.mark.slow
def test_a_worker_killed_mid_sweep_changes_nothing_in_sweep_csv(cluster: LocalCluster, tmp_path: Path) -> None:
    (tmp_path / "two-poles.yaml").write_text(TWO_POLES)
    scenario = load_scenario(tmp_path / "two-poles.yaml")
    settings = SolverSettings(time_limit_s=5, workers=1, seed=3)
    address = cluster.scheduler_address
    calm = sweep_files(scenario, ("outages", "missions"), 2, settings, address, tmp_path / "calm")
    marker = tmp_path / "killed"
    with Client(address) as client:
        client.register_plugin(KillOnce(str(marker)), name="kill-once")
        pids_before = set(client.run(os.getpid).values())
    try:
        hit = sweep_files(scenario, ("outages", "missions"), 2, settings, address, tmp_path / "hit")
    finally:
        with Client(address) as client:
            client.unregister_worker_plugin("kill-once")
    assert marker.exists()  # a worker was killed while it planned a variant
    with Client(address) as client:
        assert set(client.run(os.getpid).values()) != pids_before  # ...and its nanny started a new one
    assert (
        hit.variant.tolist()
        == calm.variant.tolist()
        == ["baseline", "outages-1", "outages-2", "missions-1", "missions-2"]
    )
    assert (tmp_path / "hit" / "sweep.csv").read_text() == (tmp_path / "calm" / "sweep.csv").read_text()

"""A cluster that lets no one in: `sweep --address tls://…` with the cluster's CA, certificate and
key plans on a local TLS cluster; certificates of another CA, or a tls:// address without them,
are one line and exit 2."""

import logging
import subprocess
import sys
from pathlib import Path

import pytest
from distributed import LocalCluster
from distributed.security import Security

from tests.workflows.test_repair import TWO_POLES


def certificate_files(security: Security, folder: Path) -> list[str]:
    """--tls-ca-file, --tls-cert, --tls-key of a temporary Security, written as PEM files."""
    folder.mkdir()
    contents = {
        "ca.pem": security.tls_ca_file,
        "cert.pem": security.tls_client_cert,
        "key.pem": security.tls_client_key,
    }
    for name, text in contents.items():
        (folder / name).write_text(text)
    options = zip(("--tls-ca-file", "--tls-cert", "--tls-key"), contents, strict=True)
    return [text for option, name in options for text in (option, str(folder / name))]


@pytest.fixture(scope="module")
def tls_cluster(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[str]]:
    security = Security.temporary()  # one self-signed CA for scheduler, worker and client
    folder = tmp_path_factory.mktemp("tls")
    with LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=False,
        protocol="tls://",
        security=security,
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=logging.CRITICAL,
    ) as cluster:
        assert cluster.scheduler_address.startswith("tls://127.0.0.1:")
        yield cluster.scheduler_address, certificate_files(security, folder / "good")


def sweep(folder: Path, address: str, *options: str) -> subprocess.CompletedProcess[str]:
    (folder / "two-poles.yaml").write_text(TWO_POLES)
    command = [sys.executable, "-m", "scheduler", "sweep", str(folder / "two-poles.yaml"), "--vary", "outages"]
    command += ["--runs", "1", "--time-limit", "3", "--quiet", "--out", str(folder / "out"), "--address", address]
    return subprocess.run([*command, *options], capture_output=True, text=True, timeout=180)


@pytest.mark.slow
def test_sweep_on_a_tls_cluster_with_its_certificates(tls_cluster: tuple[str, list[str]], tmp_path: Path) -> None:
    address, good = tls_cluster
    result = sweep(tmp_path, address, *good)
    assert result.returncode == 0, result.stderr
    rows = (tmp_path / "out" / "sweep.csv").read_text().splitlines()
    assert [row.split(",")[0] for row in rows] == ["variant", "baseline", "outages-1"]


@pytest.mark.slow
def test_certificates_of_another_ca_are_one_line_and_exit_2(tls_cluster: tuple[str, list[str]], tmp_path: Path) -> None:
    address, _ = tls_cluster
    result = sweep(tmp_path, address, *certificate_files(Security.temporary(), tmp_path / "other"))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: --tls-cert: TLS with {address} failed: TLS certificate does not match. Check your security "
        "settings.; fix: give the CA file, and a certificate and key that CA signed, of this cluster (README: Sweeps)"
    ]
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_a_tls_address_without_certificates_is_one_line_and_exit_2(
    tls_cluster: tuple[str, list[str]], tmp_path: Path
) -> None:
    address, _ = tls_cluster
    result = sweep(tmp_path, address)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: --tls-ca-file: a tls:// scheduler needs --tls-ca-file, --tls-cert, --tls-key; "
        "fix: give the CA file, and a certificate and key that CA signed, of this cluster (README: Sweeps)"
    ]

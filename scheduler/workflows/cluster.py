"""The Dask cluster a sweep runs on (README: Sweeps): a local cluster of worker processes, or a
scheduler at an address, over TLS with mutual certificates when the address is `tls://`.

A `tls://` scheduler only lets in clients and workers whose certificates its CA signed, and
this client only talks to a scheduler whose certificate that CA signed (Dask's `Security`).
"""

import logging
import os
import re
import signal
import ssl
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dask
from distributed import Client, LocalCluster, WorkerPlugin
from distributed.security import Security

from scheduler.errors import InputError

ADDRESS_FIX = "start one with `dask scheduler` and `dask worker ADDRESS`, or leave out --address"
TLS_OPTIONS = ("--tls-ca-file", "--tls-cert", "--tls-key")
TLS_FIX = "give the CA file, and a certificate and key that CA signed, of this cluster (README: Sweeps)"

TlsFiles = tuple[Path | None, Path | None, Path | None]  # CA file, certificate, key
SCHEMES = ("tcp", "tls")
ADDRESS = re.compile(
    r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+)(?::(?P<port>\d{1,5}))?/?$"
)


def check_address(address: str | None) -> None:
    """A Dask scheduler address we can use: `tcp://HOST[:PORT]` or `tls://HOST[:PORT]`; anything
    else is an InputError before any work."""
    if address is None:
        return
    match = ADDRESS.match(address.strip())
    fix = "give tcp://HOST:PORT or tls://HOST:PORT (e.g. tcp://127.0.0.1:8786), or leave out --address"
    if match is None:
        raise InputError("--address", "", f"{address!r} is not a scheduler address", fix)
    if match.group("scheme").lower() not in SCHEMES:
        raise InputError("--address", "", f"{address!r}: a Dask scheduler speaks tcp:// or tls://", fix)
    port = match.group("port")
    if port is not None and not 1 <= int(port) <= 65535:
        raise InputError("--address", "", f"{address!r}: port {port} is outside 1..65535", fix)


def cluster_security(address: str | None, tls: TlsFiles) -> Security | None:
    """Dask's `Security` for a `tls://` address from the three files; None for a plain address.
    Every inconsistency is an InputError naming the option."""
    given = [option for option, path in zip(TLS_OPTIONS, tls, strict=True) if path is not None]
    if not (address or "").startswith("tls://"):
        if given:
            fix = "give --address tls://HOST:PORT, or leave out the --tls-* options"
            raise InputError(given[0], "", "TLS certificates need a tls:// scheduler address", fix)
        return None
    missing = [option for option in TLS_OPTIONS if option not in given]
    if missing:
        raise InputError(missing[0], "", f"a tls:// scheduler needs {', '.join(TLS_OPTIONS)}", TLS_FIX)
    for option, path in zip(TLS_OPTIONS, tls, strict=True):
        if path is not None and not path.is_file():
            raise InputError(option, "", f"no such file {str(path)!r}", TLS_FIX)
    ca_file, cert, key = (str(path) for path in tls)
    return Security(require_encryption=True, tls_ca_file=ca_file, tls_client_cert=cert, tls_client_key=key)


def connection_error(address: str | None, exc: OSError) -> InputError:
    """The one line for a cluster that could not be reached or refused our certificates."""
    reason = (str(exc) or type(exc).__name__).splitlines()[0]
    if isinstance(exc, ssl.SSLError) or "certificate" in reason.lower():
        return InputError("--tls-cert", "", f"TLS with {address} failed: {reason.split(' More info')[0]}", TLS_FIX)
    return InputError("--address", "", f"cannot reach a Dask scheduler at {address} ({reason})", ADDRESS_FIX)


class SpareCtrlC(WorkerPlugin):
    """A local cluster's worker processes ignore Ctrl-C, which a terminal sends to the whole
    process group: the sweep's own process stops the run and closes them."""

    def setup(self, worker: object) -> None:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def dask_client(address: str | None, workers: int | None, security: Security | None = None) -> Iterator[Client]:
    """A client of the cluster at `address`, or of a local cluster of worker processes (one
    solver thread each, no dashboard: nothing listens on a public port; their scratch files
    removed on any exit)."""
    if address is not None:
        with Client(address, timeout="10s", security=security) as client:
            yield client
        return
    count = workers or max(1, os.cpu_count() or 1)
    with (
        tempfile.TemporaryDirectory(prefix="jointtrack-dask-") as scratch,
        dask.config.set({"temporary-directory": scratch}),  # the scheduler's and workers' files alike
        LocalCluster(
            n_workers=count,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            host="127.0.0.1",
            silence_logs=logging.ERROR,
            local_directory=scratch,
        ) as cluster,
        Client(cluster) as client,
    ):
        client.register_plugin(SpareCtrlC(), name="jointtrack-spare-ctrl-c")
        yield client

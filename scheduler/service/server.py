"""`jointtrack serve`: migrate the database, bind the address, and serve until SIGINT or SIGTERM
(a clean stop: the running job goes back to the queue, exit 0)."""

import contextlib
import logging
import signal
import socket
import sys
import threading
from collections.abc import Iterator

import uvicorn

from scheduler.errors import InputError
from scheduler.service.app import create_app
from scheduler.service.config import ServiceSettings
from scheduler.service.db.session import Database, safe_url

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class Server(uvicorn.Server):
    """uvicorn's server, whose signals end it cleanly instead of being raised again after."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        original = {sig: signal.signal(sig, self.handle_exit) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for sig, handler in original.items():
                signal.signal(sig, handler)


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, or an InputError naming --host/--port."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise InputError(
            "--host", "", f"cannot resolve {host!r} ({exc.strerror})", "give an address such as 127.0.0.1"
        ) from None
    family, kind, proto, _, address = infos[0]
    listener = socket.socket(family, kind, proto)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind(address)
    except OSError as exc:
        listener.close()
        raise InputError(
            "--port", "", f"cannot listen on {host}:{port} ({exc.strerror})", "choose a free port"
        ) from None
    listener.listen(2048)
    return listener


def run_server(settings: ServiceSettings) -> None:
    """Serve `settings.db_url` on `settings.host:port` until stopped."""
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT, stream=sys.stderr)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    db = Database(settings.db_url)
    try:
        db.migrate()
    finally:
        db.dispose()
    listener = bind(settings.host, settings.port)
    config = uvicorn.Config(
        create_app(settings),
        log_level="info",
        access_log=True,
        proxy_headers=False,
        server_header=False,
        timeout_graceful_shutdown=10,
        lifespan="on",
    )
    print(
        f"jointtrack serve: http://{settings.host}:{settings.port} (database {safe_url(settings.db_url)})",
        file=sys.stderr,
        flush=True,
    )
    Server(config).run(sockets=[listener])

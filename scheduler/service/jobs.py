"""The job runner: plans never run in a request's thread.

One thread per server claims queued jobs one at a time and runs each in a separate process (so
CPU-heavy ephemerides and CP-SAT neither stall the event loop nor hold the GIL against the
readers), relays its progress to the job's row as a heartbeat, and stores what it made in one
transaction with the job's end (`finish`): a version is written whole or not at all, and a
failed job leaves the schedule as it was. At start, jobs left running by a server that is gone
are queued again; on a clean stop, the running job is. A job's process ends by itself when its
server dies.
"""

import logging
import multiprocessing
import os
import secrets
import signal
import socket
import threading
import time
import traceback
from multiprocessing.connection import Connection
from typing import Any

from scheduler.errors import InfeasibleError, InputError, InvalidSchedule
from scheduler.service.change_work import Superseded
from scheduler.service.config import ServiceSettings
from scheduler.service.db import jobs as store
from scheduler.service.db.models import Job
from scheduler.service.db.session import Database
from scheduler.service.work import KINDS

log = logging.getLogger("jointtrack.jobs")
BEAT_S = 1.0  # progress and heartbeat at most this often
PRELOAD = ["scheduler.service.work", "scheduler.workflows.plan", "scheduler.workflows.propose"]
_BOOT = secrets.token_hex(4)  # this server's start, in its runner's name


def _context() -> Any:
    """Fork-server processes with the planner imported once (spawn where there is no fork server)."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        return context
    return multiprocessing.get_context("spawn")


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(1)


def child_main(connection: Connection, kind: str, payload: dict[str, Any]) -> None:
    """A job's process: do the work, send progress, then its result or its one-line error."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops this
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()

    def progress(message: str) -> None:
        connection.send(("progress", message))

    try:
        connection.send(("done", KINDS[kind].work(payload, progress)))
    except InputError as exc:
        connection.send(("failed", f"bad input: {exc}"))
    except InfeasibleError as exc:
        connection.send(("failed", f"infeasible: {exc}"))
    except InvalidSchedule as exc:
        connection.send(("failed", f"internal error: {exc} (a bug: please report it with the scenario)"))
    except Exception as exc:
        traceback.print_exc()
        connection.send(("failed", f"internal error: {type(exc).__name__}: {exc}"))


def _dead_here(runner: str) -> bool:
    """Whether a runner of this host is no longer alive (its process is gone)."""
    host, _, rest = runner.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return int(pid) == os.getpid() and not runner.endswith(_BOOT)


class JobRunner:
    """Runs the jobs of one database, one at a time, in processes of their own."""

    def __init__(self, db: Database, settings: ServiceSettings) -> None:
        self.db, self.settings = db, settings
        self.name = f"{socket.gethostname()}:{os.getpid()}:{_BOOT}"
        self._wake, self._stop = threading.Event(), threading.Event()
        self._thread: threading.Thread | None = None
        self._context = _context()

    def start(self) -> None:
        self._requeue()
        self._thread = threading.Thread(target=self._loop, name="jointtrack-jobs", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """A job was queued: look now rather than at the next poll."""
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _requeue(self) -> None:
        found = store.requeue_orphans(self.db, _dead_here, self.settings.job_lease_s, self.settings.max_job_attempts)
        if found:
            log.info("queued %d interrupted job(s) again", found)

    def _loop(self) -> None:
        swept = time.monotonic()
        while not self._stop.is_set():
            try:
                if time.monotonic() - swept > self.settings.job_lease_s / 2:
                    self._requeue()
                    swept = time.monotonic()
                job = store.claim_next(self.db, self.name)
                if job is None:
                    self._wake.wait(1.0)
                    self._wake.clear()
                    continue
                self._run(job)
            except Exception:  # the database went away for a moment: try again shortly
                log.exception("job runner")
                self._stop.wait(2.0)

    def _run(self, job: Job) -> None:
        kind = KINDS[job.kind]
        payload = {"scenario": job.scenario, "campaign": job.campaign_id, **job.params, **kind.inputs(self.db, job)}
        receive, send = self._context.Pipe(duplex=False)
        process = self._context.Process(target=child_main, args=(send, job.kind, payload), name=f"job-{job.id}")
        process.start()
        send.close()
        log.info("job %d (%s of %s) started", job.id, job.kind, job.campaign_id)
        outcome = self._follow(job, process, receive, kind.time_limit(job.params))
        process.join(timeout=10)
        if process.is_alive():
            process.kill()
        if outcome is None:
            return
        state, value = outcome
        if state == "done":
            try:
                number = store.finish(self.db, job.id, self.name, lambda s, j: kind.store(s, j, value))
                log.info("job %d done: version %s", job.id, number)
            except Superseded as exc:
                store.fail(self.db, job.id, self.name, str(exc))
            except Exception as exc:
                log.exception("job %d: storing its result", job.id)
                store.fail(self.db, job.id, self.name, f"internal error: could not store the result ({exc})")
        else:
            log.info("job %d failed: %s", job.id, value)
            store.fail(self.db, job.id, self.name, value)

    def _follow(self, job: Job, process: Any, receive: Connection, limit_s: float) -> tuple[str, Any] | None:
        """Relay progress until the process answers; None if the server stops (job released)."""
        stage, solving_since, beaten = "starting", None, 0.0
        while True:
            if self._stop.is_set():
                process.kill()
                store.release(self.db, job.id, self.name, self.settings.max_job_attempts)
                return None
            if receive.poll(BEAT_S / 2):
                try:
                    kind, value = receive.recv()
                except EOFError:
                    return "failed", f"internal error: the job's process ended unexpectedly (exit {process.exitcode})"
                if kind != "progress":
                    return kind, value
                stage = value
                if solving_since is None and stage.startswith("solving"):
                    solving_since = time.monotonic()
            if time.monotonic() - beaten >= BEAT_S:
                done = (
                    0.02
                    if solving_since is None
                    else 0.1 + 0.85 * min(1.0, (time.monotonic() - solving_since) / limit_s)
                )
                if stage == "computing view periods":
                    done = 0.05
                if not store.beat(self.db, job.id, self.name, done, stage):
                    process.kill()  # the job was taken from us (our lease ran out)
                    return None
                beaten = time.monotonic()

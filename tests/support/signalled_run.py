"""A real `python -m scheduler` child process watched step by step (scheduler/interrupts.py's
test hooks), so tests can signal it at a known stage."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.conftest import REPO


class Child:
    """`python -m scheduler ARGS` in `folder`, its stderr read line by line as it comes."""

    def __init__(self, arguments: list[str], folder: Path, hold: str | None = None) -> None:
        self.temporary = folder / "tmp"
        self.temporary.mkdir(exist_ok=True)
        environment = {**os.environ, "JOINTTRACK_TEST_STEPS": "1", "TMPDIR": str(self.temporary)}
        self.release = folder / f"release-{id(self)}"
        if hold:
            environment["JOINTTRACK_TEST_HOLD"] = hold
            environment["JOINTTRACK_TEST_RELEASE"] = str(self.release)
        environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), environment.get("PYTHONPATH")]))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "scheduler", *arguments],
            cwd=folder,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its own process group, as a terminal's foreground job
        )
        self.lines: list[str] = []
        self.stdout = ""
        self._seen = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            with self._seen:
                self.lines.append(line.rstrip("\n"))
                self._seen.notify_all()
        with self._seen:
            self.lines.append("<eof>")
            self._seen.notify_all()

    def wait_for(self, line: str, timeout: float = 120) -> None:
        """Until stderr shows `line` (fails if the process ends first)."""
        deadline = time.monotonic() + timeout
        with self._seen:
            while line not in self.lines:
                assert "<eof>" not in self.lines, f"ended before {line!r}: {self.lines}"
                assert self._seen.wait(max(0.0, deadline - time.monotonic())), f"no {line!r} in {timeout} s"

    def signal_group(self, number: int) -> None:
        """Signal the process and every process it started, as a terminal's Ctrl-C does."""
        os.killpg(self.process.pid, number)

    def finish(self, timeout: float = 120) -> tuple[int, list[str]]:
        """The exit code and stderr's lines other than the test hooks' own."""
        self.stdout = self.process.stdout.read() if self.process.stdout else ""
        code = self.process.wait(timeout)
        self.wait_for("<eof>", timeout)
        return code, [x for x in self.lines if x != "<eof>" and not x.startswith("step: ")]

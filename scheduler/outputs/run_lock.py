"""One run at a time per output directory: a run holds an exclusive lock (`flock`) on a lock
file beside its output directory from its start to its end; a second run for the same
directory fails at once with one line naming the first run's pid (docs/design.md: Outputs).

The lock file `.NAME.lock` holds the holder's pid and is removed when the run ends; a run
killed outright leaves it behind, unlocked (the kernel releases the lock), and the next run
takes it over.
"""

import contextlib
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from scheduler.errors import InputError


def _lock_path(directory: Path) -> Path:
    return directory.parent / f".{directory.name}.lock"


@contextmanager
def output_lock(directory: Path) -> Iterator[None]:
    """Hold `directory`'s lock for the block, or raise InputError naming the run that holds it."""
    path = _lock_path(Path(directory))
    made = [p for p in [path.parent, *path.parent.parents] if not p.exists()]  # removed again if left empty
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with _locked(path, directory):
            yield
    finally:
        for folder in made:
            with contextlib.suppress(OSError):
                folder.rmdir()


@contextmanager
def _locked(path: Path, directory: Path) -> Iterator[None]:
    while True:
        handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(handle, 32).decode("ascii", "replace").strip() or "unknown"
            os.close(handle)
            raise InputError(
                "--out",
                "",
                f"{directory} is being written by another jointtrack run (pid {holder})",
                "wait for that run to finish, or choose another --out",
            ) from None
        try:
            if os.stat(path).st_ino == os.fstat(handle).st_ino:
                break  # locked the file that is in place (not one its last holder just removed)
        except FileNotFoundError:
            pass
        os.close(handle)
    try:
        os.ftruncate(handle, 0)
        os.write(handle, f"{os.getpid()}\n".encode("ascii"))
        yield
    finally:
        path.unlink(missing_ok=True)  # removed while still held: a waiting run then retries on a new file
        os.close(handle)

"""Writing output files atomically: a reader never sees a half-written file, and a run killed
at any moment leaves the previous run's outputs whole."""

import ctypes
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from scheduler.interrupts import deferred_signals, test_step

_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def _default_file_mode() -> int:
    """rw for everyone the umask allows, as a plain open() would create the file."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _default_file_mode())  # mkstemp makes 0600; outputs are meant to be shared
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2 RENAME_EXCHANGE); False if unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    done = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return done == 0


def _commit(staging: Path, directory: Path, files: Mapping[str, str | bytes]) -> None:
    """The staging directory takes the place of `directory` in one step."""
    if not directory.exists():
        os.rename(staging, directory)
    elif not _exchange(staging, directory):
        for name in files:
            os.replace(staging / name, directory / name)


def write_all(directory: Path, files: Mapping[str, str | bytes]) -> list[Path]:
    """Write every file of a run into `directory` as one atomic step.

    All files are written and synced into a sibling staging directory first; the staging
    directory then takes the place of `directory` in a single rename (or an atomic exchange
    when `directory` exists, keeping any other files the user put there). Where the exchange
    is not available, each file still replaces its predecessor atomically.
    """
    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.staging-", dir=directory.parent))
    try:
        for name, content in files.items():
            write_atomic(staging / name, content)
        for extra in directory.iterdir() if directory.is_dir() else ():
            if extra.name not in files and not extra.name.startswith("."):
                target = staging / extra.name
                if extra.is_dir():
                    shutil.copytree(extra, target)
                else:
                    shutil.copy2(extra, target)
        test_step("staged")
        with deferred_signals():  # a signal now takes effect once the outputs are whole
            _commit(staging, directory, files)
        return [directory / name for name in files]
    finally:
        shutil.rmtree(staging, ignore_errors=True)

"""Output directories: every file of a run written as one step, and nothing of the user's lost
(docs/design.md: Outputs).

A directory we write holds a marker, `.jointtrack-output`, naming the files we wrote. An existing
directory is written only when it is empty, a previous output of ours (the marker), or the user
says `force`; anything in it that we did not write is kept. A symlink to a directory is
followed (the link stays); a path that is a file, a device or a loop of links is refused.

A new or clean previous output is written into a sibling staging directory and swapped into
place in one step (Linux `renameat2(RENAME_EXCHANGE)`), so a reader or a killed run sees one
run's whole output. Where the directory holds files of the user's, ours are replaced one by one
(each atomically) around them, and our files the new run no longer writes are removed.
"""

import contextlib
import ctypes
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from scheduler.errors import InputError
from scheduler.interrupts import deferred_signals, test_step
from scheduler.outputs.atomic import default_mode, resolved, write_atomic

MARKER = ".jointtrack-output"
_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


@dataclass(frozen=True)
class Destination:
    """Where a run's files go: the real directory (symlinks followed), what we wrote there before,
    and whether something of the user's lives in it."""

    directory: Path
    exists: bool
    ours: frozenset[str]  # files a previous run wrote (from its marker)
    foreign: bool  # the directory holds entries we did not write


def _marker_names(directory: Path) -> frozenset[str] | None:
    """The files our marker lists, or None when `directory` holds no marker of ours."""
    try:
        facts = json.loads((directory / MARKER).read_text(encoding="utf-8"))
        names = facts["files"] if facts.get("written_by") == "jointtrack" else None
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    if not isinstance(names, list) or not all(isinstance(n, str) and "/" not in n for n in names):
        return None
    return frozenset(names)


def destination(given: Path, force: bool = False, option: str = "--out") -> Destination:
    """Check an output directory before any work: InputError (one line) where writing it would
    replace or lose something of the user's."""
    directory = resolved(Path(given), option)
    if not os.path.lexists(directory):
        return Destination(directory, False, frozenset(), False)
    if not directory.is_dir():
        raise InputError(option, "", f"{given} exists and is not a directory", "give a directory path")
    try:
        entries = {entry.name for entry in os.scandir(directory)}
    except OSError as error:
        raise InputError(option, "", f"{given} cannot be read ({error.strerror})", "choose another directory") from None
    ours = _marker_names(directory)
    if ours is None and entries and not force:
        raise InputError(
            option,
            "",
            f"{given} already holds files that jointtrack did not write",
            "choose a new directory, or add --force to write into it (its other files are kept)",
        )
    ours = ours or frozenset()
    return Destination(directory, True, ours, bool(entries - ours - {MARKER}))


def write_all(directory: Path, files: Mapping[str, str | bytes], force: bool = False) -> list[Path]:
    """Write every file of a run into `directory` as one step (see the module docstring); returns
    the files' paths. InputError where `directory` may not be written (see `destination`)."""
    place = destination(Path(directory), force, option="directory")
    files = {**files, MARKER: _marker(files)}
    if place.exists and place.foreign:
        return _write_around(place, files)
    place.directory.parent.mkdir(parents=True, exist_ok=True)
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{place.directory.name}.staging-", dir=place.directory.parent))
    except PermissionError:  # a writable directory in a read-only parent: no room for a swap
        return _write_around(place, files)
    try:
        mode = stat.S_IMODE(os.stat(place.directory).st_mode) if place.exists else default_mode(0o777)
        os.chmod(staging, mode)
        for name, content in files.items():
            write_atomic(staging / name, content, default_mode())
        test_step("staged")
        with deferred_signals():  # a signal now takes effect once the outputs are whole
            now = destination(place.directory, force=True, option="directory")
            if now.foreign:  # the user put something there meanwhile: keep it
                return _write_around(now, files)
            _commit(staging, place.directory, files)
        return [place.directory / name for name in files if name != MARKER]
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _marker(files: Mapping[str, str | bytes]) -> str:
    return json.dumps({"written_by": "jointtrack", "files": sorted(files)}, indent=1) + "\n"


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
    """The staging directory takes the place of `directory` (new, empty, or only ours) in one step;
    the old contents go with the staging directory."""
    if not directory.exists():
        os.rename(staging, directory)
    elif not _exchange(staging, directory):
        old = _marker_names(directory) or frozenset()
        for name in files:
            os.replace(staging / name, directory / name)
        _remove_stale(directory, old, files)


def _write_around(place: Destination, files: Mapping[str, str | bytes]) -> list[Path]:
    """Replace our files one by one in a directory that also holds the user's, keeping theirs."""
    directory = place.directory
    directory.mkdir(parents=True, exist_ok=True)
    test_step("staged")
    with deferred_signals():
        for name, content in files.items():
            if name != MARKER:
                write_atomic(directory / name, content, default_mode())
        _remove_stale(directory, place.ours, files)
        write_atomic(directory / MARKER, files[MARKER], default_mode())
    return [directory / name for name in files if name != MARKER]


def _remove_stale(directory: Path, old: frozenset[str], files: Mapping[str, str | bytes]) -> None:
    """Remove the regular files a previous run of ours wrote that this run no longer writes."""
    for name in old - set(files):
        path = directory / name
        if path.is_file() and not path.is_symlink():
            with contextlib.suppress(OSError):
                path.unlink()

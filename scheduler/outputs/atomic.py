"""Writing one output file safely: atomically where the path is a file of ours to replace, straight
through where it is a device, a FIFO or standard output (docs/design.md: Outputs).

A reader never sees a half-written file, a run killed at any moment leaves the previous file
whole, and nothing the user owns is replaced by something else: a symlink stays a link (its
target is written), `/dev/null` stays a device, a FIFO stays a FIFO.
"""

import errno
import os
import stat
import sys
import tempfile
from pathlib import Path

from scheduler.errors import InputError

STDOUT = "-"
PASS_THROUGH_ROOTS = ("/dev/", "/proc/")  # /dev/stdout, /dev/fd/N, /proc/self/fd/N: write through


def default_mode(kind: int = 0o666) -> int:
    """The mode a plain open() (0o666) or mkdir() (0o777) would give under the current umask."""
    mask = os.umask(0)
    os.umask(mask)
    return kind & ~mask


def write_atomic(path: Path, content: str | bytes, mode: int | None = None) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename over `path`; the file
    keeps the mode of the one it replaces (or the umask's for a new file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    if mode is None:
        try:
            mode = stat.S_IMODE(os.stat(path).st_mode)
        except OSError:
            mode = default_mode()
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)  # mkstemp makes 0600; outputs are meant to be shared
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def resolved(path: Path, option: str = "--out") -> Path:
    """`path` with every symlink followed (a dangling link: where it points); `path` itself, as the
    user wrote it, where no link is on the way. InputError for a loop of links."""
    try:
        os.stat(path)
    except OSError as error:
        if error.errno == errno.ELOOP:
            name = str(path)[:200]
            raise InputError(
                option, "", f"{name} is a loop of symbolic links", "give a path that leads to a real place"
            ) from None
    real = os.path.realpath(path)
    return path if real == os.path.abspath(path) else Path(real)


def _passes_through(path: Path) -> bool:
    """Devices, FIFOs and sockets are written through, never replaced (also /dev/stdout and kin)."""
    if str(path).startswith(PASS_THROUGH_ROOTS) or str(path.absolute()).startswith(PASS_THROUGH_ROOTS):
        return path.exists()
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def write_file(path: Path | str, content: str | bytes, option: str = "--out") -> None:
    """Write one output file: `-` is standard output; a device, FIFO or /dev/stdout is written
    through; a symlink's target is replaced atomically (the link stays); a directory is refused."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    if str(path) == STDOUT:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    path = Path(path)
    if _passes_through(path):
        with open(path, "wb") as stream:
            stream.write(data)
        return
    target = resolved(path, option)
    if target.is_dir():
        raise InputError(option, "", f"{path} is a directory", "give a file path, or - for standard output")
    write_atomic(target, data)

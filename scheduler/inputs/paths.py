"""Input files checked before they are read: a path that is not a regular file is named for what
it is (a directory, a character device such as /dev/zero, a FIFO), and no file is read past its
size cap, so a sparse file of gigabytes or an endless device is one line and exit 2, in bounded
time and memory."""

import stat
from pathlib import Path

from scheduler.errors import InputError


def what_it_is(path: Path) -> str | None:
    """Why `path` is not a regular file ("no such file", "is a directory", "is a character
    device", …), or None when it is one."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "no such file"
    except OSError as exc:  # a loop of links, a path through a file, no permission
        return f"cannot be read ({exc.strerror or exc})"
    kinds = [
        (stat.S_ISDIR, "is a directory"),
        (stat.S_ISCHR, "is a character device"),
        (stat.S_ISBLK, "is a block device"),
        (stat.S_ISFIFO, "is a FIFO (named pipe)"),
        (stat.S_ISSOCK, "is a socket"),
    ]
    return next((text for test, text in kinds if test(mode)), None)


def checked_file(path: Path, source: str, field: str, what: str, limit: int, fix: str) -> Path:
    """`path` if it is a regular file of at most `limit` bytes, else an InputError naming
    `source` and `field`: what the path is, or its size, and `fix`."""
    why = what_it_is(path)
    if why is not None:
        raise InputError(source, field, f"{path}: {why}", f"give the path of {what} (a regular file)")
    size = path.stat().st_size
    if size > limit:
        problem = f"{path}: {size // 1_000_000:,} MB, more than the {limit // 1_000_000} MB allowed for {what}"
        raise InputError(source, field, problem, fix)
    return path


def read_capped(path: Path, source: str, what: str, limit: int, fix: str) -> bytes:
    """The bytes of a regular file or a pipe (`source` names it in errors, `what` says what it
    should be: "scenario file"): never more than `limit + 1` read; a directory, a device, a
    missing file or anything larger is an InputError."""
    why = what_it_is(path)
    if why == "no such file":
        raise InputError(source, "", f"no such {what}", f"give the path of the {what}")
    if why is not None and not why.startswith("is a FIFO"):
        article = "an" if what[:1] in "aeiou" else "a"
        raise InputError(source, "", f"{why}, not {article} {what}", f"give the path of the {what}")
    try:
        with path.open("rb") as file:
            data = file.read(limit + 1)
    except OSError as exc:
        raise InputError(source, "", f"cannot be read ({exc.strerror or exc})", f"give a readable {what}") from None
    if len(data) > limit:
        raise InputError(source, "", f"is larger than {limit // 1_000_000} MB", fix)
    return data

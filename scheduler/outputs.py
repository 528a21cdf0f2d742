"""Writing output files atomically: a reader never sees a half-written file."""

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path


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
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_all(directory: Path, files: Mapping[str, str | bytes]) -> list[Path]:
    """Write every file of a run; each replaces its predecessor whole, or not at all."""
    written = []
    for name, content in files.items():
        target = directory / name
        write_atomic(target, content)
        written.append(target)
    return written

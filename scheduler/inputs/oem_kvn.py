"""CCSDS OEM files in KVN (CCSDS 502.0-B-2) read fast: a million-line file in seconds, in a
few hundred MB (the `oem` library, still used for XML, takes minutes and gigabytes).

One pass over the lines finds the header, each segment's metadata and where its data lines
lie; pandas' C reader then parses each segment's data block straight from the file, and
epochs are converted by numpy and astropy as whole arrays. Covariance sections are skipped.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

KEY_VALUE = re.compile(r"^([A-Z0-9_]+)\s*=\s*(.*?)\s*$")
REQUIRED_META = ("OBJECT_NAME", "CENTER_NAME", "REF_FRAME", "TIME_SYSTEM", "START_TIME", "STOP_TIME")


class KvnError(ValueError):
    """A KVN file that is not a readable OEM: what is wrong, with the line number."""


@dataclass
class KvnSegment:
    """One segment's metadata and its data block: `rows` non-blank lines from line `first` (0-based)."""

    meta: dict[str, str] = field(default_factory=dict)
    first: int = -1
    rows: int = 0
    epochs: np.ndarray = field(default_factory=lambda: np.array([], dtype=object))
    states: np.ndarray = field(default_factory=lambda: np.zeros((0, 6)))


def _layout(path: Path) -> list[KvnSegment]:
    """Header checked, each segment's metadata read, and where each data block lies."""
    segments: list[KvnSegment] = []
    section = "start"
    with path.open(encoding="utf-8") as lines:
        for number, raw in enumerate(lines, start=1):
            line = raw.strip()
            if not line:
                continue
            if section == "start":
                if not line.startswith("CCSDS_OEM_VERS"):
                    raise KvnError(f'line {number}: an OEM starts with "CCSDS_OEM_VERS ="')
                section = "header"
            elif line.startswith("COMMENT"):
                if section == "data" and segments[-1].rows:
                    raise KvnError(f"line {number}: COMMENT between states (comments go before the first state)")
            elif line == "META_START":
                segments.append(KvnSegment())
                section = "meta"
            elif line == "META_STOP":
                missing = [key for key in REQUIRED_META if key not in segments[-1].meta] if section == "meta" else []
                if section != "meta" or missing:
                    raise KvnError(f"line {number}: {'metadata lacks ' + missing[0] if missing else 'no META_START'}")
                section = "data"
            elif line == "COVARIANCE_START" and section == "data":
                section = "covariance"
            elif line == "COVARIANCE_STOP" and section == "covariance":
                section = "after covariance"
            elif section in ("header", "meta"):
                match = KEY_VALUE.match(line)
                if not match:
                    raise KvnError(f"line {number}: not KEY = VALUE")
                if section == "meta":
                    segments[-1].meta[match.group(1)] = match.group(2)
            elif section == "data":
                if segments[-1].first < 0:
                    segments[-1].first = number - 1
                segments[-1].rows += 1
            elif section != "covariance":
                raise KvnError(f"line {number}: unexpected {line[:40]!r}")
    if not segments:
        raise KvnError("no META_START: the file has no segment")
    return segments


def _block(path: Path, segment: KvnSegment) -> None:
    """Parse the segment's data lines: epochs as text, states (n, 6) as finite numbers."""
    if segment.rows == 0:
        raise KvnError(f"segment of {segment.meta.get('OBJECT_NAME', '?')} has no states")
    try:
        table = pd.read_csv(
            path,
            sep=r"\s+",
            header=None,
            skiprows=segment.first,
            nrows=segment.rows,
            dtype={0: str},
            engine="c",
            comment=None,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise KvnError(f"data lines from line {segment.first + 1}: {str(exc).splitlines()[0]}") from None
    if table.shape[1] not in (7, 10):
        raise KvnError(f"line {segment.first + 1}: a state is an epoch and 6 (or 9) numbers")
    values = table.iloc[:, 1:7].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    bad = np.flatnonzero(~np.isfinite(values).all(axis=1))
    if bad.size:
        raise KvnError(f"line {segment.first + bad[0] + 1}: a state value is not a finite number")
    segment.epochs = table[0].to_numpy(dtype=object)
    segment.states = values


def read_kvn(path: str | Path) -> tuple[KvnSegment, ...]:
    """Every segment of a KVN OEM: metadata, epochs (text) and states (km, km/s)."""
    file = Path(path)
    segments = _layout(file)
    for segment in segments:
        _block(file, segment)
    return tuple(segments)


def is_kvn(path: str | Path) -> bool:
    """Whether the file is KVN (XML starts with '<')."""
    with Path(path).open("rb") as stream:
        start = stream.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    return not start.startswith(b"<")

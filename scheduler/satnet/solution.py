"""The benchmark's solution file: a JSON array of scheduled tracks (Unix seconds)."""

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from scheduler.errors import InputError

SOLUTION_KEYS = ("RESOURCE", "SC", "START_TIME", "TRACKING_ON", "TRACKING_OFF", "END_TIME", "TRACK_ID")


@dataclass(frozen=True)
class Entry:
    """One track of a SatNet solution."""

    RESOURCE: str
    SC: int
    START_TIME: int
    TRACKING_ON: int
    TRACKING_OFF: int
    END_TIME: int
    TRACK_ID: str


def solution_json(entries: list[Entry]) -> str:
    ordered = sorted(entries, key=lambda e: (e.TRACKING_ON, e.RESOURCE, e.TRACK_ID))
    return json.dumps([asdict(e) for e in ordered], indent=1) + "\n"


def finite_only(constant: str) -> float:
    """JSON's NaN and Infinity (which Python's reader accepts) refused as not valid JSON."""
    raise ValueError(f"{constant} is not a number JSON allows")


def read_solution(path: str | Path) -> list[Entry]:
    source = str(path)
    file = Path(path)
    if not file.is_file():
        raise InputError(source, "", "no such file", "give a SatNet solution JSON file")
    try:
        data = json.loads(file.read_text(encoding="utf-8"), parse_constant=finite_only)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(source, "", f"not valid JSON ({exc})", "give a JSON array of tracks") from None
    if not isinstance(data, list):
        raise InputError(
            source, "", "expected a JSON array of tracks", f"write objects with {', '.join(SOLUTION_KEYS)}"
        )
    entries = []
    for index, item in enumerate(data):
        if not isinstance(item, dict) or (missing := [k for k in SOLUTION_KEYS if k not in item]):
            key = missing[0] if isinstance(item, dict) else ""
            raise InputError(source, f"[{index}].{key}".rstrip("."), "missing key or not an object", "see the README")
        try:
            entries.append(
                Entry(
                    str(item["RESOURCE"]),
                    int(item["SC"]),
                    *(int(item[k]) for k in ("START_TIME", "TRACKING_ON", "TRACKING_OFF", "END_TIME")),
                    str(item["TRACK_ID"]),
                )
            )
        except (TypeError, ValueError, OverflowError):
            raise InputError(source, f"[{index}]", "times and SC must be whole numbers", "write Unix seconds") from None
    return entries

"""The values of SatNet files checked one by one, each problem an `InputError` naming the file and
the key: Unix times within the span jointtrack plans, hours and minutes of a plannable length,
whole numbers, ids and antenna names of one line."""

import math

from scheduler.errors import InputError
from scheduler.text import CONTROL_CHARACTERS
from scheduler.timeutil import EARLIEST, LATEST, SPAN_TEXT

EARLIEST_UNIX, LATEST_UNIX = int(EARLIEST.timestamp()), int(LATEST.timestamp())
MAX_HOURS = 366 * 24  # a request's duration: at most a year, the longest horizon we plan
MAX_MINUTES = 24 * 60  # setup or teardown: at most a day
ARRAY_SEPARATOR = "_"  # SatNet names an array resource DSS-34_DSS-35
MAX_NAME = 128


def number(item: dict, key: str, where: str, source: str) -> float:
    """A finite number (not a boolean)."""
    value = item[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InputError(source, f"{where}.{key}", f"expected a finite number, got {value!r}", "write a number")
    return float(value)


def unix_time(item: dict, key: str, where: str, source: str) -> int:
    """Whole Unix seconds within the span jointtrack plans."""
    value = number(item, key, where, source)
    if not EARLIEST_UNIX <= value <= LATEST_UNIX:
        problem = f"{item[key]!r} is not a Unix time within {SPAN_TEXT}"
        raise InputError(source, f"{where}.{key}", problem, "write Unix seconds (e.g. 1520035200 for 2018-03-03)")
    return int(value)


def hours(item: dict, key: str, where: str, source: str) -> int:
    """Positive hours of at most a year, as whole seconds."""
    value = number(item, key, where, source)
    if not 0 < value <= MAX_HOURS:
        raise InputError(source, f"{where}.{key}", f"{item[key]!r} hours", f"give hours above 0, at most {MAX_HOURS}")
    return round(value * 3600)


def minutes(item: dict, key: str, where: str, source: str) -> int:
    """Minutes 0..a day, as whole seconds."""
    value = number(item, key, where, source)
    if not 0 <= value <= MAX_MINUTES:
        raise InputError(source, f"{where}.{key}", f"{item[key]!r} minutes", f"give minutes 0..{MAX_MINUTES}")
    return round(value * 60)


def whole(item: dict, key: str, where: str, source: str) -> int:
    """A whole number (1.0 counts; 1.5, text and null do not)."""
    value = number(item, key, where, source)
    if not value.is_integer():
        raise InputError(source, f"{where}.{key}", f"expected a whole number, got {item[key]!r}", "write one")
    return int(value)


def name(value: object, where: str, source: str, what: str) -> str:
    """An id or name: text (or a whole number), one line, not empty, at most MAX_NAME characters."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InputError(source, where, f"{what} must be text, got {value!r}", f"write the {what} as a JSON string")
    text = str(value)
    if not text.strip() or len(text) > MAX_NAME or CONTROL_CHARACTERS.search(text):
        problem = f"{what} {text!r} is empty, longer than {MAX_NAME} characters or holds a control character"
        raise InputError(source, where, problem, f"give a one-line {what}")
    return text


def resource_antennas(resource: str, where: str, source: str) -> tuple[str, ...]:
    """The antennas a resource names: one, or an array's members joined by `_`, each once."""
    members = tuple(resource.split(ARRAY_SEPARATOR))
    if any(not m.strip() for m in members):
        problem = f"resource {resource!r} has an empty antenna name"
        raise InputError(source, where, problem, "join antenna names with one '_', as DSS-34_DSS-35")
    repeated = next((m for k, m in enumerate(members) if m in members[:k]), None)
    if repeated is not None:
        problem = f"resource {resource!r} names antenna {repeated} twice (one antenna cannot array with itself)"
        raise InputError(source, where, problem, f"name {repeated} once, as resource {repeated} or an array of others")
    return members

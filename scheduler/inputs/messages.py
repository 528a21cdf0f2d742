"""Pydantic validation errors as one line for the user: where (file, field), what, and the fix."""

from pydantic import ValidationError

from scheduler.errors import InputError
from scheduler.inputs.downlink import DATA_FIXES
from scheduler.timeutil import DURATION_HINT, TIME_HINT

_UNION_TAGS = frozenset({"str", "Station", "selector", "inline", "override"})


def _location(loc: tuple, data: object) -> str:
    """`requests[2] (MRO-daily).duration` from a pydantic error location."""
    parts: list[str] = []
    node = data
    for item in loc:
        if isinstance(item, int):
            label = f"[{item}]"
            node = node[item] if isinstance(node, list | tuple) and item < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("id"), str):
                label += f" ({node['id']})"
            parts.append(label)
        elif isinstance(node, dict) and item in node:
            parts.append(f".{item}")
            node = node[item]
        elif item in _UNION_TAGS or "[" in str(item) or "-" in str(item):
            continue  # a union branch or validator tag, not a key the user wrote
        else:
            parts.append(f".{item}")
            node = None
    return "".join(parts).lstrip(".") or "(top level)"


_TYPE_FIXES = {
    "extra_forbidden": "remove or correct this key; `jointtrack schema` lists the allowed keys",
    "missing": "add this key",
    "tuple_type": "write a YAML list (one '- item' per line, or [a, b])",
    "list_type": "write a YAML list (one '- item' per line, or [a, b])",
    "too_short": "give at least one entry",
    "dict_type": "write a mapping of key: value pairs",
    "model_type": "write a mapping of key: value pairs",
    "model_attributes_type": "write a mapping of key: value pairs",
    "int_parsing": "write a whole number",
    "int_type": "write a whole number",
    "int_from_float": "write a whole number",
    "float_parsing": "write a number",
    "float_type": "write a number",
    "bool_parsing": "write true or false",
    "bool_type": "write true or false",
    "string_type": "write text (quote it if YAML reads it as something else)",
    "literal_error": "use one of the values listed",
    "string_pattern_mismatch": "use ASCII letters, digits, '-', '_' or '.' (names: lowercase, digits, '-')",
    "string_too_long": "shorten it",
}


def fix_for(kind: str, message: str, field_name: str) -> str:
    """The fix to suggest for a pydantic error of type `kind`."""
    lowered = message.lower()
    if field_name == "band" and kind == "string_pattern_mismatch":
        return "name a band such as S, X, K, Ka or optical"
    for phrase, fix in DATA_FIXES.items():
        if phrase in message:
            return fix
    if kind in _TYPE_FIXES:
        return _TYPE_FIXES[kind]
    if "duration" in lowered or field_name in ("duration", "min_duration", "max_duration", "setup", "teardown"):
        return DURATION_HINT
    if "span of times" in lowered:
        return "give a time within 1678-01-01..2262-04-11"
    if "iso-8601" in lowered or "after start" in lowered or "leap second" in lowered:
        return TIME_HINT + ", with end after start"
    if "must not be negative" in lowered:
        return "give 0 or more"
    if "at most 366 days" in lowered:
        return "give a duration of at most 366d"
    if "longer than a year" in lowered:
        return "plan at most a year at a time"
    if kind.startswith(("greater", "less")):
        return "use a value in the allowed range"
    if "mask point" in lowered:
        return "write the mask as [azimuth_deg, elevation_deg] pairs, azimuth 0..360, elevation -5..90"
    return "correct the value"


def input_error(exc: ValidationError, data: object, source: str) -> InputError:
    """The one error worth showing of a failed validation of `data` (read from `source`)."""
    error = _most_specific(exc.errors())
    where = _location(tuple(error["loc"]), data)
    message = error["msg"].removeprefix("Value error, ")
    got = error.get("input")
    if (
        error["type"] not in ("missing", "model_type")
        and isinstance(got, str | int | float)
        and repr(got) not in message
    ):
        message += f" (got {got!r})"
    last = next((str(p) for p in reversed(error["loc"]) if isinstance(p, str)), "")
    return InputError(source, where, message, fix_for(error["type"], message, last))


def _most_specific(errors: list[dict]) -> dict:
    """The error the user most likely made; union branches that failed on type go last."""

    def rank(error: dict) -> int:
        if error["type"] == "extra_forbidden":
            return -1  # a misspelt key also shows up as the missing key it was meant to be
        return 1 if error["type"] in ("string_type", "model_type", "dict_type") else 0

    return sorted(errors, key=rank)[0]

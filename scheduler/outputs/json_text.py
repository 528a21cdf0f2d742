"""JSON as we write it: strict JSON, which has no NaN or Infinity, so a number that is not finite
(an unknown bound, a gap with no bound) is written `null` (docs/design.md: Outputs)."""

import json
import math


def finite(value: object) -> object:
    """`value` with every float that is not finite replaced by None, in lists and dicts too."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [finite(item) for item in value]
    return value


def json_text(value: object, indent: int = 2) -> str:
    """`value` as strict JSON text with a final newline; numpy scalars as plain numbers."""
    return json.dumps(finite(value), indent=indent, allow_nan=False, default=_plain) + "\n"


def _plain(value: object) -> object:
    item = getattr(value, "item", None)  # numpy scalars
    if item is None:
        raise TypeError(f"{type(value).__name__} is not JSON")
    return finite(item())

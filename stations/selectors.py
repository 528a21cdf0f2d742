"""Station selectors used in scenarios and requests.

Forms: an exact id (`DSS-14`), a glob (`DSS-*`), `agency:ESA`, `complex:Canberra`,
`kind:optical`, `country:ES`, `band:Ka`, `aperture>=34` (also `>`, `<=`, `<`, `=`).
"""

import difflib
import operator
import re
from collections.abc import Callable, Iterable
from fnmatch import fnmatchcase

from stations.model import Station

_COMPARISON = re.compile(r"^aperture\s*(>=|<=|>|<|==|=)\s*(\d+(?:\.\d+)?)$")
_OPERATORS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
    "==": operator.eq,
    "=": operator.eq,
}
_FIELDS: dict[str, Callable[[Station], Iterable[str]]] = {
    "agency": lambda s: [s.agency],
    "complex": lambda s: [s.complex],
    "kind": lambda s: [s.kind],
    "country": lambda s: [s.country],
    "band": lambda s: s.bands,
}
SELECTOR_HINT = (
    "use a station id, a glob like DSS-*, agency:ESA, complex:Canberra, kind:optical, "
    "band:Ka, country:ES or aperture>=34"
)


class SelectorError(ValueError):
    """A selector that is malformed or matches no station."""


def matches(selector: str, station: Station) -> bool:
    """Whether one selector picks this station (case-insensitive)."""
    text = selector.strip()
    comparison = _COMPARISON.match(text.lower())
    if comparison:
        return _OPERATORS[comparison.group(1)](station.aperture_m, float(comparison.group(2)))
    key, sep, value = text.partition(":")
    if sep:
        getter = _FIELDS.get(key.strip().lower())
        if getter is None:
            raise SelectorError(f"unknown selector field {key!r}; {SELECTOR_HINT}")
        return any(fnmatchcase(v.lower(), value.strip().lower()) for v in getter(station))
    return fnmatchcase(station.id.upper(), text.upper())


def resolve_stations(selectors: Iterable[str], stations: Iterable[Station]) -> list[Station]:
    """Stations picked by any selector, in the given station order, each once.

    Raises SelectorError naming the first selector that matches nothing.
    """
    pool = list(stations)
    chosen: dict[str, Station] = {}
    for selector in selectors:
        picked = [s for s in pool if matches(selector, s)]
        if not picked:
            raise SelectorError(f"{_nothing_matched(selector, pool)}; {SELECTOR_HINT}")
        chosen.update((s.id, s) for s in picked)
    return [s for s in pool if s.id in chosen]


def _nothing_matched(selector: str, pool: list[Station]) -> str:
    """`unknown station 'DSS-41' (did you mean DSS-43?)` for an id, `'agency:XYZ' matches no station` otherwise."""
    text = selector.strip()
    if ":" in text or _COMPARISON.match(text.lower()) or any(c in text for c in "*?["):
        return f"{selector!r} matches no station"
    close = difflib.get_close_matches(text.upper(), [s.id.upper() for s in pool], n=3, cutoff=0.6)
    ids = {s.id.upper(): s.id for s in pool}
    hint = f" (did you mean {', '.join(ids[c] for c in close)}?)" if close else ""
    return f"unknown station {selector!r}{hint}"

"""Station selectors used in scenarios and requests.

Forms: an exact id (`DSS-14`), a glob (`DSS-*`), `agency:ESA`, `complex:Canberra`,
`kind:optical`, `country:ES`, `band:Ka`, `aperture>=34` (also `>`, `<=`, `<`, `=`).
"""

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
            raise SelectorError(f"{selector!r} matches no station; {SELECTOR_HINT}")
        chosen.update((s.id, s) for s in picked)
    return [s for s in pool if s.id in chosen]

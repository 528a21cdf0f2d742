"""Cross-checks of a validated scenario that one field alone cannot express."""

from datetime import timedelta

from scheduler.errors import InputError
from scheduler.inputs.requests import RequestSpec
from scheduler.inputs.spec import ScenarioSpec
from scheduler.timeutil import format_duration
from stations import Station


def check_resolution(request: RequestSpec, resolution: timedelta, source: str, where: str) -> None:
    """Scheduled times snap to the resolution, so some multiple of it must lie in min..max duration."""
    step = resolution.total_seconds()
    shortest, longest = request.shortest.total_seconds(), request.longest.total_seconds()
    if -(-shortest // step) * step > longest:
        raise InputError(
            source,
            f"{where}.duration",
            f"no track length in {format_duration(shortest)}..{format_duration(longest)} is a multiple of the "
            f"resolution ({format_duration(step)})",
            "use durations that are multiples of the resolution, or a finer resolution",
        )


def check_together(request: RequestSpec, allowed: list[Station], source: str, where: str) -> None:
    """Arraying needs N of the request's antennas in one complex; ΔDOR needs N complexes."""
    complexes: dict[str, int] = {}
    for station in allowed:
        complexes[station.complex] = complexes.get(station.complex, 0) + 1
    if request.array is not None and max(complexes.values(), default=0) < request.array:
        raise InputError(
            source,
            f"{where}.array",
            f"no complex has {request.array} of the request's stations",
            "allow more antennas of one complex in stations, or lower array",
        )
    if request.complexes is not None and len(complexes) < request.complexes:
        raise InputError(
            source,
            f"{where}.complexes",
            f"the request's stations span {len(complexes)} complexes, fewer than {request.complexes}",
            "allow stations of more complexes, or lower complexes",
        )


def check_window(request: RequestSpec, spec: ScenarioSpec, source: str, where: str) -> None:
    """The request window meets the horizon and holds one track."""
    window = request.window
    if window is None:
        return
    if window.end <= spec.start or window.start >= spec.end:
        raise InputError(
            source, f"{where}.window", "lies outside the planning horizon", "move the window inside start..end"
        )
    usable = min(window.end, spec.end) - max(window.start, spec.start)
    if usable < request.shortest:
        raise InputError(
            source, f"{where}.window", "is shorter than the requested duration", "widen the window or shorten the track"
        )


def check_unique(ids: list[str], what: str, source: str) -> None:
    """Every id once."""
    seen: set[str] = set()
    for index, item in enumerate(ids):
        if item in seen:
            raise InputError(source, f"{what}[{index}].id", f"duplicate id {item!r}", "give each entry its own id")
        seen.add(item)

"""Cross-checks of the operations keys (README: Request semantics): bands, spread, linked requests,
complex rules. Each problem an `InputError` naming the file, the field and the fix."""

from collections.abc import Mapping, Sequence

from scheduler.errors import InputError
from scheduler.inputs.requests import RequestSpec
from scheduler.inputs.spec import ScenarioSpec
from stations import Station
from stations.complexes import ComplexRule, default_complex_rules


def band_stations(request: RequestSpec, allowed: Sequence[Station], source: str, where: str) -> tuple[str, ...]:
    """The request's stations whose catalog bands include its `band` (matching ignores case)."""
    if request.band is None:
        return tuple(s.id for s in allowed)
    if request.downlink is not None and request.downlink.band.lower() != request.band.lower():
        raise InputError(
            source,
            f"{where}.band",
            f"band {request.band} differs from downlink.band {request.downlink.band}",
            "give the same band in both, or drop band (the downlink's is the request's)",
        )
    wanted = request.band.lower()
    found = tuple(s.id for s in allowed if wanted in {b.lower() for b in s.bands})
    if not found:
        raise InputError(
            source,
            f"{where}.band",
            f"none of the request's stations has band {request.band!r}",
            f"allow stations with it (`jointtrack stations --select band:{request.band}`) or name another band",
        )
    return found


def check_spread(request: RequestSpec, allowed: Sequence[Station], source: str, where: str) -> None:
    """`spread` needs as many complexes among the request's stations."""
    complexes = {s.complex for s in allowed}
    if request.spread is not None and len(complexes) < request.spread.complexes:
        raise InputError(
            source,
            f"{where}.spread.complexes",
            f"the request's stations span {len(complexes)} complexes, fewer than {request.spread.complexes}",
            "allow stations of more complexes, or lower spread.complexes",
        )


def check_after(spec: ScenarioSpec, source: str) -> None:
    """`after` names another request of the scenario, one that has whole tracks, and no chain of
    `after` links comes back to where it started."""
    requests = {r.id: r for r in spec.requests}
    for index, request in enumerate(spec.requests):
        if request.after is None:
            continue
        where = f"requests[{index}] ({request.id}).after.request"
        first = requests.get(request.after.request)
        if first is None:
            raise InputError(source, where, f"unknown request {request.after.request!r}", "name a request id")
        if first.split is not None or first.continuous:
            raise InputError(
                source,
                where,
                f"{first.id} is split or continuous: its tracks have no single end to follow",
                "follow a request with whole tracks",
            )
        seen, step = {request.id}, first
        while step is not None:
            if step.id in seen:
                raise InputError(source, where, "the after links form a cycle", "break the chain of after links")
            seen.add(step.id)
            step = requests.get(step.after.request) if step.after is not None else None


def complex_rules(spec: ScenarioSpec, stations: Sequence[Station], source: str) -> Mapping[str, ComplexRule]:
    """The rules of each complex of the scenario's stations: the bundled defaults, with the
    scenario's `complex_rules` over them. Complexes without any rule are left out."""
    present = sorted({s.complex for s in stations})
    for name in spec.complex_rules:
        if name not in present:
            raise InputError(
                source,
                f"complex_rules.{name}",
                f"no station of the scenario is at complex {name!r}",
                f"name one of {', '.join(present)}",
            )
    defaults = default_complex_rules()
    rules: dict[str, ComplexRule] = {}
    for name in present:
        rule = defaults.get(name, ComplexRule(complex=name))
        given = spec.complex_rules.get(name)
        if given is not None:
            rule = rule.model_copy(update=given.model_dump(exclude_none=True))
        if rule.start_spacing.total_seconds() > 0 or rule.max_links is not None:
            rules[name] = rule
    return rules

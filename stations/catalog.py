"""Loading the bundled station catalog."""

from functools import cache
from importlib import resources

import yaml
from pydantic import ValidationError

from stations.model import Station

CATALOG_FILE = "catalog.yaml"


@cache
def load_catalog() -> dict[str, Station]:
    """All catalog stations by id, in catalog order."""
    text = resources.files("stations").joinpath(CATALOG_FILE).read_text(encoding="utf-8")
    entries = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or []  # libyaml when built
    catalog: dict[str, Station] = {}
    for index, entry in enumerate(entries):
        try:
            station = Station.model_validate(entry)
        except ValidationError as exc:  # a broken bundled catalog is a bug, not user input
            raise RuntimeError(f"stations/{CATALOG_FILE} entry {index}: {exc}") from exc
        if station.id in catalog:
            raise RuntimeError(f"stations/{CATALOG_FILE}: duplicate id {station.id}")
        catalog[station.id] = station
    return catalog

"""The station catalog: radio antennas and optical telescopes of the network, with sources."""

from stations.catalog import load_catalog
from stations.model import Station
from stations.selectors import resolve_stations

__all__ = ["Station", "load_catalog", "resolve_stations"]

"""Station selectors as scenarios and requests use them."""

import pytest

from stations import load_catalog, resolve_stations
from stations.selectors import SelectorError


def ids(*selectors: str) -> list[str]:
    return [s.id for s in resolve_stations(selectors, load_catalog().values())]


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("DSS-14", ["DSS-14"]),
        ("dss-14", ["DSS-14"]),
        ("DSS-6*", ["DSS-63", "DSS-65"]),
        ("DSS-?4", ["DSS-14", "DSS-24", "DSS-34", "DSS-54"]),
        ("agency:ESA", ["DSA-1", "DSA-2", "DSA-3", "KIR-1", "MSP-1", "IZANA-OGS"]),
        ("agency:cnsa", ["KASHI-35", "JMS-66", "NQN-35"]),
        ("complex:Canberra", ["DSS-34", "DSS-35", "DSS-36", "DSS-43"]),
        ("complex:New Norcia", ["DSA-1"]),
        ("country:JP", ["UDSC-64", "MDSS-54"]),
        ("aperture>=70", ["DSS-14", "DSS-43", "DSS-63", "USS-70", "EFF-100"]),
        ("aperture > 64", ["DSS-14", "DSS-43", "DSS-63", "JMS-66", "TM-65", "USS-70", "EFF-100"]),
        ("aperture<1", ["WLRS-075"]),
        ("aperture=54", ["MDSS-54"]),
    ],
)
def test_selector_picks_documented_stations(selector: str, expected: list[str]) -> None:
    assert ids(selector) == expected


def test_kind_selector_picks_every_optical_site() -> None:
    optical = ids("kind:optical")
    assert len(optical) >= 6
    assert {"OCTL-1", "HALE-5", "IZANA-OGS"} <= set(optical)
    assert all(load_catalog()[i].kind == "optical" for i in optical)


def test_band_selector_matches_any_listed_band() -> None:
    ka = ids("band:Ka")
    assert {"DSS-25", "DSS-55", "DSA-2", "DSA-3", "MDSS-54"} <= set(ka)
    assert "DSS-14" not in ka
    assert all("Ka" in load_catalog()[i].bands for i in ka)


def test_several_selectors_union_in_catalog_order_without_repeats() -> None:
    assert ids("DSS-43", "complex:Canberra", "DSS-14") == ["DSS-14", "DSS-34", "DSS-35", "DSS-36", "DSS-43"]


def test_unknown_id_is_an_error_that_suggests_near_ids() -> None:
    with pytest.raises(SelectorError, match=r"unknown station 'DSS-44' \(did you mean .*DSS-43"):
        ids("DSS-44")


@pytest.mark.parametrize("selector", ["agency:NOBODY", "DSS-9*", "aperture>=500", "band:W"])
def test_selector_that_matches_nothing_is_an_error(selector: str) -> None:
    with pytest.raises(SelectorError, match="matches no station"):
        ids("DSS-14", selector)


def test_unknown_selector_field_is_an_error() -> None:
    with pytest.raises(SelectorError, match="unknown selector field 'operator'"):
        ids("operator:NASA")

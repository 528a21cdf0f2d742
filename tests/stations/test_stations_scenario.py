"""Stations in scenarios: every selector form, overrides of catalog fields, inline stations, errors."""

import pytest

from scheduler.errors import InputError
from scheduler.inputs import load_scenario, load_scenario_text
from stations import load_catalog
from tests.conftest import REPO, SCENARIOS

SCENARIO = SCENARIOS / "every-selector.yaml"


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(SCENARIO)


def test_scenario_selects_by_every_selector_form(scenario) -> None:
    chosen = {s.id for s in scenario.stations}
    catalog = load_catalog()
    expected = (
        {"DSS-14", "DSS-63", "DSS-65", "DSS-34", "DSS-35", "DSS-36", "DSS-43", "MY-OBS"}
        | {i for i, s in catalog.items() if s.agency == "ESA" or s.kind == "optical" or s.aperture_m >= 64}
        | {i for i, s in catalog.items() if "Ka" in s.bands}
    )
    assert chosen == expected


def test_requests_resolve_their_selectors_among_the_scenario_stations(scenario) -> None:
    assert set(scenario.request_stations["BIG"]) == {"DSS-14", "DSS-43", "DSS-63", "USS-70", "EFF-100"}
    assert set(scenario.request_stations["EU"]) == {"DSA-1", "DSA-2", "DSA-3", "KIR-1", "MSP-1", "IZANA-OGS"} | {
        "DSS-63",
        "DSS-65",
    }
    assert set(scenario.request_stations["EYE"]) == {s.id for s in scenario.stations if s.kind == "optical"}
    assert "MY-OBS" in scenario.request_stations["EYE"]


def test_override_changes_only_the_given_fields_of_a_catalog_station(scenario) -> None:
    catalog = load_catalog()["DSS-63"]
    overridden = scenario.station("DSS-63")
    assert overridden.horizon_mask == ((0.0, 12.0), (180.0, 20.0))
    assert overridden.setup.total_seconds() == 30 * 60
    assert (overridden.lat_deg, overridden.lon_deg, overridden.height_m) == (
        catalog.lat_deg,
        catalog.lon_deg,
        catalog.height_m,
    )
    assert overridden.teardown == catalog.teardown and overridden.source == catalog.source
    assert overridden.mask_elevation_deg([90.0]) == pytest.approx([16.0])
    assert scenario.station("DSS-65") == load_catalog()["DSS-65"]


def test_override_applies_wherever_the_station_is_selected() -> None:
    text = SCENARIO.read_text().replace("  - DSS-14\n", "  - {id: DSS-14, min_elevation_deg: 15}\n  - DSS-1*\n")
    loaded = load_scenario_text(text)
    assert loaded.station("DSS-14").min_elevation_deg == 15
    assert [s.id for s in loaded.stations].count("DSS-14") == 1


def test_inline_station_keeps_its_own_fields(scenario) -> None:
    mine = scenario.station("MY-OBS")
    assert (mine.kind, mine.agency, mine.min_elevation_deg, mine.sun_max_elevation_deg) == ("optical", "IAC", 20, -12)


@pytest.mark.parametrize(
    ("old", "new", "field", "problem"),
    [
        ("[180, 20]]", "[400, 20]]", "stations[7] (DSS-63).horizon_mask", "outside azimuth"),
        ("setup: 30m}", "setup: soon}", "stations[7] (DSS-63).setup", "not a duration"),
        ("{id: DSS-63,", "{id: DSS-99,", "stations[7] (DSS-99).id", "not a catalog station"),
        ("setup: 30m}", "lat: 40}", "stations[7] (DSS-63).lat", "Extra inputs"),
        ("height_m: 2390,", "", "stations[8] (MY-OBS).height_m", "Field required"),
        ("  - complex:Canberra\n", "  - complex:Canbera\n", "stations[3]", "matches no station"),
        ("  - DSS-14\n", "  - DSS-41\n", "stations[0]", "unknown station 'DSS-41'"),
        ('["aperture>=70"]', '["aperture>=200"]', "requests[0] (BIG).stations", "matches no station"),
    ],
)
def test_bad_station_entries_name_the_field(old: str, new: str, field: str, problem: str) -> None:
    text = SCENARIO.read_text()
    assert old in text
    with pytest.raises(InputError) as caught:
        load_scenario_text(text.replace(old, new, 1), "every-selector.yaml")
    assert caught.value.field == field
    assert problem in caught.value.problem
    assert caught.value.fix


def test_second_override_of_one_station_is_an_error() -> None:
    text = SCENARIO.read_text().replace("  - DSS-14\n", "  - {id: DSS-63, min_elevation_deg: 15}\n")
    with pytest.raises(InputError, match="second override of 'DSS-63'"):
        load_scenario_text(text)


def test_bundled_default_scenario_still_resolves() -> None:
    default = load_scenario(REPO / "scenarios" / "default.yaml")
    assert [s.id for s in default.stations] == ["DSS-14", "DSS-24", "DSS-34", "DSS-43", "DSS-54", "DSS-63"]
    assert set(default.request_stations["TW1-science"]) == {"DSS-14", "DSS-43", "DSS-63"}

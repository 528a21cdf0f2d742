"""The bundled station catalog: complete, sourced, and where the published geodesy says."""

from importlib import resources

import astropy.units as u
import numpy as np
import pytest
import yaml
from astropy.coordinates import EarthLocation

from stations import Station, load_catalog

# JPL DSN No. 810-005, module 301 "Coverage and Geometry", Rev. P (issued 2026-05-22), Table 2:
# Cartesian coordinates of the DSN stations, ITRF93, epoch 2003.0, metres (as transcribed in NAIF's
# generic kernel earth_topo_260717.tf, N. Bachman, 2026-07-17).
DSN_301P_ITRF93 = {
    "DSS-14": (-2353621.420, -4641341.472, +3677052.318),
    "DSS-23": (-2354702.027, -4646969.709, +3669213.211),
    "DSS-24": (-2354906.711, -4646840.095, +3669242.325),
    "DSS-25": (-2355022.014, -4646953.204, +3669040.567),
    "DSS-26": (-2354890.797, -4647166.328, +3668871.755),
    "DSS-34": (-4461147.093, +2682439.239, -3674393.133),
    "DSS-35": (-4461273.090, +2682568.925, -3674152.093),
    "DSS-36": (-4461168.415, +2682814.657, -3674083.901),
    "DSS-43": (-4460894.917, +2682361.507, -3674748.152),
    "DSS-53": (+4849338.209, -360657.812, +4114746.173),
    "DSS-54": (+4849434.488, -360723.8999, +4114618.835),
    "DSS-55": (+4849525.256, -360606.0932, +4114495.084),
    "DSS-56": (+4849421.679, -360549.659, +4114646.987),
    "DSS-63": (+4849092.518, -360180.3480, +4115109.251),
    "DSS-65": (+4849339.634, -360427.6637, +4114750.733),
}

REQUIRED_SITES = {
    "NASA": {"DSS-14", "DSS-43", "DSS-63", "DSS-34", "DSS-54", "OCTL-1"},
    "ESA": {"DSA-1", "DSA-2", "DSA-3", "IZANA-OGS"},
    "JAXA": {"UDSC-64", "MDSS-54"},
    "ISRO": {"IDSN-32"},
    "CNSA": {"KASHI-35", "JMS-66", "NQN-35"},
    "ROSCOSMOS": {"BLK-64", "KLZ-64", "USS-70"},
    "KARI": {"KDSA-1"},
    "ASI": {"SRT-64"},
}


def raw_entries() -> list[dict]:
    return yaml.safe_load(resources.files("stations").joinpath("catalog.yaml").read_text(encoding="utf-8"))


def itrs_m(station: Station) -> np.ndarray:
    site = EarthLocation.from_geodetic(station.lon_deg * u.deg, station.lat_deg * u.deg, station.height_m * u.m)
    return np.array([site.x.to_value(u.m), site.y.to_value(u.m), site.z.to_value(u.m)])


def test_station_ids_are_unique() -> None:
    ids = [entry["id"] for entry in raw_entries()]
    assert len(ids) == len(set(ids))
    assert len(load_catalog()) == len(ids)


def test_every_entry_cites_the_source_of_its_coordinates() -> None:
    for entry in raw_entries():
        assert len(entry.get("source", "")) > 30, f"{entry['id']} has no usable source"


def test_catalog_covers_the_international_network() -> None:
    catalog = load_catalog()
    stations = list(catalog.values())
    assert len(stations) >= 35
    assert len({s.agency for s in stations}) >= 7
    assert sum(s.kind == "optical" for s in stations) >= 6
    for agency, ids in REQUIRED_SITES.items():
        assert ids <= set(catalog), f"missing {agency} sites: {ids - set(catalog)}"
        assert {catalog[i].agency for i in ids} == {agency}


def test_every_current_dsn_antenna_is_listed() -> None:
    dsn = {s.id for s in load_catalog().values() if s.id.startswith("DSS-")}
    assert dsn == set(DSN_301P_ITRF93)


@pytest.mark.parametrize("station_id", sorted(DSN_301P_ITRF93))
def test_dsn_position_agrees_with_published_itrf_within_10_m(station_id: str) -> None:
    station = load_catalog()[station_id]
    offset_m = np.linalg.norm(itrs_m(station) - np.array(DSN_301P_ITRF93[station_id]))
    assert offset_m <= 10.0
    assert offset_m < 0.01  # in fact converted from these very numbers


def test_cartesian_entries_agree_with_their_geodetic_position() -> None:
    cartesian = [s for s in load_catalog().values() if s.itrf_m is not None]
    assert len(cartesian) >= 25
    for station in cartesian:
        assert station.itrf_frame, station.id
        assert np.linalg.norm(itrs_m(station) - np.array(station.itrf_m)) < 0.01, station.id


def test_geodetic_values_are_plausible_for_their_country() -> None:
    catalog = load_catalog()
    assert catalog["DSS-43"].lat_deg == pytest.approx(-35.4024, abs=1e-3)
    assert catalog["DSA-3"].lon_deg == pytest.approx(-69.398, abs=1e-3)  # Malargue, west of Greenwich
    assert catalog["MDSS-54"].height_m == pytest.approx(1580 + 42.6, abs=0.5)  # altitude + EGM96 undulation
    assert all(-500 < s.height_m < 3100 for s in catalog.values())


def test_optical_sites_observe_at_night_only_by_default() -> None:
    for station in load_catalog().values():
        if station.kind == "optical":
            assert station.sun_max_elevation_deg == -12.0
            assert station.bands == ("optical",)
            assert station.aperture_m > 0


def test_horizon_mask_interpolates_between_points_and_wraps_north() -> None:
    station = Station(
        id="T", kind="radio", lat_deg=0, lon_deg=0, height_m=0, min_elevation_deg=2, horizon_mask=[[90, 15], [0, 5]]
    )
    azimuth = np.array([0.0, 45.0, 90.0, 225.0, 359.0, 405.0])
    expected = [5.0, 10.0, 15.0, 10.0, 5.0 + 10.0 / 270.0, 10.0]
    assert station.mask_elevation_deg(azimuth) == pytest.approx(expected)


def test_minimum_elevation_is_a_floor_under_the_mask() -> None:
    station = Station(
        id="T", kind="radio", lat_deg=0, lon_deg=0, height_m=0, min_elevation_deg=12, horizon_mask=[[0, 5], [180, 20]]
    )
    assert station.mask_elevation_deg(np.array([0.0, 90.0, 180.0])) == pytest.approx([12.0, 12.5, 20.0])


def test_published_masks_and_limits_shape_the_catalog_floor() -> None:
    catalog = load_catalog()
    effelsberg = catalog["EFF-100"].mask_elevation_deg(np.array([50.0, 85.0, 175.0]))
    assert effelsberg == pytest.approx([21.0, 16.5, 9.0])  # mask 21, 18..15 interpolated, then the 9 deg axis limit
    assert catalog["UDSC-64"].mask_elevation_deg(np.array([10.0, 200.0])) == pytest.approx([7.6, 12.0])
    assert catalog["PKS-64"].mask_elevation_deg(np.array([0.0, 270.0])) == pytest.approx([30.5, 30.5])
    assert catalog["DSS-14"].mask_elevation_deg(np.array([123.0])) == pytest.approx([6.0])

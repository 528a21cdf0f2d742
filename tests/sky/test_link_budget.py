"""The link budget against a handbook example, its scaling laws, and the catalog's G/T figures."""

from typing import get_args

import numpy as np
import pytest

from scheduler.inputs.downlink import DownlinkSpec, format_bits, parse_volume
from scheduler.problem.rates import rate_profiles
from scheduler.sky.downlink import LinkSamples
from scheduler.sky.link_budget import (
    BOLTZMANN_DBW,
    free_space_loss_db,
    max_rate_bps,
    received_pr_n0_dbhz,
    selectable_rate_bps,
)
from stations import load_catalog
from stations.receive import Band, ReceiveBand, estimated_gt_dbk, gt_dbk

AU_M = 149_597_870_700.0


def test_link_budget_matches_the_galileo_design_control_table() -> None:
    """J. H. Yuen (ed.), Deep Space Telecommunications Systems Engineering, JPL Publication 82-76,
    Table 1-1: Galileo X-band downlink at 6.37 AU (line items as transcribed in ashfordeOU/kshana
    tests/fixtures/one_way_link_budget). Published: L_fs 290.54 dB, received Pr/N0 54.6 dB-Hz."""
    freq_hz, range_m = 8420.43e6, 9.529e11
    eirp_dbw = 10.5 - 0.2 + 50.0  # transmitter, circuit loss, HGA gain
    other_losses_db = 1.2 + 0.04  # spacecraft pointing, polarisation
    gt_dbk = 71.7 - 10 * np.log10(26.30)  # DSN receive gain over system noise temperature
    assert free_space_loss_db(range_m, freq_hz) == pytest.approx(290.54, abs=0.05)
    pr_n0 = received_pr_n0_dbhz(eirp_dbw, range_m, freq_hz, gt_dbk, other_losses_db)
    assert pr_n0 == pytest.approx(54.6, abs=0.1)
    assert round(BOLTZMANN_DBW, 3) == -228.599


def test_rate_falls_with_range_squared() -> None:
    """Doubling the range costs 6.02 dB of free-space loss: a quarter of the rate."""
    near, far = (received_pr_n0_dbhz(65.0, r, 8.42e9, 62.0) for r in (1.5 * AU_M, 3.0 * AU_M))
    assert float(max_rate_bps(far, 2.5, 3.0) / max_rate_bps(near, 2.5, 3.0)) == pytest.approx(0.25, rel=1e-9)
    ladder = (1e6, 2e6, 4e6, 8e6)
    assert selectable_rate_bps(np.array([7.9e6, 7.9e6 / 4, 0.5e6]), ladder).tolist() == [4e6, 1e6, 0.0]


def test_without_a_rate_ladder_the_rate_is_rounded_down_to_a_tenth_of_a_decibel() -> None:
    rate = float(selectable_rate_bps(np.array(3.3e6), None))
    assert rate <= 3.3e6 and 10 * np.log10(rate) == pytest.approx(65.1, abs=1e-9)
    assert 3.3e6 / rate < 10**0.01


def test_gt_of_a_70m_antenna_rises_with_elevation_and_stops_below_6_degrees() -> None:
    receive = load_catalog()["DSS-14"].receive["X"]
    values = gt_dbk(receive, np.array([5.9, 6.0, 10.0, 20.0, 45.0, 90.0]))
    assert values[0] == -np.inf
    assert np.all(np.diff(values[1:]) > 0)
    assert values[-1] == pytest.approx(receive.gt_dbk, abs=0.01)
    assert values[-1] - values[2] == pytest.approx(3.2, abs=0.1)  # 10 deg costs about 3 dB at X


def test_dsn_gt_comes_from_the_transcribed_810_005_parameters() -> None:
    catalog = load_catalog()
    dss14 = catalog["DSS-14"].receive["X"]
    assert (dss14.g0_dbi, dss14.t1_k, dss14.t2_k, dss14.a_per_deg) == (74.55, 11.63, 7.11, 0.065)
    assert dss14.status == "transcribed" and "101 Rev. E Table 2" in dss14.source
    dss35 = catalog["DSS-35"].receive["X"]
    assert (dss35.g0_dbi, dss35.g1_db_per_deg2, dss35.gamma_deg, dss35.t1_k) == (68.35, 0.000045, 45.0, 14.7)
    assert 54.9 < dss35.gt_dbk < 55.1  # 810-005 104: 68.35 dBi over about 20 K
    assert catalog["MDSS-54"].receive["X"].status == "published"
    assert catalog["MDSS-54"].receive["X"].gt_dbk == 53.8


def test_every_radio_band_has_a_sourced_gt_and_estimates_follow_the_documented_formula() -> None:
    for station in load_catalog().values():
        if station.kind != "radio":
            continue
        # every band the link budget knows (S, X, Ka) has a G/T; K (26 GHz receive) has no link budget yet
        assert set(station.receive) == set(station.bands) & set(get_args(Band)), station.id
        for band, receive in station.receive.items():
            assert receive.source, f"{station.id} {band}"
            if receive.estimate and "eta" in receive.source:
                derate = 0.0 if station.agency == "NASA" else 3.0
                assert receive.gt_dbk == pytest.approx(estimated_gt_dbk(station.aperture_m, band, derate), abs=0.01)


def test_a_band_given_by_its_zenith_gt_alone_follows_the_same_curve() -> None:
    receive = ReceiveBand(gt_dbk=53.8, status="published").completed("X")
    assert float(gt_dbk(receive, np.array(90.0))) == pytest.approx(53.8, abs=1e-3)
    assert float(gt_dbk(receive, np.array(10.0))) < 53.8 - 1.0
    with pytest.raises(ValueError, match="disagrees"):
        ReceiveBand(gt_dbk=60.0, g0_dbi=74.55, t1_k=11.63).completed("X")


def test_arrayed_antennas_add_their_received_power() -> None:
    downlink = DownlinkSpec(band="X", eirp_dbw=60, required_eb_n0_db=0.0, margin_db=0.0)
    samples = LinkSamples(60, ((10, np.full(5, 60.0)),))
    profiles = rate_profiles(downlink, {"A": samples, "B": samples}, [("A",), ("A", "B")], 60)
    single, double = profiles[("A",)].segments[0][1], profiles[("A", "B")].segments[0][1]
    assert len(single) == 4  # five grid points, four slots
    assert 10 * np.log10(double[0] / single[0]) == pytest.approx(3.0, abs=0.1)


@pytest.mark.parametrize(
    ("text", "bits"), [("40Gbit", 40e9), ("500Mbit", 500e6), ("2.5GB", 20e9), ("1 kbit", 1000), ("3TB", 24e12)]
)
def test_volumes_are_decimal_with_explicit_bit_or_byte_units(text: str, bits: float) -> None:
    assert parse_volume(text) == bits


@pytest.mark.parametrize("text", ["40Gb", "40 gbit", "2GiB", "40", 40, "-1Gbit", "0Gbit"])
def test_ambiguous_volumes_are_refused(text: object) -> None:
    with pytest.raises(ValueError):
        parse_volume(text)


def test_bits_read_in_the_largest_unit() -> None:
    assert [format_bits(b) for b in (40.08e9, 4e6, 999.0)] == ["40.1 Gbit", "4 Mbit", "999 bit"]

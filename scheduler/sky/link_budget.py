"""The downlink budget: from EIRP, range, frequency and the station's G/T to the data rate.

All quantities in dB, as a design control table lists them (JPL 810-005; Yuen, JPL Pub 82-76):

    Pr/N0  = EIRP − L_fs − L_other + G/T − 10·log10 k              [dB-Hz]
    L_fs   = 20·log10(4π·R·f / c)                                  (ITU-R P.525)
    R_max  = 10^((Pr/N0 − (Eb/N0)_req − margin) / 10)              [bit/s]

with k Boltzmann's constant (exact since the 2019 SI). The atmosphere is inside G/T (810-005
Appendix A), so it is not counted again. The rate used is the highest of the mission's selectable
rates that closes (R ≤ R_max); a mission that lists none gets R_max rounded down to a whole
0.1 dB (at most 2.3 % below), so rates still come in steps the allocation model counts exactly.
Every function works on whole numpy arrays.
"""

from collections.abc import Sequence

import numpy as np

BOLTZMANN_J_K = 1.380649e-23  # SI 2019, exact
BOLTZMANN_DBW = 10.0 * np.log10(BOLTZMANN_J_K)  # −228.599 dBW/K/Hz
SPEED_OF_LIGHT_M_S = 299_792_458.0
RATE_STEP_DB = 0.1  # without selectable rates, R_max is rounded down to a multiple of this


def free_space_loss_db(range_m: np.ndarray, freq_hz: float) -> np.ndarray:
    """Spreading loss between isotropic antennas `range_m` apart."""
    return 20.0 * np.log10(4.0 * np.pi * np.asarray(range_m, dtype=float) * freq_hz / SPEED_OF_LIGHT_M_S)


def received_pr_n0_dbhz(
    eirp_dbw: float, range_m: np.ndarray, freq_hz: float, gt_dbk: np.ndarray, losses_db: float = 0.0
) -> np.ndarray:
    """Received total power to noise spectral density, dB-Hz (−inf where G/T is −inf)."""
    return eirp_dbw - free_space_loss_db(range_m, freq_hz) - losses_db + np.asarray(gt_dbk) - BOLTZMANN_DBW


def max_rate_bps(pr_n0_dbhz: np.ndarray, required_eb_n0_db: float, margin_db: float) -> np.ndarray:
    """The highest data rate whose Eb/N0 meets the requirement with the margin to spare."""
    return 10.0 ** ((np.asarray(pr_n0_dbhz, dtype=float) - required_eb_n0_db - margin_db) / 10.0)


def selectable_rate_bps(max_rate: np.ndarray, rates_bps: Sequence[float] | None) -> np.ndarray:
    """The highest selectable rate not above `max_rate` (0 where none closes); without a list,
    `max_rate` rounded down to a multiple of RATE_STEP_DB."""
    limit = np.asarray(max_rate, dtype=float)
    if not rates_bps:
        with np.errstate(divide="ignore"):
            steps = np.floor(10.0 * np.log10(limit) / RATE_STEP_DB)
        return np.where(limit > 0, 10.0 ** (steps * RATE_STEP_DB / 10.0), 0.0)
    ladder = np.sort(np.asarray(rates_bps, dtype=float))
    index = np.searchsorted(ladder, limit, side="right") - 1
    return np.where(index >= 0, ladder[np.clip(index, 0, None)], 0.0)


def combined_pr_n0_dbhz(per_antenna_dbhz: np.ndarray, axis: int = 0) -> np.ndarray:
    """Arrayed antennas: received power adds, noise densities are independent, so Pr/N0 (as G/T)
    adds linearly over the antennas along `axis`."""
    with np.errstate(divide="ignore"):
        return 10.0 * np.log10(np.sum(10.0 ** (np.asarray(per_antenna_dbhz) / 10.0), axis=axis))

"""How well a radio antenna receives in one band: zenith G/T and how it falls with elevation.

The elevation model is JPL DSN 810-005's (modules 101/103/104 Appendix A, eqs. A-1..A-9; module
105 Rev. E for the atmosphere), stated for 6° ≤ θ ≤ 90°:

    G(θ)   = G0 − G1·(θ − γ)² − A_zen / sin θ
    T(θ)   = T1 + T2·exp(−a·θ) + T_p·(1 − 1/L) + T_CMB / L,   L = 10^(A_zen / (10·sin θ))
    G/T(θ) = G(θ) − 10·log10 T(θ)

with T_p = 255 + 25·CD K (CD the weather cumulative distribution; planning uses CD = 0.90, the
810-005 design practice for an adverse link) and T_CMB = 2.725 K. Below 6° the model is not
evaluated: no G/T, no data. A band given only by its zenith G/T (a published figure or an
estimate) gets T2 = 0, G1 = 0, the band's typical zenith system temperature and attenuation,
so the same curve applies (docs/design.md: Link budget and data volume).
"""

import math
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    import numpy as np

Band = Literal["S", "X", "Ka"]

# Deep-space downlink band centres (CCSDS 401; DSN 810-005 module 201; Stelzried et al., DESCANSO
# Low-Noise Systems in the DSN, Table 2-1): S 2290-2300, X 8400-8450, Ka 31800-32300 MHz.
BAND_FREQ_HZ: dict[str, float] = {"S": 2.295e9, "X": 8.42e9, "Ka": 32.0e9}
PLANNING_CD = 0.90
T_PHYSICAL_K = 255.0 + 25.0 * PLANNING_CD  # 810-005 105 Rev. E eq. 1 (104 eq. A-7)
T_CMB_K = 2.725  # 810-005 105 Rev. E §2.1.4
MIN_ELEVATION_DEG = 6.0  # 810-005 104 eq. A-1 is stated for 6..90 deg
GT_TOLERANCE_DB = 0.05  # a band's zenith G/T and its G0/T1 parameters must agree to this
# Typical zenith attenuation at CD 0.90: X from 810-005 104 Rev. L Table A-5 (Madrid; Goldstone
# 0.047, Canberra 0.058), S and Ka estimates (dry gas at S; gas and water vapour at 32 GHz).
ZENITH_ATTENUATION_DB: dict[str, float] = {"S": 0.033, "X": 0.055, "Ka": 0.25}
# The documented estimate for an antenna without a published figure: aperture efficiency and
# zenith system temperature of a cryogenic receiver (DSN-like), per band.
EFFICIENCY: dict[str, float] = {"S": 0.70, "X": 0.65, "Ka": 0.50}
T_ZENITH_K: dict[str, float] = {"S": 30.0, "X": 22.0, "Ka": 35.0}
UNVERIFIED_DERATE_DB = 3.0  # published non-DSN figures run 2.7-4.5 dB below the estimate
SPEED_OF_LIGHT_M_S = 299_792_458.0

Status = Literal["published", "transcribed", "derived", "estimate"]


class ReceiveBand(BaseModel):
    """G/T of one antenna in one band: the zenith figure with its source, and the parameters of
    the elevation model (810-005 Appendix A). `g0_dbi` and `t1_k` are derived from `gt_dbk` when
    not given; when given, they must reproduce it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    gt_dbk: float = Field(ge=0, le=90, description="zenith G/T at CD 0.90, dB/K")
    status: Status = Field(
        default="estimate",
        description="published (read in the primary source), transcribed (a public copy of the primary table, "
        "not checked against it), derived (computed from such figures), estimate (the documented estimate)",
    )
    source: str = ""
    g0_dbi: float | None = Field(default=None, ge=0, le=120, description="vacuum gain at its peak")
    t1_k: float | None = Field(default=None, ge=0, le=1000, description="antenna-microwave noise, constant part")
    g1_db_per_deg2: float = Field(default=0.0, ge=0, le=0.01)
    gamma_deg: float = Field(default=45.0, ge=0, le=90, description="elevation of peak gain")
    t2_k: float = Field(default=0.0, ge=-100, le=1000)
    a_per_deg: float = Field(default=0.0, ge=0, le=1)
    azen_db: float | None = Field(default=None, ge=0, le=10, description="zenith atmospheric attenuation at CD 0.90")

    @property
    def estimate(self) -> bool:
        return self.status == "estimate"

    def completed(self, band: str) -> "ReceiveBand":
        """Every model parameter filled in (band defaults, G0 and T1 from the zenith G/T)."""
        azen = ZENITH_ATTENUATION_DB[band] if self.azen_db is None else self.azen_db
        if (self.g0_dbi is None) != (self.t1_k is None):
            raise ValueError(f"receive.{band}: give both g0_dbi and t1_k, or neither")
        if self.g0_dbi is not None and self.t1_k is not None:
            done = self.model_copy(update={"azen_db": azen})
            noise = self.t1_k + self.t2_k * math.exp(-90.0 * self.a_per_deg) + through_atmosphere_k(azen, 1.0)
            gain = self.g0_dbi - self.g1_db_per_deg2 * (90.0 - self.gamma_deg) ** 2 - azen
            zenith = gain - 10.0 * math.log10(noise)
            if abs(zenith - self.gt_dbk) > GT_TOLERANCE_DB:
                raise ValueError(
                    f"receive.{band}: gt_dbk {self.gt_dbk} disagrees with g0_dbi/t1_k, which give {zenith:.2f} dB/K "
                    "at zenith"
                )
            return done
        t_zenith = T_ZENITH_K[band]
        t1 = t_zenith - self.t2_k * math.exp(-90.0 * self.a_per_deg) - through_atmosphere_k(azen, 1.0)
        g0 = self.gt_dbk + 10 * math.log10(t_zenith) + self.g1_db_per_deg2 * (90.0 - self.gamma_deg) ** 2 + azen
        return self.model_copy(update={"azen_db": azen, "g0_dbi": round(g0, 4), "t1_k": t1})


def through_atmosphere_k(azen_db: float, sin_elevation: "float | np.ndarray") -> "float | np.ndarray":
    """Atmosphere and cosmic background seen through it (810-005 104 eqs. A-4..A-9), for floats or arrays."""
    loss = 10.0 ** (azen_db / (10.0 * sin_elevation))
    return T_PHYSICAL_K * (1.0 - 1.0 / loss) + T_CMB_K / loss


def sky_temperature_k(azen_db: float, elevation_deg: "np.ndarray") -> "np.ndarray":
    """The sky noise (`through_atmosphere_k`) at each elevation."""
    import numpy as np  # here: the catalog loads without numpy

    return through_atmosphere_k(azen_db, np.sin(np.radians(elevation_deg)))


def gt_dbk(receive: ReceiveBand, elevation_deg: "np.ndarray") -> "np.ndarray":
    """G/T (dB/K) at each elevation of a completed band; −inf below 6° (not evaluated)."""
    import numpy as np

    assert receive.g0_dbi is not None and receive.t1_k is not None and receive.azen_db is not None
    theta = np.clip(np.asarray(elevation_deg, dtype=float), MIN_ELEVATION_DEG, 90.0)
    gain = (
        receive.g0_dbi
        - receive.g1_db_per_deg2 * (theta - receive.gamma_deg) ** 2
        - receive.azen_db / np.sin(np.radians(theta))
    )
    noise = receive.t1_k + receive.t2_k * np.exp(-receive.a_per_deg * theta) + sky_temperature_k(receive.azen_db, theta)
    return np.where(np.asarray(elevation_deg) >= MIN_ELEVATION_DEG, gain - 10.0 * np.log10(noise), -np.inf)


def estimated_gt_dbk(aperture_m: float, band: str, derate_db: float = 0.0) -> float:
    """The documented estimate: G = 10·log10(η·(π·D·f/c)²) with the band's efficiency, less
    10·log10 of its typical zenith system temperature and `derate_db`."""
    gain = 10 * math.log10(EFFICIENCY[band] * (math.pi * aperture_m * BAND_FREQ_HZ[band] / SPEED_OF_LIGHT_M_S) ** 2)
    return gain - 10 * math.log10(T_ZENITH_K[band]) - derate_db

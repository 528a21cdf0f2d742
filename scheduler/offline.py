"""Astropy set up to run offline: bundled IERS tables only, no downloads, no warning floods.

Earth-orientation predictions bundled with `astropy-iers-data` reach about a year ahead.
Past them astropy keeps the last known UT1-UTC and polar motion; the resulting error
(well under a second of time in UT1, under 0.5 arcsec in polar motion) is below our
one-second view-period tolerance for a few years, so it is accepted silently.
"""

import warnings

from astropy.utils import iers


def configure() -> None:
    """Forbid IERS downloads and silence the per-call warnings about stale tables."""
    iers.conf.auto_download = False
    iers.conf.auto_max_age = None
    iers.conf.iers_degraded_accuracy = "ignore"
    iers.conf.remote_timeout = 0.1
    warnings.filterwarnings("ignore", message=r".*dubious year.*")
    warnings.filterwarnings("ignore", message=r".*leap-second.*expired.*")
    warnings.filterwarnings("ignore", message=r".*Tried to get polar motions.*")
    warnings.filterwarnings("ignore", message=r".*after IERS data is valid.*")

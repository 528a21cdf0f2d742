"""The cross-support ledger: hours each agency's antennas gave to each agency's missions.

The data-sharing picture of an international network. The antenna's agency comes from its
station entry, the mission's from the schedule. Each antenna of an array track counts on its
own: each gave its time. Rows where provider and user agency are the same are own use.
"""

from collections.abc import Callable

import pandas as pd

LEDGER_COLUMNS = ["provider_agency", "user_agency", "tracks", "on_target_h", "antenna_h"]


def support_ledger(schedule: pd.DataFrame, antenna_agency: Callable[[str], str]) -> pd.DataFrame:
    """Per (antenna agency, mission agency): tracks, hours on target, hours of antenna time
    (setup to teardown), sorted by provider then user."""
    if schedule.empty:
        return pd.DataFrame(columns=LEDGER_COLUMNS)
    rows = pd.DataFrame(
        {
            "provider_agency": schedule.station.map(antenna_agency),
            "user_agency": schedule.agency,
            "on_target_h": (schedule.end - schedule.start).dt.total_seconds() / 3600,
            "antenna_h": (schedule.teardown_end - schedule.setup_start).dt.total_seconds() / 3600,
        }
    )
    ledger = (
        rows.groupby(["provider_agency", "user_agency"])
        .agg(tracks=("on_target_h", "size"), on_target_h=("on_target_h", "sum"), antenna_h=("antenna_h", "sum"))
        .reset_index()
    )
    return ledger.round({"on_target_h": 3, "antenna_h": 3})[LEDGER_COLUMNS]


def ledger_summary(ledger: pd.DataFrame) -> dict:
    """summary.json's `cross_support`: hours on target each agency gave to and received from
    other agencies, each agency's own use, and every cross-support pair."""
    cross = ledger[ledger.provider_agency != ledger.user_agency]
    own = ledger[ledger.provider_agency == ledger.user_agency]

    def hours(frame: pd.DataFrame, by: str) -> dict[str, float]:
        return {str(k): round(float(v), 3) for k, v in frame.groupby(by).on_target_h.sum().items()}

    return {
        "given_h": hours(cross, "provider_agency"),
        "received_h": hours(cross, "user_agency"),
        "own_use_h": hours(own, "provider_agency"),
        "cross_support_fraction": round(float(cross.on_target_h.sum() / ledger.on_target_h.sum()), 4)
        if len(ledger) and ledger.on_target_h.sum() > 0
        else 0.0,
        "pairs": [
            {
                "provider_agency": row.provider_agency,
                "user_agency": row.user_agency,
                "tracks": int(row.tracks),
                "on_target_h": float(row.on_target_h),
                "antenna_h": float(row.antenna_h),
            }
            for row in cross.itertuples()
        ],
    }

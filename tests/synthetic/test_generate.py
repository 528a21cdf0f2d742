"""The synthetic DSN week: its size, its sky geometry, its oversubscription, and determinism."""

from itertools import pairwise

import pytest

from scheduler.synthetic.network import COMPLEXES, passes
from scheduler.synthetic.week import generate_week, oversubscription_ratio

GOLDSTONE, MADRID, CANBERRA = COMPLEXES
SIDEREAL_DAY_S = 86_164.09


@pytest.fixture(scope="module")
def week():
    return generate_week(seed=0)


def test_week_has_dsn_scale(week) -> None:
    assert len(week.antennas) == 14
    assert week.horizon == 7 * 86_400
    assert len({d.mission for d in week.demands}) >= 30
    assert len({d.agency for d in week.demands}) >= 5
    assert sum(d.tracks for d in week.demands) >= 500
    assert {d.priority for d in week.demands} <= set(range(1, 11))
    assert len({d.priority for d in week.demands}) >= 5
    assert len(week.downtime) == 4


def test_week_has_arrays_of_one_complex_and_split_tracks(week) -> None:
    sites = {a: c.name for c in COMPLEXES for a in c.antennas}
    arrays = [o for d in week.demands for o in d.opportunities if len(o.antennas) > 1]
    assert arrays
    assert all(len({sites[a] for a in o.antennas}) == 1 for o in arrays)
    assert any(d.min_segment == 7200 for d in week.demands)


def test_week_is_oversubscribed_about_1_3_times(week) -> None:
    assert 1.29 <= oversubscription_ratio(week) <= 1.35


def test_same_seed_gives_the_same_week_and_another_seed_another() -> None:
    assert generate_week(seed=7) == generate_week(seed=7)
    assert generate_week(seed=7) != generate_week(seed=8)


def test_four_weeks_scale_with_the_horizon() -> None:
    month = generate_week(seed=0, weeks=4)
    assert month.horizon == 28 * 86_400
    assert sum(d.tracks for d in month.demands) >= 2000
    assert len(month.downtime) == 16
    assert 1.29 <= oversubscription_ratio(month) <= 1.35
    assert max(o.latest_end for d in month.demands for o in d.opportunities) > 21 * 86_400


def test_passes_last_8_to_12_hours_once_a_sidereal_day() -> None:
    found = passes(GOLDSTONE, ra0=90.0, drift=0.0, dec=0.0, gmst0=0.0, horizon=7 * 86_400, resolution=60)
    inner = found[1:-1]  # the first and last may be clipped by the horizon
    assert all(8 * 3600 <= end - start <= 12 * 3600 for start, end in inner)
    spacing = [b[0] - a[0] for a, b in pairwise(inner)]
    assert spacing and all(abs(s - SIDEREAL_DAY_S) <= 120 for s in spacing)


def test_complexes_120_degrees_apart_see_a_target_8_hours_apart() -> None:
    def first_centre(site) -> float:
        start, end = passes(site, ra0=200.0, drift=0.0, dec=5.0, gmst0=0.0, horizon=3 * 86_400, resolution=60)[1]
        return (start + end) / 2

    # Madrid is 120 deg east of Goldstone: the target transits there 8 sidereal hours earlier
    gap = (first_centre(GOLDSTONE) - first_centre(MADRID)) % SIDEREAL_DAY_S
    assert abs(gap - SIDEREAL_DAY_S / 3) <= 120


def test_a_far_southern_probe_is_never_up_in_the_north() -> None:
    def count(site) -> int:
        return len(passes(site, ra0=0.0, drift=0.0, dec=-58.0, gmst0=0.0, horizon=7 * 86_400, resolution=60))

    assert (count(GOLDSTONE), count(MADRID)) == (0, 0)
    assert count(CANBERRA) >= 7

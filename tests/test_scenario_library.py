"""The bundled scenario library: each scenario plans in time, validates clean, and shows the
behaviour it was written to show. Each scenario is planned once per test session."""

import itertools
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from astropy.time import Time
from oem import OrbitEphemerisMessage
from skyfield.api import load, load_file, wgs84
from typer.testing import CliRunner

from scenarios import bundled_names, bundled_path
from scheduler.cli.app import app
from scheduler.cli.options import scenario_from
from scheduler.inputs import load_scenario
from scheduler.outputs.schedule_table import read_schedule_csv
from scheduler.sky.ephemeris import DE421_PATH

pytestmark = pytest.mark.slow  # plans every bundled scenario

LIBRARY = Path(bundled_path("default")).parent  # type: ignore[arg-type]
# CP-SAT budget per scenario in these tests (the default: settings.TIME_LIMIT_S);
# `default` is planned by tests/cli/test_cli.py
TIME_LIMIT_S = {
    "lunar-campaign": 20,
    "mars-week": 20,
    "mars-relay": 25,
    "dsn-week": 20,
    "optical-campaign": 10,
    "ddor-campaign": 10,
    "international": 10,
    "data-return-hours": 10,
    "data-return-volume": 10,
}
runner = CliRunner()


@dataclass(frozen=True)
class Plan:
    name: str
    directory: Path
    schedule: pd.DataFrame
    summary: dict


def jointtrack(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, f"jointtrack {' '.join(args)} -> {result.exit_code}: {result.output}"
    return result.output


def plan(scenario: str | Path, out: Path, time_limit_s: float) -> Plan:
    jointtrack("plan", str(scenario), "--out", str(out), "--time-limit", str(time_limit_s), "--workers", "2", "-q")
    summary = json.loads((out / "summary.json").read_text())
    return Plan(summary["scenario"], out, read_schedule_csv(str(out / "schedule.csv")), summary)


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory):
    """Plan of a bundled scenario by name, made on first use and shared by the module's tests."""
    cache: dict[str, Plan] = {}

    def get(name: str) -> Plan:
        if name not in cache:
            cache[name] = plan(name, tmp_path_factory.mktemp(name) / "plan", TIME_LIMIT_S[name])
        return cache[name]

    return get


def rows(schedule: pd.DataFrame, request: str) -> pd.DataFrame:
    return schedule[schedule.request_id == request]


def test_library_holds_the_documented_scenarios() -> None:
    assert set(bundled_names()) == {"default", *TIME_LIMIT_S}


@pytest.mark.parametrize("name", bundled_names())
def test_scenario_file_opens_with_a_comment_header_on_what_it_models(name: str) -> None:
    text = (LIBRARY / f"{name}.yaml").read_text(encoding="utf-8")
    header = text[: text.index("\nname:")].splitlines()
    assert header[0].startswith(f"# {name} — ")
    assert all(line.startswith("#") for line in header)
    assert len(header) >= 8  # what it models and where its orbits, missions and stations come from


def test_a_directory_named_like_a_bundled_scenario_does_not_hide_it(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ddor-campaign").mkdir()  # e.g. an earlier `plan --out ddor-campaign`
    assert scenario_from("ddor-campaign").name == "ddor-campaign"


def test_scenarios_command_lists_each_with_its_one_line_description() -> None:
    listed = {line.split()[0]: line.split(maxsplit=1)[1] for line in jointtrack("scenarios").splitlines()}
    for name in bundled_names():
        description = yaml.safe_load((LIBRARY / f"{name}.yaml").read_text(encoding="utf-8"))["description"]
        assert listed[name] == description.strip()


@pytest.mark.parametrize("name", sorted(TIME_LIMIT_S))
def test_scenario_plans_within_its_time_limit_and_validates_clean(name: str, planned) -> None:
    result = planned(name)
    assert result.summary["status"] in ("OPTIMAL", "FEASIBLE")
    assert result.summary["solve_s"] <= 1.25 * TIME_LIMIT_S[name] + 2.0  # model building counts too
    assert len(result.schedule) > 0
    output = jointtrack("validate", name, str(result.directory / "schedule.csv"))
    assert "0 violations" in output


def test_lunar_transfer_oem_reaches_a_100_km_perilune_and_stays_in_lunar_orbit() -> None:
    """The shipped trajectory is what make_lunar_oem.py says it is, checked against skyfield's DE421."""
    timescale = load.timescale(builtin=True)
    planets = load_file(str(DE421_PATH))
    coast, orbit = (list(segment.states) for segment in OrbitEphemerisMessage.open(LIBRARY / "lunar-transfer.oem"))

    def from_moon(states: list) -> np.ndarray:
        times = timescale.from_astropy(Time([s.epoch for s in states]))
        moon = (planets["moon"] - planets["earth"]).at(times).position.km.T
        return np.linalg.norm(np.array([s.position for s in states]) - moon, axis=1)

    assert np.linalg.norm(coast[0].position) == pytest.approx(6378.137 + 200.0, abs=1.0)  # TLI perigee
    assert coast[-1].epoch.utc.isot.startswith("2026-12-18T18:00:00")  # LOI
    assert from_moon(coast[-1:])[0] == pytest.approx(1737.4 + 100.0, abs=5.0)
    altitudes = from_moon(orbit) - 1737.4
    assert altitudes.min() > 50.0
    assert altitudes.max() == pytest.approx(5000.0, abs=100.0)


def test_optical_tracks_run_only_at_night(planned) -> None:
    """Sun below -12 deg at every optical station at track start, middle and end (skyfield, DE421)."""
    result = planned("optical-campaign")
    stations = {s.id: s for s in load_scenario(bundled_path("optical-campaign")).stations}
    timescale = load.timescale(builtin=True)
    planets = load_file(str(DE421_PATH))
    schedule = result.schedule
    assert set(schedule.station) <= {s for s, station in stations.items() if station.kind == "optical"}
    for station_id, tracks in schedule.groupby("station"):
        station = stations[station_id]
        site = planets["earth"] + wgs84.latlon(station.lat_deg, station.effective_lon_deg, station.height_m)
        instants = pd.concat([tracks.start, tracks.start + (tracks.end - tracks.start) / 2, tracks.end])
        times = timescale.from_datetimes(list(instants.dt.to_pydatetime()))
        altitude, _, _ = site.at(times).observe(planets["sun"]).apparent().altaz()
        assert altitude.degrees.max() < -12.0, station_id


def without_downtime(name: str, directory: Path) -> Path:
    """A copy of a bundled scenario without its downtime, next to the files it refers to."""
    data = yaml.safe_load(bundled_path(name).read_text(encoding="utf-8"))  # type: ignore[union-attr]
    data.pop("downtime")
    data["name"] = f"{name}-clear"
    for target in data["targets"]:
        if "oem" in target:
            target["oem"] = str(LIBRARY / target["oem"])
    path = directory / f"{name}-clear.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def on_during(schedule: pd.DataFrame, outage: dict) -> pd.DataFrame:
    """Tracks occupying the outage's station during the outage."""
    start, end = pd.Timestamp(outage["start"]), pd.Timestamp(outage["end"])
    setup_start = pd.to_datetime(schedule.setup_start)
    teardown_end = pd.to_datetime(schedule.teardown_end)
    return schedule[(schedule.station == outage["station"]) & (setup_start < end) & (teardown_end > start)]


def test_weather_outage_moves_tracks_off_the_closed_telescope(planned, tmp_path: Path) -> None:
    """With clear skies tracks use the telescopes the weather closes; with the weather, none do."""
    outages = yaml.safe_load(bundled_path("optical-campaign").read_text(encoding="utf-8"))["downtime"]  # type: ignore[union-attr]
    with_weather = planned("optical-campaign").schedule
    clear = plan(without_downtime("optical-campaign", tmp_path), tmp_path / "clear", TIME_LIMIT_S["optical-campaign"])
    moved = [o["station"] for o in outages if len(on_during(clear.schedule, o))]
    assert len(moved) >= 2, "the outages should hit telescopes a clear-sky plan uses"
    for outage in outages:
        assert on_during(with_weather, outage).empty, outage["station"]


# Plan figures at the test budgets, measured 2026-11-30 on 2 shared cores: (requested hours, the
# least acceptable share of them scheduled, the least acceptable share of requests fully met).
# ddor-campaign and international must meet every request (ddor-campaign, whose whole-model
# search now gets a fifth of the limit, schedules 123.7 of 124 h at 10 s: not proven optimal).
# The others can stop on the wall-clock limit on a busy machine, so they get a
# margin below what was measured: lunar-campaign 1.0 of hours and 1.0 of requests,
# optical-campaign 0.98 and 1.0, mars-week 0.93 and 0.8, dsn-week 0.968 and 0.86.
# Re-measured 2026-12-07 under the mission rule (one antenna at a time per spacecraft), 25 s with
# the work budgets alone ending each search: the thresholds stand. What the rule changed: dsn-week
# 772.3 -> 768.8 h (Juno's science and gravity passes no longer overlap; 20 of 21 met, 0.948),
# mars-relay 216.6 -> 215.0 h (Odyssey's relay and ranging take turns; all 12 met), ddor-campaign 124 h
# either way (the probe's ΔDOR sessions now never overlap its telemetry: 4 did), mars-week
# 403.8 -> 404.6 h (its search took another path); default, international, lunar-campaign,
# optical-campaign and the data-return pair unchanged (no two of a mission's tracks met).
FIGURES = {
    "lunar-campaign": (169.0, 0.95, 0.7),
    "mars-week": (418.0, 0.85, 0.5),
    "dsn-week": (811.0, 0.92, 0.7),
    "optical-campaign": (77.0, 0.95, 0.75),
    "ddor-campaign": (124.0, 0.99, 1.0),
    "international": (308.0, 1.0, 1.0),
    "mars-relay": (223.0, 0.85, 0.75),
}


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_plan_summary_figures_within_tolerance(name: str, planned) -> None:
    requested, hours_share, met_share = FIGURES[name]
    summary = planned(name).summary
    assert summary["requested_hours"] == pytest.approx(requested)
    assert summary["scheduled_hours"] >= hours_share * requested - 1e-6
    assert summary["satisfied_fraction"] >= met_share - 1e-6


def test_a_probe_is_tracked_by_one_antenna_at_a_time(planned) -> None:
    """The mission rule: the lunar probe's ΔDOR sessions (one track on two antennas) and its
    telemetry passes never overlap on target; Tianwen-1's likewise."""
    schedule = planned("ddor-campaign").schedule
    for mission in ("PROBE", "TIANWEN1"):
        mine = schedule[schedule.mission == mission]
        key = mine.group.where(mine.group != "", mine.track_id)
        spans = sorted((g.start.min(), g.end.max()) for _, g in mine.groupby([mine.request_id, key]))
        assert len(spans) >= 8
        assert all(later[0] >= earlier[1] for earlier, later in itertools.pairwise(spans)), mission


def groups_of(schedule: pd.DataFrame, request: str) -> list[pd.DataFrame]:
    found = rows(schedule, request)
    assert (found.group != "").all(), f"{request}: every row of a multi-antenna track or chain has a group"
    return [group for _, group in found.groupby("group")]


def complex_of(name: str) -> dict[str, str]:
    return {s.id: s.complex for s in load_scenario(bundled_path(name)).stations}


def test_lunar_orbit_insertion_is_covered_without_gaps_by_handed_over_tracks(planned) -> None:
    """LOI-6h..LOI+3h covered end to end, each track overlapping the next by the 10 min handover."""
    chain = rows(planned("lunar-campaign").schedule, "PROBE-loi").sort_values("start")
    assert chain.group.nunique() == 1 and chain.group.iloc[0] != ""
    assert chain.start.iloc[0] <= pd.Timestamp("2026-12-18T12:00:00Z")
    assert chain.end.iloc[-1] >= pd.Timestamp("2026-12-18T21:00:00Z")
    assert len(chain) >= 2 and chain.station.nunique() >= 2  # 9 h with tracks of at most 6 h: a handover
    overlaps = chain.end.iloc[:-1].to_numpy() - chain.start.iloc[1:].to_numpy()
    assert (overlaps >= pd.Timedelta(minutes=10)).all()
    assert ((chain.end - chain.start) <= pd.Timedelta(hours=6)).all()


def test_arrayed_tracks_share_start_and_end_on_two_antennas_of_one_complex(planned) -> None:
    complexes = complex_of("mars-week")
    arrayed = groups_of(planned("mars-week").schedule, "M2020-arrayed")
    # three asked a week; under the DSN start spacing the plan trades one for more relay time (2 measured)
    assert len(arrayed) >= 2
    for group in arrayed:
        assert len(group) == 2 and group.station.nunique() == 2
        assert group.start.nunique() == 1 and group.end.nunique() == 1
        assert {complexes[s] for s in group.station} in ({"Goldstone"}, {"Madrid"})
    starts = sorted(g.start.iloc[0] for g in arrayed)
    ends = sorted(g.end.iloc[0] for g in arrayed)
    assert all(b - a >= pd.Timedelta(hours=12) for a, b in zip(ends[:-1], starts[1:], strict=True))  # min_gap


def test_mspa_lets_mars_orbiters_share_an_antenna_and_nothing_else_does(planned) -> None:
    """Only tracks of different MSPA-tagged requests overlap on an antenna (setup and teardown included)."""
    schedule = planned("mars-week").schedule
    tagged = {"MRO-relay", "ODY-relay", "MAVEN-relay", "MEX-ops", "TGO-relay"}
    shared = 0
    for _, tracks in schedule.groupby("station"):
        tracks = tracks.sort_values("setup_start")
        for i, first in enumerate(tracks.itertuples()):
            for second in tracks.iloc[i + 1 :].itertuples():
                if second.setup_start < first.teardown_end:
                    assert {first.request_id, second.request_id} <= tagged, (first.track_id, second.track_id)
                    assert first.request_id != second.request_id
                    shared += 1
    assert shared >= 10


@pytest.mark.parametrize(
    ("request_id", "agencies"), [("PROBE-ddor-dsn", {"NASA"}), ("PROBE-ddor-esa", {"ESA"}), ("TW1-ddor", {"ESA"})]
)
def test_ddor_tracks_run_simultaneously_on_two_complexes(planned, request_id: str, agencies: set[str]) -> None:
    stations = {s.id: s for s in load_scenario(bundled_path("ddor-campaign")).stations}
    sessions = groups_of(planned("ddor-campaign").schedule, request_id)
    assert len(sessions) == 4  # one a day over the four days
    for group in sessions:
        assert len(group) == 2 and group.start.nunique() == 1 and group.end.nunique() == 1
        assert group.end.iloc[0] - group.start.iloc[0] == pd.Timedelta(hours=1)
        assert len({stations[s].complex for s in group.station}) == 2
        assert {stations[s].agency for s in group.station} == agencies


def test_international_week_is_mostly_cross_support_from_many_agencies(planned) -> None:
    """Most time on target is given by another agency's antenna, and many agencies give some."""
    schedule = planned("international").schedule
    provider = {s.id: s.agency for s in load_scenario(bundled_path("international")).stations}
    hours = (schedule.end - schedule.start).dt.total_seconds() / 3600.0
    given = schedule.station.map(provider) != schedule.agency
    assert hours[given].sum() >= 0.6 * hours.sum()
    assert schedule[given].station.map(provider).nunique() >= 5


def _complex(name: str) -> dict[str, str]:
    return complex_of(name)


def test_mars_relay_keeps_the_command_loss_timer_and_spreads_navigation(planned) -> None:
    """Mars Express never goes 36 h without a pass; Odyssey ranges from three complexes; its
    critical orbit trim is tracked in its window."""
    schedule = planned("mars-relay").schedule
    mex = rows(schedule, "MEX-ops").sort_values("start")
    edges = [pd.Timestamp("2026-12-07T00:00:00Z"), *[t for pair in zip(mex.start, mex.end, strict=True) for t in pair]]
    edges.append(pd.Timestamp("2026-12-14T00:00:00Z"))
    assert max(b - a for a, b in zip(edges[::2], edges[1::2], strict=True)) <= pd.Timedelta(hours=36)
    assert rows(schedule, "ODY-ranging").station.map(_complex("mars-relay")).nunique() >= 3
    trim = rows(schedule, "ODY-trim")
    assert len(trim) == 1 and trim.end.iloc[0] - trim.start.iloc[0] == pd.Timedelta(hours=2)
    assert trim.start.iloc[0] >= pd.Timestamp("2026-12-10T00:00:00Z")


@pytest.mark.parametrize("rover", ["MSL", "M2020"])
def test_mars_relay_downlinks_follow_their_own_uplinks(planned, rover: str) -> None:
    """Each downlink starts 30 min to 4 h after the end of an uplink, a different one each."""
    schedule = planned("mars-relay").schedule
    free = sorted(rows(schedule, f"{rover}-uplink").end)
    downlinks = rows(schedule, f"{rover}-downlink").sort_values("start")
    assert len(downlinks) >= 3
    for start in downlinks.start:
        lead = next(e for e in free if pd.Timedelta(minutes=30) <= start - e <= pd.Timedelta(hours=4))
        free.remove(lead)


def test_mars_relay_keeps_mars_craft_of_different_missions_apart_at_a_complex(planned) -> None:
    """RFI: no two tracks of different missions overlap on target at one complex unless both fly
    in the MSPA group; across complexes such pairs go to coordination.csv."""
    plan_ = planned("mars-relay")
    schedule, complexes = plan_.schedule, _complex("mars-relay")
    tagged = {"MRO-relay", "ODY-relay", "MEX-ops", "TGO-relay"}
    for _, here in schedule.groupby(schedule.station.map(complexes)):
        for first, second in itertools.combinations(here.itertuples(), 2):
            if first.mission != second.mission and max(first.start, second.start) < min(first.end, second.end):
                assert {first.request_id, second.request_id} <= tagged, (first.track_id, second.track_id)
    coordination = pd.read_csv(plan_.directory / "coordination.csv")
    assert len(coordination) > 0
    assert (coordination.agency_a != coordination.agency_b).all()
    assert (coordination.complex_a != coordination.complex_b).all()
    assert (coordination.closest_deg < 2.0).all()


def test_mars_relay_respects_the_complexes_workload(planned) -> None:
    """Activities begin 15 min apart at Goldstone and 30 min at Canberra and Madrid (an antenna's
    MSPA session is one activity); at most 3 tracks at once at Goldstone."""
    schedule, complexes = planned("mars-relay").schedule, _complex("mars-relay")
    spacing = {"Goldstone": 15, "Canberra": 30, "Madrid": 30}
    tagged = {"MRO-relay", "ODY-relay", "MEX-ops", "TGO-relay"}
    for name, here in schedule.groupby(schedule.station.map(complexes)):
        if name not in spacing:
            continue
        begins = sorted(
            (r.setup_start, (r.station, "MARS") if r.request_id in tagged else r.track_id) for r in here.itertuples()
        )
        for (a, one), (b, two) in itertools.pairwise(begins):
            assert one == two or b - a >= pd.Timedelta(minutes=spacing[name]), (name, a, b)
    goldstone = schedule[schedule.station.map(complexes) == "Goldstone"]
    for begin in goldstone.setup_start:
        held = ((goldstone.setup_start <= begin) & (goldstone.teardown_end > begin)).sum()
        assert held <= 3


def test_the_data_return_pair_differs_only_in_asking_for_volumes() -> None:
    hours, volume = (yaml.safe_load((LIBRARY / f"data-return-{k}.yaml").read_text()) for k in ("hours", "volume"))
    assert all("volume" in r for r in volume["requests"]) and not any("volume" in r for r in hours["requests"])
    without = [{k: v for k, v in r.items() if k != "volume"} for r in volume["requests"]]
    assert without == hours["requests"]
    assert {k: v for k, v in hours.items() if k not in ("name", "description", "requests")} == {
        k: v for k, v in volume.items() if k not in ("name", "description", "requests")
    }


def test_planned_by_volume_the_same_missions_return_more_data(planned) -> None:
    """The volume plan gives the 70 m dishes and the high part of each pass to the far, weak links
    (README: Data return): more data in all, and far more for the CubeSat."""
    hours, volume = planned("data-return-hours").summary, planned("data-return-volume").summary
    assert volume["delivered_bits"] >= 1.03 * hours["delivered_bits"]
    # the weakest link gains most (the hours plan's search already puts Juno on the 70 m dishes)
    assert volume["missions"]["MCUBE"]["delivered_bits"] >= 1.5 * hours["missions"]["MCUBE"]["delivered_bits"]

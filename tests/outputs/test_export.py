"""Every export reads back into the schedule it came from; the XML follows the shipped XSD."""

import json
from importlib import resources

import pandas as pd
import pytest
import xmlschema
from icalendar import Calendar
from lxml import etree

from scheduler.outputs.exports import FORMATS, ExportContext, context_from_catalog, context_from_scenario
from scheduler.outputs.exports.records import schedule_from_records, track_records
from scheduler.outputs.exports.ssf import JT_NS, SSF_NS, SsfInvalid, parse_ssf_time, ssf_time, validate_ssf
from scheduler.outputs.plan_outputs import PlanResult
from stations import load_catalog

XSD = resources.files("scheduler.outputs.exports").joinpath("ssf.xsd")
NS = {"s": SSF_NS, "jt": JT_NS}


def row(track_id: str, station: str, setup: str, start: str, end: str, teardown: str, **extra: str) -> dict:
    return {
        "track_id": track_id,
        "request_id": extra.get("request_id", "R1"),
        "mission": extra.get("mission", "MRO"),
        "agency": extra.get("agency", "NASA"),
        "target": extra.get("target", "mars"),
        "station": station,
        "setup_start": setup,
        "start": start,
        "end": end,
        "teardown_end": teardown,
        "group": extra.get("group", ""),
        "band": extra.get("band", ""),
    }


@pytest.fixture(scope="module")
def awkward() -> pd.DataFrame:
    """An array pair on X band, a station no catalog knows, a long mission name full of characters
    that calendar and XML writers must escape, and a track in a leap year's last day."""
    return schedule_from_records(
        [
            row("T0001-1", "DSS-14", *["2026-12-07T00:00:00Z", "2026-12-07T01:00:00Z"] * 2, group="G0001", band="X"),
            row("T0001-2", "DSS-25", *["2026-12-07T00:15:00Z", "2026-12-07T01:00:00Z"] * 2, group="G0001", band="X"),
            row(
                "T0002",
                "MY-OBS",
                "2028-12-31T20:00:00Z",
                "2028-12-31T20:30:00Z",
                "2028-12-31T23:00:00Z",
                "2028-12-31T23:10:00Z",
                mission='Chang\'e-7 relay; <orbiter>, "Queqiao" & ü',
                agency="CNSA",
                target="moon",
                request_id="CE7,relay",
            ),
        ]
    )


@pytest.fixture(scope="module")
def awkward_context(awkward: pd.DataFrame) -> ExportContext:
    return context_from_catalog(awkward, "station")


def records(schedule: pd.DataFrame) -> list[dict[str, str]]:
    return sorted(track_records(schedule), key=lambda r: r["track_id"])


@pytest.mark.slow
@pytest.mark.parametrize("name", list(FORMATS))
def test_every_format_reads_back_to_the_plan_schedule(name: str, tiny_plan: PlanResult) -> None:
    form = FORMATS[name]
    text = form.write(tiny_plan.schedule, context_from_scenario(tiny_plan.scenario))
    assert len(tiny_plan.schedule) == 10
    assert records(form.read(text)) == records(tiny_plan.schedule)


@pytest.mark.parametrize("name", list(FORMATS))
@pytest.mark.parametrize("by", ["station", "mission"])
def test_every_format_reads_back_awkward_names_groups_and_unknown_stations(
    name: str, by: str, awkward: pd.DataFrame
) -> None:
    form = FORMATS[name]
    text = form.write(awkward, context_from_catalog(awkward, by))  # type: ignore[arg-type]
    assert records(form.read(text)) == records(awkward)


@pytest.mark.slow
def test_xml_validates_against_the_shipped_xsd_with_two_independent_validators(tiny_plan: PlanResult) -> None:
    text = FORMATS["xml"].write(tiny_plan.schedule, context_from_scenario(tiny_plan.scenario))
    validate_ssf(etree.fromstring(text.encode()))  # libxml2, through lxml
    with resources.as_file(XSD) as path:
        schema = xmlschema.XMLSchema(str(path))  # a pure-Python validator
    schema.validate(text)
    assert schema.is_valid(text)


def test_xml_maps_each_track_to_a_scheduled_activity_in_its_missions_package(tiny_plan: PlanResult) -> None:
    root = etree.fromstring(
        FORMATS["xml"].write(tiny_plan.schedule, context_from_scenario(tiny_plan.scenario)).encode()
    )
    header = root.find("s:simpleScheduleHeader", NS)
    assert header.get("startTime") == "2026-341T00:00:00.000Z"  # 7 December 2026 is day 341
    assert header.get("endTime") == "2026-343T00:00:00.000Z"
    assert header.get("status") == "PROVISIONAL" and header.get("inclusionType") == "START_INCLUSION"
    packages = {p.get("scheduledPackageId"): p for p in root.findall("s:scheduledPackage", NS)}
    assert set(packages) == {"LRO", "MRO", "TGO"}
    relay = tiny_plan.schedule[tiny_plan.schedule.mission == "TGO"].sort_values("start").iloc[0]
    activity = packages["TGO"].find(f"s:scheduledActivity[@scheduledActivityId='{relay.track_id}']", NS)
    assert activity.get("siteRef") == "Madrid"
    assert activity.get("apertureRef") == "DSS-63"
    assert activity.get("beginningOfActivity") == ssf_time(relay.setup_start)
    assert activity.get("beginningOfTrack") == ssf_time(relay.start)
    assert activity.get("endOfTrack") == ssf_time(relay.end)
    assert activity.get("endOfActivity") == ssf_time(relay.teardown_end)
    assert [s.get("frequencyBand") for s in activity.findall("s:serviceInfo", NS)] == ["S-DS", "X-DS"]
    assert activity.find("jt:track", NS).attrib == {
        "requestId": "RELAY",
        "mission": "TGO",
        "agency": "ESA",
        "target": "mars",
    }
    lunar = packages["LRO"].find("s:scheduledActivity", NS)
    assert {s.get("frequencyBand") for s in lunar.findall("s:serviceInfo", NS)} <= {"S-NE", "X-NE", "Ka-NE"}


def test_xml_of_awkward_schedule_keeps_the_16_character_user_limit(awkward: pd.DataFrame, awkward_context) -> None:
    root = etree.fromstring(FORMATS["xml"].write(awkward, awkward_context).encode())
    users = {p.get("scheduledPackageId"): p.get("user") for p in root.findall("s:scheduledPackage", NS)}
    assert users['Chang\'e-7 relay; <orbiter>, "Queqiao" & ü'] == "Chang'e-7 relay;"
    unknown = root.find(".//s:scheduledActivity[@apertureRef='MY-OBS']", NS)
    assert unknown.get("siteRef") == "MY-OBS"  # no catalog entry: the antenna is its own site
    assert unknown.findall("s:serviceInfo", NS) == []
    assert root.find(".//s:scheduledActivity[@apertureRef='DSS-25']", NS).get("siteRef") == "Goldstone"


@pytest.mark.parametrize(
    ("xpath", "attribute", "value", "complaint"),
    [
        ("s:simpleScheduleHeader", "startTime", "2026-12-07T00:00:00Z", "startTime"),
        ("s:simpleScheduleHeader", "status", "FINAL", "status"),
        (".//s:scheduledActivity", "beginningOfTrack", "2026-367T00:00:00.000Z", "beginningOfTrack"),
        (".//s:scheduledActivity", "activityStatus", "MAYBE", "activityStatus"),
        (".//s:scheduledActivity", "scheduledActivityId", "T0001-2", "unique"),
        (".//s:serviceInfo", "frequencyBand", "X-band", "frequencyBand"),
        ("s:scheduledPackage", "user", "A-NAME-LONGER-THAN-16", "user"),
    ],
)
def test_xsd_rejects_documents_that_break_the_simple_schedule_structure(
    awkward: pd.DataFrame, awkward_context, xpath: str, attribute: str, value: str, complaint: str
) -> None:
    root = etree.fromstring(FORMATS["xml"].write(awkward, awkward_context).encode())
    root.find(xpath, NS).set(attribute, value)
    with pytest.raises(SsfInvalid, match=complaint):
        validate_ssf(root)
    with resources.as_file(XSD) as path:
        assert not xmlschema.XMLSchema(str(path)).is_valid(etree.tostring(root).decode())


def test_xsd_requires_the_track_times_site_and_aperture(awkward: pd.DataFrame, awkward_context) -> None:
    for attribute in ("beginningOfTrack", "endOfTrack", "siteRef", "apertureRef"):
        root = etree.fromstring(FORMATS["xml"].write(awkward, awkward_context).encode())
        del root.find(".//s:scheduledActivity", NS).attrib[attribute]
        with pytest.raises(SsfInvalid, match=attribute):
            validate_ssf(root)


def test_day_of_year_times_count_leap_days_and_keep_milliseconds() -> None:
    assert ssf_time(pd.Timestamp("2028-12-31T23:59:59.5Z")) == "2028-366T23:59:59.500Z"
    assert ssf_time(pd.Timestamp("2026-01-01T00:00:00Z")) == "2026-001T00:00:00.000Z"
    assert parse_ssf_time("2026-341T06:30:00.000Z") == pd.Timestamp("2026-12-07T06:30:00Z")


def test_calendar_has_one_event_per_track_with_what_rfc_5545_requires(tiny_plan: PlanResult) -> None:
    text = FORMATS["ics"].write(tiny_plan.schedule, context_from_scenario(tiny_plan.scenario))
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert max(len(line.encode()) for line in lines) <= 75  # folded, as calendar apps expect
    calendar = Calendar.from_ical(text)
    assert str(calendar["VERSION"]) == "2.0" and "jointtrack" in str(calendar["PRODID"])
    events = calendar.walk("VEVENT")
    assert len(events) == len(tiny_plan.schedule)
    assert len({str(e["UID"]) for e in events}) == len(events)
    for event in events:
        assert event.get("DTSTAMP") is not None
        assert event.decoded("DTSTART").utcoffset().total_seconds() == 0
        assert event.decoded("DTSTART") < event.decoded("DTEND")


def test_calendar_by_station_spans_the_antenna_activity_and_by_mission_the_time_on_target(
    tiny_plan: PlanResult,
) -> None:
    track = tiny_plan.schedule.iloc[0]
    for by, begin, finish, key in [
        ("station", track.setup_start, track.teardown_end, track.station),
        ("mission", track.start, track.end, track.mission),
    ]:
        text = FORMATS["ics"].write(tiny_plan.schedule, context_from_scenario(tiny_plan.scenario, by))
        event = next(e for e in Calendar.from_ical(text).walk("VEVENT") if str(e["UID"]).startswith(track.track_id))
        assert event.decoded("DTSTART") == begin.to_pydatetime()
        assert event.decoded("DTEND") == finish.to_pydatetime()
        assert str(event["SUMMARY"]).startswith(f"{key}: ")
        assert event["CATEGORIES"].cats[0] == key
        assert f"{track.station}, " in str(event["LOCATION"])


def test_json_has_scenario_metadata_tool_version_stations_and_every_track(tiny_plan: PlanResult) -> None:
    document = json.loads(FORMATS["json"].write(tiny_plan.schedule, context_from_scenario(tiny_plan.scenario)))
    assert document["tool"] == "jointtrack" and document["version"] == "0.1.0"
    assert document["scenario"] == {"name": "tiny-moon", "start": "2026-12-07T00:00:00Z", "end": "2026-12-09T00:00:00Z"}
    assert document["stations"]["DSS-43"] == {
        "name": load_catalog()["DSS-43"].name,
        "agency": "NASA",
        "complex": "Canberra",
        "kind": "radio",
    }
    assert len(document["tracks"]) == len(tiny_plan.schedule)
    assert document["tracks"][0]["start"].endswith("Z")


def test_json_without_a_scenario_says_so(awkward: pd.DataFrame, awkward_context) -> None:
    document = json.loads(FORMATS["json"].write(awkward, awkward_context))
    assert document["scenario"] is None
    assert set(document["stations"]) == {"DSS-14", "DSS-25"}  # MY-OBS is in no catalog


def test_xml_service_info_names_the_requests_band_or_else_the_antennas(awkward: pd.DataFrame, awkward_context) -> None:
    """DSS-14 has S and X; the array track asks for X only (deep space), so it lists X-DS alone."""
    root = etree.fromstring(FORMATS["xml"].write(awkward, awkward_context).encode())
    ns = {"s": "urn:ccsds:schema:cssm:1.0.0", "jt": "urn:jointtrack:ssf:1"}
    activity = root.find(".//s:scheduledActivity[@scheduledActivityId='T0001-1']", ns)
    assert [i.get("frequencyBand") for i in activity.findall("s:serviceInfo", ns)] == ["X-DS"]
    assert activity.find("jt:track", ns).get("band") == "X"
    without = awkward.assign(band="")
    root = etree.fromstring(FORMATS["xml"].write(without, awkward_context).encode())
    activity = root.find(".//s:scheduledActivity[@scheduledActivityId='T0001-1']", ns)
    assert [i.get("frequencyBand") for i in activity.findall("s:serviceInfo", ns)] == ["S-DS", "X-DS"]

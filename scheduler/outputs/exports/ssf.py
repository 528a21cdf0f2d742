"""schedule.xml: a CCSDS Simple Schedule (CCSDS 902.1-B-1), the cross-support exchange structure.

One `scheduledPackage` per mission, one `scheduledActivity` per track: site = the antenna's
complex, aperture = antenna id, activity = setup..teardown, track = time on target. Times are
UTC day-of-year (`2026-341T06:30:00.000Z`). The planning facts the structure has no attribute
for (request, agency, target, array group) ride in a `jt:track` element of jointtrack's own
namespace, with the request's band when it names one. A plan or proposal is PROVISIONAL with
TENTATIVE activities, the agreed baseline OPERATIONAL with COMMITTED ones (`ExportContext.status`).
Every document is validated against the shipped XSD (`ssf.xsd`) before it leaves.
"""

from functools import cache
from importlib import resources

import pandas as pd
from lxml import etree

from scheduler.outputs.exports.context import ExportContext
from scheduler.outputs.exports.records import schedule_from_records
from scheduler.timeutil import format_time

SSF_NS = "urn:ccsds:schema:cssm:1.0.0"
JT_NS = "urn:jointtrack:ssf:1"
XSD_FILE = "ssf.xsd"
USER_MAX = 16  # the Simple Schedule's `user` (a spacecraft abbreviation) is at most 16 characters
# (header status, activity status): a plan or proposal until the agencies agree to it; the baseline
STATUS = {"provisional": ("PROVISIONAL", "TENTATIVE"), "operational": ("OPERATIONAL", "COMMITTED")}
# Station bands as Simple Schedule frequency bands, near Earth (Category A) or deep space (B).
BANDS = {
    "S": ("S-NE", "S-DS"),
    "X": ("X-NE", "X-DS"),
    "Ka": ("Ka-NE", "Ka-DS"),
    **{b: (b, b) for b in ("HF", "VHF", "UHF", "L", "C", "Ku", "K", "V", "W")},
}


class SsfInvalid(ValueError):
    """A document that does not follow the Simple Schedule XSD."""


def ssf_time(value: pd.Timestamp) -> str:
    """`2026-341T06:30:00.000Z`: UTC year, day of year and time to the millisecond."""
    stamp = pd.Timestamp(value).tz_convert("UTC").round("ms")
    return f"{stamp:%Y-%jT%H:%M:%S}.{stamp.microsecond // 1000:03d}Z"


def parse_ssf_time(text: str) -> pd.Timestamp:
    return pd.to_datetime(text, format="%Y-%jT%H:%M:%S.%fZ", utc=True)


@cache
def ssf_schema() -> etree.XMLSchema:
    """The shipped XSD (with jointtrack's extension schema, which it imports)."""
    path = resources.files("scheduler.outputs.exports").joinpath(XSD_FILE)
    with resources.as_file(path) as file:
        return etree.XMLSchema(etree.parse(str(file)))


def validate_ssf(document: etree._ElementTree | etree._Element) -> None:
    """Raise `SsfInvalid` naming the first problem, if the document breaks the XSD."""
    schema = ssf_schema()
    if not schema.validate(document):
        error = schema.error_log.last_error
        raise SsfInvalid(f"line {error.line}: {error.message}")


def _q(name: str, namespace: str = SSF_NS) -> str:
    return f"{{{namespace}}}{name}"


def _service_infos(parent: etree._Element, track: pd.Series, context: ExportContext) -> None:
    """One serviceInfo for the track's band, or without one for each band the antenna has; which
    service it carries is not planned (TBD)."""
    station = context.stations.get(track.station)
    near_earth = track.target in context.near_earth_targets
    bands = [track.band] if track.get("band") else list(station.bands) if station else []
    names = {b.lower(): b for b in BANDS}
    for band in bands:
        frequency = BANDS.get(names.get(band.lower(), band), ("OTHER", "OTHER"))[0 if near_earth else 1]
        etree.SubElement(parent, _q("serviceInfo"), serviceType="TBD", frequencyBand=frequency)


def _activity(package: etree._Element, track: pd.Series, context: ExportContext) -> None:
    activity = etree.SubElement(
        package,
        _q("scheduledActivity"),
        scheduledActivityId=track.track_id,
        activityStatus=STATUS[context.status][1],
        siteRef=context.site(track.station),
        apertureRef=track.station,
        beginningOfActivity=ssf_time(track.setup_start),
        beginningOfTrack=ssf_time(track.start),
        endOfTrack=ssf_time(track.end),
        endOfActivity=ssf_time(track.teardown_end),
    )
    _service_infos(activity, track, context)
    details = {"requestId": track.request_id, "mission": track.mission, "agency": track.agency, "target": track.target}
    if track.group:
        details["group"] = track.group
    if track.get("band"):
        details["band"] = track.band
    if track.get("bits", ""):
        details["bits"] = str(track.bits)
    etree.SubElement(activity, _q("track", JT_NS), details)


def _package(root: etree._Element, mission: str, tracks: pd.DataFrame, context: ExportContext) -> None:
    agencies = ", ".join(sorted(set(tracks.agency)))
    requests = sorted(set(tracks.request_id))
    attributes = {
        "scheduledPackageId": mission,
        "user": mission[:USER_MAX],
        "comment": f"{mission} ({agencies}): {len(tracks)} tracks",
    }
    if len(requests) == 1:
        attributes["originatingRequestId"] = requests[0]
    package = etree.SubElement(root, _q("scheduledPackage"), attributes)
    for _, track in tracks.sort_values(["start", "track_id"], kind="stable").iterrows():
        _activity(package, track, context)


def ssf_document(schedule: pd.DataFrame, context: ExportContext) -> etree._Element:
    root = etree.Element(_q("simpleSchedule"), nsmap={None: SSF_NS, "jt": JT_NS}, srvMgtEntityType="SIMPLE_SCHEDULE")
    start, end = context.horizon(schedule)
    etree.SubElement(
        root,
        _q("simpleScheduleHeader"),
        originatingOrganization="jointtrack",
        generationTime=ssf_time(pd.Timestamp(context.generated)),
        status=STATUS[context.status][0],
        inclusionType="START_INCLUSION",
        version="1",
        startTime=ssf_time(start),
        endTime=ssf_time(end),
    )
    if context.scenario:
        root.insert(0, etree.Comment(f" jointtrack schedule of scenario {context.scenario} "))
    for mission, tracks in schedule.groupby("mission", sort=True):
        _package(root, str(mission), tracks, context)
    return root


def write_ssf(schedule: pd.DataFrame, context: ExportContext) -> str:
    """The schedule as Simple Schedule XML, checked against the XSD."""
    root = ssf_document(schedule, context)
    validate_ssf(root)
    return etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8").decode("utf-8")


def parse_untrusted_xml(data: bytes) -> etree._Element:
    """An XML document from outside, read without DTDs, entities or network access: a DOCTYPE is
    refused outright, so no entity can expand (billion laughs) or read a local file."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise SsfInvalid(f"not well-formed XML: {exc}") from None
    if root.getroottree().docinfo.doctype:
        raise SsfInvalid("has a DOCTYPE: DTDs and entities are not accepted")
    return root


def read_ssf(text: str) -> pd.DataFrame:
    """The schedule frame of a Simple Schedule written by `write_ssf` (validated first)."""
    root = parse_untrusted_xml(text.encode("utf-8"))
    validate_ssf(root)
    records = []
    for package in root.iterfind(_q("scheduledPackage")):
        for activity in package.iterfind(_q("scheduledActivity")):
            details = activity.find(_q("track", JT_NS))
            extra = details.attrib if details is not None else {}
            begin_track, end_track = activity.get("beginningOfTrack"), activity.get("endOfTrack")
            records.append(
                {
                    "track_id": activity.get("scheduledActivityId"),
                    "request_id": extra.get("requestId", package.get("originatingRequestId", "")),
                    "mission": extra.get("mission", package.get("scheduledPackageId")),
                    "agency": extra.get("agency", ""),
                    "target": extra.get("target", ""),
                    "station": activity.get("apertureRef"),
                    "setup_start": format_time(parse_ssf_time(activity.get("beginningOfActivity", begin_track))),
                    "start": format_time(parse_ssf_time(begin_track)),
                    "end": format_time(parse_ssf_time(end_track)),
                    "teardown_end": format_time(parse_ssf_time(activity.get("endOfActivity", end_track))),
                    "group": extra.get("group", ""),
                    "band": extra.get("band", ""),
                    "bits": extra.get("bits", ""),
                }
            )
    return schedule_from_records(records)

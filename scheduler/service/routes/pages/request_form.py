"""A request as the pages' form shows it: the common scenario keys as fields, every other key
in a YAML box; and the form read back into scenario keys, each error placed beside its field."""

import re
from typing import Any

import yaml

from scheduler.errors import InputError
from scheduler.inputs.yaml_file import parse_yaml

FIELDS = ("id", "mission", "target", "priority", "duration", "min_duration", "max_duration", "tracks", "per")
WHOLE = ("priority", "tracks")
MORE = "more"


def form_values(body: dict[str, Any]) -> dict[str, str]:
    """The form's fields from a request's scenario keys."""
    values = {k: str(body[k]) for k in FIELDS if k in body}
    values["stations"] = ", ".join(str(s) for s in body.get("stations") or [])
    window = body.get("window") or {}
    values["window_start"], values["window_end"] = str(window.get("start", "")), str(window.get("end", ""))
    values["note"] = str(body.get("note", ""))
    rest = {k: v for k, v in body.items() if k not in (*FIELDS, "stations", "window", "note", "agency")}
    values[MORE] = yaml.safe_dump(rest, sort_keys=False, allow_unicode=True) if rest else ""
    return values


def body_from_form(form: dict[str, str], source: str) -> dict[str, Any]:
    """Scenario keys from the form: empty fields left out, whole numbers read as numbers."""
    body: dict[str, Any] = {k: form[k].strip() for k in FIELDS if form.get(k, "").strip()}
    for key in WHOLE:
        if key in body and re.fullmatch(r"\d{1,9}", body[key]):
            body[key] = int(body[key])
    stations = [s.strip() for s in form.get("stations", "").split(",") if s.strip()]
    if stations:
        body["stations"] = stations
    start, end = form.get("window_start", "").strip(), form.get("window_end", "").strip()
    if start or end:
        body["window"] = {"start": start, "end": end}
    if form.get("note", "").strip():
        body["note"] = form["note"].strip()
    if form.get(MORE, "").strip():
        more = parse_yaml(form[MORE], source)
        clash = sorted(set(more) & set(body))
        if clash:
            raise InputError(source, MORE, f"{', '.join(clash)} given twice", "give each key once (field or YAML)")
        body.update(more)
    return body


def field_of(error_field: str, default: str = MORE) -> str:
    """The form field an error's field belongs to (`default`, the YAML box, for keys without one)."""
    head = re.split(r"[.\[ ]", error_field, maxsplit=1)[0]
    if head == "window":
        return "window_end" if error_field.startswith("window.end") else "window_start"
    return head if head in (*FIELDS, "stations", "note") else default

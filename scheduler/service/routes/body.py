"""Request bodies as the routes take them: raw text (a scenario's YAML) or a JSON value, with
unreadable bodies reported as 422 in the service's error shape."""

import json
from typing import Any

from fastapi import Request

from scheduler.service.errors import ServiceError

YAML_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/yaml": {"schema": {"type": "string", "description": "a scenario file's YAML"}}},
    }
}
JSON_OBJECT = {"requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object"}}}}}


async def body_text(request: Request) -> str:
    raw = await request.body()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ServiceError(422, "the body is not UTF-8 text", "body", "send the scenario as UTF-8 YAML") from None


async def body_json(request: Request) -> Any:
    """The body's JSON value ({} for an empty body)."""
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ServiceError(422, f"the body is not JSON ({exc})", "body", "send a JSON object") from None

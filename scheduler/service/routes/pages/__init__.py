"""The pages: server-rendered (Jinja2, autoescaped) over the same functions as the JSON API."""

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)

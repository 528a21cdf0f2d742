"""Operations rules of whole complexes (start spacing, simultaneous links), with their sources."""

from datetime import timedelta
from functools import cache
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from stations.model import Duration

COMPLEXES_FILE = "complexes.yaml"


class ComplexRule(BaseModel):
    """What a complex allows: activities begin at least `start_spacing` apart; at most `max_links`
    tracks (setup to teardown) at once (None: no limit beyond its antennas)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    complex: str = Field(min_length=1)
    start_spacing: Duration = timedelta(0)
    max_links: int | None = Field(default=None, ge=1)
    source: str = ""


@cache
def default_complex_rules() -> dict[str, ComplexRule]:
    """The bundled defaults by complex name (stations/complexes.yaml, each with its source)."""
    text = resources.files("stations").joinpath(COMPLEXES_FILE).read_text(encoding="utf-8")
    rules: dict[str, ComplexRule] = {}
    for index, entry in enumerate(yaml.safe_load(text) or []):
        try:
            rule = ComplexRule.model_validate(entry)
        except ValidationError as exc:  # a broken bundled file is a bug, not user input
            raise RuntimeError(f"stations/{COMPLEXES_FILE} entry {index}: {exc}") from exc
        rules[rule.complex] = rule
    return rules

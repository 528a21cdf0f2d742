"""Scenario targets: solar-system bodies, probe trajectories (CCSDS OEM) and fixed directions."""

from typing import Literal

from pydantic import Field, model_validator

from scheduler.inputs.fields import Identifier, Strict

BODIES = ("sun", "moon", "mercury", "venus", "mars", "jupiter", "saturn", "uranus", "neptune")


class TargetSpec(Strict):
    """What a request points at: a solar-system body, a probe's trajectory file, or a fixed
    direction."""

    id: Identifier
    body: Literal[BODIES] | None = None  # type: ignore[valid-type]
    oem: str | None = Field(
        default=None, min_length=1, description="CCSDS OEM file (KVN or XML), path relative to the scenario file"
    )
    ra_deg: float | None = Field(default=None, ge=0, lt=360)
    dec_deg: float | None = Field(default=None, ge=-90, le=90)

    @model_validator(mode="before")
    @classmethod
    def _lower_body(cls, data: object) -> object:
        if isinstance(data, dict) and isinstance(data.get("body"), str):
            return {**data, "body": data["body"].strip().lower()}
        return data

    @model_validator(mode="after")
    def _one_kind(self) -> "TargetSpec":
        fixed = self.ra_deg is not None or self.dec_deg is not None
        if fixed and (self.ra_deg is None or self.dec_deg is None):
            raise ValueError("a fixed direction needs both ra_deg and dec_deg")
        if (self.body is not None) + (self.oem is not None) + fixed != 1:
            raise ValueError("give exactly one of body, oem or ra_deg+dec_deg")
        return self

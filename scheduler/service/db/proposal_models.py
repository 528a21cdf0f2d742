"""The negotiation's tables (docs/design.md: Service tables): a campaign's baseline and its
negotiation settings, proposals (a candidate next baseline with its files) and their parties.

Kept beside `models.py` on the same declarative base, so the first schema's module stays as it
was; migration 0002_proposals creates these tables.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from scheduler.service.db.models import Base, utc_now

PROPOSAL_STATES = ("open", "applied", "rejected", "expired", "superseded")
RESPONSES = ("pending", "concur", "reject", "counter")


class Baseline(Base):
    """The schedule version a campaign's agencies agreed to."""

    __tablename__ = "baselines"
    campaign_id: Mapped[str] = mapped_column(ForeignKey("campaigns.id"), primary_key=True)
    version: Mapped[int]
    set_by: Mapped[str] = mapped_column(String(32))
    set_at: Mapped[datetime] = mapped_column(default=utc_now)


class NegotiationSettings(Base):
    """How a campaign negotiates: answers due within `respond_within_s`, what silence counts as,
    and how long before its start a baseline track is frozen."""

    __tablename__ = "negotiation_settings"
    campaign_id: Mapped[str] = mapped_column(ForeignKey("campaigns.id"), primary_key=True)
    respond_within_s: Mapped[int] = mapped_column(default=72 * 3600)
    silence: Mapped[str] = mapped_column(String(16), default="reject")
    freeze_before_s: Mapped[int] = mapped_column(default=8 * 86400)


class Proposal(Base):
    """A candidate next baseline: made by a `propose` job against `base_version`, its files
    (schedule.csv, diff.csv, parties.csv, summary.json, scenario.yaml, …) kept whole."""

    __tablename__ = "proposals"
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[str] = mapped_column(ForeignKey("campaigns.id"), index=True)
    base_version: Mapped[int]
    state: Mapped[str] = mapped_column(String(16), default="open")
    reason: Mapped[str] = mapped_column(Text, default="")
    respond_by: Mapped[datetime]
    silence: Mapped[str] = mapped_column(String(16))  # the campaign's rule when it was made
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id"))  # the proposal it counters
    round: Mapped[int] = mapped_column(default=1)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"), unique=True)
    version: Mapped[int | None]  # the version it became, once applied
    decided_by: Mapped[str | None] = mapped_column(String(32))
    decided_at: Mapped[datetime | None]
    summary: Mapped[dict[str, Any]]
    files: Mapped[dict[str, Any]]  # name → text


class Party(Base):
    """One agency a proposal changes: asked (`must_consent`) or told, its answer and its changes."""

    __tablename__ = "parties"
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), primary_key=True)
    agency: Mapped[str] = mapped_column(String(32), primary_key=True)
    position: Mapped[int]
    must_consent: Mapped[bool]
    response: Mapped[str] = mapped_column(String(16), default="pending")
    reason: Mapped[str] = mapped_column(Text, default="")
    hours_before: Mapped[float]
    hours_after: Mapped[float]
    moved: Mapped[int]
    shortened: Mapped[int]
    dropped: Mapped[int]
    new_pairs: Mapped[int]
    responded_by: Mapped[str | None] = mapped_column(String(32))
    responded_at: Mapped[datetime | None]

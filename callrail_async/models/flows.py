"""Message flows, summary emails, outbound caller ids, integration triggers, leads."""

from typing import Any

from ._types import FlexBool, Id, Model, Timestamp


class MessageFlow(Model):
    """An automated SMS message flow (``MFL…``)."""

    id: Id
    name: str | None = None
    updated_at: Timestamp | None = None
    tracker_ids: list[str] | None = None
    initial_step_id: str | None = None
    steps: dict[str, Any] | None = None


class SummaryEmail(Model):
    """A summary email subscription (``CSS…``)."""

    id: Id
    scope: dict[str, Any] | None = None
    frequency: list[str] | None = None
    config: dict[str, Any] | None = None
    filters: dict[str, Any] | None = None
    user: dict[str, Any] | None = None
    email: str | None = None


class CallerId(Model):
    """An outbound caller id."""

    id: Id
    phone_number: str | None = None
    name: str | None = None
    company_id: Id | None = None
    verified: FlexBool | None = None
    created_at: Timestamp | None = None
    validation_code: str | None = None


class IntegrationTrigger(Model):
    """An integration trigger (filter): which calls an integration receives."""

    id: Id
    company_id: Id | None = None
    integration_id: Id | None = None
    tracker_ids: list[str] | None = None
    call_type: str | None = None
    min_duration: int | None = None
    max_duration: int | None = None
    lead_status: Any = None
    integration: dict[str, Any] | None = None


class Lead(Model):
    """A lead (person, ``PER…``)."""

    id: Id
    name: str | None = None
    phone: str | None = None
    email: str | None = None
    created_at: Timestamp | None = None
    company_id: Id | None = None
    company_name: str | None = None


class TimelineEvent(Model):
    """One event of a lead's timeline."""

    type: str | None = None
    id: Id | None = None
    event_date: Timestamp | None = None


class LeadTimeline(Model):
    """``GET leads/{id}/timeline.json``: the lead and one page of its events."""

    lead: dict[str, Any] | None = None
    timeline: list[TimelineEvent] | None = None
    page: int | None = None
    per_page: int | None = None
    total_pages: int | None = None
    total_records: int | None = None


class PageView(Model):
    """A page a caller viewed before calling (session trackers)."""

    page_url: str | None = None
    referrer_url: str | None = None
    created_at: Timestamp | None = None


class FormsSummary(Model):
    """``GET forms/summary.json``: form metrics, grouped when asked."""

    start_date: Timestamp | None = None
    end_date: Timestamp | None = None
    time_zone: str | None = None
    total_results: dict[str, Any] | None = None
    grouped_by: str | None = None
    grouped_results: list[dict[str, Any]] | None = None

"""Form submission models."""

from typing import Any

from ._types import FlexBool, Id, Model, Timestamp
from .calls import Milestones


class FormSubmission(Model):
    """A form submission (``FOR…``)."""

    id: Id
    company_id: Id | None = None
    person_id: str | None = None
    form_data: dict[str, Any] | None = None
    form_url: str | None = None
    landing_page_url: str | None = None
    referrer: str | None = None
    referring_url: str | None = None
    submitted_at: Timestamp | None = None
    first_form: FlexBool | None = None
    customer_phone_number: str | None = None
    customer_name: str | None = None
    customer_email: str | None = None
    formatted_customer_phone_number: str | None = None
    formatted_customer_name: str | None = None
    source: str | None = None
    keywords: str | None = None
    campaign: str | None = None
    medium: str | None = None
    company_name: str | None = None
    lead_status: str | None = None
    value: str | int | float | None = None
    note: str | None = None
    tags: list[Any] | None = None
    utm_source: str | None = None
    utm_medium: str | None = None
    utm_campaign: str | None = None
    form_name: str | None = None
    timeline_url: str | None = None
    milestones: Milestones | None = None


class Message(Model):
    """A plain ``{"message": ...}`` answer."""

    message: str | None = None

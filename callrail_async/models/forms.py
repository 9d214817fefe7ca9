"""Form submission models."""

from typing import Any

from msgspec import UNSET, UnsetType

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


class FormSubmissionCreate(Model, omit_defaults=True):
    """Body of ``POST form_submissions.json``."""

    company_id: Id
    form_data: dict[str, Any]
    referrer: str | UnsetType = UNSET
    referring_url: str | UnsetType = UNSET
    landing_page_url: str | UnsetType = UNSET
    form_url: str | UnsetType = UNSET
    session_id: str | UnsetType = UNSET


class InteractionUpdate(Model, omit_defaults=True):
    """Body of updates to calls' siblings (form submissions): tags, note, value, lead."""

    tags: list[str] | UnsetType = UNSET
    append_tags: bool | UnsetType = UNSET
    note: str | UnsetType | None = UNSET
    value: str | UnsetType | None = UNSET
    lead_status: str | UnsetType | None = UNSET


class IgnoredFields(Model, omit_defaults=True):
    """Body of ``POST form_submissions/ignored_fields.json``."""

    company_ids: list[Id]
    field_names: list[str]


class Message(Model):
    """A plain ``{"message": ...}`` answer."""

    message: str | None = None

"""Request bodies of CallRail's create and update endpoints.

One meaning everywhere: a field left ``UNSET`` is not sent; ``None`` is sent as ``null``,
which clears the value where CallRail allows it (those fields are typed ``| None``); any
other value, including an empty string, is sent as given. Ids keep the form the caller
gave (CallRail's own examples send legacy numeric ids as numbers).
"""

from collections.abc import Sequence
from typing import Any

import msgspec
from msgspec import UNSET, UnsetType

from ._repr import private_repr, private_rich_repr
from ._types import Id


class Body(msgspec.Struct, kw_only=True, omit_defaults=True):
    """Base of every request body: keyword-only, unset fields omitted; ``repr()`` hides
    personal text and passwords, like the models'."""

    __repr__ = private_repr
    __rich_repr__ = private_rich_repr


class OutboundCallCreate(Body):
    """``POST calls.json``: place an outbound call."""

    caller_id: str
    customer_phone_number: str
    business_phone_number: str
    recording_enabled: bool | UnsetType = UNSET
    outbound_greeting_recording_url: str | UnsetType = UNSET
    outbound_greeting_text: str | UnsetType = UNSET
    agent_id: Id | UnsetType = UNSET


class CallerIdCreate(Body):
    """``POST caller_ids.json``."""

    company_id: Id
    phone_number: str
    name: str


class CompanySettings(Body):
    """The settings shared by company create and update."""

    time_zone: str | UnsetType = UNSET
    callscore_enabled: bool | UnsetType = UNSET
    keyword_spotting_enabled: bool | UnsetType = UNSET
    callscribe_enabled: bool | UnsetType = UNSET
    swap_exclude_jquery: bool | UnsetType | None = UNSET
    swap_ppc_override: bool | UnsetType | None = UNSET
    swap_landing_override: str | UnsetType | None = UNSET
    swap_cookie_duration: int | UnsetType = UNSET
    swap_cookie_duration_unit: str | UnsetType = UNSET
    external_form_capture: bool | UnsetType = UNSET


class CompanyCreate(CompanySettings, kw_only=True):
    """``POST companies.json``."""

    name: str


class CompanyUpdate(CompanySettings, kw_only=True):
    """``PUT companies/{id}.json``."""

    name: str | UnsetType = UNSET


class CompanyBulkUpdate(Body):
    """``POST companies/bulk_update.json``."""

    company_ids: list[Id]
    external_form_capture: bool


class IntegrationCreate(Body):
    """``POST integrations.json``."""

    company_id: Id
    type: str
    config: dict[str, Any]


class IntegrationUpdate(Body):
    """``PUT integrations/{id}.json``."""

    state: str | UnsetType = UNSET
    config: dict[str, Any] | UnsetType = UNSET


class TriggerSettings(Body):
    """``PUT integration_triggers/{id}.json``: which calls an integration receives."""

    tracker_ids: Sequence[Id] | UnsetType = UNSET
    call_type: str | UnsetType | None = UNSET
    min_duration: int | UnsetType | None = UNSET
    max_duration: int | UnsetType | None = UNSET
    lead_status: str | int | UnsetType | None = UNSET


class TriggerCreate(TriggerSettings, kw_only=True):
    """``POST integration_triggers.json``."""

    company_id: Id
    integration_id: Id


class NotificationSettings(Body):
    """``PUT notifications/{id}.json``."""

    company_id: Id | UnsetType | None = UNSET
    tracker_id: Id | UnsetType | None = UNSET
    call_enabled: bool | UnsetType = UNSET
    sms_enabled: bool | UnsetType = UNSET
    alert_type: str | UnsetType = UNSET
    send_desktop: bool | UnsetType = UNSET
    send_email: bool | UnsetType = UNSET
    send_push: bool | UnsetType = UNSET


class NotificationCreate(NotificationSettings, kw_only=True):
    """``POST notifications.json`` (for the key's user when neither user_id nor email)."""

    user_id: Id | UnsetType = UNSET
    email: str | UnsetType = UNSET
    agent_id: Id | UnsetType = UNSET


class MessageFlowUpdate(Body):
    """``PUT message-flows/{id}.json``."""

    name: str | UnsetType = UNSET
    initial_step_id: str | UnsetType = UNSET
    steps: dict[str, Any] | UnsetType = UNSET


class MessageFlowCreate(Body):
    """``POST message-flows.json``."""

    company_id: Id
    name: str
    initial_step_id: str
    steps: dict[str, Any]


class SummaryEmailUpdate(Body):
    """``PUT summary_emails/{id}.json``."""

    frequency: list[str] | UnsetType = UNSET
    config: dict[str, bool] | UnsetType = UNSET
    filters: dict[str, Any] | UnsetType = UNSET


class SummaryEmailCreate(SummaryEmailUpdate, kw_only=True):
    """``POST summary_emails.json``."""

    company_id: Id | UnsetType = UNSET
    user_id: Id | UnsetType = UNSET
    email: str | UnsetType = UNSET


class TrackerSettings(Body):
    """``PUT trackers/{id}.json``: tracker settings."""

    name: str | UnsetType = UNSET
    call_flow: dict[str, Any] | UnsetType = UNSET
    source: dict[str, Any] | str | UnsetType = UNSET
    tracking_number: dict[str, Any] | UnsetType = UNSET
    pool_size: int | UnsetType = UNSET
    pool_numbers: dict[str, Any] | UnsetType = UNSET
    campaign_name: str | UnsetType = UNSET
    sms_enabled: bool | UnsetType = UNSET
    swap_targets: list[str] | UnsetType = UNSET
    whisper_message: str | UnsetType | None = UNSET
    message_flow: dict[str, Any] | UnsetType | None = UNSET
    replace_tracking_number: str | UnsetType = UNSET


class TrackerCreate(TrackerSettings, kw_only=True):
    """``POST trackers.json`` (``name``, ``call_flow`` and ``source`` are required)."""

    type: str
    company_id: Id


class UserUpdate(Body):
    """``PUT users/{id}.json``."""

    first_name: str | UnsetType = UNSET
    last_name: str | UnsetType = UNSET
    email: str | UnsetType = UNSET
    current_password: str | UnsetType = UNSET
    companies: list[Id] | UnsetType = UNSET


class UserCreate(Body):
    """``POST users.json``."""

    first_name: str
    last_name: str
    email: str
    role: str
    companies: list[Id] | UnsetType = UNSET


class ConnectionCreate(Body):
    """``POST /connections`` (Maton gateway)."""

    app: str
    method: str | UnsetType = UNSET


class CallUpdate(Body):
    """Body of ``PUT calls/{id}.json``: only the fields the caller set are sent."""

    customer_name: str | UnsetType | None = UNSET
    note: str | UnsetType | None = UNSET
    lead_status: str | UnsetType | None = UNSET
    spam: bool | UnsetType = UNSET
    tags: list[str] | UnsetType = UNSET
    append_tags: bool | UnsetType = UNSET
    value: str | float | UnsetType | None = UNSET


class TagCreate(Body):
    """Body of ``POST tags.json``."""

    name: str
    company_id: Id | UnsetType = UNSET
    color: str | UnsetType = UNSET
    tag_level: str | UnsetType = UNSET


class TagUpdate(Body):
    """Body of ``PUT tags/{id}.json``: only the fields the caller set are sent."""

    name: str | UnsetType = UNSET
    color: str | UnsetType = UNSET
    disabled: bool | UnsetType = UNSET


class SendText(Body):
    """Body of ``POST text-messages.json``."""

    company_id: Id
    customer_phone_number: str
    content: str
    tracking_number: str | UnsetType = UNSET
    media_url: str | UnsetType = UNSET


class SmsThreadUpdate(Body):
    """Body of ``PUT sms-threads/{id}.json``."""

    notes: str | UnsetType | None = UNSET
    value: str | float | UnsetType | None = UNSET
    tags: list[str] | UnsetType = UNSET
    append_tags: bool | UnsetType = UNSET
    lead_qualification: str | UnsetType | None = UNSET


class FormSubmissionCreate(Body):
    """Body of ``POST form_submissions.json``."""

    company_id: Id
    form_data: dict[str, Any]
    referrer: str | UnsetType = UNSET
    referring_url: str | UnsetType = UNSET
    landing_page_url: str | UnsetType = UNSET
    form_url: str | UnsetType = UNSET
    session_id: str | UnsetType = UNSET


class InteractionUpdate(Body):
    """Body of updates to calls' siblings (form submissions): tags, note, value, lead."""

    tags: list[str] | UnsetType = UNSET
    append_tags: bool | UnsetType = UNSET
    note: str | UnsetType | None = UNSET
    value: str | float | UnsetType | None = UNSET
    lead_status: str | UnsetType | None = UNSET


class IgnoredFields(Body):
    """Body of ``POST form_submissions/ignored_fields.json``."""

    company_ids: list[Id]
    field_names: list[str]

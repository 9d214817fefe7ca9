"""Text message models: conversations (text-messages) and SMS threads."""

from typing import Any

from ._types import Id, Model, Timestamp


class TextMessage(Model):
    """One message of a conversation or thread."""

    id: Id | None = None
    content: str | None = None
    created_at: Timestamp | None = None
    status: str | None = None
    direction: str | None = None
    type: str | None = None
    message_type: str | None = None
    media_urls: list[str] | None = None
    user: dict[str, Any] | None = None
    error: Any = None


class Conversation(Model):
    """A text-message conversation (``GET text-messages``)."""

    id: Id
    company_id: Id | None = None
    initial_tracker_id: str | None = None
    current_tracker_id: str | None = None
    customer_name: str | None = None
    customer_phone_number: str | None = None
    initial_tracking_number: str | None = None
    current_tracking_number: str | None = None
    last_message_at: Timestamp | None = None
    state: str | None = None
    company_time_zone: str | None = None
    formatted_customer_phone_number: str | None = None
    formatted_initial_tracking_number: str | None = None
    formatted_current_tracking_number: str | None = None
    formatted_customer_name: str | None = None
    lead_status: str | None = None
    source: str | None = None
    recent_messages: list[TextMessage] | None = None
    messages: list[TextMessage] | None = None
    page: int | None = None
    per_page: int | None = None
    total_pages: int | None = None
    total_records: int | None = None


class SmsThread(Conversation):
    """An SMS thread (``GET sms-threads``): a conversation with notes, tags and value."""

    notes: str | None = None
    tags: list[Any] | None = None
    value: str | int | float | None = None
    lead_qualification: str | None = None

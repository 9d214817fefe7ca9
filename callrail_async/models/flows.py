"""Message flows, summary emails, outbound caller ids, integration triggers, leads."""

from typing import Any

from ._types import FlexBool, FlexInt, Id, Model, Timestamp


class MessageFlow(Model):
    """An automated SMS message flow (``MFL…``)."""

    id: Id
    name: str | None = None
    updated_at: Timestamp | None = None
    tracker_ids: list[str] | None = None
    initial_step_id: str | None = None
    steps: dict[str, Any] | None = None


class SummaryEmailScope(Model):
    """What a summary email covers: a company or the whole account."""

    id: Id | None = None
    type: str | None = None
    name: str | None = None


class SummaryEmailFilters(Model):
    """Which calls a summary email counts (``lead_status``: ``Lead``, ``Not a Lead``, ...)."""

    lead_status: str | None = None


class SummaryEmailUser(Model):
    """The user a summary email goes to."""

    id: Id | None = None
    name: str | None = None
    email: str | None = None


class SummaryEmail(Model):
    """A summary email subscription (``CSS…``)."""

    id: Id
    scope: SummaryEmailScope | None = None
    frequency: list[str] | None = None
    config: dict[str, Any] | None = None
    filters: SummaryEmailFilters | None = None
    user: SummaryEmailUser | None = None
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
    """A lead (person, ``PER…``); ``fields=`` can leave out even ``id``."""

    id: Id | None = None
    name: str | None = None
    phone: str | None = None
    email: str | None = None
    created_at: Timestamp | None = None
    company_id: Id | None = None
    company_name: str | None = None


class TimelineEvent(Model):
    """One event of a lead's timeline: the common fields, then those of each ``type``
    (``call``, ``form_submission``, ``sms``, ``chat``, ``milestone``); the others are None."""

    type: str | None = None
    id: Id | None = None
    event_date: Timestamp | None = None
    # call
    customer_name: str | None = None
    customer_phone_number: str | None = None
    direction: str | None = None
    duration: FlexInt | None = None
    answered: FlexBool | None = None
    recording: str | None = None
    start_time: Timestamp | None = None
    tracking_phone_number: str | None = None
    # form_submission
    form_name: str | None = None
    form_url: str | None = None
    form_fields: dict[str, Any] | None = None
    form_submission_url: str | None = None
    # sms
    message_content: str | None = None
    message_phone_number: str | None = None
    message_type: str | None = None
    thread_id: str | None = None
    # chat
    chat_id: str | None = None
    chat_subject: str | None = None
    conversation_participant_phone_number: str | None = None
    # milestone
    milestone_type: str | None = None
    touchpoint_type: str | None = None


class Touchpoint(Model):
    """A lead's attribution touchpoint (first, last, creation, qualification)."""

    touchpoint_type: str | None = None
    source: str | None = None
    medium: str | None = None
    created_at: Timestamp | None = None
    lead_creation_time: Timestamp | None = None


class LeadTag(Model):
    """A tag on one of a lead's interactions."""

    id: Id | None = None
    name: str | None = None
    color: str | None = None


class ConvertAssistAnswer(Model):
    """One Convert Assist answer (``answer_key``: the prompt, ``answer_text``: the answer)."""

    answer_key: str | None = None
    answer_text: str | None = None


class ConvertAssist(Model):
    """AI-generated insights about a lead's conversion."""

    id: Id | None = None
    created_at: Timestamp | None = None
    last_interaction_id: Id | None = None
    last_interaction_type: str | None = None
    interaction_count: FlexInt | None = None
    status: str | None = None
    answers: list[ConvertAssistAnswer] | None = None


class LeadSummary(Model):
    """The lead of a timeline: who, attribution touchpoints, tags and AI insights."""

    customer_name: str | None = None
    customer_phone_number: str | None = None
    total_interactions: FlexInt | None = None
    first_touch: Touchpoint | None = None
    last_touch: Touchpoint | None = None
    lead_creation: Touchpoint | None = None
    lead_qualification: Touchpoint | None = None
    tags: list[LeadTag] | None = None
    convert_assist: ConvertAssist | None = None
    voice_assist: FlexBool | None = None
    transcript: FlexBool | None = None
    source: str | None = None
    medium: str | None = None
    campaign: str | None = None
    landing_page_url: str | None = None
    referrer_url: str | None = None
    click_id: dict[str, Any] | None = None


class LeadTimeline(Model):
    """``GET leads/{id}/timeline.json``: the lead and one page of its events."""

    lead: LeadSummary | None = None
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


class FormMetrics(Model):
    """Form metrics of a forms summary; only the requested ones are set."""

    total_forms: int | None = None
    first_forms: int | None = None
    leads: int | None = None


class FormGroup(FormMetrics):
    """One group of a grouped forms summary (``key``: the source, form name, ...)."""

    key: str | None = None


class FormsSummary(Model):
    """``GET forms/summary.json``: form metrics, grouped when asked."""

    start_date: Timestamp | None = None
    end_date: Timestamp | None = None
    time_zone: str | None = None
    total_results: FormMetrics | None = None
    grouped_by: str | None = None
    grouped_results: list[FormGroup] | None = None

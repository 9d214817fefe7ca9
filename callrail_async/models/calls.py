"""Call models: calls, their nested objects, summaries and time series."""

from typing import Any

from ._types import FlexBool, FlexInt, Id, Model, Timestamp


class Milestone(Model):
    """One step of a caller's journey (first touch, lead created, qualified, last touch)."""

    event_date: Timestamp | None = None
    ad_position: Any = None
    campaign: str | None = None
    device: str | None = None
    keywords: str | None = None
    landing: str | None = None
    landing_page_url_params: dict[str, Any] | None = None
    match_type: str | None = None
    medium: str | None = None
    referrer: str | None = None
    referrer_url_params: dict[str, Any] | None = None
    session_browser: str | None = None
    url_utm_params: dict[str, Any] | None = None
    source: str | None = None


class Milestones(Model):
    """The four milestones of a call (``fields=milestones``)."""

    first_touch: Milestone | None = None
    lead_created: Milestone | None = None
    qualified: Milestone | None = None
    last_touch: Milestone | None = None


class KeywordLocation(Model):
    """Where in the recording a spotted keyword was said."""

    speaker: str | None = None
    start: float | None = None


class KeywordSpotted(Model):
    """A keyword found in the call's transcript."""

    keyword: str | None = None
    locations: list[KeywordLocation] | None = None


class TranscriptPhrase(Model):
    """One phrase of a conversational transcript."""

    speaker: str | None = None
    phrase: str | None = None
    start: float | None = None


class Call(Model):
    """A phone call (``CAL…``).

    The first block is CallRail's default field set; the rest arrive only when requested
    with ``fields=`` and are ``None`` otherwise.
    """

    id: Id
    answered: FlexBool | None = None
    business_phone_number: str | None = None
    customer_city: str | None = None
    customer_country: str | None = None
    customer_name: str | None = None
    customer_phone_number: str | None = None
    customer_state: str | None = None
    direction: str | None = None
    duration: FlexInt | None = None
    recording: str | None = None
    recording_duration: FlexInt | None = None
    recording_player: str | None = None
    start_time: Timestamp | None = None
    tracking_phone_number: str | None = None
    voicemail: FlexBool | None = None

    agent_email: str | None = None
    call_highlights: list[Any] | None = None
    call_summary: Any = None
    call_type: str | None = None
    campaign: str | None = None
    company_id: Id | None = None
    company_name: str | None = None
    company_time_zone: str | None = None
    conversational_transcript: list[TranscriptPhrase] | None = None
    created_at: Timestamp | None = None
    custom: Any = None
    device_type: str | None = None
    fbclid: str | None = None
    first_call: FlexBool | None = None
    formatted_business_phone_number: str | None = None
    formatted_call_type: str | None = None
    formatted_customer_location: str | None = None
    formatted_customer_name: str | None = None
    formatted_customer_name_or_phone_number: str | None = None
    formatted_customer_phone_number: str | None = None
    formatted_duration: str | None = None
    formatted_tracking_phone_number: str | None = None
    formatted_tracking_source: str | None = None
    formatted_value: str | None = None
    ga: str | None = None
    gclid: str | None = None
    good_lead_call_id: Id | None = None
    good_lead_call_time: str | None = None
    integration_data: list[Any] | None = None
    keypad_entries: Any = None
    keywords: str | None = None
    keywords_spotted: list[KeywordSpotted] | None = None
    landing_page_url: str | None = None
    last_requested_url: str | None = None
    lead_explanation: str | None = None
    lead_score: str | None = None
    lead_status: str | None = None
    medium: str | None = None
    milestones: Milestones | None = None
    msclkid: str | None = None
    note: str | None = None
    person_id: str | None = None
    prior_calls: FlexInt | None = None
    referrer_domain: str | None = None
    referring_url: str | None = None
    sentiment: str | None = None
    session_uuid: str | None = None
    source: str | None = None
    source_name: str | None = None
    speaker_percent: Any = None
    tags: list[Any] | None = None
    timeline_url: str | None = None
    total_calls: FlexInt | None = None
    tracker_id: Id | None = None
    transcription: str | None = None
    utm_campaign: str | None = None
    utm_content: str | None = None
    utm_medium: str | None = None
    utm_source: str | None = None
    utm_term: str | None = None
    utma: str | None = None
    utmb: str | None = None
    utmc: str | None = None
    utmv: str | None = None
    utmz: str | None = None
    value: str | int | float | None = None
    voice_assist_message: Any = None
    waveforms: list[str] | None = None
    zip_code: Any = None


CALL_OPTIONAL_FIELDS: frozenset[str] = frozenset(
    Call.__struct_fields__[Call.__struct_fields__.index("agent_email") :]
)
"""Field names that ``fields=`` may request on calls."""


class SummaryMetrics(Model):
    """Call metrics of a summary or a time-series bucket; only requested ones are set."""

    total_calls: int | None = None
    missed_calls: int | None = None
    answered_calls: int | None = None
    first_time_callers: int | None = None
    average_duration: int | float | None = None
    formatted_average_duration: str | None = None
    leads: int | None = None


class SummaryGroup(SummaryMetrics):
    """One group of a grouped summary (``key`` is the source, company, ... name)."""

    key: str | None = None


class CallSummary(Model):
    """``GET calls/summary.json``: totals, and groups when ``group_by`` was given."""

    start_date: Timestamp | None = None
    end_date: Timestamp | None = None
    time_zone: str | None = None
    total_results: SummaryMetrics | None = None
    grouped_by: str | None = None
    grouped_results: list[SummaryGroup] | None = None


class TimeseriesPoint(SummaryMetrics):
    """One bucket of a time series. ``date`` is ``YYYY-MM-DD`` or, hourly, a timestamp."""

    date: str | None = None
    key: str | None = None


class CallTimeseries(Model):
    """``GET calls/timeseries.json``: zero-filled buckets (at most 200)."""

    start_date: Timestamp | None = None
    end_date: Timestamp | None = None
    time_zone: str | None = None
    total_results: SummaryMetrics | None = None
    data: list[TimeseriesPoint] | None = None


class Recording(Model):
    """``GET calls/{id}/recording.json``: a URL that leads to the MP3."""

    url: str

"""CallRail's enumerated parameter values, as ``Literal`` types and as sets for checking.

Two kinds: closed sets the reference lists exhaustively (``DateRange``, ``Order``, ...),
checked before sending; and open sets (``CallSort``, ``SummaryGroupBy``, ``CallField``...),
whose ``Literal`` only offers the documented names as completions: parameters typed
``OpenSet | str`` pass any other name through to CallRail.
"""

from __future__ import annotations

from typing import Literal, get_args

DateRange = Literal[
    "recent",
    "today",
    "yesterday",
    "last_7_days",
    "last_30_days",
    "this_month",
    "last_month",
    "this_year",
    "last_year",
    "all_time",
]
Order = Literal["asc", "desc"]
LeadStatusFilter = Literal["good_lead", "not_a_lead", "not_scored"]
LeadStatusUpdate = Literal["good_lead", "not_a_lead", "previously_marked_good_lead"]
"""Open: the reference lists two values, the seed's update body a third."""
CallType = Literal["first_call", "missed", "voicemails", "inbound", "outbound"]
AnswerStatus = Literal["answered", "missed", "voicemail"]
Device = Literal["desktop", "mobile"]
Direction = Literal["inbound", "outbound"]
CallSort = Literal[
    "customer_name",
    "customer_phone_number",
    "duration",
    "start_time",
    "source",
    "customer_city",
    "customer_country",
    "landing_page_url",
    "device_type",
    "answered",
    "first_call",
    "source_name",
    "lead_status",
    "tags",
]
CallField = Literal[
    "agent_email",
    "call_highlights",
    "call_summary",
    "call_type",
    "campaign",
    "company_id",
    "company_name",
    "company_time_zone",
    "conversational_transcript",
    "created_at",
    "custom",
    "device_type",
    "fbclid",
    "first_call",
    "formatted_business_phone_number",
    "formatted_call_type",
    "formatted_customer_location",
    "formatted_customer_name",
    "formatted_customer_name_or_phone_number",
    "formatted_customer_phone_number",
    "formatted_duration",
    "formatted_tracking_phone_number",
    "formatted_tracking_source",
    "formatted_value",
    "ga",
    "gclid",
    "good_lead_call_id",
    "good_lead_call_time",
    "integration_data",
    "keypad_entries",
    "keywords",
    "keywords_spotted",
    "landing_page_url",
    "last_requested_url",
    "lead_explanation",
    "lead_score",
    "lead_status",
    "medium",
    "milestones",
    "msclkid",
    "note",
    "person_id",
    "prior_calls",
    "referrer_domain",
    "referring_url",
    "sentiment",
    "session_uuid",
    "source",
    "source_name",
    "speaker_percent",
    "tags",
    "timeline_url",
    "total_calls",
    "tracker_id",
    "transcription",
    "utm_campaign",
    "utm_content",
    "utm_medium",
    "utm_source",
    "utm_term",
    "utma",
    "utmb",
    "utmc",
    "utmv",
    "utmz",
    "value",
    "voice_assist_message",
    "waveforms",
    "zip_code",
]
"""Open: the documented optional call fields, offered as completions; any name is sent."""
SummaryGroupBy = Literal[
    "source",
    "keywords",
    "campaign",
    "referrer",
    "landing_page",
    "company",
    "company_id",
    "tracker",
    "medium",
    "source_name",
]
"""Open: the reference's list plus values live clients send (``tracker``, ``medium``)."""
FormsGroupBy = Literal[
    "source", "keywords", "campaign", "referrer", "landing_page", "form_name", "company"
]
FormsField = Literal["total_forms", "first_forms", "leads"]
SummaryField = Literal[
    "total_calls",
    "missed_calls",
    "answered_calls",
    "first_time_callers",
    "average_duration",
    "formatted_average_duration",
    "leads",
]
SummaryDevice = Literal["desktop", "mobile", "all"]
SummaryDirection = Literal["inbound", "outbound", "all"]
SummaryAnswerStatus = Literal["answered", "missed", "voicemail", "all"]
Interval = Literal["hour", "day", "week", "month", "year"]
TagLevel = Literal["company", "account"]
TagStatus = Literal["enabled", "disabled"]
TagColor = Literal[
    "gray1",
    "gray2",
    "blue1",
    "blue2",
    "cyan1",
    "cyan2",
    "purple1",
    "purple2",
    "pink1",
    "pink2",
    "pink3",
    "pink4",
    "red1",
    "red2",
    "orange1",
    "orange2",
    "orange3",
    "orange4",
    "yellow1",
    "yellow2",
    "green1",
    "green2",
    "green3",
    "green4",
]
CompanyStatus = Literal["active", "disabled"]
TrackerType = Literal["source", "session"]
TrackerStatus = Literal["active", "disabled"]
UserSort = Literal["email", "created_at"]
LeadSort = Literal["created_at", "name", "email"]
TimelineSort = Literal["event_date", "created_at"]
NotificationType = Literal["send_desktop", "send_email", "send_push"]


def values(literal: object) -> frozenset[str]:
    """The allowed values of a ``Literal`` type."""
    return frozenset(get_args(literal))


DATE_RANGES = values(DateRange)
ORDERS = values(Order)
LEAD_STATUS_FILTERS = values(LeadStatusFilter)
CALL_TYPES = values(CallType)
ANSWER_STATUSES = values(AnswerStatus)
DEVICES = values(Device)
DIRECTIONS = values(Direction)
SUMMARY_DEVICES = values(SummaryDevice)
SUMMARY_DIRECTIONS = values(SummaryDirection)
SUMMARY_ANSWER_STATUSES = values(SummaryAnswerStatus)
INTERVALS = values(Interval)
TAG_LEVELS = values(TagLevel)
TAG_STATUSES = values(TagStatus)
TAG_COLORS = values(TagColor)
COMPANY_STATUSES = values(CompanyStatus)
TRACKER_TYPES = values(TrackerType)
TRACKER_STATUSES = values(TrackerStatus)
NOTIFICATION_TYPES = values(NotificationType)
